//! Sums of BIGINT amounts that overflow on neither backend.
//!
//! `SUM(BIGINT)` raises "integer overflow" on SQLite and returns a NUMERIC on PostgreSQL that
//! no longer fits a BIGINT once cast back ("bigint out of range"). Summing the high and the
//! low 32 bits of each value apart keeps both partial sums far inside a BIGINT (for up to two
//! billion rows); [`join`] puts them back together as an `i128`.

/// `2^32`, the split point (written `4294967296` in SQL).
const SPLIT: i128 = 1 << 32;

/// The exact sum of the values whose split sums are `high` and `low`.
pub fn join(high: i64, low: i64) -> i128 {
    i128::from(high) * SPLIT + i128::from(low)
}

/// A wide total as an `i64`, saturating at either end instead of overflowing: a report shows
/// the largest amount it can rather than failing.
pub fn saturate(total: i128) -> i64 {
    i64::try_from(total).unwrap_or(if total < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_sums_join_exactly_and_saturate() {
        // What `SUM(v / 2^32)` and `SUM(v % 2^32)` give for two values of i64::MAX.
        let (high, low) = (i64::MAX / (1 << 32), i64::MAX % (1 << 32));
        let total = join(2 * high, 2 * low);
        assert_eq!(total, 2 * i128::from(i64::MAX));
        assert_eq!(saturate(total), i64::MAX);
        assert_eq!(saturate(-total), i64::MIN);
        // Truncating division keeps the identity for negative values too.
        let v: i64 = -12_345_678_901_234;
        assert_eq!(join(v / (1 << 32), v % (1 << 32)), i128::from(v));
    }
}
