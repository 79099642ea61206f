//! Activities: logged, changed and deleted (tombstone) by the account's
//! writers. A plain log (contacts, hours) takes the one-statement hot path
//! (`repo::activities::insert_checked`); a log naming participants or the
//! action-item occurrence it fulfils, and every change, run in a `Writer`
//! transaction.

use super::profiles::writable_account;
use super::team::writable_record;
use super::{changed_meanwhile, writer};
use crate::error::{ApiError, ApiResult};
use chrono::Utc;
use domain::activity::{ActivityInput, ActivityKind, ActivityPatch, NewActivity};
use domain::{AccountId, Action, Principal};
use persistence::entity::activity;
use persistence::repo::activities::InsertOutcome;
use persistence::repo::{activities, users};
use persistence::write::{Op, Stamp, Writer};
use persistence::{Db, Set};
use uuid::Uuid;

/// Logs an activity with the contacts involved (live contacts of the same
/// account), atomically.
pub async fn log(
    db: &Db,
    p: &Principal,
    account_id: AccountId,
    input: ActivityInput,
) -> ApiResult<activity::Model> {
    let new = NewActivity::parse(input, Utc::now())?;
    if !new.participant_ids.is_empty() || new.fulfils.is_some() {
        return log_in_tx(db, p, account_id, new).await;
    }
    // Managers may log on any account: the write itself checks that the
    // account exists (one round trip). Others are authorised against their
    // place on the account's team read here, which the write re-checks
    // atomically (it inserts only if they still write the account).
    let writer = super::team::statement_writer(db, p, Action::Create, account_id.0).await?;
    let hours = new.hours_hundredths();
    let (source, external_id) = domain::account::split_external(new.external_ref);
    let am = activity::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        account_id: Set(account_id.0),
        kind: Set(new.kind.as_str().to_owned()),
        occurred_at: Set(new.occurred_at),
        hours_hundredths: Set(hours),
        summary: Set(new.summary.into_inner()),
        source: Set(source),
        external_id: Set(external_id),
        action_item_id: Set(None),
        action_due_date: Set(None),
        deleted_at: Set(None),
        ..Default::default()
    };
    let wanted: Vec<Uuid> = new.contact_ids.iter().map(|c| c.0).collect();
    let stamp = Stamp::now(Some(p.user_id.0), p.request);
    let (outcome, m) = activities::insert_checked(db, stamp, am, &wanted, writer)
        .await
        .map_err(|e| {
            if e.is_unique("external") || e.is_unique("source") {
                ApiError::validation(
                    "externalRef.externalId",
                    "another activity already has this source and external id",
                )
            } else {
                e.into()
            }
        })?;
    match outcome {
        InsertOutcome::Inserted => Ok(m),
        InsertOutcome::ContactNotFound => Err(ApiError::not_found_in("contact", "contactIds")),
        InsertOutcome::AccountChanged if writer.is_none() => {
            Err(ApiError::not_found_in("account", "accountId"))
        }
        InsertOutcome::AccountChanged => Err(changed_meanwhile()),
    }
}

/// Checks that `ids` are users of the tenant (`NOT_FOUND` on
/// `participantIds` otherwise).
async fn check_participants(w: &Writer, p: &Principal, ids: &[Uuid]) -> ApiResult<()> {
    let found = users::by_ids(w.conn(), p.tenant_id, ids).await?;
    if found.len() != ids.len() {
        return Err(ApiError::not_found_in("user", "participantIds"));
    }
    Ok(())
}

/// Links contacts (live contacts of the account) or fails with `NOT_FOUND`.
async fn check_linked(linked: u64, wanted: usize) -> ApiResult<()> {
    if linked != wanted as u64 {
        return Err(ApiError::not_found_in("contact", "contactIds"));
    }
    Ok(())
}

/// The log of an activity with participants or an occurrence it fulfils:
/// one transaction under the account's row lock.
async fn log_in_tx(
    db: &Db,
    p: &Principal,
    account_id: AccountId,
    new: NewActivity,
) -> ApiResult<activity::Model> {
    let w = writer(db, p).await?;
    let account = writable_account(&w, p, account_id).await?;
    let participants: Vec<Uuid> = new.participant_ids.iter().map(|u| u.0).collect();
    check_participants(&w, p, &participants).await?;
    // The occurrence first: its item must exist before a row points to it.
    if let Some(f) = new.fulfils {
        let tenant = persistence::repo::tenants::get(w.conn(), p.tenant_id)
            .await?
            .ok_or_else(|| ApiError::not_found("tenant"))?;
        let on = domain::cadence::today_in(&tenant.time_zone, new.occurred_at);
        super::actions::fulfil(&w, p, account, f, on, new.summary.as_str()).await?;
    }
    let (source, external_id) = domain::account::split_external(new.external_ref.clone());
    let a = w
        .insert::<activity::Entity>(activity::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(account),
            kind: Set(new.kind.as_str().to_owned()),
            occurred_at: Set(new.occurred_at),
            hours_hundredths: Set(new.hours_hundredths()),
            summary: Set(new.summary.as_str().to_owned()),
            source: Set(source),
            external_id: Set(external_id),
            action_item_id: Set(new.fulfils.map(|f| f.0)),
            action_due_date: Set(new.fulfils.map(|f| f.1)),
            deleted_at: Set(None),
            ..Default::default()
        })
        .await
        .map_err(|e| {
            if e.is_unique("external") || e.is_unique("source") {
                ApiError::validation(
                    "externalRef.externalId",
                    "another activity already has this source and external id",
                )
            } else {
                e.into()
            }
        })?;
    let wanted: Vec<Uuid> = new.contact_ids.iter().map(|c| c.0).collect();
    check_linked(
        activities::link_contacts(w.conn(), &a, &wanted).await?,
        wanted.len(),
    )
    .await?;
    activities::replace_participants(&w, p.tenant_id, a.id, &participants).await?;
    w.commit().await?;
    Ok(a)
}

/// An activity as the domain sees it, from its row and links.
async fn parsed(w: &Writer, p: &Principal, m: &activity::Model) -> ApiResult<NewActivity> {
    let contacts = activities::contact_ids_of(w.conn(), p.tenant_id, m.id).await?;
    let participants: Vec<domain::UserId> =
        activities::participants_of(w.conn(), p.tenant_id, &[m.id])
            .await?
            .into_iter()
            .map(|(_, u)| domain::UserId(u))
            .collect();
    let mut contact_ids: Vec<domain::ContactId> =
        contacts.into_iter().map(domain::ContactId).collect();
    contact_ids.sort();
    Ok(NewActivity {
        kind: ActivityKind::from_str_opt(&m.kind).unwrap_or(ActivityKind::Other),
        occurred_at: m.occurred_at,
        hours_spent: rust_decimal::Decimal::new(i64::from(m.hours_hundredths), 2).normalize(),
        summary: domain::text::RequiredText::parse("summary", &m.summary, usize::MAX)?,
        contact_ids,
        external_ref: None,
        participant_ids: participants,
        fulfils: m.action_item_id.zip(m.action_due_date),
    })
}

/// Changes an activity: kind, time, hours, summary; `contactIds` and
/// `participantIds` replace the lists when given.
pub async fn update(
    db: &Db,
    p: &Principal,
    id: Uuid,
    patch: ActivityPatch,
) -> ApiResult<activity::Model> {
    let w = writer(db, p).await?;
    let found = activities::for_update(w.conn(), p.tenant_id, id).await?;
    let mut m = writable_record(&w, p, found, "activity", |a| a.account_id).await?;
    let new_contacts = patch.contact_ids.is_some();
    let new_participants = patch.participant_ids.is_some();
    let mut a = parsed(&w, p, &m).await?;
    a.apply(patch, w.at())?;
    m.kind = a.kind.as_str().to_owned();
    m.occurred_at = a.occurred_at;
    m.hours_hundredths = a.hours_hundredths();
    m.summary = a.summary.as_str().to_owned();
    let m = w.update::<activity::Entity>(m, Op::Updated).await?;
    if new_contacts {
        let wanted: Vec<Uuid> = a.contact_ids.iter().map(|c| c.0).collect();
        check_linked(
            activities::replace_contacts(&w, &m, &wanted).await?,
            wanted.len(),
        )
        .await?;
    }
    if new_participants {
        let users: Vec<Uuid> = a.participant_ids.iter().map(|u| u.0).collect();
        check_participants(&w, p, &users).await?;
        activities::replace_participants(&w, p.tenant_id, m.id, &users).await?;
    }
    w.commit().await?;
    Ok(m)
}

/// Deletes an activity (a tombstone stays; an occurrence it fulfilled
/// stays assessed, and signals that named it keep their evidence).
pub async fn delete(db: &Db, p: &Principal, id: Uuid) -> ApiResult<activity::Model> {
    let w = writer(db, p).await?;
    let found = activities::for_update(w.conn(), p.tenant_id, id).await?;
    let mut m = writable_record(&w, p, found, "activity", |a| a.account_id).await?;
    m.deleted_at = Some(w.at());
    let m = w.update::<activity::Entity>(m, Op::Deleted).await?;
    w.commit().await?;
    Ok(m)
}
