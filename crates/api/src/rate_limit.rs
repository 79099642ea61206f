//! Rate limits: requests per principal, login attempts per client IP, and a
//! growing lock-out after repeated failed logins for one tenant + e-mail.
//!
//! The state is per process (one Steward process per node: each enforces its
//! own share); see the README.

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Failed logins tolerated before the lock-out starts.
pub const FREE_FAILURES: u32 = 5;
/// Longest lock-out after repeated failures.
pub const MAX_LOCKOUT: Duration = Duration::from_secs(15 * 60);

pub struct RateLimits {
    per_principal: Option<DefaultKeyedRateLimiter<Uuid>>,
    login_per_ip: Option<DefaultKeyedRateLimiter<IpAddr>>,
    failures: Mutex<HashMap<String, (u32, Instant)>>,
    /// Checks since the keyed limiters last forgot idle keys.
    checks: AtomicU64,
}

/// How often (in checks) the keyed limiters drop keys whose quota is full again.
const PRUNE_EVERY: u64 = 10_000;

/// Seconds to wait before retrying (at least 1).
pub type RetryAfter = u64;

fn limiter<K: std::hash::Hash + Eq + Clone>(per_minute: u32) -> Option<DefaultKeyedRateLimiter<K>> {
    NonZeroU32::new(per_minute).map(|n| RateLimiter::keyed(Quota::per_minute(n)))
}

fn check<K: std::hash::Hash + Eq + Clone>(
    l: &Option<DefaultKeyedRateLimiter<K>>,
    key: &K,
) -> Result<(), RetryAfter> {
    match l {
        None => Ok(()),
        Some(l) => l.check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            wait.as_secs().max(1)
        }),
    }
}

impl RateLimits {
    /// `per_principal_per_minute` / `login_per_ip_per_minute`: 0 turns a limit off.
    pub fn new(per_principal_per_minute: u32, login_per_ip_per_minute: u32) -> Self {
        Self {
            per_principal: limiter(per_principal_per_minute),
            login_per_ip: limiter(login_per_ip_per_minute),
            failures: Mutex::new(HashMap::new()),
            checks: AtomicU64::new(0),
        }
    }

    /// Keeps the keyed limiters' memory bounded by the active keys.
    fn prune_now_and_then(&self) {
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            if let Some(l) = &self.per_principal {
                l.retain_recent();
            }
            if let Some(l) = &self.login_per_ip {
                l.retain_recent();
            }
        }
    }

    /// One request by a signed-in user.
    pub fn request(&self, principal: Uuid) -> Result<(), RetryAfter> {
        self.prune_now_and_then();
        check(&self.per_principal, &principal)
    }

    /// One login attempt from a client address.
    pub fn login_attempt(&self, ip: Option<IpAddr>) -> Result<(), RetryAfter> {
        self.prune_now_and_then();
        match ip {
            Some(ip) => check(&self.login_per_ip, &ip),
            None => Ok(()),
        }
    }

    /// Whether logins for this tenant + e-mail are locked out after failures
    /// (the same for existing and unknown e-mails, so it reveals nothing).
    pub fn locked(&self, key: &str) -> Result<(), RetryAfter> {
        let Ok(m) = self.failures.lock() else {
            return Ok(());
        };
        match m.get(key) {
            Some((n, last)) if *n >= FREE_FAILURES => {
                let until = *last + lockout(*n);
                let now = Instant::now();
                if until > now {
                    Err((until - now).as_secs().max(1))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    pub fn failed(&self, key: &str) {
        if let Ok(mut m) = self.failures.lock() {
            if m.len() > 100_000 {
                m.retain(|_, (_, last)| last.elapsed() < MAX_LOCKOUT);
            }
            let e = m.entry(key.to_owned()).or_insert((0, Instant::now()));
            // Failures older than the longest lock-out are forgotten.
            if e.1.elapsed() > MAX_LOCKOUT {
                e.0 = 0;
            }
            e.0 += 1;
            e.1 = Instant::now();
        }
    }

    pub fn succeeded(&self, key: &str) {
        if let Ok(mut m) = self.failures.lock() {
            m.remove(key);
        }
    }
}

/// Lock-out after `n` consecutive failures: 1 s after the sixth, doubling, at most 15 min.
pub fn lockout(n: u32) -> Duration {
    if n < FREE_FAILURES {
        return Duration::ZERO;
    }
    let exp = (n - FREE_FAILURES).min(20);
    Duration::from_secs(1u64 << exp).min(MAX_LOCKOUT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lockout_grows_and_is_capped() {
        assert_eq!(lockout(4), Duration::ZERO);
        assert_eq!(lockout(5), Duration::from_secs(1));
        assert_eq!(lockout(8), Duration::from_secs(8));
        assert_eq!(lockout(40), MAX_LOCKOUT);
    }

    #[test]
    fn failures_lock_and_success_unlocks() {
        let r = RateLimits::new(0, 0);
        for _ in 0..FREE_FAILURES {
            assert!(r.locked("t/a@b.c").is_ok());
            r.failed("t/a@b.c");
        }
        assert!(r.locked("t/a@b.c").is_err());
        assert!(r.locked("t/other@b.c").is_ok());
        r.succeeded("t/a@b.c");
        assert!(r.locked("t/a@b.c").is_ok());
    }

    #[test]
    fn a_quota_refuses_the_excess_with_a_retry_time() {
        let r = RateLimits::new(2, 1);
        let u = Uuid::now_v7();
        assert!(r.request(u).is_ok());
        assert!(r.request(u).is_ok());
        assert!(r.request(u).unwrap_err() >= 1);
        assert!(r.request(Uuid::now_v7()).is_ok(), "per principal");
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(r.login_attempt(Some(ip)).is_ok());
        assert!(r.login_attempt(Some(ip)).is_err());
        assert!(r.login_attempt(Some("10.0.0.2".parse().unwrap())).is_ok());
    }
}
