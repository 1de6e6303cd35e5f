//! Simulates customers from the BG/NBD and Gamma-Gamma processes (deterministic seed), for benches and tests.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Beta, Distribution, Exp, Gamma};
use rapport_domain::models::CustomerSummary;

/// One simulated customer: RFM summary and mean repeat-purchase value (0 when x = 0).
pub struct Simulated {
    pub summary: CustomerSummary,
    pub monetary: f64,
}

/// `n` customers in weeks: BG/NBD `(r, alpha, a, b)`, Gamma-Gamma `(p, q, v)`,
/// first purchases spread uniformly over the 52 weeks before a 78-week window ends.
/// With `daily`, times are floored to whole days (as transaction dates are), which
/// makes many rows identical.
pub fn simulate(
    n: usize,
    bg: (f64, f64, f64, f64),
    gg: (f64, f64, f64),
    seed: u64,
    daily: bool,
) -> Vec<Simulated> {
    let (r, alpha, a, b) = bg;
    let (p, q, v) = gg;
    let mut rng = StdRng::seed_from_u64(seed);
    let rate = Gamma::new(r, 1.0 / alpha).unwrap();
    let dropout = Beta::new(a, b).unwrap();
    let nu = Gamma::new(q, 1.0 / v).unwrap();
    let round = |t: f64| if daily { (t * 7.0).floor() / 7.0 } else { t };
    (0..n)
        .map(|_| {
            let age = round(26.0 + 52.0 * rng.random::<f64>());
            let lambda: f64 = rate.sample(&mut rng);
            let p_drop: f64 = dropout.sample(&mut rng);
            let mut t = 0.0;
            let mut x = 0u32;
            let mut t_x = 0.0;
            if lambda > 0.0 {
                let gap = Exp::new(lambda).unwrap();
                loop {
                    t += gap.sample(&mut rng);
                    if t > age {
                        break;
                    }
                    x += 1;
                    t_x = t;
                    if rng.random::<f64>() < p_drop {
                        break;
                    }
                }
            }
            let monetary = if x > 0 {
                let scale: f64 = nu.sample(&mut rng);
                let spend = Gamma::new(p, 1.0 / scale).unwrap();
                (0..x).map(|_| spend.sample(&mut rng)).sum::<f64>() / f64::from(x)
            } else {
                0.0
            };
            Simulated {
                summary: CustomerSummary::new(f64::from(x), round(t_x), age).unwrap(),
                monetary,
            }
        })
        .collect()
}
