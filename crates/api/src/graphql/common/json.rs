//! JSON writers for leaf values: each produces exactly what serde_json
//! writes for the `async_graphql::Value` that the resolver would return.
//! [`Json`] ties them to the types that leaf fields return, so that one
//! description of a field (see `object!`) serves async-graphql's resolver
//! and the compiled read path.

use async_graphql::ScalarType;
use async_graphql::resolver_utils::EnumType;
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

pub(crate) fn null(o: &mut Vec<u8>) {
    o.extend_from_slice(b"null");
}

/// A JSON string, escaped as serde_json escapes it.
pub(crate) fn str(o: &mut Vec<u8>, s: &str) {
    // Writing into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *o, s);
}

/// A value or `null`.
pub(crate) fn opt<T: ?Sized>(o: &mut Vec<u8>, v: Option<&T>, f: impl FnOnce(&T, &mut Vec<u8>)) {
    match v {
        Some(v) => f(v, o),
        None => null(o),
    }
}

/// A name that needs no escaping (type and enum names).
pub(crate) fn name(o: &mut Vec<u8>, n: &str) {
    o.push(b'"');
    o.extend_from_slice(n.as_bytes());
    o.push(b'"');
}

pub(crate) fn id(o: &mut Vec<u8>, kind: crate::graphql::common::ids::Kind, id: uuid::Uuid) {
    crate::graphql::common::ids::write_json(o, kind, id);
}

pub(crate) fn int(o: &mut Vec<u8>, n: i64) {
    let _ = serde_json::to_writer(&mut *o, &n);
}

pub(crate) fn boolean(o: &mut Vec<u8>, b: bool) {
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

pub(crate) fn datetime(o: &mut Vec<u8>, t: &DateTime<Utc>) {
    scalar(o, t.to_value());
}

pub(crate) fn date(o: &mut Vec<u8>, d: NaiveDate) {
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

pub(crate) fn decimal(o: &mut Vec<u8>, d: Decimal) {
    scalar(o, d.to_value());
}

/// The Decimal scalar of `services::plans::from_e4(v)` (ten-thousandths,
/// normalised: no trailing zeros, `"0"` for zero) without building the
/// Decimal, its string and a `Value` (objective values: ~600 per dashboard).
pub(crate) fn decimal_e4(o: &mut Vec<u8>, v: i64) {
    o.push(b'"');
    if v < 0 {
        o.push(b'-');
    }
    let u = v.unsigned_abs();
    let (int, mut frac) = (u / 10_000, u % 10_000);
    let mut digits = itoa::Buffer::new();
    o.extend_from_slice(digits.format(int).as_bytes());
    if frac != 0 {
        let mut width = 4;
        while frac % 10 == 0 {
            frac /= 10;
            width -= 1;
        }
        o.push(b'.');
        let f = digits.format(frac);
        o.extend(std::iter::repeat_n(b'0', width - f.len()));
        o.extend_from_slice(f.as_bytes());
    }
    o.push(b'"');
}

/// An enum value by its GraphQL name.
pub(crate) fn enumeration<E: EnumType>(o: &mut Vec<u8>, v: E) {
    match E::items().iter().find(|i| i.value == v) {
        Some(i) => name(o, i.name),
        None => null(o),
    }
}

/// Writes one leaf value of a row (the compiled path's field writer).
pub(crate) type Leaf<R> = fn(&R, &mut Vec<u8>);

/// A value a leaf field returns, written as JSON exactly as async-graphql
/// writes the `Value` it resolves to.
pub(crate) trait Json {
    fn write_json(&self, o: &mut Vec<u8>);
}

impl<T: Json + ?Sized> Json for &T {
    fn write_json(&self, o: &mut Vec<u8>) {
        (**self).write_json(o);
    }
}

impl<T: Json> Json for Option<T> {
    fn write_json(&self, o: &mut Vec<u8>) {
        match self {
            Some(v) => v.write_json(o),
            None => null(o),
        }
    }
}

impl<T: Json> Json for Vec<T> {
    fn write_json(&self, o: &mut Vec<u8>) {
        o.push(b'[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                o.push(b',');
            }
            v.write_json(o);
        }
        o.push(b']');
    }
}

impl Json for str {
    fn write_json(&self, o: &mut Vec<u8>) {
        str(o, self);
    }
}

impl Json for String {
    fn write_json(&self, o: &mut Vec<u8>) {
        str(o, self);
    }
}

impl Json for async_graphql::ID {
    fn write_json(&self, o: &mut Vec<u8>) {
        str(o, self);
    }
}

impl Json for bool {
    fn write_json(&self, o: &mut Vec<u8>) {
        boolean(o, *self);
    }
}

impl Json for i32 {
    fn write_json(&self, o: &mut Vec<u8>) {
        int(o, i64::from(*self));
    }
}

impl Json for i64 {
    fn write_json(&self, o: &mut Vec<u8>) {
        int(o, *self);
    }
}

/// As async-graphql writes a `Float` (serde_json's shortest form; `null`
/// for a value JSON cannot hold).
impl Json for f64 {
    fn write_json(&self, o: &mut Vec<u8>) {
        match serde_json::Number::from_f64(*self) {
            Some(n) => o.extend_from_slice(n.to_string().as_bytes()),
            None => o.extend_from_slice(b"null"),
        }
    }
}

impl Json for DateTime<Utc> {
    fn write_json(&self, o: &mut Vec<u8>) {
        datetime(o, self);
    }
}

impl Json for NaiveDate {
    fn write_json(&self, o: &mut Vec<u8>) {
        date(o, *self);
    }
}

impl Json for super::decimal::Dec {
    fn write_json(&self, o: &mut Vec<u8>) {
        decimal(o, self.0);
    }
}

impl Json for super::decimal::E4 {
    fn write_json(&self, o: &mut Vec<u8>) {
        decimal_e4(o, self.0);
    }
}

impl Json for super::ids::GlobalId {
    fn write_json(&self, o: &mut Vec<u8>) {
        id(o, self.0, self.1);
    }
}

/// `Json` for GraphQL enums: their GraphQL name.
macro_rules! json_enums {
    ($($e:ty),* $(,)?) => {
        $(impl $crate::graphql::common::json::Json for $e {
            fn write_json(&self, o: &mut Vec<u8>) {
                $crate::graphql::common::json::enumeration(o, *self);
            }
        })*
    };
}
pub(crate) use json_enums;

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

    #[test]
    fn e4_decimals_are_written_as_the_scalar_writes_them() {
        use crate::services::plans::from_e4;
        let mut values = vec![
            0,
            1,
            -1,
            5,
            10,
            100,
            1_000,
            10_000,
            -10_000,
            12_345,
            -12_345,
            120_000,
            1_000_100,
            99_990,
            i64::MAX,
            i64::MIN + 1,
            i64::MIN,
        ];
        // A deterministic spread over magnitudes and trailing zeros.
        let mut x: i64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..5_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            values.push(x >> (x & 63).unsigned_abs());
            values.push((x % 1_000_000) * 10);
        }
        for v in values {
            let mut o = Vec::new();
            decimal_e4(&mut o, v);
            let mut expected = Vec::new();
            decimal(&mut expected, from_e4(v));
            assert_eq!(
                String::from_utf8(o).unwrap(),
                String::from_utf8(expected).unwrap(),
                "{v}"
            );
        }
    }
}
