//! Activities and the contacts involved.

use super::page::{Page, PageArgs, WindowSpec, window_pages};
use super::{placeholders, raw};
use crate::entity::{activity, activity_contact};
use crate::error::StoreError;
use chrono::{DateTime, Utc};
use domain::TenantId;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect, Value,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Inserts an activity.
pub async fn insert(conn: &impl ConnectionTrait, a: activity::Model) -> Result<(), StoreError> {
    activity::Entity::insert(a.into_active_model())
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// Links the activity to those of `contacts` that are live contacts of its
/// account, in one statement; returns how many were linked (the caller
/// compares with the number asked for).
pub async fn link_contacts(
    conn: &impl ConnectionTrait,
    a: &activity::Model,
    contacts: &[Uuid],
) -> Result<u64, StoreError> {
    if contacts.is_empty() {
        return Ok(0);
    }
    let sql = format!(
        "INSERT INTO activity_contacts (tenant_id, activity_id, account_id, contact_id, created_at, created_by, updated_at, updated_by, version) \
         SELECT c.tenant_id, ?, c.account_id, c.id, ?, ?, ?, ?, 1 FROM contacts c \
         WHERE c.tenant_id = ? AND c.account_id = ? AND c.deleted_at IS NULL AND c.id IN ({})",
        placeholders(contacts.len())
    );
    let mut values: Vec<Value> = vec![
        a.id.into(),
        a.created_at.into(),
        a.created_by.into(),
        a.updated_at.into(),
        a.updated_by.into(),
        a.tenant_id.into(),
        a.account_id.into(),
    ];
    values.extend(contacts.iter().map(|c| Value::from(*c)));
    let r = conn
        .execute_raw(raw(conn.get_database_backend(), &sql, values))
        .await?;
    Ok(r.rows_affected())
}

/// The cursor key of an activity: its time, to the microsecond.
pub fn cursor_key(a: &activity::Model) -> String {
    a.occurred_at
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// One page of activities (newest first) for each of several accounts.
pub async fn pages_by_account(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<activity::Model>>, StoreError> {
    let spec = WindowSpec {
        table: "activities",
        parent: "account_id",
        key: "occurred_at",
        descending: true,
    };
    let key_value = |k: &str| -> Result<Value, StoreError> {
        DateTime::parse_from_rfc3339(k)
            .map(|t| Value::from(t.with_timezone(&Utc)))
            .map_err(|_| StoreError::Internal("bad activity cursor".into()))
    };
    window_pages::<activity::Entity>(conn, &spec, tenant, accounts, args, key_value, |a| {
        a.account_id
    })
    .await
}

/// The contacts of each activity, as (activity, contact) pairs.
pub async fn contacts_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    activities: &[Uuid],
) -> Result<Vec<(Uuid, Uuid)>, StoreError> {
    if activities.is_empty() {
        return Ok(vec![]);
    }
    Ok(activity_contact::Entity::find()
        .select_only()
        .column(activity_contact::Column::ActivityId)
        .column(activity_contact::Column::ContactId)
        .filter(activity_contact::Column::TenantId.eq(tenant.0))
        .filter(activity_contact::Column::ActivityId.is_in(activities.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?)
}

pub async fn by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<activity::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(activity::Entity::find()
        .filter(activity::Column::TenantId.eq(tenant.0))
        .filter(activity::Column::Id.is_in(ids.iter().copied()))
        .filter(activity::Column::DeletedAt.is_null())
        .all(conn)
        .await?)
}
