//! Segment rules evaluated as of a past instant (`as_of=` on previews and members): the
//! value fields read the workspace's metrics and predictions as of then — the same values
//! as `GET /v1/accounts/{id}/metrics?as_of=` (see `service::as_of`) — and "now" is that
//! instant for `within_last_days`, `days_since_last_order` and the counts of orders,
//! interactions and complaints (which also stop at it). Fields without a history (tags,
//! attributes, consent, lifecycle stage, owner, kind, loyalty, satisfaction, open deals and
//! complaints) hold their current values, on every live account.
//!
//! The values are computed in Rust and loaded into temporary tables with the stored
//! tables' columns, inside one transaction on one connection, so the rule compiles to the
//! same SQL over them and nothing outlives the request.

use chrono::NaiveDateTime;
use rapport_domain::segments::Rule;
use rapport_domain::value::day_of;
use rapport_persistence::segments::{self as store, RuleFilter};
use rapport_persistence::{value_as_of, DbConn};

use crate::error::ApiError;
use crate::service::as_of::value_rows_as_of;
use crate::service::rule_segments::compiled::context;

/// Runs `f` with `rule` compiled as of `at`, in one transaction holding the workspace's
/// values as of `at` (dropped when it ends).
pub fn with_rule_as_of<T>(
    conn: &mut DbConn,
    workspace_id: &str,
    rule: &Rule,
    at: NaiveDateTime,
    f: impl FnOnce(&mut DbConn, RuleFilter) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    value_as_of::scratch_transaction(conn, |conn| {
        let (metrics, predictions) = value_rows_as_of(conn, workspace_id, at)?;
        value_as_of::create_tables(conn, &metrics, &predictions)?;
        let mut cx = context(conn, workspace_id, &[rule])?;
        cx.now = at;
        cx.today = day_of(at);
        cx.as_of = Some(at);
        let filter = store::compile(rule, &cx, conn.backend());
        let out = f(conn, filter)?;
        value_as_of::drop_tables(conn)?;
        Ok(out)
    })
}
