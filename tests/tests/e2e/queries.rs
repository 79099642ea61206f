//! The documents that several test modules send (permissions, tenancy,
//! validation): one copy each, selecting every field those tests look at.

use crate::helpers::*;
use serde_json::{Value, json};

pub const ACCOUNT_Q: &str = "query($id: ID!) { account(id: $id) { id name industry website region version archived annualRevenue { amount currency } externalRef { source externalId } owner { id } contacts { edges { node { id } } } } }";
pub const CONTACT_Q: &str = "query($id: ID!) { contact(id: $id) { id firstName lastName email version account { id } reportsTo { id } directReports { id } } }";
pub const USER_Q: &str = "query($id: ID!) { user(id: $id) { id email role active } }";
pub const NODE_Q: &str = "query($id: ID!) { node(id: $id) { id } }";
pub const ACCOUNTS_Q: &str =
    "query($f: AccountFilter) { accounts(first: 100, filter: $f) { edges { node { id name } } } }";
pub const ACCOUNT_CONTACTS_Q: &str =
    "query($id: ID!) { account(id: $id) { contacts(first: 100) { edges { node { id } } } } }";

pub const UPDATE_ACCOUNT: &str = "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id name industry website region version archived owner { id } } } }";
pub const ARCHIVE_ACCOUNT: &str =
    "mutation($id: ID!) { archiveAccount(input: {id: $id}) { account { id archived version } } }";
pub const RESTORE_ACCOUNT: &str =
    "mutation($id: ID!) { restoreAccount(input: {id: $id}) { account { id archived version } } }";
pub const DELETE_ACCOUNT: &str =
    "mutation($id: ID!) { deleteAccount(input: {id: $id}) { account { id } } }";
pub const UPDATE_CONTACT: &str = "mutation($i: UpdateContactInput!) { updateContact(input: $i) { contact { id firstName lastName version reportsTo { id } } } }";
pub const DELETE_CONTACT: &str =
    "mutation($id: ID!) { deleteContact(input: {id: $id}) { contact { id } } }";
pub const ERASE_CONTACT: &str = "mutation($id: ID!) { eraseContactPersonalData(input: {id: $id}) { contact { id firstName lastName fullName title department email phone erased version reportsTo { id } account { id } relationshipOwner { id } } } }";
pub const CREATE_USER: &str =
    "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }";
pub const UPDATE_ROLE: &str = "mutation($id: ID!, $role: Role!) { updateUserRole(input: {id: $id, role: $role}) { user { id role } } }";
pub const DEACTIVATE: &str =
    "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { id active } } }";

/// The account as [`ACCOUNT_Q`] reads it (the caller must be able to).
pub async fn read_account(app: &TestApp, token: &str, id: &str) -> Value {
    app.graphql(Some(token), ACCOUNT_Q, json!({ "id": id }))
        .await
        .data("account")
        .clone()
}

/// The contact as [`CONTACT_Q`] reads it.
pub async fn read_contact(app: &TestApp, token: &str, id: &str) -> Value {
    app.graphql(Some(token), CONTACT_Q, json!({ "id": id }))
        .await
        .data("contact")
        .clone()
}
