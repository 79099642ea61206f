//! The `ActionItem`, `Occurrence` and `Assessment` objects, their field
//! resolvers, and the lists other objects show (`plan.actionItems`,
//! `viewer.agenda`).

use crate::error::ApiError;
use crate::graphql::common::enums::{ActionStatus, Cadence};
use crate::graphql::common::ids::{GlobalId, Kind, encode_occurrence};
use crate::graphql::common::object::object;
use crate::graphql::contact::Contact;
use crate::graphql::count::TotalCount;
use crate::graphql::plan::{Objective, Plan};
use crate::graphql::user::User;
use crate::graphql::{loaders, principal, state};
use crate::loaders::Row;
use crate::services::actions::{self as svc, Occurrence as SvcOccurrence};
use async_graphql::connection::Connection;
use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use domain::cadence::check_window;
use persistence::entity::{action_item, assessment};
use std::collections::HashSet;
use uuid::Uuid;

/// Something to do for an account plan, once or on a schedule.
#[derive(Clone)]
pub struct ActionItem(pub Row<action_item::Model>);

object! {
    /// Something to do for an account plan, once or on a schedule (the call
    /// and visit schedule, QBRs, annual executive meetings).
    #[Object]
    impl ActionItem(action_item::Model) fields action_item_fields {
        /// The global id.
        pub(crate) leaf "id" id(a) -> GlobalId {
            GlobalId(Kind::ActionItem, a.id)
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
        leaf "title" title(a) -> &str {
            &a.title
        }
        /// Details.
        leaf "notes" notes(a) -> Option<&str> {
            a.notes.as_deref()
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
        leaf "cadence" cadence(a) -> Cadence {
            domain::cadence::Cadence::from_str_opt(&a.cadence)
                .unwrap_or(domain::cadence::Cadence::Once)
                .into()
        }
        /// The first (for ONCE: the only) due date.
        leaf "firstDueDate" first_due_date(a) -> NaiveDate {
            a.first_due
        }
        /// The last day a recurring item may fall on; null: open-ended.
        leaf "repeatUntil" repeat_until(a) -> Option<NaiveDate> {
            a.repeat_until
        }
        /// Where it stands.
        leaf "status" status(a) -> ActionStatus {
            svc::status_of(a).into()
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
        leaf "createdAt" created_at(a) -> DateTime<Utc> {
            a.created_at
        }
        /// When the item last changed.
        leaf "updatedAt" updated_at(a) -> DateTime<Utc> {
            a.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(a) -> i64 {
            a.version
        }
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
        encode_occurrence(self.0.item.id, self.0.due)
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

object! {
    /// What happened at an occurrence, recorded after it: did it happen, the
    /// value it delivered, what was learned and what to revise.
    #[Object]
    impl Assessment(assessment::Model) fields assessment_fields {
        /// The global id.
        pub(crate) leaf "id" id(a) -> GlobalId {
            GlobalId(Kind::Assessment, a.id)
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
        leaf "dueDate" due_date(a) -> NaiveDate {
            a.occurrence_date
        }
        /// Whether it happened.
        leaf "happened" happened(a) -> bool {
            a.happened
        }
        /// When it happened (or was due to).
        leaf "date" date(a) -> NaiveDate {
            a.assessed_on
        }
        /// Value delivered, 1 (none) to 5 (a lot); null when it did not happen.
        leaf "valueDelivered" value_delivered(a) -> Option<i32> {
            a.value_delivered.map(i32::from)
        }
        /// What was learned.
        leaf "learned" learned(a) -> Option<&str> {
            a.learned.as_deref()
        }
        /// What to revise in the plan.
        leaf "revise" revise(a) -> Option<&str> {
            a.revise.as_deref()
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
        leaf "createdAt" created_at(a) -> DateTime<Utc> {
            a.created_at
        }
    }
}

/// `plan.actionItems`: batched across the plans of a list.
pub(crate) async fn plan_action_items(ctx: &Context<'_>, plan: Uuid) -> Result<Vec<ActionItem>> {
    let rows = loaders(ctx)?.plan_action_items(plan).await?;
    Ok(rows.iter().cloned().map(ActionItem).collect())
}

pub(super) fn occurrences(rows: Vec<SvcOccurrence>, ctx: &Context<'_>) -> Result<Vec<Occurrence>> {
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
pub type OccurrenceConnection = Connection<String, Occurrence, TotalCount>;
