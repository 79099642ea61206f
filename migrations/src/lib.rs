//! Steward's schema migrations. The same migrations run on SQLite and
//! Postgres.
//!
//! Conventions: every table carries `tenant_id`; every primary, unique and
//! foreign key includes it, so the database refuses a link across tenants and
//! the schema can later be distributed by tenant. Sort keys (`*_key`) hold the
//! lowercase form of a name and compare bytewise (`COLLATE "C"` on Postgres,
//! SQLite's default `BINARY`), so ordering is the same on both databases.

pub use sea_orm_migration::MigrationStatus;
pub use sea_orm_migration::prelude::*;

mod common;
mod m20261125_000001_foundation;
mod m20261125_000002_activities;
mod m20261126_000003_plans;
mod m20261126_000004_whitespace;
mod m20261126_000005_actions;
pub mod m20261126_000006_row_level_security;
mod m20261206_000007_whitespace_tombstones;
mod m20261207_000008_list_indexes;
mod m20261207_000009_live_account_count;
mod m20261207_000010_account_teams;
mod m20261207_000011_account_hierarchy;
mod m20261207_000012_contracts;
mod m20261207_000013_contact_preferences;
mod m20261207_000014_contact_influences;
mod m20261207_000015_opportunities;
mod m20261207_000016_exchange_rates;
mod m20261207_000017_strategic_profile;
mod m20261207_000018_financials_and_competitors;
mod m20261207_000019_success_criteria_and_structure;
mod m20261208_000020_signals_and_health;
mod m20261208_000021_activity_participants;
mod m20261208_000022_jeopardy_alerts;
pub mod m20261209_000023_compact_evidence;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_foundation::Migration),
            Box::new(m20261125_000002_activities::Migration),
            Box::new(m20261126_000003_plans::Migration),
            Box::new(m20261126_000004_whitespace::Migration),
            Box::new(m20261126_000005_actions::Migration),
            Box::new(m20261126_000006_row_level_security::Migration),
            Box::new(m20261206_000007_whitespace_tombstones::Migration),
            Box::new(m20261207_000008_list_indexes::Migration),
            Box::new(m20261207_000009_live_account_count::Migration),
            Box::new(m20261207_000010_account_teams::Migration),
            Box::new(m20261207_000011_account_hierarchy::Migration),
            Box::new(m20261207_000012_contracts::Migration),
            Box::new(m20261207_000013_contact_preferences::Migration),
            Box::new(m20261207_000014_contact_influences::Migration),
            Box::new(m20261207_000015_opportunities::Migration),
            Box::new(m20261207_000016_exchange_rates::Migration),
            Box::new(m20261207_000017_strategic_profile::Migration),
            Box::new(m20261207_000018_financials_and_competitors::Migration),
            Box::new(m20261207_000019_success_criteria_and_structure::Migration),
            Box::new(m20261208_000020_signals_and_health::Migration),
            Box::new(m20261208_000021_activity_participants::Migration),
            Box::new(m20261208_000022_jeopardy_alerts::Migration),
            Box::new(m20261209_000023_compact_evidence::Migration),
        ]
    }
}
