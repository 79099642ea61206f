//! Competitors present in an account: added, changed and removed
//! (tombstone) by the account's writers. Removing one clears the
//! white-space cells that pointed to it (their competitor's name stays).

use super::profiles::writable_account;
use super::team::writable_record;
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::competitor::{Competitor, CompetitorInput, CompetitorPatch, CompetitorPosition};
use domain::text::RequiredText;
use domain::{AccountId, Principal};
use persistence::entity::account_competitor as competitor;
use persistence::repo::profiles;
use persistence::write::{Op, Writer};
use persistence::{Db, Set};
use uuid::Uuid;

/// Adds a competitor to an account.
pub async fn add(
    db: &Db,
    p: &Principal,
    account: AccountId,
    input: CompetitorInput,
) -> ApiResult<competitor::Model> {
    let c = Competitor::parse(input)?;
    let w = writer(db, p).await?;
    let account = writable_account(&w, p, account).await?;
    let m = w
        .insert::<competitor::Entity>(competitor::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(account),
            name: Set(c.name.into_inner()),
            position: Set(c.position.as_str().to_owned()),
            offering: Set(c.offering),
            notes: Set(c.notes),
            deleted_at: Set(None),
            ..Default::default()
        })
        .await?;
    w.commit().await?;
    Ok(m)
}

async fn load(w: &Writer, p: &Principal, id: Uuid) -> ApiResult<competitor::Model> {
    let found = profiles::competitor_for_update(w.conn(), p.tenant_id, id).await?;
    writable_record(w, p, found, "competitor", |m| m.account_id).await
}

/// Changes a competitor.
pub async fn update(
    db: &Db,
    p: &Principal,
    id: Uuid,
    patch: CompetitorPatch,
) -> ApiResult<competitor::Model> {
    let w = writer(db, p).await?;
    let mut m = load(&w, p, id).await?;
    let mut c = Competitor {
        name: RequiredText::parse("name", &m.name, usize::MAX)?,
        position: CompetitorPosition::from_str_opt(&m.position)
            .unwrap_or(CompetitorPosition::Challenger),
        offering: m.offering.clone(),
        notes: m.notes.clone(),
    };
    c.apply(patch)?;
    m.name = c.name.into_inner();
    m.position = c.position.as_str().to_owned();
    m.offering = c.offering;
    m.notes = c.notes;
    let m = w.update::<competitor::Entity>(m, Op::Updated).await?;
    w.commit().await?;
    Ok(m)
}

/// Removes a competitor (a tombstone stays) and unlinks its cells.
pub async fn remove(db: &Db, p: &Principal, id: Uuid) -> ApiResult<competitor::Model> {
    let w = writer(db, p).await?;
    let mut m = load(&w, p, id).await?;
    m.deleted_at = Some(w.at());
    let m = w.update::<competitor::Entity>(m, Op::Deleted).await?;
    profiles::unlink_competitor(&w, p.tenant_id, m.id).await?;
    w.commit().await?;
    Ok(m)
}

/// The competitor a cell of `account` may point to: live, of the tenant
/// (`NOT_FOUND`) and of the same account (`VALIDATION`).
pub async fn for_cell(
    w: &Writer,
    p: &Principal,
    account: Uuid,
    id: Uuid,
) -> ApiResult<competitor::Model> {
    let c = profiles::competitors_by_ids(w.conn(), p.tenant_id, &[id])
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found_in("competitor", "competitorId"))?;
    if c.account_id != account {
        return Err(ApiError::validation(
            "competitorId",
            "is a competitor of another account",
        ));
    }
    Ok(c)
}
