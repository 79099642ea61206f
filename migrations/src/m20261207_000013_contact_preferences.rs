//! Contacts' preferences: how they like to be reached (`preferred_channel`)
//! and how often (`preferred_frequency`, a repeating cadence), which the
//! coverage rules read (`STALE_CONTACT`).

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in ["preferred_channel", "preferred_frequency"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(a("contacts"))
                        .add_column(col(c).string().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in ["preferred_channel", "preferred_frequency"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(a("contacts"))
                        .drop_column(a(c))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
