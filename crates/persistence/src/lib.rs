//! Steward's storage layer: sea-orm entities and one repository per
//! aggregate. Every repository call takes the caller's tenant; nothing here
//! reads a tenant from anywhere else.

pub mod coalesce;
pub mod db;
pub mod entity;
pub mod error;
pub mod repo;
pub mod rls;
pub mod stats;
pub mod warm;
pub mod write;

pub use db::{Db, DbConfig};
pub use error::StoreError;
pub use sea_orm::ActiveValue::Set;
pub use sea_orm::{ConnectionTrait, DatabaseTransaction, TransactionTrait};
