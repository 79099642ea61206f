//! Exchange rates a tenant keeps to its default currency, each from a day
//! on (`valid_from`): `rate_e9` billionths of the default currency per unit
//! of `currency`. One rate per currency and day; the rate in effect is the
//! newest one not after today (`domain::pareto`).

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "exchange_rates";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table(TABLE);
        t.col(col("currency").string().not_null())
            .col(col("valid_from").date().not_null())
            .col(col("rate_e9").big_integer().not_null());
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ux_exchange_rates_currency_day",
            TABLE,
            &["tenant_id", "currency", "valid_from"],
            true,
        )
        .await?;
        tenant_policy(manager, TABLE).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(a(TABLE)).to_owned())
            .await
    }
}
