//! Accounts: create, update, archive/restore, delete (tombstone).

use super::team::{add_owner, authorize_account, authorize_owner_change, move_owner};
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::account::{AccountChanges, AccountInput, AccountPatchInput, NewAccount};
use domain::team::TeamRole;
use domain::text::{Money, sort_key};
use domain::{AccountId, Action, Principal, Record, UserId, authorize};
use persistence::entity::account;
use persistence::repo::{accounts, hierarchy, tenants, users};
use persistence::write::Op;
use persistence::{ConnectionTrait, Db, Set, StoreError};

/// Checks that `account` may get `parent` (same tenant, live, no cycle,
/// the tree not deeper than `domain::hierarchy::MAX_DEPTH`). The caller
/// took the tenant's hierarchy lock first in its transaction (before
/// locking any account row: the parent's foreign key takes a share lock on
/// the parent's row), so that a concurrent change cannot slip a cycle past
/// the check, nor deadlock with it.
async fn check_parent(
    w: &persistence::write::Writer,
    p: &Principal,
    account: uuid::Uuid,
    parent: AccountId,
    has_children: bool,
) -> ApiResult<()> {
    let conn = w.conn();
    accounts::get(conn, p.tenant_id, parent)
        .await?
        .ok_or_else(|| ApiError::not_found_in("account", "parentId"))?;
    let chain = hierarchy::chain_up(conn, p.tenant_id, parent.0).await?;
    let height = if has_children {
        hierarchy::subtree_height(conn, p.tenant_id, account).await?
    } else {
        1
    };
    domain::hierarchy::check_parent("parentId", account, parent.0, &chain, height)?;
    Ok(())
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
    // The caller's place on the new account's team: its owner, or none.
    let team = (owner == p.user_id).then_some(TeamRole::Owner);
    authorize(p, Action::Create, Record::Account { team })?;
    let w = writer(db, p).await?;
    check_owner(w.conn(), p, owner).await?;
    let id = AccountId::new();
    if let Some(parent) = new.parent_id {
        tenants::lock_for_hierarchy(w.conn(), p.tenant_id).await?;
        check_parent(&w, p, id.0, parent, false).await?;
    }
    let (rev, rev_cur) = split_money(new.annual_revenue.as_ref());
    let (wal, wal_cur) = split_money(new.wallet_estimate.as_ref());
    let (source, external_id) = domain::account::split_external(new.external_ref);
    let created = w
        .insert::<account::Entity>(account::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(id.0),
            name_key: Set(sort_key(new.name.as_str())),
            name: Set(new.name.into_inner()),
            industry: Set(new.industry),
            website: Set(new.website.map(|w| w.as_str().to_owned())),
            region: Set(new.region),
            status: Set(new.status.as_str().to_owned()),
            tier: Set(new.tier.as_str().to_owned()),
            owner_id: Set(owner.0),
            parent_id: Set(new.parent_id.map(|a| a.0)),
            annual_revenue_minor: Set(rev),
            annual_revenue_currency: Set(rev_cur),
            wallet_estimate_minor: Set(wal),
            wallet_estimate_currency: Set(wal_cur),
            source: Set(source),
            external_id: Set(external_id),
            archived_at: Set(None),
            deleted_at: Set(None),
            ..Default::default()
        })
        .await
        .map_err(duplicate_external)?;
    add_owner(&w, p, created.id, owner.0).await?;
    w.commit().await?;
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

pub async fn update(
    db: &Db,
    p: &Principal,
    id: AccountId,
    patch: AccountPatchInput,
) -> ApiResult<account::Model> {
    let changes = AccountChanges::parse(patch)?;
    let w = writer(db, p).await?;
    if matches!(changes.parent_id, domain::Patch::Set(_)) {
        tenants::lock_for_hierarchy(w.conn(), p.tenant_id).await?;
    }
    let before = load(w.conn(), p, id).await?;
    let mut m = before.clone();
    match changes.owner_id {
        Some(owner) if owner.0 != before.owner_id => {
            authorize_owner_change(w.conn(), p, before.id, owner).await?;
            check_owner(w.conn(), p, owner).await?;
            move_owner(&w, p, before.id, owner.0).await?;
            m.owner_id = owner.0;
        }
        _ => authorize_account(w.conn(), p, Action::Update, before.id).await?,
    }
    match changes.parent_id {
        domain::Patch::Set(parent) if Some(parent.0) != before.parent_id => {
            check_parent(&w, p, before.id, parent, true).await?;
            m.parent_id = Some(parent.0);
        }
        domain::Patch::Clear => m.parent_id = None,
        _ => {}
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
    let m = w
        .update::<account::Entity>(m, Op::Updated)
        .await
        .map_err(duplicate_external)?;
    w.commit().await?;
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
    let w = writer(db, p).await?;
    let mut m = load(w.conn(), p, id).await?;
    let action = if archive {
        Action::Archive
    } else {
        Action::Restore
    };
    authorize_account(w.conn(), p, action, m.id).await?;
    if m.archived_at.is_some() == archive {
        return Ok(m);
    }
    m.archived_at = if archive { Some(w.at()) } else { None };
    let op = if archive { Op::Archived } else { Op::Restored };
    let m = w.update::<account::Entity>(m, op).await?;
    w.commit().await?;
    Ok(m)
}

/// Deletes an account (admins only): a tombstone stays for integrations; the
/// account, its contacts, activities and plans (with their objectives,
/// contingencies and action items) disappear from every query; its
/// subsidiaries lose their parent.
pub async fn delete(db: &Db, p: &Principal, id: AccountId) -> ApiResult<account::Model> {
    let w = writer(db, p).await?;
    let mut m = load(w.conn(), p, id).await?;
    authorize_account(w.conn(), p, Action::Delete, m.id).await?;
    m.deleted_at = Some(w.at());
    let m = w.update::<account::Entity>(m, Op::Deleted).await?;
    persistence::repo::contacts::tombstone_account(&w, p.tenant_id, id).await?;
    // Its subsidiaries stay, as accounts of their own (roots now).
    accounts::detach_children(&w, p.tenant_id, id).await?;
    accounts::tombstone_children(&w, p.tenant_id, id).await?;
    w.commit().await?;
    Ok(m)
}
