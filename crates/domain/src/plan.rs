//! Account plans: their lifecycle, their period and the rules that bind them,
//! and the dated reviews that move them towards closing.

use crate::account::{optional_patch, required};
use crate::error::ValidationError;
use crate::ids::UserId;
use crate::patch::Patch;
use crate::text::{MAX_SHORT_TEXT, RequiredText, optional_text};
use crate::text_enum;
use crate::whitespace::ReviewOutcome;
use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Longest strategy summary, review note or revision text, in characters.
pub const MAX_LONG_TEXT: usize = 10_000;

/// Longest plan period, in months.
pub const MAX_PERIOD_MONTHS: u32 = 36;

text_enum!(
    /// Where a plan is in its lifecycle: DRAFT → ACTIVE ⇄ UNDER_REVIEW → CLOSED.
    PlanStatus {
        /// Being written; not yet in force.
        Draft => "DRAFT",
        /// In force: the team executes it.
        Active => "ACTIVE",
        /// Being reviewed; goes back to ACTIVE or, after a final review, to CLOSED.
        UnderReview => "UNDER_REVIEW",
        /// Finished; no further changes of status.
        Closed => "CLOSED",
    }
);

impl PlanStatus {
    /// The status of a new plan.
    pub const INITIAL: Self = Self::Draft;

    /// The statuses a plan in this status may move to.
    pub fn successors(self) -> &'static [PlanStatus] {
        match self {
            Self::Draft => &[Self::Active],
            Self::Active => &[Self::UnderReview],
            Self::UnderReview => &[Self::Active, Self::Closed],
            Self::Closed => &[],
        }
    }
}

/// Checks a change of a plan's status from `from` to `to`.
///
/// Staying in the same status is allowed (a no-op). Closing is only possible
/// from UNDER_REVIEW and needs a final review (`has_final_review`). Errors are
/// on field `status` and name the current status and where it may go.
pub fn transition(
    from: PlanStatus,
    to: PlanStatus,
    has_final_review: bool,
) -> Result<(), ValidationError> {
    const FIELD: &str = "status";
    if from == to {
        return Ok(());
    }
    if !from.successors().contains(&to) {
        let options = match from.successors() {
            [] => format!("a {} plan is final", from.as_str()),
            next => format!(
                "from {} it can go to {}",
                from.as_str(),
                next.iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" or ")
            ),
        };
        let hint = if to == PlanStatus::Closed && from != PlanStatus::Closed {
            " (a plan is closed from UNDER_REVIEW, after its final review)"
        } else {
            ""
        };
        return Err(ValidationError::new(
            FIELD,
            format!(
                "cannot move a plan from {} to {}; {options}{hint}",
                from.as_str(),
                to.as_str()
            ),
        ));
    }
    if to == PlanStatus::Closed && !has_final_review {
        return Err(ValidationError::new(
            FIELD,
            "cannot close the plan yet: a final review is required",
        ));
    }
    Ok(())
}

/// The period a plan covers: `start..=end`, both days included, `end` after
/// `start` and at most [`MAX_PERIOD_MONTHS`] long.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlanPeriod {
    start: NaiveDate,
    end: NaiveDate,
}

impl PlanPeriod {
    /// A period from `start` to `end` (inclusive). Errors are on `periodEnd`.
    pub fn parse(start: NaiveDate, end: NaiveDate) -> Result<Self, ValidationError> {
        const FIELD: &str = "periodEnd";
        if end <= start {
            return Err(ValidationError::new(
                FIELD,
                format!("must be after the period start {start}"),
            ));
        }
        // `None`: the limit lies beyond the last representable date.
        if start
            .checked_add_months(Months::new(MAX_PERIOD_MONTHS))
            .is_some_and(|limit| end >= limit)
        {
            return Err(ValidationError::new(
                FIELD,
                "a plan period must not be longer than 3 years",
            ));
        }
        Ok(Self { start, end })
    }

    /// The first day of the period.
    pub fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day of the period (included).
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// Whether the two periods share at least one day.
    pub fn overlaps(&self, other: &PlanPeriod) -> bool {
        self.start <= other.end && other.start <= self.end
    }

    /// Whether `date` lies within the period (both ends included).
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

impl fmt::Display for PlanPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} to {}", self.start, self.end)
    }
}

/// The fiscal year that starts on the 1st of `start_month` (1 to 12) of `year`
/// and ends the day before one year later.
pub fn fiscal_year(year: i32, start_month: u32) -> Result<PlanPeriod, ValidationError> {
    if !(1..=12).contains(&start_month) {
        return Err(ValidationError::new(
            "startMonth",
            "must be between 1 and 12",
        ));
    }
    let out_of_range = || ValidationError::new("year", "is out of range");
    let start = NaiveDate::from_ymd_opt(year, start_month, 1).ok_or_else(out_of_range)?;
    let end = start
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .ok_or_else(out_of_range)?;
    PlanPeriod::parse(start, end)
}

/// Refuses to make a plan ACTIVE when another ACTIVE plan of the same account
/// overlaps its period: at most one ACTIVE plan per account and period.
/// `others_active` are the periods of the account's other ACTIVE plans.
pub fn check_single_active(
    candidate: &PlanPeriod,
    others_active: &[PlanPeriod],
) -> Result<(), ValidationError> {
    match others_active.iter().find(|p| p.overlaps(candidate)) {
        None => Ok(()),
        Some(p) => Err(ValidationError::new(
            "status",
            format!(
                "at most one ACTIVE plan per account and overlapping period: \
                 an active plan already covers {p}"
            ),
        )),
    }
}

/// Refuses a plan period that would leave out the due date of one of the
/// plan's objectives (when a period is changed). The error is on
/// `periodStart` or `periodEnd`, whichever side excludes the date.
pub fn check_covers_due_dates(
    period: &PlanPeriod,
    due_dates: &[NaiveDate],
) -> Result<(), ValidationError> {
    match due_dates.iter().find(|d| !period.contains(**d)) {
        None => Ok(()),
        Some(d) => Err(ValidationError::new(
            if *d < period.start {
                "periodStart"
            } else {
                "periodEnd"
            },
            format!("must cover the due date {d} of an objective of this plan"),
        )),
    }
}

/// Raw input to create a plan (its account is given separately).
#[derive(Debug, Clone, Default)]
pub struct PlanInput {
    /// The plan's name, e.g. "FY25 growth plan".
    pub title: String,
    /// The strategy in a few paragraphs.
    pub strategy_summary: Option<String>,
    /// The first day of the period.
    pub period_start: NaiveDate,
    /// The last day of the period (included).
    pub period_end: NaiveDate,
    /// `None`: the creator becomes the owner.
    pub owner_id: Option<UserId>,
}

/// A valid new plan; it starts in [`PlanStatus::INITIAL`] (DRAFT).
#[derive(Debug, Clone)]
pub struct NewPlan {
    /// The plan's name.
    pub title: RequiredText,
    /// The strategy, if written yet.
    pub strategy_summary: Option<String>,
    /// The period the plan covers.
    pub period: PlanPeriod,
    /// `None`: the creator becomes the owner.
    pub owner_id: Option<UserId>,
}

impl NewPlan {
    /// Validates the input: title required (at most 200 characters), summary
    /// optional (at most [`MAX_LONG_TEXT`]), a valid [`PlanPeriod`].
    pub fn parse(input: PlanInput) -> Result<Self, ValidationError> {
        Ok(Self {
            title: RequiredText::parse("title", &input.title, MAX_SHORT_TEXT)?,
            strategy_summary: optional_text(
                "strategySummary",
                input.strategy_summary.as_deref(),
                MAX_LONG_TEXT,
            )?,
            period: PlanPeriod::parse(input.period_start, input.period_end)?,
            owner_id: input.owner_id,
        })
    }
}

/// Raw partial update of a plan. The status is not patched: it moves
/// through [`transition`].
#[derive(Debug, Clone, Default)]
pub struct PlanPatchInput {
    /// A new name; `null` is refused.
    pub title: Patch<String>,
    /// A new strategy; `null` or blank clears it.
    pub strategy_summary: Patch<String>,
    /// A new first day; `null` is refused.
    pub period_start: Patch<NaiveDate>,
    /// A new last day; `null` is refused.
    pub period_end: Patch<NaiveDate>,
    /// A new owner; `null` is refused.
    pub owner_id: Patch<UserId>,
}

/// A valid partial update of a plan.
///
/// When `period` is set, the service also checks [`check_covers_due_dates`]
/// and, for an ACTIVE plan, [`check_single_active`].
#[derive(Debug, Clone, Default)]
pub struct PlanChanges {
    /// The new name, if changed.
    pub title: Option<RequiredText>,
    /// The change of the strategy summary.
    pub strategy_summary: Patch<String>,
    /// The whole new period, when either end changed.
    pub period: Option<PlanPeriod>,
    /// The new owner, if changed.
    pub owner_id: Option<UserId>,
}

impl PlanChanges {
    /// Validates the patch; a changed end of the period is checked together
    /// with the other, unchanged end from `current_period`.
    pub fn parse(
        input: PlanPatchInput,
        current_period: &PlanPeriod,
    ) -> Result<Self, ValidationError> {
        let start = required("periodStart", input.period_start, Ok)?;
        let end = required("periodEnd", input.period_end, Ok)?;
        let period = if start.is_some() || end.is_some() {
            Some(PlanPeriod::parse(
                start.unwrap_or(current_period.start),
                end.unwrap_or(current_period.end),
            )?)
        } else {
            None
        };
        Ok(Self {
            title: required("title", input.title, |t| {
                RequiredText::parse("title", &t, MAX_SHORT_TEXT)
            })?,
            strategy_summary: optional_patch(
                "strategySummary",
                input.strategy_summary,
                MAX_LONG_TEXT,
            )?,
            period,
            owner_id: required("ownerId", input.owner_id, Ok)?,
        })
    }
}

/// Raw input to record a review of a plan.
#[derive(Debug, Clone)]
pub struct ReviewInput {
    /// When the review took place.
    pub review_date: NaiveDate,
    /// What the review concluded.
    pub outcome: ReviewOutcome,
    /// What was discussed.
    pub notes: Option<String>,
    /// What the review decided to change in the plan.
    pub revisions: Option<String>,
    /// What to do if an unexpected problem arises.
    pub contingency: Option<String>,
    /// Whether this is the final review that allows closing the plan.
    pub is_final: bool,
}

/// A valid new review of a plan.
#[derive(Debug, Clone)]
pub struct NewReview {
    /// When the review took place.
    pub review_date: NaiveDate,
    /// What the review concluded.
    pub outcome: ReviewOutcome,
    /// What was discussed.
    pub notes: Option<String>,
    /// What the review decided to change in the plan.
    pub revisions: Option<String>,
    /// What to do if an unexpected problem arises.
    pub contingency: Option<String>,
    /// Whether this is the final review that allows closing the plan.
    pub is_final: bool,
}

impl NewReview {
    /// Validates the texts (each optional, at most [`MAX_LONG_TEXT`]).
    pub fn parse(input: ReviewInput) -> Result<Self, ValidationError> {
        Ok(Self {
            review_date: input.review_date,
            outcome: input.outcome,
            notes: optional_text("notes", input.notes.as_deref(), MAX_LONG_TEXT)?,
            revisions: optional_text("revisions", input.revisions.as_deref(), MAX_LONG_TEXT)?,
            contingency: optional_text("contingency", input.contingency.as_deref(), MAX_LONG_TEXT)?,
            is_final: input.is_final,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PlanStatus::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn period(a: NaiveDate, b: NaiveDate) -> PlanPeriod {
        PlanPeriod::parse(a, b).unwrap()
    }

    #[test]
    fn legal_transitions() {
        assert!(transition(Draft, Active, false).is_ok());
        assert!(transition(Active, UnderReview, false).is_ok());
        assert!(transition(UnderReview, Active, false).is_ok());
        assert!(transition(UnderReview, Closed, true).is_ok());
        for s in PlanStatus::ALL {
            assert!(transition(*s, *s, false).is_ok(), "{s:?} stays");
        }
    }

    #[test]
    fn illegal_transitions_name_the_current_state() {
        let e = transition(Draft, Closed, true).unwrap_err();
        assert_eq!(e.field, "status");
        assert!(
            e.message.starts_with(
                "cannot move a plan from DRAFT to CLOSED; from DRAFT it can go to ACTIVE"
            ),
            "{}",
            e.message
        );
        let e = transition(Active, Closed, true).unwrap_err();
        assert!(e.message.contains("from ACTIVE it can go to UNDER_REVIEW"));
        assert!(e.message.contains("final review"));
        let e = transition(Closed, Active, true).unwrap_err();
        assert!(
            e.message.contains("a CLOSED plan is final"),
            "{}",
            e.message
        );
        let e = transition(Active, Draft, false).unwrap_err();
        assert!(!e.message.contains("final review"));
        assert!(transition(Draft, UnderReview, false).is_err());
        assert!(transition(UnderReview, Draft, false).is_err());
    }

    #[test]
    fn closing_requires_a_final_review() {
        let e = transition(UnderReview, Closed, false).unwrap_err();
        assert_eq!(e.field, "status");
        assert!(e.message.contains("a final review is required"));
    }

    #[test]
    fn every_pair_agrees_with_successors() {
        for from in PlanStatus::ALL {
            for to in PlanStatus::ALL {
                let ok = transition(*from, *to, true).is_ok();
                assert_eq!(ok, from == to || from.successors().contains(to));
            }
        }
    }

    #[test]
    fn periods_must_end_after_start_and_last_at_most_three_years() {
        let e = PlanPeriod::parse(d(2025, 1, 1), d(2025, 1, 1)).unwrap_err();
        assert_eq!(e.field, "periodEnd");
        assert!(PlanPeriod::parse(d(2025, 1, 2), d(2025, 1, 1)).is_err());
        assert!(PlanPeriod::parse(d(2025, 1, 1), d(2025, 1, 2)).is_ok());
        assert!(PlanPeriod::parse(d(2025, 1, 1), d(2027, 12, 31)).is_ok());
        let e = PlanPeriod::parse(d(2025, 1, 1), d(2028, 1, 1)).unwrap_err();
        assert_eq!(e.field, "periodEnd");
        assert!(e.message.contains("3 years"));
        assert!(PlanPeriod::parse(NaiveDate::MAX.pred_opt().unwrap(), NaiveDate::MAX).is_ok());
    }

    #[test]
    fn overlap_and_contains_include_both_ends() {
        let a = period(d(2025, 1, 1), d(2025, 12, 31));
        let b = period(d(2025, 12, 31), d(2026, 6, 30));
        let c = period(d(2026, 1, 1), d(2026, 12, 31));
        assert!(a.overlaps(&b) && b.overlaps(&a));
        assert!(!a.overlaps(&c) && !c.overlaps(&a));
        assert!(a.overlaps(&a));
        let inner = period(d(2025, 3, 1), d(2025, 4, 1));
        assert!(a.overlaps(&inner) && inner.overlaps(&a));
        assert!(a.contains(d(2025, 1, 1)) && a.contains(d(2025, 12, 31)));
        assert!(!a.contains(d(2024, 12, 31)) && !a.contains(d(2026, 1, 1)));
        assert_eq!(a.to_string(), "2025-01-01 to 2025-12-31");
    }

    #[test]
    fn fiscal_years() {
        let fy = fiscal_year(2025, 1).unwrap();
        assert_eq!((fy.start(), fy.end()), (d(2025, 1, 1), d(2025, 12, 31)));
        let fy = fiscal_year(2023, 3).unwrap();
        assert_eq!((fy.start(), fy.end()), (d(2023, 3, 1), d(2024, 2, 29)));
        let fy = fiscal_year(2025, 10).unwrap();
        assert_eq!((fy.start(), fy.end()), (d(2025, 10, 1), d(2026, 9, 30)));
        assert_eq!(fiscal_year(2025, 0).unwrap_err().field, "startMonth");
        assert_eq!(fiscal_year(2025, 13).unwrap_err().field, "startMonth");
        assert_eq!(fiscal_year(i32::MAX, 1).unwrap_err().field, "year");
    }

    #[test]
    fn single_active_plan_per_overlapping_period() {
        let fy25 = fiscal_year(2025, 1).unwrap();
        let fy26 = fiscal_year(2026, 1).unwrap();
        assert!(check_single_active(&fy25, &[]).is_ok());
        assert!(check_single_active(&fy25, &[fy26]).is_ok());
        let mid = period(d(2025, 7, 1), d(2026, 6, 30));
        let e = check_single_active(&mid, &[fy26, fy25]).unwrap_err();
        assert_eq!(e.field, "status");
        assert!(e.message.contains("at most one ACTIVE plan per account"));
        assert!(
            e.message.contains("2026-01-01 to 2026-12-31"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_period_must_cover_objective_due_dates() {
        let fy = fiscal_year(2025, 1).unwrap();
        assert!(check_covers_due_dates(&fy, &[d(2025, 1, 1), d(2025, 12, 31)]).is_ok());
        let e = check_covers_due_dates(&fy, &[d(2025, 6, 1), d(2024, 12, 31)]).unwrap_err();
        assert_eq!(e.field, "periodStart");
        let e = check_covers_due_dates(&fy, &[d(2026, 1, 1)]).unwrap_err();
        assert_eq!(e.field, "periodEnd");
    }

    #[test]
    fn a_new_plan_needs_a_title_and_a_valid_period() {
        let ok = PlanInput {
            title: " FY25 growth ".into(),
            strategy_summary: Some("  ".into()),
            period_start: d(2025, 1, 1),
            period_end: d(2025, 12, 31),
            owner_id: None,
        };
        let p = NewPlan::parse(ok.clone()).unwrap();
        assert_eq!(p.title.as_str(), "FY25 growth");
        assert_eq!(p.strategy_summary, None);
        assert_eq!(p.period, fiscal_year(2025, 1).unwrap());
        let e = NewPlan::parse(PlanInput {
            title: "".into(),
            ..ok.clone()
        })
        .unwrap_err();
        assert_eq!(e.field, "title");
        let e = NewPlan::parse(PlanInput {
            title: "x".repeat(201),
            ..ok.clone()
        })
        .unwrap_err();
        assert_eq!(e.field, "title");
        let e = NewPlan::parse(PlanInput {
            strategy_summary: Some("x".repeat(MAX_LONG_TEXT + 1)),
            ..ok.clone()
        })
        .unwrap_err();
        assert_eq!(e.field, "strategySummary");
        assert!(
            NewPlan::parse(PlanInput {
                strategy_summary: Some("x".repeat(MAX_LONG_TEXT)),
                ..ok.clone()
            })
            .is_ok()
        );
        let e = NewPlan::parse(PlanInput {
            period_end: d(2024, 12, 31),
            ..ok
        })
        .unwrap_err();
        assert_eq!(e.field, "periodEnd");
    }

    #[test]
    fn plan_patches() {
        let fy = fiscal_year(2025, 1).unwrap();
        let c = PlanChanges::parse(PlanPatchInput::default(), &fy).unwrap();
        assert!(c.title.is_none() && c.period.is_none() && c.owner_id.is_none());
        assert!(c.strategy_summary.is_unchanged());

        let c = PlanChanges::parse(
            PlanPatchInput {
                period_end: Patch::Set(d(2026, 3, 31)),
                strategy_summary: Patch::Set(" ".into()),
                ..Default::default()
            },
            &fy,
        )
        .unwrap();
        assert_eq!(c.period, Some(period(d(2025, 1, 1), d(2026, 3, 31))));
        assert_eq!(c.strategy_summary, Patch::Clear);

        // The changed start is checked against the current end.
        let e = PlanChanges::parse(
            PlanPatchInput {
                period_start: Patch::Set(d(2026, 1, 1)),
                ..Default::default()
            },
            &fy,
        )
        .unwrap_err();
        assert_eq!(e.field, "periodEnd");

        for input in [
            PlanPatchInput {
                title: Patch::Clear,
                ..Default::default()
            },
            PlanPatchInput {
                period_start: Patch::Clear,
                ..Default::default()
            },
            PlanPatchInput {
                owner_id: Patch::Clear,
                ..Default::default()
            },
        ] {
            let e = PlanChanges::parse(input, &fy).unwrap_err();
            assert_eq!(e.message, "must not be null");
        }
    }

    #[test]
    fn reviews_check_their_texts() {
        let input = ReviewInput {
            review_date: d(2025, 6, 30),
            outcome: ReviewOutcome::NeedsAdjustment,
            notes: Some(" Pipeline thin in EMEA ".into()),
            revisions: Some("".into()),
            contingency: None,
            is_final: false,
        };
        let r = NewReview::parse(input.clone()).unwrap();
        assert_eq!(r.notes.as_deref(), Some("Pipeline thin in EMEA"));
        assert_eq!(r.revisions, None);
        let e = NewReview::parse(ReviewInput {
            contingency: Some("x".repeat(MAX_LONG_TEXT + 1)),
            ..input
        })
        .unwrap_err();
        assert_eq!(e.field, "contingency");
    }
}
