//! The strategic profile: insights and profile rows of accounts.

use crate::StoreError;
use crate::entity::{
    account_competitor as competitor, account_financial as financial, account_insight as insight,
    account_profile as profile,
};
use domain::TenantId;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Select,
};
use uuid::Uuid;

fn live(tenant: TenantId) -> Select<insight::Entity> {
    insight::Entity::find()
        .filter(insight::Column::TenantId.eq(tenant.0))
        .filter(insight::Column::DeletedAt.is_null())
}

/// A live insight for a write (locked on Postgres).
pub async fn insight_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<insight::Model>, StoreError> {
    let mut q = live(tenant).filter(insight::Column::Id.eq(id));
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// The live insights of these accounts, by account, then when each was
/// recorded (then id).
pub async fn insights_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<insight::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = live(tenant)
        .filter(insight::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by_key(|i| (i.account_id, i.created_at, i.id));
    Ok(rows)
}

/// The profiles of these accounts (at most one each).
pub async fn profiles_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<profile::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    Ok(profile::Entity::find()
        .filter(profile::Column::TenantId.eq(tenant.0))
        .filter(profile::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?)
}

/// The financial years of these accounts, by account, newest year first.
pub async fn financials_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<financial::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = financial::Entity::find()
        .filter(financial::Column::TenantId.eq(tenant.0))
        .filter(financial::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by_key(|f| (f.account_id, std::cmp::Reverse(f.fiscal_year)));
    Ok(rows)
}

/// One account's figures of a fiscal year, for a write (locked on Postgres).
pub async fn financial_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    account: Uuid,
    year: i32,
) -> Result<Option<financial::Model>, StoreError> {
    let mut q = financial::Entity::find()
        .filter(financial::Column::TenantId.eq(tenant.0))
        .filter(financial::Column::AccountId.eq(account))
        .filter(financial::Column::FiscalYear.eq(year));
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

fn live_competitors(tenant: TenantId) -> Select<competitor::Entity> {
    competitor::Entity::find()
        .filter(competitor::Column::TenantId.eq(tenant.0))
        .filter(competitor::Column::DeletedAt.is_null())
}

/// The live competitors of these accounts, by account, then name.
pub async fn competitors_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<competitor::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = live_competitors(tenant)
        .filter(competitor::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by(|a, b| {
        (a.account_id, a.name.to_lowercase(), a.id).cmp(&(
            b.account_id,
            b.name.to_lowercase(),
            b.id,
        ))
    });
    Ok(rows)
}

/// Live competitors by id.
pub async fn competitors_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<competitor::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(live_competitors(tenant)
        .filter(competitor::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// A live competitor for a write (locked on Postgres).
pub async fn competitor_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<competitor::Model>, StoreError> {
    let mut q = live_competitors(tenant).filter(competitor::Column::Id.eq(id));
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// Clears the competitor of the cells that point to `competitor` (removed).
pub async fn unlink_competitor(
    w: &crate::write::Writer,
    tenant: TenantId,
    competitor: Uuid,
) -> Result<(), StoreError> {
    use crate::entity::white_space_cell as cell;
    let q = cell::Entity::update_many()
        .col_expr(
            cell::Column::CompetitorId,
            sea_orm::sea_query::Expr::value(Option::<Uuid>::None),
        )
        .filter(cell::Column::TenantId.eq(tenant.0))
        .filter(cell::Column::CompetitorId.eq(competitor));
    w.update_many(q, crate::write::Op::Updated).await?;
    Ok(())
}
