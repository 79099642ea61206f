//! Points in time as Steward keeps and returns them: to the millisecond.
//!
//! RFC 3339 readers differ in how many fractional digits they take (Python's
//! `datetime.fromisoformat` before 3.11 and many JSON decoders stop at three
//! or six); the API writes at most three. Every timestamp Steward makes or
//! stores is cut to milliseconds, so what is returned is what is kept.

use chrono::{DateTime, SubsecRound, Utc};

/// `t` without its sub-millisecond part.
pub fn to_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_keep_milliseconds_only() {
        let t = DateTime::parse_from_rfc3339("2026-12-07T00:30:12.123456789Z")
            .unwrap()
            .with_timezone(&Utc);
        let m = to_millis(t);
        assert_eq!(
            m.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            "2026-12-07T00:30:12.123Z"
        );
        assert_eq!(to_millis(m), m);
    }
}
