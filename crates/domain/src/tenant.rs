//! Tenants: the supplier organisations using Steward.

use crate::error::ValidationError;

/// A tenant's URL-safe short name: 2..=63 of `a-z`, `0-9`, `-`, not starting
/// or ending with `-`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let t = raw.trim();
        let ok = (2..=63).contains(&t.len())
            && t.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !t.starts_with('-')
            && !t.ends_with('-');
        if ok {
            Ok(Self(t.to_owned()))
        } else {
            Err(ValidationError::new(
                field,
                "must be 2 to 63 characters of a-z, 0-9 and '-', not starting or ending with '-'",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An IANA time zone name such as `Europe/Berlin`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimeZone(String);

impl TimeZone {
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        raw.trim()
            .parse::<chrono_tz::Tz>()
            .map(|tz| Self(tz.name().to_owned()))
            .map_err(|_| {
                ValidationError::new(field, "must be an IANA time zone such as Europe/Berlin")
            })
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The month (1..=12) in which the tenant's fiscal year starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FiscalYearStartMonth(u8);

impl FiscalYearStartMonth {
    pub fn parse(field: &str, raw: i32) -> Result<Self, ValidationError> {
        u8::try_from(raw)
            .ok()
            .filter(|m| (1..=12).contains(m))
            .map(Self)
            .ok_or_else(|| ValidationError::new(field, "must be a month number from 1 to 12"))
    }

    pub fn get(self) -> u8 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(Slug::parse("slug", "acme-corp").is_ok());
        for bad in ["", "a", "Acme", "-acme", "acme-", "ac me"] {
            assert!(Slug::parse("slug", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn time_zones_and_months() {
        assert_eq!(
            TimeZone::parse("tz", "Europe/Berlin").unwrap().as_str(),
            "Europe/Berlin"
        );
        assert!(TimeZone::parse("tz", "Mars/Base").is_err());
        assert!(FiscalYearStartMonth::parse("m", 4).is_ok());
        assert!(FiscalYearStartMonth::parse("m", 0).is_err());
        assert!(FiscalYearStartMonth::parse("m", 13).is_err());
    }
}
