//! Logging in, refreshing and revoking tokens, and turning a bearer token into a principal.

use chrono::{Duration, Utc};
use rapport_domain::access::{Role, ScopeSet};
use rapport_domain::email::Email;
use rapport_persistence::refresh_tokens::{self, RefreshTokenRow, Revocation};
use rapport_persistence::users::{self, UserRow};
use rapport_persistence::{api_keys, write_transaction, Decision};
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::{jwt, password, secrets, Actor, Principal};
use crate::error::ApiError;
use crate::service::{new_id, now, pipeline};
use crate::state::AppState;

pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
pub const REFRESH_TOKEN_DAYS: i64 = 30;
/// Failed logins allowed before the account is locked, for 30 s doubling up to 15 min.
const FREE_FAILURES: i32 = 5;
const MAX_LOCK_SECONDS: i64 = 15 * 60;

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    /// Opaque; exchange it at `/v1/auth/refresh` once. Reusing it revokes its whole family.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

fn bad_credentials() -> ApiError {
    ApiError::unauthenticated("the e-mail or the password is wrong")
        .with_code("invalid_credentials")
}

pub async fn login(
    state: &AppState,
    email: &str,
    password_text: &str,
    client_ip: &str,
) -> Result<TokenPair, ApiError> {
    let ip_limit = state.config.login_attempts_per_minute;
    if let Ok(decision) = state
        .rate_limiter
        .check(&format!("login-ip:{client_ip}"), ip_limit)
        .await
    {
        if !decision.allowed {
            return Err(ApiError::rate_limited(decision.retry_after_secs)
                .with_code("too_many_login_attempts"));
        }
    }
    let Ok(email) = Email::parse(email) else {
        // As long as a wrong password, off the request threads like every hash.
        let candidate = password_text.to_owned();
        let _ = actix_web::web::block(move || password::verify_dummy(&candidate)).await;
        return Err(bad_credentials());
    };
    let lookup = email.as_str().to_owned();
    let user = state
        .db
        .run(move |conn| Ok(users::find_by_email_for_login(conn, &lookup)?))
        .await?;
    let Some(user) = user else {
        let candidate = password_text.to_owned();
        let _ = actix_web::web::block(move || password::verify_dummy(&candidate)).await;
        return Err(bad_credentials());
    };
    let current = now();
    if let Some(until) = user.locked_until.filter(|until| *until > current) {
        let wait = (until - current).num_seconds().max(1);
        return Err(ApiError::rate_limited(u64::try_from(wait).unwrap_or(1))
            .with_code("too_many_login_attempts"));
    }
    let (candidate, stored) = (password_text.to_owned(), user.password_hash.clone());
    let matches = actix_web::web::block(move || password::verify(&candidate, &stored))
        .await
        .map_err(ApiError::internal)?;
    if !matches {
        let failed = user.failed_logins.saturating_add(1);
        let locked_until = (failed >= FREE_FAILURES).then(|| {
            let exponent = u32::try_from(failed - FREE_FAILURES)
                .unwrap_or(u32::MAX)
                .min(10);
            let seconds = (30_i64 << exponent).min(MAX_LOCK_SECONDS);
            current + Duration::seconds(seconds)
        });
        let id = user.id.clone();
        state
            .db
            .run(move |conn| Ok(users::record_failed_login(conn, &id, failed, locked_until)?))
            .await?;
        return Err(bad_credentials());
    }
    if user.disabled_at.is_some() {
        return Err(ApiError::unauthenticated("this user is disabled").with_code("user_disabled"));
    }
    let role: Role = user.role.parse().map_err(ApiError::internal)?;
    let refresh = secrets::new_refresh_token();
    let session_id = new_id();
    let row = refresh_row(&user, &session_id, &refresh);
    let principal = Principal {
        workspace_id: user.workspace_id.clone(),
        actor: Actor::User {
            id: user.id.clone(),
            role,
        },
        scopes: role.scopes(),
        request_id: None,
        rate_limit_per_minute: 0,
    };
    let user_id = user.id.clone();
    pipeline::run(state, &principal, move |conn, cx| {
        users::record_login(conn, &user_id, now())?;
        refresh_tokens::insert(conn, &row)?;
        cx.audit::<(), ()>("auth.login", "user", Some(&user_id), None, None)
    })
    .await?;
    token_pair(state, &user, role, &session_id, refresh)
}

fn refresh_row(user: &UserRow, family_id: &str, token: &str) -> RefreshTokenRow {
    let created = now();
    RefreshTokenRow {
        id: new_id(),
        workspace_id: user.workspace_id.clone(),
        user_id: user.id.clone(),
        family_id: family_id.to_owned(),
        token_hash: secrets::hash(token),
        expires_at: created + Duration::days(REFRESH_TOKEN_DAYS),
        used_at: None,
        revoked_at: None,
        created_at: created,
        revoked_reason: None,
    }
}

/// A new pair for the user's login session `session_id` (its refresh token family).
fn token_pair(
    state: &AppState,
    user: &UserRow,
    role: Role,
    session_id: &str,
    refresh: String,
) -> Result<TokenPair, ApiError> {
    let issued = Utc::now().timestamp();
    let claims = jwt::Claims {
        sub: user.id.clone(),
        ws: user.workspace_id.clone(),
        role: role.as_str().to_owned(),
        iat: issued,
        exp: issued + ACCESS_TOKEN_SECONDS,
        typ: "access".into(),
        sid: Some(session_id.to_owned()),
    };
    Ok(TokenPair {
        access_token: jwt::issue(state.jwt_secret.expose(), &claims).map_err(ApiError::internal)?,
        refresh_token: refresh,
        token_type: "Bearer",
        expires_in: ACCESS_TOKEN_SECONDS,
    })
}

enum RefreshOutcome {
    /// The user, the session (family) and the next refresh token.
    Rotated(Box<UserRow>, String, String),
    Reused,
    SessionEnded,
    Invalid(&'static str),
}

fn session_ended() -> ApiError {
    ApiError::invalid_token(
        "session_ended",
        "this session has ended (logged out or revoked); log in again",
    )
}

/// Exchanges a refresh token for a new pair. A token already exchanged (stolen and replayed,
/// or replayed by the thief's victim) revokes every token of its family; the current token
/// of a session that ended (logout, revocation) answers `session_ended`.
pub async fn refresh(state: &AppState, token: &str) -> Result<TokenPair, ApiError> {
    let hash = secrets::hash(token);
    let outcome = state
        .db
        .run(move |conn| {
            write_transaction(conn, |conn| {
                let Some(row) = refresh_tokens::find_by_hash(conn, &hash)? else {
                    return Ok(RefreshOutcome::Invalid("the refresh token is not valid"));
                };
                let current = now();
                if row.revoked_at.is_some() {
                    return Ok(match row.revoked_reason.as_deref() {
                        Some(reason) if reason == Revocation::Reuse.as_str() => {
                            RefreshOutcome::Reused
                        }
                        _ => RefreshOutcome::SessionEnded,
                    });
                }
                if row.used_at.is_some() {
                    refresh_tokens::revoke_family(
                        conn,
                        &row.family_id,
                        current,
                        Revocation::Reuse,
                    )?;
                    return Ok(RefreshOutcome::Reused);
                }
                if row.expires_at <= current {
                    return Ok(RefreshOutcome::Invalid("the refresh token has expired"));
                }
                let user = users::find_for_authentication(conn, &row.user_id)?
                    .filter(|u| u.disabled_at.is_none() && u.workspace_id == row.workspace_id);
                let Some(user) = user else {
                    refresh_tokens::revoke_family(
                        conn,
                        &row.family_id,
                        current,
                        Revocation::UserChanged,
                    )?;
                    return Ok(RefreshOutcome::Invalid("the user is disabled"));
                };
                if refresh_tokens::mark_used(conn, &row.id, current)? == 0 {
                    refresh_tokens::revoke_family(
                        conn,
                        &row.family_id,
                        current,
                        Revocation::Reuse,
                    )?;
                    return Ok(RefreshOutcome::Reused);
                }
                let next = secrets::new_refresh_token();
                refresh_tokens::insert(conn, &refresh_row(&user, &row.family_id, &next))?;
                Ok(RefreshOutcome::Rotated(Box::new(user), row.family_id, next))
            })
        })
        .await?;
    match outcome {
        RefreshOutcome::Rotated(user, session_id, next) => {
            let role: Role = user.role.parse().map_err(ApiError::internal)?;
            token_pair(state, &user, role, &session_id, next)
        }
        RefreshOutcome::Reused => Err(ApiError::invalid_token(
            "refresh_token_reused",
            "this refresh token was already used; every token of its session is now revoked",
        )),
        RefreshOutcome::SessionEnded => Err(session_ended()),
        RefreshOutcome::Invalid(why) => Err(ApiError::invalid_token("invalid_refresh_token", why)),
    }
}

/// Ends the session (the refresh token's family): its refresh tokens are revoked and its
/// access tokens stop working, on this node at once, on other nodes within the credential
/// cache's lifetime (`auth::cache::TTL`). Unknown tokens are ignored: logging out twice is
/// not an error.
pub async fn logout(state: &AppState, token: &str) -> Result<(), ApiError> {
    let hash = secrets::hash(token);
    let session_id = state
        .db
        .run(move |conn| {
            let Some(row) = refresh_tokens::find_by_hash(conn, &hash)? else {
                return Ok(None);
            };
            refresh_tokens::revoke_family(conn, &row.family_id, now(), Revocation::Logout)?;
            Ok(Some(row.family_id))
        })
        .await?;
    if let Some(session_id) = session_id {
        state.auth_cache.end_session(&session_id);
    }
    Ok(())
}

/// Turns a bearer token (JWT or API key) into a principal, or 401; from the node's cache of
/// recent credentials when it can.
pub async fn authenticate(
    state: &AppState,
    token: &str,
    request_id: Option<String>,
) -> Result<Principal, ApiError> {
    let credential = secrets::hash(token);
    if let Some(mut principal) = state.auth_cache.get(&credential) {
        principal.request_id = request_id;
        return Ok(principal);
    }
    let (principal, session_id, expires_in) = authenticate_uncached(state, token).await?;
    state
        .auth_cache
        .put(credential, principal.clone(), session_id, expires_in);
    Ok(Principal {
        request_id,
        ..principal
    })
}

fn seconds_until(at: i64) -> std::time::Duration {
    std::time::Duration::from_secs(u64::try_from(at - Utc::now().timestamp()).unwrap_or(0))
}

/// The principal, the login session of an access token, and how long the credential lasts.
type Authenticated = (Principal, Option<String>, Option<std::time::Duration>);

async fn authenticate_uncached(state: &AppState, token: &str) -> Result<Authenticated, ApiError> {
    let request_id = None;
    let default_limit = state.config.rate_limit_per_minute;
    if let Some(prefix) = secrets::api_key_prefix(token) {
        let prefix = prefix.to_owned();
        let presented = secrets::hash(token);
        let key = state
            .db
            .run(move |conn| {
                let Some(key) = api_keys::find_by_prefix_for_authentication(conn, &prefix)? else {
                    return Ok(None);
                };
                let current = now();
                let usable = secrets::same_hash(&key.secret_hash, &presented)
                    && key.revoked_at.is_none()
                    && key.expires_at.is_none_or(|at| at > current);
                if usable {
                    api_keys::touch_last_used(
                        conn,
                        &key.id,
                        current,
                        current - Duration::seconds(60),
                    )?;
                    Ok(Some(key))
                } else {
                    Ok(None)
                }
            })
            .await?
            .ok_or_else(|| {
                ApiError::invalid_token(
                    "invalid_api_key",
                    "the API key is unknown, revoked or expired",
                )
            })?;
        let scopes = ScopeSet::parse_stored(&key.scopes).map_err(ApiError::internal)?;
        let expires_in = key
            .expires_at
            .map(|at| seconds_until(at.and_utc().timestamp()));
        let principal = Principal {
            workspace_id: key.workspace_id,
            actor: Actor::ApiKey { id: key.id },
            scopes,
            request_id,
            rate_limit_per_minute: key
                .rate_limit_per_minute
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(default_limit),
        };
        return Ok((principal, None, expires_in));
    }

    let claims = jwt::verify(state.jwt_secret.expose(), token).map_err(|e| {
        let code = match e {
            jwt::JwtError::Expired => "token_expired",
            _ => "invalid_token",
        };
        ApiError::invalid_token(code, e.to_string())
    })?;
    let Some(session_id) = claims.sid.clone() else {
        return Err(ApiError::invalid_token(
            "invalid_token",
            "the token names no session; log in again",
        ));
    };
    let (user_id, session) = (claims.sub.clone(), session_id.clone());
    let expires_in = Some(seconds_until(claims.exp));
    let (user, live) = state
        .db
        .run(move |conn| {
            let user = users::find_for_authentication(conn, &user_id)?;
            let live = refresh_tokens::session_is_live(conn, &session, &user_id)?;
            Ok((user, live))
        })
        .await?;
    let user = user
        .filter(|u| u.workspace_id == claims.ws)
        .ok_or_else(|| {
            ApiError::invalid_token("invalid_token", "the token's user does not exist")
        })?;
    if user.disabled_at.is_some() {
        return Err(ApiError::invalid_token(
            "user_disabled",
            "this user is disabled",
        ));
    }
    if !live {
        return Err(session_ended());
    }
    // The role comes from the database, not the token: a demotion takes effect at once.
    let role: Role = user.role.parse().map_err(ApiError::internal)?;
    let principal = Principal {
        workspace_id: user.workspace_id,
        actor: Actor::User { id: user.id, role },
        scopes: role.scopes(),
        request_id,
        rate_limit_per_minute: default_limit,
    };
    Ok((principal, Some(session_id), expires_in))
}

/// Takes a token from the principal's bucket. With Redis away the limiter limits on this
/// node alone (and logs the outage once); a limiter that still cannot answer lets the request
/// through: rate limiting must not become an outage.
pub async fn rate_limit(state: &AppState, principal: &Principal) -> Option<Decision> {
    charge(state, principal, 1).await
}

/// Takes `cost` tokens from the principal's bucket (the one every request takes one from):
/// a GraphQL document pays for its complexity this way.
pub async fn charge(state: &AppState, principal: &Principal, cost: u32) -> Option<Decision> {
    let key = match &principal.actor {
        Actor::ApiKey { id } => format!("key:{id}"),
        Actor::User { id, .. } => format!("user:{id}"),
        Actor::System => return None,
    };
    match state
        .rate_limiter
        .take(&key, principal.rate_limit_per_minute, cost)
        .await
    {
        Ok(decision) => Some(decision),
        Err(err) => {
            tracing::debug!(error = %err, "rate limiter unavailable; request allowed");
            None
        }
    }
}
