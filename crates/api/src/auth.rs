//! Authentication: access tokens (JWT, HS256 pinned), opaque refresh
//! tokens, argon2id password hashes, and the per-process cache of user
//! status that makes deactivation take effect without a query per request.

use crate::config::Secret;
use crate::error::{ApiError, ApiResult};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use domain::user::Role;
use domain::{Principal, TenantId, UserId};
use jsonwebtoken::{Algorithm as JwtAlg, DecodingKey, EncodingKey, Header, Validation};
use persistence::Db;
use persistence::repo::users;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::Instant;
use uuid::Uuid;

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    pub tid: Uuid,
    pub role: String,
    pub iss: String,
    pub aud: String,
    pub exp: i64,
    pub iat: i64,
    pub jti: Uuid,
}

/// Issues and verifies access tokens.
pub struct TokenService {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    /// Tokens that verified, by their exact text: a token seen again skips
    /// decoding, the HMAC and the static claim checks (~20 % of a small
    /// read's server instructions, callgrind). Expiry is time-dependent and
    /// checked at every use. Only verified tokens enter; bounded (LRU).
    verified: std::sync::Mutex<lru::LruCache<Box<str>, Arc<Claims>>>,
}

/// How many verified access tokens are remembered (about 0.5 KB each).
const VERIFIED_TOKENS: std::num::NonZeroUsize = match std::num::NonZeroUsize::new(4096) {
    Some(n) => n,
    None => std::num::NonZeroUsize::MIN,
};

impl TokenService {
    pub fn new(
        secret: &Secret,
        issuer: &str,
        audience: &str,
        leeway_secs: u64,
        access_ttl_secs: i64,
        refresh_ttl_secs: i64,
    ) -> Self {
        let mut validation = Validation::new(JwtAlg::HS256);
        validation.algorithms = vec![JwtAlg::HS256];
        validation.set_issuer(&[issuer]);
        validation.set_audience(&[audience]);
        validation.set_required_spec_claims(&["exp", "iat", "sub", "iss", "aud"]);
        validation.leeway = leeway_secs;
        validation.validate_exp = true;
        Self {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
            issuer: issuer.to_owned(),
            audience: audience.to_owned(),
            access_ttl: Duration::seconds(access_ttl_secs),
            refresh_ttl: Duration::seconds(refresh_ttl_secs),
            verified: std::sync::Mutex::new(lru::LruCache::new(VERIFIED_TOKENS)),
        }
    }

    /// A signed access token for the principal and its expiry.
    pub fn issue(&self, p: &Principal) -> ApiResult<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let exp = now + self.access_ttl;
        let claims = Claims {
            sub: p.user_id.0,
            tid: p.tenant_id.0,
            role: p.role.as_str().to_owned(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            exp: exp.timestamp(),
            iat: now.timestamp(),
            jti: Uuid::now_v7(),
        };
        let token = jsonwebtoken::encode(&Header::new(JwtAlg::HS256), &claims, &self.encoding)
            .map_err(|e| ApiError::Internal(format!("signing a token: {e}")))?;
        // The token's `exp` is whole seconds: that is when it expires.
        let exp = DateTime::from_timestamp(claims.exp, 0).unwrap_or(exp);
        Ok((token, exp))
    }

    /// Verifies signature, algorithm, issuer, audience and expiry.
    pub fn verify(&self, token: &str) -> ApiResult<Arc<Claims>> {
        self.verify_at(token, Utc::now().timestamp())
    }

    /// [`verify`](Self::verify) at time `now` (seconds) for a remembered
    /// token; a token not seen before is verified against the clock.
    fn verify_at(&self, token: &str, now: i64) -> ApiResult<Arc<Claims>> {
        let leeway = i64::try_from(self.validation.leeway).unwrap_or(0);
        let known = self
            .verified
            .lock()
            .ok()
            .and_then(|mut m| m.get(token).cloned());
        if let Some(c) = known {
            // As jsonwebtoken's own check: expired once `exp` is more than
            // the leeway in the past.
            if c.exp < now - leeway {
                if let Ok(mut m) = self.verified.lock() {
                    m.pop(token);
                }
                return Err(ApiError::Unauthenticated(
                    "the access token has expired".into(),
                ));
            }
            return Ok(c);
        }
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|e| {
                use jsonwebtoken::errors::ErrorKind;
                let why = match e.kind() {
                    ErrorKind::ExpiredSignature => "the access token has expired",
                    _ => "the access token is invalid",
                };
                ApiError::Unauthenticated(why.into())
            })?;
        if data.claims.iat > Utc::now().timestamp() + leeway {
            return Err(ApiError::Unauthenticated(
                "the access token is invalid".into(),
            ));
        }
        let claims = Arc::new(data.claims);
        if let Ok(mut m) = self.verified.lock() {
            m.put(token.into(), claims.clone());
        }
        Ok(claims)
    }
}

/// OWASP's argon2id parameters: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password (on a blocking thread: it takes tens of milliseconds).
pub async fn hash_password(password: String) -> ApiResult<String> {
    tokio::task::spawn_blocking(move || {
        let mut salt = [0u8; 16];
        rand::rng().fill_bytes(&mut salt);
        let salt =
            SaltString::encode_b64(&salt).map_err(|e| ApiError::Internal(format!("salt: {e}")))?;
        argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| ApiError::Internal(format!("hashing: {e}")))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))?
}

/// A hash of no password, verified against when the user does not exist so
/// that the response time does not tell whether an e-mail is registered.
static DUMMY_HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn dummy_hash() -> String {
    DUMMY_HASH
        .get_or_init(|| {
            let salt = SaltString::encode_b64(b"steward-dummy-salt").ok();
            salt.and_then(|s| {
                argon2()
                    .hash_password(b"no such user", &s)
                    .ok()
                    .map(|h| h.to_string())
            })
            .unwrap_or_default()
        })
        .clone()
}

/// Checks a password against a stored hash (or against a dummy when `hash`
/// is `None`, spending the same time); true only for a real match.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        let real = hash.is_some();
        let hash = hash.unwrap_or_else(dummy_hash);
        let ok = PasswordHash::new(&hash)
            .map(|h| argon2().verify_password(password.as_bytes(), &h).is_ok())
            .unwrap_or(false);
        ok && real
    })
    .await
    .unwrap_or(false)
}

/// A new opaque refresh token (256 random bits) and its stored hash.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

pub fn hash_refresh_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The current role and active flag of users, kept per process for at most
/// [`UserStatusCache::MAX_AGE`]: a deactivation or role change takes effect
/// at once on the process that made it (the entry is dropped) and within
/// that time on any other process, at the cost of one query per user per
/// period rather than one per request.
#[derive(Clone, Default)]
pub struct UserStatusCache {
    entries: Arc<RwLock<StatusMap>>,
}

/// Role, active flag and when they were read, per user.
type StatusMap = HashMap<(TenantId, UserId), (Role, bool, Instant)>;

impl UserStatusCache {
    pub const MAX_AGE: std::time::Duration = std::time::Duration::from_secs(4);
    const MAX_ENTRIES: usize = 100_000;

    /// The principal for verified claims, or UNAUTHENTICATED when the user
    /// no longer exists or is inactive.
    pub async fn principal(&self, db: &Db, claims: &Claims) -> ApiResult<Principal> {
        let key = (TenantId(claims.tid), UserId(claims.sub));
        let cached = self
            .entries
            .read()
            .ok()
            .and_then(|m| m.get(&key).copied())
            .filter(|(_, _, at)| at.elapsed() < Self::MAX_AGE);
        let (role, active) = match cached {
            Some((role, active, _)) => (role, active),
            None => {
                // Before the caller is known: the owner's connections.
                let status = users::status(db.system().read(), key.0, key.1).await?;
                let (role, active) = match status {
                    Some((r, a)) => (Role::from_str_opt(&r).unwrap_or(Role::Viewer), a),
                    None => (Role::Viewer, false),
                };
                self.put(key, role, active);
                (role, active)
            }
        };
        if !active {
            return Err(ApiError::Unauthenticated("the user is not active".into()));
        }
        Ok(Principal {
            tenant_id: key.0,
            user_id: key.1,
            role,
            request: None,
        })
    }

    pub fn put(&self, key: (TenantId, UserId), role: Role, active: bool) {
        if let Ok(mut m) = self.entries.write() {
            if m.len() >= Self::MAX_ENTRIES {
                m.retain(|_, (_, _, at)| at.elapsed() < Self::MAX_AGE);
            }
            m.insert(key, (role, active, Instant::now()));
        }
    }

    pub fn invalidate(&self, key: (TenantId, UserId)) {
        if let Ok(mut m) = self.entries.write() {
            m.remove(&key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc() -> TokenService {
        TokenService::new(
            &Secret::new("x".repeat(40)),
            "steward",
            "steward-api",
            0,
            60,
            600,
        )
    }

    #[test]
    fn tokens_round_trip_and_tampering_is_detected() {
        let s = svc();
        let p = Principal {
            tenant_id: TenantId::new(),
            user_id: UserId::new(),
            role: Role::Viewer,
            request: None,
        };
        let (t, _) = s.issue(&p).unwrap();
        let c = s.verify(&t).unwrap();
        assert_eq!(c.sub, p.user_id.0);
        let mut bad = t.clone();
        bad.pop();
        assert!(s.verify(&bad).is_err());
        let other = TokenService::new(
            &Secret::new("y".repeat(40)),
            "steward",
            "steward-api",
            0,
            60,
            600,
        );
        assert!(other.verify(&t).is_err());
        let wrong_aud =
            TokenService::new(&Secret::new("x".repeat(40)), "steward", "other", 0, 60, 600);
        assert!(wrong_aud.verify(&t).is_err());
    }

    #[test]
    fn remembered_tokens_still_expire_and_only_verified_ones_are_remembered() {
        let s = svc();
        let p = Principal {
            tenant_id: TenantId::new(),
            user_id: UserId::new(),
            role: Role::Admin,
            request: None,
        };
        let (t, exp) = s.issue(&p).unwrap();
        let first = s.verify(&t).unwrap();
        let again = s.verify(&t).unwrap();
        assert!(Arc::ptr_eq(&first, &again), "served from the cache");
        assert_eq!(again.tid, p.tenant_id.0);
        // Past expiry (leeway 0 in `svc`), the remembered token is refused
        // and forgotten.
        let later = exp.timestamp() + 1;
        match s.verify_at(&t, later) {
            Err(ApiError::Unauthenticated(m)) => assert!(m.contains("expired"), "{m}"),
            other => panic!("expected expiry, got {other:?}"),
        }
        assert!(s.verified.lock().unwrap().peek(t.as_str()).is_none());
        // A token that fails is not remembered; a one-character change is
        // a different key and is verified in full.
        let mut bad = t.clone();
        bad.pop();
        assert!(s.verify(&bad).is_err());
        assert!(s.verify(&bad).is_err());
        assert!(s.verified.lock().unwrap().peek(bad.as_str()).is_none());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, ha) = new_refresh_token();
        let (b, _) = new_refresh_token();
        assert_ne!(a, b);
        assert_eq!(hash_refresh_token(&a), ha);
        assert_eq!(ha.len(), 64);
    }
}
