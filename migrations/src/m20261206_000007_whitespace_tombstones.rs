//! Business units and white-space cells get a tombstone (`deleted_at`) like
//! every other child of an account, set when the account is deleted, so a
//! deleted account's rows answer no query (`node(id:)` included).

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLES: [&str; 2] = ["business_units", "white_space_cells"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(a(t))
                        .add_column(col("deleted_at").timestamp_with_time_zone().null())
                        .to_owned(),
                )
                .await?;
        }
        // Rows of accounts deleted before this migration.
        let db = manager.get_connection();
        for t in TABLES {
            db.execute_unprepared(&format!(
                "UPDATE {t} SET deleted_at = (SELECT a.deleted_at FROM accounts a \
                 WHERE a.tenant_id = {t}.tenant_id AND a.id = {t}.account_id) \
                 WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.tenant_id = {t}.tenant_id \
                 AND a.id = {t}.account_id AND a.deleted_at IS NOT NULL)"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(a(t))
                        .drop_column(a("deleted_at"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
