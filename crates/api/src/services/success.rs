//! The customer's success criteria and the value chain: added, changed and
//! removed (tombstones) by the account's writers. A value-chain entry names
//! a product of the tenant's catalogue and optionally a criterion of the
//! same account; an objective may serve a criterion of its plan's account.
//! Removing a criterion unlinks the objectives and entries that named it.

use super::plans::{from_e4, to_e4};
use super::profiles::writable_account;
use super::team::writable_record;
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::success::{
    Criterion, CriterionInput, CriterionPatch, ValueLink, ValueLinkInput, ValueLinkPatch,
};
use domain::text::RequiredText;
use domain::{AccountId, Principal};
use persistence::entity::{success_criterion as criterion, value_chain_link as link};
use persistence::repo::{success, whitespace};
use persistence::write::{Op, Writer};
use persistence::{Db, Set};
use uuid::Uuid;

/// The criterion `id` for a record of `account`: live, of the tenant
/// (`NOT_FOUND` on `field`) and of that account (`VALIDATION`).
pub(crate) async fn criterion_of_account(
    w: &Writer,
    p: &Principal,
    account: Uuid,
    id: Uuid,
    field: &str,
) -> ApiResult<criterion::Model> {
    let c = success::criteria_by_ids(w.conn(), p.tenant_id, &[id])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found_in("success criterion", field))?;
    if c.account_id != account {
        return Err(ApiError::validation(
            field,
            "is a success criterion of another account",
        ));
    }
    Ok(c)
}

fn fill_criterion(m: &mut criterion::Model, c: Criterion) {
    m.metric = c.metric.into_inner();
    m.unit = c.unit;
    m.baseline_e4 = c.baseline.map(to_e4);
    m.target_e4 = to_e4(c.target);
    m.due_date = c.due_date;
    m.notes = c.notes;
}

/// Adds a success criterion to an account.
pub async fn add_criterion(
    db: &Db,
    p: &Principal,
    account: AccountId,
    input: CriterionInput,
) -> ApiResult<criterion::Model> {
    let c = Criterion::parse(input)?;
    let w = writer(db, p).await?;
    let account = writable_account(&w, p, account).await?;
    let m = w
        .insert::<criterion::Entity>(criterion::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(account),
            metric: Set(c.metric.into_inner()),
            unit: Set(c.unit),
            baseline_e4: Set(c.baseline.map(to_e4)),
            target_e4: Set(to_e4(c.target)),
            due_date: Set(c.due_date),
            notes: Set(c.notes),
            deleted_at: Set(None),
            ..Default::default()
        })
        .await?;
    w.commit().await?;
    Ok(m)
}

async fn load_criterion(w: &Writer, p: &Principal, id: Uuid) -> ApiResult<criterion::Model> {
    let found = success::criterion_for_update(w.conn(), p.tenant_id, id).await?;
    writable_record(w, p, found, "success criterion", |m| m.account_id).await
}

/// Changes a success criterion.
pub async fn update_criterion(
    db: &Db,
    p: &Principal,
    id: Uuid,
    patch: CriterionPatch,
) -> ApiResult<criterion::Model> {
    let w = writer(db, p).await?;
    let mut m = load_criterion(&w, p, id).await?;
    let mut c = Criterion {
        metric: RequiredText::parse("metric", &m.metric, usize::MAX)?,
        unit: m.unit.clone(),
        baseline: m.baseline_e4.map(from_e4),
        target: from_e4(m.target_e4),
        due_date: m.due_date,
        notes: m.notes.clone(),
    };
    c.apply(patch)?;
    fill_criterion(&mut m, c);
    let m = w.update::<criterion::Entity>(m, Op::Updated).await?;
    w.commit().await?;
    Ok(m)
}

/// Removes a success criterion and unlinks what served it.
pub async fn remove_criterion(db: &Db, p: &Principal, id: Uuid) -> ApiResult<criterion::Model> {
    let w = writer(db, p).await?;
    let mut m = load_criterion(&w, p, id).await?;
    m.deleted_at = Some(w.at());
    let m = w.update::<criterion::Entity>(m, Op::Deleted).await?;
    success::unlink_criterion(&w, p.tenant_id, m.id).await?;
    w.commit().await?;
    Ok(m)
}

async fn check_link(w: &Writer, p: &Principal, account: Uuid, l: &ValueLink) -> ApiResult<()> {
    whitespace::product(w.conn(), p.tenant_id, l.product_id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("product", "productId"))?;
    if let Some(c) = l.criterion_id {
        criterion_of_account(w, p, account, c, "successCriterionId").await?;
    }
    Ok(())
}

/// Adds a value-chain entry to an account.
pub async fn add_link(
    db: &Db,
    p: &Principal,
    account: AccountId,
    input: ValueLinkInput,
) -> ApiResult<link::Model> {
    let l = ValueLink::parse(input)?;
    let w = writer(db, p).await?;
    let account = writable_account(&w, p, account).await?;
    check_link(&w, p, account, &l).await?;
    let m = w
        .insert::<link::Entity>(link::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(account),
            product_id: Set(l.product_id),
            business_outcome: Set(l.business_outcome.into_inner()),
            success_criterion_id: Set(l.criterion_id),
            notes: Set(l.notes),
            deleted_at: Set(None),
            ..Default::default()
        })
        .await?;
    w.commit().await?;
    Ok(m)
}

async fn load_link(w: &Writer, p: &Principal, id: Uuid) -> ApiResult<link::Model> {
    let found = success::link_for_update(w.conn(), p.tenant_id, id).await?;
    writable_record(w, p, found, "value-chain entry", |m| m.account_id).await
}

/// Changes a value-chain entry (checked as a whole, links included).
pub async fn update_link(
    db: &Db,
    p: &Principal,
    id: Uuid,
    patch: ValueLinkPatch,
) -> ApiResult<link::Model> {
    let w = writer(db, p).await?;
    let mut m = load_link(&w, p, id).await?;
    let mut l = ValueLink {
        product_id: m.product_id,
        business_outcome: RequiredText::parse("businessOutcome", &m.business_outcome, usize::MAX)?,
        criterion_id: m.success_criterion_id,
        notes: m.notes.clone(),
    };
    l.apply(patch)?;
    check_link(&w, p, m.account_id, &l).await?;
    m.product_id = l.product_id;
    m.business_outcome = l.business_outcome.into_inner();
    m.success_criterion_id = l.criterion_id;
    m.notes = l.notes;
    let m = w.update::<link::Entity>(m, Op::Updated).await?;
    w.commit().await?;
    Ok(m)
}

/// Removes a value-chain entry (a tombstone stays).
pub async fn remove_link(db: &Db, p: &Principal, id: Uuid) -> ApiResult<link::Model> {
    let w = writer(db, p).await?;
    let mut m = load_link(&w, p, id).await?;
    m.deleted_at = Some(w.at());
    let m = w.update::<link::Entity>(m, Op::Deleted).await?;
    w.commit().await?;
    Ok(m)
}
