//! Feedback and complaints over GraphQL: the same use cases as `/v1/feedback` and
//! `/v1/complaints`.

use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result, ID};

use crate::graphql::outcomes::{fresh_or_replayed, idempotency};
use crate::graphql::scalars::Long;
use crate::graphql::{connection, gql, gql_in, principal, state};
use crate::service::complaints::resolve::{RefundCompensation, VoucherCompensation};
use crate::service::complaints::{
    self, AssignInput, Complaint, ComplaintInput, ComplaintQuery, ComplaintSettings, HistoryEntry,
    NoteInput, ReopenInput, Resolution, ResolveInput, StatusInput,
};
use crate::service::cursor;
use crate::service::feedback::{
    self, Feedback, FeedbackBatch, FeedbackBatchResult, FeedbackInput, FeedbackQuery as Filter,
};

fn feedback_cursor(f: &Feedback) -> String {
    cursor::encode_instant("occurred_at", f.occurred_at, &f.id)
}

fn complaint_cursor(c: &Complaint) -> String {
    cursor::encode_instant("opened_at", c.opened_at, &c.id)
}

/// `Account.feedback`.
pub async fn feedback_of_account(
    ctx: &Context<'_>,
    account_id: &str,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Connection<String, Feedback>> {
    let query = Filter {
        limit: first.map(i64::from),
        after,
        account_id: Some(account_id.to_owned()),
        ..Default::default()
    };
    let page = feedback::list(state(ctx)?, principal(ctx)?, query)
        .await
        .map_err(gql)?;
    Ok(connection(page, feedback_cursor))
}

/// `Account.complaints`.
pub async fn complaints_of_account(
    ctx: &Context<'_>,
    account_id: &str,
    first: Option<i32>,
    after: Option<String>,
) -> Result<Connection<String, Complaint>> {
    let query = ComplaintQuery {
        limit: first.map(i64::from),
        after,
        account_id: Some(account_id.to_owned()),
        ..Default::default()
    };
    let page = complaints::list(state(ctx)?, principal(ctx)?, query)
        .await
        .map_err(gql)?;
    Ok(connection(page, complaint_cursor))
}

#[derive(Default)]
pub struct FeedbackQuery;

#[Object]
impl FeedbackQuery {
    /// Survey responses, newest first, filtered (see `GET /v1/feedback`).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn feedback_responses(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        account_id: Option<ID>,
        touchpoint: Option<String>,
        channel: Option<String>,
        nps_category: Option<String>,
    ) -> Result<Connection<String, Feedback>> {
        let query = Filter {
            limit: first.map(i64::from),
            after,
            account_id: account_id.map(|id| id.0),
            touchpoint,
            channel,
            nps_category,
            ..Default::default()
        };
        let page = feedback::list(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, feedback_cursor))
    }

    /// One survey response.
    async fn feedback_response(&self, ctx: &Context<'_>, id: ID) -> Result<Feedback> {
        feedback::get(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }

    /// Complaints, newest first, filtered (see `GET /v1/complaints`).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "crate::graphql::limits::page(first, child_complexity)")]
    async fn complaints(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        account_id: Option<ID>,
        status: Option<String>,
        severity: Option<String>,
        category: Option<String>,
        owner_id: Option<ID>,
    ) -> Result<Connection<String, Complaint>> {
        let query = ComplaintQuery {
            limit: first.map(i64::from),
            after,
            account_id: account_id.map(|id| id.0),
            status,
            severity,
            category,
            owner_id: owner_id.map(|id| id.0),
            ..Default::default()
        };
        let page = complaints::list(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)?;
        Ok(connection(page, complaint_cursor))
    }

    /// One complaint, with its breach flags as of now.
    async fn complaint(&self, ctx: &Context<'_>, id: ID) -> Result<Complaint> {
        complaints::get(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }

    /// A complaint's timeline, oldest first.
    #[graphql(complexity = "crate::graphql::limits::list(child_complexity)")]
    async fn complaint_history(&self, ctx: &Context<'_>, id: ID) -> Result<Vec<HistoryEntry>> {
        complaints::timeline(state(ctx)?, principal(ctx)?, &id)
            .await
            .map_err(gql)
    }

    /// Satisfaction analytics (see `GET /v1/analytics/satisfaction`).
    async fn satisfaction_report(
        &self,
        ctx: &Context<'_>,
        period: Option<String>,
        from: Option<String>,
        to: Option<String>,
        detractors_limit: Option<i32>,
    ) -> Result<crate::service::satisfaction::SatisfactionReport> {
        let query = crate::service::satisfaction::SatisfactionQuery {
            period,
            from,
            to,
            detractors_limit: detractors_limit.map(i64::from),
        };
        crate::service::satisfaction::report(state(ctx)?, principal(ctx)?, query)
            .await
            .map_err(gql)
    }

    /// The workspace's complaint settings.
    async fn complaint_settings(&self, ctx: &Context<'_>) -> Result<ComplaintSettings> {
        complaints::settings(state(ctx)?, principal(ctx)?)
            .await
            .map_err(gql)
    }
}

/// A complaint's resolution (see `POST /v1/complaints/{id}/resolve`).
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ResolveComplaintInput {
    /// Required: what was done.
    pub outcome: Option<String>,
    /// Loyalty points to credit.
    pub points: Option<Long>,
    /// A refund of the complaint's order.
    pub refund: Option<ComplaintRefundInput>,
    /// A personal voucher of this offer for the complainant.
    pub voucher_offer_id: Option<ID>,
}

/// A refund of the complaint's order: absent `amount` refunds whatever is left.
#[derive(Debug, Clone, async_graphql::InputObject)]
pub struct ComplaintRefundInput {
    /// Minor units of the order's currency.
    pub amount: Option<Long>,
}

#[derive(Default)]
pub struct FeedbackMutation;

#[Object]
impl FeedbackMutation {
    /// Record a survey response (see `POST /v1/feedback`).
    async fn record_feedback(
        &self,
        ctx: &Context<'_>,
        input: FeedbackInput,
        idempotency_key: Option<String>,
    ) -> Result<Feedback> {
        let idem = idempotency(idempotency_key, "recordFeedback", &input)?;
        let outcome = feedback::create(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Record up to 1,000 responses at once (see `POST /v1/feedback/batch`).
    async fn record_feedback_batch(
        &self,
        ctx: &Context<'_>,
        responses: Vec<FeedbackInput>,
        idempotency_key: Option<String>,
    ) -> Result<FeedbackBatchResult> {
        let batch = FeedbackBatch { responses };
        let idem = idempotency(idempotency_key, "recordFeedbackBatch", &batch)?;
        let outcome = feedback::create_batch(state(ctx)?, principal(ctx)?, batch, idem)
            .await
            .map_err(gql)?;
        fresh_or_replayed(outcome)
    }

    /// Open a complaint (see `POST /v1/complaints`).
    async fn open_complaint(
        &self,
        ctx: &Context<'_>,
        input: ComplaintInput,
        idempotency_key: Option<String>,
    ) -> Result<Complaint> {
        let idem = idempotency(idempotency_key, "openComplaint", &input)?;
        let outcome = complaints::create(state(ctx)?, principal(ctx)?, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Move a complaint to `in_progress`, `waiting_for_customer` or `closed`.
    async fn change_complaint_status(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: StatusInput,
        idempotency_key: Option<String>,
    ) -> Result<Complaint> {
        let idem = idempotency(idempotency_key, "changeComplaintStatus", &(&id.0, &input))?;
        let outcome = complaints::change_status(state(ctx)?, principal(ctx)?, &id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Give a complaint to a user (or nobody).
    async fn assign_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: AssignInput,
        idempotency_key: Option<String>,
    ) -> Result<Complaint> {
        let idem = idempotency(idempotency_key, "assignComplaint", &(&id.0, &input))?;
        let outcome = complaints::assign(state(ctx)?, principal(ctx)?, &id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Add a note to a complaint's timeline.
    async fn add_complaint_note(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: NoteInput,
        idempotency_key: Option<String>,
    ) -> Result<HistoryEntry> {
        let idem = idempotency(idempotency_key, "addComplaintNote", &(&id.0, &input))?;
        let outcome = complaints::add_note(state(ctx)?, principal(ctx)?, &id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Resolve a complaint with its outcome and compensation (see
    /// `POST /v1/complaints/{id}/resolve`).
    async fn resolve_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ResolveComplaintInput,
        idempotency_key: Option<String>,
    ) -> Result<Resolution> {
        let input = ResolveInput {
            outcome: input.outcome,
            points: input.points.map(|p| p.0),
            refund: input.refund.map(|r| RefundCompensation {
                amount: r.amount.map(|a| a.0),
            }),
            voucher: input
                .voucher_offer_id
                .map(|o| VoucherCompensation { offer_id: o.0 }),
        };
        let idem = idempotency(idempotency_key, "resolveComplaint", &(&id.0, &input))?;
        let outcome = complaints::resolve(state(ctx)?, principal(ctx)?, &id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }

    /// Reopen a resolved or closed complaint.
    async fn reopen_complaint(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: Option<ReopenInput>,
        idempotency_key: Option<String>,
    ) -> Result<Complaint> {
        let input = input.unwrap_or_default();
        let idem = idempotency(idempotency_key, "reopenComplaint", &(&id.0, &input))?;
        let outcome = complaints::reopen(state(ctx)?, principal(ctx)?, &id, input, idem)
            .await
            .map_err(gql_in("input"))?;
        fresh_or_replayed(outcome)
    }
}
