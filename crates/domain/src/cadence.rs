//! Action items of an account plan: their recurrence (the call and visit
//! schedule, QBRs, annual meetings), status and the assessment after
//! execution.

use crate::error::ValidationError;
use crate::ids::UserId;
use crate::patch::Patch;
use crate::text::{MAX_SHORT_TEXT, RequiredText, optional_text};
use crate::text_enum;
use chrono::{Datelike, Days, Months, NaiveDate};

/// Most occurrences [`occurrences`] returns.
pub const MAX_OCCURRENCES: usize = 1000;

/// Longest assessment text (what was learned, what to revise), in characters.
pub const MAX_ASSESSMENT_TEXT: usize = 5000;

text_enum!(
    /// How often an action item recurs.
    Cadence {
        /// Only on the due date.
        Once => "ONCE",
        /// Every day.
        Daily => "DAILY",
        /// Every 7 days.
        Weekly => "WEEKLY",
        /// Every month, on the first due date's day (or the month's last day).
        Monthly => "MONTHLY",
        /// Every 3 months, like MONTHLY.
        Quarterly => "QUARTERLY",
        /// Every 12 months, like MONTHLY (Feb 29 falls on Feb 28 in common years).
        Annually => "ANNUALLY",
    }
);

text_enum!(
    /// Where an action item stands.
    ActionStatus {
        /// To do (or recurring).
        Open => "OPEN",
        /// Done.
        Done => "DONE",
        /// Will not be done.
        Cancelled => "CANCELLED",
    }
);

/// The step of a cadence: a number of days or of months.
enum Step {
    Days(u32),
    Months(u32),
}

impl Cadence {
    fn step(self) -> Option<Step> {
        match self {
            Self::Once => None,
            Self::Daily => Some(Step::Days(1)),
            Self::Weekly => Some(Step::Days(7)),
            Self::Monthly => Some(Step::Months(1)),
            Self::Quarterly => Some(Step::Months(3)),
            Self::Annually => Some(Step::Months(12)),
        }
    }
}

/// The `n`-th occurrence (0 is `first_due` itself), or `None` past the last
/// representable date or, for ONCE, for any `n > 0`.
///
/// Months are counted from `first_due`, so its day of month is kept where
/// the month has it and otherwise the month's last day is used: a monthly
/// item first due on Jan 31 falls on Feb 28 (29), Mar 31, Apr 30, ... and an
/// annual one first due on Feb 29 falls on Feb 28 in common years.
pub fn nth_occurrence(cadence: Cadence, first_due: NaiveDate, n: u32) -> Option<NaiveDate> {
    match cadence.step() {
        None => (n == 0).then_some(first_due),
        Some(Step::Days(d)) => first_due.checked_add_days(Days::new(u64::from(d) * u64::from(n))),
        Some(Step::Months(m)) => first_due.checked_add_months(Months::new(m.checked_mul(n)?)),
    }
}

/// An index whose occurrence is not after `from` (0 if `from` is not after
/// `first_due`), so that a search can start there instead of at 0.
fn index_before(cadence: Cadence, first_due: NaiveDate, from: NaiveDate) -> u32 {
    if from <= first_due {
        return 0;
    }
    let n = match cadence.step() {
        None => 0,
        Some(Step::Days(d)) => (from - first_due).num_days() / i64::from(d),
        Some(Step::Months(m)) => {
            let months = i64::from(from.year() - first_due.year()) * 12 + i64::from(from.month())
                - i64::from(first_due.month());
            // The month before `from`'s month is surely before `from`.
            (months - 1) / i64::from(m)
        }
    };
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// The occurrences between `from` and `to` (both included) of an item first
/// due on `first_due`, recurring until `end` (included) if given. At most
/// [`MAX_OCCURRENCES`], earliest first.
pub fn occurrences(
    cadence: Cadence,
    first_due: NaiveDate,
    end: Option<NaiveDate>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<NaiveDate> {
    let last = end.map_or(to, |e| e.min(to));
    let mut out = Vec::new();
    let mut n = index_before(cadence, first_due, from);
    while out.len() < MAX_OCCURRENCES {
        let Some(date) = nth_occurrence(cadence, first_due, n) else {
            break;
        };
        if date > last {
            break;
        }
        if date >= from {
            out.push(date);
        }
        let Some(next) = n.checked_add(1) else {
            break;
        };
        n = next;
    }
    out
}

/// The first occurrence on or after `date`, if any (`end` included).
pub fn next_on_or_after(
    cadence: Cadence,
    first_due: NaiveDate,
    end: Option<NaiveDate>,
    date: NaiveDate,
) -> Option<NaiveDate> {
    let mut n = index_before(cadence, first_due, date);
    loop {
        let d = nth_occurrence(cadence, first_due, n)?;
        if end.is_some_and(|e| d > e) {
            return None;
        }
        if d >= date {
            return Some(d);
        }
        n = n.checked_add(1)?;
    }
}

/// Whether `date` is an occurrence of the series.
pub fn is_occurrence(
    cadence: Cadence,
    first_due: NaiveDate,
    end: Option<NaiveDate>,
    date: NaiveDate,
) -> bool {
    next_on_or_after(cadence, first_due, end, date) == Some(date)
}

/// Longest window, in days, that the agenda and the occurrence lists cover.
pub const MAX_WINDOW_DAYS: i64 = 366;

/// Checks a window `from..=to` of dates: `to` not before `from`, at most
/// [`MAX_WINDOW_DAYS`] long. `to_field` names the field blamed.
pub fn check_window(from: NaiveDate, to: NaiveDate, to_field: &str) -> Result<(), ValidationError> {
    if to < from {
        return Err(ValidationError::new(to_field, "must not be before `from`"));
    }
    if (to - from).num_days() > MAX_WINDOW_DAYS {
        return Err(ValidationError::new(
            to_field,
            format!("must be at most {MAX_WINDOW_DAYS} days after `from`"),
        ));
    }
    Ok(())
}

/// Today's date in the IANA time zone `time_zone` (UTC if it is unknown):
/// the day that decides whether an occurrence is overdue.
pub fn today_in(time_zone: &str, now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    time_zone.parse::<chrono_tz::Tz>().map_or_else(
        |_| now.date_naive(),
        |tz| now.with_timezone(&tz).date_naive(),
    )
}

/// An occurrence is overdue when its date is before today and it was not
/// assessed.
pub fn is_overdue(date: NaiveDate, assessed: bool, today: NaiveDate) -> bool {
    date < today && !assessed
}

/// Raw input to create an action item (its plan is given separately).
#[derive(Debug, Clone, Default)]
pub struct ActionItemInput {
    /// What is to be done.
    pub title: String,
    /// Details.
    pub notes: Option<String>,
    /// Who does it.
    pub assignee_id: Option<UserId>,
    /// The first (or only) due date.
    pub due_date: NaiveDate,
    /// Defaults to ONCE.
    pub cadence: Option<Cadence>,
    /// The last day a recurring item may fall on; `None`: open-ended.
    pub repeat_until: Option<NaiveDate>,
    /// Defaults to OPEN.
    pub status: Option<ActionStatus>,
}

/// A valid new action item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewActionItem {
    /// What is to be done.
    pub title: RequiredText,
    /// Details.
    pub notes: Option<String>,
    /// Who does it.
    pub assignee_id: Option<UserId>,
    /// The first (or only) due date.
    pub due_date: NaiveDate,
    /// How often it recurs.
    pub cadence: Cadence,
    /// The last day a recurring item may fall on; never before `due_date`.
    pub repeat_until: Option<NaiveDate>,
    /// Where it stands.
    pub status: ActionStatus,
}

impl NewActionItem {
    /// Validates the input: a title (at most 200 characters), notes (at most
    /// [`MAX_ASSESSMENT_TEXT`]); `repeatUntil` only for a recurring cadence
    /// and not before the due date.
    pub fn parse(input: ActionItemInput) -> Result<Self, ValidationError> {
        let cadence = input.cadence.unwrap_or(Cadence::Once);
        if let Some(until) = input.repeat_until {
            if cadence == Cadence::Once {
                return Err(ValidationError::new(
                    "repeatUntil",
                    "only applies to a recurring cadence",
                ));
            }
            if until < input.due_date {
                return Err(ValidationError::new(
                    "repeatUntil",
                    format!("must not be before the due date {}", input.due_date),
                ));
            }
        }
        Ok(Self {
            title: RequiredText::parse("title", &input.title, MAX_SHORT_TEXT)?,
            notes: optional_text("notes", input.notes.as_deref(), MAX_ASSESSMENT_TEXT)?,
            assignee_id: input.assignee_id,
            due_date: input.due_date,
            cadence,
            repeat_until: input.repeat_until,
            status: input.status.unwrap_or(ActionStatus::Open),
        })
    }

    /// The item's occurrences between `from` and `to`; see [`occurrences`].
    pub fn occurrences(&self, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
        occurrences(self.cadence, self.due_date, self.repeat_until, from, to)
    }

    /// The item with a partial update applied, validated as a whole.
    /// Required fields (`title`, `assigneeId`, `firstDueDate`, `cadence`,
    /// `status`) refuse `null`.
    pub fn apply(&self, patch: ActionItemPatchInput) -> Result<Self, ValidationError> {
        fn required<T>(p: Patch<T>, current: T, field: &str) -> Result<T, ValidationError> {
            match p {
                Patch::Unchanged => Ok(current),
                Patch::Set(v) => Ok(v),
                Patch::Clear => Err(ValidationError::new(field, "must not be null")),
            }
        }
        let mut notes = self.notes.clone();
        patch.notes.apply_to(&mut notes);
        let mut repeat_until = self.repeat_until;
        patch.repeat_until.apply_to(&mut repeat_until);
        let assignee = match patch.assignee_id {
            Patch::Unchanged => self.assignee_id,
            Patch::Set(u) => Some(u),
            Patch::Clear => return Err(ValidationError::new("assigneeId", "must not be null")),
        };
        Self::parse(ActionItemInput {
            title: required(patch.title, self.title.as_str().to_owned(), "title")?,
            notes,
            assignee_id: assignee,
            due_date: required(patch.due_date, self.due_date, "firstDueDate")?,
            cadence: Some(required(patch.cadence, self.cadence, "cadence")?),
            repeat_until,
            status: Some(required(patch.status, self.status, "status")?),
        })
    }

    /// Whether the schedule (cadence, first due date, end) differs from `other`'s.
    pub fn schedule_differs(&self, other: &Self) -> bool {
        (self.cadence, self.due_date, self.repeat_until)
            != (other.cadence, other.due_date, other.repeat_until)
    }

    /// A changed schedule must keep every occurrence already assessed (an
    /// assessment belongs to its occurrence); `field` is blamed otherwise.
    pub fn check_keeps(&self, assessed: &[NaiveDate], field: &str) -> Result<(), ValidationError> {
        match assessed
            .iter()
            .find(|d| !is_occurrence(self.cadence, self.due_date, self.repeat_until, **d))
        {
            None => Ok(()),
            Some(d) => Err(ValidationError::new(
                field,
                format!("the occurrence of {d} is assessed and must stay in the schedule"),
            )),
        }
    }
}

/// A partial update of an action item: absent fields are unchanged, `null`
/// clears (refused for required fields).
#[derive(Debug, Clone, Default)]
pub struct ActionItemPatchInput {
    /// New title.
    pub title: Patch<String>,
    /// New notes.
    pub notes: Patch<String>,
    /// New assignee.
    pub assignee_id: Patch<UserId>,
    /// New first due date.
    pub due_date: Patch<NaiveDate>,
    /// New cadence.
    pub cadence: Patch<Cadence>,
    /// New end of the series.
    pub repeat_until: Patch<NaiveDate>,
    /// New status.
    pub status: Patch<ActionStatus>,
}

/// How much value an executed action brought, 1 (none) to 5 (a lot).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ValueRating(u8);

impl ValueRating {
    /// A rating between 1 and 5.
    pub fn parse(field: &str, raw: i32) -> Result<Self, ValidationError> {
        u8::try_from(raw)
            .ok()
            .filter(|v| (1..=5).contains(v))
            .map(Self)
            .ok_or_else(|| ValidationError::new(field, "must be between 1 and 5"))
    }

    /// The rating.
    pub fn get(self) -> u8 {
        self.0
    }
}

/// Raw assessment of an action item after its execution.
#[derive(Debug, Clone, Default)]
pub struct AssessmentInput {
    /// Did it happen?
    pub happened: bool,
    /// When it happened (or was due to happen).
    pub date: NaiveDate,
    /// Required when it happened, refused when it did not.
    pub value_delivered: Option<i32>,
    /// What was learned.
    pub learned: Option<String>,
    /// What to revise in the plan.
    pub revise: Option<String>,
}

/// A valid assessment of an action item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Did it happen?
    pub happened: bool,
    /// When it happened (or was due to happen).
    pub date: NaiveDate,
    /// `Some` exactly when it happened.
    pub value_delivered: Option<ValueRating>,
    /// What was learned.
    pub learned: Option<String>,
    /// What to revise in the plan.
    pub revise: Option<String>,
}

impl Assessment {
    /// Validates the input: an action that happened is rated 1 to 5 on
    /// `valueDelivered`; one that did not is not rated. Texts are optional,
    /// at most [`MAX_ASSESSMENT_TEXT`] characters.
    pub fn parse(input: AssessmentInput) -> Result<Self, ValidationError> {
        const FIELD: &str = "valueDelivered";
        let value_delivered = match (input.happened, input.value_delivered) {
            (true, None) => {
                return Err(ValidationError::new(
                    FIELD,
                    "is required when the action happened",
                ));
            }
            (false, Some(_)) => {
                return Err(ValidationError::new(
                    FIELD,
                    "must be empty when the action did not happen",
                ));
            }
            (_, v) => v.map(|v| ValueRating::parse(FIELD, v)).transpose()?,
        };
        Ok(Self {
            happened: input.happened,
            date: input.date,
            value_delivered,
            learned: optional_text("learned", input.learned.as_deref(), MAX_ASSESSMENT_TEXT)?,
            revise: optional_text("revise", input.revise.as_deref(), MAX_ASSESSMENT_TEXT)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Cadence::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn nth(c: Cadence, first: NaiveDate, ns: std::ops::Range<u32>) -> Vec<NaiveDate> {
        ns.map(|n| nth_occurrence(c, first, n).unwrap()).collect()
    }

    #[test]
    fn once_happens_once() {
        let first = d(2025, 3, 15);
        assert_eq!(nth_occurrence(Once, first, 0), Some(first));
        assert_eq!(nth_occurrence(Once, first, 1), None);
        assert_eq!(
            occurrences(Once, first, None, d(2025, 1, 1), d(2025, 12, 31)),
            [first]
        );
        assert_eq!(occurrences(Once, first, None, first, first), [first]);
        assert!(occurrences(Once, first, None, d(2025, 3, 16), d(2025, 12, 31)).is_empty());
        assert!(
            occurrences(
                Once,
                first,
                Some(d(2025, 3, 14)),
                d(2025, 1, 1),
                d(2025, 12, 31)
            )
            .is_empty()
        );
    }

    #[test]
    fn daily_and_weekly_cross_month_and_year_ends() {
        assert_eq!(
            nth(Daily, d(2024, 2, 28), 0..3),
            [d(2024, 2, 28), d(2024, 2, 29), d(2024, 3, 1)]
        );
        assert_eq!(
            nth(Daily, d(2100, 2, 28), 0..2),
            [d(2100, 2, 28), d(2100, 3, 1)],
            "2100 is not a leap year"
        );
        assert_eq!(
            nth(Weekly, d(2024, 12, 25), 0..3),
            [d(2024, 12, 25), d(2025, 1, 1), d(2025, 1, 8)]
        );
    }

    #[test]
    fn monthly_anchors_on_the_first_due_day() {
        assert_eq!(
            nth(Monthly, d(2024, 1, 31), 0..6),
            [
                d(2024, 1, 31),
                d(2024, 2, 29),
                d(2024, 3, 31),
                d(2024, 4, 30),
                d(2024, 5, 31),
                d(2024, 6, 30),
            ]
        );
        assert_eq!(
            nth_occurrence(Monthly, d(2025, 1, 31), 1),
            Some(d(2025, 2, 28))
        );
        assert_eq!(
            nth_occurrence(Monthly, d(2025, 1, 31), 2),
            Some(d(2025, 3, 31))
        );
        assert_eq!(
            nth_occurrence(Monthly, d(2025, 1, 30), 1),
            Some(d(2025, 2, 28))
        );
        assert_eq!(
            nth_occurrence(Monthly, d(2025, 1, 30), 2),
            Some(d(2025, 3, 30))
        );
        assert_eq!(
            nth_occurrence(Monthly, d(2025, 1, 15), 23),
            Some(d(2026, 12, 15))
        );
    }

    #[test]
    fn quarterly_is_three_months() {
        assert_eq!(
            nth(Quarterly, d(2023, 11, 30), 0..5),
            [
                d(2023, 11, 30),
                d(2024, 2, 29),
                d(2024, 5, 30),
                d(2024, 8, 30),
                d(2024, 11, 30)
            ]
        );
        assert_eq!(
            nth(Quarterly, d(2025, 3, 31), 0..4),
            [
                d(2025, 3, 31),
                d(2025, 6, 30),
                d(2025, 9, 30),
                d(2025, 12, 31)
            ]
        );
    }

    #[test]
    fn annually_keeps_feb_29_in_leap_years() {
        assert_eq!(
            nth(Annually, d(2024, 2, 29), 0..5),
            [
                d(2024, 2, 29),
                d(2025, 2, 28),
                d(2026, 2, 28),
                d(2027, 2, 28),
                d(2028, 2, 29)
            ]
        );
        let from_2096 = |n| nth_occurrence(Annually, d(2096, 2, 29), n);
        assert_eq!(from_2096(4), Some(d(2100, 2, 28)), "2100 is not leap");
        assert_eq!(from_2096(8), Some(d(2104, 2, 29)));
        let from_1996 = |n| nth_occurrence(Annually, d(1996, 2, 29), n);
        assert_eq!(from_1996(4), Some(d(2000, 2, 29)), "2000 is leap");
    }

    #[test]
    fn nth_occurrence_overflow_is_none() {
        assert_eq!(nth_occurrence(Annually, d(2025, 1, 1), u32::MAX), None);
        assert_eq!(nth_occurrence(Daily, NaiveDate::MAX, 1), None);
        assert_eq!(
            nth_occurrence(Daily, NaiveDate::MAX, 0),
            Some(NaiveDate::MAX)
        );
    }

    #[test]
    fn ranges_include_both_bounds() {
        let first = d(2025, 1, 31);
        assert_eq!(
            occurrences(Monthly, first, None, d(2025, 2, 28), d(2025, 4, 30)),
            [d(2025, 2, 28), d(2025, 3, 31), d(2025, 4, 30)]
        );
        assert_eq!(
            occurrences(Monthly, first, None, d(2025, 3, 1), d(2025, 4, 29)),
            [d(2025, 3, 31)]
        );
        assert!(occurrences(Monthly, first, None, d(2025, 4, 1), d(2025, 3, 1)).is_empty());
        assert!(occurrences(Monthly, first, None, d(2024, 1, 1), d(2025, 1, 30)).is_empty());
        assert_eq!(
            occurrences(Weekly, d(2025, 1, 1), None, d(2024, 1, 1), d(2025, 1, 15)),
            [d(2025, 1, 1), d(2025, 1, 8), d(2025, 1, 15)]
        );
    }

    #[test]
    fn end_dates_stop_the_series() {
        let first = d(2025, 1, 6);
        let until = Some(d(2025, 1, 20));
        assert_eq!(
            occurrences(Weekly, first, until, d(2025, 1, 1), d(2025, 12, 31)),
            [d(2025, 1, 6), d(2025, 1, 13), d(2025, 1, 20)]
        );
        assert_eq!(
            occurrences(
                Weekly,
                first,
                Some(d(2025, 1, 19)),
                d(2025, 1, 1),
                d(2025, 12, 31)
            ),
            [d(2025, 1, 6), d(2025, 1, 13)]
        );
        assert_eq!(
            occurrences(
                Quarterly,
                d(2024, 1, 15),
                Some(d(2026, 1, 1)),
                d(2025, 1, 1),
                d(2030, 1, 1)
            ),
            [
                d(2025, 1, 15),
                d(2025, 4, 15),
                d(2025, 7, 15),
                d(2025, 10, 15)
            ]
        );
    }

    #[test]
    fn a_late_window_matches_counting_from_the_start() {
        let from = d(2031, 5, 17);
        let to = d(2033, 2, 3);
        for c in Cadence::ALL {
            for first in [
                d(2024, 1, 31),
                d(2024, 2, 29),
                d(2023, 12, 31),
                d(2031, 5, 17),
            ] {
                let expected: Vec<NaiveDate> = (0..)
                    .map_while(|n| nth_occurrence(*c, first, n).filter(|x| *x <= to))
                    .filter(|x| *x >= from)
                    .take(MAX_OCCURRENCES)
                    .collect();
                assert_eq!(
                    occurrences(*c, first, None, from, to),
                    expected,
                    "{c:?} {first}"
                );
            }
        }
    }

    #[test]
    fn results_are_capped() {
        let all = occurrences(Daily, d(2000, 1, 1), None, d(2000, 1, 1), d(2100, 1, 1));
        assert_eq!(all.len(), MAX_OCCURRENCES);
        assert_eq!(all.last(), Some(&d(2002, 9, 26)));
        let late = occurrences(Daily, d(1900, 1, 1), None, d(2025, 1, 1), d(2025, 1, 3));
        assert_eq!(late, [d(2025, 1, 1), d(2025, 1, 2), d(2025, 1, 3)]);
    }

    #[test]
    fn next_occurrences_and_membership() {
        let first = d(2025, 1, 31);
        assert_eq!(
            next_on_or_after(Monthly, first, None, d(2025, 2, 1)),
            Some(d(2025, 2, 28))
        );
        assert_eq!(
            next_on_or_after(Monthly, first, None, d(2025, 2, 28)),
            Some(d(2025, 2, 28))
        );
        assert_eq!(
            next_on_or_after(Monthly, first, None, d(2024, 6, 1)),
            Some(first)
        );
        assert_eq!(
            next_on_or_after(Monthly, first, Some(d(2025, 3, 30)), d(2025, 3, 1)),
            None
        );
        assert_eq!(next_on_or_after(Once, first, None, d(2025, 2, 1)), None);
        assert!(!is_occurrence(Monthly, first, None, d(2024, 2, 29)));
        assert!(is_occurrence(Monthly, first, None, d(2025, 2, 28)));
        assert!(is_occurrence(Monthly, first, None, d(2025, 3, 31)));
        assert!(!is_occurrence(Monthly, first, None, d(2025, 3, 28)));
        assert!(!is_occurrence(
            Monthly,
            first,
            Some(d(2025, 3, 1)),
            d(2025, 3, 31)
        ));
        assert!(is_occurrence(Weekly, d(2025, 1, 6), None, d(2025, 1, 20)));
        assert!(!is_occurrence(Weekly, d(2025, 1, 6), None, d(2025, 1, 21)));
        assert!(is_occurrence(Once, first, None, first));
        assert!(!is_occurrence(Once, first, None, d(2025, 2, 28)));
        for c in Cadence::ALL {
            for date in occurrences(*c, d(2024, 2, 29), None, d(2024, 1, 1), d(2027, 1, 1)) {
                assert!(
                    is_occurrence(*c, d(2024, 2, 29), None, date),
                    "{c:?} {date}"
                );
            }
        }
    }

    #[test]
    fn windows_are_capped_and_today_follows_the_time_zone() {
        assert!(check_window(d(2025, 1, 1), d(2026, 1, 2), "to").is_ok());
        assert_eq!(
            check_window(d(2025, 1, 1), d(2026, 1, 3), "to")
                .unwrap_err()
                .field,
            "to"
        );
        assert!(check_window(d(2025, 1, 2), d(2025, 1, 1), "to").is_err());
        let late = chrono::DateTime::parse_from_rfc3339("2025-03-10T23:30:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        assert_eq!(today_in("Europe/Berlin", late), d(2025, 3, 11));
        assert_eq!(today_in("America/New_York", late), d(2025, 3, 10));
        assert_eq!(today_in("Nowhere/Else", late), d(2025, 3, 10));
        assert!(is_overdue(d(2025, 3, 9), false, d(2025, 3, 10)));
        assert!(!is_overdue(d(2025, 3, 9), true, d(2025, 3, 10)));
        assert!(!is_overdue(d(2025, 3, 10), false, d(2025, 3, 10)));
    }

    #[test]
    fn patches_keep_absent_fields_clear_optional_ones_and_refuse_null_required_ones() {
        let item = NewActionItem::parse(ActionItemInput {
            title: "Monthly call".into(),
            notes: Some("agenda first".into()),
            assignee_id: Some(UserId::new()),
            due_date: d(2025, 1, 31),
            cadence: Some(Monthly),
            repeat_until: Some(d(2025, 12, 31)),
            status: None,
        })
        .unwrap();
        let same = item.apply(ActionItemPatchInput::default()).unwrap();
        assert_eq!(same, item);
        assert!(!same.schedule_differs(&item));
        let changed = item
            .apply(ActionItemPatchInput {
                notes: Patch::Clear,
                repeat_until: Patch::Clear,
                title: Patch::Set(" Monthly call with the CFO ".into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(changed.notes, None);
        assert_eq!(changed.repeat_until, None);
        assert_eq!(changed.title.as_str(), "Monthly call with the CFO");
        assert!(changed.schedule_differs(&item));
        for (patch, field) in [
            (
                ActionItemPatchInput {
                    title: Patch::Clear,
                    ..Default::default()
                },
                "title",
            ),
            (
                ActionItemPatchInput {
                    due_date: Patch::Clear,
                    ..Default::default()
                },
                "firstDueDate",
            ),
            (
                ActionItemPatchInput {
                    assignee_id: Patch::Clear,
                    ..Default::default()
                },
                "assigneeId",
            ),
            (
                ActionItemPatchInput {
                    cadence: Patch::Set(Once),
                    ..Default::default()
                },
                "repeatUntil",
            ),
        ] {
            assert_eq!(item.apply(patch).unwrap_err().field, field);
        }
        let weekly = item
            .apply(ActionItemPatchInput {
                cadence: Patch::Set(Weekly),
                ..Default::default()
            })
            .unwrap();
        assert!(item.check_keeps(&[d(2025, 3, 31)], "cadence").is_ok());
        let e = weekly
            .check_keeps(&[d(2025, 3, 31)], "cadence")
            .unwrap_err();
        assert_eq!(e.field, "cadence");
        assert!(weekly.check_keeps(&[d(2025, 2, 7)], "cadence").is_ok());
    }

    #[test]
    fn action_items_default_and_check_repeat_until() {
        let input = ActionItemInput {
            title: "Quarterly business review".into(),
            due_date: d(2025, 3, 31),
            cadence: Some(Quarterly),
            repeat_until: Some(d(2025, 12, 31)),
            ..Default::default()
        };
        let a = NewActionItem::parse(input.clone()).unwrap();
        assert_eq!(a.status, ActionStatus::Open);
        assert_eq!(a.occurrences(d(2025, 1, 1), d(2026, 12, 31)).len(), 4);
        let e = NewActionItem::parse(ActionItemInput {
            repeat_until: Some(d(2025, 3, 30)),
            ..input.clone()
        })
        .unwrap_err();
        assert_eq!(e.field, "repeatUntil");
        let e = NewActionItem::parse(ActionItemInput {
            cadence: None,
            ..input.clone()
        })
        .unwrap_err();
        assert_eq!(e.field, "repeatUntil");
        let e = NewActionItem::parse(ActionItemInput {
            title: " ".into(),
            ..input
        })
        .unwrap_err();
        assert_eq!(e.field, "title");
    }

    #[test]
    fn assessments_rate_what_happened() {
        let ok = AssessmentInput {
            happened: true,
            date: d(2025, 4, 2),
            value_delivered: Some(4),
            learned: Some(" CFO wants a TCO study ".into()),
            revise: None,
        };
        let a = Assessment::parse(ok.clone()).unwrap();
        assert_eq!(a.value_delivered.map(ValueRating::get), Some(4));
        assert_eq!(a.learned.as_deref(), Some("CFO wants a TCO study"));
        for bad in [0, 6, -1] {
            let e = Assessment::parse(AssessmentInput {
                value_delivered: Some(bad),
                ..ok.clone()
            })
            .unwrap_err();
            assert_eq!(e.field, "valueDelivered");
        }
        let e = Assessment::parse(AssessmentInput {
            value_delivered: None,
            ..ok.clone()
        })
        .unwrap_err();
        assert_eq!(e.field, "valueDelivered");
        let e = Assessment::parse(AssessmentInput {
            happened: false,
            ..ok.clone()
        })
        .unwrap_err();
        assert_eq!(e.field, "valueDelivered");
        let missed = Assessment::parse(AssessmentInput {
            happened: false,
            value_delivered: None,
            revise: Some("Move the visit to Q3".into()),
            ..ok.clone()
        })
        .unwrap();
        assert_eq!(missed.value_delivered, None);
        let e = Assessment::parse(AssessmentInput {
            revise: Some("x".repeat(MAX_ASSESSMENT_TEXT + 1)),
            ..ok
        })
        .unwrap_err();
        assert_eq!(e.field, "revise");
    }
}
