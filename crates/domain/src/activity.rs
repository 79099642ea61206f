//! Activities the account team logs: meetings, calls, e-mails, visits, QBRs,
//! with the time spent and the contacts involved.

use crate::account::{ExternalRef, ExternalRefInput};
use crate::error::ValidationError;
use crate::ids::ContactId;
use crate::text::RequiredText;
use crate::text_enum;
use chrono::{DateTime, Duration, Utc};
use rust_decimal::Decimal;

text_enum!(
    /// What kind of interaction took place.
    ActivityKind {
        Meeting => "MEETING",
        Call => "CALL",
        Email => "EMAIL",
        Visit => "VISIT",
        Qbr => "QBR",
        Other => "OTHER",
    }
);

/// Most contacts one activity may name.
pub const MAX_CONTACTS: usize = 50;
/// Longest summary accepted.
pub const MAX_SUMMARY: usize = 5_000;

/// Raw input of `logActivity`.
#[derive(Debug, Clone)]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub occurred_at: DateTime<Utc>,
    pub hours_spent: Option<Decimal>,
    pub summary: String,
    pub contact_ids: Vec<ContactId>,
    pub external_ref: Option<ExternalRefInput>,
}

/// A valid activity (its account and contacts are checked by the service).
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub kind: ActivityKind,
    pub occurred_at: DateTime<Utc>,
    /// Hours, at most 2 decimals, 0..=24.
    pub hours_spent: Decimal,
    pub summary: RequiredText,
    pub contact_ids: Vec<ContactId>,
    pub external_ref: Option<ExternalRef>,
}

impl NewActivity {
    /// Parses, checking against `now` that the activity is not in the future
    /// (a day of clock skew is tolerated): activities record what happened.
    pub fn parse(input: ActivityInput, now: DateTime<Utc>) -> Result<Self, ValidationError> {
        if input.occurred_at > now + Duration::days(1) {
            return Err(ValidationError::new(
                "occurredAt",
                "must not be in the future",
            ));
        }
        let hours = input.hours_spent.unwrap_or(Decimal::ZERO);
        if hours.is_sign_negative() && !hours.is_zero() || hours > Decimal::from(24) {
            return Err(ValidationError::new(
                "hoursSpent",
                "must be between 0 and 24",
            ));
        }
        if hours.normalize().scale() > 2 {
            return Err(ValidationError::new(
                "hoursSpent",
                "must have at most 2 decimal places",
            ));
        }
        let mut contact_ids = input.contact_ids;
        contact_ids.sort();
        contact_ids.dedup();
        if contact_ids.len() > MAX_CONTACTS {
            return Err(ValidationError::new(
                "contactIds",
                format!("at most {MAX_CONTACTS} contacts"),
            ));
        }
        let summary = RequiredText::parse("summary", &input.summary, MAX_SUMMARY)?;
        Ok(Self {
            kind: input.kind,
            occurred_at: crate::time::to_millis(input.occurred_at),
            hours_spent: hours.normalize(),
            summary,
            contact_ids,
            external_ref: input
                .external_ref
                .map(|e| ExternalRef::parse("externalRef", &e.source, &e.external_id))
                .transpose()?,
        })
    }

    /// Hours as stored: hundredths of an hour.
    pub fn hours_hundredths(&self) -> i32 {
        i32::try_from((self.hours_spent * Decimal::from(100)).trunc().mantissa()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ActivityInput {
        ActivityInput {
            kind: ActivityKind::Meeting,
            occurred_at: Utc::now(),
            hours_spent: Some(Decimal::new(15, 1)),
            summary: "QBR with the COO".into(),
            contact_ids: vec![],
            external_ref: None,
        }
    }

    #[test]
    fn a_valid_activity_keeps_its_hours_exactly() {
        let a = NewActivity::parse(input(), Utc::now()).unwrap();
        assert_eq!(a.hours_hundredths(), 150);
    }

    #[test]
    fn hours_summary_and_date_are_checked() {
        let now = Utc::now();
        let e = NewActivity::parse(
            ActivityInput {
                hours_spent: Some(Decimal::from(25)),
                ..input()
            },
            now,
        )
        .unwrap_err();
        assert_eq!(e.field, "hoursSpent");
        let e = NewActivity::parse(
            ActivityInput {
                hours_spent: Some(Decimal::new(-1, 0)),
                ..input()
            },
            now,
        )
        .unwrap_err();
        assert_eq!(e.field, "hoursSpent");
        let e = NewActivity::parse(
            ActivityInput {
                summary: " ".into(),
                ..input()
            },
            now,
        )
        .unwrap_err();
        assert_eq!(e.field, "summary");
        let e = NewActivity::parse(
            ActivityInput {
                occurred_at: now + Duration::days(3),
                ..input()
            },
            now,
        )
        .unwrap_err();
        assert_eq!(e.field, "occurredAt");
    }

    #[test]
    fn contacts_are_deduplicated() {
        let c = ContactId::new();
        let a = NewActivity::parse(
            ActivityInput {
                contact_ids: vec![c, c],
                ..input()
            },
            Utc::now(),
        )
        .unwrap();
        assert_eq!(a.contact_ids, vec![c]);
    }
}
