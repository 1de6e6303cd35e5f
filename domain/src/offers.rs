//! Offers and vouchers: the kinds of benefit, voucher codes (alphabet, format, parsing) and
//! what a redemption gives and costs.

/// The voucher code alphabet: digits and capitals without the look-alikes 0/O and 1/I
/// (32 symbols: 5 bits each).
pub const CODE_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// Symbols in a code: 16 × 5 = 80 bits of randomness.
pub const CODE_LEN: usize = 16;

/// The kinds of offer.
pub const KINDS: [&str; 6] = [
    "percent_discount",
    "fixed_discount",
    "bonus_points",
    "free_reward",
    "free_shipping",
    "custom",
];

/// A voucher's states.
pub const STATES: [&str; 5] = ["issued", "viewed", "redeemed", "expired", "cancelled"];

/// A code from 16 random bytes (each byte's low 5 bits pick a symbol: uniform, as 32
/// divides 256), stored without separators.
pub fn code_from_bytes(bytes: &[u8; CODE_LEN]) -> String {
    bytes
        .iter()
        .map(|b| char::from(CODE_ALPHABET[usize::from(b & 31)]))
        .collect()
}

/// A code as shown: groups of four joined by `-`.
pub fn display_code(code: &str) -> String {
    let chars: Vec<char> = code.chars().collect();
    chars
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// A code as typed (any case, with or without `-` or spaces) in its stored form, or `None`
/// when it cannot be one of ours.
pub fn parse_code(text: &str) -> Option<String> {
    let code: String = text
        .chars()
        .filter(|c| *c != '-' && *c != ' ')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(code)
}

/// The discount a percent offer records on an order whose `paid` amount is after the
/// discount: `paid × p / (100 − p)`, rounded half up, so that discount / (paid + discount)
/// = p %. `percent` is 1 to 99.
pub fn percent_discount(paid: i64, percent: i32) -> Option<i64> {
    if !(1..=99).contains(&percent) || paid < 0 {
        return None;
    }
    let p = i128::from(percent);
    let num = i128::from(paid) * p * 2 + (100 - p);
    i64::try_from(num / ((100 - p) * 2)).ok()
}

/// Shrinks a cell's measured uplift toward the overall one: `(n × cell + k × overall) /
/// (n + k)` with `n` the cell's members (both arms) and `k` the prior weight in members. A
/// cell with no members gets the overall uplift; one with `n ≫ k` keeps its own.
pub fn shrunk_uplift(cell: f64, n: f64, overall: f64, k: f64) -> f64 {
    if n + k <= 0.0 {
        return overall;
    }
    (n * cell + k * overall) / (n + k)
}

/// Prior weight of the overall uplift, in members: a cell of this many members (both arms)
/// counts as much as the overall figure.
pub const SHRINKAGE_MEMBERS: f64 = 200.0;
/// The relative uplift assumed for an offer before its campaign has results (or without a
/// campaign): 5 % more revenue from the customers who get it.
pub const DEFAULT_UPLIFT: f64 = 0.05;

/// A group of a campaign's audience (an RFM segment or a risk band) with its measured
/// relative uplift in revenue per member and its size (both arms).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cell {
    pub uplift: f64,
    pub members: f64,
}

/// What a campaign measured, for one customer: the overall relative uplift and the cells
/// of the customer's RFM segment and risk band (when the campaign had members there).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evidence {
    pub overall: f64,
    pub rfm: Option<Cell>,
    pub band: Option<Cell>,
}

/// The uplift expected for a customer: each of its cells shrunk toward the overall uplift
/// ([`shrunk_uplift`] with `k` = [`SHRINKAGE_MEMBERS`]), then averaged; the overall uplift
/// when it has no cell.
pub fn expected_uplift(e: &Evidence) -> f64 {
    let cells: Vec<f64> = [e.rfm, e.band]
        .into_iter()
        .flatten()
        .map(|c| shrunk_uplift(c.uplift, c.members, e.overall, SHRINKAGE_MEMBERS))
        .collect();
    if cells.is_empty() {
        e.overall
    } else {
        cells.iter().sum::<f64>() / cells.len() as f64
    }
}

/// What a redemption of the offer is expected to cost on an order of `order_value` (minor
/// units, reporting currency): a percent discount's share of it, a fixed discount's amount,
/// plus the cost per redemption; times `p_use`, the chance the customer orders and uses it.
pub fn expected_cost(
    kind: &str,
    percent: Option<i32>,
    amount: Option<i64>,
    cost_per_redemption: i64,
    order_value: f64,
    p_use: f64,
) -> f64 {
    let discount = match kind {
        "percent_discount" => order_value * f64::from(percent.unwrap_or(0)) / 100.0,
        "fixed_discount" => amount.unwrap_or(0) as f64,
        _ => 0.0,
    };
    p_use.clamp(0.0, 1.0) * (discount + cost_per_redemption as f64)
}

/// Expected incremental margin of giving the offer: uplift × expected value − expected cost.
pub fn expected_margin(uplift: f64, expected_value: f64, expected_cost: f64) -> f64 {
    uplift * expected_value - expected_cost
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_refuse_look_alikes() {
        let code = code_from_bytes(&[0, 1, 2, 31, 32, 255, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
        assert_eq!(code.len(), 16);
        assert_eq!(&code[..6], "234Z2Z");
        let shown = display_code(&code);
        assert_eq!(shown.len(), 19);
        assert_eq!(parse_code(&shown.to_lowercase()), Some(code.clone()));
        assert_eq!(parse_code("0000-0000-0000-0000"), None);
        assert_eq!(parse_code("ABCD"), None);
    }

    #[test]
    fn percent_discount_is_the_share_of_the_gross() {
        // 20 % off: paid 8000 of a 10000 gross.
        assert_eq!(percent_discount(8000, 20), Some(2000));
        // 1/3 of 100 = 33.33 … rounds to 33 for 25 %? 100 × 25 / 75 = 33.33 → 33.
        assert_eq!(percent_discount(100, 25), Some(33));
        // 50 % of 3 paid: 3 → 3.
        assert_eq!(percent_discount(3, 50), Some(3));
        assert_eq!(percent_discount(100, 100), None);
        assert_eq!(percent_discount(-1, 10), None);
    }

    #[test]
    fn expected_uplift_shrinks_each_cell_then_averages() {
        let e = Evidence {
            overall: 0.10,
            rfm: Some(Cell {
                uplift: 0.30,
                members: 200.0,
            }),
            band: Some(Cell {
                uplift: 0.0,
                members: 600.0,
            }),
        };
        // rfm: (200 × 0.3 + 200 × 0.1) / 400 = 0.2; band: (0 + 200 × 0.1) / 800 = 0.025.
        assert!((expected_uplift(&e) - 0.1125).abs() < 1e-12);
        let none = Evidence {
            rfm: None,
            band: None,
            ..e
        };
        assert_eq!(expected_uplift(&none), 0.10);
        // 20 % of 5000 + 100, used with probability 0.5: 550.
        assert_eq!(
            expected_cost("percent_discount", Some(20), None, 100, 5000.0, 0.5),
            550.0
        );
        assert_eq!(
            expected_cost("fixed_discount", None, Some(700), 0, 5000.0, 2.0),
            700.0
        );
        assert_eq!(expected_margin(0.1, 10_000.0, 550.0), 450.0);
    }

    #[test]
    fn shrinkage_weighs_by_members() {
        assert_eq!(shrunk_uplift(0.3, 0.0, 0.1, 100.0), 0.1);
        assert!((shrunk_uplift(0.3, 100.0, 0.1, 100.0) - 0.2).abs() < 1e-12);
        assert!((shrunk_uplift(0.3, 9900.0, 0.1, 100.0) - 0.298).abs() < 1e-12);
    }
}
