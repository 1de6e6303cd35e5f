//! Accounts (customers), their tags and search terms, lifecycle history and consent events.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{
    account_lifecycle_changes, account_search_terms, account_tags, accounts, consent_events,
};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
// `None` inserts NULL rather than DEFAULT (no column has a default): Diesel then writes many
// rows in one statement on SQLite too, where DEFAULT would make it insert them one by one.
#[diesel(
    table_name = accounts,
    treat_none_as_null = true,
    treat_none_as_default_value = false
)]
pub struct AccountRow {
    pub id: String,
    pub workspace_id: String,
    pub kind: String,
    pub name: String,
    /// JSON array of normalised e-mails.
    pub emails: String,
    /// JSON array of normalised phones.
    pub phones: String,
    /// JSON object, or none.
    pub address: Option<String>,
    /// JSON array of lower-case tags (also in `account_tags`, for filtering).
    pub tags: String,
    /// JSON object of custom fields.
    pub attributes: String,
    pub lifecycle_stage: String,
    pub owner_id: Option<String>,
    pub acquisition_channel: Option<String>,
    pub acquisition_cost_amount: Option<i64>,
    pub acquisition_cost_currency: Option<String>,
    /// JSON object: channel -> current consent state.
    pub marketing_consent: String,
    pub external_id: Option<String>,
    pub version: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = account_lifecycle_changes, treat_none_as_default_value = false)]
pub struct LifecycleChangeRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub changed_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable)]
#[diesel(table_name = consent_events, treat_none_as_default_value = false)]
pub struct ConsentEventRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub channel: String,
    pub status: String,
    pub method: Option<String>,
    pub source: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub recorded_at: NaiveDateTime,
}

/// Which accounts a list returns. Every field narrows; none = all live accounts.
#[derive(Debug, Default, Clone)]
pub struct AccountFilter {
    pub kind: Option<String>,
    pub lifecycle_stage: Option<String>,
    pub tag: Option<String>,
    pub owner_id: Option<String>,
    pub external_id: Option<String>,
    /// A normalised search prefix (see `rapport_domain::crm::normalise_query`).
    pub search: Option<String>,
    pub created_after: Option<NaiveDateTime>,
    pub created_before: Option<NaiveDateTime>,
    pub updated_after: Option<NaiveDateTime>,
    pub updated_before: Option<NaiveDateTime>,
    /// A segment's compiled rule.
    pub rule: Option<crate::segments::RuleFilter>,
}

/// The order of a list and where the page starts: after the row with this key and id.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountOrder {
    Id {
        after: Option<String>,
    },
    Name {
        descending: bool,
        after: Option<(String, String)>,
    },
    CreatedAt {
        descending: bool,
        after: Option<(NaiveDateTime, String)>,
    },
    UpdatedAt {
        descending: bool,
        after: Option<(NaiveDateTime, String)>,
    },
}

pub fn insert(conn: &mut DbConn, row: &AccountRow) -> QueryResult<()> {
    diesel::insert_into(accounts::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

/// A live (neither deleted nor erased) account of the workspace.
pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::id.eq(id))
        .filter(accounts::deleted_at.is_null())
        .filter(accounts::erased_at.is_null())
        .select(AccountRow::as_select())
        .get_result(conn)
        .optional()
}

/// Live accounts among `ids` (for loaders).
pub fn find_many(
    conn: &mut DbConn,
    workspace_id: &str,
    ids: &[String],
) -> QueryResult<Vec<AccountRow>> {
    accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::id.eq_any(ids))
        .filter(accounts::deleted_at.is_null())
        .filter(accounts::erased_at.is_null())
        .select(AccountRow::as_select())
        .load(conn)
}

/// The account with this external id, deleted or not (an upsert revives a deleted one).
pub fn find_by_external_id(
    conn: &mut DbConn,
    workspace_id: &str,
    external_id: &str,
) -> QueryResult<Option<AccountRow>> {
    accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::external_id.eq(external_id))
        .select(AccountRow::as_select())
        .get_result(conn)
        .optional()
}

/// The accounts with these external ids, deleted or not (a batch upsert's one lookup).
pub fn find_by_external_ids(
    conn: &mut DbConn,
    workspace_id: &str,
    external_ids: &[String],
) -> QueryResult<Vec<AccountRow>> {
    let mut found = Vec::new();
    for chunk in external_ids.chunks(1000) {
        found.extend(
            accounts::table
                .filter(accounts::workspace_id.eq(workspace_id))
                .filter(accounts::external_id.eq_any(chunk))
                .select(AccountRow::as_select())
                .load(conn)?,
        );
    }
    Ok(found)
}

/// Inserts accounts in multi-row statements.
pub fn insert_many(conn: &mut DbConn, rows: &[AccountRow]) -> QueryResult<()> {
    // SQLite binds at most 32,766 parameters per statement: 20 per row.
    for chunk in rows.chunks(1000) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(accounts::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// The tag and search-term rows of many accounts at once: those of `replaced` (accounts of
/// the workspace already indexed) are deleted first, then `tags` and `terms` (account id,
/// value) inserted.
pub fn replace_index_rows_many(
    conn: &mut DbConn,
    workspace_id: &str,
    replaced: &[String],
    tags: &[(String, String)],
    terms: &[(String, String)],
) -> QueryResult<()> {
    // By account id alone (ids of the caller's workspace): the primary key is then the only
    // index that fits, whatever the statistics say (with `workspace_id` too, a plan made on
    // young statistics may scan the workspace's rows through the `_by_tag`/`_by_term` index).
    for chunk in replaced.chunks(1000) {
        diesel::delete(account_tags::table.filter(account_tags::account_id.eq_any(chunk)))
            .execute(conn)?;
        diesel::delete(
            account_search_terms::table.filter(account_search_terms::account_id.eq_any(chunk)),
        )
        .execute(conn)?;
    }
    // 3 parameters per row.
    for chunk in tags.chunks(5000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(account, tag)| {
                (
                    account_tags::workspace_id.eq(workspace_id),
                    account_tags::account_id.eq(account),
                    account_tags::tag.eq(tag),
                )
            })
            .collect();
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(account_tags::table)
            .values(&rows)
            .execute(c))?;
    }
    for chunk in terms.chunks(5000) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(account, term)| {
                (
                    account_search_terms::workspace_id.eq(workspace_id),
                    account_search_terms::account_id.eq(account),
                    account_search_terms::term.eq(term),
                )
            })
            .collect();
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(
            account_search_terms::table
        )
        .values(&rows)
        .execute(c))?;
    }
    Ok(())
}

/// Writes `row` over the stored account when its version is still `expected_version`;
/// returns the number of rows changed (0 = gone or changed meanwhile).
pub fn update(conn: &mut DbConn, row: &AccountRow, expected_version: i64) -> QueryResult<usize> {
    diesel::update(
        accounts::table
            .filter(accounts::workspace_id.eq(&row.workspace_id))
            .filter(accounts::id.eq(&row.id))
            .filter(accounts::version.eq(expected_version)),
    )
    .set(row)
    .execute(conn)
}

/// Keeps `account_tags` and `account_search_terms` equal to the account's fields.
pub fn replace_index_rows(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    tags: &[String],
    terms: &[String],
) -> QueryResult<()> {
    diesel::delete(account_tags::table.filter(account_tags::account_id.eq(account_id)))
        .execute(conn)?;
    diesel::delete(
        account_search_terms::table.filter(account_search_terms::account_id.eq(account_id)),
    )
    .execute(conn)?;
    if !tags.is_empty() {
        let rows: Vec<_> = tags
            .iter()
            .map(|t| {
                (
                    account_tags::workspace_id.eq(workspace_id),
                    account_tags::account_id.eq(account_id),
                    account_tags::tag.eq(t),
                )
            })
            .collect();
        // Multi-row inserts differ per backend (SQLite has no DEFAULT keyword).
        crate::per_backend!(conn, |c| diesel::insert_into(account_tags::table)
            .values(&rows)
            .execute(c))?;
    }
    if !terms.is_empty() {
        let rows: Vec<_> = terms
            .iter()
            .map(|t| {
                (
                    account_search_terms::workspace_id.eq(workspace_id),
                    account_search_terms::account_id.eq(account_id),
                    account_search_terms::term.eq(t),
                )
            })
            .collect();
        crate::per_backend!(conn, |c| diesel::insert_into(account_search_terms::table)
            .values(&rows)
            .execute(c))?;
    }
    Ok(())
}

pub fn insert_lifecycle_changes(conn: &mut DbConn, rows: &[LifecycleChangeRow]) -> QueryResult<()> {
    // 8 parameters per row.
    for chunk in rows.chunks(2000) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(
            account_lifecycle_changes::table
        )
        .values(chunk)
        .execute(c))?;
    }
    Ok(())
}

pub fn lifecycle_changes(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Vec<LifecycleChangeRow>> {
    account_lifecycle_changes::table
        .filter(account_lifecycle_changes::workspace_id.eq(workspace_id))
        .filter(account_lifecycle_changes::account_id.eq(account_id))
        .order(account_lifecycle_changes::id.asc())
        .select(LifecycleChangeRow::as_select())
        .load(conn)
}

pub fn insert_consent_events(conn: &mut DbConn, rows: &[ConsentEventRow]) -> QueryResult<()> {
    // 11 parameters per row.
    for chunk in rows.chunks(2000) {
        crate::per_backend!(&mut *conn, |c| diesel::insert_into(consent_events::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

pub fn consent_events(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Vec<ConsentEventRow>> {
    consent_events::table
        .filter(consent_events::workspace_id.eq(workspace_id))
        .filter(consent_events::account_id.eq(account_id))
        .order(consent_events::id.asc())
        .select(ConsentEventRow::as_select())
        .load(conn)
}

/// One page of live accounts: `limit` rows in `order`, after its cursor.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    filter: &AccountFilter,
    order: &AccountOrder,
    limit: i64,
) -> QueryResult<Vec<AccountRow>> {
    let mut query = accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::deleted_at.is_null())
        .filter(accounts::erased_at.is_null())
        .select(AccountRow::as_select())
        .limit(limit)
        .into_boxed();
    if let Some(v) = &filter.kind {
        query = query.filter(accounts::kind.eq(v.clone()));
    }
    if let Some(v) = &filter.lifecycle_stage {
        query = query.filter(accounts::lifecycle_stage.eq(v.clone()));
    }
    if let Some(v) = &filter.owner_id {
        query = query.filter(accounts::owner_id.eq(v.clone()));
    }
    if let Some(v) = &filter.external_id {
        query = query.filter(accounts::external_id.eq(v.clone()));
    }
    if let Some(v) = filter.created_after {
        query = query.filter(accounts::created_at.ge(v));
    }
    if let Some(v) = filter.created_before {
        query = query.filter(accounts::created_at.lt(v));
    }
    if let Some(v) = filter.updated_after {
        query = query.filter(accounts::updated_at.ge(v));
    }
    if let Some(v) = filter.updated_before {
        query = query.filter(accounts::updated_at.lt(v));
    }
    if let Some(rule) = &filter.rule {
        query = query.filter(rule.clone());
    }
    if let Some(tag) = &filter.tag {
        query = query.filter(
            accounts::id.eq_any(
                account_tags::table
                    .filter(account_tags::workspace_id.eq(workspace_id.to_owned()))
                    .filter(account_tags::tag.eq(tag.clone()))
                    .select(account_tags::account_id),
            ),
        );
    }
    if let Some(prefix) = &filter.search {
        // Every term starting with `prefix` sorts between it and `prefix` + the largest
        // character: an index range scan on both backends (byte order: COLLATE "C").
        let upper = format!("{prefix}\u{10FFFF}");
        query = query.filter(
            accounts::id.eq_any(
                account_search_terms::table
                    .filter(account_search_terms::workspace_id.eq(workspace_id.to_owned()))
                    .filter(account_search_terms::term.ge(prefix.clone()))
                    .filter(account_search_terms::term.lt(upper))
                    .select(account_search_terms::account_id),
            ),
        );
    }
    query = match order {
        AccountOrder::Id { after } => {
            if let Some(after) = after {
                query = query.filter(accounts::id.gt(after.clone()));
            }
            query.order(accounts::id.asc())
        }
        AccountOrder::Name { descending, after } => {
            if let Some((name, id)) = after.clone() {
                query = if *descending {
                    query.filter(
                        accounts::name
                            .lt(name.clone())
                            .or(accounts::name.eq(name).and(accounts::id.lt(id))),
                    )
                } else {
                    query.filter(
                        accounts::name
                            .gt(name.clone())
                            .or(accounts::name.eq(name).and(accounts::id.gt(id))),
                    )
                };
            }
            if *descending {
                query.order((accounts::name.desc(), accounts::id.desc()))
            } else {
                query.order((accounts::name.asc(), accounts::id.asc()))
            }
        }
        AccountOrder::CreatedAt { descending, after } => {
            if let Some((at, id)) = after.clone() {
                query = if *descending {
                    query.filter(
                        accounts::created_at
                            .lt(at)
                            .or(accounts::created_at.eq(at).and(accounts::id.lt(id))),
                    )
                } else {
                    query.filter(
                        accounts::created_at
                            .gt(at)
                            .or(accounts::created_at.eq(at).and(accounts::id.gt(id))),
                    )
                };
            }
            if *descending {
                query.order((accounts::created_at.desc(), accounts::id.desc()))
            } else {
                query.order((accounts::created_at.asc(), accounts::id.asc()))
            }
        }
        AccountOrder::UpdatedAt { descending, after } => {
            if let Some((at, id)) = after.clone() {
                query = if *descending {
                    query.filter(
                        accounts::updated_at
                            .lt(at)
                            .or(accounts::updated_at.eq(at).and(accounts::id.lt(id))),
                    )
                } else {
                    query.filter(
                        accounts::updated_at
                            .gt(at)
                            .or(accounts::updated_at.eq(at).and(accounts::id.gt(id))),
                    )
                };
            }
            if *descending {
                query.order((accounts::updated_at.desc(), accounts::id.desc()))
            } else {
                query.order((accounts::updated_at.asc(), accounts::id.asc()))
            }
        }
    };
    query.load(conn)
}
