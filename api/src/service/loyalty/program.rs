//! The workspace's programme: stored form, validation, reading and replacing it.

use super::*;

// ---------------------------------------------------------------------------------------
// Stored programme

pub(super) struct ActiveProgram {
    pub(super) row: ProgramRow,
    pub(super) program: Program,
    pub(super) allow_downgrade: bool,
}

pub(super) fn load_program(
    conn: &mut DbConn,
    workspace_id: &str,
) -> Result<Option<ActiveProgram>, ApiError> {
    let Some(row) = store::find_program(conn, workspace_id)? else {
        return Ok(None);
    };
    let stored: StoredProgram =
        serde_json::from_str(&row.definition).map_err(ApiError::internal)?;
    Ok(Some(ActiveProgram {
        row,
        program: stored.program,
        allow_downgrade: stored.allow_downgrade,
    }))
}

pub(super) fn rounding_name(r: Rounding) -> &'static str {
    match r {
        Rounding::Down => "down",
        Rounding::Nearest => "nearest",
        Rounding::Up => "up",
    }
}

pub(super) fn qualification_name(q: Qualification) -> &'static str {
    match q {
        Qualification::Spend => "spend",
        Qualification::PointsEarned => "points_earned",
    }
}

pub(super) fn program_view(p: &ActiveProgram) -> LoyaltyProgram {
    LoyaltyProgram {
        currency: p.row.currency.clone(),
        active: p.row.active,
        earn_rate: EarnRateSpec {
            numerator: p.program.earn_rate.numerator,
            denominator: p.program.earn_rate.denominator,
        },
        rounding: rounding_name(p.program.rounding).to_owned(),
        qualification: qualification_name(p.program.qualification).to_owned(),
        qualification_window_days: p.program.qualification_window_days,
        tiers: p
            .program
            .tiers
            .iter()
            .map(|t| TierSpec {
                name: t.name.clone(),
                threshold: t.threshold,
                multiplier_permille: t.multiplier_permille,
                benefits: t.benefits.clone(),
            })
            .collect(),
        allow_downgrade: p.allow_downgrade,
        expiry_months: p.program.expiry_months,
        pending_days: p.program.pending_days,
        version: p.row.version,
        created_at: utc(p.row.created_at),
        updated_at: utc(p.row.updated_at),
    }
}

/// Checks a programme input, naming every bad field; returns (currency, stored form).
pub(super) fn validate_program(
    input: &ProgramInput,
) -> Result<(Currency, StoredProgram), ApiError> {
    let mut errors = Vec::new();
    let mut add = |field: &str, message: &str| {
        errors.push(FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        });
    };
    let currency = Currency::parse(&input.currency).ok();
    if currency.is_none() {
        add("currency", "must be an ISO 4217 code such as EUR");
    }
    let rounding = match input.rounding.as_deref().unwrap_or("down") {
        "down" => Rounding::Down,
        "nearest" => Rounding::Nearest,
        "up" => Rounding::Up,
        _ => {
            add("rounding", "must be one of down, nearest, up");
            Rounding::Down
        }
    };
    let qualification = match input.qualification.as_deref().unwrap_or("spend") {
        "spend" => Qualification::Spend,
        "points_earned" => Qualification::PointsEarned,
        _ => {
            add("qualification", "must be one of spend, points_earned");
            Qualification::Spend
        }
    };
    if input.tiers.len() > 20 {
        add("tiers", "at most 20 tiers");
    }
    // Thresholds are spend (minor units) or points earned: one bound serves both.
    for (i, tier) in input.tiers.iter().enumerate() {
        if let Err(e) = MinorUnits::parse(tier.threshold) {
            errors.push(FieldError {
                field: format!("tiers[{i}].threshold"),
                message: e.to_string(),
            });
        }
    }
    // The domain checks the signs; the edge bounds the size.
    for (field, value) in [
        ("earn_rate.numerator", input.earn_rate.numerator),
        ("earn_rate.denominator", input.earn_rate.denominator),
    ] {
        if value > MAX_EARN_RATE_TERM {
            errors.push(FieldError {
                field: field.to_owned(),
                message: format!("must be at most {MAX_EARN_RATE_TERM}"),
            });
        }
    }
    let program = Program {
        earn_rate: EarnRate {
            numerator: input.earn_rate.numerator,
            denominator: input.earn_rate.denominator,
        },
        rounding,
        qualification,
        tiers: input
            .tiers
            .iter()
            .map(|t| Tier {
                name: t.name.trim().to_owned(),
                threshold: t.threshold,
                multiplier_permille: t.multiplier_permille,
                benefits: t.benefits.trim().to_owned(),
            })
            .collect(),
        qualification_window_days: input.qualification_window_days.unwrap_or(365),
        expiry_months: input.expiry_months,
        pending_days: input.pending_days.unwrap_or(0),
    };
    if let Err(issues) = program.validate() {
        errors.extend(issues.into_iter().map(|i| FieldError {
            field: i.field,
            message: i.message,
        }));
    }
    match currency {
        Some(currency) if errors.is_empty() => Ok((
            currency,
            StoredProgram {
                program,
                allow_downgrade: input.allow_downgrade.unwrap_or(true),
            },
        )),
        _ => Err(ApiError::validation(errors)),
    }
}

pub async fn get_program(
    state: &AppState,
    principal: &Principal,
) -> Result<LoyaltyProgram, ApiError> {
    principal.require(Scope::LoyaltyRead)?;
    let workspace = principal.workspace_id.clone();
    state
        .db
        .run(move |conn| {
            load_program(conn, &workspace)?
                .map(|p| program_view(&p))
                .ok_or_else(|| ApiError::not_found("this workspace has no loyalty programme yet"))
        })
        .await
}

/// Creates or replaces the programme (admin). `if_match` makes a replacement conditional.
pub async fn put_program(
    state: &AppState,
    principal: &Principal,
    input: ProgramInput,
    if_match: Option<i64>,
) -> Result<LoyaltyProgram, ApiError> {
    principal.require(Scope::Admin)?;
    pipeline::run(state, principal, move |conn, cx| {
        write_program(conn, cx, &input, if_match)
    })
    .await
}

/// Validates and writes the programme inside the caller's write transaction (the caller
/// checks the scope). Public for the CLI and tests.
pub fn write_program(
    conn: &mut DbConn,
    cx: &mut WriteContext,
    input: &ProgramInput,
    if_match: Option<i64>,
) -> Result<LoyaltyProgram, ApiError> {
    let principal = cx.principal().clone();
    let (currency, stored_program) = validate_program(input)?;
    let definition = serde_json::to_string(&stored_program).map_err(ApiError::internal)?;
    {
        let at = now();
        let existing = load_program(conn, &principal.workspace_id)?;
        let before = existing.as_ref().map(program_view);
        let row = match &existing {
            Some(p) => {
                versioning::check_version("loyalty programme", if_match, p.row.version)?;
                let row = ProgramRow {
                    currency: currency.as_str().to_owned(),
                    definition,
                    active: input.active.unwrap_or(true),
                    version: p.row.version + 1,
                    updated_at: at,
                    ..p.row.clone()
                };
                if store::update_program(conn, &row, p.row.version)? == 0 {
                    return Err(versioning::precondition_failed("loyalty programme"));
                }
                row
            }
            None => {
                if if_match.is_some() {
                    return Err(versioning::precondition_failed("loyalty programme"));
                }
                let row = ProgramRow {
                    workspace_id: principal.workspace_id.clone(),
                    currency: currency.as_str().to_owned(),
                    definition,
                    active: input.active.unwrap_or(true),
                    version: 1,
                    created_at: at,
                    updated_at: at,
                };
                store::insert_program(conn, &row)?;
                row
            }
        };
        let after = program_view(&ActiveProgram {
            row,
            program: stored_program.program,
            allow_downgrade: stored_program.allow_downgrade,
        });
        cx.audit(
            "loyalty_program.update",
            "loyalty_program",
            Some(&principal.workspace_id),
            before.as_ref(),
            Some(&after),
        )?;
        cx.emit(DomainEvent::SettingsChanged {
            settings: Settings::LoyaltyProgram,
            changed_fields: match &before {
                Some(before) => changed_fields(before, &after),
                None => Vec::new(),
            },
            data: data(&after)?,
        })?;
        Ok(after)
    }
}
