//! Dates a client may send: years 0001 to 9999. chrono (and so the
//! `NaiveDate` and `DateTime` scalars) reads years beyond, which order
//! wrongly as text and in cursors; each date argument and input field
//! carries `#[graphql(validator(custom = "SupportedDate"))]`.

use async_graphql::{CustomValidator, InputValueError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};

/// Refuses dates outside years 0001 to 9999 (`VALIDATION`).
pub struct SupportedDate;

const MESSAGE: &str = "must be a date from 0001-01-01 to 9999-12-31";

impl CustomValidator<NaiveDate> for SupportedDate {
    fn check(&self, v: &NaiveDate) -> Result<(), InputValueError<NaiveDate>> {
        if (1..=9999).contains(&v.year()) {
            Ok(())
        } else {
            Err(InputValueError::custom(MESSAGE))
        }
    }
}

impl CustomValidator<DateTime<Utc>> for SupportedDate {
    fn check(&self, v: &DateTime<Utc>) -> Result<(), InputValueError<DateTime<Utc>>> {
        if (1..=9999).contains(&v.year()) {
            Ok(())
        } else {
            Err(InputValueError::custom(MESSAGE))
        }
    }
}
