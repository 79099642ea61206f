//! Opportunities of an account (usually synced from a CRM: `source`,
//! `external_id` unique per tenant): value, stage, expected close,
//! probability, and optionally the product, the white-space cell or the
//! plan objective they serve (all of the same tenant; the services check
//! that the cell and objective are of the same account). Tombstoned.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "opportunities";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table(TABLE);
        t.col(col("account_id").uuid().not_null())
            .col(col("name").string().not_null())
            .col(col("value_minor").big_integer().not_null())
            .col(col("value_currency").string().not_null())
            .col(col("stage").string().not_null())
            .col(col("expected_close").date().not_null())
            .col(col("probability").small_integer().not_null())
            .col(col("product_id").uuid().null())
            .col(col("white_space_cell_id").uuid().null())
            .col(col("objective_id").uuid().null())
            .col(col("source").string().null())
            .col(col("external_id").string().null())
            .col(col("deleted_at").timestamp_with_time_zone().null())
            .foreign_key(&mut fk(
                "fk_opportunities_account",
                TABLE,
                &["tenant_id", "account_id"],
                "accounts",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_opportunities_product",
                TABLE,
                &["tenant_id", "product_id"],
                "products",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_opportunities_cell",
                TABLE,
                &["tenant_id", "white_space_cell_id"],
                "white_space_cells",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_opportunities_objective",
                TABLE,
                &["tenant_id", "objective_id"],
                "objectives",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ix_opportunities_account",
            TABLE,
            &["tenant_id", "account_id"],
            false,
        )
        .await?;
        external_index(manager, "ux_opportunities_external", TABLE).await?;
        tenant_policy(manager, TABLE).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(a(TABLE)).to_owned())
            .await
    }
}
