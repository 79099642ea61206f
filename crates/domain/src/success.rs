//! The customer's own success criteria (a metric with a baseline, a
//! target and a due date, as the customer defines them; a plan objective
//! may serve one) and the value chain (entries that tie one of our
//! products to the customer's business outcome, optionally to the
//! criterion it moves).
//!
//! Rules: a metric (at most 200 characters) and a target are required;
//! values have at most 4 decimals and at most 10^14 in magnitude; the unit
//! at most 50 characters. A value-chain entry names a product and an
//! outcome (at most 500 characters).

use crate::account::{optional_patch, required};
use crate::error::ValidationError;
use crate::objective::{MAX_UNIT, MAX_VALUE, VALUE_SCALE};
use crate::patch::Patch;
use crate::profile::MAX_TEXT;
use crate::text::{MAX_SHORT_TEXT, RequiredText, optional_text};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use uuid::Uuid;

/// Longest business outcome.
pub const MAX_OUTCOME: usize = 500;

fn value(field: &str, v: Decimal) -> Result<Decimal, ValidationError> {
    if v.normalize().scale() > VALUE_SCALE {
        return Err(ValidationError::new(
            field,
            format!("must have at most {VALUE_SCALE} decimal places"),
        ));
    }
    if v.abs() > MAX_VALUE {
        return Err(ValidationError::new(field, "is too large"));
    }
    Ok(v.normalize())
}

/// A success criterion as the API gives it.
#[derive(Debug, Clone)]
pub struct CriterionInput {
    pub metric: String,
    pub unit: Option<String>,
    pub baseline: Option<Decimal>,
    pub target: Decimal,
    pub due_date: Option<NaiveDate>,
    pub notes: Option<String>,
}

/// A change to a success criterion.
#[derive(Debug, Clone, Default)]
pub struct CriterionPatch {
    pub metric: Patch<String>,
    pub unit: Patch<String>,
    pub baseline: Patch<Decimal>,
    pub target: Patch<Decimal>,
    pub due_date: Patch<NaiveDate>,
    pub notes: Patch<String>,
}

/// A valid success criterion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Criterion {
    pub metric: RequiredText,
    pub unit: Option<String>,
    pub baseline: Option<Decimal>,
    pub target: Decimal,
    pub due_date: Option<NaiveDate>,
    pub notes: Option<String>,
}

impl Criterion {
    pub fn parse(i: CriterionInput) -> Result<Self, ValidationError> {
        Ok(Criterion {
            metric: RequiredText::parse("metric", &i.metric, MAX_SHORT_TEXT)?,
            unit: optional_text("unit", i.unit.as_deref(), MAX_UNIT)?,
            baseline: i.baseline.map(|b| value("baseline", b)).transpose()?,
            target: value("target", i.target)?,
            due_date: i.due_date,
            notes: optional_text("notes", i.notes.as_deref(), MAX_TEXT)?,
        })
    }

    /// Applies a change; on an error nothing changes.
    pub fn apply(&mut self, p: CriterionPatch) -> Result<(), ValidationError> {
        let mut n = self.clone();
        if let Some(v) = required("metric", p.metric, |v| {
            RequiredText::parse("metric", &v, MAX_SHORT_TEXT)
        })? {
            n.metric = v;
        }
        optional_patch("unit", p.unit, MAX_UNIT)?.apply_to(&mut n.unit);
        p.baseline
            .try_map(|b| value("baseline", b))?
            .apply_to(&mut n.baseline);
        if let Some(t) = required("target", p.target, |t| value("target", t))? {
            n.target = t;
        }
        p.due_date.apply_to(&mut n.due_date);
        optional_patch("notes", p.notes, MAX_TEXT)?.apply_to(&mut n.notes);
        *self = n;
        Ok(())
    }
}

/// A value-chain entry as the API gives it.
#[derive(Debug, Clone)]
pub struct ValueLinkInput {
    pub product_id: Uuid,
    pub business_outcome: String,
    pub criterion_id: Option<Uuid>,
    pub notes: Option<String>,
}

/// A change to a value-chain entry.
#[derive(Debug, Clone, Default)]
pub struct ValueLinkPatch {
    pub product_id: Patch<Uuid>,
    pub business_outcome: Patch<String>,
    pub criterion_id: Patch<Uuid>,
    pub notes: Patch<String>,
}

/// A valid value-chain entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueLink {
    pub product_id: Uuid,
    pub business_outcome: RequiredText,
    pub criterion_id: Option<Uuid>,
    pub notes: Option<String>,
}

impl ValueLink {
    pub fn parse(i: ValueLinkInput) -> Result<Self, ValidationError> {
        Ok(ValueLink {
            product_id: i.product_id,
            business_outcome: RequiredText::parse(
                "businessOutcome",
                &i.business_outcome,
                MAX_OUTCOME,
            )?,
            criterion_id: i.criterion_id,
            notes: optional_text("notes", i.notes.as_deref(), MAX_TEXT)?,
        })
    }

    /// Applies a change; on an error nothing changes.
    pub fn apply(&mut self, p: ValueLinkPatch) -> Result<(), ValidationError> {
        let mut n = self.clone();
        if let Some(v) = required("productId", p.product_id, Ok)? {
            n.product_id = v;
        }
        if let Some(v) = required("businessOutcome", p.business_outcome, |v| {
            RequiredText::parse("businessOutcome", &v, MAX_OUTCOME)
        })? {
            n.business_outcome = v;
        }
        p.criterion_id.apply_to(&mut n.criterion_id);
        optional_patch("notes", p.notes, MAX_TEXT)?.apply_to(&mut n.notes);
        *self = n;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn input() -> CriterionInput {
        CriterionInput {
            metric: "On-time delivery".into(),
            unit: Some("%".into()),
            baseline: Some(d("91.5")),
            target: d("98"),
            due_date: NaiveDate::from_ymd_opt(2027, 3, 31),
            notes: None,
        }
    }

    #[test]
    fn criteria_need_a_metric_and_a_target_within_bounds() {
        let c = Criterion::parse(input()).unwrap();
        assert_eq!((c.baseline, c.target), (Some(d("91.5")), d("98")));
        for (i, field) in [
            (
                CriterionInput {
                    metric: " ".into(),
                    ..input()
                },
                "metric",
            ),
            (
                CriterionInput {
                    target: d("1.00001"),
                    ..input()
                },
                "target",
            ),
            (
                CriterionInput {
                    baseline: Some(d("1000000000000000")),
                    ..input()
                },
                "baseline",
            ),
            (
                CriterionInput {
                    unit: Some("u".repeat(51)),
                    ..input()
                },
                "unit",
            ),
        ] {
            assert_eq!(Criterion::parse(i).unwrap_err().field, field);
        }
    }

    #[test]
    fn changes_apply_whole_or_not_at_all() {
        let mut c = Criterion::parse(input()).unwrap();
        let before = c.clone();
        let e = c
            .apply(CriterionPatch {
                baseline: Patch::Clear,
                target: Patch::Clear,
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "target");
        assert_eq!(c, before);
        c.apply(CriterionPatch {
            baseline: Patch::Clear,
            target: Patch::Set(d("99")),
            ..Default::default()
        })
        .unwrap();
        assert_eq!((c.baseline, c.target), (None, d("99")));

        let p = Uuid::now_v7();
        let mut v = ValueLink::parse(ValueLinkInput {
            product_id: p,
            business_outcome: "Fewer line stoppages".into(),
            criterion_id: None,
            notes: None,
        })
        .unwrap();
        assert_eq!(
            v.apply(ValueLinkPatch {
                product_id: Patch::Clear,
                ..Default::default()
            })
            .unwrap_err()
            .field,
            "productId"
        );
        let e = ValueLink::parse(ValueLinkInput {
            product_id: p,
            business_outcome: "x".repeat(501),
            criterion_id: None,
            notes: None,
        })
        .unwrap_err();
        assert_eq!(e.field, "businessOutcome");
    }
}
