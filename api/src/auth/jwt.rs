//! Access tokens: short-lived HS256 JWTs naming the workspace, the user and the role, with a
//! key id in the header so a rotated secret rejects every token signed with the old one.

use jsonwebtoken::{
    decode, decode_header, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The user id.
    pub sub: String,
    /// The workspace id.
    pub ws: String,
    pub role: String,
    pub iat: i64,
    pub exp: i64,
    /// Always `access`: refresh tokens are opaque, never JWTs.
    pub typ: String,
    /// The login session (refresh token family) the token was issued in: logging out of it
    /// ends the token too. Tokens without one are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    #[error("the token was signed with a key this server no longer uses")]
    UnknownKey,
    #[error("the token has expired")]
    Expired,
    #[error("the token is not a valid access token")]
    Invalid,
}

/// A stable, non-secret name for the signing key.
pub fn key_id(secret: &str) -> String {
    let digest = Sha256::digest(format!("rapport-jwt-kid:{secret}").as_bytes());
    hex::encode(&digest[..8])
}

pub fn issue(secret: &str, claims: &Claims) -> Result<String, jsonwebtoken::errors::Error> {
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(key_id(secret));
    encode(
        &header,
        claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
}

pub fn verify(secret: &str, token: &str) -> Result<Claims, JwtError> {
    let header = decode_header(token).map_err(|_| JwtError::Invalid)?;
    if header.alg != Algorithm::HS256 {
        return Err(JwtError::Invalid);
    }
    if header.kid.as_deref() != Some(key_id(secret).as_str()) {
        return Err(JwtError::UnknownKey);
    }
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    validation.set_required_spec_claims(&["exp", "sub"]);
    let data = decode::<Claims>(
        token,
        &DecodingKey::from_secret(secret.as_bytes()),
        &validation,
    )
    .map_err(|e| match e.kind() {
        jsonwebtoken::errors::ErrorKind::ExpiredSignature => JwtError::Expired,
        _ => JwtError::Invalid,
    })?;
    if data.claims.typ != "access" {
        return Err(JwtError::Invalid);
    }
    Ok(data.claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            sub: "u".into(),
            ws: "w".into(),
            role: "owner".into(),
            iat: 0,
            exp,
            typ: "access".into(),
            sid: Some("s".into()),
        }
    }

    fn far_future() -> i64 {
        chrono::Utc::now().timestamp() + 600
    }

    #[test]
    fn a_token_verifies_with_its_secret_only() {
        let token = issue("one", &claims(far_future())).unwrap();
        assert_eq!(verify("one", &token).unwrap().sub, "u");
        assert!(matches!(verify("two", &token), Err(JwtError::UnknownKey)));
    }

    #[test]
    fn expired_tokens_are_refused() {
        let token = issue("one", &claims(chrono::Utc::now().timestamp() - 60)).unwrap();
        assert!(matches!(verify("one", &token), Err(JwtError::Expired)));
    }

    #[test]
    fn unsigned_tokens_are_refused() {
        use base64::Engine;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let kid = key_id("one");
        let header = b64.encode(format!(r#"{{"alg":"none","typ":"JWT","kid":"{kid}"}}"#));
        let body = b64.encode(serde_json::to_vec(&claims(far_future())).unwrap());
        assert!(verify("one", &format!("{header}.{body}.")).is_err());
    }
}
