//! Authorisation: one rule, [`authorize`], decides every action.
//!
//! Tenancy is not decided here: records of another tenant are never loaded
//! (the repositories filter by the caller's tenant) and so surface as
//! `NOT_FOUND` before this rule runs.

use crate::error::DomainError;
use crate::ids::{TenantId, UserId};
use crate::request::RequestId;
use crate::team::TeamRole;
use crate::user::Role;

/// The verified caller of one request: taken from the access token at the
/// edge, with the role and active flag confirmed against the user record,
/// and the request's id (none for the CLI and the demo seeder), which every
/// write it makes carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Principal {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub role: Role,
    pub request: Option<RequestId>,
}

/// What the caller wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Create,
    Update,
    Archive,
    Restore,
    /// Tombstone a record (accounts: admins only; contacts: account writers).
    Delete,
    /// Create users, change roles, deactivate.
    ManageUsers,
    /// Erase a contact's personal data (GDPR Art. 17).
    ErasePersonalData,
    /// Follow the whole team's work across the tenant (e.g. every overdue
    /// action item): sales managers and admins, on [`Record::Tenant`].
    Oversee,
}

/// The record the action is about, with what the rule needs to know of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// The tenant itself (its settings, its user list).
    Tenant,
    /// An account, or anything under it that is not a contact (plans,
    /// activities, white space, action items, the team), with the caller's
    /// role on the account's team as it is (or, for a create or a change
    /// of owner, as it will be); `None` when the caller is not on the team.
    Account { team: Option<TeamRole> },
    /// A contact, judged through the caller's role on its account's team.
    Contact { team: Option<TeamRole> },
    /// One occurrence of an action item, to complete (assess): the caller's
    /// role on the account's team, and whether the item is assigned to them.
    Occurrence {
        team: Option<TeamRole>,
        assigned_to_caller: bool,
    },
    /// A user of the tenant.
    User,
    /// The tenant's catalogue of products and services: admins and sales
    /// managers write it.
    Catalogue,
}

/// Decides whether `principal` may do `action` to `record`.
///
/// | role | read | create account | write account and all under it | complete an occurrence | delete account | users, erasure |
/// |---|---|---|---|---|---|---|
/// | VIEWER | yes | no | no | no | no | no |
/// | ACCOUNT_MANAGER | yes | as owner | on its team as `OWNER` or `ACCOUNT_MANAGER` | also their own, on the team in any role | no | no |
/// | SALES_MANAGER | yes | yes | any | any | no | no |
/// | ADMIN | yes | yes | any | any | yes | yes |
///
/// The product catalogue is written by admins and sales managers.
pub fn authorize(principal: &Principal, action: Action, record: Record) -> Result<(), DomainError> {
    authorize_inner(principal, action, record)
}

/// Whether [`authorize`] allows `action` on an account whoever is on its
/// team, so that a write path may skip reading the caller's membership (the
/// write itself still checks that the account exists). Derived from the
/// same rule, never a second one: it asks the rule about a caller who is
/// not on the team.
pub fn allowed_off_team(principal: &Principal, action: Action) -> bool {
    authorize_inner(principal, action, Record::Account { team: None }).is_ok()
}

/// Whether the caller's place on an account's team can change what
/// [`authorize`] says about `action` on `record` (made for a place on the
/// team: `|team| Record::Contact { team }`): when not, a service need not
/// read the membership. Derived from the rule itself: it asks it about
/// every place.
pub fn team_matters(
    principal: &Principal,
    action: Action,
    record: impl Fn(Option<TeamRole>) -> Record,
) -> bool {
    let off = authorize_inner(principal, action, record(None)).is_ok();
    TeamRole::ALL
        .iter()
        .any(|t| authorize_inner(principal, action, record(Some(*t))).is_ok() != off)
}

fn team_writes(team: Option<TeamRole>) -> bool {
    team.is_some_and(TeamRole::writes)
}

fn authorize_inner(
    principal: &Principal,
    action: Action,
    record: Record,
) -> Result<(), DomainError> {
    use Action::*;
    use Role::*;
    if action == Read {
        return Ok(());
    }
    let allowed = match (principal.role, action, record) {
        (Viewer, _, _) => false,
        (Admin, _, _) => true,
        (SalesManager, Oversee, Record::Tenant) => true,
        (_, Oversee, _) => false,
        (_, ManageUsers | ErasePersonalData, _) => false,
        (_, _, Record::Tenant | Record::User) => false,
        (_, Delete, Record::Account { .. }) => false,
        (SalesManager, _, _) => true,
        (AccountManager, _, Record::Account { team } | Record::Contact { team }) => {
            team_writes(team)
        }
        (
            AccountManager,
            _,
            Record::Occurrence {
                team,
                assigned_to_caller,
            },
        ) => team_writes(team) || (assigned_to_caller && team.is_some()),
        (AccountManager, _, Record::Catalogue) => false,
    };
    if allowed {
        Ok(())
    } else {
        Err(DomainError::Forbidden(format!(
            "role {} may not {} this {}",
            principal.role.as_str(),
            action_name(action),
            record_name(record)
        )))
    }
}

fn action_name(a: Action) -> &'static str {
    match a {
        Action::Read => "read",
        Action::Create => "create",
        Action::Update => "update",
        Action::Archive => "archive",
        Action::Restore => "restore",
        Action::Delete => "delete",
        Action::ManageUsers => "manage",
        Action::ErasePersonalData => "erase personal data of",
        Action::Oversee => "oversee the work in",
    }
}

fn record_name(r: Record) -> &'static str {
    match r {
        Record::Tenant => "tenant",
        Record::Account { .. } => "account",
        Record::Contact { .. } => "contact",
        Record::Occurrence { .. } => "occurrence",
        Record::User => "user",
        Record::Catalogue => "catalogue",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(role: Role) -> Principal {
        Principal {
            tenant_id: TenantId::new(),
            user_id: UserId::new(),
            role,
            request: None,
        }
    }

    fn account(team: Option<TeamRole>) -> Record {
        Record::Account { team }
    }

    fn contact(team: Option<TeamRole>) -> Record {
        Record::Contact { team }
    }

    /// Every place on a team, and none.
    fn places() -> impl Iterator<Item = Option<TeamRole>> {
        std::iter::once(None).chain(TeamRole::ALL.iter().copied().map(Some))
    }

    #[test]
    fn everyone_reads() {
        for r in Role::ALL {
            assert!(authorize(&p(*r), Action::Read, Record::Tenant).is_ok());
            assert!(authorize(&p(*r), Action::Read, account(None)).is_ok());
        }
    }

    #[test]
    fn viewers_never_write_whatever_their_place_on_the_team() {
        let v = p(Role::Viewer);
        for team in places() {
            for a in [
                Action::Create,
                Action::Update,
                Action::Archive,
                Action::Delete,
            ] {
                assert!(authorize(&v, a, account(team)).is_err());
                assert!(authorize(&v, a, contact(team)).is_err());
            }
            let own = Record::Occurrence {
                team,
                assigned_to_caller: true,
            };
            assert!(authorize(&v, Action::Update, own).is_err());
        }
    }

    #[test]
    fn account_managers_write_where_they_are_owner_or_account_manager_on_the_team() {
        let am = p(Role::AccountManager);
        for team in places() {
            let writes = matches!(team, Some(TeamRole::Owner | TeamRole::AccountManager));
            for a in [
                Action::Create,
                Action::Update,
                Action::Archive,
                Action::Restore,
            ] {
                assert_eq!(
                    authorize(&am, a, account(team)).is_ok(),
                    writes,
                    "{team:?} {a:?}"
                );
                assert_eq!(authorize(&am, a, contact(team)).is_ok(), writes);
            }
            // Contacts are deleted by the account's writers; accounts only
            // by admins.
            assert_eq!(
                authorize(&am, Action::Delete, contact(team)).is_ok(),
                writes
            );
            assert!(authorize(&am, Action::Delete, account(team)).is_err());
            assert!(authorize(&am, Action::ErasePersonalData, contact(team)).is_err());
        }
        assert!(authorize(&am, Action::ManageUsers, Record::User).is_err());
    }

    #[test]
    fn an_assignee_on_the_team_completes_their_own_occurrence() {
        let am = p(Role::AccountManager);
        for team in places() {
            for assigned_to_caller in [false, true] {
                let r = Record::Occurrence {
                    team,
                    assigned_to_caller,
                };
                let expected =
                    team.is_some_and(TeamRole::writes) || (assigned_to_caller && team.is_some());
                assert_eq!(
                    authorize(&am, Action::Update, r).is_ok(),
                    expected,
                    "{team:?} assigned {assigned_to_caller}"
                );
            }
        }
        // Managers complete any occurrence.
        for role in [Role::SalesManager, Role::Admin] {
            let r = Record::Occurrence {
                team: None,
                assigned_to_caller: false,
            };
            assert!(authorize(&p(role), Action::Update, r).is_ok());
        }
    }

    #[test]
    fn sales_managers_write_any_account_but_do_not_manage_users() {
        let sm = p(Role::SalesManager);
        for team in places() {
            assert!(authorize(&sm, Action::Update, account(team)).is_ok());
            assert!(authorize(&sm, Action::Archive, account(team)).is_ok());
            assert!(authorize(&sm, Action::Delete, account(team)).is_err());
            assert!(authorize(&sm, Action::ErasePersonalData, contact(team)).is_err());
        }
        assert!(authorize(&sm, Action::ManageUsers, Record::User).is_err());
    }

    #[test]
    fn admins_and_sales_managers_manage_the_catalogue() {
        for (role, allowed) in [
            (Role::Admin, true),
            (Role::SalesManager, true),
            (Role::AccountManager, false),
            (Role::Viewer, false),
        ] {
            let who = p(role);
            assert!(authorize(&who, Action::Read, Record::Catalogue).is_ok());
            for a in [
                Action::Create,
                Action::Update,
                Action::Archive,
                Action::Delete,
            ] {
                assert_eq!(
                    authorize(&who, a, Record::Catalogue).is_ok(),
                    allowed,
                    "{role:?} {a:?}"
                );
            }
        }
        // The catalogue does not open the tenant's settings to sales managers.
        assert!(authorize(&p(Role::SalesManager), Action::Update, Record::Tenant).is_err());
    }

    #[test]
    fn only_sales_managers_and_admins_oversee_the_tenant() {
        for (role, allowed) in [
            (Role::Admin, true),
            (Role::SalesManager, true),
            (Role::AccountManager, false),
            (Role::Viewer, false),
        ] {
            let who = p(role);
            assert_eq!(
                authorize(&who, Action::Oversee, Record::Tenant).is_ok(),
                allowed,
                "{role:?}"
            );
        }
        // Owning an account does not make an account manager an overseer.
        let am = p(Role::AccountManager);
        assert!(authorize(&am, Action::Oversee, account(Some(TeamRole::Owner))).is_err());
        // Overseeing opens nothing else of the tenant to sales managers.
        assert!(authorize(&p(Role::SalesManager), Action::Update, Record::Tenant).is_err());
    }

    #[test]
    fn the_team_matters_only_to_account_managers_who_may_write() {
        for role in Role::ALL {
            let who = p(*role);
            for a in [Action::Create, Action::Update, Action::Delete, Action::Read] {
                let expected =
                    *role == Role::AccountManager && matches!(a, Action::Create | Action::Update);
                assert_eq!(team_matters(&who, a, account), expected, "{role:?} {a:?}");
                // Contacts are deleted by the account's writers.
                let expected = *role == Role::AccountManager && a != Action::Read;
                assert_eq!(team_matters(&who, a, contact), expected, "{role:?} {a:?}");
            }
            let occurrence = |team| Record::Occurrence {
                team,
                assigned_to_caller: true,
            };
            assert_eq!(
                team_matters(&who, Action::Update, occurrence),
                *role == Role::AccountManager
            );
        }
        assert!(allowed_off_team(&p(Role::Admin), Action::Create));
        assert!(allowed_off_team(&p(Role::SalesManager), Action::Update));
        assert!(!allowed_off_team(&p(Role::AccountManager), Action::Create));
        assert!(!allowed_off_team(&p(Role::Viewer), Action::Update));
    }

    #[test]
    fn admins_do_everything() {
        let a = p(Role::Admin);
        assert!(authorize(&a, Action::Delete, account(None)).is_ok());
        assert!(authorize(&a, Action::ManageUsers, Record::User).is_ok());
        assert!(authorize(&a, Action::ErasePersonalData, contact(None)).is_ok());
    }
}
