//! SMART objectives of an account plan and their progress.
//!
//! An objective is specific (a title, a description), measurable (a metric,
//! unit, baseline, target and current value), achievable (the owner's
//! confidence) and time-bound (a due date within the plan period). Errors
//! name the SMART letter they belong to, e.g. `target: is required (M:
//! measurable)`.

use crate::account::required;
use crate::error::ValidationError;
use crate::ids::UserId;
use crate::patch::Patch;
use crate::plan::{MAX_LONG_TEXT, PlanPeriod};
use crate::text::{MAX_SHORT_TEXT, RequiredText, optional_text};
use crate::text_enum;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};

/// Longest unit of measure (`EUR`, `%`, `seats`, ...), in characters.
pub const MAX_UNIT: usize = 50;

/// Decimal places kept in baseline, target and current values.
pub const VALUE_SCALE: u32 = 4;

/// Largest magnitude of a baseline, target or current value.
pub const MAX_VALUE: Decimal = Decimal::from_parts(0x107A_4000, 0x5AF3, 0, false, 0); // 10^14

const S: &str = "S: specific";
const M: &str = "M: measurable";
const A: &str = "A: achievable";
const T: &str = "T: time-bound";

fn smart(field: &str, message: impl std::fmt::Display, letter: &str) -> ValidationError {
    ValidationError::new(field, format!("{message} ({letter})"))
}

fn tagged(letter: &'static str) -> impl Fn(ValidationError) -> ValidationError {
    move |e| smart(&e.field, e.message, letter)
}

text_enum!(
    /// How an objective is doing.
    ObjectiveStatus {
        /// Progressing as planned.
        OnTrack => "ON_TRACK",
        /// May miss its target without action.
        AtRisk => "AT_RISK",
        /// Will miss its target without a change of course.
        OffTrack => "OFF_TRACK",
        /// The target was reached.
        Achieved => "ACHIEVED",
        /// The due date passed without reaching the target.
        Missed => "MISSED",
    }
);

/// The owner's confidence that the objective will be reached, 0 to 100 (%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Confidence(u8);

impl Confidence {
    /// A confidence between 0 and 100.
    pub fn parse(field: &str, raw: i32) -> Result<Self, ValidationError> {
        u8::try_from(raw)
            .ok()
            .filter(|v| *v <= 100)
            .map(Self)
            .ok_or_else(|| smart(field, "must be between 0 and 100", A))
    }

    /// The percentage.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// A baseline, target or current value: at most [`VALUE_SCALE`] decimals and
/// at most [`MAX_VALUE`] in magnitude.
fn metric_value(field: &str, v: Decimal) -> Result<Decimal, ValidationError> {
    if v.normalize().scale() > VALUE_SCALE {
        return Err(smart(
            field,
            format!("must have at most {VALUE_SCALE} decimal places"),
            M,
        ));
    }
    if v.abs() > MAX_VALUE {
        return Err(smart(field, "is too large", M));
    }
    Ok(v.normalize())
}

/// Progress from `baseline` towards `target`, in percent:
/// `(current - baseline) / (target - baseline) * 100`, rounded to one decimal.
///
/// Works for decreasing targets (target below baseline). Falling behind the
/// baseline counts as 0; over-achievement shows above 100. `None` when target
/// equals baseline (or on arithmetic overflow).
pub fn progress_percent(baseline: Decimal, target: Decimal, current: Decimal) -> Option<Decimal> {
    let span = target.checked_sub(baseline)?;
    if span.is_zero() {
        return None;
    }
    let pct = current
        .checked_sub(baseline)?
        .checked_mul(Decimal::ONE_HUNDRED)?
        .checked_div(span)?;
    Some(
        pct.max(Decimal::ZERO)
            .round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero),
    )
}

/// Raw input to create an objective (its plan is given separately).
#[derive(Debug, Clone, Default)]
pub struct ObjectiveInput {
    /// What is to be achieved, in a line (S).
    pub title: String,
    /// The objective in detail (S).
    pub description: Option<String>,
    /// What is measured, e.g. "Services revenue" (M, required).
    pub metric: Option<String>,
    /// The unit of the metric, e.g. "EUR" or "%" (M).
    pub unit: Option<String>,
    /// The value at the start (M); defaults to 0.
    pub baseline: Option<Decimal>,
    /// The value to reach (M, required, not the baseline).
    pub target: Option<Decimal>,
    /// The value now (M); defaults to the baseline.
    pub current: Option<Decimal>,
    /// The owner's confidence, 0 to 100 (A).
    pub confidence: Option<i32>,
    /// When the target is to be reached, within the plan period (T, required).
    pub due_date: Option<NaiveDate>,
    /// Who is responsible.
    pub owner_id: Option<UserId>,
    /// Defaults to ON_TRACK.
    pub status: Option<ObjectiveStatus>,
}

/// A valid (SMART) objective.
#[derive(Debug, Clone, PartialEq)]
pub struct NewObjective {
    /// What is to be achieved.
    pub title: RequiredText,
    /// The objective in detail.
    pub description: Option<String>,
    /// What is measured.
    pub metric: RequiredText,
    /// The unit of the metric.
    pub unit: Option<String>,
    /// The value at the start.
    pub baseline: Decimal,
    /// The value to reach; never equal to the baseline.
    pub target: Decimal,
    /// The value now.
    pub current: Decimal,
    /// The owner's confidence.
    pub confidence: Option<Confidence>,
    /// When the target is to be reached; within the plan period.
    pub due_date: NaiveDate,
    /// Who is responsible.
    pub owner_id: Option<UserId>,
    /// How the objective is doing.
    pub status: ObjectiveStatus,
}

impl NewObjective {
    /// Validates the input against the SMART rules; the due date must fall
    /// within `plan_period`.
    pub fn parse(input: ObjectiveInput, plan_period: &PlanPeriod) -> Result<Self, ValidationError> {
        let title =
            RequiredText::parse("title", &input.title, MAX_SHORT_TEXT).map_err(tagged(S))?;
        let description = optional_text("description", input.description.as_deref(), MAX_LONG_TEXT)
            .map_err(tagged(S))?;
        let metric = match input.metric.as_deref().map(str::trim) {
            None | Some("") => return Err(smart("metric", "is required", M)),
            Some(m) => RequiredText::parse("metric", m, MAX_SHORT_TEXT).map_err(tagged(M))?,
        };
        let unit = optional_text("unit", input.unit.as_deref(), MAX_UNIT).map_err(tagged(M))?;
        let baseline = metric_value("baseline", input.baseline.unwrap_or(Decimal::ZERO))?;
        let target = metric_value(
            "target",
            input
                .target
                .ok_or_else(|| smart("target", "is required", M))?,
        )?;
        if target == baseline {
            return Err(smart(
                "target",
                format!("must differ from the baseline {baseline}"),
                M,
            ));
        }
        let current = metric_value("current", input.current.unwrap_or(baseline))?;
        let confidence = input
            .confidence
            .map(|c| Confidence::parse("confidence", c))
            .transpose()?;
        let due_date = input
            .due_date
            .ok_or_else(|| smart("dueDate", "is required", T))?;
        if !plan_period.contains(due_date) {
            return Err(smart(
                "dueDate",
                format!("must fall within the plan period {plan_period}"),
                T,
            ));
        }
        Ok(Self {
            title,
            description,
            metric,
            unit,
            baseline,
            target,
            current,
            confidence,
            due_date,
            owner_id: input.owner_id,
            status: input.status.unwrap_or(ObjectiveStatus::OnTrack),
        })
    }

    /// Progress towards the target; see [`progress_percent`].
    pub fn progress_percent(&self) -> Option<Decimal> {
        progress_percent(self.baseline, self.target, self.current)
    }

    fn to_input(&self) -> ObjectiveInput {
        ObjectiveInput {
            title: self.title.as_str().to_owned(),
            description: self.description.clone(),
            metric: Some(self.metric.as_str().to_owned()),
            unit: self.unit.clone(),
            baseline: Some(self.baseline),
            target: Some(self.target),
            current: Some(self.current),
            confidence: self.confidence.map(|c| i32::from(c.get())),
            due_date: Some(self.due_date),
            owner_id: self.owner_id,
            status: Some(self.status),
        }
    }
}

/// Raw partial update of an objective. `null` on `baseline` resets it to 0
/// and on `current` to the baseline; `null` on a required part (title,
/// metric, target, due date) is refused by the SMART rules.
#[derive(Debug, Clone, Default)]
pub struct ObjectivePatchInput {
    /// See [`ObjectiveInput::title`].
    pub title: Patch<String>,
    /// See [`ObjectiveInput::description`].
    pub description: Patch<String>,
    /// See [`ObjectiveInput::metric`].
    pub metric: Patch<String>,
    /// See [`ObjectiveInput::unit`].
    pub unit: Patch<String>,
    /// See [`ObjectiveInput::baseline`].
    pub baseline: Patch<Decimal>,
    /// See [`ObjectiveInput::target`].
    pub target: Patch<Decimal>,
    /// See [`ObjectiveInput::current`].
    pub current: Patch<Decimal>,
    /// See [`ObjectiveInput::confidence`].
    pub confidence: Patch<i32>,
    /// See [`ObjectiveInput::due_date`].
    pub due_date: Patch<NaiveDate>,
    /// See [`ObjectiveInput::owner_id`].
    pub owner_id: Patch<UserId>,
    /// A new status; `null` is refused.
    pub status: Patch<ObjectiveStatus>,
}

/// A valid partial update of an objective: the fields the patch touched, as
/// they are in `updated`, the whole objective after the update (which is
/// SMART again).
#[derive(Debug, Clone, PartialEq)]
pub struct ObjectiveChanges {
    /// The new title, if patched.
    pub title: Option<RequiredText>,
    /// The change of the description.
    pub description: Patch<String>,
    /// The new metric, if patched.
    pub metric: Option<RequiredText>,
    /// The change of the unit.
    pub unit: Patch<String>,
    /// The new baseline, if patched (0 when cleared).
    pub baseline: Option<Decimal>,
    /// The new target, if patched.
    pub target: Option<Decimal>,
    /// The new current value, if patched (the baseline when cleared).
    pub current: Option<Decimal>,
    /// The change of the confidence.
    pub confidence: Patch<Confidence>,
    /// The new due date, if patched.
    pub due_date: Option<NaiveDate>,
    /// The change of the owner.
    pub owner_id: Patch<UserId>,
    /// The new status, if patched.
    pub status: Option<ObjectiveStatus>,
    /// The objective with the changes applied.
    pub updated: NewObjective,
}

fn touched<T: Clone>(was_touched: bool, v: &T) -> Option<T> {
    was_touched.then(|| v.clone())
}

fn touched_opt<T: Clone>(was_touched: bool, v: &Option<T>) -> Patch<T> {
    match (was_touched, v) {
        (false, _) => Patch::Unchanged,
        (true, Some(v)) => Patch::Set(v.clone()),
        (true, None) => Patch::Clear,
    }
}

fn patched<T>(p: Patch<T>, current: Option<T>) -> Option<T> {
    let mut v = current;
    p.apply_to(&mut v);
    v
}

impl ObjectiveChanges {
    /// Applies the patch to `current` and validates the whole result with
    /// [`NewObjective::parse`] against `plan_period`, so that the objective
    /// stays SMART.
    pub fn parse(
        patch: ObjectivePatchInput,
        current: &NewObjective,
        plan_period: &PlanPeriod,
    ) -> Result<Self, ValidationError> {
        let p = &patch;
        let t = (
            !p.title.is_unchanged(),
            !p.description.is_unchanged(),
            !p.metric.is_unchanged(),
            !p.unit.is_unchanged(),
            !p.baseline.is_unchanged(),
            !p.target.is_unchanged(),
            !p.current.is_unchanged(),
            !p.confidence.is_unchanged(),
            !p.due_date.is_unchanged(),
            !p.owner_id.is_unchanged(),
        );
        let status = required("status", patch.status, Ok)?;
        let cur = current.to_input();
        let merged = ObjectiveInput {
            title: patched(patch.title, Some(cur.title)).unwrap_or_default(),
            description: patched(patch.description, cur.description),
            metric: patched(patch.metric, cur.metric),
            unit: patched(patch.unit, cur.unit),
            baseline: patched(patch.baseline, cur.baseline),
            target: patched(patch.target, cur.target),
            // A cleared baseline is 0 and a cleared current the baseline:
            // keep the current value unless it was patched itself.
            current: patched(patch.current, cur.current),
            confidence: patched(patch.confidence, cur.confidence),
            due_date: patched(patch.due_date, cur.due_date),
            owner_id: patched(patch.owner_id, cur.owner_id),
            status: status.or(cur.status),
        };
        let updated = NewObjective::parse(merged, plan_period)?;
        Ok(Self {
            title: touched(t.0, &updated.title),
            description: touched_opt(t.1, &updated.description),
            metric: touched(t.2, &updated.metric),
            unit: touched_opt(t.3, &updated.unit),
            baseline: touched(t.4, &updated.baseline),
            target: touched(t.5, &updated.target),
            current: touched(t.6, &updated.current),
            confidence: touched_opt(t.7, &updated.confidence),
            due_date: touched(t.8, &updated.due_date),
            owner_id: touched_opt(t.9, &updated.owner_id),
            status,
            updated,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::fiscal_year;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn fy25() -> PlanPeriod {
        fiscal_year(2025, 1).unwrap()
    }

    fn valid() -> ObjectiveInput {
        ObjectiveInput {
            title: "Grow services revenue".into(),
            description: Some("Land the managed-services deal".into()),
            metric: Some("Services revenue".into()),
            unit: Some("EUR".into()),
            baseline: Some(dec("100000")),
            target: Some(dec("250000")),
            current: None,
            confidence: Some(70),
            due_date: Some(d(2025, 12, 31)),
            owner_id: None,
            status: None,
        }
    }

    fn err(input: ObjectiveInput) -> ValidationError {
        NewObjective::parse(input, &fy25()).unwrap_err()
    }

    #[test]
    fn a_smart_objective_parses_with_defaults() {
        let o = NewObjective::parse(valid(), &fy25()).unwrap();
        assert_eq!(o.current, dec("100000"), "current defaults to baseline");
        assert_eq!(o.status, ObjectiveStatus::OnTrack);
        assert_eq!(o.confidence.map(Confidence::get), Some(70));
        assert_eq!(o.progress_percent(), Some(Decimal::ZERO));
        let o = NewObjective::parse(
            ObjectiveInput {
                baseline: None,
                ..valid()
            },
            &fy25(),
        )
        .unwrap();
        assert_eq!(o.baseline, Decimal::ZERO, "baseline defaults to 0");
    }

    #[test]
    fn specific_needs_a_title() {
        let e = err(ObjectiveInput {
            title: "  ".into(),
            ..valid()
        });
        assert_eq!(e.to_string(), "title: must not be empty (S: specific)");
        let e = err(ObjectiveInput {
            description: Some("x".repeat(MAX_LONG_TEXT + 1)),
            ..valid()
        });
        assert_eq!(e.field, "description");
        assert!(e.message.ends_with("(S: specific)"));
    }

    #[test]
    fn measurable_needs_metric_and_a_target_apart_from_the_baseline() {
        for metric in [None, Some(" ".to_owned())] {
            let e = err(ObjectiveInput { metric, ..valid() });
            assert_eq!(e.to_string(), "metric: is required (M: measurable)");
        }
        let e = err(ObjectiveInput {
            target: None,
            ..valid()
        });
        assert_eq!(e.to_string(), "target: is required (M: measurable)");
        let e = err(ObjectiveInput {
            target: Some(dec("100000.00")),
            ..valid()
        });
        assert_eq!(e.field, "target");
        assert!(e.message.contains("baseline") && e.message.ends_with("(M: measurable)"));
        let e = err(ObjectiveInput {
            baseline: None,
            target: Some(Decimal::ZERO),
            ..valid()
        });
        assert_eq!(e.field, "target", "default baseline 0 equals target 0");
        let e = err(ObjectiveInput {
            current: Some(dec("0.00001")),
            ..valid()
        });
        assert_eq!(e.field, "current");
        let e = err(ObjectiveInput {
            baseline: Some(dec("1000000000000000")),
            ..valid()
        });
        assert_eq!(e.to_string(), "baseline: is too large (M: measurable)");
        let e = err(ObjectiveInput {
            unit: Some("x".repeat(MAX_UNIT + 1)),
            ..valid()
        });
        assert_eq!(e.field, "unit");
    }

    #[test]
    fn achievable_confidence_is_a_percentage() {
        for bad in [-1, 101, i32::MAX] {
            let e = err(ObjectiveInput {
                confidence: Some(bad),
                ..valid()
            });
            assert_eq!(
                e.to_string(),
                "confidence: must be between 0 and 100 (A: achievable)"
            );
        }
        for ok in [0, 100] {
            let input = ObjectiveInput {
                confidence: Some(ok),
                ..valid()
            };
            assert!(NewObjective::parse(input, &fy25()).is_ok());
        }
        let o = NewObjective::parse(
            ObjectiveInput {
                confidence: None,
                ..valid()
            },
            &fy25(),
        )
        .unwrap();
        assert_eq!(o.confidence, None);
    }

    #[test]
    fn time_bound_needs_a_due_date_within_the_plan_period() {
        let e = err(ObjectiveInput {
            due_date: None,
            ..valid()
        });
        assert_eq!(e.to_string(), "dueDate: is required (T: time-bound)");
        for outside in [d(2024, 12, 31), d(2026, 1, 1)] {
            let e = err(ObjectiveInput {
                due_date: Some(outside),
                ..valid()
            });
            assert_eq!(e.field, "dueDate");
            assert!(e.message.contains("2025-01-01 to 2025-12-31"));
            assert!(e.message.ends_with("(T: time-bound)"));
        }
        let first_day = ObjectiveInput {
            due_date: Some(d(2025, 1, 1)),
            ..valid()
        };
        assert!(NewObjective::parse(first_day, &fy25()).is_ok());
    }

    #[test]
    fn progress_for_increasing_targets() {
        let p = |b: &str, t: &str, c: &str| progress_percent(dec(b), dec(t), dec(c));
        assert_eq!(p("100", "200", "150"), Some(dec("50")));
        assert_eq!(p("0", "3", "1"), Some(dec("33.3")));
        assert_eq!(p("0", "3", "2"), Some(dec("66.7")));
        assert_eq!(p("0", "200", "200"), Some(dec("100")));
        assert_eq!(p("0", "200", "300"), Some(dec("150")), "not clamped above");
        assert_eq!(p("100", "200", "50"), Some(Decimal::ZERO), "clamped below");
        assert_eq!(p("0", "1000", "0.5"), Some(dec("0.1")), "half rounds up");
        assert_eq!(p("-50", "50", "0"), Some(dec("50")));
    }

    #[test]
    fn progress_for_decreasing_targets() {
        let p = |b: &str, t: &str, c: &str| progress_percent(dec(b), dec(t), dec(c));
        // Reduce churn from 10% to 4%.
        assert_eq!(p("10", "4", "7"), Some(dec("50")));
        assert_eq!(p("10", "4", "4"), Some(dec("100")));
        assert_eq!(p("10", "4", "1"), Some(dec("150")));
        assert_eq!(p("10", "4", "12"), Some(Decimal::ZERO));
    }

    #[test]
    fn max_value_is_ten_to_the_fourteenth() {
        assert_eq!(MAX_VALUE, Decimal::from(100_000_000_000_000_i64));
        assert!(metric_value("target", MAX_VALUE).is_ok());
        assert!(metric_value("target", -MAX_VALUE).is_ok());
    }

    #[test]
    fn progress_is_undefined_without_a_span_or_on_overflow() {
        assert_eq!(
            progress_percent(Decimal::ONE, Decimal::ONE, Decimal::TWO),
            None
        );
        assert_eq!(
            progress_percent(Decimal::MIN, Decimal::MAX, Decimal::ZERO),
            None
        );
    }

    fn current() -> NewObjective {
        NewObjective::parse(valid(), &fy25()).unwrap()
    }

    #[test]
    fn an_empty_patch_changes_nothing() {
        let c =
            ObjectiveChanges::parse(ObjectivePatchInput::default(), &current(), &fy25()).unwrap();
        assert_eq!(c.updated, current());
        assert!(c.title.is_none() && c.target.is_none() && c.status.is_none());
        assert!(c.description.is_unchanged() && c.confidence.is_unchanged());
    }

    #[test]
    fn a_patch_reports_the_touched_fields_and_the_result() {
        let c = ObjectiveChanges::parse(
            ObjectivePatchInput {
                current: Patch::Set(dec("175000")),
                description: Patch::Set(" ".into()),
                confidence: Patch::Clear,
                status: Patch::Set(ObjectiveStatus::AtRisk),
                ..Default::default()
            },
            &current(),
            &fy25(),
        )
        .unwrap();
        assert_eq!(c.current, Some(dec("175000")));
        assert_eq!(c.description, Patch::Clear);
        assert_eq!(c.confidence, Patch::Clear);
        assert_eq!(c.status, Some(ObjectiveStatus::AtRisk));
        assert!(c.target.is_none() && c.unit.is_unchanged());
        assert_eq!(c.updated.progress_percent(), Some(dec("50")));
        assert_eq!(c.updated.title, current().title);
    }

    #[test]
    fn a_patch_must_leave_the_objective_smart() {
        let cur = current();
        let e = |p: ObjectivePatchInput| ObjectiveChanges::parse(p, &cur, &fy25()).unwrap_err();
        let err = e(ObjectivePatchInput {
            target: Patch::Clear,
            ..Default::default()
        });
        assert_eq!(err.to_string(), "target: is required (M: measurable)");
        let err = e(ObjectivePatchInput {
            metric: Patch::Clear,
            ..Default::default()
        });
        assert_eq!(err.field, "metric");
        let err = e(ObjectivePatchInput {
            due_date: Patch::Clear,
            ..Default::default()
        });
        assert_eq!(err.field, "dueDate");
        let err = e(ObjectivePatchInput {
            title: Patch::Clear,
            ..Default::default()
        });
        assert_eq!(err.to_string(), "title: must not be empty (S: specific)");
        // The baseline moves onto the unchanged target.
        let err = e(ObjectivePatchInput {
            baseline: Patch::Set(dec("250000")),
            ..Default::default()
        });
        assert_eq!(err.field, "target");
        let err = e(ObjectivePatchInput {
            due_date: Patch::Set(d(2026, 1, 1)),
            ..Default::default()
        });
        assert_eq!(err.field, "dueDate");
        let err = e(ObjectivePatchInput {
            status: Patch::Clear,
            ..Default::default()
        });
        assert_eq!(
            (err.field.as_str(), err.message.as_str()),
            ("status", "must not be null")
        );
    }

    #[test]
    fn clearing_the_baseline_resets_it_to_zero() {
        let c = ObjectiveChanges::parse(
            ObjectivePatchInput {
                baseline: Patch::Clear,
                ..Default::default()
            },
            &current(),
            &fy25(),
        )
        .unwrap();
        assert_eq!(c.baseline, Some(Decimal::ZERO));
        assert_eq!(c.updated.current, dec("100000"), "current kept");
        assert_eq!(c.current, None);
    }
}
