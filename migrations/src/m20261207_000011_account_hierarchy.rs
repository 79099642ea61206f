//! Account hierarchies: an account may have a parent account of the same
//! tenant (a global account and its subsidiaries). The composite key
//! `(tenant_id, parent_id)` makes the database refuse a parent of another
//! tenant; the services refuse cycles. Children are listed by parent.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a("accounts"))
                    .add_column(col("parent_id").uuid().null())
                    .to_owned(),
            )
            .await?;
        // SQLite cannot add a foreign key to an existing table: there the
        // services alone keep the parent in the tenant (they look it up in
        // the caller's tenant); Postgres checks it as well.
        if manager.get_database_backend() == sea_orm_migration::sea_orm::DbBackend::Postgres {
            manager
                .create_foreign_key(fk(
                    "fk_accounts_parent",
                    "accounts",
                    &["tenant_id", "parent_id"],
                    "accounts",
                    &["tenant_id", "id"],
                ))
                .await?;
        }
        index(
            manager,
            "ix_accounts_parent",
            "accounts",
            &["tenant_id", "parent_id", "name_key"],
            false,
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a("accounts"))
                    .drop_column(a("parent_id"))
                    .to_owned(),
            )
            .await
    }
}
