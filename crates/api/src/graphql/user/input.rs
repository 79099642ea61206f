//! The inputs and the payload of user administration.

use super::object::User;
use crate::graphql::common::enums::Role;
use async_graphql::{ID, InputObject, SimpleObject};

/// Input of `createUser`.
#[derive(InputObject)]
pub struct CreateUserInput {
    /// E-mail address, unique in the tenant (case-insensitive).
    pub(super) email: String,
    /// Name shown to others.
    pub(super) display_name: String,
    /// What the user may do.
    pub(super) role: Role,
    /// Initial password, at least 12 characters.
    pub(super) password: String,
}

/// Input of `updateUserRole`.
#[derive(InputObject)]
pub struct UpdateUserRoleInput {
    /// The user.
    pub(super) id: ID,
    /// The new role.
    pub(super) role: Role,
}

/// Input of `deactivateUser`.
#[derive(InputObject)]
pub struct DeactivateUserInput {
    /// The user.
    pub(super) id: ID,
}

/// Result of a user mutation.
#[derive(SimpleObject)]
pub struct UserPayload {
    /// The user as it is now.
    pub(super) user: User,
}
