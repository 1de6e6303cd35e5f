//! Pareto/NBD and MBG/NBD beside BG/NBD: the published CDNOW estimates, and likelihoods
//! that stay finite for very large frequencies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use rapport_domain::models::mbgnbd::{self, MbgNbdParams};
use rapport_domain::models::pareto_nbd::{self, ParetoNbdParams};
use rapport_domain::models::{CustomerSummary, FitOptions};

fn cdnow() -> Vec<CustomerSummary> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/cdnow_customers.csv"
    );
    let mut rdr = csv::Reader::from_path(path).unwrap();
    rdr.records()
        .map(|r| {
            let r = r.unwrap();
            CustomerSummary::new(
                r[1].parse().unwrap(),
                r[2].parse().unwrap(),
                r[3].parse().unwrap(),
            )
            .unwrap()
        })
        .collect()
}

fn close(name: &str, got: f64, want: f64, abs: f64) {
    assert!((got - want).abs() <= abs, "{name}: {got} vs {want}");
}

#[test]
fn pareto_nbd_reproduces_the_published_cdnow_fit() {
    let data = cdnow();
    let fit = pareto_nbd::fit(&data, &FitOptions::default()).unwrap();
    println!("{fit:?}");
    let p = fit.params;
    close("r", p.r, 0.553, 0.0005);
    close("alpha", p.alpha, 10.578, 0.005);
    close("s", p.s, 0.606, 0.0005);
    close("beta", p.beta, 11.669, 0.01);
    close("log-likelihood", fit.log_likelihood, -9595.0, 0.05);
    let published = ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap();
    let at_published = published.log_likelihood(&data).unwrap();
    assert!(fit.log_likelihood >= at_published - 1e-9);
    close("LL at published", at_published, -9595.0, 0.05);
}

#[test]
fn mbg_nbd_reproduces_the_btydplus_cdnow_fit() {
    let data = cdnow();
    let fit = mbgnbd::fit(&data, &FitOptions::default()).unwrap();
    println!("{fit:?}");
    let p = fit.params;
    close("r", p.r, 0.525, 0.0005);
    close("alpha", p.alpha, 6.183, 0.005);
    close("a", p.a, 0.891, 0.0005);
    close("b", p.b, 1.614, 0.0005);
    let published = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap();
    assert!(fit.log_likelihood >= published.log_likelihood(&data).unwrap() - 1e-9);
}

#[test]
fn likelihoods_stay_finite_for_frequencies_up_to_ten_thousand() {
    let pareto = [
        ParetoNbdParams::new(0.553, 10.578, 0.606, 11.669).unwrap(),
        ParetoNbdParams::new(0.5, 2.0, 0.6, 40.0).unwrap(),
        ParetoNbdParams::new(2.0, 40.0, 0.6, 2.0).unwrap(),
    ];
    let mbg = MbgNbdParams::new(0.525, 6.183, 0.891, 1.614).unwrap();
    for x in [0.0, 1.0, 10.0, 100.0, 1_000.0, 10_000.0] {
        for (t_x, t) in [
            (0.0, 0.0),
            (0.0, 39.0),
            (20.0, 39.0),
            (38.9, 39.0),
            (39.0, 39.0),
        ] {
            if x == 0.0 && t_x > 0.0 {
                continue;
            }
            if x > 0.0 && t_x == 0.0 && t == 0.0 {
                continue;
            }
            for p in &pareto {
                let ll = p.customer_log_likelihood(x, t_x, t);
                assert!(
                    ll.is_finite(),
                    "Pareto/NBD {p:?} x={x} t_x={t_x} T={t}: {ll}"
                );
                let c = CustomerSummary::new(x, t_x, t).unwrap();
                let alive = p.p_alive(&c);
                assert!((0.0..=1.0).contains(&alive), "{alive}");
                assert!(p.expected_purchases(&c, 39.0).is_finite());
            }
            let ll = mbg.customer_log_likelihood(x, t_x, t);
            assert!(ll.is_finite(), "MBG/NBD x={x} t_x={t_x} T={t}: {ll}");
        }
    }
}
