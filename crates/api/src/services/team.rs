//! Account teams, and the team-based check every write under an account
//! makes: the caller's place on the account's team, read only when the one
//! rule needs it (`domain::authz::team_matters`), then `authorize`.
//!
//! The team's `OWNER` is the account's owner: created with the account and
//! moved when `ownerId` changes ([`move_owner`]); the other members are
//! added, changed and removed here by the account's writers.

use super::writer;
use crate::error::{ApiError, ApiResult};
use domain::authz::team_matters;
use domain::team::{
    MemberChanges, MemberInput, MemberPatchInput, NewMember, TeamRole, check_removable,
};
use domain::{AccountId, Action, Principal, Record, UserId, authorize};
use persistence::entity::{account, account_team_member as member};
use persistence::repo::{accounts, team, users};
use persistence::write::{Op, Writer};
use persistence::{ConnectionTrait, Db, Set};
use uuid::Uuid;

/// The caller's place on `account`'s team as the rule sees it: read when
/// it can change the answer for `action` on records made by `record`.
async fn place(
    conn: &impl ConnectionTrait,
    p: &Principal,
    action: Action,
    account: Uuid,
    record: impl Fn(Option<TeamRole>) -> Record + Copy,
) -> ApiResult<Option<TeamRole>> {
    if !team_matters(p, action, record) {
        return Ok(None);
    }
    Ok(team::role_of(conn, p.tenant_id, account, p.user_id.0).await?)
}

/// Authorises `action` on `account` (or on what is under it but its
/// contacts: plans, activities, white space, action items, the team).
pub(crate) async fn authorize_account(
    conn: &impl ConnectionTrait,
    p: &Principal,
    action: Action,
    account: Uuid,
) -> ApiResult<()> {
    let record = |team| Record::Account { team };
    let team = place(conn, p, action, account, record).await?;
    Ok(authorize(p, action, record(team))?)
}

/// Authorises `action` on a contact of `account`.
pub(crate) async fn authorize_contact(
    conn: &impl ConnectionTrait,
    p: &Principal,
    action: Action,
    account: Uuid,
) -> ApiResult<()> {
    let record = |team| Record::Contact { team };
    let team = place(conn, p, action, account, record).await?;
    Ok(authorize(p, action, record(team))?)
}

/// Authorises completing an occurrence of an item of `account` assigned to
/// `assignee`: the account's writers, or the assignee on the team.
pub(crate) async fn authorize_occurrence(
    conn: &impl ConnectionTrait,
    p: &Principal,
    account: Uuid,
    assignee: Uuid,
) -> ApiResult<()> {
    let assigned_to_caller = assignee == p.user_id.0;
    let record = move |team| Record::Occurrence {
        team,
        assigned_to_caller,
    };
    let team = place(conn, p, Action::Update, account, record).await?;
    Ok(authorize(p, Action::Update, record(team))?)
}

/// The owner's row of a new account (in the account's transaction).
pub(crate) async fn add_owner(
    w: &Writer,
    p: &Principal,
    account: Uuid,
    owner: Uuid,
) -> ApiResult<()> {
    w.insert::<member::Entity>(member::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        account_id: Set(account),
        user_id: Set(owner),
        role: Set(TeamRole::Owner.as_str().to_owned()),
        responsibility: Set(None),
        ..Default::default()
    })
    .await?;
    Ok(())
}

/// Moves the owner's row to `owner` (the account's new `ownerId`, in its
/// transaction, the account row locked): the previous owner leaves the
/// team; a new owner who was on it in another role keeps their
/// responsibility text and holds the owner's role now.
pub(crate) async fn move_owner(
    w: &Writer,
    p: &Principal,
    account: Uuid,
    owner: Uuid,
) -> ApiResult<()> {
    let t = p.tenant_id;
    let existing = team::member(w.conn(), t, account, owner).await?;
    if existing
        .as_ref()
        .is_some_and(|m| m.role == TeamRole::Owner.as_str())
    {
        return Ok(());
    }
    let responsibility = match existing {
        Some(m) => {
            let r = m.responsibility.clone();
            w.delete::<member::Entity>(m).await?;
            r
        }
        None => None,
    };
    match team::owner_row(w.conn(), t, account).await? {
        Some(mut row) => {
            row.user_id = owner;
            row.responsibility = responsibility;
            w.update::<member::Entity>(row, Op::Updated).await?;
        }
        None => add_owner(w, p, account, owner).await?,
    }
    Ok(())
}

/// A member and the account it is on, after a write.
pub struct MemberOf {
    pub member: member::Model,
    pub account: account::Model,
}

/// Loads the account for a team write (locked on Postgres) and authorises
/// the caller as a writer of it.
async fn account_for_write(w: &Writer, p: &Principal, id: AccountId) -> ApiResult<account::Model> {
    let a = accounts::get_for_update(w.conn(), p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("account", "accountId"))?;
    authorize_account(w.conn(), p, Action::Update, a.id).await?;
    Ok(a)
}

/// A member to add must be an active user of the tenant.
async fn check_member_user(w: &Writer, p: &Principal, user: UserId) -> ApiResult<()> {
    match users::get(w.conn(), p.tenant_id, user).await? {
        Some(u) if u.active => Ok(()),
        Some(_) => Err(ApiError::validation(
            "userId",
            "a team member must be an active user",
        )),
        None => Err(ApiError::not_found_in("user", "userId")),
    }
}

async fn member_of(
    w: &Writer,
    p: &Principal,
    account: Uuid,
    user: UserId,
) -> ApiResult<member::Model> {
    team::member(w.conn(), p.tenant_id, account, user.0)
        .await?
        .ok_or_else(|| ApiError::not_found_in("team member", "userId"))
}

/// Adds a user to an account's team (the account's writers). A user is on
/// a team once: adding them again is `CONFLICT` on `userId`.
pub async fn add_member(
    db: &Db,
    p: &Principal,
    account: AccountId,
    user: UserId,
    input: MemberInput,
) -> ApiResult<MemberOf> {
    let new = NewMember::parse(input)?;
    let w = writer(db, p).await?;
    let a = account_for_write(&w, p, account).await?;
    check_member_user(&w, p, user).await?;
    if team::member(w.conn(), p.tenant_id, a.id, user.0)
        .await?
        .is_some()
    {
        return Err(ApiError::Conflict {
            message: "the user is already on the account's team".into(),
            field: Some("userId".into()),
        });
    }
    let m = w
        .insert::<member::Entity>(member::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            id: Set(Uuid::now_v7()),
            account_id: Set(a.id),
            user_id: Set(user.0),
            role: Set(new.role.as_str().to_owned()),
            responsibility: Set(new.responsibility),
            ..Default::default()
        })
        .await
        .map_err(|e| {
            if e.is_unique("account_team_members") {
                ApiError::Conflict {
                    message: "the user is already on the account's team".into(),
                    field: Some("userId".into()),
                }
            } else {
                e.into()
            }
        })?;
    w.commit().await?;
    Ok(MemberOf {
        member: m,
        account: a,
    })
}

/// Changes a member's team role or responsibility (the account's writers).
/// The owner's role is given and taken only through the account's
/// `ownerId`.
pub async fn update_member(
    db: &Db,
    p: &Principal,
    account: AccountId,
    user: UserId,
    patch: MemberPatchInput,
) -> ApiResult<MemberOf> {
    let w = writer(db, p).await?;
    let a = account_for_write(&w, p, account).await?;
    let mut m = member_of(&w, p, a.id, user).await?;
    let current = TeamRole::from_str_opt(&m.role).unwrap_or(TeamRole::Support);
    let changes = MemberChanges::parse(patch, current)?;
    if let Some(r) = changes.role {
        m.role = r.as_str().to_owned();
    }
    changes.responsibility.apply_to(&mut m.responsibility);
    let m = w.update::<member::Entity>(m, Op::Updated).await?;
    w.commit().await?;
    Ok(MemberOf {
        member: m,
        account: a,
    })
}

/// Removes a member from an account's team (the account's writers); the
/// owner stays until the account has another owner. Returns the account.
pub async fn remove_member(
    db: &Db,
    p: &Principal,
    account: AccountId,
    user: UserId,
) -> ApiResult<account::Model> {
    let w = writer(db, p).await?;
    let a = account_for_write(&w, p, account).await?;
    let m = member_of(&w, p, a.id, user).await?;
    check_removable(TeamRole::from_str_opt(&m.role).unwrap_or(TeamRole::Support))?;
    w.delete::<member::Entity>(m).await?;
    w.commit().await?;
    Ok(a)
}

/// Authorises giving `account` to `owner`: the caller must be allowed to
/// write the account as it is and as it will be, when the owner's row has
/// moved (an owner who gives the account away leaves its team).
pub(crate) async fn authorize_owner_change(
    conn: &impl ConnectionTrait,
    p: &Principal,
    account: Uuid,
    owner: UserId,
) -> ApiResult<()> {
    let record = |team| Record::Account { team };
    let now = place(conn, p, Action::Update, account, record).await?;
    authorize(p, Action::Update, record(now))?;
    let after = if owner == p.user_id {
        Some(TeamRole::Owner)
    } else if now == Some(TeamRole::Owner) {
        None
    } else {
        now
    };
    Ok(authorize(p, Action::Update, record(after))?)
}

/// A record of an account found for a write (`NOT_FOUND` on `id` when
/// `found` is none), that the caller may write: the writers of its account
/// (`authorize_account`).
pub(crate) async fn writable_record<M>(
    w: &persistence::write::Writer,
    p: &Principal,
    found: Option<M>,
    what: &'static str,
    account: fn(&M) -> uuid::Uuid,
) -> ApiResult<M> {
    let m = found.ok_or_else(|| ApiError::not_found_in(what, "id"))?;
    authorize_account(w.conn(), p, Action::Update, account(&m)).await?;
    Ok(m)
}

/// For the one-statement writes under an account (`logActivity`,
/// `recordSignal`): `None` when the rule lets the caller do `action` on any
/// account (the statement only checks that it exists); otherwise the
/// caller, authorised against their place on the account's team read here,
/// whom the statement re-checks atomically as one of its writers.
pub(crate) async fn statement_writer(
    db: &persistence::Db,
    p: &Principal,
    action: Action,
    account: Uuid,
) -> ApiResult<Option<Uuid>> {
    if domain::authz::allowed_off_team(p, action) {
        return Ok(None);
    }
    let place = persistence::repo::team::account_and_role(
        db.read(),
        p.tenant_id,
        account,
        Some(p.user_id.0),
    )
    .await?
    .ok_or_else(|| crate::error::ApiError::not_found_in("account", "accountId"))?;
    authorize(p, action, Record::Account { team: place })?;
    Ok(Some(p.user_id.0))
}
