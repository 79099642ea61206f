//! Activities the account team logs: meetings, calls, e-mails, visits, QBRs,
//! executive briefings, with the time spent, the contacts involved, the
//! users of ours who took part, and the action-item occurrence an activity
//! fulfils (an item id and the occurrence's due date, both or neither).

use crate::account::{ExternalRef, ExternalRefInput};
use crate::error::ValidationError;
use crate::ids::{ContactId, UserId};
use crate::patch::Patch;
use crate::text::RequiredText;
use crate::text_enum;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rust_decimal::Decimal;

text_enum!(
    /// What kind of interaction took place.
    ActivityKind {
        Meeting => "MEETING",
        Call => "CALL",
        Email => "EMAIL",
        Visit => "VISIT",
        Qbr => "QBR",
        ExecutiveBriefing => "EXECUTIVE_BRIEFING",
        Other => "OTHER",
    }
);

/// Most contacts one activity may name.
pub const MAX_CONTACTS: usize = 50;
/// Longest summary accepted.
pub const MAX_SUMMARY: usize = 5_000;
/// Most users of ours one activity may name.
pub const MAX_PARTICIPANTS: usize = 20;

/// Raw input of `logActivity`.
#[derive(Debug, Clone)]
pub struct ActivityInput {
    pub kind: ActivityKind,
    pub occurred_at: DateTime<Utc>,
    pub hours_spent: Option<Decimal>,
    pub summary: String,
    pub contact_ids: Vec<ContactId>,
    pub external_ref: Option<ExternalRefInput>,
    /// Users of ours who took part (besides who logs it).
    pub participant_ids: Vec<UserId>,
    /// The action item whose occurrence it fulfils, with `due_date`.
    pub action_item_id: Option<uuid::Uuid>,
    pub due_date: Option<NaiveDate>,
}

impl ActivityInput {
    /// An input with only the required values.
    pub fn new(kind: ActivityKind, occurred_at: DateTime<Utc>, summary: impl Into<String>) -> Self {
        ActivityInput {
            kind,
            occurred_at,
            hours_spent: None,
            summary: summary.into(),
            contact_ids: vec![],
            external_ref: None,
            participant_ids: vec![],
            action_item_id: None,
            due_date: None,
        }
    }
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
    /// Sorted, without duplicates.
    pub participant_ids: Vec<UserId>,
    /// The action-item occurrence it fulfils.
    pub fulfils: Option<(uuid::Uuid, NaiveDate)>,
}

/// A change to an activity: absent values stay; lists replace.
#[derive(Debug, Clone, Default)]
pub struct ActivityPatch {
    pub kind: Patch<ActivityKind>,
    pub occurred_at: Patch<DateTime<Utc>>,
    pub hours_spent: Patch<Decimal>,
    pub summary: Patch<String>,
    pub contact_ids: Option<Vec<ContactId>>,
    pub participant_ids: Option<Vec<UserId>>,
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
        let mut participant_ids = input.participant_ids;
        participant_ids.sort();
        participant_ids.dedup();
        if participant_ids.len() > MAX_PARTICIPANTS {
            return Err(ValidationError::new(
                "participantIds",
                format!("at most {MAX_PARTICIPANTS} participants"),
            ));
        }
        let fulfils = match (input.action_item_id, input.due_date) {
            (Some(i), Some(d)) => Some((i, d)),
            (None, None) => None,
            (Some(_), None) => {
                return Err(ValidationError::new(
                    "dueDate",
                    "is required with actionItemId",
                ));
            }
            (None, Some(_)) => {
                return Err(ValidationError::new(
                    "actionItemId",
                    "is required with dueDate",
                ));
            }
        };
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
            participant_ids,
            fulfils,
        })
    }

    /// Applies a change, with the same rules as a new activity (nothing
    /// changes on an error; the occurrence fulfilled and the external
    /// reference stay).
    pub fn apply(&mut self, p: ActivityPatch, now: DateTime<Utc>) -> Result<(), ValidationError> {
        let required = |field: &str| ValidationError::new(field, "cannot be null");
        let mut input = ActivityInput {
            kind: self.kind,
            occurred_at: self.occurred_at,
            hours_spent: Some(self.hours_spent),
            summary: self.summary.as_str().to_owned(),
            contact_ids: p.contact_ids.unwrap_or_else(|| self.contact_ids.clone()),
            external_ref: None,
            participant_ids: p
                .participant_ids
                .unwrap_or_else(|| self.participant_ids.clone()),
            action_item_id: self.fulfils.map(|f| f.0),
            due_date: self.fulfils.map(|f| f.1),
        };
        match p.kind {
            Patch::Set(k) => input.kind = k,
            Patch::Clear => return Err(required("kind")),
            Patch::Unchanged => {}
        }
        match p.occurred_at {
            Patch::Set(t) => input.occurred_at = t,
            Patch::Clear => return Err(required("occurredAt")),
            Patch::Unchanged => {}
        }
        match p.hours_spent {
            Patch::Set(h) => input.hours_spent = Some(h),
            Patch::Clear => input.hours_spent = None,
            Patch::Unchanged => {}
        }
        match p.summary {
            Patch::Set(s) => input.summary = s,
            Patch::Clear => return Err(required("summary")),
            Patch::Unchanged => {}
        }
        let external_ref = self.external_ref.take();
        let parsed = NewActivity::parse(input, now);
        match parsed {
            Ok(mut n) => {
                n.external_ref = external_ref;
                *self = n;
                Ok(())
            }
            Err(e) => {
                self.external_ref = external_ref;
                Err(e)
            }
        }
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
            participant_ids: vec![],
            action_item_id: None,
            due_date: None,
        }
    }

    #[test]
    fn an_occurrence_needs_both_its_item_and_its_date_and_changes_are_checked() {
        let now = Utc::now();
        let item = uuid::Uuid::now_v7();
        let e = NewActivity::parse(
            ActivityInput {
                action_item_id: Some(item),
                ..input()
            },
            now,
        )
        .unwrap_err();
        assert_eq!(e.field, "dueDate");
        let e = NewActivity::parse(
            ActivityInput {
                due_date: Some(now.date_naive()),
                ..input()
            },
            now,
        )
        .unwrap_err();
        assert_eq!(e.field, "actionItemId");
        let u = UserId(uuid::Uuid::now_v7());
        let mut a = NewActivity::parse(
            ActivityInput {
                action_item_id: Some(item),
                due_date: Some(now.date_naive()),
                participant_ids: vec![u, u],
                ..input()
            },
            now,
        )
        .unwrap();
        assert_eq!(a.participant_ids, vec![u]);
        let before = a.summary.clone();
        let e = a
            .apply(
                ActivityPatch {
                    summary: Patch::Set("new".into()),
                    hours_spent: Patch::Set(Decimal::from(30)),
                    ..Default::default()
                },
                now,
            )
            .unwrap_err();
        assert_eq!(e.field, "hoursSpent");
        assert_eq!(a.summary, before);
        assert_eq!(
            a.apply(
                ActivityPatch {
                    summary: Patch::Clear,
                    ..Default::default()
                },
                now
            )
            .unwrap_err()
            .field,
            "summary"
        );
        a.apply(
            ActivityPatch {
                kind: Patch::Set(ActivityKind::ExecutiveBriefing),
                hours_spent: Patch::Clear,
                participant_ids: Some(vec![]),
                ..Default::default()
            },
            now,
        )
        .unwrap();
        assert_eq!(a.kind, ActivityKind::ExecutiveBriefing);
        assert_eq!(a.hours_hundredths(), 0);
        assert!(a.participant_ids.is_empty());
        assert_eq!(a.fulfils, Some((item, now.date_naive())));
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
