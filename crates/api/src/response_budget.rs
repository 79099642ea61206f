//! The ceiling on the size of responses, enforced while execution builds
//! them (an async-graphql extension on every resolved field and list item).
//!
//! Each value is counted as the JSON it becomes (field names, quotes,
//! strings, numbers) as soon as it resolves, so a response is stopped while
//! it grows, not after it sits whole in memory. Two bounds:
//! - one response at most `max_response_bytes`: beyond it, the operation ends
//!   with one `LIMIT_EXCEEDED` error and no data;
//! - all responses being built at once at most `max_response_bytes_in_flight`
//!   (shared by the process): beyond it, the operation that would pass it
//!   ends with `UNAVAILABLE` and `retryAfter`. An operation's bytes are held
//!   by its [`Reservation`] until the HTTP layer has serialised the body.
//!
//! The complexity limit refuses most large documents before they run; this
//! is what holds whatever the data (a list longer than its documented size,
//! long texts).

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextExecute, NextResolve, ResolveInfo,
};
use async_graphql::{Response, ServerError, ServerResult, Value};
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};

/// The process-wide count of response bytes being built.
#[derive(Debug)]
pub struct InFlight {
    bytes: AtomicUsize,
    max: usize,
}

impl InFlight {
    pub fn new(max: usize) -> Arc<Self> {
        Arc::new(Self {
            bytes: AtomicUsize::new(0),
            max,
        })
    }

    /// Bytes of responses being built now.
    pub fn bytes(&self) -> usize {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Takes `n` bytes if the total stays within the bound.
    fn take(&self, n: usize) -> bool {
        self.bytes
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |cur| {
                cur.checked_add(n).filter(|t| *t <= self.max)
            })
            .is_ok()
    }

    fn give_back(&self, n: usize) {
        self.bytes.fetch_sub(n, Ordering::AcqRel);
    }
}

/// The bytes one operation holds in [`InFlight`], handed back when it is
/// dropped. The HTTP layer puts one in the request's data and keeps it
/// until the response body is serialised, so the bound covers the value
/// tree and its JSON, not only execution.
#[derive(Debug)]
pub struct Reservation {
    in_flight: Arc<InFlight>,
    used: AtomicUsize,
}

impl Reservation {
    pub fn new(in_flight: Arc<InFlight>) -> Arc<Self> {
        Arc::new(Self {
            in_flight,
            used: AtomicUsize::new(0),
        })
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        let used = *self.used.get_mut();
        self.in_flight.give_back(used);
        if used >= LARGE_RESPONSE {
            LARGE_RESPONSES.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// A response at least this large counts in [`large_responses`].
const LARGE_RESPONSE: usize = 1024 * 1024;
static LARGE_RESPONSES: AtomicU64 = AtomicU64::new(0);

/// How many large responses (1 MiB or more) the process has finished: the
/// binary's runtime hands freed memory back to the system when a worker
/// goes idle and this has changed since it last did.
pub fn large_responses() -> u64 {
    LARGE_RESPONSES.load(Ordering::Relaxed)
}

/// Creates one [`Budget`] per operation.
pub struct ResponseBudget {
    pub max_bytes: usize,
    pub in_flight: Arc<InFlight>,
}

impl ExtensionFactory for ResponseBudget {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Budget {
            max_bytes: self.max_bytes,
            in_flight: self.in_flight.clone(),
            reservation: std::sync::OnceLock::new(),
            over: AtomicU8::new(OK),
        })
    }
}

const OK: u8 = 0;
const TOO_LARGE: u8 = 1;
const BUSY: u8 = 2;

/// One operation's count.
struct Budget {
    max_bytes: usize,
    in_flight: Arc<InFlight>,
    /// The request's reservation (from its data), or one of its own.
    reservation: std::sync::OnceLock<Arc<Reservation>>,
    over: AtomicU8,
}

impl Budget {
    fn reservation(&self) -> &Arc<Reservation> {
        self.reservation
            .get_or_init(|| Reservation::new(self.in_flight.clone()))
    }

    fn exceeded(&self) -> ServerError {
        let (message, code) = match self.over.load(Ordering::Acquire) {
            BUSY => (
                "the server is building too many large responses at once; retry shortly".to_owned(),
                "UNAVAILABLE",
            ),
            _ => (
                format!(
                    "the response would exceed {} bytes; ask for fewer items (a smaller `first`, a shorter window) or fewer fields",
                    self.max_bytes
                ),
                "LIMIT_EXCEEDED",
            ),
        };
        let mut e = ServerError::new(message, None);
        let ext = e.extensions.get_or_insert_with(Default::default);
        ext.set("code", code);
        if code == "UNAVAILABLE" {
            ext.set("retryAfter", 1);
        }
        e
    }

    /// Counts `n` more bytes; false (and the reason noted) when over a bound.
    fn count(&self, n: usize) -> bool {
        if self.over.load(Ordering::Acquire) != OK {
            return false;
        }
        let r = self.reservation();
        let before = r.used.fetch_add(n, Ordering::AcqRel);
        if before.saturating_add(n) > self.max_bytes {
            r.used.fetch_sub(n, Ordering::AcqRel);
            self.over.store(TOO_LARGE, Ordering::Release);
            return false;
        }
        if !r.in_flight.take(n) {
            r.used.fetch_sub(n, Ordering::AcqRel);
            self.over.store(BUSY, Ordering::Release);
            return false;
        }
        true
    }
}

#[async_trait::async_trait]
impl Extension for Budget {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if self.over.load(Ordering::Acquire) != OK {
            return Err(self.exceeded());
        }
        // A list item is written as `,value`; a field as `,"name":value`.
        let key = if info.parent_type.starts_with('[') {
            1
        } else {
            info.alias.unwrap_or(info.name).len() + 4
        };
        let value = next.run(ctx, info).await?;
        let n = key + value.as_ref().map_or(4, shallow_json_len);
        if self.count(n) {
            Ok(value)
        } else {
            Err(self.exceeded())
        }
    }

    async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(r) = ctx.data_opt::<Arc<Reservation>>() {
            let _ = self.reservation.set(r.clone());
        }
        let resp = next.run(ctx, operation_name).await;
        if self.over.load(Ordering::Acquire) == OK {
            return resp;
        }
        // One error, no partial data: the many field errors that the
        // refusal left behind say nothing more.
        drop(resp);
        Response::from_errors(vec![self.exceeded()])
    }
}

/// The JSON length of `v` without what its own resolved fields and list
/// items count (objects and lists count their brackets only).
fn shallow_json_len(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Boolean(_) => 5,
        Value::Number(_) => 12,
        // Escapes can make a string longer; close enough for a ceiling.
        Value::String(s) => s.len() + 2,
        Value::Enum(e) => e.len() + 2,
        Value::Binary(b) => b.len() * 4 / 3 + 4,
        Value::List(_) | Value::Object(_) => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn budget(max: usize, in_flight: &Arc<InFlight>) -> Arc<dyn Extension> {
        ResponseBudget {
            max_bytes: max,
            in_flight: in_flight.clone(),
        }
        .create()
    }

    #[test]
    fn bytes_in_flight_are_bounded_and_handed_back() {
        let f = InFlight::new(100);
        assert!(f.take(60));
        assert!(!f.take(41), "over the bound");
        assert!(f.take(40));
        f.give_back(100);
        assert_eq!(f.bytes(), 0);
    }

    #[test]
    fn an_operation_over_its_ceiling_stops_and_gives_its_bytes_back() {
        let f = InFlight::new(1_000);
        let b = Budget {
            max_bytes: 50,
            in_flight: f.clone(),
            reservation: std::sync::OnceLock::new(),
            over: AtomicU8::new(OK),
        };
        assert!(b.count(30));
        assert_eq!(f.bytes(), 30);
        assert!(!b.count(30), "80 > 50");
        assert!(!b.count(1), "stays refused");
        let e = b.exceeded();
        assert_eq!(
            e.extensions.as_ref().and_then(|x| x.get("code")),
            Some(&Value::from("LIMIT_EXCEEDED"))
        );
        drop(b);
        assert_eq!(f.bytes(), 0);
    }

    #[test]
    fn a_full_process_refuses_with_unavailable() {
        let f = InFlight::new(40);
        let other = budget(1_000, &f);
        drop(other);
        assert!(f.take(30));
        let b = Budget {
            max_bytes: 1_000,
            in_flight: f.clone(),
            reservation: std::sync::OnceLock::new(),
            over: AtomicU8::new(OK),
        };
        assert!(b.count(10));
        assert!(!b.count(1));
        let e = b.exceeded();
        assert_eq!(
            e.extensions.as_ref().and_then(|x| x.get("code")),
            Some(&Value::from("UNAVAILABLE"))
        );
        drop(b);
        assert_eq!(f.bytes(), 30);
    }

    #[test]
    fn values_count_as_their_json() {
        assert_eq!(shallow_json_len(&Value::from("abc")), 5);
        assert_eq!(shallow_json_len(&Value::Null), 4);
        assert_eq!(
            shallow_json_len(&Value::List(vec![Value::from("x"); 10])),
            2,
            "items count themselves"
        );
    }
}
