//! Merging accounts: moving an account's rows to another account of the workspace, the
//! `merged_into` redirect, and the duplicate candidates' facts.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::connection::DbConn;
use crate::schema::{
    account_metrics, account_predictions, account_purchase_days, account_satisfaction, accounts,
    campaign_exposures, campaign_members, complaints, consent_events, contacts, deals,
    feedback_responses, interactions, loyalty_entries, loyalty_lots, loyalty_members,
    loyalty_redemptions, orders, vouchers,
};

/// What a workspace's account row says about merging: `None` = no account with this id in
/// the workspace (live or not); `Some(None)` = not merged; `Some(Some(survivor))`.
pub fn merged_into(
    conn: &mut DbConn,
    workspace_id: &str,
    id: &str,
) -> QueryResult<Option<Option<String>>> {
    accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::id.eq(id))
        .select(accounts::merged_into)
        .get_result(conn)
        .optional()
}

/// Points `merged` at `survivor`, and every account that pointed at `merged` too (so a
/// redirect is always one hop).
pub fn set_merged_into(
    conn: &mut DbConn,
    workspace_id: &str,
    merged: &str,
    survivor: &str,
) -> QueryResult<()> {
    diesel::update(
        accounts::table
            .filter(accounts::workspace_id.eq(workspace_id))
            .filter(accounts::id.eq(merged).or(accounts::merged_into.eq(merged))),
    )
    .set(accounts::merged_into.eq(survivor))
    .execute(conn)?;
    Ok(())
}

/// Rows whose account simply changes: `UPDATE t SET account_id = to WHERE account_id = from`.
macro_rules! reassign {
    ($conn:expr, $ws:expr, $from:expr, $to:expr, $($table:ident),+ $(,)?) => {{
        let mut moved = 0usize;
        $(
            moved += diesel::update(
                $table::table
                    .filter($table::workspace_id.eq($ws))
                    .filter($table::account_id.eq($from)),
            )
            .set($table::account_id.eq($to))
            .execute($conn)?;
        )+
        QueryResult::Ok(moved)
    }};
}

/// Moves the history and records of `from` to `to` (tables with their own id: nothing can
/// collide). Returns how many rows moved.
pub fn move_owned_rows(
    conn: &mut DbConn,
    workspace_id: &str,
    from: &str,
    to: &str,
) -> QueryResult<usize> {
    reassign!(
        conn,
        workspace_id,
        from,
        to,
        contacts,
        interactions,
        deals,
        orders,
        consent_events,
        loyalty_lots,
        loyalty_entries,
        loyalty_redemptions,
        feedback_responses,
        complaints,
        vouchers,
    )
}

/// Moved contacts stop being primary when the survivor already has a primary contact.
pub fn demote_extra_primaries(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
    keep: &str,
) -> QueryResult<usize> {
    diesel::update(
        contacts::table
            .filter(contacts::workspace_id.eq(workspace_id))
            .filter(contacts::account_id.eq(account_id))
            .filter(contacts::is_primary.eq(true))
            .filter(contacts::id.ne(keep)),
    )
    .set(contacts::is_primary.eq(false))
    .execute(conn)
}

/// The id of the account's first live primary contact, if any.
pub fn primary_contact(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<Option<String>> {
    contacts::table
        .filter(contacts::workspace_id.eq(workspace_id))
        .filter(contacts::account_id.eq(account_id))
        .filter(contacts::is_primary.eq(true))
        .filter(contacts::deleted_at.is_null())
        .order(contacts::id.asc())
        .select(contacts::id)
        .first(conn)
        .optional()
}

/// Campaign membership and exposures move unless the survivor already holds the same key
/// (then the survivor's row wins: it was assigned its own arm). Segment memberships stay:
/// the pipeline re-evaluates the tracked segments of both accounts (the merged one leaves).
pub fn move_keyed_rows(
    conn: &mut DbConn,
    workspace_id: &str,
    from: &str,
    to: &str,
) -> QueryResult<()> {
    let held: Vec<String> = campaign_members::table
        .filter(campaign_members::workspace_id.eq(workspace_id))
        .filter(campaign_members::account_id.eq(to))
        .select(campaign_members::campaign_id)
        .load(conn)?;
    diesel::delete(
        campaign_members::table
            .filter(campaign_members::workspace_id.eq(workspace_id))
            .filter(campaign_members::account_id.eq(from))
            .filter(campaign_members::campaign_id.eq_any(&held)),
    )
    .execute(conn)?;
    diesel::update(
        campaign_members::table
            .filter(campaign_members::workspace_id.eq(workspace_id))
            .filter(campaign_members::account_id.eq(from)),
    )
    .set(campaign_members::account_id.eq(to))
    .execute(conn)?;

    let exposed: Vec<(String, String)> = campaign_exposures::table
        .filter(campaign_exposures::workspace_id.eq(workspace_id))
        .filter(campaign_exposures::account_id.eq(to))
        .select((campaign_exposures::campaign_id, campaign_exposures::outcome))
        .load(conn)?;
    for (campaign, outcome) in exposed {
        diesel::delete(
            campaign_exposures::table
                .filter(campaign_exposures::workspace_id.eq(workspace_id))
                .filter(campaign_exposures::account_id.eq(from))
                .filter(campaign_exposures::campaign_id.eq(campaign))
                .filter(campaign_exposures::outcome.eq(outcome)),
        )
        .execute(conn)?;
    }
    diesel::update(
        campaign_exposures::table
            .filter(campaign_exposures::workspace_id.eq(workspace_id))
            .filter(campaign_exposures::account_id.eq(from)),
    )
    .set(campaign_exposures::account_id.eq(to))
    .execute(conn)?;

    Ok(())
}

/// The derived value rows of a merged account (its purchase days, metrics and predictions
/// are recomputed on the survivor from the moved orders).
pub fn delete_value_rows(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<()> {
    diesel::delete(
        account_purchase_days::table
            .filter(account_purchase_days::workspace_id.eq(workspace_id))
            .filter(account_purchase_days::account_id.eq(account_id)),
    )
    .execute(conn)?;
    diesel::delete(
        account_metrics::table
            .filter(account_metrics::workspace_id.eq(workspace_id))
            .filter(account_metrics::account_id.eq(account_id)),
    )
    .execute(conn)?;
    diesel::delete(
        account_predictions::table
            .filter(account_predictions::workspace_id.eq(workspace_id))
            .filter(account_predictions::account_id.eq(account_id)),
    )
    .execute(conn)?;
    Ok(())
}

pub fn delete_satisfaction(
    conn: &mut DbConn,
    workspace_id: &str,
    account_id: &str,
) -> QueryResult<usize> {
    diesel::delete(
        account_satisfaction::table
            .filter(account_satisfaction::workspace_id.eq(workspace_id))
            .filter(account_satisfaction::account_id.eq(account_id)),
    )
    .execute(conn)
}

/// Gives `to` the loyalty membership of `from` when it has none (the caller has locked
/// both); returns whether it moved.
pub fn move_member(
    conn: &mut DbConn,
    workspace_id: &str,
    from: &str,
    to: &str,
) -> QueryResult<usize> {
    diesel::update(
        loyalty_members::table
            .filter(loyalty_members::workspace_id.eq(workspace_id))
            .filter(loyalty_members::account_id.eq(from)),
    )
    .set(loyalty_members::account_id.eq(to))
    .execute(conn)
}

/// Folds the member row of `from` into the survivor's: ledger sums add up, the higher tier
/// stays until the tier job next looks.
pub fn fold_member(
    conn: &mut DbConn,
    workspace_id: &str,
    from: &str,
    to: &str,
    ledger_sum: i64,
    tier: i32,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::update(
        loyalty_members::table
            .filter(loyalty_members::workspace_id.eq(workspace_id))
            .filter(loyalty_members::account_id.eq(to)),
    )
    .set((
        loyalty_members::ledger_sum.eq(loyalty_members::ledger_sum + ledger_sum),
        loyalty_members::tier.eq(tier),
        loyalty_members::version.eq(loyalty_members::version + 1),
        loyalty_members::updated_at.eq(at),
    ))
    .execute(conn)?;
    diesel::delete(
        loyalty_members::table
            .filter(loyalty_members::workspace_id.eq(workspace_id))
            .filter(loyalty_members::account_id.eq(from)),
    )
    .execute(conn)?;
    Ok(())
}

/// The purchase days (`day` numbers) of the given accounts.
pub fn purchase_days(
    conn: &mut DbConn,
    workspace_id: &str,
    account_ids: &[String],
) -> QueryResult<Vec<(String, i32)>> {
    account_purchase_days::table
        .filter(account_purchase_days::workspace_id.eq(workspace_id))
        .filter(account_purchase_days::account_id.eq_any(account_ids))
        .select((
            account_purchase_days::account_id,
            account_purchase_days::day,
        ))
        .load(conn)
}

/// What the duplicate finder reads of each live account: id, name, e-mails and phones
/// (JSON arrays), external id.
pub type AccountKeys = (String, String, String, String, Option<String>);

pub fn live_account_keys(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Vec<AccountKeys>> {
    accounts::table
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(accounts::deleted_at.is_null())
        .order(accounts::id.asc())
        .select((
            accounts::id,
            accounts::name,
            accounts::emails,
            accounts::phones,
            accounts::external_id,
        ))
        .load(conn)
}

/// What the duplicate finder reads of a contact: account id, e-mail, phone.
pub type ContactKeys = (String, Option<String>, Option<String>);

/// The keys of the live contacts of live accounts.
pub fn live_contact_keys(conn: &mut DbConn, workspace_id: &str) -> QueryResult<Vec<ContactKeys>> {
    contacts::table
        .inner_join(accounts::table.on(accounts::id.eq(contacts::account_id)))
        .filter(contacts::workspace_id.eq(workspace_id))
        .filter(accounts::workspace_id.eq(workspace_id))
        .filter(contacts::deleted_at.is_null())
        .filter(accounts::deleted_at.is_null())
        .filter(
            contacts::email
                .is_not_null()
                .or(contacts::phone.is_not_null()),
        )
        .select((contacts::account_id, contacts::email, contacts::phone))
        .load(conn)
}
