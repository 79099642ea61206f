//! Accounts.

use super::page::{Page, PageArgs, beyond};
use super::partial::{Columns, Part, select_columns};
use crate::entity::account;
use crate::error::StoreError;
use crate::write::{Op, Writer};
use domain::{AccountId, TenantId};
use sea_orm::sea_query::{Expr, LikeExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, Order, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait, Select,
};
use uuid::Uuid;

/// Which accounts to list.
#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub tiers: Option<Vec<String>>,
    pub statuses: Option<Vec<String>>,
    pub owner_id: Option<Uuid>,
    /// On this user's team (any team role).
    pub team_member_id: Option<Uuid>,
    /// With this coverage gap (`repo::coverage::gap_condition`).
    pub coverage_gap: Option<domain::coverage::GapKind>,
    /// In the top 20% by revenue (`true`) or not (`false`) on the given
    /// day (`repo::pareto::top_condition`).
    pub top_twenty_percent: Option<(bool, chrono::NaiveDate)>,
    /// A `LIKE` pattern on the name's sort key (see `domain::text`).
    pub name_like: Option<String>,
    /// Also list archived accounts.
    pub include_archived: bool,
}

/// Orderings of the account list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AccountOrder {
    #[default]
    NameAsc,
    NameDesc,
    CreatedAsc,
    CreatedDesc,
}

impl AccountOrder {
    /// The sort key of a row in this ordering (empty when by id).
    pub fn key_of(self, m: &account::Model) -> String {
        match self {
            AccountOrder::NameAsc | AccountOrder::NameDesc => m.name_key.clone(),
            AccountOrder::CreatedAsc | AccountOrder::CreatedDesc => String::new(),
        }
    }
}

fn live(tenant: TenantId) -> Select<account::Entity> {
    account::Entity::find()
        .filter(account::Column::TenantId.eq(tenant.0))
        .filter(account::Column::DeletedAt.is_null())
}

/// A live (not deleted) account of the tenant.
pub async fn get(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: AccountId,
) -> Result<Option<account::Model>, StoreError> {
    Ok(live(tenant)
        .filter(account::Column::Id.eq(id.0))
        .one(conn)
        .await?)
}

/// Like [`get`], and on Postgres locks the row until the transaction ends,
/// so that invariants over the account's children hold under concurrency.
pub async fn get_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: AccountId,
) -> Result<Option<account::Model>, StoreError> {
    let q = live(tenant).filter(account::Column::Id.eq(id.0));
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
) -> Result<Vec<account::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(live(tenant)
        .filter(account::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Like [`by_ids`], reading only `columns` (plus `id`).
pub async fn by_ids_partial(
    db: &crate::Db,
    tenant: TenantId,
    ids: &[Uuid],
    columns: Columns,
) -> Result<Vec<Part<account::Model>>, StoreError> {
    super::partial::by_ids(db, live(tenant), account::Column::Id, ids, columns).await
}

pub async fn list(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    filter: &AccountFilter,
    order: AccountOrder,
    args: &PageArgs,
) -> Result<Page<account::Model>, StoreError> {
    let rows = list_query(tenant, filter, order, args).all(conn).await?;
    Ok(Page::from_fetched(rows, args))
}

/// Like [`list`], reading only `columns` (plus `id` and `name_key`, the
/// cursor's parts).
pub async fn list_partial(
    db: &crate::Db,
    tenant: TenantId,
    filter: &AccountFilter,
    order: AccountOrder,
    args: &PageArgs,
    columns: Columns,
) -> Result<std::sync::Arc<Page<Part<account::Model>>>, StoreError> {
    let columns = columns.union(Columns::of::<account::Model>(&["id", "name_key"]));
    let q = select_columns(list_query(tenant, filter, order, args), columns)?;
    // Identical pages of concurrent requests are fetched and decoded once.
    db.query_shared(
        |s| &s.account_list,
        q.build(db.backend()),
        |rows| {
            let rows = columns.decode_all::<account::Model>(rows)?;
            Ok(Page::from_fetched(rows, args))
        },
    )
    .await
}

/// How many accounts `filter` admits (`totalCount`).
pub async fn count(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    filter: &AccountFilter,
) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(filtered(tenant, filter).count(conn).await?)
}

/// The live accounts `filter` admits, unordered.
fn filtered(tenant: TenantId, filter: &AccountFilter) -> Select<account::Entity> {
    let mut q = live(tenant);
    if !filter.include_archived {
        q = q.filter(account::Column::ArchivedAt.is_null());
    }
    if let Some(t) = &filter.tiers {
        q = q.filter(account::Column::Tier.is_in(t.iter().cloned()));
    }
    if let Some(s) = &filter.statuses {
        q = q.filter(account::Column::Status.is_in(s.iter().cloned()));
    }
    if let Some(o) = filter.owner_id {
        q = q.filter(account::Column::OwnerId.eq(o));
    }
    if let Some(u) = filter.team_member_id {
        use crate::entity::account_team_member as member;
        q = q.filter(
            account::Column::Id.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(member::Column::AccountId)
                    .from(member::Entity)
                    .and_where(member::Column::TenantId.eq(tenant.0))
                    .and_where(member::Column::UserId.eq(u))
                    .to_owned(),
            ),
        );
    }
    if let Some(kind) = filter.coverage_gap {
        q = q.filter(super::coverage::gap_condition(kind, super::now()));
    }
    if let Some((top, today)) = filter.top_twenty_percent {
        q = q.filter(super::pareto::top_condition(tenant, today, top));
    }
    if let Some(p) = &filter.name_like {
        q = q.filter(account::Column::NameKey.like(LikeExpr::new(p.clone()).escape('\\')));
    }
    q
}

fn list_query(
    tenant: TenantId,
    filter: &AccountFilter,
    order: AccountOrder,
    args: &PageArgs,
) -> Select<account::Entity> {
    let mut q = filtered(tenant, filter);
    let (key, ascending) = match order {
        AccountOrder::NameAsc => (Some(account::Column::NameKey), true),
        AccountOrder::NameDesc => (Some(account::Column::NameKey), false),
        AccountOrder::CreatedAsc => (None, true),
        AccountOrder::CreatedDesc => (None, false),
    };
    if let Some(a) = &args.after {
        q = q.filter(beyond(key, account::Column::Id, a, ascending));
    }
    if let Some(b) = &args.before {
        q = q.filter(beyond(key, account::Column::Id, b, !ascending));
    }
    let dir = if ascending != args.from_end {
        Order::Asc
    } else {
        Order::Desc
    };
    if let Some(k) = key {
        q = q.order_by(k, dir.clone());
    }
    q.order_by(account::Column::Id, dir).limit(args.limit + 1)
}

/// Tombstones what hangs off a deleted account: its activities, its plans
/// and their objectives, contingencies and action items, its white-space
/// cells and business units (contacts: see `contacts::tombstone_account`).
/// One statement per table, through the writer (each row a change).
pub async fn tombstone_children(
    w: &Writer,
    tenant: TenantId,
    account: AccountId,
) -> Result<(), StoreError> {
    use crate::entity::{
        account_competitor, account_insight, account_plan, account_signal, action_item, activity,
        business_unit, contingency, contract, objective, opportunity, success_criterion,
        value_chain_link, white_space_cell,
    };
    let plans = || {
        sea_orm::sea_query::Query::select()
            .column(account_plan::Column::Id)
            .from(account_plan::Entity)
            .and_where(account_plan::Column::TenantId.eq(tenant.0))
            .and_where(account_plan::Column::AccountId.eq(account.0))
            .to_owned()
    };
    macro_rules! tombstone {
        ($e:ident, $scope:expr) => {{
            let q = $e::Entity::update_many()
                .col_expr($e::Column::DeletedAt, Expr::value(w.at()))
                .filter($e::Column::TenantId.eq(tenant.0))
                .filter($e::Column::DeletedAt.is_null())
                .filter($scope);
            w.update_many(q, Op::Deleted).await?;
        }};
    }
    tombstone!(activity, activity::Column::AccountId.eq(account.0));
    tombstone!(objective, objective::Column::PlanId.in_subquery(plans()));
    tombstone!(
        contingency,
        contingency::Column::PlanId.in_subquery(plans())
    );
    tombstone!(
        action_item,
        action_item::Column::PlanId.in_subquery(plans())
    );
    tombstone!(account_plan, account_plan::Column::AccountId.eq(account.0));
    tombstone!(
        white_space_cell,
        white_space_cell::Column::AccountId.eq(account.0)
    );
    tombstone!(
        business_unit,
        business_unit::Column::AccountId.eq(account.0)
    );
    tombstone!(contract, contract::Column::AccountId.eq(account.0));
    tombstone!(opportunity, opportunity::Column::AccountId.eq(account.0));
    tombstone!(
        success_criterion,
        success_criterion::Column::AccountId.eq(account.0)
    );
    tombstone!(
        value_chain_link,
        value_chain_link::Column::AccountId.eq(account.0)
    );
    tombstone!(
        account_competitor,
        account_competitor::Column::AccountId.eq(account.0)
    );
    tombstone!(
        account_signal,
        account_signal::Column::AccountId.eq(account.0)
    );
    tombstone!(
        account_insight,
        account_insight::Column::AccountId.eq(account.0)
    );
    Ok(())
}

/// Detaches the live subsidiaries of `account` (deleted): they become roots.
pub async fn detach_children(
    w: &Writer,
    tenant: TenantId,
    account: AccountId,
) -> Result<(), StoreError> {
    let q = account::Entity::update_many()
        .col_expr(account::Column::ParentId, Expr::value(Option::<Uuid>::None))
        .filter(account::Column::TenantId.eq(tenant.0))
        .filter(account::Column::ParentId.eq(account.0))
        .filter(account::Column::DeletedAt.is_null());
    w.update_many(q, Op::Updated).await?;
    Ok(())
}
