//! Opportunities: created, changed and deleted (tombstone) by the writers
//! of their account. A product must be of the tenant's catalogue; a
//! white-space cell or an objective must be of the same account
//! (`VALIDATION` on the field; `NOT_FOUND` when it does not exist).

use super::team::{authorize_account, writable_record};
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::account::ExternalRef;
use domain::opportunity::{Opportunity, OpportunityInput, OpportunityPatchInput, OpportunityStage};
use domain::text::{Money, RequiredText};
use domain::{AccountId, Action, Principal};
use persistence::entity::opportunity;
use persistence::repo::{accounts, opportunities, plans, whitespace};
use persistence::write::{Op, Writer};
use persistence::{Set, StoreError};
use uuid::Uuid;

fn duplicate_external(e: StoreError) -> ApiError {
    if e.is_unique("external") || e.is_unique("source") {
        ApiError::validation(
            "externalRef.externalId",
            "another opportunity already has this source and external id",
        )
    } else {
        e.into()
    }
}

/// The links of `o` point at records of the tenant, and the cell and the
/// objective at records of `account`.
async fn check_links(w: &Writer, p: &Principal, account: Uuid, o: &Opportunity) -> ApiResult<()> {
    let (conn, t) = (w.conn(), p.tenant_id);
    if let Some(id) = o.product_id {
        whitespace::product(conn, t, id)
            .await?
            .ok_or_else(|| ApiError::not_found_in("product", "productId"))?;
    }
    if let Some(id) = o.white_space_cell_id {
        let cell = whitespace::cells_by_ids(conn, t, &[id])
            .await?
            .pop()
            .ok_or_else(|| ApiError::not_found_in("white-space cell", "whiteSpaceCellId"))?;
        if cell.account_id != account {
            return Err(ApiError::validation(
                "whiteSpaceCellId",
                "must be a cell of the opportunity's account",
            ));
        }
    }
    if let Some(id) = o.objective_id {
        let obj = plans::objective(conn, t, id)
            .await?
            .ok_or_else(|| ApiError::not_found_in("objective", "objectiveId"))?;
        let plan = plans::get(conn, t, obj.plan_id)
            .await?
            .ok_or_else(|| ApiError::not_found_in("objective", "objectiveId"))?;
        if plan.account_id != account {
            return Err(ApiError::validation(
                "objectiveId",
                "must be an objective of a plan of the opportunity's account",
            ));
        }
    }
    Ok(())
}

/// Writes the domain's opportunity into a loaded row.
fn fill(m: &mut opportunity::Model, o: Opportunity) {
    let (source, external_id) = domain::account::split_external(o.external_ref);
    m.name = o.name.into_inner();
    m.value_minor = o.value.minor_units();
    m.value_currency = o.value.currency.as_str().to_owned();
    m.stage = o.stage.as_str().to_owned();
    m.expected_close = o.expected_close;
    m.probability = i16::from(o.probability);
    m.product_id = o.product_id;
    m.white_space_cell_id = o.white_space_cell_id;
    m.objective_id = o.objective_id;
    m.source = source;
    m.external_id = external_id;
}

/// Writes the domain's opportunity into a new row.
fn set_row(m: &mut opportunity::ActiveModel, o: Opportunity) {
    let (source, external_id) = domain::account::split_external(o.external_ref);
    m.name = Set(o.name.into_inner());
    m.value_minor = Set(o.value.minor_units());
    m.value_currency = Set(o.value.currency.as_str().to_owned());
    m.stage = Set(o.stage.as_str().to_owned());
    m.expected_close = Set(o.expected_close);
    m.probability = Set(i16::from(o.probability));
    m.product_id = Set(o.product_id);
    m.white_space_cell_id = Set(o.white_space_cell_id);
    m.objective_id = Set(o.objective_id);
    m.source = Set(source);
    m.external_id = Set(external_id);
}

/// Adds an opportunity to an account (its writers).
pub async fn create(
    db: &persistence::Db,
    p: &Principal,
    account: AccountId,
    input: OpportunityInput,
) -> ApiResult<opportunity::Model> {
    let o = Opportunity::parse(input)?;
    let w = writer(db, p).await?;
    let a = accounts::get_for_update(w.conn(), p.tenant_id, account)
        .await?
        .ok_or_else(|| ApiError::not_found_in("account", "accountId"))?;
    authorize_account(w.conn(), p, Action::Create, a.id).await?;
    check_links(&w, p, a.id, &o).await?;
    let mut am = opportunity::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        account_id: Set(a.id),
        deleted_at: Set(None),
        ..Default::default()
    };
    set_row(&mut am, o);
    let m = w
        .insert::<opportunity::Entity>(am)
        .await
        .map_err(duplicate_external)?;
    w.commit().await?;
    Ok(m)
}

fn domain_of(m: &opportunity::Model) -> ApiResult<Opportunity> {
    Ok(Opportunity {
        name: RequiredText::parse("name", &m.name, usize::MAX)?,
        value: Money::from_minor_units(m.value_minor, &m.value_currency),
        stage: OpportunityStage::from_str_opt(&m.stage).unwrap_or(OpportunityStage::Prospecting),
        expected_close: m.expected_close,
        probability: u8::try_from(m.probability).unwrap_or(0),
        product_id: m.product_id,
        white_space_cell_id: m.white_space_cell_id,
        objective_id: m.objective_id,
        external_ref: match (&m.source, &m.external_id) {
            (Some(s), Some(e)) => Some(ExternalRef {
                source: s.clone(),
                external_id: e.clone(),
            }),
            _ => None,
        },
    })
}

async fn load(w: &Writer, p: &Principal, id: Uuid) -> ApiResult<opportunity::Model> {
    let found = opportunities::get_for_update(w.conn(), p.tenant_id, id).await?;
    writable_record(w, p, found, "opportunity", |m| m.account_id).await
}

/// Changes an opportunity (checked as a whole, links included).
pub async fn update(
    db: &persistence::Db,
    p: &Principal,
    id: Uuid,
    patch: OpportunityPatchInput,
) -> ApiResult<opportunity::Model> {
    let w = writer(db, p).await?;
    let m = load(&w, p, id).await?;
    let mut o = domain_of(&m)?;
    o.apply(patch)?;
    check_links(&w, p, m.account_id, &o).await?;
    let mut next = m;
    fill(&mut next, o);
    let m = w
        .update::<opportunity::Entity>(next, Op::Updated)
        .await
        .map_err(duplicate_external)?;
    w.commit().await?;
    Ok(m)
}

/// Deletes an opportunity (a tombstone stays for integrations).
pub async fn delete(
    db: &persistence::Db,
    p: &Principal,
    id: Uuid,
) -> ApiResult<opportunity::Model> {
    let w = writer(db, p).await?;
    let mut m = load(&w, p, id).await?;
    m.deleted_at = Some(w.at());
    let m = w.update::<opportunity::Entity>(m, Op::Deleted).await?;
    w.commit().await?;
    Ok(m)
}
