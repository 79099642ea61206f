//! The strategic profile: insights (added, changed and removed by the
//! account's writers; tombstones) and the profile itself (one per account,
//! changed field by field, created on its first change).

use super::team::{authorize_account, writable_record};
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::profile::{
    Horizon, Insight, InsightInput, InsightKind, InsightPatch, Priority, Profile, ProfilePatch,
    Threshold,
};
use domain::text::{Money, RequiredText};
use domain::{AccountId, Action, Principal};
use persistence::entity::{account_insight as insight, account_profile as profile};
use persistence::repo::{accounts, profiles};
use persistence::write::{Op, Writer};
use persistence::{Db, Set};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// An approval threshold as stored (and read by both paths).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredThreshold {
    pub minor: i64,
    pub currency: String,
    pub signed_by: String,
}

/// A stored JSON list (empty when unreadable: rows are written only here).
pub fn list_of<T: for<'de> Deserialize<'de>>(json: &str) -> Vec<T> {
    serde_json::from_str(json).unwrap_or_default()
}

fn json<T: Serialize>(v: &T) -> ApiResult<String> {
    serde_json::to_string(v).map_err(|e| ApiError::Internal(e.to_string()))
}

pub(crate) async fn writable_account(
    w: &Writer,
    p: &Principal,
    account: AccountId,
) -> ApiResult<Uuid> {
    let a = accounts::get_for_update(w.conn(), p.tenant_id, account)
        .await?
        .ok_or_else(|| ApiError::not_found_in("account", "accountId"))?;
    authorize_account(w.conn(), p, Action::Update, a.id).await?;
    Ok(a.id)
}

fn fill(m: &mut insight::Model, i: Insight) {
    m.kind = i.kind.as_str().to_owned();
    m.title = i.title.into_inner();
    m.detail = i.detail;
    m.horizon = i.horizon.map(|h| h.as_str().to_owned());
    m.priority = i.priority.map(|h| h.as_str().to_owned());
}

/// Adds an insight to an account (its writers).
pub async fn add_insight(
    db: &Db,
    p: &Principal,
    account: AccountId,
    input: InsightInput,
) -> ApiResult<insight::Model> {
    let i = Insight::parse(input)?;
    let w = writer(db, p).await?;
    let account = writable_account(&w, p, account).await?;
    let m = w
        .insert::<insight::Entity>(insight::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(account),
            kind: Set(i.kind.as_str().to_owned()),
            title: Set(i.title.into_inner()),
            detail: Set(i.detail),
            horizon: Set(i.horizon.map(|h| h.as_str().to_owned())),
            priority: Set(i.priority.map(|h| h.as_str().to_owned())),
            deleted_at: Set(None),
            ..Default::default()
        })
        .await?;
    w.commit().await?;
    Ok(m)
}

/// The domain's insight of a stored row.
pub fn insight_of(m: &insight::Model) -> ApiResult<Insight> {
    Ok(Insight {
        kind: InsightKind::from_str_opt(&m.kind)
            .ok_or_else(|| ApiError::Internal("stored insight kind".into()))?,
        title: RequiredText::parse("title", &m.title, usize::MAX)?,
        detail: m.detail.clone(),
        horizon: m.horizon.as_deref().and_then(Horizon::from_str_opt),
        priority: m.priority.as_deref().and_then(Priority::from_str_opt),
    })
}

async fn load_insight(w: &Writer, p: &Principal, id: Uuid) -> ApiResult<insight::Model> {
    let found = profiles::insight_for_update(w.conn(), p.tenant_id, id).await?;
    writable_record(w, p, found, "insight", |m| m.account_id).await
}

/// Changes an insight (its kind stays).
pub async fn update_insight(
    db: &Db,
    p: &Principal,
    id: Uuid,
    patch: InsightPatch,
) -> ApiResult<insight::Model> {
    let w = writer(db, p).await?;
    let mut m = load_insight(&w, p, id).await?;
    let mut i = insight_of(&m)?;
    i.apply(patch)?;
    fill(&mut m, i);
    let m = w.update::<insight::Entity>(m, Op::Updated).await?;
    w.commit().await?;
    Ok(m)
}

/// Removes an insight (a tombstone stays for integrations).
pub async fn remove_insight(db: &Db, p: &Principal, id: Uuid) -> ApiResult<insight::Model> {
    let w = writer(db, p).await?;
    let mut m = load_insight(&w, p, id).await?;
    m.deleted_at = Some(w.at());
    let m = w.update::<insight::Entity>(m, Op::Deleted).await?;
    w.commit().await?;
    Ok(m)
}

/// The domain's profile of a stored row.
pub fn profile_of(m: &profile::Model) -> Profile {
    Profile {
        mission: m.mission.clone(),
        vision: m.vision.clone(),
        values: list_of(&m.core_values),
        market_positioning: m.market_positioning.clone(),
        buying_steps: list_of(&m.buying_steps),
        buying_cycle_days: m.buying_cycle_days,
        approval_thresholds: list_of::<StoredThreshold>(&m.approval_thresholds)
            .into_iter()
            .map(|t| Threshold {
                from: Money::from_minor_units(t.minor, &t.currency),
                signed_by: t.signed_by,
            })
            .collect(),
    }
}

fn write_profile(m: &mut profile::Model, n: Profile) -> ApiResult<()> {
    let thresholds: Vec<StoredThreshold> = n
        .approval_thresholds
        .into_iter()
        .map(|t| StoredThreshold {
            minor: t.from.minor_units(),
            currency: t.from.currency.as_str().to_owned(),
            signed_by: t.signed_by,
        })
        .collect();
    m.mission = n.mission;
    m.vision = n.vision;
    m.core_values = json(&n.values)?;
    m.market_positioning = n.market_positioning;
    m.buying_steps = json(&n.buying_steps)?;
    m.buying_cycle_days = n.buying_cycle_days;
    m.approval_thresholds = json(&thresholds)?;
    Ok(())
}

/// Changes an account's profile (created on its first change); the
/// account's row lock serialises concurrent first changes.
pub async fn update_profile(
    db: &Db,
    p: &Principal,
    account: AccountId,
    patch: ProfilePatch,
) -> ApiResult<profile::Model> {
    let w = writer(db, p).await?;
    let account = writable_account(&w, p, account).await?;
    let existing = profiles::profiles_of(w.conn(), p.tenant_id, &[account])
        .await?
        .pop();
    let mut n = existing.as_ref().map(profile_of).unwrap_or_default();
    n.apply(patch)?;
    let m = match existing {
        Some(mut m) => {
            write_profile(&mut m, n)?;
            w.update::<profile::Entity>(m, Op::Updated).await?
        }
        None => {
            let mut m = profile::Model {
                tenant_id: p.tenant_id.0,
                id: Uuid::now_v7(),
                account_id: account,
                mission: None,
                vision: None,
                core_values: String::new(),
                market_positioning: None,
                buying_steps: String::new(),
                buying_cycle_days: None,
                approval_thresholds: String::new(),
                created_at: w.at(),
                created_by: None,
                updated_at: w.at(),
                updated_by: None,
                version: 1,
            };
            write_profile(&mut m, n)?;
            w.insert::<profile::Entity>(profile::ActiveModel {
                tenant_id: Set(m.tenant_id),
                id: Set(m.id),
                account_id: Set(m.account_id),
                mission: Set(m.mission),
                vision: Set(m.vision),
                core_values: Set(m.core_values),
                market_positioning: Set(m.market_positioning),
                buying_steps: Set(m.buying_steps),
                buying_cycle_days: Set(m.buying_cycle_days),
                approval_thresholds: Set(m.approval_thresholds),
                ..Default::default()
            })
            .await?
        }
    };
    w.commit().await?;
    Ok(m)
}
