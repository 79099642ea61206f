//! Action items of account plans, the contacts involved and the assessments
//! of their occurrences.

use super::{placeholders, raw};
use crate::entity::{action_item, action_item_contact, assessment};
use crate::error::StoreError;
use chrono::NaiveDate;
use domain::TenantId;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Value,
};
use uuid::Uuid;

/// The stored spelling of an open item.
const OPEN: &str = "OPEN";

fn live(tenant: TenantId) -> sea_orm::Select<action_item::Entity> {
    action_item::Entity::find()
        .filter(action_item::Column::TenantId.eq(tenant.0))
        .filter(action_item::Column::DeletedAt.is_null())
}

/// A live action item.
pub async fn get(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<action_item::Model>, StoreError> {
    Ok(live(tenant)
        .filter(action_item::Column::Id.eq(id))
        .one(conn)
        .await?)
}

pub async fn by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<action_item::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(live(tenant)
        .filter(action_item::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Live action items of the plans, by first due date.
pub async fn of_plans(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    plans: &[Uuid],
) -> Result<Vec<action_item::Model>, StoreError> {
    if plans.is_empty() {
        return Ok(vec![]);
    }
    Ok(live(tenant)
        .filter(action_item::Column::PlanId.is_in(plans.iter().copied()))
        .order_by_asc(action_item::Column::FirstDue)
        .order_by_asc(action_item::Column::Id)
        .all(conn)
        .await?)
}

/// Open items whose series may have an occurrence between `from` and `to`
/// (first due not after `to`, not ended before `from`), of live plans of
/// live accounts; only those assigned to `assignee` if given. One statement.
pub async fn open_between(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    assignee: Option<Uuid>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<action_item::Model>, StoreError> {
    let mut sql = String::from(
        "SELECT i.* FROM action_items i \
         JOIN account_plans p ON p.tenant_id = i.tenant_id AND p.id = i.plan_id AND p.deleted_at IS NULL \
         JOIN accounts a ON a.tenant_id = p.tenant_id AND a.id = p.account_id AND a.deleted_at IS NULL \
         WHERE i.tenant_id = ? AND i.deleted_at IS NULL AND i.status = ? \
         AND i.first_due <= ? AND (i.repeat_until IS NULL OR i.repeat_until >= ?)",
    );
    let mut values: Vec<Value> = vec![tenant.0.into(), OPEN.into(), to.into(), from.into()];
    if let Some(a) = assignee {
        sql.push_str(" AND i.assignee_id = ?");
        values.push(a.into());
    }
    sql.push_str(" ORDER BY i.first_due, i.id");
    let stmt = raw(conn.get_database_backend(), &sql, values);
    Ok(action_item::Entity::find()
        .from_raw_sql(stmt)
        .all(conn)
        .await?)
}

/// Links the item to those of `contacts` that are live contacts of
/// `account`, in one statement; returns how many were linked (the caller
/// compares with the number asked for).
pub async fn link_contacts(
    w: &crate::write::Writer,
    item: &action_item::Model,
    account: Uuid,
    contacts: &[Uuid],
) -> Result<u64, StoreError> {
    if contacts.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "INSERT INTO action_item_contacts (tenant_id, action_item_id, account_id, contact_id, created_at, created_by, updated_at, updated_by, version) \
         SELECT c.tenant_id, ?, c.account_id, c.id, ?, ?, ?, ?, 1 FROM contacts c \
         WHERE c.tenant_id = ? AND c.account_id = ? AND c.deleted_at IS NULL AND c.id IN ({})",
        placeholders(contacts.len())
    );
    let stamp = w.stamp();
    let mut values: Vec<Value> = vec![
        item.id.into(),
        stamp.at.into(),
        stamp.by.into(),
        stamp.at.into(),
        stamp.by.into(),
        item.tenant_id.into(),
        account.into(),
    ];
    values.extend(contacts.iter().map(|c| Value::from(*c)));
    let conn = w.conn();
    let r = conn
        .execute_raw(raw(conn.get_database_backend(), &sql, values))
        .await?;
    Ok(r.rows_affected())
}

/// Removes every contact link of the item.
pub async fn unlink_contacts(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    item: Uuid,
) -> Result<(), StoreError> {
    action_item_contact::Entity::delete_many()
        .filter(action_item_contact::Column::TenantId.eq(tenant.0))
        .filter(action_item_contact::Column::ActionItemId.eq(item))
        .exec(conn)
        .await?;
    Ok(())
}

/// The contacts of each item, as (item, contact) pairs.
pub async fn contacts_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    items: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    if items.is_empty() {
        return Ok(vec![]);
    }
    Ok(action_item_contact::Entity::find()
        .select_only()
        .column(action_item_contact::Column::ActionItemId)
        .column(action_item_contact::Column::ContactId)
        .filter(action_item_contact::Column::TenantId.eq(tenant.0))
        .filter(action_item_contact::Column::ActionItemId.is_in(items.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Assessments of the items whose occurrence date lies in `from..=to`
/// (either bound optional), by occurrence date.
pub async fn assessments_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    items: &[Uuid],
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<assessment::Model>, StoreError> {
    if items.is_empty() {
        return Ok(vec![]);
    }
    let mut q = assessment::Entity::find()
        .filter(assessment::Column::TenantId.eq(tenant.0))
        .filter(assessment::Column::ActionItemId.is_in(items.iter().copied()));
    if let Some(f) = from {
        q = q.filter(assessment::Column::OccurrenceDate.gte(f));
    }
    if let Some(t) = to {
        q = q.filter(assessment::Column::OccurrenceDate.lte(t));
    }
    Ok(q.order_by_asc(assessment::Column::OccurrenceDate)
        .order_by_asc(assessment::Column::ActionItemId)
        .all(conn)
        .await?)
}

/// The occurrence dates already assessed for one item.
pub async fn assessed_dates(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    item: Uuid,
) -> Result<Vec<NaiveDate>, StoreError> {
    Ok(assessment::Entity::find()
        .select_only()
        .column(assessment::Column::OccurrenceDate)
        .filter(assessment::Column::TenantId.eq(tenant.0))
        .filter(assessment::Column::ActionItemId.eq(item))
        .into_tuple()
        .all(conn)
        .await?)
}

/// Whether the occurrence of `item` on `date` is assessed.
pub async fn is_assessed(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    item: Uuid,
    date: NaiveDate,
) -> Result<bool, StoreError> {
    Ok(assessment::Entity::find()
        .select_only()
        .column(assessment::Column::Id)
        .filter(assessment::Column::TenantId.eq(tenant.0))
        .filter(assessment::Column::ActionItemId.eq(item))
        .filter(assessment::Column::OccurrenceDate.eq(date))
        .into_tuple::<Uuid>()
        .one(conn)
        .await?
        .is_some())
}

/// Assessments by id (for `node(id:)`): the caller checks that their action
/// item is live.
pub async fn assessments_by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<assessment::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(assessment::Entity::find()
        .filter(assessment::Column::TenantId.eq(tenant.0))
        .filter(assessment::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}
