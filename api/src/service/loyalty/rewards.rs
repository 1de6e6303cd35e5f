//! The reward catalogue.

use super::*;

// ---------------------------------------------------------------------------------------
// Rewards

pub(super) struct ValidReward {
    pub(super) name: String,
    pub(super) description: Option<String>,
    pub(super) points_cost: i64,
    pub(super) stock: Option<i64>,
    pub(super) available_from: Option<NaiveDateTime>,
    pub(super) available_until: Option<NaiveDateTime>,
}

pub(super) fn validate_reward(input: &RewardInput) -> Result<ValidReward, ApiError> {
    let mut errors = Vec::new();
    let mut add = |field: &str, message: String| {
        errors.push(FieldError {
            field: field.to_owned(),
            message,
        });
    };
    let name = match input.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() && n.chars().count() <= 200 && !n.contains(char::is_control) => {
            n.to_owned()
        }
        _ => {
            add("name", "is required: 1 to 200 characters".into());
            String::new()
        }
    };
    let description = match clean_text("description", input.description.as_deref(), false) {
        Ok(d) => d,
        Err(_) => {
            add(
                "description",
                format!("must be at most {MAX_REASON} characters"),
            );
            None
        }
    };
    let points_cost = input.points_cost.unwrap_or(0);
    if !(1..=MAX_POINTS).contains(&points_cost) {
        add(
            "points_cost",
            format!("is required: between 1 and {MAX_POINTS}"),
        );
    }
    if input.stock.is_some_and(|s| !(0..=MAX_POINTS).contains(&s)) {
        add(
            "stock",
            format!("must be between 0 and {MAX_POINTS}, or null for unlimited"),
        );
    }
    if let (Some(from), Some(until)) = (input.available_from, input.available_until) {
        if until <= from {
            add("available_until", "must be after available_from".into());
        }
    }
    if errors.is_empty() {
        Ok(ValidReward {
            name,
            description,
            points_cost,
            stock: input.stock,
            available_from: input.available_from.map(stored),
            available_until: input.available_until.map(stored),
        })
    } else {
        Err(ApiError::validation(errors))
    }
}

pub(super) fn reward_as_input(r: &Reward) -> RewardInput {
    RewardInput {
        name: Some(r.name.clone()),
        description: r.description.clone(),
        points_cost: Some(r.points_cost),
        stock: r.stock,
        available_from: r.available_from,
        available_until: r.available_until,
    }
}

pub async fn create_reward(
    state: &AppState,
    principal: &Principal,
    input: RewardInput,
    idempotency: Option<IdempotencyRequest>,
) -> Result<Outcome<Reward>, ApiError> {
    principal.require(Scope::Admin)?;
    let valid = validate_reward(&input)?;
    let principal = principal.clone();
    pipeline::write(
        state,
        &principal.clone(),
        idempotency,
        201,
        move |conn, cx| {
            let at = now();
            let row = RewardRow {
                id: new_id(),
                workspace_id: principal.workspace_id.clone(),
                name: valid.name,
                description: valid.description,
                points_cost: valid.points_cost,
                stock: valid.stock,
                available_from: valid.available_from,
                available_until: valid.available_until,
                version: 1,
                created_at: at,
                updated_at: at,
                deleted_at: None,
            };
            store::insert_reward(conn, &row)?;
            let reward = Reward::from(row);
            cx.audit::<(), _>(
                "loyalty_reward.create",
                "loyalty_reward",
                Some(&reward.id),
                None,
                Some(&reward),
            )?;
            cx.emit(DomainEvent::RewardChanged {
                change: Change::Created,
                reward: data(&reward)?,
            })?;
            Ok(reward)
        },
    )
    .await
}

pub async fn get_reward(
    state: &AppState,
    principal: &Principal,
    id: &str,
) -> Result<Reward, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let (workspace, id) = (principal.workspace_id.clone(), id.to_owned());
    state
        .db
        .run(move |conn| {
            store::find_reward(conn, &workspace, &id)?
                .map(Reward::from)
                .ok_or_else(|| ApiError::not_found("no reward with that id"))
        })
        .await
}

pub async fn list_rewards(
    state: &AppState,
    principal: &Principal,
    limit: Option<i64>,
    after: Option<String>,
) -> Result<Page<Reward>, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let page = page_request(limit, after)?;
    let request = page.clone();
    let workspace = principal.workspace_id.clone();
    let rows = state
        .db
        .run(move |conn| {
            Ok(store::list_rewards(
                conn,
                &workspace,
                request.after.as_deref(),
                request.limit + 1,
            )?)
        })
        .await?;
    Ok(Page::from_rows(rows, &page, |r| r.id.clone(), Reward::from))
}

/// Changes a reward with a JSON merge patch (admin).
pub async fn update_reward(
    state: &AppState,
    principal: &Principal,
    id: &str,
    patch: Value,
    if_match: Option<i64>,
) -> Result<Reward, ApiError> {
    principal.require(Scope::Admin)?;
    versioning::require_patch_object(&patch)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let row = store::find_reward(conn, &principal.workspace_id, &id)?
            .ok_or_else(|| ApiError::not_found("no reward with that id"))?;
        versioning::check_version("reward", if_match, row.version)?;
        let before = Reward::from(row.clone());
        let input: RewardInput =
            versioning::merge_patch("a reward", &reward_as_input(&before), &patch)?;
        let valid = validate_reward(&input)?;
        let at = now();
        let updated = RewardRow {
            name: valid.name,
            description: valid.description,
            points_cost: valid.points_cost,
            stock: valid.stock,
            available_from: valid.available_from,
            available_until: valid.available_until,
            version: row.version + 1,
            updated_at: at,
            ..row.clone()
        };
        if store::update_reward(conn, &updated, row.version)? == 0 {
            return Err(versioning::precondition_failed("reward"));
        }
        let after = Reward::from(updated);
        cx.audit(
            "loyalty_reward.update",
            "loyalty_reward",
            Some(&after.id),
            Some(&before),
            Some(&after),
        )?;
        cx.emit(DomainEvent::RewardChanged {
            change: Change::updated(&before, &after),
            reward: data(&after)?,
        })?;
        Ok(after)
    })
    .await
}

/// Soft delete: the reward leaves the catalog; past redemptions keep it.
pub async fn delete_reward(
    state: &AppState,
    principal: &Principal,
    id: &str,
    if_match: Option<i64>,
) -> Result<(), ApiError> {
    principal.require(Scope::Admin)?;
    let (principal, id) = (principal.clone(), id.to_owned());
    pipeline::run(state, &principal.clone(), move |conn, cx| {
        let row = store::find_reward(conn, &principal.workspace_id, &id)?
            .ok_or_else(|| ApiError::not_found("no reward with that id"))?;
        let at = now();
        versioning::write_versioned("reward", if_match, row.version, |version| {
            let deleted = RewardRow {
                version,
                updated_at: at,
                deleted_at: Some(at),
                ..row.clone()
            };
            store::update_reward(conn, &deleted, row.version)
        })?;
        cx.audit::<_, ()>(
            "loyalty_reward.delete",
            "loyalty_reward",
            Some(&id),
            Some(&Reward::from(row.clone())),
            None,
        )?;
        cx.emit(DomainEvent::RewardChanged {
            change: Change::Deleted,
            reward: data(&Reward::from(row))?,
        })?;
        Ok(())
    })
    .await
}
