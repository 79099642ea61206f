//! Recording a signal on Postgres in one statement: the checks, the signal,
//! and the account's stored evidence (`domain::health::Evidence`) moved to
//! the new anchor with the signal's decay factor added, computed in SQL
//! exactly as `Evidence::add` does (`2^(-days / half_life)`), all atomic and
//! in one round trip and one commit. SQLite (and Postgres without the warm
//! connections) take the service's `Writer` transaction instead.
//!
//! Concurrency: the statement locks the account row (`FOR NO KEY UPDATE`:
//! it conflicts with the `FOR UPDATE` of the transactional paths that
//! recompute an account's evidence from its signals (removal, a new
//! half-life), so neither can miss the other's signal, but not with the key
//! locks of foreign-key checks, so a concurrent `logActivity` batch cannot
//! deadlock with it); two recordings on one account serialise on the
//! evidence row (`ON CONFLICT DO UPDATE` works on its latest version).
//!
//! Concurrent recordings of a tenant share one statement (`coalesce`): the
//! batch checks each row on its own, inserts the signals that pass, and
//! merges into each account's evidence the evidence of its new signals
//! (per kind, their decay factors at the latest of their times): two
//! evidence states merge exactly by decaying both to the later anchor.

use super::signals::SignalWrite;
use crate::StoreError;
use crate::entity::{account_health as health, account_signal as signal, health_model};
use crate::write::{Op, Stamp};
use sea_orm::{DbBackend, FromQueryResult, Statement, Value};
use std::sync::{Arc, OnceLock};
use uuid::Uuid;

/// What [`record`] found and did.
#[derive(Debug, Clone)]
pub enum Recorded {
    /// Recorded: the signal, the account's evidence after it, and the
    /// tenant's stored health model (none while the defaults hold).
    Done(Box<Written>),
    /// The account is gone, or the caller who had to be one of its writers
    /// no longer is.
    AccountChanged,
    /// The contact is not a live contact (`Some(other)`: of another
    /// account).
    Contact(Option<Uuid>),
    /// The activity is not a live activity (`Some(other)`: of another
    /// account).
    Activity(Option<Uuid>),
}

/// A recording's rows.
#[derive(Debug, Clone)]
pub struct Written {
    pub signal: signal::Model,
    pub health: health::Model,
    pub model: Option<health_model::Model>,
}

/// The half-life in days a new evidence row gets when the tenant has no
/// model: `domain::health::DEFAULT_HALF_LIFE_DAYS`.
const DEFAULT_HALF_LIFE: i32 = domain::health::DEFAULT_HALF_LIFE_DAYS as i32;

/// `2^(-(to - from) in days / half_life)` in SQL, as `domain::health::decay`.
fn decay(to: &str, from: &str, half_life: &str) -> String {
    format!(
        "power(2.0::float8, -(CAST(EXTRACT(EPOCH FROM ({to} - {from})) AS float8) / 86400.0) / {half_life})"
    )
}

/// The statement (built once: its text never changes, so each connection
/// prepares it once).
fn sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let kinds = domain::signal::SignalKind::ALL;
        let cols = health::SUM_COLUMNS.join(", ");
        let fresh: Vec<String> = kinds
            .iter()
            .map(|k| format!("CASE WHEN $7 = '{}' THEN n.g ELSE 0 END", k.as_str()))
            .collect();
        let anchor = "GREATEST(account_health.anchor_at, EXCLUDED.anchor_at)";
        let moved = decay(anchor, "account_health.anchor_at", "account_health.half_life_days");
        let added = decay(anchor, "$8", "account_health.half_life_days");
        let sets: Vec<String> = kinds
            .iter()
            .zip(health::SUM_COLUMNS)
            .map(|(k, c)| {
                format!(
                    "{c} = account_health.{c} * {moved} + CASE WHEN $7 = '{}' THEN {added} ELSE 0 END",
                    k.as_str()
                )
            })
            .collect();
        let g = decay("GREATEST($10, $8)", "$8", "hh.h");
        format!(
            "WITH acc AS (SELECT a.id FROM accounts a WHERE a.tenant_id = $1 AND a.id = $2 \
                AND a.deleted_at IS NULL AND ($3::uuid IS NULL OR EXISTS (SELECT 1 FROM \
                account_team_members m WHERE m.tenant_id = $1 AND m.account_id = $2 \
                AND m.user_id = $3 AND m.role IN ({roles}))) FOR NO KEY UPDATE), \
             ok AS (SELECT EXISTS (SELECT 1 FROM acc) AS account_ok, \
                (SELECT c.account_id FROM contacts c WHERE c.tenant_id = $1 AND c.id = $4 \
                    AND c.deleted_at IS NULL) AS contact_account, \
                (SELECT x.account_id FROM activities x WHERE x.tenant_id = $1 AND x.id = $5 \
                    AND x.deleted_at IS NULL) AS activity_account), \
             go AS (SELECT 1 AS one FROM ok WHERE ok.account_ok \
                AND ($4::uuid IS NULL OR ok.contact_account = $2) \
                AND ($5::uuid IS NULL OR ok.activity_account = $2)), \
             hm AS (SELECT * FROM health_models WHERE tenant_id = $1), \
             ins AS (INSERT INTO account_signals (tenant_id, id, account_id, contact_id, \
                activity_id, kind, observed_at, note, removal_reason, deleted_at, created_at, \
                created_by, updated_at, updated_by, version) \
                SELECT $1, $6, $2, $4, $5, $7, $8, $9, NULL, NULL, $10, $11, $10, $11, 1 \
                FROM go RETURNING id), \
             up AS (INSERT INTO account_health (tenant_id, id, account_id, anchor_at, {cols}, \
                signal_count, last_signal_at, half_life_days, created_at, created_by, \
                updated_at, updated_by, version) \
                SELECT $1, $12, $2, GREATEST($10, $8), {fresh}, 1, $8, n.h, $10, $11, $10, $11, 1 \
                FROM ins CROSS JOIN (SELECT hh.h, {g} AS g FROM (SELECT COALESCE(\
                    (SELECT half_life_days FROM hm), $13) AS h) hh) n \
                ON CONFLICT (tenant_id, account_id) DO UPDATE SET \
                anchor_at = {anchor}, {sets}, \
                signal_count = account_health.signal_count + 1, \
                last_signal_at = GREATEST(account_health.last_signal_at, EXCLUDED.last_signal_at), \
                updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, \
                version = account_health.version + 1 \
                RETURNING account_health.*) \
             SELECT ok.account_ok, ok.contact_account, ok.activity_account, up.*, {model_cols} \
             FROM ok LEFT JOIN up ON true LEFT JOIN hm ON true",
            roles = super::activities::WRITING_ROLES,
            fresh = fresh.join(", "),
            sets = sets.join(", "),
            model_cols = model_cols(),
        )
    })
}

/// The tenant's model row, its columns prefixed `m_`.
fn model_cols() -> String {
    [
        "tenant_id",
        "id",
        "half_life_days",
        "healthy_from",
        "jeopardy_below",
        "weights",
        "created_at",
        "created_by",
        "updated_at",
        "updated_by",
        "version",
    ]
    .map(|c| format!("hm.{c} AS m_{c}"))
    .join(", ")
}

/// The batch statement (rows as arrays, so its text is the same for every
/// batch size). Each row's evidence is merged at the account's new anchor:
/// `EXCLUDED` holds the batch's evidence of the account at `a0` (the latest
/// of its rows' times), the stored row its own at its anchor.
fn batch_sql() -> &'static str {
    static SQL: OnceLock<String> = OnceLock::new();
    SQL.get_or_init(|| {
        let kinds = domain::signal::SignalKind::ALL;
        let cols = health::SUM_COLUMNS.join(", ");
        let g = decay("agg.a0", "go.observed_at", "hh.h");
        let fresh: Vec<String> = kinds
            .iter()
            .zip(health::SUM_COLUMNS)
            .map(|(k, c)| {
                format!(
                    "SUM(CASE WHEN go.kind = '{}' THEN {g} ELSE 0 END) AS {c}",
                    k.as_str()
                )
            })
            .collect();
        let picked: Vec<String> = health::SUM_COLUMNS
            .iter()
            .map(|c| format!("m.{c}"))
            .collect();
        let anchor = "GREATEST(account_health.anchor_at, EXCLUDED.anchor_at)";
        let old = decay(
            anchor,
            "account_health.anchor_at",
            "account_health.half_life_days",
        );
        let new = decay(
            anchor,
            "EXCLUDED.anchor_at",
            "account_health.half_life_days",
        );
        let sets: Vec<String> = health::SUM_COLUMNS
            .iter()
            .map(|c| format!("{c} = account_health.{c} * {old} + EXCLUDED.{c} * {new}"))
            .collect();
        format!(
            "WITH it AS (SELECT * FROM unnest($2::int4[], $3::uuid[], $4::uuid[], $5::uuid[], \
                $6::uuid[], $7::uuid[], $8::text[], $9::timestamptz[], $10::text[], \
                $11::timestamptz[], $12::uuid[], $13::uuid[]) AS it(i, id, account_id, writer, \
                contact_id, activity_id, kind, observed_at, note, at, by, hid)), \
             acc AS (SELECT a.id FROM accounts a WHERE a.tenant_id = $1 AND a.id IN \
                (SELECT account_id FROM it) AND a.deleted_at IS NULL ORDER BY a.id \
                FOR NO KEY UPDATE), \
             ok AS (SELECT it.*, EXISTS (SELECT 1 FROM acc WHERE acc.id = it.account_id) \
                AND (it.writer IS NULL OR EXISTS (SELECT 1 FROM account_team_members m \
                    WHERE m.tenant_id = $1 AND m.account_id = it.account_id \
                    AND m.user_id = it.writer AND m.role IN ({roles}))) AS account_ok, \
                (SELECT c.account_id FROM contacts c WHERE c.tenant_id = $1 \
                    AND c.id = it.contact_id AND c.deleted_at IS NULL) AS contact_account, \
                (SELECT x.account_id FROM activities x WHERE x.tenant_id = $1 \
                    AND x.id = it.activity_id AND x.deleted_at IS NULL) AS activity_account \
                FROM it), \
             go AS (SELECT * FROM ok WHERE account_ok \
                AND (contact_id IS NULL OR contact_account = account_id) \
                AND (activity_id IS NULL OR activity_account = account_id)), \
             hm AS (SELECT * FROM health_models WHERE tenant_id = $1), \
             hh AS (SELECT COALESCE((SELECT half_life_days FROM hm), $14) AS h), \
             ins AS (INSERT INTO account_signals (tenant_id, id, account_id, contact_id, \
                activity_id, kind, observed_at, note, removal_reason, deleted_at, created_at, \
                created_by, updated_at, updated_by, version) \
                SELECT $1, id, account_id, contact_id, activity_id, kind, observed_at, note, \
                NULL, NULL, at, by, at, by, 1 FROM go RETURNING id), \
             agg AS (SELECT account_id, MAX(GREATEST(at, observed_at)) AS a0, MIN(i) AS first \
                FROM go GROUP BY account_id), \
             merged AS (SELECT agg.account_id, agg.a0, hh.h, {fresh}, COUNT(*) AS n, \
                MAX(go.observed_at) AS last, MAX(go.at) AS at, \
                (SELECT f.by FROM go f WHERE f.i = agg.first) AS by, \
                (SELECT f.hid FROM go f WHERE f.i = agg.first) AS hid \
                FROM agg JOIN go ON go.account_id = agg.account_id CROSS JOIN hh \
                GROUP BY agg.account_id, agg.a0, agg.first, hh.h), \
             up AS (INSERT INTO account_health (tenant_id, id, account_id, anchor_at, {cols}, \
                signal_count, last_signal_at, half_life_days, created_at, created_by, \
                updated_at, updated_by, version) \
                SELECT $1, m.hid, m.account_id, m.a0, {picked}, m.n, m.last, m.h, m.at, m.by, \
                m.at, m.by, 1 FROM merged m \
                ON CONFLICT (tenant_id, account_id) DO UPDATE SET \
                anchor_at = {anchor}, {sets}, \
                signal_count = account_health.signal_count + EXCLUDED.signal_count, \
                last_signal_at = GREATEST(account_health.last_signal_at, EXCLUDED.last_signal_at), \
                updated_at = EXCLUDED.updated_at, updated_by = EXCLUDED.updated_by, \
                version = account_health.version + 1 \
                RETURNING account_health.*) \
             SELECT ok.i, ok.account_ok, ok.contact_account, ok.activity_account, up.*, \
                {model_cols} \
             FROM ok LEFT JOIN up ON up.account_id = ok.account_id LEFT JOIN hm ON true \
             ORDER BY ok.i",
            roles = super::activities::WRITING_ROLES,
            fresh = fresh.join(", "),
            sets = sets.join(", "),
            picked = picked.join(", "),
            model_cols = model_cols(),
        )
    })
}

/// A signal to record with what the statement checks.
#[derive(Debug)]
pub(crate) struct Checked {
    signal: signal::Model,
    /// The user who must be one of the account's writers (none: anyone).
    writer: Option<Uuid>,
    /// The id of the account's evidence row if this creates it.
    health_id: Uuid,
}

/// Records a signal (a row [`Stamp::created`] stamped) and adds it to the
/// account's evidence in one statement, if the account is live (and, when
/// `writer` is given, that user is one of its writers) and the contact and
/// activity named are live and of the same account. Postgres only;
/// concurrent calls of a tenant share one statement (`coalesce`). The change
/// is counted after the commit like every other write.
pub async fn record(
    db: &crate::Db,
    stamp: Stamp,
    s: SignalWrite,
    writer: Option<Uuid>,
) -> Result<Recorded, StoreError> {
    let m = signal::Model {
        tenant_id: s.tenant,
        id: Uuid::now_v7(),
        account_id: s.account,
        contact_id: s.contact,
        activity_id: s.activity,
        kind: s.kind.as_str().to_owned(),
        observed_at: s.observed_at,
        note: s.note,
        removal_reason: None,
        deleted_at: None,
        created_at: stamp.at,
        created_by: stamp.by,
        updated_at: stamp.at,
        updated_by: stamp.by,
        version: 1,
    };
    let row = Arc::new(Checked {
        signal: m,
        writer,
        health_id: Uuid::now_v7(),
    });
    let out = match db.coalesced() {
        Some(c) => {
            c.signal_inserts
                .run(s.tenant, row, |rows| record_rows(db, rows))
                .await?
        }
        None => record_one(db, &row).await?,
    };
    if let Recorded::Done(w) = &out {
        let change = Stamp::change_of::<signal::Entity>(w.signal.clone(), Op::Created);
        db.write_counts().committed(&stamp, change.as_slice());
    }
    Ok(out)
}

/// A batch of one runs the single-row statement (Postgres keeps a generic
/// plan for it), larger ones the array form.
async fn record_rows(db: &crate::Db, rows: Vec<Arc<Checked>>) -> Result<Vec<Recorded>, StoreError> {
    match rows.as_slice() {
        [one] => Ok(vec![record_one(db, one).await?]),
        _ => record_batch(db, &rows).await,
    }
}

async fn record_one(db: &crate::Db, row: &Checked) -> Result<Recorded, StoreError> {
    let m = &row.signal;
    let values: Vec<Value> = vec![
        m.tenant_id.into(),
        m.account_id.into(),
        row.writer.into(),
        m.contact_id.into(),
        m.activity_id.into(),
        m.id.into(),
        m.kind.clone().into(),
        m.observed_at.into(),
        m.note.clone().into(),
        m.created_at.into(),
        m.created_by.into(),
        row.health_id.into(),
        DEFAULT_HALF_LIFE.into(),
    ];
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, sql(), values);
    let result = db
        .query_all(stmt)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| StoreError::Internal("record signal: no result row".into()))?;
    outcome(&result, m)
}

async fn record_batch(db: &crate::Db, rows: &[Arc<Checked>]) -> Result<Vec<Recorded>, StoreError> {
    let Some(tenant) = rows.first().map(|r| r.signal.tenant_id) else {
        return Ok(Vec::new());
    };
    if rows.iter().any(|r| r.signal.tenant_id != tenant) {
        return Err(StoreError::Internal("signal batch spans tenants".into()));
    }
    // One array per column, a row's value (or NULL) at its index.
    fn col<'r, T>(rows: &'r [Arc<Checked>], f: impl Fn(&'r Checked) -> T) -> Vec<T> {
        rows.iter().map(|r| f(r)).collect()
    }
    let index = |k: usize| i32::try_from(k).unwrap_or(i32::MAX);
    let query = sea_orm::sqlx::query(batch_sql())
        .bind(tenant)
        .bind((0..rows.len()).map(index).collect::<Vec<_>>())
        .bind(col(rows, |r| r.signal.id))
        .bind(col(rows, |r| r.signal.account_id))
        .bind(col(rows, |r| r.writer))
        .bind(col(rows, |r| r.signal.contact_id))
        .bind(col(rows, |r| r.signal.activity_id))
        .bind(col(rows, |r| r.signal.kind.as_str()))
        .bind(col(rows, |r| r.signal.observed_at))
        .bind(col(rows, |r| r.signal.note.as_deref()))
        .bind(col(rows, |r| r.signal.created_at))
        .bind(col(rows, |r| r.signal.created_by))
        .bind(col(rows, |r| r.health_id))
        .bind(DEFAULT_HALF_LIFE);
    let results: Vec<sea_orm::QueryResult> = db
        .pg_fetch_all(query)
        .await?
        .into_iter()
        .map(sea_orm::QueryResult::from)
        .collect();
    if results.len() != rows.len() {
        return Err(StoreError::Internal(format!(
            "signal batch: {} results for {} rows",
            results.len(),
            rows.len()
        )));
    }
    results
        .iter()
        .zip(rows)
        .map(|(r, row)| outcome(r, &row.signal))
        .collect()
}

/// What one row of either statement says about `m`.
fn outcome(row: &sea_orm::QueryResult, m: &signal::Model) -> Result<Recorded, StoreError> {
    if !row.try_get::<bool>("", "account_ok")? {
        return Ok(Recorded::AccountChanged);
    }
    let contact: Option<Uuid> = row.try_get("", "contact_account")?;
    if m.contact_id.is_some() && contact != Some(m.account_id) {
        return Ok(Recorded::Contact(contact));
    }
    let activity: Option<Uuid> = row.try_get("", "activity_account")?;
    if m.activity_id.is_some() && activity != Some(m.account_id) {
        return Ok(Recorded::Activity(activity));
    }
    let health = health::Model::from_query_result(row, "")?;
    let model = match row.try_get::<Option<Uuid>>("", "m_id")? {
        Some(_) => Some(health_model::Model::from_query_result(row, "m_")?),
        None => None,
    };
    Ok(Recorded::Done(Box::new(Written {
        signal: m.clone(),
        health,
        model,
    })))
}
