//! The one write path. Every row Steward writes goes through a [`Writer`]
//! (one transaction) or, for the coalesced `logActivity` statement, through
//! the same [`Stamp`]: the audit columns (`created_at`, `created_by`,
//! `updated_at`, `updated_by`, `version`) are set here and nowhere else, and
//! every write of a record is reported as a [`Change`].
//!
//! The changes of a transaction are handed to [`Writer::commit`], which is
//! the seam for what must be written with them (the change journal, the
//! outbox): it runs inside the transaction, before `COMMIT`. After the
//! commit they are counted per record type and operation ([`WriteCounts`],
//! `steward_writes_total` in `/metrics`).
//!
//! Services build new rows as sea-orm active models without audit columns
//! (`Writer::insert` refuses a row with a column left unset, so a forgotten
//! field is an error, not a default), and update rows by loading the model,
//! changing fields and handing it back with [`Writer::update`], which checks
//! the version it was loaded with (optimistic concurrency).

use crate::StoreError;
use crate::entity;
use chrono::{DateTime, Utc};
use domain::RequestId;
use sea_orm::sea_query::{Expr, ExprTrait, Query, UpdateStatement};
use sea_orm::{
    ActiveModelTrait, ActiveValue, ConnectionTrait, DatabaseTransaction, EntityTrait,
    IntoActiveModel, QueryFilter, QueryTrait, TryIntoModel, Value,
};
use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// What happened to a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Op {
    Created,
    Updated,
    Archived,
    Restored,
    Deleted,
}

impl Op {
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Created => "created",
            Op::Updated => "updated",
            Op::Archived => "archived",
            Op::Restored => "restored",
            Op::Deleted => "deleted",
        }
    }
}

/// One write of one record: its type (the table's record name), id,
/// operation and the version it has now.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub record: &'static str,
    pub id: Uuid,
    pub op: Op,
    pub version: i64,
}

/// A table written through the write path: its record name and the column
/// that identifies a row within the tenant. Implemented for every audited
/// entity below; a link table (no record of its own, part of its parent's
/// change) has no `RECORD`.
pub trait Audited: EntityTrait {
    /// The record type in changes (`None` for link tables).
    const RECORD: Option<&'static str>;
    /// The column holding the row's id.
    const ID: &'static str;
}

macro_rules! audited {
    ($($entity:ident => $record:expr, $id:literal;)*) => {
        $(impl Audited for entity::$entity::Entity {
            const RECORD: Option<&'static str> = $record;
            const ID: &'static str = $id;
        })*
        /// Every audited entity's table, for the invariant test.
        #[cfg(test)]
        fn audited_columns() -> Vec<(&'static str, Vec<String>)> {
            use sea_orm::{EntityName, IdenStatic, Iterable};
            vec![$((
                entity::$entity::Entity.table_name(),
                entity::$entity::Column::iter().map(|c| c.as_str().to_owned()).collect(),
            )),*]
        }
    };
}

audited! {
    tenant => Some("tenant"), "tenant_id";
    user => Some("user"), "id";
    account => Some("account"), "id";
    account_team_member => Some("account_team_member"), "id";
    contact => Some("contact"), "id";
    contact_influence => Some("contact_influence"), "id";
    activity => Some("activity"), "id";
    activity_contact => None, "activity_id";
    activity_participant => None, "activity_id";
    account_plan => Some("plan"), "id";
    objective => Some("objective"), "id";
    objective_progress => Some("objective_progress"), "id";
    growth_target => Some("growth_target"), "id";
    plan_review => Some("plan_review"), "id";
    plan_review_reviewer => None, "review_id";
    contingency => Some("contingency"), "id";
    contract => Some("contract"), "id";
    opportunity => Some("opportunity"), "id";
    exchange_rate => Some("exchange_rate"), "id";
    account_insight => Some("account_insight"), "id";
    account_profile => Some("account_profile"), "id";
    account_financial => Some("account_financial"), "id";
    account_competitor => Some("account_competitor"), "id";
    account_signal => Some("signal"), "id";
    account_health => None, "id";
    health_model => Some("health_model"), "id";
    jeopardy_alert => Some("alert"), "id";
    alert_setting => Some("alert_settings"), "id";
    success_criterion => Some("success_criterion"), "id";
    value_chain_link => Some("value_chain_link"), "id";
    contact_preferred_user => None, "contact_id";
    action_item => Some("action_item"), "id";
    action_item_contact => None, "action_item_id";
    assessment => Some("assessment"), "id";
    product => Some("product"), "id";
    business_unit => Some("business_unit"), "id";
    white_space_cell => Some("white_space_cell"), "id";
    refresh_token => None, "id";
}

fn column<E: EntityTrait>(name: &str) -> E::Column {
    // Every audited entity has these columns (checked by a unit test).
    E::Column::from_str(name)
        .unwrap_or_else(|_| unreachable!("{} has no column {name}", E::default().table_name()))
}

/// Who writes and when: one instant per transaction (to the millisecond,
/// as both databases keep it), the acting user (none for the system, e.g.
/// sign-up's first admin of a new tenant before it exists), and the request
/// the write belongs to (none for the CLI and the demo seeder): what the
/// change journal will record with each change.
#[derive(Clone, Copy, Debug)]
pub struct Stamp {
    pub at: DateTime<Utc>,
    pub by: Option<Uuid>,
    pub request: Option<RequestId>,
}

impl Stamp {
    pub fn now(by: Option<Uuid>, request: Option<RequestId>) -> Self {
        Stamp {
            at: crate::repo::now(),
            by,
            request,
        }
    }

    /// A new row: its audit columns set, every other column required.
    pub fn created<E>(&self, mut am: E::ActiveModel) -> Result<E::Model, StoreError>
    where
        E: Audited,
        E::ActiveModel: ActiveModelTrait<Entity = E> + TryIntoModel<E::Model>,
    {
        for (c, v) in [
            ("created_at", Value::from(self.at)),
            ("created_by", self.by.into()),
            ("updated_at", self.at.into()),
            ("updated_by", self.by.into()),
            ("version", 1i64.into()),
        ] {
            am.set(column::<E>(c), v);
        }
        am.try_into_model()
            .map_err(|e| StoreError::Internal(format!("{}: incomplete row: {e}", table::<E>())))
    }

    /// A changed row: `updated_*` set, `version` one up.
    fn updated<E>(&self, am: &mut E::ActiveModel) -> Result<i64, StoreError>
    where
        E: Audited,
        E::ActiveModel: ActiveModelTrait<Entity = E>,
    {
        let version = match am.get(column::<E>("version")) {
            ActiveValue::Set(Value::BigInt(Some(v)))
            | ActiveValue::Unchanged(Value::BigInt(Some(v))) => v,
            other => {
                return Err(StoreError::Internal(format!(
                    "{}: no version to update from: {other:?}",
                    table::<E>()
                )));
            }
        };
        am.set(column::<E>("updated_at"), self.at.into());
        am.set(column::<E>("updated_by"), self.by.into());
        am.set(column::<E>("version"), (version + 1).into());
        Ok(version)
    }

    /// Adds the audit columns of a set-based update to `q`.
    fn updated_many<E: Audited>(&self, q: &mut UpdateStatement) {
        q.value(column::<E>("updated_at"), self.at)
            .value(column::<E>("updated_by"), self.by)
            .value(
                column::<E>("version"),
                Expr::col(column::<E>("version")).add(1),
            );
    }

    /// The change of a row [`Stamp::created`] made, if it is a record.
    pub fn change_of<E: Audited>(model: E::Model, op: Op) -> Option<Change>
    where
        E::Model: IntoActiveModel<E::ActiveModel>,
        E::ActiveModel: ActiveModelTrait<Entity = E>,
    {
        let am = model.into_active_model();
        let record = E::RECORD?;
        let id = match am.get(column::<E>(E::ID)) {
            ActiveValue::Set(Value::Uuid(Some(id)))
            | ActiveValue::Unchanged(Value::Uuid(Some(id))) => id,
            _ => return None,
        };
        let version = match am.get(column::<E>("version")) {
            ActiveValue::Set(Value::BigInt(Some(v)))
            | ActiveValue::Unchanged(Value::BigInt(Some(v))) => v,
            _ => return None,
        };
        Some(Change {
            record,
            id,
            op,
            version,
        })
    }
}

fn table<E: EntityTrait>() -> &'static str {
    E::default().table_name()
}

/// One write transaction: every insert and update of a service goes
/// through it, stamped with its [`Stamp`], and each is recorded as a
/// [`Change`].
pub struct Writer {
    tx: DatabaseTransaction,
    stamp: Stamp,
    changes: Mutex<Vec<Change>>,
    counts: Arc<WriteCounts>,
}

impl Writer {
    /// Begins a write transaction on `db`'s write pool for `by` (on SQLite
    /// an immediate one: the write lock is taken at the start).
    pub async fn begin(
        db: &crate::Db,
        by: Option<Uuid>,
        request: Option<RequestId>,
    ) -> Result<Writer, StoreError> {
        Ok(Self::on(
            db,
            db.begin_write().await?,
            Stamp::now(by, request),
        ))
    }

    /// Writes in `tx`, a transaction of `db`, with `stamp`.
    pub fn on(db: &crate::Db, tx: DatabaseTransaction, stamp: Stamp) -> Writer {
        Writer {
            tx,
            stamp,
            changes: Mutex::new(Vec::new()),
            counts: db.write_counts().clone(),
        }
    }

    /// The transaction, for the reads a write depends on (`FOR UPDATE`
    /// locks, invariant checks).
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }

    /// The transaction's instant (what `created_at`/`updated_at` get).
    pub fn at(&self) -> DateTime<Utc> {
        self.stamp.at
    }

    /// The stamp, for a set-based insert of link rows (`INSERT .. SELECT`),
    /// whose audit columns are bound from it.
    pub fn stamp(&self) -> Stamp {
        self.stamp
    }

    fn record(&self, change: Option<Change>) {
        if let Some(c) = change {
            self.changes
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .push(c);
        }
    }

    /// Inserts a new row (its audit columns stamped); returns it.
    pub async fn insert<E>(&self, am: E::ActiveModel) -> Result<E::Model, StoreError>
    where
        E: Audited,
        E::Model: IntoActiveModel<E::ActiveModel> + Clone,
        E::ActiveModel: ActiveModelTrait<Entity = E> + TryIntoModel<E::Model> + Send,
    {
        let m = self.stamp.created::<E>(am)?;
        crate::repo::insert_row::<E>(&self.tx, m.clone()).await?;
        self.record(Stamp::change_of::<E>(m.clone(), Op::Created));
        Ok(m)
    }

    /// Writes every column of `m`, a row loaded in this transaction and
    /// changed, if the row still has the version it was loaded with;
    /// returns it stamped, or `StoreError::Changed` (and writes nothing)
    /// when another write came first.
    pub async fn update<E>(&self, m: E::Model, op: Op) -> Result<E::Model, StoreError>
    where
        E: Audited,
        E::Model: IntoActiveModel<E::ActiveModel> + Clone,
        E::ActiveModel: ActiveModelTrait<Entity = E> + TryIntoModel<E::Model> + Send,
    {
        let mut am = m.into_active_model().reset_all();
        let loaded = self.stamp.updated::<E>(&mut am)?;
        let key = |c: &str| {
            am.get(column::<E>(c)).into_value().ok_or_else(|| {
                StoreError::Internal(format!("{}: update without {c}", table::<E>()))
            })
        };
        let (id, tenant) = (key(E::ID)?, key("tenant_id")?);
        let m = am.clone().try_into_model()?;
        let r = E::update_many()
            .set(am)
            .filter(Expr::col(column::<E>("tenant_id")).eq(Expr::value(tenant)))
            .filter(Expr::col(column::<E>(E::ID)).eq(Expr::value(id)))
            .filter(Expr::col(column::<E>("version")).eq(loaded))
            .exec(&self.tx)
            .await?;
        if r.rows_affected != 1 {
            return Err(StoreError::Changed);
        }
        self.record(Stamp::change_of::<E>(m.clone(), op));
        Ok(m)
    }

    /// Removes `m`, a row loaded in this transaction, if it still has the
    /// version it was loaded with (else `StoreError::Changed`, and nothing
    /// is removed). For rows that keep no tombstone (a team membership):
    /// the change is recorded as `Deleted` with the version it had.
    pub async fn delete<E>(&self, m: E::Model) -> Result<(), StoreError>
    where
        E: Audited,
        E::Model: IntoActiveModel<E::ActiveModel> + Clone,
        E::ActiveModel: ActiveModelTrait<Entity = E> + TryIntoModel<E::Model> + Send,
    {
        let am = m.clone().into_active_model();
        let key = |c: &str| {
            am.get(column::<E>(c)).into_value().ok_or_else(|| {
                StoreError::Internal(format!("{}: delete without {c}", table::<E>()))
            })
        };
        let (id, tenant, version) = (key(E::ID)?, key("tenant_id")?, key("version")?);
        let r = E::delete_many()
            .filter(Expr::col(column::<E>("tenant_id")).eq(Expr::value(tenant)))
            .filter(Expr::col(column::<E>(E::ID)).eq(Expr::value(id)))
            .filter(Expr::col(column::<E>("version")).eq(Expr::value(version)))
            .exec(&self.tx)
            .await?;
        if r.rows_affected != 1 {
            return Err(StoreError::Changed);
        }
        self.record(Stamp::change_of::<E>(m, Op::Deleted));
        Ok(())
    }

    /// A set-based update of the rows `q` selects (`q` sets the columns
    /// that change; the audit columns are added here): each row changed is
    /// recorded as `op`. Returns the ids.
    pub async fn update_many<E>(
        &self,
        q: sea_orm::UpdateMany<E>,
        op: Op,
    ) -> Result<Vec<Uuid>, StoreError>
    where
        E: Audited,
    {
        let mut stmt = q.into_query();
        self.stamp.updated_many::<E>(&mut stmt);
        stmt.returning(Query::returning().columns([column::<E>(E::ID), column::<E>("version")]));
        let backend = self.tx.get_database_backend();
        let rows = self.tx.query_all_raw(backend.build(&stmt)).await?;
        let mut ids = Vec::with_capacity(rows.len());
        for row in rows {
            let id: Uuid = row.try_get("", E::ID)?;
            let version: i64 = row.try_get("", "version")?;
            ids.push(id);
            if let Some(record) = E::RECORD {
                self.record(Some(Change {
                    record,
                    id,
                    op,
                    version,
                }));
            }
        }
        Ok(ids)
    }

    /// Commits, after writing what must go with the changes (the journal's
    /// seam); returns the changes.
    pub async fn commit(self) -> Result<Vec<Change>, StoreError> {
        let changes = self
            .changes
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.tx.commit().await?;
        self.counts.committed(&self.stamp, &changes);
        Ok(changes)
    }
}

/// Committed changes per record type and operation, since the process
/// started (`steward_writes_total` in `/metrics`); one per database handle.
#[derive(Debug, Default)]
pub struct WriteCounts(Mutex<BTreeMap<(&'static str, Op), u64>>);

impl WriteCounts {
    /// Counts committed changes (and traces them at debug level with the
    /// stamp's request and user). The writer calls it after its commit; the
    /// coalesced activity statement after its own, per call.
    pub fn committed(&self, stamp: &Stamp, changes: &[Change]) {
        if changes.is_empty() {
            return;
        }
        tracing::debug!(
            request = stamp.request.as_ref().map_or("-", RequestId::as_str),
            by = ?stamp.by,
            ?changes,
            "write committed"
        );
        let mut counts = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        for c in changes {
            *counts.entry((c.record, c.op)).or_default() += 1;
        }
    }

    /// The counts so far.
    pub fn snapshot(&self) -> Vec<(&'static str, Op, u64)> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .map(|((r, o), n)| (*r, *o, *n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::ActiveValue::Set;

    #[test]
    fn every_audited_table_has_the_audit_columns_and_its_id() {
        for (table, cols) in audited_columns() {
            for c in [
                "tenant_id",
                "created_at",
                "created_by",
                "updated_at",
                "updated_by",
                "version",
            ] {
                assert!(cols.iter().any(|x| x == c), "{table} lacks {c}");
            }
        }
    }

    fn product(name: &str) -> entity::product::ActiveModel {
        entity::product::ActiveModel {
            tenant_id: Set(Uuid::nil()),
            id: Set(Uuid::from_u128(7)),
            name: Set(name.into()),
            name_key: Set(name.to_lowercase()),
            active: Set(true),
            ..Default::default()
        }
    }

    #[test]
    fn a_new_row_is_stamped_and_must_be_complete() {
        let by = Uuid::from_u128(42);
        let s = Stamp::now(Some(by), None);
        let m = s
            .created::<entity::product::Entity>(product("Cloud"))
            .expect_err("product lacks columns");
        assert!(m.to_string().contains("incomplete row"), "{m}");
        let full = entity::product::ActiveModel {
            description: Set(None),
            ..product("Cloud")
        };
        let m = s
            .created::<entity::product::Entity>(full)
            .expect("complete row");
        assert_eq!((m.created_by, m.updated_by), (Some(by), Some(by)));
        assert_eq!((m.created_at, m.updated_at), (s.at, s.at));
        assert_eq!(m.version, 1);
        let c = Stamp::change_of::<entity::product::Entity>(m, Op::Created).unwrap();
        assert_eq!(
            c,
            Change {
                record: "product",
                id: Uuid::from_u128(7),
                op: Op::Created,
                version: 1
            }
        );
    }

    #[test]
    fn a_changed_row_gets_the_next_version() {
        let s = Stamp::now(Some(Uuid::from_u128(1)), RequestId::parse("req-1"));
        let mut am = entity::product::ActiveModel {
            version: Set(4),
            ..product("Cloud")
        };
        let loaded = s.updated::<entity::product::Entity>(&mut am).unwrap();
        assert_eq!(loaded, 4);
        assert_eq!(am.version, Set(5));
        assert_eq!(am.updated_by, Set(Some(Uuid::from_u128(1))));
        let mut no_version = product("Cloud");
        assert!(
            s.updated::<entity::product::Entity>(&mut no_version)
                .is_err()
        );
    }

    #[test]
    fn link_rows_are_not_records() {
        let s = Stamp::now(None, None);
        let m = s
            .created::<entity::activity_contact::Entity>(entity::activity_contact::ActiveModel {
                tenant_id: Set(Uuid::nil()),
                activity_id: Set(Uuid::from_u128(1)),
                account_id: Set(Uuid::from_u128(2)),
                contact_id: Set(Uuid::from_u128(3)),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(m.created_by, None);
        assert!(Stamp::change_of::<entity::activity_contact::Entity>(m, Op::Created).is_none());
    }
}
