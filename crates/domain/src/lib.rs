//! Steward's domain: the types and rules of strategic account management.
//!
//! Pure and synchronous: no database, no GraphQL, no async runtime. Values are
//! parsed once at the edge into newtypes (`AccountName`, `Email`, ...) and are
//! valid from then on ("parse, don't validate").

pub mod account;
pub mod activity;
pub mod authz;
pub mod cadence;
pub mod competitor;
pub mod contact;
pub mod contact_map;
pub mod contract;
pub mod coverage;
pub mod error;
pub mod financials;
pub mod health;
pub mod hierarchy;
pub mod ids;
pub mod jeopardy;
pub mod objective;
pub mod opportunity;
pub mod pareto;
pub mod patch;
pub mod plan;
pub mod portfolio;
pub mod profile;
pub mod request;
pub mod roti;
pub mod signal;
pub mod success;
pub mod team;
pub mod tenant;
pub mod text;
pub mod time;
pub mod user;
pub mod whitespace;

pub use authz::{Action, Principal, Record, authorize};
pub use error::{DomainError, ValidationError};
pub use ids::{AccountId, ContactId, TenantId, UserId};
pub use patch::Patch;
pub use request::RequestId;
