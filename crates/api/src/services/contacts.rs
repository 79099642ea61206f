//! Contacts: create, update (with reporting-line checks), delete
//! (tombstone), erase personal data.

use super::team::authorize_contact;
use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::contact::{
    ContactChanges, ContactInput, ContactPatchInput, ERASED_NAME, NewContact, check_reports_to,
};
use domain::text::sort_key;
use domain::{AccountId, Action, ContactId, Patch, Principal, UserId};
use persistence::entity::{account, contact};
use persistence::repo::{accounts, contacts, users};
use persistence::write::Op;
use persistence::{ConnectionTrait, Db, Set, StoreError};

/// Sort key of a contact: last name, then first name. The separator
/// (U+0001) sorts before every printable character, so "Berg" + "Zoe" comes
/// before "Berg Olsen" + "Al".
fn name_key(first: &str, last: &str) -> String {
    format!("{}\u{1}{}", sort_key(last), sort_key(first))
}

fn duplicate_external(e: StoreError) -> ApiError {
    if e.is_unique("external") || e.is_unique("source") {
        ApiError::validation(
            "externalRef.externalId",
            "another contact already has this source and external id",
        )
    } else {
        e.into()
    }
}

async fn check_relationship_owner(
    conn: &impl ConnectionTrait,
    p: &Principal,
    id: UserId,
) -> ApiResult<()> {
    match users::get(conn, p.tenant_id, id).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found_in("user", "relationshipOwnerId")),
    }
}

/// Checks that `contact` (of `account`) may report to `manager`.
async fn check_manager(
    conn: &impl ConnectionTrait,
    p: &Principal,
    contact: ContactId,
    account: AccountId,
    manager: ContactId,
) -> ApiResult<()> {
    let m = contacts::get(conn, p.tenant_id, manager)
        .await?
        .ok_or_else(|| ApiError::not_found_in("contact", "reportsToId"))?;
    let lines = contacts::reporting_lines(conn, p.tenant_id, account).await?;
    check_reports_to(contact, account, manager, AccountId(m.account_id), |c| {
        lines.get(&c).copied()
    })?;
    Ok(())
}

pub async fn create(
    db: &Db,
    p: &Principal,
    account_id: AccountId,
    input: ContactInput,
) -> ApiResult<contact::Model> {
    let new = NewContact::parse(input)?;
    let w = writer(db, p).await?;
    // Locks the account: reporting lines within it change one writer at a time.
    let account = accounts::get_for_update(w.conn(), p.tenant_id, account_id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("account", "accountId"))?;
    authorize_contact(w.conn(), p, Action::Create, account.id).await?;
    let id = ContactId::new();
    if let Some(m) = new.reports_to_id {
        check_manager(w.conn(), p, id, account_id, m).await?;
    }
    if let Some(o) = new.relationship_owner_id {
        check_relationship_owner(w.conn(), p, o).await?;
    }
    let (source, external_id) = domain::account::split_external(new.external_ref);
    let m = contact::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(id.0),
        account_id: Set(account_id.0),
        name_key: Set(name_key(new.first_name.as_str(), new.last_name.as_str())),
        first_name: Set(new.first_name.into_inner()),
        last_name: Set(new.last_name.into_inner()),
        title: Set(new.title),
        department: Set(new.department),
        email: Set(new.email.map(|e| e.as_str().to_owned())),
        phone: Set(new.phone.map(|p| p.as_str().to_owned())),
        status: Set(new.status.as_str().to_owned()),
        buying_role: Set(new.buying_role.map(|r| r.as_str().to_owned())),
        influence: Set(new.influence.map(|i| i16::from(i.get()))),
        attitude: Set(new.attitude.map(|a| a.as_str().to_owned())),
        reports_to_id: Set(new.reports_to_id.map(|c| c.0)),
        relationship_owner_id: Set(new.relationship_owner_id.map(|u| u.0)),
        preferred_channel: Set(new.preferred_channel.map(|c| c.as_str().to_owned())),
        preferred_frequency: Set(new.preferred_frequency.map(|c| c.as_str().to_owned())),
        source: Set(source),
        external_id: Set(external_id),
        erased_at: Set(None),
        deleted_at: Set(None),
        ..Default::default()
    };
    let created = w
        .insert::<contact::Entity>(m)
        .await
        .map_err(duplicate_external)?;
    w.commit().await?;
    super::alerts::after_change(
        db,
        p,
        created.account_id,
        domain::jeopardy::AlertRule::CONTACTS,
    )
    .await;
    Ok(created)
}

/// Loads a contact and its account (locked on Postgres) for a write.
async fn load(
    conn: &impl ConnectionTrait,
    p: &Principal,
    id: ContactId,
) -> ApiResult<(contact::Model, account::Model)> {
    let c = contacts::get(conn, p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("contact", "id"))?;
    let a = accounts::get_for_update(conn, p.tenant_id, AccountId(c.account_id))
        .await?
        .ok_or_else(|| ApiError::not_found_in("contact", "id"))?;
    // Re-read under the account lock: a concurrent writer may have moved it.
    let c = contacts::get(conn, p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("contact", "id"))?;
    Ok((c, a))
}

/// Replaces the colleagues of ours a contact prefers (in order; the
/// contact's writers): active users of the tenant, each once.
pub async fn set_preferred_colleagues(
    db: &Db,
    p: &Principal,
    id: ContactId,
    users: Vec<domain::UserId>,
) -> ApiResult<contact::Model> {
    let users = domain::contact::preferred_colleagues(users)?;
    let w = writer(db, p).await?;
    let (c, account) = load(w.conn(), p, id).await?;
    authorize_contact(w.conn(), p, Action::Update, account.id).await?;
    let ids: Vec<uuid::Uuid> = users.iter().map(|u| u.0).collect();
    let found = persistence::repo::users::by_ids(w.conn(), p.tenant_id, &ids).await?;
    for (i, u) in ids.iter().enumerate() {
        match found.iter().find(|f| f.id == *u) {
            None => {
                return Err(ApiError::not_found_in("user", &format!("userIds.{i}")));
            }
            Some(f) if !f.active => {
                return Err(ApiError::validation(
                    &format!("userIds.{i}"),
                    "is deactivated",
                ));
            }
            Some(_) => {}
        }
    }
    persistence::repo::success::replace_preferred(&w, p.tenant_id, c.id, &ids).await?;
    // The contact's version counts the change.
    let c = w.update::<contact::Entity>(c, Op::Updated).await?;
    w.commit().await?;
    Ok(c)
}

fn text_patch<T: AsRef<str>>(p: Patch<T>) -> Patch<String> {
    p.map(|v| v.as_ref().to_owned())
}

pub async fn update(
    db: &Db,
    p: &Principal,
    id: ContactId,
    patch: ContactPatchInput,
) -> ApiResult<contact::Model> {
    let changes: ContactChanges = ContactChanges::parse(patch)?;
    let w = writer(db, p).await?;
    let (before, account) = load(w.conn(), p, id).await?;
    authorize_contact(w.conn(), p, Action::Update, account.id).await?;
    if before.erased_at.is_some()
        && let Some(field) = changes.personal_field()
    {
        return Err(ApiError::Conflict {
            message: "the contact's personal data was erased: it takes no personal data".into(),
            field: Some(field.into()),
        });
    }
    let mut m = before;
    if let Patch::Set(mgr) = changes.reports_to_id {
        check_manager(w.conn(), p, id, AccountId(account.id), mgr).await?;
    }
    if let Patch::Set(o) = changes.relationship_owner_id {
        check_relationship_owner(w.conn(), p, o).await?;
    }
    if let Some(f) = changes.first_name {
        m.first_name = f.into_inner();
    }
    if let Some(l) = changes.last_name {
        m.last_name = l.into_inner();
    }
    m.name_key = name_key(&m.first_name, &m.last_name);
    changes.title.apply_to(&mut m.title);
    changes.department.apply_to(&mut m.department);
    text_patch(changes.email.map(|e| e.as_str().to_owned())).apply_to(&mut m.email);
    text_patch(changes.phone.map(|v| v.as_str().to_owned())).apply_to(&mut m.phone);
    if let Some(s) = changes.status {
        m.status = s.as_str().to_owned();
    }
    changes
        .buying_role
        .map(|r| r.as_str().to_owned())
        .apply_to(&mut m.buying_role);
    changes
        .influence
        .map(|i| i16::from(i.get()))
        .apply_to(&mut m.influence);
    changes
        .attitude
        .map(|a| a.as_str().to_owned())
        .apply_to(&mut m.attitude);
    changes
        .reports_to_id
        .map(|c| c.0)
        .apply_to(&mut m.reports_to_id);
    changes
        .relationship_owner_id
        .map(|u| u.0)
        .apply_to(&mut m.relationship_owner_id);
    changes
        .preferred_channel
        .map(|c| c.as_str().to_owned())
        .apply_to(&mut m.preferred_channel);
    changes
        .preferred_frequency
        .map(|c| c.as_str().to_owned())
        .apply_to(&mut m.preferred_frequency);
    domain::account::patch_external(changes.external_ref, &mut m.source, &mut m.external_id);
    let m = w
        .update::<contact::Entity>(m, Op::Updated)
        .await
        .map_err(duplicate_external)?;
    w.commit().await?;
    super::alerts::after_change(db, p, m.account_id, domain::jeopardy::AlertRule::CONTACTS).await;
    Ok(m)
}

/// Deletes a contact: a tombstone stays for integrations; its direct reports
/// now report to nobody.
pub async fn delete(db: &Db, p: &Principal, id: ContactId) -> ApiResult<contact::Model> {
    let w = writer(db, p).await?;
    let (mut m, account) = load(w.conn(), p, id).await?;
    authorize_contact(w.conn(), p, Action::Delete, account.id).await?;
    contacts::detach_reports(&w, p.tenant_id, id).await?;
    m.deleted_at = Some(w.at());
    let m = w.update::<contact::Entity>(m, Op::Deleted).await?;
    w.commit().await?;
    super::alerts::after_change(db, p, m.account_id, domain::jeopardy::AlertRule::CONTACTS).await;
    Ok(m)
}

/// Erases a contact's personal data (name, title, department, e-mail,
/// phone, external reference), keeping the record and its relationships
/// anonymised. Later updates may not write personal data back
/// ([`domain::contact::ContactChanges::personal_field`]).
pub async fn erase_personal_data(
    db: &Db,
    p: &Principal,
    id: ContactId,
) -> ApiResult<contact::Model> {
    let w = writer(db, p).await?;
    let (mut m, account) = load(w.conn(), p, id).await?;
    authorize_contact(w.conn(), p, Action::ErasePersonalData, account.id).await?;
    m.first_name = ERASED_NAME.to_owned();
    m.last_name = ERASED_NAME.to_owned();
    m.name_key = name_key(&m.first_name, &m.last_name);
    m.title = None;
    m.department = None;
    m.email = None;
    m.phone = None;
    // The id in a CRM often names the person (and finds them again there).
    m.source = None;
    m.external_id = None;
    m.erased_at = Some(w.at());
    let m = w.update::<contact::Entity>(m, Op::Updated).await?;
    // The notes of the signals they gave may describe them: cleared too
    // (the signals, their kinds and times stay: evidence, not personal data).
    persistence::repo::signals::clear_notes_of_contact(&w, p.tenant_id, m.id).await?;
    w.commit().await?;
    Ok(m)
}
