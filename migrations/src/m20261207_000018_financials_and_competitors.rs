//! The customer's financial history (one row per account and fiscal year;
//! `domain::financials`), the competitors present in an account
//! (tombstoned with their account), and the competitor a white-space cell
//! names (`white_space_cells.competitor_id`, a competitor of the same
//! account: the services check it; Postgres also keys it to the tenant).

use super::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = account_table("account_financials");
        t.col(col("fiscal_year").integer().not_null())
            .col(col("revenue_minor").big_integer().not_null())
            .col(col("revenue_currency").string().not_null())
            .col(col("margin_bp").integer().null())
            .col(col("notes").text().null());
        create_account_table(manager, t, "account_financials", &["fiscal_year"], true).await?;

        let mut t = account_table("account_competitors");
        t.col(col("name").string().not_null())
            .col(col("position").string().not_null())
            .col(col("offering").text().null())
            .col(col("notes").text().null())
            .col(col("deleted_at").timestamp_with_time_zone().null());
        create_account_table(manager, t, "account_competitors", &[], false).await?;

        manager
            .alter_table(
                Table::alter()
                    .table(a("white_space_cells"))
                    .add_column(col("competitor_id").uuid().null())
                    .to_owned(),
            )
            .await?;
        // SQLite cannot add a foreign key to an existing table: there the
        // services alone keep the link in the account.
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .create_foreign_key(fk(
                    "fk_white_space_cells_competitor",
                    "white_space_cells",
                    &["tenant_id", "competitor_id"],
                    "account_competitors",
                    &["tenant_id", "id"],
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(a("white_space_cells"))
                    .drop_column(a("competitor_id"))
                    .to_owned(),
            )
            .await?;
        for t in ["account_competitors", "account_financials"] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
