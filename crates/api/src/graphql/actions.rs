//! Action items of account plans: their cadence and occurrences, the
//! assessment of each occurrence, the caller's agenda and the tenant's
//! overdue occurrences.

use super::common::enums::{ActionStatus, Cadence};
use super::common::ids::{Kind, decode, encode};
use super::common::pagination::{encode_cursor, page_args};
use super::common::values::patch;
use super::plan::{Objective, Plan};
use super::types::{Contact, User};
use super::{in_input, loaders, principal, state};
use crate::error::ApiError;
use crate::loaders::Row;
use crate::services::actions::{
    self as svc, ActionItemLinks, FollowUpInput, Occurrence as SvcOccurrence,
};
use async_graphql::connection::{Connection, Edge};
use async_graphql::{Context, ID, InputObject, MaybeUndefined, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::cadence::{ActionItemInput, ActionItemPatchInput, AssessmentInput, check_window};
use domain::{Patch, UserId};
use persistence::entity::{action_item, assessment};
use persistence::repo::page::Position;
use std::collections::HashSet;
use std::sync::Arc;
use uuid::Uuid;

/// Something to do for an account plan, once or on a schedule.
#[derive(Clone)]
pub struct ActionItem(pub Row<action_item::Model>);

/// Something to do for an account plan, once or on a schedule (the call
/// and visit schedule, QBRs, annual executive meetings).
#[Object]
impl ActionItem {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::ActionItem, self.0.id)
    }
    /// The plan the item belongs to.
    async fn plan(&self, ctx: &Context<'_>) -> Result<Plan> {
        let p = loaders(ctx)?
            .plan(self.0.plan_id)
            .await?
            .ok_or_else(|| ApiError::not_found("plan"))?;
        Ok(Plan(p))
    }
    /// The objective of the plan the item serves, if any.
    async fn objective(&self, ctx: &Context<'_>) -> Result<Option<Objective>> {
        match self.0.objective_id {
            Some(o) => Ok(loaders(ctx)?.objective(o).await?.map(Objective)),
            None => Ok(None),
        }
    }
    /// What is to be done.
    async fn title(&self) -> &str {
        &self.0.title
    }
    /// Details.
    async fn notes(&self) -> Option<&str> {
        self.0.notes.as_deref()
    }
    /// Who does it.
    async fn assignee(&self, ctx: &Context<'_>) -> Result<User> {
        let u = loaders(ctx)?
            .user(self.0.assignee_id)
            .await?
            .ok_or_else(|| ApiError::Internal("action item assignee missing".into()))?;
        Ok(User(u))
    }
    /// The contacts of the plan's account involved, in name order.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        let rows = loaders(ctx)?.action_item_contacts(self.0.id).await?;
        Ok(rows.into_iter().map(Contact).collect())
    }
    /// How often it recurs.
    async fn cadence(&self) -> Cadence {
        domain::cadence::Cadence::from_str_opt(&self.0.cadence)
            .unwrap_or(domain::cadence::Cadence::Once)
            .into()
    }
    /// The first (for ONCE: the only) due date.
    async fn first_due_date(&self) -> NaiveDate {
        self.0.first_due
    }
    /// The last day a recurring item may fall on; null: open-ended.
    async fn repeat_until(&self) -> Option<NaiveDate> {
        self.0.repeat_until
    }
    /// Where it stands.
    async fn status(&self) -> ActionStatus {
        svc::status_of(&self.0).into()
    }
    /// The first occurrence from today on (the tenant's time zone) that is
    /// not assessed yet; null when the item is not OPEN or its series ended.
    async fn next_occurrence(&self, ctx: &Context<'_>) -> Result<Option<NaiveDate>> {
        let l = loaders(ctx)?;
        let today = l.today().await?;
        let assessed: HashSet<NaiveDate> = l
            .action_item_assessments(self.0.id, (Some(today), None))
            .await?
            .iter()
            .map(|a| a.occurrence_date)
            .collect();
        Ok(svc::next_occurrence(&self.0, &assessed, today))
    }
    /// The occurrences between `from` and `to` (both included, at most 366
    /// days apart), earliest first, each with its assessment.
    #[graphql(complexity = "crate::limits::window_size(from, to) * child_complexity + 1")]
    async fn occurrences(
        &self,
        ctx: &Context<'_>,
        #[graphql(
            desc = "The first day of the window.",
            validator(custom = "crate::graphql::common::dates::SupportedDate")
        )]
        from: NaiveDate,
        #[graphql(
            desc = "The last day of the window (at most 366 days after `from`).",
            validator(custom = "crate::graphql::common::dates::SupportedDate")
        )]
        to: NaiveDate,
    ) -> Result<Vec<Occurrence>> {
        check_window(from, to, "to").map_err(ApiError::from)?;
        let l = loaders(ctx)?;
        let today = l.today().await?;
        let assessed = l
            .action_item_assessments(self.0.id, (Some(from), Some(to)))
            .await?;
        Ok(svc::occurrences_of(&self.0, from, to)
            .into_iter()
            .map(|due| {
                let assessment = assessed.iter().find(|a| a.occurrence_date == due).cloned();
                Occurrence(SvcOccurrence {
                    item: self.0.clone(),
                    due,
                    overdue: svc::overdue(&self.0, due, assessment.is_some(), today),
                    assessment,
                })
            })
            .collect())
    }
    /// The assessments recorded, by occurrence date.
    #[graphql(complexity = "crate::limits::LIST_SIZE * child_complexity + 1")]
    async fn assessments(&self, ctx: &Context<'_>) -> Result<Vec<Assessment>> {
        let rows = loaders(ctx)?
            .action_item_assessments(self.0.id, (None, None))
            .await?;
        Ok(rows.iter().cloned().map(Assessment).collect())
    }
    /// When the item was created.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// When the item last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
    /// Increases by one with every change.
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// One occurrence of an action item: a day it is due.
#[derive(Clone)]
pub struct Occurrence(SvcOccurrence);

/// The occurrence of action item `item` on `due`, if the item exists in the
/// caller's tenant and is due that day (`node(id:)`).
pub(crate) async fn occurrence(
    ctx: &Context<'_>,
    item: uuid::Uuid,
    due: NaiveDate,
) -> Result<Option<Occurrence>> {
    let l = loaders(ctx)?;
    let Some(item) = l.action_item(item).await? else {
        return Ok(None);
    };
    if !svc::occurrences_of(&item, due, due).contains(&due) {
        return Ok(None);
    }
    let today = l.today().await?;
    let assessment = l
        .action_item_assessments(item.id, (Some(due), Some(due)))
        .await?
        .iter()
        .find(|a| a.occurrence_date == due)
        .cloned();
    Ok(Some(Occurrence(SvcOccurrence {
        overdue: svc::overdue(&item, due, assessment.is_some(), today),
        item,
        due,
        assessment,
    })))
}

/// One occurrence of an action item: a day it is due, with its assessment.
#[Object]
impl Occurrence {
    /// The global id (the item and the day: an occurrence has no row of its
    /// own, so the id stays the same once it is assessed).
    pub(crate) async fn id(&self) -> ID {
        super::common::ids::encode_occurrence(self.0.item.id, self.0.due)
    }
    /// The action item.
    async fn action_item(&self) -> ActionItem {
        ActionItem(self.0.item.clone())
    }
    /// The day it is due.
    async fn due_date(&self) -> NaiveDate {
        self.0.due
    }
    /// True when the day is past (in the tenant's time zone), the item is
    /// OPEN and the occurrence was not assessed.
    async fn overdue(&self) -> bool {
        self.0.overdue
    }
    /// The assessment, once recorded.
    async fn assessment(&self) -> Option<Assessment> {
        self.0.assessment.clone().map(Assessment)
    }
}

/// What happened at an occurrence, recorded after it: did it happen, the
/// value it delivered, what was learned and what to revise.
#[derive(Clone)]
pub struct Assessment(pub Row<assessment::Model>);

/// What happened at an occurrence, recorded after it: did it happen, the
/// value it delivered, what was learned and what to revise.
#[Object]
impl Assessment {
    /// The global id.
    pub(crate) async fn id(&self) -> ID {
        encode(Kind::Assessment, self.0.id)
    }
    /// The action item assessed.
    async fn action_item(&self, ctx: &Context<'_>) -> Result<ActionItem> {
        let i = loaders(ctx)?
            .action_item(self.0.action_item_id)
            .await?
            .ok_or_else(|| ApiError::not_found("action item"))?;
        Ok(ActionItem(i))
    }
    /// The occurrence assessed (its due date).
    async fn due_date(&self) -> NaiveDate {
        self.0.occurrence_date
    }
    /// Whether it happened.
    async fn happened(&self) -> bool {
        self.0.happened
    }
    /// When it happened (or was due to).
    async fn date(&self) -> NaiveDate {
        self.0.assessed_on
    }
    /// Value delivered, 1 (none) to 5 (a lot); null when it did not happen.
    async fn value_delivered(&self) -> Option<i32> {
        self.0.value_delivered.map(i32::from)
    }
    /// What was learned.
    async fn learned(&self) -> Option<&str> {
        self.0.learned.as_deref()
    }
    /// What to revise in the plan.
    async fn revise(&self) -> Option<&str> {
        self.0.revise.as_deref()
    }
    /// The follow-up action item created with the assessment.
    async fn follow_up(&self, ctx: &Context<'_>) -> Result<Option<ActionItem>> {
        match self.0.follow_up_action_id {
            Some(id) => Ok(loaders(ctx)?.action_item(id).await?.map(ActionItem)),
            None => Ok(None),
        }
    }
    /// Who recorded it.
    async fn assessed_by(&self, ctx: &Context<'_>) -> Result<Option<User>> {
        match self.0.created_by {
            Some(u) => Ok(loaders(ctx)?.user(u).await?.map(User)),
            None => Ok(None),
        }
    }
    /// When it was recorded.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// `plan.actionItems`: batched across the plans of a list.
pub(crate) async fn plan_action_items(ctx: &Context<'_>, plan: Uuid) -> Result<Vec<ActionItem>> {
    let rows = loaders(ctx)?.plan_action_items(plan).await?;
    Ok(rows.iter().cloned().map(ActionItem).collect())
}

fn occurrences(rows: Vec<SvcOccurrence>, ctx: &Context<'_>) -> Result<Vec<Occurrence>> {
    let l = loaders(ctx)?;
    let mut items: Vec<Row<action_item::Model>> = rows.iter().map(|o| o.item.clone()).collect();
    items.sort_by_key(|i| i.id);
    items.dedup_by_key(|i| i.id);
    l.prime_action_items(&items);
    Ok(rows.into_iter().map(Occurrence).collect())
}

/// `viewer.agenda`: the caller's occurrences in a window, by due date.
pub(crate) async fn agenda(
    ctx: &Context<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Occurrence>> {
    let p = principal(ctx)?;
    let today = loaders(ctx)?.today().await?;
    let rows = svc::agenda(&state(ctx)?.db, p, from, to, today).await?;
    occurrences(rows, ctx)
}

/// Overdue occurrences, oldest first.
pub type OccurrenceConnection = Connection<String, Occurrence, super::count::TotalCount>;

const OVERDUE_ORDER: &str = "OVERDUE_DUE_ASC";

#[derive(Default)]
pub struct ActionQuery;

/// Queries about action items.
#[Object]
impl ActionQuery {
    /// An action item by id; `NOT_FOUND` when it does not exist in your tenant.
    async fn action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item's id.")] id: ID,
    ) -> Result<ActionItem> {
        let uuid = decode(Kind::ActionItem, &id, "id")?;
        let row = loaders(ctx)?
            .action_item(uuid)
            .await?
            .ok_or_else(|| ApiError::not_found_in("action item", "id"))?;
        Ok(ActionItem(row))
    }

    /// Overdue occurrences across the tenant (due in the last 366 days,
    /// not assessed, of OPEN items), oldest first. Sales managers and
    /// admins only (`FORBIDDEN` otherwise).
    #[graphql(
        complexity = "first.or(last).map_or(20, |n| n.max(0) as usize) * child_complexity + 1"
    )]
    async fn overdue_actions(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Returns the first n occurrences (at most 100; default 20).")]
        first: Option<i32>,
        #[graphql(desc = "Returns occurrences after this cursor.")] after: Option<String>,
        #[graphql(desc = "Returns the last n occurrences (at most 100).")] last: Option<i32>,
        #[graphql(desc = "Returns occurrences before this cursor.")] before: Option<String>,
    ) -> Result<OccurrenceConnection> {
        let p = principal(ctx)?;
        let args = page_args(
            OVERDUE_ORDER,
            first,
            after.as_deref(),
            last,
            before.as_deref(),
        )?;
        let position = |pos: &Option<Position>, field: &str| -> Result<_, ApiError> {
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
        let window = svc::OverdueWindow {
            after: position(&args.after, "after")?,
            before: position(&args.before, "before")?,
            limit: usize::try_from(args.limit).unwrap_or(usize::MAX),
            from_end: args.from_end,
        };
        let today = loaders(ctx)?.today().await?;
        let (rows, has_previous, has_next) =
            svc::overdue_page(&state(ctx)?.db, p, window, today).await?;
        let mut c = Connection::with_additional_fields(
            has_previous,
            has_next,
            super::count::TotalCount(super::count::CountOf::Overdue),
        );
        let cursors: Vec<String> = rows
            .iter()
            .map(|o| {
                encode_cursor(
                    OVERDUE_ORDER,
                    &Position {
                        key: o.due.format("%Y-%m-%d").to_string(),
                        id: o.item.id,
                    },
                )
            })
            .collect();
        let nodes = occurrences(rows, ctx)?;
        c.edges.extend(
            cursors
                .into_iter()
                .zip(nodes)
                .map(|(cur, n)| Edge::new(cur, n)),
        );
        Ok(c)
    }
}

/// Input of `createActionItem`.
#[derive(InputObject)]
pub struct CreateActionItemInput {
    /// The plan.
    plan_id: ID,
    /// An objective of the same plan that the item serves.
    objective_id: Option<ID>,
    /// What is to be done (required, at most 200 characters).
    title: String,
    /// Details (at most 5000 characters).
    notes: Option<String>,
    /// Who does it (default: you); a user of your tenant.
    assignee_id: Option<ID>,
    /// Contacts of the plan's account involved.
    contact_ids: Option<Vec<ID>>,
    /// How often it recurs (default ONCE).
    cadence: Option<Cadence>,
    /// The first (for ONCE: the only) due date.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    first_due_date: NaiveDate,
    /// The last day a recurring item may fall on (not before the first due
    /// date; not for ONCE); absent: open-ended.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    repeat_until: Option<NaiveDate>,
}

/// Input of `updateActionItem`: absent fields stay unchanged, `null` clears
/// (refused for required fields). A changed schedule must keep every
/// occurrence already assessed.
#[derive(InputObject)]
pub struct UpdateActionItemInput {
    /// The action item.
    id: ID,
    /// New objective (of the same plan); null detaches it.
    objective_id: MaybeUndefined<ID>,
    /// New title (cannot be null).
    title: MaybeUndefined<String>,
    /// New notes.
    notes: MaybeUndefined<String>,
    /// New assignee (cannot be null).
    assignee_id: MaybeUndefined<ID>,
    /// New contacts (replace the old ones); null or [] removes them.
    contact_ids: MaybeUndefined<Vec<ID>>,
    /// New cadence (cannot be null).
    cadence: MaybeUndefined<Cadence>,
    /// New first due date (cannot be null).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    first_due_date: MaybeUndefined<NaiveDate>,
    /// New end of the series; null: open-ended.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    repeat_until: MaybeUndefined<NaiveDate>,
    /// New status (cannot be null).
    status: MaybeUndefined<ActionStatus>,
}

/// A follow-up action item, created in the same plan (and for the same
/// objective) as the item assessed.
#[derive(InputObject)]
pub struct FollowUpActionInput {
    /// What is to be done.
    title: String,
    /// Its first (or only) due date.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    due_date: NaiveDate,
    /// Who does it (default: the assessed item's assignee).
    assignee_id: Option<ID>,
    /// How often it recurs (default ONCE).
    cadence: Option<Cadence>,
}

/// Input of `completeOccurrence`.
#[derive(InputObject)]
pub struct CompleteOccurrenceInput {
    /// The action item.
    action_item_id: ID,
    /// The occurrence (its due date); must be an occurrence of the item.
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    due_date: NaiveDate,
    /// Whether it happened.
    happened: bool,
    /// When it happened, not in the future (default: the due date, or today
    /// if that is later than today).
    #[graphql(validator(custom = "crate::graphql::common::dates::SupportedDate"))]
    date: Option<NaiveDate>,
    /// Value delivered, 1 to 5: required when it happened, refused otherwise.
    value_delivered: Option<i32>,
    /// What was learned (at most 5000 characters).
    learned: Option<String>,
    /// What to revise in the plan (at most 5000 characters).
    revise: Option<String>,
    /// A follow-up action item to create in the same step.
    follow_up: Option<FollowUpActionInput>,
}

/// Result of `createActionItem` and `updateActionItem`.
#[derive(SimpleObject)]
pub struct ActionItemPayload {
    /// The action item as it is now.
    action_item: ActionItem,
}

/// Result of `completeOccurrence`.
#[derive(SimpleObject)]
pub struct CompleteOccurrencePayload {
    /// The assessment recorded.
    assessment: Assessment,
    /// The action item as it is now (a ONCE item is DONE).
    action_item: ActionItem,
    /// The follow-up action item, if one was asked for.
    follow_up: Option<ActionItem>,
}

fn ids_of(kind: Kind, ids: Vec<ID>, field: &str) -> Result<Vec<Uuid>, ApiError> {
    ids.iter()
        .map(|i| decode(kind, i, field).map_err(in_input))
        .collect()
}

fn user_of(id: Option<&ID>, field: &str) -> Result<Option<UserId>, ApiError> {
    id.map(|i| decode(Kind::User, i, field).map(UserId))
        .transpose()
        .map_err(in_input)
}

fn payload(m: action_item::Model) -> ActionItemPayload {
    ActionItemPayload {
        action_item: ActionItem(Arc::new(m)),
    }
}

#[derive(Default)]
pub struct ActionMutation;

/// Mutations of action items and assessments.
#[Object]
impl ActionMutation {
    /// Creates an action item in a plan (writers of the plan's account).
    async fn create_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new action item.")] input: CreateActionItemInput,
    ) -> Result<ActionItemPayload> {
        let p = principal(ctx)?;
        let plan = decode(Kind::Plan, &input.plan_id, "planId").map_err(in_input)?;
        let objective = input
            .objective_id
            .as_ref()
            .map(|o| decode(Kind::Objective, o, "objectiveId"))
            .transpose()
            .map_err(in_input)?;
        let contacts = ids_of(
            Kind::Contact,
            input.contact_ids.unwrap_or_default(),
            "contactIds",
        )?;
        let raw = ActionItemInput {
            title: input.title,
            notes: input.notes,
            assignee_id: user_of(input.assignee_id.as_ref(), "assigneeId")?,
            due_date: input.first_due_date,
            cadence: input.cadence.map(Into::into),
            repeat_until: input.repeat_until,
            status: None,
        };
        let m = svc::create(&state(ctx)?.db, p, plan, objective, &contacts, raw)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Changes an action item (writers of the plan's account).
    async fn update_action_item(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The action item and the fields to change.")] input: UpdateActionItemInput,
    ) -> Result<ActionItemPayload> {
        let p = principal(ctx)?;
        let id = decode(Kind::ActionItem, &input.id, "id").map_err(in_input)?;
        let links = ActionItemLinks {
            objective_id: match input.objective_id {
                MaybeUndefined::Undefined => Patch::Unchanged,
                MaybeUndefined::Null => Patch::Clear,
                MaybeUndefined::Value(o) => {
                    Patch::Set(decode(Kind::Objective, &o, "objectiveId").map_err(in_input)?)
                }
            },
            contact_ids: match input.contact_ids {
                MaybeUndefined::Undefined => Patch::Unchanged,
                MaybeUndefined::Null => Patch::Clear,
                MaybeUndefined::Value(ids) => Patch::Set(ids_of(Kind::Contact, ids, "contactIds")?),
            },
        };
        let raw = ActionItemPatchInput {
            title: patch(input.title, |v| v),
            notes: patch(input.notes, |v| v),
            assignee_id: match input.assignee_id {
                MaybeUndefined::Undefined => Patch::Unchanged,
                MaybeUndefined::Null => Patch::Clear,
                MaybeUndefined::Value(u) => Patch::Set(UserId(
                    decode(Kind::User, &u, "assigneeId").map_err(in_input)?,
                )),
            },
            due_date: patch(input.first_due_date, |v| v),
            cadence: patch(input.cadence, Into::into),
            repeat_until: patch(input.repeat_until, |v| v),
            status: patch(input.status, Into::into),
        };
        let m = svc::update(&state(ctx)?.db, p, id, raw, links)
            .await
            .map_err(in_input)?;
        Ok(payload(m))
    }

    /// Records the assessment of one occurrence of an action item (writers
    /// of the plan's account): did it happen, when, the value delivered,
    /// what was learned and what to revise; optionally creates a follow-up
    /// item in the same plan, in the same transaction. An occurrence is
    /// assessed once (`CONFLICT` the second time); a ONCE item becomes DONE.
    async fn complete_occurrence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The occurrence and its assessment.")] input: CompleteOccurrenceInput,
    ) -> Result<CompleteOccurrencePayload> {
        let p = principal(ctx)?;
        let item =
            decode(Kind::ActionItem, &input.action_item_id, "actionItemId").map_err(in_input)?;
        let follow_up = match input.follow_up {
            None => None,
            Some(f) => Some(FollowUpInput {
                title: f.title,
                due_date: f.due_date,
                assignee_id: user_of(f.assignee_id.as_ref(), "followUp.assigneeId")?,
                cadence: f.cadence.map(Into::into),
            }),
        };
        let date = match input.date {
            Some(d) => d,
            None => input.due_date.min(loaders(ctx)?.today().await?),
        };
        let raw = AssessmentInput {
            happened: input.happened,
            date,
            value_delivered: input.value_delivered,
            learned: input.learned,
            revise: input.revise,
        };
        let done =
            svc::complete_occurrence(&state(ctx)?.db, p, item, input.due_date, raw, follow_up)
                .await
                .map_err(in_input)?;
        Ok(CompleteOccurrencePayload {
            assessment: Assessment(Arc::new(done.assessment)),
            action_item: ActionItem(Arc::new(done.item)),
            follow_up: done.follow_up.map(|f| ActionItem(Arc::new(f))),
        })
    }
}
