//! Special functions: ln Γ and digamma from `statrs`; Gauss 2F1 hand-written, as no maintained pure-Rust crate has one converging for all z < 1.

// No maintained pure-Rust crate offers a real 2F1 that converges for every `z < 1`
// (`mathru` needs BLAS/LAPACK, `GSL` is a C binding that gives up near `z = 1`), so
// it is written here. Near `z = 0` the Gauss series is summed with a tail bound as
// the stopping rule. When the series would be slow (`z` near 1, small `c`), the
// function is carried from `z = 1/2` to `z` by Taylor re-expansion of the
// hypergeometric differential equation, each step going half-way to the
// singularity at 1. This analytic continuation has no special cases (integer
// `c - a - b`, `b = 0`...), unlike the `1 - z` connection formulas, and it is stable
// because 2F1 is, near `z = 1`, either the dominant solution or one whose error
// component decays.
//
// The BG/NBD model needs `s (2F1(p, q; s; z) - 1) / q`, where `q = a - 1` and
// `s = a + b + x - 1` can both be 0, so that quantity ([`hyp2f1_excess`]) is
// computed directly rather than by dividing.

/// Natural log of the gamma function, for `x > 0`.
pub fn ln_gamma(x: f64) -> f64 {
    statrs::function::gamma::ln_gamma(x)
}

/// Digamma (derivative of `ln_gamma`), for `x > 0`.
pub fn digamma(x: f64) -> f64 {
    statrs::function::gamma::digamma(x)
}

const EPS: f64 = 1e-16;
/// Beyond this many terms the direct series hands over to the continuation.
const FAST_TERMS: usize = 500;
/// Hard cap for the series at `z <= 1/2`, where it always converges geometrically.
const MAX_TERMS: usize = 100_000;
const CONTINUATION_START: f64 = 0.5;

/// Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and `z < 1`.
///
/// `c` must not be 0 or a negative integer. For `z < 0` the Pfaff transformation
/// maps the argument into `[0, 1)`. Returns NaN outside the domain. The result
/// may overflow to infinity when the function itself is beyond `f64` (large `a`,
/// `b` with `z` near 1).
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z.is_finite()) || z >= 1.0 {
        return f64::NAN;
    }
    if c <= 0.0 && c.fract() == 0.0 {
        return f64::NAN;
    }
    if z < 0.0 {
        // Pfaff: 2F1(a,b;c;z) = (1-z)^(-a) 2F1(a, c-b; c; z/(z-1)).
        let w = z / (z - 1.0);
        return (-a * (-z).ln_1p()).exp() * hyp2f1(a, c - b, c, w);
    }
    let ode = Ode {
        p: a,
        q: b,
        s: c,
        forcing: 0.0,
    };
    ode.eval(z, 0, 1.0, 0.0)
}

/// `s (2F1(p, q; s; z) - 1) / q`, for `0 <= z < 1` and `s > -1`.
///
/// The quotient is analytic in `q` and `s` (its series starts `p z + ...`), so it is
/// evaluated without dividing by `q` or `s`: no cancellation near `q = 0`, and
/// `s = 0` is allowed. `abs_scale` is a magnitude the caller will add the result to;
/// summation stops once further terms are negligible against `|sum| + abs_scale`.
pub fn hyp2f1_excess(p: f64, q: f64, s: f64, z: f64, abs_scale: f64) -> f64 {
    if !(p.is_finite() && q.is_finite() && s.is_finite() && (0.0..1.0).contains(&z)) || s <= -1.0 {
        return f64::NAN;
    }
    let ode = Ode {
        p,
        q,
        s,
        forcing: p * s,
    };
    ode.eval(z, 1, p, abs_scale)
}

/// `z (1-z) y'' + (s - (p+q+1) z) y' - p q y = forcing`: the hypergeometric
/// equation; with `forcing = p s` it is solved by `s (2F1 - 1) / q`.
#[derive(Debug, Clone, Copy)]
struct Ode {
    p: f64,
    q: f64,
    s: f64,
    forcing: f64,
}

impl Ode {
    /// Value at `z` of the power series `sum_{k >= k0} d_k z^k` with `d_k0 = first`
    /// and hypergeometric term ratio.
    fn eval(&self, z: f64, k0: u32, first: f64, abs_scale: f64) -> f64 {
        if z == 0.0 {
            return if k0 == 0 { first } else { 0.0 };
        }
        if z > CONTINUATION_START {
            if let Some((y, _)) = self.series(z, k0, first, abs_scale, FAST_TERMS, false) {
                return y;
            }
            // The caller's scale is about the value at z; at the start point (and
            // along the way) the solution may be far smaller, so only relative
            // accuracy counts there.
            let start = self.series(CONTINUATION_START, k0, first, 0.0, MAX_TERMS, true);
            let (y0, dy0) = match start {
                Some(v) => v,
                None => return f64::NAN,
            };
            return self.continue_to(CONTINUATION_START, y0, dy0, z, abs_scale);
        }
        match self.series(z, k0, first, abs_scale, MAX_TERMS, false) {
            Some((y, _)) => y,
            None => f64::NAN,
        }
    }

    /// The Gauss series and (if `derivative`) its derivative; `None` when `cap`
    /// terms did not reach the tolerance.
    fn series(
        &self,
        z: f64,
        k0: u32,
        first: f64,
        abs_scale: f64,
        cap: usize,
        derivative: bool,
    ) -> Option<(f64, f64)> {
        let mut k = f64::from(k0);
        let mut term = first * z.powf(k);
        let mut sum = term;
        let mut dsum = k * term;
        // Past these indices every factor of the ratio is positive, so the terms
        // keep one sign and the tail bound below holds.
        let settled = (-self.p).max(-self.q).max(-self.s).max(0.0).ceil() + 1.0;
        for _ in 0..cap {
            let ratio = (self.p + k) * (self.q + k) / ((self.s + k) * (k + 1.0));
            term *= ratio * z;
            k += 1.0;
            sum += term;
            dsum += k * term;
            if term == 0.0 {
                return Some((sum, dsum / z));
            }
            if k > settled {
                let next = (self.p + k) * (self.q + k) / ((self.s + k) * (k + 1.0));
                let rho = z * next.max(1.0);
                if rho < 1.0 {
                    let tail = term.abs() * rho / (1.0 - rho);
                    let ok = tail <= EPS * (sum.abs() + abs_scale)
                        && (!derivative || tail * (k + 1.0 / (1.0 - rho)) <= EPS * dsum.abs() * z);
                    if ok {
                        return Some((sum, dsum / z));
                    }
                }
            }
        }
        None
    }

    /// Carries `(y, y')` from `z0` to `z1` (both in `[1/2, 1)`) along the ODE.
    fn continue_to(&self, z0: f64, y0: f64, dy0: f64, z1: f64, abs_scale: f64) -> f64 {
        let (mut z, mut y, mut dy) = (z0, y0, dy0);
        let pq1 = self.p + self.q + 1.0;
        let r0 = -self.p * self.q;
        // Half the distance to the singularity at 1 (the one at 0 is farther):
        // the local Taylor series then converges like 2^-n.
        while z < z1 {
            let h = (z1 - z).min(0.5 * (1.0 - z));
            if h <= 0.0 {
                break;
            }
            let scale = if z + h >= z1 { abs_scale } else { 0.0 };
            let p0 = z * (1.0 - z);
            let p1 = 1.0 - 2.0 * z;
            let q0 = self.s - pq1 * z;
            let mut u0 = y;
            let mut u1 = dy * h;
            let mut sum = u0 + u1;
            let mut dsum = u1;
            let mut n = 0.0_f64;
            for _ in 0..2000 {
                let forcing = if n == 0.0 { self.forcing * h * h } else { 0.0 };
                let u2 = (forcing
                    - (n + 1.0) * (p1 * n + q0) * h * u1
                    - (-n * (n - 1.0) - pq1 * n + r0) * h * h * u0)
                    / (p0 * (n + 2.0) * (n + 1.0));
                sum += u2;
                dsum += (n + 2.0) * u2;
                let small = u1.abs() + u2.abs();
                if n >= 2.0
                    && small <= EPS * (sum.abs() + scale)
                    && (n + 2.0) * small <= EPS * dsum.abs().max(f64::MIN_POSITIVE)
                {
                    break;
                }
                if !sum.is_finite() {
                    return sum;
                }
                u0 = u1;
                u1 = u2;
                n += 1.0;
            }
            y = sum;
            dy = dsum / h;
            z += h;
        }
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(got: f64, want: f64, rel: f64) {
        let err = (got - want).abs() / want.abs().max(1e-300);
        assert!(err <= rel, "got {got:e}, want {want:e}, rel err {err:e}");
    }

    #[test]
    fn elementary_closed_forms() {
        // 2F1(1,1;2;z) = -ln(1-z)/z
        for z in [1e-6, 0.1, 0.5, 0.9, 0.999, 0.999_999, 1.0 - 1e-12] {
            close(hyp2f1(1.0, 1.0, 2.0, z), -(-z).ln_1p() / z, 1e-13);
        }
        // 2F1(a,b;b;z) = (1-z)^-a, also with large a
        for (a, z) in [(0.5, 0.3), (3.7, 0.95), (500.0, 0.5), (40.0, 0.99)] {
            close(hyp2f1(a, 2.5, 2.5, z), (1.0 - z).powf(-a), 1e-12);
        }
        // 2F1(1/2,1/2;3/2;z^2) = asin(z)/z
        for z in [0.2_f64, 0.7, 0.99, 0.999_99] {
            close(hyp2f1(0.5, 0.5, 1.5, z * z), z.asin() / z, 1e-13);
        }
        // Negative argument via Pfaff: 2F1(1,1;2;-z) = ln(1+z)/z
        close(hyp2f1(1.0, 1.0, 2.0, -3.0), 4.0_f64.ln() / 3.0, 1e-13);
    }

    #[test]
    fn gauss_sum_limit_and_reference_values() {
        // Near z = 1 with c - a - b > 0 the value tends to Gauss's sum
        // Γ(c)Γ(c-a-b)/(Γ(c-a)Γ(c-b)); for (0.3, 0.4; 2.1) that is
        // exp(lnΓ(2.1)+lnΓ(1.4)-lnΓ(1.8)-lnΓ(1.7)).
        let gauss = (ln_gamma(2.1) + ln_gamma(1.4) - ln_gamma(1.8) - ln_gamma(1.7)).exp();
        close(hyp2f1(0.3, 0.4, 2.1, 1.0 - 1e-14), gauss, 1e-9);
        // Reference values from mpmath.hyp2f1 (50 digits).
        close(
            hyp2f1(0.243, 2.426, 2.219, 0.9),
            1.947_631_169_818_602,
            1e-12,
        );
        close(
            hyp2f1(2.243, 4.426, 5.219, 0.5),
            3.614_707_706_823_282,
            1e-12,
        );
        // Large parameters (x = 10,000 repeat purchases in the BG/NBD call).
        close(
            hyp2f1(10000.243, 10002.426, 10002.219, 1e-3),
            22_146.915_708_046_6,
            1e-10,
        );
        close(
            hyp2f1(1.5, 2.5, 10000.0, 0.999_999),
            1.000_375_163_756_927_3,
            1e-12,
        );
        // Integer c - a - b at z close to 1 (logarithmic case): no special casing needed.
        close(
            hyp2f1(1.0, 2.0, 3.0, 0.999_999),
            25.631_074_377_994_16,
            1e-10,
        );
    }

    #[test]
    fn excess_matches_definition_and_its_limits() {
        let (p, q, s, z) = (1.95, -0.207, 2.219, 0.7);
        let want = s * (hyp2f1(p, q, s, z) - 1.0) / q;
        close(hyp2f1_excess(p, q, s, z, 0.0), want, 1e-12);
        // Continuation branch
        let z = 0.999_9;
        let want = s * (hyp2f1(p, q, s, z) - 1.0) / q;
        close(hyp2f1_excess(p, q, s, z, 0.0), want, 1e-10);
        // q -> 0 limit is finite and continuous
        let near = hyp2f1_excess(p, 1e-9, s, 0.6, 0.0);
        let at = hyp2f1_excess(p, 0.0, s, 0.6, 0.0);
        close(at, near, 1e-7);
        // s = 0 allowed
        assert!(hyp2f1_excess(p, q, 0.0, 0.6, 0.0).is_finite());
    }

    #[test]
    fn domain_errors_are_nan_not_panics() {
        assert!(hyp2f1(1.0, 1.0, -2.0, 0.5).is_nan());
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
        assert!(hyp2f1(f64::NAN, 1.0, 2.0, 0.5).is_nan());
    }
}
