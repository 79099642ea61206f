//! White space: the tenant's product catalogue (written by admins and sales
//! managers), the business units of accounts and the cells of each
//! account's matrix (written by the account's writers, like its contacts).
//!
//! Input ids that do not resolve in the caller's tenant are `NOT_FOUND`
//! naming the field. A business unit or an objective that exists in the
//! tenant but belongs to another account is `VALIDATION` on its field: the
//! caller may see it, it just does not fit this account.

use super::team::authorize_account;
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::text::sort_key;
use domain::whitespace::{
    BusinessUnitKind, CellInput, NewBusinessUnit, NewProduct, WhiteSpaceCell, check_objective_link,
};
use domain::{AccountId, Action, Patch, Principal, Record, authorize};
use persistence::entity::{account, business_unit, product, white_space_cell};
use persistence::repo::{accounts, plans, whitespace};
use persistence::write::Op;
use persistence::{ConnectionTrait, Db, Set, StoreError};
use uuid::Uuid;

fn duplicate_name(what: &str) -> impl FnOnce(StoreError) -> ApiError + '_ {
    move |e| match e {
        StoreError::UniqueViolation { .. } => ApiError::Conflict {
            message: format!("{what} with this name already exists"),
            field: Some("name".into()),
        },
        other => other.into(),
    }
}

/// Adds a product to the tenant's catalogue (admins and sales managers).
/// Names are unique in the tenant, case-insensitively (`CONFLICT` on `name`).
pub async fn create_product(
    db: &Db,
    p: &Principal,
    name: &str,
    description: Option<&str>,
) -> ApiResult<product::Model> {
    authorize(p, Action::Create, Record::Catalogue)?;
    let new = NewProduct::parse(name, description)?;
    let m = product::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        name_key: Set(sort_key(new.name.as_str())),
        name: Set(new.name.into_inner()),
        description: Set(new.description),
        active: Set(true),
        ..Default::default()
    };
    let w = writer(db, p).await?;
    let m = w
        .insert::<product::Entity>(m)
        .await
        .map_err(duplicate_name("a product"))?;
    w.commit().await?;
    Ok(m)
}

/// Changes a product of the catalogue: absent fields stay as they are.
pub async fn update_product(
    db: &Db,
    p: &Principal,
    id: Uuid,
    name: Option<&str>,
    description: Patch<String>,
    active: Option<bool>,
) -> ApiResult<product::Model> {
    authorize(p, Action::Update, Record::Catalogue)?;
    let w = writer(db, p).await?;
    let mut m = whitespace::product(w.conn(), p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("product", "id"))?;
    let current_description = m.description.clone();
    let description = match description {
        Patch::Unchanged => current_description,
        Patch::Clear => None,
        Patch::Set(d) => Some(d),
    };
    let parsed = NewProduct::parse(name.unwrap_or(&m.name), description.as_deref())?;
    m.name_key = sort_key(parsed.name.as_str());
    m.name = parsed.name.into_inner();
    m.description = parsed.description;
    if let Some(a) = active {
        m.active = a;
    }
    let m = w
        .update::<product::Entity>(m, Op::Updated)
        .await
        .map_err(duplicate_name("a product"))?;
    w.commit().await?;
    Ok(m)
}

/// Loads the account for a write (locked on Postgres, so that writes to its
/// white space are serialised) and authorises the caller through it.
async fn load_account_for_write(
    conn: &impl ConnectionTrait,
    p: &Principal,
    id: AccountId,
) -> ApiResult<account::Model> {
    let a = accounts::get_for_update(conn, p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("account", "accountId"))?;
    authorize_account(conn, p, Action::Update, a.id).await?;
    Ok(a)
}

/// A live business unit of `account` (`NOT_FOUND` on `field` when not in
/// the tenant; `VALIDATION` when of another account).
async fn unit_of_account(
    w: &persistence::write::Writer,
    p: &Principal,
    account: Uuid,
    id: Uuid,
    field: &str,
) -> ApiResult<business_unit::Model> {
    let u = whitespace::business_unit(w.conn(), p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("business unit", field))?;
    if u.account_id != account {
        return Err(ApiError::validation(field, "belongs to another account"));
    }
    Ok(u)
}

/// Puts a business unit under another unit of the same account, or at the
/// top (`None`); cycles and trees deeper than ten levels are refused. The
/// account's row lock serialises changes to one account's tree.
pub async fn set_unit_parent(
    db: &Db,
    p: &Principal,
    id: Uuid,
    parent_id: Option<Uuid>,
) -> ApiResult<business_unit::Model> {
    let w = writer(db, p).await?;
    let unit = whitespace::business_unit(w.conn(), p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("business unit", "id"))?;
    let account = load_account_for_write(w.conn(), p, AccountId(unit.account_id)).await?;
    if let Some(parent) = parent_id {
        unit_of_account(&w, p, account.id, parent, "parentId").await?;
        let tree: std::collections::HashMap<Uuid, Uuid> =
            whitespace::business_units_of(w.conn(), p.tenant_id, &[account.id])
                .await?
                .into_iter()
                .filter_map(|u| u.parent_id.map(|p| (u.id, p)))
                .collect();
        domain::whitespace::check_unit_parent(
            unit.id,
            parent,
            &domain::whitespace::chain_above(parent, &tree),
            domain::whitespace::subtree_height(unit.id, &tree),
        )?;
    }
    let mut m = unit;
    m.parent_id = parent_id;
    let m = w.update::<business_unit::Entity>(m, Op::Updated).await?;
    w.commit().await?;
    Ok(m)
}

/// Adds a business unit, division or location to an account (the account's
/// writers). Names are unique in the account (`CONFLICT` on `name`).
pub async fn add_business_unit(
    db: &Db,
    p: &Principal,
    account_id: AccountId,
    name: &str,
    kind: BusinessUnitKind,
    parent_id: Option<Uuid>,
) -> ApiResult<business_unit::Model> {
    let new = NewBusinessUnit::parse(name, kind)?;
    let w = writer(db, p).await?;
    let account = load_account_for_write(w.conn(), p, account_id).await?;
    if let Some(parent) = parent_id {
        unit_of_account(&w, p, account.id, parent, "parentId").await?;
    }
    let m = business_unit::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        account_id: Set(account.id),
        name_key: Set(sort_key(new.name.as_str())),
        name: Set(new.name.into_inner()),
        kind: Set(new.kind.as_str().to_owned()),
        parent_id: Set(parent_id),
        deleted_at: Set(None),
        ..Default::default()
    };
    let m = w
        .insert::<business_unit::Entity>(m)
        .await
        .map_err(duplicate_name("a business unit of this account"))?;
    w.commit().await?;
    Ok(m)
}

/// Where a cell goes: the account, its business unit (row), the product
/// (column), and for an OPPORTUNITY the objective that pursues it.
#[derive(Debug, Clone, Copy)]
pub struct CellTarget {
    pub account_id: AccountId,
    pub business_unit_id: Uuid,
    pub product_id: Uuid,
    pub objective_id: Option<Uuid>,
    /// For a COMPETITOR_HELD cell: a competitor of the same account.
    pub competitor_id: Option<Uuid>,
}

/// Sets the cell of a business unit and a product: inserts it, or replaces
/// every field of the cell already there (absent fields are cleared).
///
/// The business unit must be of the account and the objective of a plan of
/// the account (else `VALIDATION`); an inactive product takes no new cells,
/// while its existing cells can still be changed.
pub async fn set_cell(
    db: &Db,
    p: &Principal,
    target: CellTarget,
    input: CellInput,
) -> ApiResult<white_space_cell::Model> {
    let mut input = input;
    if target.competitor_id.is_some()
        && input.status != domain::whitespace::CellStatus::CompetitorHeld
    {
        return Err(ApiError::validation(
            "competitorId",
            "only applies to a COMPETITOR_HELD cell",
        ));
    }
    let w = writer(db, p).await?;
    let account = load_account_for_write(w.conn(), p, target.account_id).await?;
    if let Some(id) = target.competitor_id {
        // The competitor's name stands in when the cell names none.
        let c = super::competitors::for_cell(&w, p, account.id, id).await?;
        if input
            .competitor
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            input.competitor = Some(c.name);
        }
    }
    let cell = WhiteSpaceCell::parse(input)?;
    check_objective_link(cell.status, target.objective_id.is_some())?;
    let unit = whitespace::business_unit(w.conn(), p.tenant_id, target.business_unit_id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("business unit", "businessUnitId"))?;
    if unit.account_id != account.id {
        return Err(ApiError::validation(
            "businessUnitId",
            "belongs to another account",
        ));
    }
    let product = whitespace::product(w.conn(), p.tenant_id, target.product_id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("product", "productId"))?;
    if let Some(o) = target.objective_id {
        let objective = plans::objective(w.conn(), p.tenant_id, o)
            .await?
            .ok_or_else(|| ApiError::not_found_in("objective", "objectiveId"))?;
        let plan = plans::get(w.conn(), p.tenant_id, objective.plan_id)
            .await?
            .ok_or_else(|| ApiError::not_found_in("objective", "objectiveId"))?;
        if plan.account_id != account.id {
            return Err(ApiError::validation(
                "objectiveId",
                "is an objective of another account's plan",
            ));
        }
    }
    let (minor, currency) = match &cell.estimated_value {
        Some(m) => (Some(m.minor_units()), Some(m.currency.as_str().to_owned())),
        None => (None, None),
    };
    let existing = whitespace::cell_at(w.conn(), p.tenant_id, unit.id, product.id).await?;
    let m = match existing {
        Some(before) => {
            let m = white_space_cell::Model {
                status: cell.status.as_str().to_owned(),
                estimated_value_minor: minor,
                estimated_value_currency: currency,
                competitor: cell.competitor,
                notes: cell.notes,
                objective_id: target.objective_id,
                competitor_id: target.competitor_id,
                ..before
            };
            w.update::<white_space_cell::Entity>(m, Op::Updated).await?
        }
        None => {
            if !product.active {
                return Err(ApiError::validation(
                    "productId",
                    "is inactive: it takes no new cells",
                ));
            }
            let m = white_space_cell::ActiveModel {
                tenant_id: Set(p.tenant_id.0),
                id: Set(Uuid::now_v7()),
                account_id: Set(account.id),
                business_unit_id: Set(unit.id),
                product_id: Set(product.id),
                status: Set(cell.status.as_str().to_owned()),
                estimated_value_minor: Set(minor),
                estimated_value_currency: Set(currency),
                competitor: Set(cell.competitor),
                notes: Set(cell.notes),
                objective_id: Set(target.objective_id),
                competitor_id: Set(target.competitor_id),
                deleted_at: Set(None),
                ..Default::default()
            };
            w.insert::<white_space_cell::Entity>(m).await?
        }
    };
    w.commit().await?;
    Ok(m)
}
