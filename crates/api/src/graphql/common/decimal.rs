//! The `Decimal` scalar: an exact decimal, written as a string.
//!
//! async-graphql's own `Decimal` scalar reads a JSON number through
//! `Decimal::try_from(f64)`, which rounds: `0.30000000000000004` became
//! `0.3` and passed, while the same value as a string was refused (more than
//! 4 decimal places). Here a JSON number is read as the shortest text that
//! reads back as the same 64-bit float, which is the text the client wrote
//! for any decimal of up to 15 significant digits, and then exactly as that
//! string would be: the same value is accepted or refused the same way,
//! whichever way it is sent.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use rust_decimal::Decimal;
use std::str::FromStr;

/// An exact decimal (the GraphQL `Decimal` scalar).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Dec(pub Decimal);

/// An exact decimal number, written as a string (`"1250000.50"`) so that no
/// digit is lost to floating point. Input: a string, or a JSON number, read
/// as the digits it was written with (up to 15 significant digits; send
/// strings for more): `0.1` and `"0.1"` are the same value, and a number
/// with more decimal places than a field allows is refused as its string is.
#[Scalar(name = "Decimal")]
impl ScalarType for Dec {
    fn parse(value: Value) -> InputValueResult<Self> {
        match &value {
            Value::String(s) => Ok(Dec(Decimal::from_str(s)?)),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    return Ok(Dec(Decimal::from(i)));
                }
                if let Some(u) = n.as_u64() {
                    return Ok(Dec(Decimal::from(u)));
                }
                let f = n
                    .as_f64()
                    .ok_or_else(|| InputValueError::custom("is not a number"))?;
                // Rust writes the shortest text that reads back as `f`.
                Decimal::from_str(&format!("{f}")).map(Dec).map_err(|_| {
                    InputValueError::custom(
                        "is out of range for an exact decimal; send it as a string",
                    )
                })
            }
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.to_string())
    }
}

/// A value stored in ten-thousandths (objective values), as the `Decimal`
/// scalar returns it (`services::plans::from_e4`: normalised, `"0"` for
/// zero); the compiled path writes it without building the Decimal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct E4(pub i64);

impl async_graphql::OutputType for E4 {
    fn type_name() -> std::borrow::Cow<'static, str> {
        <Dec as async_graphql::OutputType>::type_name()
    }

    fn create_type_info(registry: &mut async_graphql::registry::Registry) -> String {
        <Dec as async_graphql::OutputType>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        _: &async_graphql::ContextSelectionSet<'_>,
        _: &async_graphql::Positioned<async_graphql::parser::types::Field>,
    ) -> async_graphql::ServerResult<Value> {
        Ok(Dec(crate::services::plans::from_e4(self.0)).to_value())
    }
}

impl From<Decimal> for Dec {
    fn from(d: Decimal) -> Self {
        Dec(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<String, String> {
        let v = Value::from_json(serde_json::from_str(json).unwrap()).unwrap();
        Dec::parse(v)
            .map(|d| d.0.to_string())
            .map_err(|e| e.into_server_error(Default::default()).message)
    }

    #[test]
    fn numbers_read_as_the_digits_they_were_written_with() {
        assert_eq!(parse("0.30000000000000004").unwrap(), "0.30000000000000004");
        assert_eq!(
            parse(r#""0.30000000000000004""#).unwrap(),
            "0.30000000000000004"
        );
        assert_eq!(parse("0.1").unwrap(), "0.1");
        assert_eq!(parse("1250000.5").unwrap(), "1250000.5");
        assert_eq!(parse("12").unwrap(), "12");
        assert_eq!(parse("-7.25").unwrap(), "-7.25");
        assert_eq!(
            parse("18446744073709551615").unwrap(),
            "18446744073709551615"
        );
        assert!(parse("1e300").is_err());
        assert!(parse("true").is_err());
    }
}
