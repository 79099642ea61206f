//! Accounts: create, update, archive/restore, delete (tombstone).

use super::{begin, changed_meanwhile, commit};
use crate::error::{ApiError, ApiResult};
use domain::account::{AccountChanges, AccountInput, AccountPatchInput, NewAccount};
use domain::text::{Money, sort_key};
use domain::{AccountId, Action, Principal, Record, UserId, authorize};
use persistence::entity::account;
use persistence::repo::{accounts, now, users};
use persistence::{ConnectionTrait, Db, StoreError};

fn record(m: &account::Model) -> Record {
    Record::Account {
        owner_id: UserId(m.owner_id),
    }
}

/// The owner must be an active user of the caller's tenant.
async fn check_owner(conn: &impl ConnectionTrait, p: &Principal, owner: UserId) -> ApiResult<()> {
    match users::get(conn, p.tenant_id, owner).await? {
        Some(u) if u.active => Ok(()),
        Some(_) => Err(ApiError::validation(
            "ownerId",
            "the owner must be an active user",
        )),
        None => Err(ApiError::not_found_in("user", "ownerId")),
    }
}

fn split_money(m: Option<&Money>) -> (Option<i64>, Option<String>) {
    match m {
        Some(m) => (Some(m.minor_units()), Some(m.currency.as_str().to_owned())),
        None => (None, None),
    }
}

fn duplicate_external(e: StoreError) -> ApiError {
    if e.is_unique("external") || e.is_unique("source") {
        ApiError::validation(
            "externalRef.externalId",
            "another account already has this source and external id",
        )
    } else {
        e.into()
    }
}

pub async fn create(db: &Db, p: &Principal, input: AccountInput) -> ApiResult<account::Model> {
    let new = NewAccount::parse(input)?;
    let owner = new.owner_id.unwrap_or(p.user_id);
    authorize(p, Action::Create, Record::Account { owner_id: owner })?;
    let tx = begin(db).await?;
    check_owner(&tx, p, owner).await?;
    let at = now();
    let (rev, rev_cur) = split_money(new.annual_revenue.as_ref());
    let (wal, wal_cur) = split_money(new.wallet_estimate.as_ref());
    let (source, external_id) = domain::account::split_external(new.external_ref);
    let m = account::Model {
        tenant_id: p.tenant_id.0,
        id: AccountId::new().0,
        name_key: sort_key(new.name.as_str()),
        name: new.name.into_inner(),
        industry: new.industry,
        website: new.website.map(|w| w.as_str().to_owned()),
        region: new.region,
        status: new.status.as_str().to_owned(),
        tier: new.tier.as_str().to_owned(),
        owner_id: owner.0,
        annual_revenue_minor: rev,
        annual_revenue_currency: rev_cur,
        wallet_estimate_minor: wal,
        wallet_estimate_currency: wal_cur,
        source,
        external_id,
        archived_at: None,
        deleted_at: None,
        created_at: at,
        created_by: Some(p.user_id.0),
        updated_at: at,
        updated_by: Some(p.user_id.0),
        version: 1,
    };
    let created = accounts::insert(&tx, m).await.map_err(duplicate_external)?;
    commit(tx).await?;
    Ok(created)
}

/// Loads the account for a write (locked on Postgres), or NOT_FOUND.
async fn load(
    conn: &impl ConnectionTrait,
    p: &Principal,
    id: AccountId,
) -> ApiResult<account::Model> {
    accounts::get_for_update(conn, p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("account", "id"))
}

fn touch(m: &mut account::Model, p: &Principal) {
    m.updated_at = now();
    m.updated_by = Some(p.user_id.0);
    m.version += 1;
}

pub async fn update(
    db: &Db,
    p: &Principal,
    id: AccountId,
    patch: AccountPatchInput,
) -> ApiResult<account::Model> {
    let changes = AccountChanges::parse(patch)?;
    let tx = begin(db).await?;
    let before = load(&tx, p, id).await?;
    authorize(p, Action::Update, record(&before))?;
    let mut m = before.clone();
    if let Some(owner) = changes.owner_id {
        // The caller must also be allowed to write the account as it will be.
        authorize(p, Action::Update, Record::Account { owner_id: owner })?;
        check_owner(&tx, p, owner).await?;
        m.owner_id = owner.0;
    }
    if let Some(n) = changes.name {
        m.name_key = sort_key(n.as_str());
        m.name = n.into_inner();
    }
    changes.industry.apply_to(&mut m.industry);
    changes
        .website
        .map(|w| w.as_str().to_owned())
        .apply_to(&mut m.website);
    changes.region.apply_to(&mut m.region);
    if let Some(s) = changes.status {
        m.status = s.as_str().to_owned();
    }
    if let Some(t) = changes.tier {
        m.tier = t.as_str().to_owned();
    }
    apply_money(
        changes.annual_revenue,
        &mut m.annual_revenue_minor,
        &mut m.annual_revenue_currency,
    );
    apply_money(
        changes.wallet_estimate,
        &mut m.wallet_estimate_minor,
        &mut m.wallet_estimate_currency,
    );
    domain::account::patch_external(changes.external_ref, &mut m.source, &mut m.external_id);
    touch(&mut m, p);
    if !accounts::update(&tx, m.clone())
        .await
        .map_err(duplicate_external)?
    {
        return Err(changed_meanwhile());
    }
    commit(tx).await?;
    Ok(m)
}

fn apply_money(
    patch: domain::Patch<Money>,
    minor: &mut Option<i64>,
    currency: &mut Option<String>,
) {
    match patch {
        domain::Patch::Unchanged => {}
        domain::Patch::Clear => {
            *minor = None;
            *currency = None;
        }
        domain::Patch::Set(v) => {
            *minor = Some(v.minor_units());
            *currency = Some(v.currency.as_str().to_owned());
        }
    }
}

/// Archives (`archive = true`) or restores an account. Idempotent.
pub async fn set_archived(
    db: &Db,
    p: &Principal,
    id: AccountId,
    archive: bool,
) -> ApiResult<account::Model> {
    let tx = begin(db).await?;
    let mut m = load(&tx, p, id).await?;
    let action = if archive {
        Action::Archive
    } else {
        Action::Restore
    };
    authorize(p, action, record(&m))?;
    if m.archived_at.is_some() == archive {
        return Ok(m);
    }
    m.archived_at = if archive { Some(now()) } else { None };
    touch(&mut m, p);
    if !accounts::update(&tx, m.clone()).await? {
        return Err(changed_meanwhile());
    }
    commit(tx).await?;
    Ok(m)
}

/// Deletes an account (admins only): a tombstone stays for integrations; the
/// account, its contacts, activities and plans (with their objectives,
/// contingencies and action items) disappear from every query.
pub async fn delete(db: &Db, p: &Principal, id: AccountId) -> ApiResult<account::Model> {
    let tx = begin(db).await?;
    let mut m = load(&tx, p, id).await?;
    authorize(p, Action::Delete, record(&m))?;
    let at = now();
    m.deleted_at = Some(at);
    touch(&mut m, p);
    if !accounts::update(&tx, m.clone()).await? {
        return Err(changed_meanwhile());
    }
    persistence::repo::contacts::tombstone_account(&tx, p.tenant_id, id, p.user_id.0).await?;
    accounts::tombstone_children(&tx, p.tenant_id, id, p.user_id.0).await?;
    commit(tx).await?;
    Ok(m)
}
