//! Dense BFGS with backtracking line search, hand-written (not `argmin`) to seed runs with a sub-sample's inverse Hessian and count full-data passes.

// Hand-written rather than `argmin` because with so few unknowns a full inverse
// Hessian is the right algorithm, and because every objective evaluation is a
// pass over up to millions of customers: we need to seed the run with the inverse
// Hessian of a sub-sample fit and to control the number of evaluations exactly,
// which is awkward through a generic framework.

/// Result of a minimisation.
#[derive(Debug, Clone)]
pub(crate) struct Minimum {
    pub x: Vec<f64>,
    pub f: f64,
    pub iterations: usize,
    pub converged: bool,
    /// Final BFGS approximation of the inverse Hessian (row-major `n * n`).
    pub inv_hessian: Vec<f64>,
}

/// Largest move of any log-parameter in one step (a factor e^4 on the parameter):
/// keeps a bad early step from leaving the region where the likelihood is finite.
const MAX_STEP: f64 = 4.0;
const ARMIJO: f64 = 1e-4;
const NOISE: f64 = 1e-13;

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn max_abs(a: &[f64]) -> f64 {
    a.iter().fold(0.0_f64, |m, v| m.max(v.abs()))
}

fn identity(n: usize) -> Vec<f64> {
    let mut h = vec![0.0; n * n];
    for i in 0..n {
        h[i * n + i] = 1.0;
    }
    h
}

/// Minimises `objective`, which returns the value and writes the gradient, and
/// returns `f64::INFINITY` where it cannot be evaluated (the line search then
/// backs off). Stops when `max |gradient| < tolerance`.
pub(crate) fn bfgs<F>(
    mut objective: F,
    x0: &[f64],
    inv_hessian: Option<&[f64]>,
    max_iterations: usize,
    tolerance: f64,
) -> Minimum
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    let n = x0.len();
    let mut x = x0.to_vec();
    let mut g = vec![0.0; n];
    let mut f = objective(&x, &mut g);
    let seeded = inv_hessian.is_some_and(|h| h.len() == n * n);
    let mut h = match inv_hessian {
        Some(h0) if seeded => h0.to_vec(),
        _ => identity(n),
    };
    let out = |x: Vec<f64>, f: f64, iterations, converged, h: Vec<f64>| Minimum {
        x,
        f,
        iterations,
        converged,
        inv_hessian: h,
    };
    if !f.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return out(x, f64::INFINITY, 0, false, h);
    }
    let mut scaled = seeded;
    let mut d = vec![0.0; n];
    let mut x_new = vec![0.0; n];
    let mut g_new = vec![0.0; n];
    let mut s = vec![0.0; n];
    let mut y = vec![0.0; n];
    let mut hy = vec![0.0; n];
    for iteration in 0..max_iterations {
        if max_abs(&g) < tolerance {
            return out(x, f, iteration, true, h);
        }
        for i in 0..n {
            d[i] = -dot(&h[i * n..(i + 1) * n], &g);
        }
        let mut slope = dot(&g, &d);
        if slope.is_nan() || slope >= 0.0 {
            h = identity(n);
            scaled = false;
            for i in 0..n {
                d[i] = -g[i];
            }
            slope = dot(&g, &d);
        }
        let longest = max_abs(&d);
        if longest > MAX_STEP {
            let shrink = MAX_STEP / longest;
            d.iter_mut().for_each(|v| *v *= shrink);
            slope *= shrink;
        }
        let mut step = 1.0;
        let mut accepted = None;
        for _ in 0..60 {
            for i in 0..n {
                x_new[i] = x[i] + step * d[i];
            }
            let f_try = objective(&x_new, &mut g_new);
            if f_try.is_finite() && g_new.iter().all(|v| v.is_finite()) {
                // Near the optimum the decrease drowns in the rounding of f (a mean
                // over many customers); a step that keeps f within that noise and
                // shrinks the gradient is progress too.
                let within_noise =
                    f_try <= f + NOISE * f.abs().max(1.0) && max_abs(&g_new) < max_abs(&g);
                if f_try <= f + ARMIJO * step * slope || within_noise {
                    accepted = Some(f_try);
                    break;
                }
                // Minimiser of the quadratic through f, slope and f_try, kept in
                // [0.1, 0.5] of the current step.
                let denom = 2.0 * (f_try - f - step * slope);
                let q = if denom > 0.0 {
                    -slope * step * step / denom
                } else {
                    0.5 * step
                };
                step = q.clamp(0.1 * step, 0.5 * step);
            } else {
                step *= 0.25;
            }
        }
        let Some(f_next) = accepted else {
            // No decrease possible along the search direction: we are at the
            // floating-point floor of this objective.
            let converged = max_abs(&g) < tolerance;
            return out(x, f, iteration, converged, h);
        };
        for i in 0..n {
            s[i] = x_new[i] - x[i];
            y[i] = g_new[i] - g[i];
        }
        let sy = dot(&s, &y);
        let yy = dot(&y, &y);
        if sy > 1e-14 * yy.sqrt() * dot(&s, &s).sqrt() && yy > 0.0 {
            if !scaled {
                // Shanno–Phua scaling of the first approximation.
                let gamma = sy / yy;
                h.iter_mut().for_each(|v| *v *= gamma);
                scaled = true;
            }
            for i in 0..n {
                hy[i] = dot(&h[i * n..(i + 1) * n], &y);
            }
            let yhy = dot(&y, &hy);
            let rho = 1.0 / sy;
            for i in 0..n {
                for j in 0..n {
                    h[i * n + j] +=
                        rho * ((1.0 + rho * yhy) * s[i] * s[j] - hy[i] * s[j] - s[i] * hy[j]);
                }
            }
        }
        let progress = (f - f_next).abs();
        x.copy_from_slice(&x_new);
        g.copy_from_slice(&g_new);
        f = f_next;
        if progress <= 1e-16 * f.abs().max(1.0) && max_abs(&s) <= 1e-14 {
            let converged = max_abs(&g) < tolerance;
            return out(x, f, iteration + 1, converged, h);
        }
    }
    let converged = max_abs(&g) < tolerance;
    out(x, f, max_iterations, converged, h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_rosenbrock() {
        let rosen = |x: &[f64], g: &mut [f64]| {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        };
        let m = bfgs(rosen, &[-1.2, 1.0], None, 500, 1e-10);
        assert!(m.converged, "{m:?}");
        assert!((m.x[0] - 1.0).abs() < 1e-8 && (m.x[1] - 1.0).abs() < 1e-8);
    }

    #[test]
    fn non_finite_start_is_reported() {
        let m = bfgs(|_, _| f64::INFINITY, &[0.0], None, 10, 1e-8);
        assert!(!m.converged);
        assert!(m.f.is_infinite());
    }
}
