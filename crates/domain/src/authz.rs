//! Authorisation: one rule, [`authorize`], decides every action.
//!
//! Tenancy is not decided here: records of another tenant are never loaded
//! (the repositories filter by the caller's tenant) and so surface as
//! `NOT_FOUND` before this rule runs.

use crate::error::DomainError;
use crate::ids::{TenantId, UserId};
use crate::request::RequestId;
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
    /// An account with its (current or proposed) owner.
    Account { owner_id: UserId },
    /// A contact, judged through its account's owner.
    Contact { account_owner_id: UserId },
    /// A user of the tenant.
    User,
    /// The tenant's catalogue of products and services: admins and sales
    /// managers write it.
    Catalogue,
}

/// Decides whether `principal` may do `action` to `record`.
///
/// | role | read | create account | write account / its contacts | delete account | users, erasure |
/// |---|---|---|---|---|---|
/// | VIEWER | yes | no | no | no | no |
/// | ACCOUNT_MANAGER | yes | as owner | own accounts | no | no |
/// | SALES_MANAGER | yes | yes | any | no | no |
/// | ADMIN | yes | yes | any | yes | yes |
///
/// The product catalogue is written by admins and sales managers.
pub fn authorize(principal: &Principal, action: Action, record: Record) -> Result<(), DomainError> {
    authorize_inner(principal, action, record)
}

/// Whether [`authorize`] allows `action` on an account whoever owns it, so
/// that a write path may skip reading the owner (the write itself still
/// checks that the account exists). Derived from the same rule, never a
/// second one: it asks the rule about an owner that is not the caller.
pub fn allowed_for_any_owner(principal: &Principal, action: Action) -> bool {
    let someone_else = UserId(uuid::Uuid::nil());
    someone_else != principal.user_id
        && authorize_inner(
            principal,
            action,
            Record::Account {
                owner_id: someone_else,
            },
        )
        .is_ok()
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
        (AccountManager, _, Record::Account { owner_id }) => owner_id == principal.user_id,
        (AccountManager, _, Record::Contact { account_owner_id }) => {
            account_owner_id == principal.user_id
        }
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

    #[test]
    fn everyone_reads() {
        for r in Role::ALL {
            assert!(authorize(&p(*r), Action::Read, Record::Tenant).is_ok());
        }
    }

    #[test]
    fn viewers_never_write() {
        let v = p(Role::Viewer);
        let own = Record::Account {
            owner_id: v.user_id,
        };
        for a in [
            Action::Create,
            Action::Update,
            Action::Archive,
            Action::Delete,
        ] {
            assert!(authorize(&v, a, own).is_err());
        }
    }

    #[test]
    fn account_managers_write_only_what_they_own() {
        let am = p(Role::AccountManager);
        let own = Record::Account {
            owner_id: am.user_id,
        };
        let other = Record::Account {
            owner_id: UserId::new(),
        };
        assert!(authorize(&am, Action::Create, own).is_ok());
        assert!(authorize(&am, Action::Update, own).is_ok());
        assert!(authorize(&am, Action::Archive, own).is_ok());
        assert!(authorize(&am, Action::Create, other).is_err());
        assert!(authorize(&am, Action::Update, other).is_err());
        assert!(authorize(&am, Action::Delete, own).is_err());
        let own_contact = Record::Contact {
            account_owner_id: am.user_id,
        };
        let other_contact = Record::Contact {
            account_owner_id: UserId::new(),
        };
        assert!(authorize(&am, Action::Delete, own_contact).is_ok());
        assert!(authorize(&am, Action::Update, other_contact).is_err());
        assert!(authorize(&am, Action::ManageUsers, Record::User).is_err());
    }

    #[test]
    fn sales_managers_write_any_account_but_do_not_manage_users() {
        let sm = p(Role::SalesManager);
        let other = Record::Account {
            owner_id: UserId::new(),
        };
        assert!(authorize(&sm, Action::Update, other).is_ok());
        assert!(authorize(&sm, Action::Archive, other).is_ok());
        assert!(authorize(&sm, Action::Delete, other).is_err());
        assert!(authorize(&sm, Action::ManageUsers, Record::User).is_err());
        assert!(
            authorize(
                &sm,
                Action::ErasePersonalData,
                Record::Contact {
                    account_owner_id: sm.user_id
                }
            )
            .is_err()
        );
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
        let own = Record::Account {
            owner_id: am.user_id,
        };
        assert!(authorize(&am, Action::Oversee, own).is_err());
        // Overseeing opens nothing else of the tenant to sales managers.
        assert!(authorize(&p(Role::SalesManager), Action::Update, Record::Tenant).is_err());
    }

    #[test]
    fn only_managers_write_accounts_whoever_owns_them() {
        assert!(allowed_for_any_owner(&p(Role::Admin), Action::Create));
        assert!(allowed_for_any_owner(
            &p(Role::SalesManager),
            Action::Update
        ));
        assert!(!allowed_for_any_owner(
            &p(Role::AccountManager),
            Action::Create
        ));
        assert!(!allowed_for_any_owner(&p(Role::Viewer), Action::Update));
    }

    #[test]
    fn admins_do_everything() {
        let a = p(Role::Admin);
        let other = Record::Account {
            owner_id: UserId::new(),
        };
        assert!(authorize(&a, Action::Delete, other).is_ok());
        assert!(authorize(&a, Action::ManageUsers, Record::User).is_ok());
        assert!(
            authorize(
                &a,
                Action::ErasePersonalData,
                Record::Contact {
                    account_owner_id: UserId::new()
                }
            )
            .is_ok()
        );
    }
}
