//! Where one person's data lives, for subject access and erasure: the catalogue of the tables
//! that hold rows of an account (every table with an `account_id` column, and the children
//! reached through them), a dump of those rows as JSON, and the erasure's writes. A test
//! compares the catalogue with `schema.rs`, so a new table with an `account_id` column
//! cannot be forgotten.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::connection::DbConn;
use crate::schema::{
    account_search_terms, account_tags, accounts, audit_log, complaint_history, complaints,
    consent_events, contacts, deal_stage_changes, deals, feedback_responses, idempotency_keys,
    interactions, loyalty_entries, loyalty_redemptions, order_refunds, orders, privacy_settings,
    recommendation_items, voucher_history, vouchers,
};

/// What an erased text that cannot be null reads.
pub const ERASED: &str = "[erased]";

/// Every table with an `account_id` column, and what erasure does to it.
pub const ACCOUNT_TABLES: &[(&str, Erasure)] = &[
    ("account_tags", Erasure::Deleted),
    ("account_search_terms", Erasure::Deleted),
    ("account_lifecycle_changes", Erasure::NothingPersonal),
    ("consent_events", Erasure::Anonymised),
    ("contacts", Erasure::Anonymised),
    ("interactions", Erasure::Anonymised),
    ("deals", Erasure::Anonymised),
    ("orders", Erasure::Anonymised),
    ("account_purchase_days", Erasure::NothingPersonal),
    ("account_metrics", Erasure::NothingPersonal),
    ("loyalty_members", Erasure::NothingPersonal),
    ("loyalty_lots", Erasure::NothingPersonal),
    ("loyalty_entries", Erasure::Anonymised),
    ("loyalty_redemptions", Erasure::Anonymised),
    ("segment_memberships", Erasure::NothingPersonal),
    ("account_predictions", Erasure::NothingPersonal),
    ("campaign_members", Erasure::NothingPersonal),
    ("campaign_exposures", Erasure::NothingPersonal),
    ("feedback_responses", Erasure::Anonymised),
    ("feedback_account_months", Erasure::NothingPersonal),
    ("account_satisfaction", Erasure::NothingPersonal),
    ("complaints", Erasure::Anonymised),
    ("vouchers", Erasure::NothingPersonal),
];

/// Tables whose rows belong to an account through a parent row: (table, column naming the
/// parent, parent table, what erasure does).
pub const CHILD_TABLES: &[(&str, &str, &str, Erasure)] = &[
    ("order_refunds", "order_id", "orders", Erasure::Anonymised),
    (
        "deal_stage_changes",
        "deal_id",
        "deals",
        Erasure::Anonymised,
    ),
    (
        "complaint_history",
        "complaint_id",
        "complaints",
        Erasure::Anonymised,
    ),
    (
        "complaint_compensations",
        "complaint_id",
        "complaints",
        Erasure::NothingPersonal,
    ),
    (
        "voucher_history",
        "voucher_id",
        "vouchers",
        Erasure::NothingPersonal,
    ),
    (
        "loyalty_lot_notices",
        "lot_id",
        "loyalty_lots",
        Erasure::NothingPersonal,
    ),
];

/// What an erasure does to a table's rows of the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// The rows go (search indexes rebuilt from the account's fields).
    Deleted,
    /// Free-text and identifying columns are cleared; ids, amounts and dates stay.
    Anonymised,
    /// Only ids, numbers, codes and dates: kept as they are (aggregates stay correct).
    NothingPersonal,
}

#[derive(QueryableByName)]
struct JsonRow {
    #[diesel(sql_type = Text)]
    row: String,
}

#[derive(QueryableByName)]
struct ColumnName {
    #[diesel(sql_type = Text)]
    name: String,
}

/// Rows of `table` matching `filter` (with `?` placeholders bound to `binds`), each as a
/// JSON object of its columns. `table` and `filter` come from this module's constants.
fn rows_as_json(
    conn: &mut DbConn,
    table: &str,
    filter: &str,
    binds: &[&str],
) -> QueryResult<Vec<String>> {
    let rows: Vec<JsonRow> = match conn {
        DbConn::Sqlite(c) => {
            let columns: Vec<ColumnName> = diesel::sql_query(format!(
                "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
            ))
            .load(c)?;
            let pairs: Vec<String> = columns
                .iter()
                .map(|col| format!("'{0}', t.\"{0}\"", col.name))
                .collect();
            let sql = format!(
                "SELECT json_object({}) AS row FROM {table} t WHERE {filter}",
                pairs.join(", ")
            );
            let mut query = diesel::sql_query(sql).into_boxed::<diesel::sqlite::Sqlite>();
            for b in binds {
                query = query.bind::<Text, _>(b.to_string());
            }
            query.load(c)?
        }
        DbConn::Pg(c) => {
            let sql = numbered(&format!(
                "SELECT row_to_json(t)::text AS row FROM {table} t WHERE {filter}"
            ));
            let mut query = diesel::sql_query(sql).into_boxed::<diesel::pg::Pg>();
            for b in binds {
                query = query.bind::<Text, _>(b.to_string());
            }
            query.load(c)?
        }
    };
    Ok(rows.into_iter().map(|r| r.row).collect())
}

fn numbered(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// A LIKE pattern matching strings that contain `needle` (`%`, `_` and `\` escaped).
pub fn like_containing(needle: &str) -> String {
    let mut pattern = String::with_capacity(needle.len() + 2);
    pattern.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Every stored row of the account, by table (JSON objects of the columns), the account's
/// own row under `accounts`, audit entries naming it under `audit_log` and stored
/// idempotent answers naming it under `idempotency_keys` (events: see
/// [`crate::events::mentioning`]).
pub fn rows_of_account(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<BTreeMap<&'static str, Vec<String>>> {
    let mut out = BTreeMap::new();
    out.insert(
        "accounts",
        rows_as_json(
            conn,
            "accounts",
            "t.workspace_id = ? AND t.id = ?",
            &[workspace_id, account_id],
        )?,
    );
    for (table, _) in ACCOUNT_TABLES {
        out.insert(
            *table,
            rows_as_json(
                conn,
                table,
                "t.workspace_id = ? AND t.account_id = ?",
                &[workspace_id, account_id],
            )?,
        );
    }
    for (table, column, parent, _) in CHILD_TABLES {
        let filter = format!(
            "t.workspace_id = ? AND t.{column} IN \
             (SELECT p.id FROM {parent} p WHERE p.workspace_id = ? AND p.account_id = ?)"
        );
        out.insert(
            *table,
            rows_as_json(
                conn,
                table,
                &filter,
                &[workspace_id, workspace_id, account_id],
            )?,
        );
    }
    let pattern = like_containing(account_id);
    out.insert(
        "audit_log",
        rows_as_json(
            conn,
            "audit_log",
            "t.workspace_id = ? AND (t.resource_id = ? OR t.before_state LIKE ? ESCAPE '\\' \
             OR t.after_state LIKE ? ESCAPE '\\')",
            &[workspace_id, account_id, &pattern, &pattern],
        )?,
    );
    out.insert(
        "idempotency_keys",
        rows_as_json(
            conn,
            "idempotency_keys",
            "t.workspace_id = ? AND t.response LIKE ? ESCAPE '\\'",
            &[workspace_id, &pattern],
        )?,
    );
    Ok(out)
}

/// The account's row whatever its state (live, deleted or erased): its erasure time.
pub fn erased_at(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Option<Option<NaiveDateTime>>> {
    accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::id.eq(account_id))
        .select(accounts::erased_at)
        .get_result(conn)
        .optional()
}

/// The ids of the account's rows that other rows (audit entries, events) name, by table.
pub fn related_ids(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<BTreeMap<&'static str, Vec<String>>> {
    macro_rules! ids {
        ($t:ident) => {
            $t::table
                .filter($t::workspace_id.eq(workspace_id))
                .filter($t::account_id.eq(account_id))
                .select($t::id)
                .load::<String>(conn)?
        };
    }
    let mut out = BTreeMap::new();
    out.insert("accounts", vec![account_id.to_owned()]);
    out.insert("contacts", ids!(contacts));
    out.insert("interactions", ids!(interactions));
    out.insert("deals", ids!(deals));
    out.insert("orders", ids!(orders));
    out.insert("feedback_responses", ids!(feedback_responses));
    out.insert("complaints", ids!(complaints));
    out.insert("loyalty_redemptions", ids!(loyalty_redemptions));
    out.insert("loyalty_entries", ids!(loyalty_entries));
    Ok(out)
}

/// The personal strings stored on the account and its contacts (name, e-mails, phones,
/// external id), as stored: what copies elsewhere are searched for.
pub fn identifying_strings(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Vec<String>> {
    let mut out = Vec::new();
    let account: Option<(String, String, String, Option<String>)> = accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::id.eq(account_id))
        .select((
            accounts::name,
            accounts::emails,
            accounts::phones,
            accounts::external_id,
        ))
        .get_result(conn)
        .optional()?;
    if let Some((name, emails, phones, external_id)) = account {
        out.push(name);
        for list in [emails, phones] {
            out.extend(serde_json::from_str::<Vec<String>>(&list).unwrap_or_default());
        }
        out.extend(external_id);
    }
    let people: Vec<(String, Option<String>, Option<String>)> = contacts::table
        .filter(contacts::workspace_id.eq(workspace_id))
        .filter(contacts::account_id.eq(account_id))
        .select((contacts::name, contacts::email, contacts::phone))
        .load(conn)?;
    for (name, email, phone) in people {
        out.push(name);
        out.extend(email);
        out.extend(phone);
    }
    out.retain(|s| s != ERASED);
    out.sort();
    out.dedup();
    Ok(out)
}

/// Clears the personal columns of the account's rows in every table of the catalogue and
/// marks the account erased (deleted accounts stay deleted; live ones stay counted in the
/// aggregates). `scrub_items` rewrites an order's line items without their names. Returns
/// the rows changed per table.
pub fn erase_rows(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    at: NaiveDateTime,
    scrub_items: &dyn Fn(&str) -> Option<String>,
) -> QueryResult<BTreeMap<&'static str, usize>> {
    let mut n = BTreeMap::new();
    let none = None::<String>;
    n.insert(
        "accounts",
        diesel::update(
            accounts::table
                .filter(accounts::workspace_id.eq(workspace_id))
                .filter(accounts::id.eq(account_id)),
        )
        .set((
            accounts::name.eq(ERASED),
            accounts::emails.eq("[]"),
            accounts::phones.eq("[]"),
            accounts::address.eq(&none),
            accounts::tags.eq("[]"),
            accounts::attributes.eq("{}"),
            accounts::external_id.eq(&none),
            accounts::erased_at.eq(Some(at)),
            accounts::updated_at.eq(at),
            accounts::version.eq(accounts::version + 1),
        ))
        .execute(conn)?,
    );
    n.insert(
        "account_tags",
        diesel::delete(
            account_tags::table
                .filter(account_tags::workspace_id.eq(workspace_id))
                .filter(account_tags::account_id.eq(account_id)),
        )
        .execute(conn)?,
    );
    n.insert(
        "account_search_terms",
        diesel::delete(
            account_search_terms::table
                .filter(account_search_terms::workspace_id.eq(workspace_id))
                .filter(account_search_terms::account_id.eq(account_id)),
        )
        .execute(conn)?,
    );
    // Consent history stays as the proof of each decision: channel, status, method, time.
    n.insert(
        "consent_events",
        diesel::update(
            consent_events::table
                .filter(consent_events::workspace_id.eq(workspace_id))
                .filter(consent_events::account_id.eq(account_id)),
        )
        .set(consent_events::source.eq(&none))
        .execute(conn)?,
    );
    n.insert(
        "contacts",
        diesel::update(
            contacts::table
                .filter(contacts::workspace_id.eq(workspace_id))
                .filter(contacts::account_id.eq(account_id)),
        )
        .set((
            contacts::name.eq(ERASED),
            contacts::title.eq(&none),
            contacts::email.eq(&none),
            contacts::phone.eq(&none),
            contacts::updated_at.eq(at),
        ))
        .execute(conn)?,
    );
    n.insert(
        "interactions",
        diesel::update(
            interactions::table
                .filter(interactions::workspace_id.eq(workspace_id))
                .filter(interactions::account_id.eq(account_id)),
        )
        .set((
            interactions::subject.eq(&none),
            interactions::body.eq(&none),
            interactions::updated_at.eq(at),
        ))
        .execute(conn)?,
    );
    let deal_ids = deals::table
        .filter(deals::workspace_id.eq(workspace_id))
        .filter(deals::account_id.eq(account_id))
        .select(deals::id);
    n.insert(
        "deal_stage_changes",
        diesel::update(
            deal_stage_changes::table
                .filter(deal_stage_changes::workspace_id.eq(workspace_id))
                .filter(deal_stage_changes::deal_id.eq_any(deal_ids)),
        )
        .set(deal_stage_changes::lost_reason.eq(&none))
        .execute(conn)?,
    );
    n.insert(
        "deals",
        diesel::update(
            deals::table
                .filter(deals::workspace_id.eq(workspace_id))
                .filter(deals::account_id.eq(account_id)),
        )
        .set((deals::title.eq(ERASED), deals::lost_reason.eq(&none)))
        .execute(conn)?,
    );
    let order_items: Vec<(String, String)> = orders::table
        .filter(orders::workspace_id.eq(workspace_id))
        .filter(orders::account_id.eq(account_id))
        .select((orders::id, orders::items))
        .load(conn)?;
    let mut changed = 0;
    for (id, items) in order_items {
        if let Some(scrubbed) = scrub_items(&items) {
            changed += diesel::update(orders::table.filter(orders::id.eq(&id)))
                .set(orders::items.eq(scrubbed))
                .execute(conn)?;
        }
    }
    n.insert("orders", changed);
    let order_ids = orders::table
        .filter(orders::workspace_id.eq(workspace_id))
        .filter(orders::account_id.eq(account_id))
        .select(orders::id);
    n.insert(
        "order_refunds",
        diesel::update(
            order_refunds::table
                .filter(order_refunds::workspace_id.eq(workspace_id))
                .filter(order_refunds::order_id.eq_any(order_ids))
                .filter(order_refunds::reason.is_not_null()),
        )
        .set(order_refunds::reason.eq(&none))
        .execute(conn)?,
    );
    n.insert(
        "loyalty_entries",
        diesel::update(
            loyalty_entries::table
                .filter(loyalty_entries::workspace_id.eq(workspace_id))
                .filter(loyalty_entries::account_id.eq(account_id))
                .filter(loyalty_entries::reason.is_not_null()),
        )
        .set(loyalty_entries::reason.eq(&none))
        .execute(conn)?,
    );
    n.insert(
        "loyalty_redemptions",
        diesel::update(
            loyalty_redemptions::table
                .filter(loyalty_redemptions::workspace_id.eq(workspace_id))
                .filter(loyalty_redemptions::account_id.eq(account_id)),
        )
        .set((
            loyalty_redemptions::note.eq(&none),
            loyalty_redemptions::cancel_reason.eq(&none),
        ))
        .execute(conn)?,
    );
    n.insert(
        "feedback_responses",
        diesel::update(
            feedback_responses::table
                .filter(feedback_responses::workspace_id.eq(workspace_id))
                .filter(feedback_responses::account_id.eq(account_id))
                .filter(feedback_responses::comment.is_not_null()),
        )
        .set(feedback_responses::comment.eq(&none))
        .execute(conn)?,
    );
    let complaint_ids: Vec<String> = complaints::table
        .filter(complaints::workspace_id.eq(workspace_id))
        .filter(complaints::account_id.eq(account_id))
        .select(complaints::id)
        .load(conn)?;
    n.insert(
        "complaint_history",
        diesel::update(
            complaint_history::table
                .filter(complaint_history::workspace_id.eq(workspace_id))
                .filter(complaint_history::complaint_id.eq_any(&complaint_ids))
                .filter(complaint_history::body.is_not_null()),
        )
        .set(complaint_history::body.eq(&none))
        .execute(conn)?,
    );
    n.insert(
        "complaints",
        diesel::update(
            complaints::table
                .filter(complaints::workspace_id.eq(workspace_id))
                .filter(complaints::account_id.eq(account_id)),
        )
        .set((
            complaints::subject.eq(ERASED),
            complaints::description.eq(&none),
        ))
        .execute(conn)?,
    );
    let voucher_ids: Vec<String> = vouchers::table
        .filter(vouchers::workspace_id.eq(workspace_id))
        .filter(vouchers::account_id.eq(account_id))
        .select(vouchers::id)
        .load(conn)?;
    n.insert(
        "voucher_history",
        diesel::update(
            voucher_history::table
                .filter(voucher_history::workspace_id.eq(workspace_id))
                .filter(voucher_history::voucher_id.eq_any(&voucher_ids))
                .filter(voucher_history::reason.is_not_null()),
        )
        .set(voucher_history::reason.eq(&none))
        .execute(conn)?,
    );
    Ok(n)
}

/// Clears the product names of the workspace's recommendation catalogue (copied from order
/// lines) that contain one of `needles`. Returns how many.
pub fn clear_product_names(
    conn: &mut DbConn,
    workspace_id: &str,
    needles: &[String],
) -> QueryResult<usize> {
    let mut changed = 0;
    for needle in needles {
        changed += diesel::update(
            recommendation_items::table
                .filter(recommendation_items::workspace_id.eq(workspace_id))
                .filter(
                    recommendation_items::name
                        .like(like_containing(needle))
                        .escape('\\'),
                ),
        )
        .set(recommendation_items::name.eq(None::<String>))
        .execute(conn)?;
    }
    Ok(changed)
}

/// Rewrites the before and after states of the workspace's audit entries that are about
/// one of `resources` or whose states contain one of `needles`: `rewrite(state, about)`
/// answers the new state (`None`: unchanged), `about` telling an entry about one of
/// `resources`. Returns how many entries changed.
pub fn rewrite_audit(
    conn: &mut DbConn,
    workspace_id: &str,
    resources: &[String],
    needles: &[String],
    rewrite: &dyn Fn(&str, bool) -> Option<String>,
) -> QueryResult<usize> {
    type Entry = (String, Option<String>, Option<String>, Option<String>);
    let mut found: BTreeMap<String, Entry> = BTreeMap::new();
    for chunk in resources.chunks(500) {
        let rows: Vec<Entry> = audit_log::table
            .filter(audit_log::workspace_id.eq(workspace_id))
            .filter(audit_log::resource_id.eq_any(chunk))
            .select((
                audit_log::id,
                audit_log::resource_id,
                audit_log::before_state,
                audit_log::after_state,
            ))
            .load(conn)?;
        found.extend(rows.into_iter().map(|r| (r.0.clone(), r)));
    }
    for needle in needles {
        let pattern = like_containing(needle);
        let rows: Vec<Entry> = audit_log::table
            .filter(audit_log::workspace_id.eq(workspace_id))
            .filter(
                audit_log::before_state
                    .like(&pattern)
                    .escape('\\')
                    .or(audit_log::after_state.like(&pattern).escape('\\')),
            )
            .select((
                audit_log::id,
                audit_log::resource_id,
                audit_log::before_state,
                audit_log::after_state,
            ))
            .load(conn)?;
        found.extend(rows.into_iter().map(|r| (r.0.clone(), r)));
    }
    let mut changed = 0;
    for (id, resource, before, after) in found.into_values() {
        let about = resource.as_ref().is_some_and(|r| resources.contains(r));
        let new_before = before.as_deref().and_then(|s| rewrite(s, about));
        let new_after = after.as_deref().and_then(|s| rewrite(s, about));
        if new_before.is_none() && new_after.is_none() {
            continue;
        }
        changed += diesel::update(audit_log::table.filter(audit_log::id.eq(&id)))
            .set((
                audit_log::before_state.eq(new_before.or(before)),
                audit_log::after_state.eq(new_after.or(after)),
            ))
            .execute(conn)?;
    }
    Ok(changed)
}

/// Rewrites the stored idempotent answers of the workspace that contain one of `needles`
/// (`None` from `rewrite`: unchanged). Returns how many changed.
pub fn rewrite_idempotent_answers(
    conn: &mut DbConn,
    workspace_id: &str,
    needles: &[String],
    rewrite: &dyn Fn(&str) -> Option<String>,
) -> QueryResult<usize> {
    let mut found: BTreeMap<String, String> = BTreeMap::new();
    for needle in needles {
        let rows: Vec<(String, String)> = idempotency_keys::table
            .filter(idempotency_keys::workspace_id.eq(workspace_id))
            .filter(
                idempotency_keys::response
                    .like(like_containing(needle))
                    .escape('\\'),
            )
            .select((idempotency_keys::key, idempotency_keys::response))
            .load(conn)?;
        found.extend(rows);
    }
    let mut changed = 0;
    for (key, response) in found {
        if let Some(new) = rewrite(&response) {
            changed += diesel::update(
                idempotency_keys::table
                    .filter(idempotency_keys::workspace_id.eq(workspace_id))
                    .filter(idempotency_keys::key.eq(&key)),
            )
            .set(idempotency_keys::response.eq(new))
            .execute(conn)?;
        }
    }
    Ok(changed)
}

/// Soft-deleted accounts of every workspace whose retention period has passed at `at`
/// (deleted more than the workspace's `soft_deleted_days` ago) and not erased yet, up to
/// `limit`: (workspace, account).
pub fn past_retention(
    conn: &mut DbConn,
    at: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<(String, String)>> {
    let settings: Vec<(String, Option<i32>)> = privacy_settings::table
        .filter(privacy_settings::soft_deleted_days.is_not_null())
        .select((
            privacy_settings::workspace_id,
            privacy_settings::soft_deleted_days,
        ))
        .load(conn)?;
    let mut out = Vec::new();
    for (ws, days) in settings {
        let Some(days) = days else { continue };
        let Some(before) = chrono::Duration::try_days(i64::from(days)).map(|d| at - d) else {
            continue;
        };
        let ids: Vec<String> = accounts::table
            .filter(accounts::workspace_id.eq(&ws))
            .filter(accounts::deleted_at.lt(before))
            .filter(accounts::erased_at.is_null())
            .order(accounts::id.asc())
            .limit(limit)
            .select(accounts::id)
            .load(conn)?;
        out.extend(ids.into_iter().map(|id| (ws.clone(), id)));
    }
    Ok(out)
}

/// The workspace's privacy settings row.
#[derive(Debug, Clone, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = privacy_settings, treat_none_as_null = true)]
pub struct PrivacySettingsRow {
    pub workspace_id: String,
    pub soft_deleted_days: Option<i32>,
    pub version: i64,
    pub updated_at: NaiveDateTime,
    pub export_retention_hours: Option<i32>,
}

pub fn settings(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Option<PrivacySettingsRow>> {
    privacy_settings::table
        .filter(privacy_settings::workspace_id.eq(workspace_id))
        .select(PrivacySettingsRow::as_select())
        .get_result(conn)
        .optional()
}

pub fn insert_settings(conn: &mut DbConn, row: &PrivacySettingsRow) -> QueryResult<()> {
    diesel::insert_into(privacy_settings::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// Replaces the settings when their version is still `expected_version`; rows changed.
pub fn update_settings(
    conn: &mut DbConn,
    row: &PrivacySettingsRow,
    expected_version: i64,
) -> QueryResult<usize> {
    diesel::update(
        privacy_settings::table
            .filter(privacy_settings::workspace_id.eq(&row.workspace_id))
            .filter(privacy_settings::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tables `schema.rs` declares with an `account_id` column.
    fn tables_with_account_id() -> Vec<String> {
        let schema = include_str!("schema.rs");
        let mut out = Vec::new();
        let mut table: Option<String> = None;
        for line in schema.lines() {
            let t = line.trim();
            if let Some(head) = t.strip_suffix('{').map(str::trim) {
                if let Some((name, _)) = head.split_once(' ') {
                    if head.contains('(') {
                        table = Some(name.to_owned());
                    }
                }
            }
            if t.starts_with("account_id ->") {
                if let Some(name) = &table {
                    out.push(name.clone());
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }

    #[test]
    fn every_table_with_an_account_id_is_in_the_catalogue() {
        let declared = tables_with_account_id();
        assert!(declared.len() >= 20, "schema parse found {declared:?}");
        let mut covered: Vec<String> = ACCOUNT_TABLES
            .iter()
            .map(|(t, _)| (*t).to_owned())
            .collect();
        covered.sort();
        assert_eq!(
            declared, covered,
            "a table with an account_id column must be in privacy::ACCOUNT_TABLES (personal \
             data access and erasure)"
        );
    }

    #[test]
    fn child_tables_name_a_catalogued_parent() {
        for (table, _, parent, _) in CHILD_TABLES {
            assert!(
                ACCOUNT_TABLES.iter().any(|(t, _)| t == parent),
                "{table}: parent {parent} not in the catalogue"
            );
        }
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_containing("a_b%c"), "%a\\_b\\%c%");
    }
}
