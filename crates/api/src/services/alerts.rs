//! Jeopardy alerts (`domain::jeopardy`): the rules evaluated for accounts
//! (after the evidence of an account changed, for the rules that read it;
//! on a schedule inside `steward serve` for all; on demand by an admin),
//! raised once per account and rule while unresolved (the partial unique
//! index makes that hold across concurrent evaluations and processes),
//! acknowledged and resolved by the account's writers; each tenant's
//! thresholds (admins).

use super::team::writable_record;
use super::writer;
use crate::error::{ApiError, ApiResult};
use chrono::{DateTime, Duration, Utc};
use domain::account::Tier;
use domain::contact::{BuyingRole, ContactStatus};
use domain::jeopardy::{
    AlertRule, AlertSettings, AlertSettingsPatch, AlertStatus, Facts, KeyContact, Renewal,
    evaluate as rules_of,
};
use domain::signal::{Polarity, SignalKind};
use domain::{Action, Principal, Record, TenantId, authorize};
use persistence::entity::{alert_setting, jeopardy_alert as alert};
use persistence::repo::{alerts, contracts, coverage, signals, tenants};
use persistence::write::{Op, Writer};
use persistence::{Db, Set, StoreError};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Accounts judged per batch.
const BATCH: usize = 500;
/// Longest note on an acknowledgement or a resolution.
pub const MAX_NOTE: usize = 2000;

/// The tenant's thresholds as shown: with version and last change (none
/// while the defaults hold).
#[derive(Debug, Clone)]
pub struct SettingsView {
    pub settings: AlertSettings,
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

fn parse_settings(m: &alert_setting::Model) -> AlertSettings {
    let d = AlertSettings::default();
    let mut s = AlertSettings {
        health_below: u8::try_from(m.health_below).unwrap_or(d.health_below),
        drop_points: u8::try_from(m.drop_points).unwrap_or(d.drop_points),
        renewal_window_days: u16::try_from(m.renewal_window_days).unwrap_or(d.renewal_window_days),
        renewal_signal_days: u16::try_from(m.renewal_signal_days).unwrap_or(d.renewal_signal_days),
        cadence_days: d.cadence_days,
    };
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(&m.cadence_days) {
        for (i, t) in Tier::ALL.iter().enumerate() {
            if let Some(v) = map
                .get(t.as_str())
                .and_then(serde_json::Value::as_u64)
                .and_then(|v| u16::try_from(v).ok())
            {
                s.cadence_days[i] = v;
            }
        }
    }
    s
}

fn view(row: Option<&alert_setting::Model>) -> SettingsView {
    SettingsView {
        settings: row.map(parse_settings).unwrap_or_default(),
        version: row.map_or(0, |r| r.version),
        updated_at: row.map(|r| r.updated_at),
    }
}

/// The tenant's thresholds as shown.
pub async fn settings_view(db: &Db, tenant: TenantId) -> ApiResult<SettingsView> {
    Ok(view(alerts::settings(db.read(), tenant).await?.as_ref()))
}

fn cadence_json(s: &AlertSettings) -> String {
    let map: serde_json::Map<String, serde_json::Value> = Tier::ALL
        .iter()
        .map(|t| (t.as_str().to_owned(), serde_json::json!(s.cadence(*t))))
        .collect();
    serde_json::Value::Object(map).to_string()
}

/// Changes the tenant's thresholds (admins).
pub async fn set_settings(
    db: &Db,
    p: &Principal,
    patch: AlertSettingsPatch,
) -> ApiResult<SettingsView> {
    authorize(p, Action::Update, Record::Tenant)?;
    let w = writer(db, p).await?;
    tenants::lock_for_user_admin(w.conn(), p.tenant_id).await?;
    let row = alerts::settings(w.conn(), p.tenant_id).await?;
    let mut s = row.as_ref().map(parse_settings).unwrap_or_default();
    s.apply(patch)?;
    let m = match row {
        Some(mut r) => {
            r.health_below = i32::from(s.health_below);
            r.drop_points = i32::from(s.drop_points);
            r.renewal_window_days = i32::from(s.renewal_window_days);
            r.renewal_signal_days = i32::from(s.renewal_signal_days);
            r.cadence_days = cadence_json(&s);
            w.update::<alert_setting::Entity>(r, Op::Updated).await?
        }
        None => {
            w.insert::<alert_setting::Entity>(alert_setting::ActiveModel {
                tenant_id: Set(p.tenant_id.0),
                id: Set(Uuid::now_v7()),
                health_below: Set(i32::from(s.health_below)),
                drop_points: Set(i32::from(s.drop_points)),
                renewal_window_days: Set(i32::from(s.renewal_window_days)),
                renewal_signal_days: Set(i32::from(s.renewal_signal_days)),
                cadence_days: Set(cadence_json(&s)),
                ..Default::default()
            })
            .await?
        }
    };
    w.commit().await?;
    Ok(view(Some(&m)))
}

/// What an evaluation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evaluated {
    pub accounts: u64,
    pub raised: u64,
}

/// Evaluates `rules` for `accounts` of the tenant (every judged account
/// when `None`) and raises the alerts that hold and are not open yet.
/// `by` is who caused it (none for the schedule). Idempotent.
pub async fn evaluate(
    db: &Db,
    tenant: TenantId,
    accounts: Option<&[Uuid]>,
    rules: &[AlertRule],
    by: Option<Uuid>,
) -> Result<Evaluated, StoreError> {
    let conn = db.read();
    let judged = alerts::judged_accounts(conn, tenant, accounts).await?;
    if judged.is_empty() {
        return Ok(Evaluated::default());
    }
    // Read only what the rules asked for need.
    let needs_settings = rules.iter().any(|r| !AlertRule::CONTACTS.contains(r));
    let settings = if needs_settings {
        alerts::settings(conn, tenant)
            .await?
            .map(|m| parse_settings(&m))
            .unwrap_or_default()
    } else {
        AlertSettings::default()
    };
    let now = Utc::now();
    let wants = |r: AlertRule| rules.contains(&r);
    let mut out = Evaluated::default();
    for batch in judged.chunks(BATCH) {
        let ids: Vec<Uuid> = batch.iter().map(|a| a.0).collect();
        let mut facts: HashMap<Uuid, Facts> = batch
            .iter()
            .map(|(id, tier, created)| {
                let f = Facts {
                    tier: Tier::from_str_opt(tier),
                    created_at: Some(*created),
                    ..Default::default()
                };
                (*id, f)
            })
            .collect();
        if wants(AlertRule::LowHealth) || wants(AlertRule::HealthDrop) {
            for (id, v) in super::signals::health_views(db, tenant, &ids).await? {
                if let Some(f) = facts.get_mut(&id) {
                    f.health = v.health;
                }
            }
        }
        if wants(AlertRule::NoCoach) || wants(AlertRule::DecisionMakerLeft) {
            for c in coverage::contacts_of(conn, tenant, &ids).await? {
                if let Some(f) = facts.get_mut(&c.account_id) {
                    f.contacts.push(KeyContact {
                        name: format!("{} {}", c.first_name, c.last_name),
                        role: c.buying_role.as_deref().and_then(BuyingRole::from_str_opt),
                        status: ContactStatus::from_str_opt(&c.status)
                            .unwrap_or(ContactStatus::Active),
                    });
                }
            }
        }
        let mut today = now.date_naive();
        if wants(AlertRule::RenewalAtRisk) {
            for c in contracts::of_accounts(conn, tenant, &ids).await? {
                let undecided = matches!(c.stage.as_str(), "OPEN" | "IN_NEGOTIATION");
                if let (true, Some(date), Some(f)) =
                    (undecided, c.renewal_date, facts.get_mut(&c.account_id))
                {
                    f.renewals.push(Renewal {
                        contract: c.name,
                        date,
                    });
                }
            }
            // The signals and the tenant's date only when a renewal may be near.
            if facts.values().any(|f| !f.renewals.is_empty()) {
                let t = tenants::get(conn, tenant)
                    .await?
                    .ok_or_else(|| StoreError::Internal("the tenant is gone".into()))?;
                today = domain::cadence::today_in(&t.time_zone, now);
                let model = super::signals::model_read(db, tenant).await?;
                let since = now - Duration::days(i64::from(settings.renewal_signal_days));
                for (a, k, _) in signals::evidence_of(conn, tenant, Some(&ids), Some(since)).await?
                {
                    if let (Some(k), Some(f)) = (SignalKind::from_str_opt(&k), facts.get_mut(&a)) {
                        f.recent_signals
                            .push((model.weight(k), k.info().polarity == Polarity::Positive));
                    }
                }
            }
        }
        if wants(AlertRule::NoRecentActivity) {
            for (a, at) in alerts::last_activity_of(conn, tenant, &ids).await? {
                if let Some(f) = facts.get_mut(&a) {
                    f.last_activity = Some(at);
                }
            }
        }
        let fired: Vec<(Uuid, AlertRule, String)> = facts
            .iter()
            .flat_map(|(id, f)| {
                rules_of(&settings, f, rules, today, now)
                    .into_iter()
                    .map(move |(r, e)| (*id, r, e))
            })
            .collect();
        if !fired.is_empty() {
            let open: HashSet<(Uuid, String)> = alerts::of_accounts(
                conn,
                tenant,
                &ids,
                Some(&["OPEN".to_owned(), "ACKNOWLEDGED".to_owned()]),
            )
            .await?
            .into_iter()
            .map(|a| (a.account_id, a.rule))
            .collect();
            for (id, rule, evidence) in fired {
                if open.contains(&(id, rule.as_str().to_owned())) {
                    continue;
                }
                if raise(db, tenant, id, rule, evidence, by).await? {
                    out.raised += 1;
                }
            }
        }
        out.accounts += ids.len() as u64;
    }
    Ok(out)
}

/// Raises one alert in its own transaction; `false` when an unresolved one
/// exists already (raised meanwhile by another evaluation).
async fn raise(
    db: &Db,
    tenant: TenantId,
    account: Uuid,
    rule: AlertRule,
    evidence: String,
    by: Option<Uuid>,
) -> Result<bool, StoreError> {
    let w = Writer::begin(db, by, None).await?;
    let inserted = w
        .insert::<alert::Entity>(alert::ActiveModel {
            tenant_id: Set(tenant.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(account),
            rule: Set(rule.as_str().to_owned()),
            status: Set(AlertStatus::Open.as_str().to_owned()),
            evidence: Set(evidence),
            raised_at: Set(w.at()),
            acknowledged_at: Set(None),
            acknowledged_by: Set(None),
            acknowledgement_note: Set(None),
            resolved_at: Set(None),
            resolved_by: Set(None),
            resolution_note: Set(None),
            ..Default::default()
        })
        .await;
    match inserted {
        Ok(_) => {
            w.commit().await?;
            Ok(true)
        }
        Err(e) if e.is_unique("jeopardy_alerts") => Ok(false),
        Err(e) => Err(e),
    }
}

/// Evaluates the rules that read what a write changed, for one account,
/// after that write committed. Never fails the write: an error is logged
/// and the schedule catches up.
pub async fn after_change(db: &Db, p: &Principal, account: Uuid, rules: &[AlertRule]) {
    if let Err(e) = evaluate(db, p.tenant_id, Some(&[account]), rules, Some(p.user_id.0)).await {
        tracing::warn!(error = %e, "jeopardy rules after a change failed; the schedule will retry");
    }
}

/// Evaluates every rule for every judged account of the caller's tenant
/// now (admins).
pub async fn run_now(db: &Db, p: &Principal) -> ApiResult<Evaluated> {
    authorize(p, Action::Update, Record::Tenant)?;
    Ok(evaluate(db, p.tenant_id, None, AlertRule::ALL, Some(p.user_id.0)).await?)
}

/// Evaluates every rule for every tenant (the schedule), each tenant in
/// its own row-level-security scope.
pub async fn run_all(db: &Db) -> Result<Evaluated, StoreError> {
    let mut total = Evaluated::default();
    for t in alerts::tenant_ids(db.system().read()).await? {
        let e = persistence::rls::with_tenant(
            Some(t),
            evaluate(db, TenantId(t), None, AlertRule::ALL, None),
        )
        .await?;
        total.accounts += e.accounts;
        total.raised += e.raised;
    }
    Ok(total)
}

/// Runs [`run_all`] every `every` until the process stops (inside `steward
/// serve`). Several processes may run it on one database: the unique index
/// keeps one unresolved alert per account and rule.
pub async fn schedule(db: Db, every: std::time::Duration) {
    let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match run_all(&db).await {
            Ok(e) => tracing::info!(
                accounts = e.accounts,
                raised = e.raised,
                "jeopardy rules evaluated"
            ),
            Err(e) => tracing::warn!(error = %e, "jeopardy rules failed"),
        }
    }
}

fn note(field: &str, raw: Option<&str>, required: bool) -> ApiResult<Option<String>> {
    let n = domain::text::optional_text(field, raw, MAX_NOTE)?;
    if required && n.is_none() {
        return Err(ApiError::validation(field, "must not be empty"));
    }
    Ok(n)
}

async fn load(w: &Writer, p: &Principal, id: Uuid) -> ApiResult<alert::Model> {
    let found = alerts::for_update(w.conn(), p.tenant_id, id).await?;
    writable_record(w, p, found, "alert", |a| a.account_id).await
}

fn conflict(message: &str) -> ApiError {
    ApiError::Conflict {
        message: message.into(),
        field: Some("id".into()),
    }
}

/// Acknowledges an open alert (the account's writers): someone is on it.
pub async fn acknowledge(
    db: &Db,
    p: &Principal,
    id: Uuid,
    text: Option<&str>,
) -> ApiResult<alert::Model> {
    let text = note("note", text, false)?;
    let w = writer(db, p).await?;
    let mut m = load(&w, p, id).await?;
    if m.status != AlertStatus::Open.as_str() {
        return Err(conflict("only an open alert can be acknowledged"));
    }
    m.status = AlertStatus::Acknowledged.as_str().into();
    m.acknowledged_at = Some(w.at());
    m.acknowledged_by = Some(p.user_id.0);
    m.acknowledgement_note = text;
    let m = w.update::<alert::Entity>(m, Op::Updated).await?;
    w.commit().await?;
    Ok(m)
}

/// Resolves an open or acknowledged alert with a note (the account's
/// writers). If the rule still holds at a later evaluation, a new alert is
/// raised.
pub async fn resolve(db: &Db, p: &Principal, id: Uuid, text: &str) -> ApiResult<alert::Model> {
    let text = note("note", Some(text), true)?;
    let w = writer(db, p).await?;
    let mut m = load(&w, p, id).await?;
    if m.status == AlertStatus::Resolved.as_str() {
        return Err(conflict("the alert is already resolved"));
    }
    m.status = AlertStatus::Resolved.as_str().into();
    m.resolved_at = Some(w.at());
    m.resolved_by = Some(p.user_id.0);
    m.resolution_note = text;
    let m = w.update::<alert::Entity>(m, Op::Updated).await?;
    w.commit().await?;
    Ok(m)
}
