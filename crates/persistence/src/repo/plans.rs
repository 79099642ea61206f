//! Account plans and what hangs off them: objectives and their progress,
//! growth targets, reviews and contingencies.

use super::page::{Child, Page, PageArgs, WindowSpec, window_pages, window_pages_partial};
use super::partial::{Columns, Part};
use crate::entity::{
    account_plan, contingency, growth_target, objective, objective_progress, plan_review,
    plan_review_reviewer,
};
use crate::error::StoreError;
use chrono::NaiveDate;
use domain::TenantId;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, Order, QueryFilter,
    QueryOrder, QuerySelect, Value,
};
use std::collections::HashMap;
use uuid::Uuid;

fn live_plans(tenant: TenantId) -> sea_orm::Select<account_plan::Entity> {
    account_plan::Entity::find()
        .filter(account_plan::Column::TenantId.eq(tenant.0))
        .filter(account_plan::Column::DeletedAt.is_null())
}

pub async fn get(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<account_plan::Model>, StoreError> {
    Ok(live_plans(tenant)
        .filter(account_plan::Column::Id.eq(id))
        .one(conn)
        .await?)
}

/// Like [`get`], locking the plan row on Postgres until the transaction ends.
pub async fn get_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<account_plan::Model>, StoreError> {
    let q = live_plans(tenant).filter(account_plan::Column::Id.eq(id));
    let q = if conn.get_database_backend() == DbBackend::Postgres {
        q.lock_exclusive()
    } else {
        q
    };
    Ok(q.one(conn).await?)
}

pub async fn by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<account_plan::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(live_plans(tenant)
        .filter(account_plan::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Periods of the account's ACTIVE plans other than `except`.
pub async fn active_periods(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: Uuid,
    except: Uuid,
) -> Result<Vec<(NaiveDate, NaiveDate)>, StoreError> {
    Ok(live_plans(tenant)
        .select_only()
        .column(account_plan::Column::PeriodStart)
        .column(account_plan::Column::PeriodEnd)
        .filter(account_plan::Column::AccountId.eq(account))
        .filter(account_plan::Column::Status.eq("ACTIVE"))
        .filter(account_plan::Column::Id.ne(except))
        .into_tuple()
        .all(conn)
        .await?)
}

/// The cursor key of a plan in its ordering (newest period first).
pub fn cursor_key(p: &account_plan::Model) -> String {
    // `%Y-%m-%d`, the format `date_value` parses; `Display` of a date is
    // the same for years 0 to 9999 and cheaper than a format string.
    p.period_start.to_string()
}

fn date_value(k: &str) -> Result<Value, StoreError> {
    NaiveDate::parse_from_str(k, "%Y-%m-%d")
        .map(Value::from)
        .map_err(|_| StoreError::Internal("bad plan cursor".into()))
}

/// Pages of an account's children (one window statement per page).
const PAGES: WindowSpec<'static> = WindowSpec {
    table: "account_plans",
    parent: "account_id",
    key: "period_start",
    descending: true,
};

/// One page of plans (newest period first) for each of several accounts.
pub async fn pages_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<account_plan::Model>>, StoreError> {
    let spec = PAGES;
    window_pages::<account_plan::Entity>(conn, &spec, tenant, accounts, args, date_value, CHILD)
        .await
}

/// Like [`pages_by_account`], reading only `columns` (plus `id`,
/// `account_id` and `period_start`, which paging needs).
pub async fn pages_by_account_partial(
    db: &crate::Db,
    tenant: TenantId,
    accounts: &[Uuid],
    args: &PageArgs,
    columns: Columns,
) -> Result<std::sync::Arc<HashMap<Uuid, Page<Part<account_plan::Model>>>>, StoreError> {
    let spec = PAGES;
    let columns = columns.union(Columns::of::<account_plan::Model>(&[
        "id",
        "account_id",
        "period_start",
    ]));
    window_pages_partial(
        db,
        &spec,
        tenant,
        accounts,
        args,
        date_value,
        columns,
        CHILD,
        |s| &s.plan_pages,
    )
    .await
}

/// Postgres only: an account and the first page of its plans in one
/// statement (see `page::parent_with_page`), reading only these columns,
/// with the users of `users` joined.
pub async fn account_with_page(
    db: &crate::Db,
    tenant: TenantId,
    account: Uuid,
    (account_columns, columns): (Columns, Columns),
    args: &PageArgs,
    users: super::users::UserJoins<'_>,
) -> Result<
    Option<super::page::ParentWithPage<crate::entity::account::Model, account_plan::Model>>,
    StoreError,
> {
    let columns = columns.union(Columns::of::<account_plan::Model>(&[
        "id",
        "account_id",
        "period_start",
    ]));
    let cols = (account_columns, columns);
    super::page::parent_with_page(
        db, "accounts", &PAGES, tenant, account, cols, args, date_value, CHILD, users,
    )
    .await
}

/// Plans in their account's list: `period_start`, then `id` (the list runs
/// newest first, which `PAGES.descending` says).
const CHILD: Child<account_plan::Model> = Child {
    parent: |p| p.account_id,
    order: |a, b| a.period_start.cmp(&b.period_start).then(a.id.cmp(&b.id)),
};

/// Which plans to list.
#[derive(Debug, Clone, Default)]
pub struct PlanFilter {
    pub statuses: Option<Vec<String>>,
    pub owner_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    /// Plans whose period contains this date.
    pub period_contains: Option<NaiveDate>,
}

/// How many plans `filter` admits (`totalCount`).
pub async fn count(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    filter: &PlanFilter,
) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(filtered(tenant, filter).count(conn).await?)
}

/// How many live plans each of the accounts has (`account.plans.totalCount`).
pub async fn counts_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<HashMap<Uuid, i64>, StoreError> {
    let (parent, id) = (account_plan::Column::AccountId, account_plan::Column::Id);
    super::counts_by_parent(conn, live_plans(tenant), parent, id, accounts).await
}

/// The live plans `filter` admits, unordered.
fn filtered(tenant: TenantId, filter: &PlanFilter) -> sea_orm::Select<account_plan::Entity> {
    let mut q = live_plans(tenant);
    if let Some(s) = &filter.statuses {
        q = q.filter(account_plan::Column::Status.is_in(s.iter().cloned()));
    }
    if let Some(o) = filter.owner_id {
        q = q.filter(account_plan::Column::OwnerId.eq(o));
    }
    if let Some(a) = filter.account_id {
        q = q.filter(account_plan::Column::AccountId.eq(a));
    }
    if let Some(d) = filter.period_contains {
        q = q
            .filter(account_plan::Column::PeriodStart.lte(d))
            .filter(account_plan::Column::PeriodEnd.gte(d));
    }
    q
}

/// Plans of the tenant, newest period first.
pub async fn list(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    filter: &PlanFilter,
    args: &PageArgs,
) -> Result<Page<account_plan::Model>, StoreError> {
    let mut q = filtered(tenant, filter);
    // Newest first: "after" a position means an earlier (start, id).
    for (pos, after) in [(&args.after, true), (&args.before, false)] {
        if let Some(p) = pos {
            let k = date_value(&p.key)?;
            let (key, id) = (
                Expr::col(account_plan::Column::PeriodStart),
                Expr::col(account_plan::Column::Id),
            );
            let cond = if after {
                Condition::any()
                    .add(key.clone().lt(k.clone()))
                    .add(Condition::all().add(key.eq(k)).add(id.lt(p.id)))
            } else {
                Condition::any()
                    .add(key.clone().gt(k.clone()))
                    .add(Condition::all().add(key.eq(k)).add(id.gt(p.id)))
            };
            q = q.filter(cond);
        }
    }
    let dir = if args.from_end {
        Order::Asc
    } else {
        Order::Desc
    };
    let rows = q
        .order_by(account_plan::Column::PeriodStart, dir.clone())
        .order_by(account_plan::Column::Id, dir)
        .limit(args.limit + 1)
        .all(conn)
        .await?;
    Ok(Page::from_fetched(rows, args))
}

/// Live objectives of the plans, by due date.
pub async fn objectives_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    plans: &[Uuid],
) -> Result<Vec<objective::Model>, StoreError> {
    if plans.is_empty() {
        return Ok(vec![]);
    }
    Ok(objective::Entity::find()
        .filter(objective::Column::TenantId.eq(tenant.0))
        .filter(objective::Column::PlanId.is_in(plans.iter().copied()))
        .filter(objective::Column::DeletedAt.is_null())
        .order_by_asc(objective::Column::DueDate)
        .order_by_asc(objective::Column::Id)
        .all(conn)
        .await?)
}

/// Like [`objectives_of`], reading only `columns` (plus `id` and
/// `plan_id`), grouped by plan (in list order within each).
pub async fn objectives_of_partial(
    db: &crate::Db,
    tenant: TenantId,
    plans: &[Uuid],
    columns: Columns,
    owners: bool,
) -> Result<std::sync::Arc<ObjectivesOfPlans>, StoreError> {
    if plans.is_empty() {
        return Ok(std::sync::Arc::default());
    }
    let columns = columns.union(Columns::of::<objective::Model>(&["id", "plan_id"]));
    let users = super::users::UserJoins(if owners { &[("o", "owner_id")] } else { &[] });
    let mut sql = format!("SELECT {}", columns.select_list::<objective::Model>("o"));
    users.push_select(&mut sql);
    sql.push_str(" FROM objectives o");
    users.push_joins(&mut sql);
    sql.push_str(&format!(
        " WHERE o.tenant_id = ? AND o.plan_id IN ({}) AND o.deleted_at IS NULL \
         ORDER BY o.due_date, o.id",
        super::placeholders(plans.len())
    ));
    let mut values: Vec<Value> = vec![tenant.0.into()];
    values.extend(plans.iter().map(|p| Value::from(*p)));
    // Identical lists of concurrent requests are fetched and decoded once.
    let stmt = super::raw(db.backend(), &sql, values);
    db.query_shared(
        |s| &s.objectives_of_plans,
        stmt,
        |rows| {
            let mut out = ObjectivesOfPlans::default();
            for r in rows {
                let o = columns.decode::<objective::Model>(r)?;
                users.decode(r, &mut out.owners)?;
                out.by_plan.entry(o.plan_id).or_default().push(o);
            }
            Ok(out)
        },
    )
    .await
}

/// The objectives of plans, by plan in due-date order, and (when asked
/// for) their owners, read in the same statement.
#[derive(Default)]
pub struct ObjectivesOfPlans {
    pub by_plan: HashMap<Uuid, Vec<Part<objective::Model>>>,
    pub owners: HashMap<Uuid, crate::entity::user::Model>,
}

pub async fn objective(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<objective::Model>, StoreError> {
    Ok(objective::Entity::find()
        .filter(objective::Column::TenantId.eq(tenant.0))
        .filter(objective::Column::Id.eq(id))
        .filter(objective::Column::DeletedAt.is_null())
        .one(conn)
        .await?)
}

pub async fn objectives_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<objective::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(objective::Entity::find()
        .filter(objective::Column::TenantId.eq(tenant.0))
        .filter(objective::Column::Id.is_in(ids.iter().copied()))
        .filter(objective::Column::DeletedAt.is_null())
        .all(conn)
        .await?)
}

/// Due dates of the plan's live objectives (a shrinking period must still cover them).
pub async fn objective_due_dates(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    plan: Uuid,
) -> Result<Vec<NaiveDate>, StoreError> {
    Ok(objective::Entity::find()
        .select_only()
        .column(objective::Column::DueDate)
        .filter(objective::Column::TenantId.eq(tenant.0))
        .filter(objective::Column::PlanId.eq(plan))
        .filter(objective::Column::DeletedAt.is_null())
        .into_tuple()
        .all(conn)
        .await?)
}

/// Progress history of the objectives, oldest first.
pub async fn progress_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    objectives: &[Uuid],
) -> Result<Vec<objective_progress::Model>, StoreError> {
    if objectives.is_empty() {
        return Ok(vec![]);
    }
    Ok(objective_progress::Entity::find()
        .filter(objective_progress::Column::TenantId.eq(tenant.0))
        .filter(objective_progress::Column::ObjectiveId.is_in(objectives.iter().copied()))
        .order_by_asc(objective_progress::Column::RecordedOn)
        .order_by_asc(objective_progress::Column::Id)
        .all(conn)
        .await?)
}

pub async fn growth_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    plans: &[Uuid],
) -> Result<Vec<growth_target::Model>, StoreError> {
    if plans.is_empty() {
        return Ok(vec![]);
    }
    Ok(growth_target::Entity::find()
        .filter(growth_target::Column::TenantId.eq(tenant.0))
        .filter(growth_target::Column::PlanId.is_in(plans.iter().copied()))
        .order_by_asc(growth_target::Column::PeriodStart)
        .order_by_asc(growth_target::Column::ProductLine)
        .order_by_asc(growth_target::Column::Id)
        .all(conn)
        .await?)
}

pub async fn growth_target(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<growth_target::Model>, StoreError> {
    Ok(growth_target::Entity::find()
        .filter(growth_target::Column::TenantId.eq(tenant.0))
        .filter(growth_target::Column::Id.eq(id))
        .one(conn)
        .await?)
}

pub async fn reviews_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    plans: &[Uuid],
) -> Result<Vec<plan_review::Model>, StoreError> {
    if plans.is_empty() {
        return Ok(vec![]);
    }
    Ok(plan_review::Entity::find()
        .filter(plan_review::Column::TenantId.eq(tenant.0))
        .filter(plan_review::Column::PlanId.is_in(plans.iter().copied()))
        .order_by_desc(plan_review::Column::ReviewDate)
        .order_by_desc(plan_review::Column::Id)
        .all(conn)
        .await?)
}

pub async fn reviewers_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    reviews: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    if reviews.is_empty() {
        return Ok(vec![]);
    }
    Ok(plan_review_reviewer::Entity::find()
        .select_only()
        .column(plan_review_reviewer::Column::ReviewId)
        .column(plan_review_reviewer::Column::UserId)
        .filter(plan_review_reviewer::Column::TenantId.eq(tenant.0))
        .filter(plan_review_reviewer::Column::ReviewId.is_in(reviews.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Whether the plan has a final review.
pub async fn has_final_review(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    plan: Uuid,
) -> Result<bool, StoreError> {
    Ok(plan_review::Entity::find()
        .select_only()
        .column(plan_review::Column::Id)
        .filter(plan_review::Column::TenantId.eq(tenant.0))
        .filter(plan_review::Column::PlanId.eq(plan))
        .filter(plan_review::Column::IsFinal.eq(true))
        .limit(1)
        .into_tuple::<Uuid>()
        .one(conn)
        .await?
        .is_some())
}

pub async fn contingencies_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    plans: &[Uuid],
) -> Result<Vec<contingency::Model>, StoreError> {
    if plans.is_empty() {
        return Ok(vec![]);
    }
    Ok(contingency::Entity::find()
        .filter(contingency::Column::TenantId.eq(tenant.0))
        .filter(contingency::Column::PlanId.is_in(plans.iter().copied()))
        .filter(contingency::Column::DeletedAt.is_null())
        .order_by_asc(contingency::Column::CreatedAt)
        .order_by_asc(contingency::Column::Id)
        .all(conn)
        .await?)
}

/// Growth targets, reviews and contingencies by id (for `node(id:)`): the
/// caller checks that their plan is live (a deleted plan's rows stay).
pub async fn growth_targets_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<growth_target::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(growth_target::Entity::find()
        .filter(growth_target::Column::TenantId.eq(tenant.0))
        .filter(growth_target::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// See [`growth_targets_by_ids`].
pub async fn reviews_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<plan_review::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(plan_review::Entity::find()
        .filter(plan_review::Column::TenantId.eq(tenant.0))
        .filter(plan_review::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// See [`growth_targets_by_ids`]; tombstoned contingencies are left out.
pub async fn contingencies_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<contingency::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(contingency::Entity::find()
        .filter(contingency::Column::TenantId.eq(tenant.0))
        .filter(contingency::Column::Id.is_in(ids.iter().copied()))
        .filter(contingency::Column::DeletedAt.is_null())
        .all(conn)
        .await?)
}
