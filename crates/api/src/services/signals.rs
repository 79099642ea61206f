//! Evidence signals (recorded and removed by the account's writers), each
//! account's stored evidence, kept in the same transaction as the signals
//! (`domain::health`: added to on record, recomputed on removal and when
//! the half-life changes), and the tenant's health model (admins).

use super::profiles::writable_account;
use super::team::writable_record;
use super::writer;
use crate::error::{ApiError, ApiResult};
use chrono::{DateTime, Duration, Utc};
use domain::health::{Evidence, HealthModel, HealthModelPatch};
use domain::jeopardy::AlertRule;
use domain::signal::{Signal, SignalInput, SignalKind, removal_reason};
use domain::{AccountId, Action, Principal, Record, TenantId, authorize};
use persistence::entity::{account_health as health, account_signal as signal, health_model};
use persistence::repo::signal_write::{self, Recorded, Written};
use persistence::repo::signals::SignalWrite;
use persistence::repo::{accounts, activities, contacts, signals, tenants};
use persistence::write::{Op, Stamp, Writer};
use persistence::{ConnectionTrait, Db, Set, StoreError};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// What a signal names besides its account.
#[derive(Debug, Clone, Copy, Default)]
pub struct SignalLinks {
    pub contact: Option<Uuid>,
    pub activity: Option<Uuid>,
}

/// A signal as recorded, with the account's evidence after it and the
/// tenant's model: what the payload's health is computed from, without a
/// read.
#[derive(Debug, Clone)]
pub struct RecordedSignal {
    pub signal: signal::Model,
    pub health: health::Model,
    pub model: HealthModel,
}

/// Records a signal and adds it to the account's evidence: on Postgres in
/// one statement (`repo::signal_write`), on SQLite in a `Writer`
/// transaction; the same checks either way.
pub async fn record(
    db: &Db,
    p: &Principal,
    account: AccountId,
    links: SignalLinks,
    input: SignalInput,
) -> ApiResult<RecordedSignal> {
    let stamp = Stamp::now(Some(p.user_id.0), p.request);
    let s = Signal::parse(input, stamp.at)?;
    let r = if db.is_postgres() {
        record_pg(db, p, stamp, account, links, s.clone()).await?
    } else {
        record_tx(db, p, account, links, s.clone()).await?
    };
    // Good news of the last 30 days cannot raise an alert (it raises the
    // score, the 30-day change and the net of recent signals); bad news,
    // and good news backdated further (it also lifts the score of 30 days
    // ago), are evaluated.
    let good = s.kind.info().polarity == domain::signal::Polarity::Positive;
    if !good || s.observed_at < stamp.at - chrono::Duration::days(30) {
        super::alerts::after_change(db, p, r.signal.account_id, AlertRule::SIGNALS).await;
    }
    Ok(r)
}

/// The one-statement path. Managers may record on any account (the
/// statement checks that it exists); others are authorised against their
/// place on its team read here, which the statement re-checks atomically,
/// as `logActivity` does.
async fn record_pg(
    db: &Db,
    p: &Principal,
    stamp: Stamp,
    account: AccountId,
    links: SignalLinks,
    s: Signal,
) -> ApiResult<RecordedSignal> {
    let writer = super::team::statement_writer(db, p, Action::Update, account.0).await?;
    let write = SignalWrite {
        tenant: p.tenant_id.0,
        account: account.0,
        contact: links.contact,
        activity: links.activity,
        kind: s.kind,
        observed_at: s.observed_at,
        note: s.note,
    };
    match signal_write::record(db, stamp, write, writer).await? {
        Recorded::Done(done) => {
            let Written {
                signal,
                health,
                model,
            } = *done;
            let model = model.as_ref().map(parse_model).unwrap_or_default();
            // Kept with another half-life than the model's (a model change
            // raced this account's first signal): recompute.
            let health = if health.half_life_days == i32::from(model.half_life_days) {
                health
            } else {
                heal(db, p, signal.account_id).await?
            };
            Ok(RecordedSignal {
                signal,
                health,
                model,
            })
        }
        Recorded::AccountChanged if writer.is_none() => {
            Err(ApiError::not_found_in("account", "accountId"))
        }
        Recorded::AccountChanged => Err(super::changed_meanwhile()),
        Recorded::Contact(None) => Err(ApiError::not_found_in("contact", "contactId")),
        Recorded::Contact(Some(_)) => Err(elsewhere("contactId", "contact")),
        Recorded::Activity(None) => Err(ApiError::not_found_in("activity", "activityId")),
        Recorded::Activity(Some(_)) => Err(elsewhere("activityId", "activity")),
    }
}

fn elsewhere(field: &str, what: &str) -> ApiError {
    let article = if what.starts_with('a') { "an" } else { "a" };
    ApiError::validation(field, &format!("is {article} {what} of another account"))
}

/// Recomputes an account's evidence with the model's half-life.
async fn heal(db: &Db, p: &Principal, account: Uuid) -> ApiResult<health::Model> {
    let w = writer(db, p).await?;
    accounts::get_for_update(w.conn(), p.tenant_id, AccountId(account)).await?;
    let model = model_of(w.conn(), p.tenant_id).await?;
    let row = signals::health_of(w.conn(), p.tenant_id, &[account])
        .await?
        .pop();
    let h = recompute(&w, p.tenant_id, account, row, model.half_life_days).await?;
    w.commit().await?;
    Ok(h)
}

/// The transactional path (SQLite): under the account's row lock.
async fn record_tx(
    db: &Db,
    p: &Principal,
    account: AccountId,
    links: SignalLinks,
    s: Signal,
) -> ApiResult<RecordedSignal> {
    let w = writer(db, p).await?;
    let account = writable_account(&w, p, account).await?;
    if let Some(c) = links.contact {
        let c = contacts::by_ids(w.conn(), p.tenant_id, &[c])
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found_in("contact", "contactId"))?;
        if c.account_id != account {
            return Err(elsewhere("contactId", "contact"));
        }
    }
    if let Some(a) = links.activity {
        let a = activities::by_ids(w.conn(), p.tenant_id, &[a])
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found_in("activity", "activityId"))?;
        if a.account_id != account {
            return Err(elsewhere("activityId", "activity"));
        }
    }
    let m = w
        .insert::<signal::Entity>(signal::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(account),
            contact_id: Set(links.contact),
            activity_id: Set(links.activity),
            kind: Set(s.kind.as_str().to_owned()),
            observed_at: Set(s.observed_at),
            note: Set(s.note),
            removal_reason: Set(None),
            deleted_at: Set(None),
            ..Default::default()
        })
        .await?;
    let model = model_of(w.conn(), p.tenant_id).await?;
    let row = signals::health_of(w.conn(), p.tenant_id, &[account])
        .await?
        .pop();
    let health = match row {
        Some(row) if row.half_life_days == i32::from(model.half_life_days) => {
            let mut ev = evidence_of(&row);
            ev.add(model.half_life_days, s.kind, s.observed_at, w.at());
            save(
                &w,
                p.tenant_id,
                account,
                Some(row),
                &ev,
                model.half_life_days,
            )
            .await?
        }
        row => recompute(&w, p.tenant_id, account, row, model.half_life_days).await?,
    };
    w.commit().await?;
    Ok(RecordedSignal {
        signal: m,
        health,
        model,
    })
}

/// Removes a signal (a tombstone with the reason stays) and recomputes the
/// account's evidence without it.
pub async fn remove(db: &Db, p: &Principal, id: Uuid, reason: &str) -> ApiResult<signal::Model> {
    let reason = removal_reason(reason)?;
    let w = writer(db, p).await?;
    let found = signals::for_update(w.conn(), p.tenant_id, id).await?;
    let mut m = writable_record(&w, p, found, "signal", |m| m.account_id).await?;
    accounts::get_for_update(w.conn(), p.tenant_id, AccountId(m.account_id)).await?;
    m.deleted_at = Some(w.at());
    m.removal_reason = Some(reason);
    let m = w.update::<signal::Entity>(m, Op::Deleted).await?;
    let model = model_of(w.conn(), p.tenant_id).await?;
    let row = signals::health_of(w.conn(), p.tenant_id, &[m.account_id])
        .await?
        .pop();
    recompute(&w, p.tenant_id, m.account_id, row, model.half_life_days).await?;
    w.commit().await?;
    super::alerts::after_change(db, p, m.account_id, AlertRule::SIGNALS).await;
    Ok(m)
}

/// The account's evidence from its live signals.
async fn recompute(
    w: &Writer,
    tenant: TenantId,
    account: Uuid,
    row: Option<health::Model>,
    half_life: u16,
) -> ApiResult<health::Model> {
    let evidence = signals::evidence_of(w.conn(), tenant, Some(&[account]), None).await?;
    let ev = Evidence::of(
        half_life,
        evidence
            .iter()
            .filter_map(|(_, k, at)| Some((SignalKind::from_str_opt(k)?, *at))),
        w.at(),
    );
    save(w, tenant, account, row, &ev, half_life).await
}

async fn save(
    w: &Writer,
    tenant: TenantId,
    account: Uuid,
    row: Option<health::Model>,
    ev: &Evidence,
    half_life: u16,
) -> ApiResult<health::Model> {
    let count = i64::try_from(ev.count).unwrap_or(i64::MAX);
    match row {
        Some(mut r) => {
            r.anchor_at = ev.anchor;
            r.set_sums(&ev.sums);
            r.signal_count = count;
            r.last_signal_at = ev.last_at;
            r.half_life_days = i32::from(half_life);
            Ok(w.update::<health::Entity>(r, Op::Updated).await?)
        }
        None => {
            let mut am = health::ActiveModel {
                tenant_id: Set(tenant.0),
                id: Set(Uuid::now_v7()),
                account_id: Set(account),
                anchor_at: Set(ev.anchor),
                signal_count: Set(count),
                last_signal_at: Set(ev.last_at),
                half_life_days: Set(i32::from(half_life)),
                ..Default::default()
            };
            health::set_sums(&mut am, &ev.sums);
            Ok(w.insert::<health::Entity>(am).await?)
        }
    }
}

/// An account's stored evidence as the domain sees it.
pub fn evidence_of(row: &health::Model) -> Evidence {
    Evidence {
        anchor: row.anchor_at,
        sums: row.sums(),
        count: u64::try_from(row.signal_count).unwrap_or_default(),
        last_at: row.last_signal_at,
    }
}

/// The tenant's health model (the defaults until an admin changes it).
pub async fn model_of(conn: &impl ConnectionTrait, tenant: TenantId) -> ApiResult<HealthModel> {
    Ok(signals::model(conn, tenant)
        .await?
        .map(|m| parse_model(&m))
        .unwrap_or_default())
}

/// A stored model as the domain sees it (kinds it does not name keep
/// their default weight).
pub fn parse_model(m: &health_model::Model) -> HealthModel {
    let mut model = HealthModel {
        half_life_days: u16::try_from(m.half_life_days)
            .unwrap_or(domain::health::DEFAULT_HALF_LIFE_DAYS),
        healthy_from: u8::try_from(m.healthy_from).unwrap_or(domain::health::DEFAULT_HEALTHY_FROM),
        jeopardy_below: u8::try_from(m.jeopardy_below)
            .unwrap_or(domain::health::DEFAULT_JEOPARDY_BELOW),
        ..HealthModel::default()
    };
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&m.weights) {
        for (k, v) in map {
            if let (Some(k), Some(w)) = (
                SignalKind::from_str_opt(&k),
                v.as_u64().and_then(|v| u8::try_from(v).ok()),
            ) {
                model.weights[k.index()] = w;
            }
        }
    }
    model
}

fn weights_json(model: &HealthModel) -> String {
    let map: serde_json::Map<String, serde_json::Value> = SignalKind::ALL
        .iter()
        .map(|k| (k.as_str().to_owned(), serde_json::json!(model.weight(*k))))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Changes the tenant's health model (admins). A new half-life recomputes
/// the stored evidence of every account of the tenant in the same
/// transaction; weights and thresholds apply when read.
pub async fn set_model(db: &Db, p: &Principal, patch: HealthModelPatch) -> ApiResult<ModelView> {
    authorize(p, Action::Update, Record::Tenant)?;
    let w = writer(db, p).await?;
    tenants::lock_for_user_admin(w.conn(), p.tenant_id).await?;
    let row = signals::model(w.conn(), p.tenant_id).await?;
    let mut model = row.as_ref().map(parse_model).unwrap_or_default();
    let half_life_changed = model.apply(patch)?;
    let m = match row {
        Some(mut r) => {
            r.half_life_days = i32::from(model.half_life_days);
            r.healthy_from = i32::from(model.healthy_from);
            r.jeopardy_below = i32::from(model.jeopardy_below);
            r.weights = weights_json(&model);
            w.update::<health_model::Entity>(r, Op::Updated).await?
        }
        None => {
            w.insert::<health_model::Entity>(health_model::ActiveModel {
                tenant_id: Set(p.tenant_id.0),
                id: Set(Uuid::now_v7()),
                half_life_days: Set(i32::from(model.half_life_days)),
                healthy_from: Set(i32::from(model.healthy_from)),
                jeopardy_below: Set(i32::from(model.jeopardy_below)),
                weights: Set(weights_json(&model)),
                ..Default::default()
            })
            .await?
        }
    };
    if half_life_changed {
        recompute_tenant(&w, p.tenant_id, model.half_life_days).await?;
    }
    w.commit().await?;
    Ok(view(Some(&m)))
}

/// Every account's evidence recomputed with `half_life` (one read of the
/// tenant's signals, one write per account with signals).
async fn recompute_tenant(w: &Writer, tenant: TenantId, half_life: u16) -> ApiResult<()> {
    let mut by_account: HashMap<Uuid, Vec<(SignalKind, DateTime<Utc>)>> = HashMap::new();
    for (a, k, at) in signals::evidence_of(w.conn(), tenant, None, None).await? {
        if let Some(k) = SignalKind::from_str_opt(&k) {
            by_account.entry(a).or_default().push((k, at));
        }
    }
    for row in signals::all_health(w.conn(), tenant).await? {
        let account = row.account_id;
        let ev = Evidence::of(
            half_life,
            by_account.remove(&account).unwrap_or_default(),
            w.at(),
        );
        save(w, tenant, account, Some(row), &ev, half_life).await?;
    }
    Ok(())
}

/// The first moment of the trend's window before `now`: signals observed
/// after it are read with the stored evidence.
pub fn trend_since(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(domain::health::TREND_DAYS[1])
}

/// An account's health as read at one moment: the score and trend
/// (`None` without evidence), the shares, and what backs them.
#[derive(Debug, Clone)]
pub struct HealthView {
    pub account: Uuid,
    pub health: Option<domain::health::Health>,
    /// Heart, mind and wallet share (`Dimension::index`).
    pub shares: [Option<u8>; 3],
    pub signal_count: u64,
    pub last_signal_at: Option<DateTime<Utc>>,
}

/// The tenant's model, as a store read (the read paths' error type).
pub(crate) async fn model_read(db: &Db, tenant: TenantId) -> Result<HealthModel, StoreError> {
    Ok(signals::model(db.read(), tenant)
        .await?
        .map(|m| parse_model(&m))
        .unwrap_or_default())
}

/// The health of these accounts now: three statements whatever their
/// number (the model, their stored evidence, their signals of the last 90
/// days for the trend).
pub async fn health_views(
    db: &Db,
    tenant: TenantId,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, HealthView>, StoreError> {
    let now = Utc::now();
    let rows = signals::health_of(db.read(), tenant, ids).await?;
    let mut out: HashMap<Uuid, HealthView> = ids
        .iter()
        .map(|a| {
            let v = HealthView {
                account: *a,
                health: None,
                shares: [None; 3],
                signal_count: 0,
                last_signal_at: None,
            };
            (*a, v)
        })
        .collect();
    let rows: Vec<_> = rows.into_iter().filter(|r| r.signal_count > 0).collect();
    if rows.is_empty() {
        return Ok(out);
    }
    let model = model_read(db, tenant).await?;
    let with: Vec<Uuid> = rows.iter().map(|r| r.account_id).collect();
    let mut recent: HashMap<Uuid, Vec<(SignalKind, DateTime<Utc>)>> = HashMap::new();
    for (a, k, at) in
        signals::evidence_of(db.read(), tenant, Some(&with), Some(trend_since(now))).await?
    {
        if let Some(k) = SignalKind::from_str_opt(&k) {
            recent.entry(a).or_default().push((k, at));
        }
    }
    for row in rows {
        let r = recent.remove(&row.account_id).unwrap_or_default();
        out.insert(row.account_id, view_of(&model, &row, &r, now));
    }
    Ok(out)
}

/// An account's health at `now` from its stored evidence (decayed with the
/// half-life it was kept with) and its signals of the last 90 days.
fn view_of(
    model: &HealthModel,
    row: &health::Model,
    recent: &[(SignalKind, DateTime<Utc>)],
    now: DateTime<Utc>,
) -> HealthView {
    let ev = evidence_of(row);
    let m = HealthModel {
        half_life_days: u16::try_from(row.half_life_days).unwrap_or(model.half_life_days),
        ..model.clone()
    };
    HealthView {
        account: row.account_id,
        health: domain::health::health(&m, &ev, recent, now),
        shares: domain::health::shares(&m, &ev, now),
        signal_count: ev.count,
        last_signal_at: ev.last_at,
    }
}

/// The health after a recording, from the evidence it wrote. The 30- and
/// 90-day changes (`trend`) need the account's signals of the last 90 days:
/// read only when `trend` is asked for; without it the changes are not
/// computed and must not be shown.
pub async fn written_health(
    db: &Db,
    tenant: TenantId,
    r: &RecordedSignal,
    trend: bool,
) -> Result<HealthView, StoreError> {
    let now = Utc::now();
    let account = r.health.account_id;
    let recent: Vec<(SignalKind, DateTime<Utc>)> = if trend {
        signals::evidence_of(db.read(), tenant, Some(&[account]), Some(trend_since(now)))
            .await?
            .into_iter()
            .filter_map(|(_, k, at)| Some((SignalKind::from_str_opt(&k)?, at)))
            .collect()
    } else {
        Vec::new()
    };
    Ok(view_of(&r.model, &r.health, &recent, now))
}

/// A driver of an account's score: the signal and its part.
#[derive(Debug, Clone)]
pub struct DriverView {
    pub signal: Arc<signal::Model>,
    pub contribution: f64,
    pub weight: f64,
}

/// The `n` drivers of an account's score now, from all its live signals.
pub fn drivers_of(model: &HealthModel, rows: &[Arc<signal::Model>], n: usize) -> Vec<DriverView> {
    let signals: Vec<(SignalKind, DateTime<Utc>)> = rows
        .iter()
        .map(|s| {
            (
                SignalKind::from_str_opt(&s.kind).unwrap_or(SignalKind::MeetingAccepted),
                s.observed_at,
            )
        })
        .collect();
    domain::health::drivers(model, &signals, Utc::now(), n)
        .into_iter()
        .map(|d| DriverView {
            signal: rows[d.index].clone(),
            contribution: d.contribution,
            weight: d.weight,
        })
        .collect()
}

/// The tenant's model as shown: with its version and last change (none
/// while the defaults hold).
#[derive(Debug, Clone)]
pub struct ModelView {
    pub model: HealthModel,
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

/// The tenant's model as shown.
pub async fn model_view(db: &Db, tenant: TenantId) -> ApiResult<ModelView> {
    let row = signals::model(db.read(), tenant).await?;
    Ok(view(row.as_ref()))
}

fn view(row: Option<&health_model::Model>) -> ModelView {
    ModelView {
        model: row.map(parse_model).unwrap_or_default(),
        version: row.map_or(0, |r| r.version),
        updated_at: row.map(|r| r.updated_at),
    }
}
