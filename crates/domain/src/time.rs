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

/// The instant a day starts in a time zone (an IANA name; UTC when
/// unknown; the earliest instant when the zone's clocks jump at midnight).
pub fn start_of_day_in(day: chrono::NaiveDate, time_zone: &str) -> DateTime<Utc> {
    use chrono::TimeZone;
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => tz
            .from_local_datetime(&midnight)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&midnight)),
        Err(_) => Utc.from_utc_datetime(&midnight),
    }
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
