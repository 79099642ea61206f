//! Contracts: created, changed and deleted (tombstone) by the writers of
//! their account; the rules (term, renewal date, risk reason) are
//! `domain::contract`'s.

use super::team::authorize_account;
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::account::ExternalRef;
use domain::contract::{Contract, ContractInput, ContractPatchInput, ContractRisk, ContractStage};
use domain::text::{Money, RequiredText};
use domain::{AccountId, Action, Principal};
use persistence::entity::contract;
use persistence::repo::{accounts, contracts};
use persistence::write::Op;
use persistence::{Db, Set, StoreError};
use uuid::Uuid;

fn duplicate_external(e: StoreError) -> ApiError {
    if e.is_unique("external") || e.is_unique("source") {
        ApiError::validation(
            "externalRef.externalId",
            "another contract already has this source and external id",
        )
    } else {
        e.into()
    }
}

/// The stored row as the domain's contract (to apply a change to).
fn domain_of(m: &contract::Model) -> ApiResult<Contract> {
    Ok(Contract {
        name: RequiredText::parse("name", &m.name, usize::MAX)?,
        value: Money::from_minor_units(m.value_minor, &m.value_currency),
        start_date: m.start_date,
        end_date: m.end_date,
        renewal_date: m.renewal_date,
        stage: ContractStage::from_str_opt(&m.stage).unwrap_or(ContractStage::Open),
        risk: ContractRisk::from_str_opt(&m.risk).unwrap_or(ContractRisk::Low),
        risk_reason: m.risk_reason.clone(),
        external_ref: match (&m.source, &m.external_id) {
            (Some(s), Some(e)) => Some(ExternalRef {
                source: s.clone(),
                external_id: e.clone(),
            }),
            _ => None,
        },
    })
}

/// Writes the domain's contract into the row.
fn set_row(m: &mut contract::Model, c: Contract) {
    m.name = c.name.into_inner();
    m.value_minor = c.value.minor_units();
    m.value_currency = c.value.currency.as_str().to_owned();
    m.start_date = c.start_date;
    m.end_date = c.end_date;
    m.renewal_date = c.renewal_date;
    m.stage = c.stage.as_str().to_owned();
    m.risk = c.risk.as_str().to_owned();
    m.risk_reason = c.risk_reason;
    let (source, external_id) = domain::account::split_external(c.external_ref);
    m.source = source;
    m.external_id = external_id;
}

/// Adds a contract to an account (its writers).
pub async fn create(
    db: &Db,
    p: &Principal,
    account: AccountId,
    input: ContractInput,
) -> ApiResult<contract::Model> {
    let c = Contract::parse(input)?;
    let w = writer(db, p).await?;
    let a = accounts::get_for_update(w.conn(), p.tenant_id, account)
        .await?
        .ok_or_else(|| ApiError::not_found_in("account", "accountId"))?;
    authorize_account(w.conn(), p, Action::Create, a.id).await?;
    let (source, external_id) = domain::account::split_external(c.external_ref);
    let m = w
        .insert::<contract::Entity>(contract::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(a.id),
            name: Set(c.name.into_inner()),
            value_minor: Set(c.value.minor_units()),
            value_currency: Set(c.value.currency.as_str().to_owned()),
            start_date: Set(c.start_date),
            end_date: Set(c.end_date),
            renewal_date: Set(c.renewal_date),
            stage: Set(c.stage.as_str().to_owned()),
            risk: Set(c.risk.as_str().to_owned()),
            risk_reason: Set(c.risk_reason),
            source: Set(source),
            external_id: Set(external_id),
            deleted_at: Set(None),
            ..Default::default()
        })
        .await
        .map_err(duplicate_external)?;
    w.commit().await?;
    Ok(m)
}

/// Loads a contract for a write (locked on Postgres) and authorises the
/// caller through its account.
async fn load(
    w: &persistence::write::Writer,
    p: &Principal,
    id: Uuid,
    action: Action,
) -> ApiResult<contract::Model> {
    let m = contracts::get_for_update(w.conn(), p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("contract", "id"))?;
    authorize_account(w.conn(), p, action, m.account_id).await?;
    Ok(m)
}

/// Changes a contract; the result is checked like a new one.
pub async fn update(
    db: &Db,
    p: &Principal,
    id: Uuid,
    patch: ContractPatchInput,
) -> ApiResult<contract::Model> {
    let w = writer(db, p).await?;
    let mut m = load(&w, p, id, Action::Update).await?;
    let mut c = domain_of(&m)?;
    c.apply(patch)?;
    set_row(&mut m, c);
    let m = w
        .update::<contract::Entity>(m, Op::Updated)
        .await
        .map_err(duplicate_external)?;
    w.commit().await?;
    Ok(m)
}

/// Deletes a contract (a tombstone stays for integrations).
pub async fn delete(db: &Db, p: &Principal, id: Uuid) -> ApiResult<contract::Model> {
    let w = writer(db, p).await?;
    let mut m = load(&w, p, id, Action::Update).await?;
    m.deleted_at = Some(w.at());
    let m = w.update::<contract::Entity>(m, Op::Deleted).await?;
    w.commit().await?;
    Ok(m)
}

/// The most days `upcomingRenewals` looks ahead (ten years).
pub const MAX_WITHIN_DAYS: i32 = 3660;

/// The window `[today, today + within]` of `upcomingRenewals`.
pub(crate) fn renewal_window(
    today: chrono::NaiveDate,
    within_days: i32,
) -> ApiResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    if !(0..=MAX_WITHIN_DAYS).contains(&within_days) {
        return Err(ApiError::validation(
            "withinDays",
            &format!("must be between 0 and {MAX_WITHIN_DAYS}"),
        ));
    }
    Ok((
        today,
        today + chrono::Days::new(within_days.unsigned_abs().into()),
    ))
}
