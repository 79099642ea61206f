//! Contracts with the customer: value, term, renewal date, renewal stage and
//! risk, and the same contract in a CRM (`source`, `external_id`, unique per
//! tenant). Deleted contracts keep a tombstone, like every record under an
//! account.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "contracts";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table(TABLE);
        t.col(col("account_id").uuid().not_null())
            .col(col("name").string().not_null())
            .col(col("value_minor").big_integer().not_null())
            .col(col("value_currency").string().not_null())
            .col(col("start_date").date().not_null())
            .col(col("end_date").date().null())
            .col(col("renewal_date").date().null())
            .col(col("stage").string().not_null())
            .col(col("risk").string().not_null())
            .col(col("risk_reason").text().null())
            .col(col("source").string().null())
            .col(col("external_id").string().null())
            .col(col("deleted_at").timestamp_with_time_zone().null())
            .foreign_key(&mut fk(
                "fk_contracts_account",
                TABLE,
                &["tenant_id", "account_id"],
                "accounts",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ix_contracts_account",
            TABLE,
            &["tenant_id", "account_id"],
            false,
        )
        .await?;
        // `upcomingRenewals`: the tenant's contracts by renewal date.
        index(
            manager,
            "ix_contracts_renewal",
            TABLE,
            &["tenant_id", "renewal_date", "id"],
            false,
        )
        .await?;
        external_index(manager, "ux_contracts_external", TABLE).await?;
        tenant_policy(manager, TABLE).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(a(TABLE)).to_owned())
            .await
    }
}
