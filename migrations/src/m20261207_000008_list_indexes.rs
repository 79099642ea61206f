//! Indexes for lists that sorted or filtered whole tables (found with the
//! benchmark corpus, `bench/corpus`):
//! - "my accounts" (`accounts(filter: {ownerId})` by name) read every account
//!   of the owner and sorted them: `(tenant_id, owner_id, name_key, id)` reads
//!   the page in order (it replaces `(tenant_id, owner_id)`, its prefix);
//! - `plans` (the tenant's plans, newest period first) sorted every plan:
//!   `(tenant_id, period_start, id)`;
//! - `directReports` looks contacts up by manager without the account:
//!   `(tenant_id, reports_to_id)`.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            "ix_accounts_owner_name",
            "accounts",
            &["tenant_id", "owner_id", "name_key", "id"],
            false,
        )
        .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("ix_accounts_owner")
                    .table(a("accounts"))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "ix_account_plans_tenant_period",
            "account_plans",
            &["tenant_id", "period_start", "id"],
            false,
        )
        .await?;
        index(
            manager,
            "ix_contacts_manager",
            "contacts",
            &["tenant_id", "reports_to_id"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        index(
            manager,
            "ix_accounts_owner",
            "accounts",
            &["tenant_id", "owner_id"],
            false,
        )
        .await?;
        for (name, table) in [
            ("ix_accounts_owner_name", "accounts"),
            ("ix_account_plans_tenant_period", "account_plans"),
            ("ix_contacts_manager", "contacts"),
        ] {
            manager
                .drop_index(Index::drop().name(name).table(a(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
