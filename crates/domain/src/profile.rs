//! The customer's strategic profile, as the account team learns it:
//!
//! - **Insights**, each one entry of a kind: the customer's goals and
//!   initiatives (with a horizon), the industry trends that bear on them,
//!   their needs and pains (with a priority), and SWOT items (strengths,
//!   weaknesses, opportunities, threats, with the evidence). Rules: a title
//!   is required; only goals and initiatives have a horizon, only needs and
//!   pains a priority (a need or pain without one is `MEDIUM`).
//! - The **profile**: mission, vision, values (a list), market positioning,
//!   and the buying and decision process: its steps in order, its typical
//!   cycle in days (1 to 3650), and the approval thresholds (from which
//!   amount who signs; amounts strictly increasing within one currency, at
//!   most one currency, at most 20 thresholds).

use crate::account::{MoneyInput, optional_patch, required};
use crate::error::ValidationError;
use crate::patch::Patch;
use crate::text::{MAX_SHORT_TEXT, Money, RequiredText, optional_text};
use crate::text_enum;

/// Longest description, evidence or profile text.
pub const MAX_TEXT: usize = 5_000;
/// Most values, buying steps or thresholds in a profile.
pub const MAX_LIST: usize = 20;
/// Longest typical buying cycle, in days.
pub const MAX_CYCLE_DAYS: i32 = 3650;

text_enum!(
    /// What an insight about the customer is.
    InsightKind {
        Goal => "GOAL",
        Initiative => "INITIATIVE",
        IndustryTrend => "INDUSTRY_TREND",
        Need => "NEED",
        Pain => "PAIN",
        Strength => "STRENGTH",
        Weakness => "WEAKNESS",
        Opportunity => "OPPORTUNITY",
        Threat => "THREAT",
    }
);

/// Which list of the profile an insight belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsightGroup {
    /// Goals and initiatives.
    Goals,
    IndustryTrends,
    /// Needs and pains.
    Needs,
    Swot,
}

impl InsightKind {
    pub fn group(self) -> InsightGroup {
        use InsightKind::*;
        match self {
            Goal | Initiative => InsightGroup::Goals,
            IndustryTrend => InsightGroup::IndustryTrends,
            Need | Pain => InsightGroup::Needs,
            Strength | Weakness | Opportunity | Threat => InsightGroup::Swot,
        }
    }

    /// Whether insights of this kind have a horizon.
    pub fn has_horizon(self) -> bool {
        self.group() == InsightGroup::Goals
    }

    /// Whether insights of this kind have a priority.
    pub fn has_priority(self) -> bool {
        self.group() == InsightGroup::Needs
    }
}

text_enum!(
    /// When a goal or initiative is meant to pay off.
    Horizon {
        /// Within the year.
        ShortTerm => "SHORT_TERM",
        /// One to three years.
        MediumTerm => "MEDIUM_TERM",
        /// Beyond three years.
        LongTerm => "LONG_TERM",
    }
);

text_enum!(
    /// How pressing a need or pain is for the customer.
    Priority {
        Low => "LOW",
        Medium => "MEDIUM",
        High => "HIGH",
        Critical => "CRITICAL",
    }
);

impl Priority {
    /// Higher is more pressing (for ordering).
    pub fn weight(self) -> i16 {
        match self {
            Priority::Low => 1,
            Priority::Medium => 2,
            Priority::High => 3,
            Priority::Critical => 4,
        }
    }
}

/// An insight as the API gives it.
#[derive(Debug, Clone)]
pub struct InsightInput {
    pub kind: InsightKind,
    pub title: String,
    pub detail: Option<String>,
    pub horizon: Option<Horizon>,
    pub priority: Option<Priority>,
}

/// A change to an insight (its kind stays).
#[derive(Debug, Clone, Default)]
pub struct InsightPatch {
    pub title: Patch<String>,
    pub detail: Patch<String>,
    pub horizon: Patch<Horizon>,
    pub priority: Patch<Priority>,
}

/// A valid insight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insight {
    pub kind: InsightKind,
    pub title: RequiredText,
    pub detail: Option<String>,
    pub horizon: Option<Horizon>,
    pub priority: Option<Priority>,
}

impl Insight {
    pub fn parse(i: InsightInput) -> Result<Self, ValidationError> {
        let mut n = Insight {
            kind: i.kind,
            title: RequiredText::parse("title", &i.title, MAX_SHORT_TEXT)?,
            detail: optional_text("detail", i.detail.as_deref(), MAX_TEXT)?,
            horizon: i.horizon,
            priority: i.priority,
        };
        n.check()?;
        Ok(n)
    }

    /// Applies a change; on an error nothing changes.
    pub fn apply(&mut self, p: InsightPatch) -> Result<(), ValidationError> {
        let mut n = self.clone();
        if let Some(t) = required("title", p.title, |v| {
            RequiredText::parse("title", &v, MAX_SHORT_TEXT)
        })? {
            n.title = t;
        }
        optional_patch("detail", p.detail, MAX_TEXT)?.apply_to(&mut n.detail);
        p.horizon.apply_to(&mut n.horizon);
        p.priority.apply_to(&mut n.priority);
        n.check()?;
        *self = n;
        Ok(())
    }

    fn check(&mut self) -> Result<(), ValidationError> {
        if self.horizon.is_some() && !self.kind.has_horizon() {
            return Err(ValidationError::new(
                "horizon",
                "only goals and initiatives have a horizon",
            ));
        }
        if self.priority.is_some() && !self.kind.has_priority() {
            return Err(ValidationError::new(
                "priority",
                "only needs and pains have a priority",
            ));
        }
        if self.kind.has_priority() && self.priority.is_none() {
            self.priority = Some(Priority::Medium);
        }
        Ok(())
    }
}

/// From which amount who signs.
#[derive(Debug, Clone)]
pub struct ThresholdInput {
    pub from: MoneyInput,
    pub signed_by: String,
}

/// A valid approval threshold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Threshold {
    pub from: Money,
    pub signed_by: String,
}

/// A change to the profile: absent fields stay, `null` clears.
#[derive(Debug, Clone, Default)]
pub struct ProfilePatch {
    pub mission: Patch<String>,
    pub vision: Patch<String>,
    pub values: Patch<Vec<String>>,
    pub market_positioning: Patch<String>,
    pub buying_steps: Patch<Vec<String>>,
    pub buying_cycle_days: Patch<i32>,
    pub approval_thresholds: Patch<Vec<ThresholdInput>>,
}

/// A valid profile (every part optional; lists empty when unknown).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub mission: Option<String>,
    pub vision: Option<String>,
    pub values: Vec<String>,
    pub market_positioning: Option<String>,
    pub buying_steps: Vec<String>,
    pub buying_cycle_days: Option<i32>,
    pub approval_thresholds: Vec<Threshold>,
}

fn text_list(field: &str, items: Vec<String>) -> Result<Vec<String>, ValidationError> {
    if items.len() > MAX_LIST {
        return Err(ValidationError::new(
            field,
            format!("must have at most {MAX_LIST} entries"),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            RequiredText::parse(&format!("{field}.{i}"), s, MAX_SHORT_TEXT).map(|t| t.into_inner())
        })
        .collect()
}

fn thresholds(items: Vec<ThresholdInput>) -> Result<Vec<Threshold>, ValidationError> {
    const F: &str = "approvalThresholds";
    if items.len() > MAX_LIST {
        return Err(ValidationError::new(
            F,
            format!("must have at most {MAX_LIST} entries"),
        ));
    }
    let mut out: Vec<Threshold> = Vec::with_capacity(items.len());
    for (i, t) in items.into_iter().enumerate() {
        let from =
            Money::parse_non_negative(&format!("{F}.{i}.from"), t.from.amount, &t.from.currency)?;
        let signed_by =
            RequiredText::parse(&format!("{F}.{i}.signedBy"), &t.signed_by, MAX_SHORT_TEXT)?;
        if let Some(prev) = out.last() {
            if prev.from.currency != from.currency {
                return Err(ValidationError::new(
                    format!("{F}.{i}.from.currency"),
                    "all thresholds are in one currency",
                ));
            }
            if from.amount <= prev.from.amount {
                return Err(ValidationError::new(
                    format!("{F}.{i}.from.amount"),
                    "thresholds must increase",
                ));
            }
        }
        out.push(Threshold {
            from,
            signed_by: signed_by.into_inner(),
        });
    }
    Ok(out)
}

impl Profile {
    /// Applies a change; on an error nothing changes.
    pub fn apply(&mut self, p: ProfilePatch) -> Result<(), ValidationError> {
        let mut n = self.clone();
        optional_patch("mission", p.mission, MAX_TEXT)?.apply_to(&mut n.mission);
        optional_patch("vision", p.vision, MAX_TEXT)?.apply_to(&mut n.vision);
        optional_patch("marketPositioning", p.market_positioning, MAX_TEXT)?
            .apply_to(&mut n.market_positioning);
        match p.values {
            Patch::Unchanged => {}
            Patch::Clear => n.values.clear(),
            Patch::Set(v) => n.values = text_list("values", v)?,
        }
        match p.buying_steps {
            Patch::Unchanged => {}
            Patch::Clear => n.buying_steps.clear(),
            Patch::Set(v) => n.buying_steps = text_list("buyingSteps", v)?,
        }
        match p.buying_cycle_days {
            Patch::Unchanged => {}
            Patch::Clear => n.buying_cycle_days = None,
            Patch::Set(d) if (1..=MAX_CYCLE_DAYS).contains(&d) => n.buying_cycle_days = Some(d),
            Patch::Set(_) => {
                return Err(ValidationError::new(
                    "buyingCycleDays",
                    format!("must be between 1 and {MAX_CYCLE_DAYS}"),
                ));
            }
        }
        match p.approval_thresholds {
            Patch::Unchanged => {}
            Patch::Clear => n.approval_thresholds.clear(),
            Patch::Set(v) => n.approval_thresholds = thresholds(v)?,
        }
        *self = n;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn input(kind: InsightKind) -> InsightInput {
        InsightInput {
            kind,
            title: " Cut logistics cost by 10% ".into(),
            detail: Some("  ".into()),
            horizon: None,
            priority: None,
        }
    }

    #[test]
    fn insights_carry_a_horizon_or_a_priority_by_kind() {
        let g = Insight::parse(InsightInput {
            horizon: Some(Horizon::MediumTerm),
            ..input(InsightKind::Goal)
        })
        .unwrap();
        assert_eq!(g.title.as_str(), "Cut logistics cost by 10%");
        assert_eq!((g.detail, g.priority), (None, None));
        let n = Insight::parse(input(InsightKind::Pain)).unwrap();
        assert_eq!(n.priority, Some(Priority::Medium));
        let e = Insight::parse(InsightInput {
            horizon: Some(Horizon::LongTerm),
            ..input(InsightKind::Threat)
        })
        .unwrap_err();
        assert_eq!(e.field, "horizon");
        let e = Insight::parse(InsightInput {
            priority: Some(Priority::High),
            ..input(InsightKind::Goal)
        })
        .unwrap_err();
        assert_eq!(e.field, "priority");
        let e = Insight::parse(InsightInput {
            title: " ".into(),
            ..input(InsightKind::Strength)
        })
        .unwrap_err();
        assert_eq!(e.field, "title");
        assert_eq!(InsightKind::Opportunity.group(), InsightGroup::Swot);
        assert_eq!(
            InsightKind::IndustryTrend.group(),
            InsightGroup::IndustryTrends
        );
    }

    #[test]
    fn a_failed_change_changes_nothing() {
        let mut n = Insight::parse(input(InsightKind::Need)).unwrap();
        let before = n.clone();
        let e = n
            .apply(InsightPatch {
                title: Patch::Set("New".into()),
                horizon: Patch::Set(Horizon::ShortTerm),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "horizon");
        assert_eq!(n, before);
        n.apply(InsightPatch {
            priority: Patch::Set(Priority::Critical),
            detail: Patch::Set("Audit found 3 late shipments a week".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(n.priority, Some(Priority::Critical));
        // Clearing a need's priority gives it the default again.
        n.apply(InsightPatch {
            priority: Patch::Clear,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(n.priority, Some(Priority::Medium));
        assert!(Priority::Critical.weight() > Priority::Low.weight());
    }

    fn t(amount: i64, cur: &str, who: &str) -> ThresholdInput {
        ThresholdInput {
            from: MoneyInput {
                amount: Decimal::from(amount),
                currency: cur.into(),
            },
            signed_by: who.into(),
        }
    }

    #[test]
    fn profiles_check_lists_cycles_and_thresholds() {
        let mut p = Profile::default();
        p.apply(ProfilePatch {
            mission: Patch::Set("Move Europe's goods".into()),
            values: Patch::Set(vec!["Safety".into(), "Reliability".into()]),
            buying_steps: Patch::Set(vec!["RFI".into(), "RFP".into(), "Pilot".into()]),
            buying_cycle_days: Patch::Set(120),
            approval_thresholds: Patch::Set(vec![
                t(0, "EUR", "Head of Logistics"),
                t(250_000, "EUR", "COO"),
                t(1_000_000, "EUR", "Board"),
            ]),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(p.values.len(), 2);
        assert_eq!(p.approval_thresholds[2].signed_by, "Board");
        let before = p.clone();
        for (patch, field) in [
            (
                ProfilePatch {
                    buying_cycle_days: Patch::Set(0),
                    ..Default::default()
                },
                "buyingCycleDays",
            ),
            (
                ProfilePatch {
                    values: Patch::Set(vec!["ok".into(), " ".into()]),
                    ..Default::default()
                },
                "values.1",
            ),
            (
                ProfilePatch {
                    buying_steps: Patch::Set(vec!["s".into(); 21]),
                    ..Default::default()
                },
                "buyingSteps",
            ),
            (
                ProfilePatch {
                    approval_thresholds: Patch::Set(vec![t(10, "EUR", "A"), t(10, "EUR", "B")]),
                    ..Default::default()
                },
                "approvalThresholds.1.from.amount",
            ),
            (
                ProfilePatch {
                    approval_thresholds: Patch::Set(vec![t(10, "EUR", "A"), t(20, "USD", "B")]),
                    ..Default::default()
                },
                "approvalThresholds.1.from.currency",
            ),
            (
                ProfilePatch {
                    approval_thresholds: Patch::Set(vec![t(10, "EUR", "")]),
                    ..Default::default()
                },
                "approvalThresholds.0.signedBy",
            ),
        ] {
            let e = p.apply(patch).unwrap_err();
            assert_eq!(e.field, field);
            assert_eq!(p, before);
        }
        p.apply(ProfilePatch {
            mission: Patch::Clear,
            approval_thresholds: Patch::Clear,
            ..Default::default()
        })
        .unwrap();
        assert_eq!((p.mission, p.approval_thresholds.len()), (None, 0));
    }
}
