//! Action items of account plans: the call and visit schedule, QBRs and
//! annual meetings, with their cadence; the assessment of each occurrence
//! after it is due (which may create a follow-up item); the caller's agenda
//! and the tenant's overdue occurrences.
//!
//! Writes are authorised through the plan's account (its owner, sales
//! managers and admins); occurrences are derived from the cadence
//! (`domain::cadence`), never stored.

use super::plans::{check_user, load_plan, load_plan_for_write};
use super::team::authorize_occurrence;
use super::writer;
use crate::error::{ApiError, ApiResult};
use chrono::{Days, NaiveDate, Utc};
use domain::cadence::{
    ActionItemInput, ActionItemPatchInput, ActionStatus, Assessment, AssessmentInput, Cadence,
    NewActionItem, check_window, is_occurrence, is_overdue, occurrences, today_in,
};
use domain::{Action, Patch, Principal, Record, TenantId, UserId, authorize};
use persistence::entity::{account_plan, action_item, assessment};
use persistence::repo::{actions, plans, tenants};
use persistence::write::{Op, Writer};
use persistence::{ConnectionTrait, Db, Set};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

/// How far back the overdue list looks, in days.
pub const OVERDUE_LOOKBACK_DAYS: u64 = 366;

/// Today in the tenant's time zone: the day that decides what is overdue.
pub async fn today(conn: &impl ConnectionTrait, tenant: TenantId) -> ApiResult<NaiveDate> {
    let tz = tenants::get(conn, tenant)
        .await?
        .map(|t| t.time_zone)
        .unwrap_or_default();
    Ok(today_in(&tz, Utc::now()))
}

fn cadence_of(m: &action_item::Model) -> Cadence {
    Cadence::from_str_opt(&m.cadence).unwrap_or(Cadence::Once)
}

/// The item's status as stored.
pub fn status_of(m: &action_item::Model) -> ActionStatus {
    ActionStatus::from_str_opt(&m.status).unwrap_or(ActionStatus::Open)
}

/// Whether `date` is an occurrence of the item.
pub fn occurs_on(m: &action_item::Model, date: NaiveDate) -> bool {
    is_occurrence(cadence_of(m), m.first_due, m.repeat_until, date)
}

/// The item's occurrences in `from..=to`.
pub fn occurrences_of(m: &action_item::Model, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    occurrences(cadence_of(m), m.first_due, m.repeat_until, from, to)
}

/// The first unassessed occurrence on or after `today` of an OPEN item.
pub fn next_occurrence(
    m: &action_item::Model,
    assessed: &HashSet<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    if status_of(m) != ActionStatus::Open {
        return None;
    }
    let (c, first, end) = (cadence_of(m), m.first_due, m.repeat_until);
    let mut d = domain::cadence::next_on_or_after(c, first, end, today)?;
    while assessed.contains(&d) {
        d = domain::cadence::next_on_or_after(c, first, end, d.checked_add_days(Days::new(1))?)?;
    }
    Some(d)
}

/// An occurrence is overdue when its item is OPEN, its date before today and
/// it was not assessed.
pub fn overdue(m: &action_item::Model, date: NaiveDate, assessed: bool, today: NaiveDate) -> bool {
    status_of(m) == ActionStatus::Open && is_overdue(date, assessed, today)
}

/// One occurrence of an action item, with its assessment if recorded.
#[derive(Clone)]
pub struct Occurrence {
    pub item: Arc<action_item::Model>,
    pub due: NaiveDate,
    pub overdue: bool,
    pub assessment: Option<Arc<assessment::Model>>,
}

/// The occurrences of `items` in `from..=to`, ordered by date (then by the
/// item's id), each with its assessment among `assessed`.
fn expand(
    items: &[Arc<action_item::Model>],
    assessed: &[assessment::Model],
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Vec<Occurrence> {
    let by_key: HashMap<(Uuid, NaiveDate), Arc<assessment::Model>> = assessed
        .iter()
        .map(|a| ((a.action_item_id, a.occurrence_date), Arc::new(a.clone())))
        .collect();
    let mut out = Vec::new();
    for item in items {
        for due in occurrences_of(item, from, to) {
            let assessment = by_key.get(&(item.id, due)).cloned();
            out.push(Occurrence {
                item: item.clone(),
                due,
                overdue: overdue(item, due, assessment.is_some(), today),
                assessment,
            });
        }
    }
    out.sort_by_key(|o| (o.due, o.item.id));
    out
}

/// The caller's agenda: occurrences in `from..=to` of the OPEN items
/// assigned to them, across accounts, by due date. Three statements: the
/// tenant's time zone (through `today`), the items, their assessments.
pub async fn agenda(
    db: &Db,
    p: &Principal,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> ApiResult<Vec<Occurrence>> {
    check_window(from, to, "to")?;
    let items = actions::open_between(db.read(), p.tenant_id, Some(p.user_id.0), from, to).await?;
    let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let assessed =
        actions::assessments_of(db.read(), p.tenant_id, &ids, Some(from), Some(to)).await?;
    let items: Vec<Arc<action_item::Model>> = items.into_iter().map(Arc::new).collect();
    Ok(expand(&items, &assessed, from, to, today))
}

/// One page of the tenant's overdue occurrences (unassessed, due in the
/// last [`OVERDUE_LOOKBACK_DAYS`] days before today), oldest first, after
/// the position `(due date, item id)`. Sales managers and admins only.
pub async fn overdue_page(
    db: &Db,
    p: &Principal,
    window: OverdueWindow,
    today: NaiveDate,
) -> ApiResult<(Vec<Occurrence>, bool, bool)> {
    authorize(p, Action::Oversee, Record::Tenant)?;
    let (Some(mut last), Some(since)) = (
        today.pred_opt(),
        today.checked_sub_days(Days::new(OVERDUE_LOOKBACK_DAYS)),
    ) else {
        return Ok((vec![], false, false));
    };
    let from = window.after.map_or(since, |(d, _)| d.max(since));
    if let Some((d, _)) = window.before {
        last = last.min(d);
    }
    if from > last {
        return Ok((vec![], window.after.is_some(), window.before.is_some()));
    }
    let rows = overdue_between(db, p, from, last, today).await?;
    Ok(window.apply(rows, |o| (o.due, o.item.id)))
}

/// How many occurrences the whole overdue list holds (`totalCount`).
pub async fn overdue_count(db: &Db, p: &Principal, today: NaiveDate) -> ApiResult<usize> {
    authorize(p, Action::Oversee, Record::Tenant)?;
    let (Some(last), Some(since)) = (
        today.pred_opt(),
        today.checked_sub_days(Days::new(OVERDUE_LOOKBACK_DAYS)),
    ) else {
        return Ok(0);
    };
    Ok(overdue_between(db, p, since, last, today).await?.len())
}

/// The overdue occurrences due from `from` to `last`, in list order.
async fn overdue_between(
    db: &Db,
    p: &Principal,
    from: NaiveDate,
    last: NaiveDate,
    today: NaiveDate,
) -> ApiResult<Vec<Occurrence>> {
    let items = actions::open_between(db.read(), p.tenant_id, None, from, last).await?;
    let ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    let assessed =
        actions::assessments_of(db.read(), p.tenant_id, &ids, Some(from), Some(last)).await?;
    let items: Vec<Arc<action_item::Model>> = items.into_iter().map(Arc::new).collect();
    Ok(expand(&items, &assessed, from, last, today)
        .into_iter()
        .filter(|o| o.overdue)
        .collect())
}

/// A Relay window over a list in `(due date, item id)` order: `first`
/// after a position, or `last` before one.
#[derive(Debug, Clone, Copy, Default)]
pub struct OverdueWindow {
    pub after: Option<(NaiveDate, Uuid)>,
    pub before: Option<(NaiveDate, Uuid)>,
    pub limit: usize,
    /// `last`: the window ends at `before` (or the end of the list).
    pub from_end: bool,
}

impl OverdueWindow {
    /// The window of Relay page arguments over the overdue list, whose
    /// cursors hold the due date (`overdueActions` on both read paths).
    pub fn of(args: &persistence::repo::page::PageArgs) -> ApiResult<Self> {
        let position = |pos: &Option<persistence::repo::page::Position>, field: &str| {
            pos.as_ref()
                .map(|pos| {
                    NaiveDate::parse_from_str(&pos.key, "%Y-%m-%d")
                        .map(|d| (d, pos.id))
                        .map_err(|_| {
                            ApiError::validation(field, "is not a cursor of this list and ordering")
                        })
                })
                .transpose()
        };
        Ok(OverdueWindow {
            after: position(&args.after, "after")?,
            before: position(&args.before, "before")?,
            limit: usize::try_from(args.limit).unwrap_or(usize::MAX),
            from_end: args.from_end,
        })
    }

    /// The rows (already in order) in the window, with `hasPreviousPage`
    /// and `hasNextPage`.
    pub fn apply<T>(
        &self,
        rows: Vec<T>,
        position: impl Fn(&T) -> (NaiveDate, Uuid),
    ) -> (Vec<T>, bool, bool) {
        let mut rows: Vec<T> = rows
            .into_iter()
            .filter(|r| self.after.is_none_or(|a| position(r) > a))
            .filter(|r| self.before.is_none_or(|b| position(r) < b))
            .collect();
        let more = rows.len() > self.limit;
        if self.from_end {
            let cut = rows.len().saturating_sub(self.limit);
            rows.drain(..cut);
            (rows, more, self.before.is_some())
        } else {
            rows.truncate(self.limit);
            (rows, self.after.is_some(), more)
        }
    }
}

/// Checks that `objective` is a live objective of `plan`.
async fn check_objective(
    conn: &impl ConnectionTrait,
    p: &Principal,
    plan: &account_plan::Model,
    objective: Uuid,
) -> ApiResult<()> {
    match plans::objective(conn, p.tenant_id, objective).await? {
        Some(o) if o.plan_id == plan.id => Ok(()),
        _ => Err(ApiError::not_found_in("objective", "objectiveId")),
    }
}

/// Links the contacts (live contacts of the plan's account) to the item.
async fn link_contacts(
    w: &Writer,
    item: &action_item::Model,
    account: Uuid,
    contacts: &[Uuid],
) -> ApiResult<()> {
    let mut wanted = contacts.to_vec();
    wanted.sort();
    wanted.dedup();
    let linked = actions::link_contacts(w, item, account, &wanted).await?;
    if linked == wanted.len() as u64 {
        Ok(())
    } else {
        Err(ApiError::not_found_in("contact", "contactIds"))
    }
}

fn new_row(
    p: &Principal,
    plan: &account_plan::Model,
    objective: Option<Uuid>,
    n: NewActionItem,
    assignee: UserId,
) -> action_item::ActiveModel {
    action_item::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        plan_id: Set(plan.id),
        objective_id: Set(objective),
        title: Set(n.title.into_inner()),
        notes: Set(n.notes),
        assignee_id: Set(assignee.0),
        cadence: Set(n.cadence.as_str().into()),
        first_due: Set(n.due_date),
        repeat_until: Set(n.repeat_until),
        status: Set(n.status.as_str().into()),
        deleted_at: Set(None),
        ..Default::default()
    }
}

/// Creates an action item in a plan (writers of the plan's account). The
/// assignee defaults to the caller; the objective must be of the same plan,
/// the contacts of the plan's account.
pub async fn create(
    db: &Db,
    p: &Principal,
    plan_id: Uuid,
    objective_id: Option<Uuid>,
    contact_ids: &[Uuid],
    input: ActionItemInput,
) -> ApiResult<action_item::Model> {
    let new = NewActionItem::parse(input)?;
    let w = writer(db, p).await?;
    let (plan, account) = load_plan_for_write(w.conn(), p, plan_id, "planId").await?;
    if let Some(o) = objective_id {
        check_objective(w.conn(), p, &plan, o).await?;
    }
    let assignee = new.assignee_id.unwrap_or(p.user_id);
    check_user(w.conn(), p, assignee, "assigneeId").await?;
    let m = w
        .insert::<action_item::Entity>(new_row(p, &plan, objective_id, new, assignee))
        .await?;
    link_contacts(&w, &m, account.id, contact_ids).await?;
    w.commit().await?;
    Ok(m)
}

/// The stored item as the domain sees it, to validate a patch against.
fn snapshot(m: &action_item::Model) -> ApiResult<NewActionItem> {
    Ok(NewActionItem {
        title: domain::text::RequiredText::parse("title", &m.title, 10_000)?,
        notes: m.notes.clone(),
        assignee_id: Some(UserId(m.assignee_id)),
        due_date: m.first_due,
        cadence: cadence_of(m),
        repeat_until: m.repeat_until,
        status: status_of(m),
    })
}

/// What `update` changes besides the item's own fields.
#[derive(Debug, Clone, Default)]
pub struct ActionItemLinks {
    /// New objective (of the same plan); `Clear` detaches it.
    pub objective_id: Patch<Uuid>,
    /// New set of contacts (replaces the old one); `Clear` removes all.
    pub contact_ids: Patch<Vec<Uuid>>,
}

/// Changes an action item (writers of the plan's account). A changed
/// schedule must keep every assessed occurrence.
pub async fn update(
    db: &Db,
    p: &Principal,
    id: Uuid,
    patch: ActionItemPatchInput,
    links: ActionItemLinks,
) -> ApiResult<action_item::Model> {
    let w = writer(db, p).await?;
    let mut m = actions::get(w.conn(), p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("action item", "id"))?;
    let (plan, account) = load_plan_for_write(w.conn(), p, m.plan_id, "id").await?;
    let blame = if !patch.cadence.is_unchanged() {
        "cadence"
    } else if !patch.due_date.is_unchanged() {
        "firstDueDate"
    } else {
        "repeatUntil"
    };
    let assignee_changed = !patch.assignee_id.is_unchanged();
    let current = snapshot(&m)?;
    let updated = current.apply(patch)?;
    if updated.schedule_differs(&current) {
        let assessed = actions::assessed_dates(w.conn(), p.tenant_id, m.id).await?;
        updated.check_keeps(&assessed, blame)?;
    }
    let assignee = updated.assignee_id.unwrap_or(UserId(m.assignee_id));
    if assignee_changed {
        check_user(w.conn(), p, assignee, "assigneeId").await?;
    }
    match links.objective_id {
        Patch::Unchanged => {}
        Patch::Clear => m.objective_id = None,
        Patch::Set(o) => {
            check_objective(w.conn(), p, &plan, o).await?;
            m.objective_id = Some(o);
        }
    }
    m.title = updated.title.into_inner();
    m.notes = updated.notes;
    m.assignee_id = assignee.0;
    m.cadence = updated.cadence.as_str().into();
    m.first_due = updated.due_date;
    m.repeat_until = updated.repeat_until;
    m.status = updated.status.as_str().into();
    let m = w.update::<action_item::Entity>(m, Op::Updated).await?;
    match links.contact_ids {
        Patch::Unchanged => {}
        Patch::Clear => actions::unlink_contacts(w.conn(), p.tenant_id, m.id).await?,
        Patch::Set(ids) => {
            actions::unlink_contacts(w.conn(), p.tenant_id, m.id).await?;
            link_contacts(&w, &m, account.id, &ids).await?;
        }
    }
    w.commit().await?;
    Ok(m)
}

/// A follow-up action item created by an assessment.
#[derive(Debug, Clone)]
pub struct FollowUpInput {
    /// What is to be done.
    pub title: String,
    /// Its first (or only) due date.
    pub due_date: NaiveDate,
    /// Who does it (default: the assessed item's assignee).
    pub assignee_id: Option<UserId>,
    /// How often it recurs (default ONCE).
    pub cadence: Option<Cadence>,
}

/// What `complete_occurrence` recorded.
pub struct Completed {
    pub assessment: assessment::Model,
    pub item: action_item::Model,
    pub follow_up: Option<action_item::Model>,
}

/// Marks an occurrence of an action item of `account` done because an
/// activity fulfilled it (`logActivity`'s `actionItemId` and `dueDate`),
/// in the caller's transaction: an assessment that it happened, on
/// `on`, with the activity's summary as what was learned. The same checks
/// as `completeOccurrence` (an item of the same account, not cancelled,
/// an occurrence on that date, not assessed yet); the caller writes the
/// account.
pub(crate) async fn fulfil(
    w: &Writer,
    p: &Principal,
    account: Uuid,
    (item_id, due): (Uuid, NaiveDate),
    on: NaiveDate,
    summary: &str,
) -> ApiResult<assessment::Model> {
    let mut item = actions::get(w.conn(), p.tenant_id, item_id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("action item", "actionItemId"))?;
    let (_, item_account) = load_plan(w.conn(), p, item.plan_id, "actionItemId").await?;
    if item_account.id != account {
        return Err(ApiError::validation(
            "actionItemId",
            "is an action item of another account",
        ));
    }
    if status_of(&item) == ActionStatus::Cancelled {
        return Err(conflict("actionItemId", "the action item is cancelled"));
    }
    if !occurs_on(&item, due) {
        return Err(ApiError::validation(
            "dueDate",
            "is not an occurrence of the action item",
        ));
    }
    if actions::is_assessed(w.conn(), p.tenant_id, item.id, due).await? {
        return Err(conflict("dueDate", "this occurrence is already assessed"));
    }
    let learned: String = summary
        .chars()
        .take(domain::cadence::MAX_ASSESSMENT_TEXT)
        .collect();
    let m = w
        .insert::<assessment::Entity>(assessment::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            action_item_id: Set(item.id),
            occurrence_date: Set(due),
            happened: Set(true),
            assessed_on: Set(on),
            value_delivered: Set(None),
            learned: Set(Some(learned)),
            revise: Set(None),
            follow_up_action_id: Set(None),
            ..Default::default()
        })
        .await
        .map_err(|e| {
            if e.is_unique("assessments") {
                conflict("dueDate", "this occurrence is already assessed")
            } else {
                e.into()
            }
        })?;
    if cadence_of(&item) == Cadence::Once && status_of(&item) == ActionStatus::Open {
        item.status = ActionStatus::Done.as_str().into();
        w.update::<action_item::Entity>(item, Op::Updated).await?;
    }
    Ok(m)
}

fn conflict(field: &str, message: &str) -> ApiError {
    ApiError::Conflict {
        message: message.into(),
        field: Some(field.into()),
    }
}

/// Records the assessment of one occurrence (writers of the plan's
/// account, or the item's assignee when on the account's team), in one transaction: the occurrence must be one of the item's
/// and not assessed yet; a follow-up item may be created in the same plan;
/// a ONCE item becomes DONE.
pub async fn complete_occurrence(
    db: &Db,
    p: &Principal,
    item_id: Uuid,
    due: NaiveDate,
    input: AssessmentInput,
    follow_up: Option<FollowUpInput>,
) -> ApiResult<Completed> {
    let a = Assessment::parse(input)?;
    if a.date > Utc::now().date_naive() + Days::new(1) {
        return Err(ApiError::validation("date", "must not be in the future"));
    }
    let follow_up = follow_up
        .map(|f| {
            NewActionItem::parse(ActionItemInput {
                title: f.title,
                due_date: f.due_date,
                assignee_id: f.assignee_id,
                cadence: f.cadence,
                ..Default::default()
            })
        })
        .transpose()
        .map_err(|e| e.under("followUp"))?;
    let w = writer(db, p).await?;
    let mut item = actions::get(w.conn(), p.tenant_id, item_id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("action item", "actionItemId"))?;
    let (plan, account) = load_plan(w.conn(), p, item.plan_id, "actionItemId").await?;
    // The account's writers, or the item's assignee on the account's team.
    authorize_occurrence(w.conn(), p, account.id, item.assignee_id).await?;
    if status_of(&item) == ActionStatus::Cancelled {
        return Err(conflict("actionItemId", "the action item is cancelled"));
    }
    if !occurs_on(&item, due) {
        return Err(ApiError::validation(
            "dueDate",
            "is not an occurrence of the action item",
        ));
    }
    if actions::is_assessed(w.conn(), p.tenant_id, item.id, due).await? {
        return Err(conflict("dueDate", "this occurrence is already assessed"));
    }
    let follow_up = match follow_up {
        None => None,
        Some(n) => {
            let assignee = n.assignee_id.unwrap_or(UserId(item.assignee_id));
            check_user(w.conn(), p, assignee, "followUp.assigneeId").await?;
            let f = new_row(p, &plan, item.objective_id, n, assignee);
            Some(w.insert::<action_item::Entity>(f).await?)
        }
    };
    let m = assessment::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        action_item_id: Set(item.id),
        occurrence_date: Set(due),
        happened: Set(a.happened),
        assessed_on: Set(a.date),
        value_delivered: Set(a.value_delivered.map(|v| i16::from(v.get()))),
        learned: Set(a.learned),
        revise: Set(a.revise),
        follow_up_action_id: Set(follow_up.as_ref().map(|f| f.id)),
        ..Default::default()
    };
    let m = w.insert::<assessment::Entity>(m).await.map_err(|e| {
        if e.is_unique("assessments") {
            conflict("dueDate", "this occurrence is already assessed")
        } else {
            e.into()
        }
    })?;
    if cadence_of(&item) == Cadence::Once && status_of(&item) == ActionStatus::Open {
        item.status = ActionStatus::Done.as_str().into();
        item = w.update::<action_item::Entity>(item, Op::Updated).await?;
    }
    w.commit().await?;
    Ok(Completed {
        assessment: m,
        item,
        follow_up,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_windows_follow_relay() {
        let d = |n: u32| NaiveDate::from_ymd_opt(2026, 1, n).unwrap();
        let id = Uuid::nil();
        let rows: Vec<(NaiveDate, Uuid)> = (1..=5).map(|n| (d(n), id)).collect();
        let w = |after, before, limit, from_end| {
            let (r, prev, next) = OverdueWindow {
                after,
                before,
                limit,
                from_end,
            }
            .apply(rows.clone(), |r| *r);
            (
                r.iter().map(|(d, _)| d.day0() + 1).collect::<Vec<_>>(),
                prev,
                next,
            )
        };
        use chrono::Datelike;
        assert_eq!(w(None, None, 2, false), (vec![1, 2], false, true));
        assert_eq!(
            w(Some((d(2), id)), None, 2, false),
            (vec![3, 4], true, true)
        );
        assert_eq!(w(Some((d(4), id)), None, 2, false), (vec![5], true, false));
        assert_eq!(w(None, None, 2, true), (vec![4, 5], true, false));
        assert_eq!(w(None, Some((d(4), id)), 2, true), (vec![2, 3], true, true));
        assert_eq!(w(None, Some((d(2), id)), 2, true), (vec![1], false, true));
    }
}
