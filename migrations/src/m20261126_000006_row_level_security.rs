//! Postgres row-level security on every tenant table (see
//! `persistence::rls`). A policy admits only the rows of the tenant in the
//! session setting `steward.tenant_id`, for reads and writes; an unset or
//! empty setting admits nothing.
//!
//! Without `FORCE ROW LEVEL SECURITY` the tables' owner (the role that runs
//! the migrations) is not subject to the policies, so a deployment without
//! the option, connected as the owner, sees no change in behaviour or cost.
//! SQLite has no row-level security: nothing to do there.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Every table that holds tenant data; each has `tenant_id` (`tenants` too:
/// it is the tenant's key). A test checks that no table is missing.
pub const TENANT_TABLES: &[&str] = &[
    "tenants",
    "users",
    "refresh_tokens",
    "accounts",
    "contacts",
    "activities",
    "activity_contacts",
    "account_plans",
    "objectives",
    "objective_progress",
    "growth_targets",
    "plan_reviews",
    "plan_review_reviewers",
    "contingencies",
    "products",
    "business_units",
    "white_space_cells",
    "action_items",
    "action_item_contacts",
    "assessments",
];

const POLICY: &str = "tenant_isolation";
pub const TENANT: &str = "NULLIF(current_setting('steward.tenant_id', true), '')::uuid";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for t in TENANT_TABLES {
            db.execute_unprepared(&format!(
                "ALTER TABLE \"{t}\" ENABLE ROW LEVEL SECURITY; \
                 CREATE POLICY {POLICY} ON \"{t}\" \
                 USING (tenant_id = {TENANT}) WITH CHECK (tenant_id = {TENANT})"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DbBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for t in TENANT_TABLES {
            db.execute_unprepared(&format!(
                "DROP POLICY IF EXISTS {POLICY} ON \"{t}\"; \
                 ALTER TABLE \"{t}\" DISABLE ROW LEVEL SECURITY"
            ))
            .await?;
        }
        Ok(())
    }
}
