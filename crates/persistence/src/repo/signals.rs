//! Evidence signals, each account's stored evidence and the tenant's health
//! model (`domain::signal`, `domain::health`).

use super::page::{Child, Page, PageArgs, WindowSpec, window_pages_where};
use crate::StoreError;
use crate::entity::{account_health as health, account_signal as signal, health_model};
use chrono::{DateTime, Utc};
use domain::TenantId;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Select, Value,
};
use std::collections::HashMap;
use uuid::Uuid;

fn live(tenant: TenantId) -> Select<signal::Entity> {
    signal::Entity::find()
        .filter(signal::Column::TenantId.eq(tenant.0))
        .filter(signal::Column::DeletedAt.is_null())
}

/// A signal to record (`signal_write::record`).
#[derive(Debug, Clone)]
pub struct SignalWrite {
    pub tenant: Uuid,
    pub account: Uuid,
    pub contact: Option<Uuid>,
    pub activity: Option<Uuid>,
    pub kind: domain::signal::SignalKind,
    pub observed_at: DateTime<Utc>,
    pub note: Option<String>,
}

/// Which list of signals: an account's or a contact's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SignalsOf {
    Account,
    Contact,
}

impl SignalsOf {
    fn column(self) -> &'static str {
        match self {
            SignalsOf::Account => "account_id",
            SignalsOf::Contact => "contact_id",
        }
    }
}

/// A filter of a signal list: kinds (as stored; `None` for all) and the
/// observation period (`from` inclusive, `to` exclusive).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct SignalFilter {
    pub kinds: Option<Vec<String>>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl SignalFilter {
    /// The filter as SQL on alias `c` (` AND ...`) and its values.
    fn sql(&self) -> (String, Vec<Value>) {
        super::kinds_and_period(self.kinds.as_deref(), ("observed_at", self.from, self.to))
    }

    fn apply(&self, mut q: Select<signal::Entity>) -> Select<signal::Entity> {
        if let Some(kinds) = &self.kinds {
            q = q.filter(signal::Column::Kind.is_in(kinds.iter().cloned()));
        }
        if let Some(f) = self.from {
            q = q.filter(signal::Column::ObservedAt.gte(f));
        }
        if let Some(t) = self.to {
            q = q.filter(signal::Column::ObservedAt.lt(t));
        }
        q
    }
}

/// The cursor key of a signal: its observation time, to the microsecond.
pub fn cursor_key(s: &signal::Model) -> String {
    s.observed_at
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn key_value(k: &str) -> Result<Value, StoreError> {
    DateTime::parse_from_rfc3339(k)
        .map(|t| Value::from(t.with_timezone(&Utc)))
        .map_err(|_| StoreError::Internal("bad signal cursor".into()))
}

/// One page of live signals (newest first) for each account or contact.
pub async fn pages(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    of: SignalsOf,
    parents: &[Uuid],
    filter: &SignalFilter,
    args: &PageArgs,
) -> Result<HashMap<Uuid, Page<signal::Model>>, StoreError> {
    let spec = WindowSpec {
        table: "account_signals",
        parent: of.column(),
        key: "observed_at",
        descending: true,
    };
    let child = match of {
        SignalsOf::Account => Child::<signal::Model> {
            parent: |s| s.account_id,
            order: |a, b| a.observed_at.cmp(&b.observed_at).then(a.id.cmp(&b.id)),
        },
        SignalsOf::Contact => Child::<signal::Model> {
            parent: |s| s.contact_id.unwrap_or_default(),
            order: |a, b| a.observed_at.cmp(&b.observed_at).then(a.id.cmp(&b.id)),
        },
    };
    let (sql, values) = filter.sql();
    window_pages_where::<signal::Entity>(
        conn,
        &spec,
        tenant,
        parents,
        args,
        key_value,
        child,
        (&sql, values),
    )
    .await
}

/// How many live signals each account or contact has under `filter`.
pub async fn counts(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    of: SignalsOf,
    parents: &[Uuid],
    filter: &SignalFilter,
) -> Result<HashMap<Uuid, i64>, StoreError> {
    let q = filter.apply(live(tenant));
    let parent = match of {
        SignalsOf::Account => signal::Column::AccountId,
        SignalsOf::Contact => signal::Column::ContactId,
    };
    super::counts_by_parent(conn, q, parent, signal::Column::Id, parents).await
}

/// A live signal for a write (locked on Postgres).
pub async fn for_update(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: Uuid,
) -> Result<Option<signal::Model>, StoreError> {
    let mut q = live(tenant).filter(signal::Column::Id.eq(id));
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    Ok(q.one(conn).await?)
}

/// Live signals by id.
pub async fn by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<Vec<signal::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(live(tenant)
        .filter(signal::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?)
}

/// Every live signal of these accounts, oldest first (then id).
pub async fn all_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<signal::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    Ok(live(tenant)
        .filter(signal::Column::AccountId.is_in(accounts.iter().copied()))
        .order_by_asc(signal::Column::ObservedAt)
        .order_by_asc(signal::Column::Id)
        .all(conn)
        .await?)
}

/// (account, kind, observed at) of the live signals of these accounts
/// (every account of the tenant when `None`) observed after `since` (all
/// when `None`): the evidence of the health score.
pub async fn evidence_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: Option<&[Uuid]>,
    since: Option<DateTime<Utc>>,
) -> Result<Vec<(Uuid, String, DateTime<Utc>)>, StoreError> {
    let mut q = live(tenant).select_only().columns([
        signal::Column::AccountId,
        signal::Column::Kind,
        signal::Column::ObservedAt,
    ]);
    if let Some(a) = accounts {
        if a.is_empty() {
            return Ok(vec![]);
        }
        q = q.filter(signal::Column::AccountId.is_in(a.iter().copied()));
    }
    if let Some(s) = since {
        q = q.filter(signal::Column::ObservedAt.gt(s));
    }
    Ok(q.into_tuple().all(conn).await?)
}

/// The stored evidence of these accounts (accounts without a signal have
/// none).
pub async fn health_of(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    accounts: &[Uuid],
) -> Result<Vec<health::Model>, StoreError> {
    if accounts.is_empty() {
        return Ok(vec![]);
    }
    Ok(health::Entity::find()
        .filter(health::Column::TenantId.eq(tenant.0))
        .filter(health::Column::AccountId.is_in(accounts.iter().copied()))
        .all(conn)
        .await?)
}

/// Every stored evidence row of the tenant.
pub async fn all_health(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<Vec<health::Model>, StoreError> {
    Ok(health::Entity::find()
        .filter(health::Column::TenantId.eq(tenant.0))
        .all(conn)
        .await?)
}

/// The tenant's health model, if an admin set one.
pub async fn model(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
) -> Result<Option<health_model::Model>, StoreError> {
    Ok(health_model::Entity::find()
        .filter(health_model::Column::TenantId.eq(tenant.0))
        .one(conn)
        .await?)
}

/// Clears the notes of every signal (tombstones included) that names the
/// contact (`eraseContactPersonalData`).
pub async fn clear_notes_of_contact(
    w: &crate::write::Writer,
    tenant: TenantId,
    contact: Uuid,
) -> Result<(), StoreError> {
    use sea_orm::sea_query::Expr;
    let q = signal::Entity::update_many()
        .col_expr(signal::Column::Note, Expr::value(Option::<String>::None))
        .filter(signal::Column::TenantId.eq(tenant.0))
        .filter(signal::Column::ContactId.eq(contact))
        .filter(signal::Column::Note.is_not_null());
    w.update_many(q, crate::write::Op::Updated).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::health;
    use domain::signal::SignalKind;

    #[test]
    fn one_sum_column_per_kind_in_kind_order() {
        assert_eq!(health::KINDS, domain::health::KINDS);
        for (k, c) in SignalKind::ALL.iter().zip(health::SUM_COLUMNS) {
            assert_eq!(c, format!("sum_{}", k.as_str().to_ascii_lowercase()));
        }
        for (c, name) in health::SUMS.iter().zip(health::SUM_COLUMNS) {
            use sea_orm::Iden;
            assert_eq!(c.to_string(), name);
        }
    }
}
