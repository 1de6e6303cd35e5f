//! Survey responses (NPS, CSAT, CES) and each account's latest scores. Reads join live
//! accounts: a deleted account's responses are gone with it.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{account_satisfaction, feedback_responses};

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = feedback_responses)]
pub struct FeedbackRow {
    pub id: String,
    pub workspace_id: String,
    pub account_id: String,
    pub external_id: Option<String>,
    pub nps: Option<i32>,
    pub nps_category: Option<String>,
    pub csat: Option<i32>,
    pub ces: Option<i32>,
    pub touchpoint: String,
    pub channel: Option<String>,
    pub order_id: Option<String>,
    pub interaction_id: Option<String>,
    pub comment: Option<String>,
    pub occurred_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
}

/// Which responses a list returns. Every field narrows.
#[derive(Debug, Default, Clone)]
pub struct FeedbackFilter {
    pub account_id: Option<String>,
    pub touchpoint: Option<String>,
    pub channel: Option<String>,
    pub nps_category: Option<String>,
    pub external_id: Option<String>,
    pub occurred_after: Option<NaiveDateTime>,
    pub occurred_before: Option<NaiveDateTime>,
}

pub fn insert_many(conn: &mut DbConn, rows: &[FeedbackRow]) -> QueryResult<()> {
    // Chunks keep each statement under SQLite's bound-parameter limit.
    for chunk in rows.chunks(500) {
        crate::per_backend!(conn, |c| diesel::insert_into(feedback_responses::table)
            .values(chunk)
            .execute(c))?;
    }
    Ok(())
}

/// `(external_id, id)` of the workspace's responses with these external ids.
pub fn existing_external_ids(
    conn: &mut DbConn,
    workspace_id: &str,
    external_ids: &[&str],
) -> QueryResult<Vec<(String, String)>> {
    let mut out = Vec::new();
    for chunk in external_ids.chunks(500) {
        let rows: Vec<(Option<String>, String)> = feedback_responses::table
            .filter(feedback_responses::workspace_id.eq(workspace_id))
            .filter(feedback_responses::external_id.eq_any(chunk))
            .select((feedback_responses::external_id, feedback_responses::id))
            .load(conn)?;
        out.extend(rows.into_iter().filter_map(|(e, id)| e.map(|e| (e, id))));
    }
    Ok(out)
}

/// A response of a live account of the workspace.
pub fn find(conn: &mut DbConn, workspace_id: &str, id: &str) -> QueryResult<Option<FeedbackRow>> {
    of_live_accounts!(feedback_responses::table)
        .filter(feedback_responses::workspace_id.eq(workspace_id))
        .filter(feedback_responses::id.eq(id))
        .select(FeedbackRow::as_select())
        .get_result(conn)
        .optional()
}

/// One page of responses, newest first (`occurred_at`, then id), after the key `after`.
pub fn list(
    conn: &mut DbConn,
    workspace_id: &str,
    filter: &FeedbackFilter,
    after: Option<(NaiveDateTime, String)>,
    limit: i64,
) -> QueryResult<Vec<FeedbackRow>> {
    let mut query = of_live_accounts!(feedback_responses::table)
        .filter(feedback_responses::workspace_id.eq(workspace_id))
        .select(FeedbackRow::as_select())
        .order((
            feedback_responses::occurred_at.desc(),
            feedback_responses::id.desc(),
        ))
        .limit(limit)
        .into_boxed();
    if let Some(v) = &filter.account_id {
        query = query.filter(feedback_responses::account_id.eq(v.clone()));
    }
    if let Some(v) = &filter.touchpoint {
        query = query.filter(feedback_responses::touchpoint.eq(v.clone()));
    }
    if let Some(v) = &filter.channel {
        query = query.filter(feedback_responses::channel.eq(v.clone()));
    }
    if let Some(v) = &filter.nps_category {
        query = query.filter(feedback_responses::nps_category.eq(v.clone()));
    }
    if let Some(v) = &filter.external_id {
        query = query.filter(feedback_responses::external_id.eq(v.clone()));
    }
    if let Some(v) = filter.occurred_after {
        query = query.filter(feedback_responses::occurred_at.ge(v));
    }
    if let Some(v) = filter.occurred_before {
        query = query.filter(feedback_responses::occurred_at.lt(v));
    }
    if let Some((at, id)) = after {
        query = query.filter(
            feedback_responses::occurred_at
                .lt(at)
                .or(feedback_responses::occurred_at
                    .eq(at)
                    .and(feedback_responses::id.lt(id))),
        );
    }
    query.load(conn)
}

/// An account's latest scores.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = account_satisfaction, treat_none_as_null = true)]
pub struct SatisfactionRow {
    pub workspace_id: String,
    pub account_id: String,
    pub nps: Option<i32>,
    pub nps_category: Option<String>,
    pub nps_at: Option<NaiveDateTime>,
    pub csat: Option<i32>,
    pub csat_at: Option<NaiveDateTime>,
    pub ces: Option<i32>,
    pub ces_at: Option<NaiveDateTime>,
    pub responses: i64,
    pub last_response_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn find_satisfaction(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Option<SatisfactionRow>> {
    account_satisfaction::table
        .filter(account_satisfaction::workspace_id.eq(workspace_id))
        .filter(account_satisfaction::account_id.eq(account_id))
        .select(SatisfactionRow::as_select())
        .get_result(conn)
        .optional()
}

/// Locks the account's scores row (PostgreSQL) and reads it; writers of one account's
/// scores take it in account order.
pub fn lock_satisfaction(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Option<SatisfactionRow>> {
    let query = account_satisfaction::table
        .filter(account_satisfaction::workspace_id.eq(workspace_id))
        .filter(account_satisfaction::account_id.eq(account_id));
    match conn {
        DbConn::Pg(c) => query
            .select(SatisfactionRow::as_select())
            .for_update()
            .get_result(c)
            .optional(),
        DbConn::Sqlite(c) => query
            .select(SatisfactionRow::as_select())
            .get_result(c)
            .optional(),
    }
}

pub fn insert_satisfaction(conn: &mut DbConn, row: &SatisfactionRow) -> QueryResult<()> {
    diesel::insert_into(account_satisfaction::table)
        .values(row)
        .execute(conn)
        .map(|_| ())
}

pub fn update_satisfaction(conn: &mut DbConn, row: &SatisfactionRow) -> QueryResult<usize> {
    diesel::update(
        account_satisfaction::table
            .filter(account_satisfaction::workspace_id.eq(&row.workspace_id))
            .filter(account_satisfaction::account_id.eq(&row.account_id)),
    )
    .set(row)
    .execute(conn)
}
