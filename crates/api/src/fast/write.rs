//! JSON writers for leaf values: each produces exactly what serde_json
//! writes for the `async_graphql::Value` that the resolver would return.

use async_graphql::ScalarType;
use async_graphql::resolver_utils::EnumType;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

pub(super) fn null(o: &mut Vec<u8>) {
    o.extend_from_slice(b"null");
}

/// A JSON string, escaped as serde_json escapes it.
pub(super) fn str(o: &mut Vec<u8>, s: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *o, s);
}

pub(super) fn opt_str(o: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => str(o, s),
        None => null(o),
    }
}

/// A value or `null`.
pub(super) fn opt<T: ?Sized>(o: &mut Vec<u8>, v: Option<&T>, f: impl FnOnce(&T, &mut Vec<u8>)) {
    match v {
        Some(v) => f(v, o),
        None => null(o),
    }
}

/// A name that needs no escaping (type and enum names).
pub(super) fn name(o: &mut Vec<u8>, n: &str) {
    o.push(b'"');
    o.extend_from_slice(n.as_bytes());
    o.push(b'"');
}

pub(super) fn id(o: &mut Vec<u8>, kind: crate::graphql::ids::Kind, id: uuid::Uuid) {
    crate::graphql::ids::write_json(o, kind, id);
}

pub(super) fn int(o: &mut Vec<u8>, n: i64) {
    let _ = serde_json::to_writer(&mut *o, &n);
}

pub(super) fn boolean(o: &mut Vec<u8>, b: bool) {
    o.extend_from_slice(if b { b"true" } else { b"false" });
}

fn scalar(o: &mut Vec<u8>, v: async_graphql::Value) {
    match v {
        async_graphql::Value::String(s) => str(o, &s),
        other => {
            let _ = serde_json::to_writer(&mut *o, &other);
        }
    }
}

pub(super) fn datetime(o: &mut Vec<u8>, t: &DateTime<Utc>) {
    scalar(o, t.to_value());
}

pub(super) fn date(o: &mut Vec<u8>, d: NaiveDate) {
    o.push(b'"');
    iso_date(o, d);
    o.push(b'"');
}

/// `%Y-%m-%d` without chrono's format parser (years 0 to 9999; others,
/// which the API cannot store, take the formatter).
pub(crate) fn iso_date(o: &mut Vec<u8>, d: NaiveDate) {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        o.extend_from_slice(d.format("%Y-%m-%d").to_string().as_bytes());
        return;
    }
    let y = y.unsigned_abs();
    o.extend_from_slice(&[
        b'0' + (y / 1000) as u8,
        b'0' + (y / 100 % 10) as u8,
        b'0' + (y / 10 % 10) as u8,
        b'0' + (y % 10) as u8,
        b'-',
        b'0' + (m / 10) as u8,
        b'0' + (m % 10) as u8,
        b'-',
        b'0' + (day / 10) as u8,
        b'0' + (day % 10) as u8,
    ]);
}

pub(super) fn decimal(o: &mut Vec<u8>, d: Decimal) {
    scalar(o, d.to_value());
}

/// An enum value by its GraphQL name.
pub(super) fn enumeration<E: EnumType>(o: &mut Vec<u8>, v: E) {
    match E::items().iter().find(|i| i.value == v) {
        Some(i) => name(o, i.name),
        None => null(o),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::ScalarType;

    #[test]
    fn dates_are_written_as_the_scalar_writes_them() {
        for (y, m, d) in [
            (2026, 1, 5),
            (1, 12, 31),
            (999, 2, 28),
            (9999, 12, 31),
            (0, 1, 1),
        ] {
            let day = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut o = Vec::new();
            date(&mut o, day);
            let async_graphql::Value::String(s) = day.to_value() else {
                panic!("not a string")
            };
            assert_eq!(String::from_utf8(o).unwrap(), format!("\"{s}\""));
        }
    }
}
