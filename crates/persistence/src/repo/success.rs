//! Success criteria and the value chain of accounts, and the colleagues a
//! contact prefers.

use crate::StoreError;
use crate::entity::{
    contact_preferred_user as preferred, objective, success_criterion as criterion,
    value_chain_link as link,
};
use crate::write::{Op, Writer};
use domain::TenantId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, Select,
};
use uuid::Uuid;

fn live_criteria(tenant: TenantId) -> Select<criterion::Entity> {
    criterion::Entity::find()
        .filter(criterion::Column::TenantId.eq(tenant.0))
        .filter(criterion::Column::DeletedAt.is_null())
}

fn live_links(tenant: TenantId) -> Select<link::Entity> {
    link::Entity::find()
        .filter(link::Column::TenantId.eq(tenant.0))
        .filter(link::Column::DeletedAt.is_null())
}

/// The live success criteria of these accounts, by account, then due date
/// (those without one last), then when recorded.
pub async fn criteria_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<criterion::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = live_criteria(tenant)
        .filter(criterion::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by_key(|c| {
        (
            c.account_id,
            c.due_date.is_none(),
            c.due_date,
            c.created_at,
            c.id,
        )
    });
    Ok(rows)
}

/// Live success criteria by id.
pub async fn criteria_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<criterion::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(live_criteria(tenant)
        .filter(criterion::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// A live criterion for a write (locked on Postgres).
pub async fn criterion_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<criterion::Model>, StoreError> {
    let mut q = live_criteria(tenant).filter(criterion::Column::Id.eq(id));
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// The live value-chain entries of these accounts, by account, then when
/// recorded.
pub async fn links_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<link::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = live_links(tenant)
        .filter(link::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by_key(|l| (l.account_id, l.created_at, l.id));
    Ok(rows)
}

/// A live value-chain entry for a write (locked on Postgres).
pub async fn link_for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<link::Model>, StoreError> {
    let mut q = live_links(tenant).filter(link::Column::Id.eq(id));
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// Clears the criterion of the objectives and value-chain entries that
/// point to `criterion` (removed).
pub async fn unlink_criterion(
    w: &Writer,
    tenant: TenantId,
    criterion: Uuid,
) -> Result<(), StoreError> {
    let q = objective::Entity::update_many()
        .col_expr(
            objective::Column::SuccessCriterionId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(objective::Column::TenantId.eq(tenant.0))
        .filter(objective::Column::SuccessCriterionId.eq(criterion));
    w.update_many(q, Op::Updated).await?;
    let q = link::Entity::update_many()
        .col_expr(
            link::Column::SuccessCriterionId,
            Expr::value(Option::<Uuid>::None),
        )
        .filter(link::Column::TenantId.eq(tenant.0))
        .filter(link::Column::SuccessCriterionId.eq(criterion));
    w.update_many(q, Op::Updated).await?;
    Ok(())
}

/// The preferred colleagues of these contacts: (contact, user) in each
/// contact's order.
pub async fn preferred_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    contacts: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    if contacts.is_empty() {
        return Ok(vec![]);
    }
    let mut rows = preferred::Entity::find()
        .filter(preferred::Column::TenantId.eq(tenant.0))
        .filter(preferred::Column::ContactId.is_in(contacts.iter().copied()))
        .all(conn)
        .await?;
    rows.sort_by_key(|r| (r.contact_id, r.position));
    Ok(rows
        .into_iter()
        .map(|r| (r.contact_id, r.user_id))
        .collect())
}

/// Replaces a contact's preferred colleagues with `users`, in that order.
pub async fn replace_preferred(
    w: &Writer,
    tenant: TenantId,
    contact: Uuid,
    users: &[Uuid],
) -> Result<(), StoreError> {
    let old = preferred::Entity::find()
        .filter(preferred::Column::TenantId.eq(tenant.0))
        .filter(preferred::Column::ContactId.eq(contact))
        .all(w.conn())
        .await?;
    for m in old {
        w.delete::<preferred::Entity>(m).await?;
    }
    for (i, u) in users.iter().enumerate() {
        w.insert::<preferred::Entity>(preferred::ActiveModel {
            tenant_id: sea_orm::Set(tenant.0),
            contact_id: sea_orm::Set(contact),
            user_id: sea_orm::Set(*u),
            position: sea_orm::Set(i32::try_from(i).unwrap_or(i32::MAX)),
            ..Default::default()
        })
        .await?;
    }
    Ok(())
}
