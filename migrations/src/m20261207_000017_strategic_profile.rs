//! The customer's strategic profile (`domain::profile`): insights (goals,
//! initiatives, industry trends, needs, pains, SWOT items; tombstoned with
//! their account) and one profile row per account (mission, vision,
//! values, positioning, the buying process; lists and thresholds as JSON
//! text checked by the domain).

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = account_table("account_insights");
        t.col(col("kind").string().not_null())
            .col(col("title").string().not_null())
            .col(col("detail").text().null())
            .col(col("horizon").string().null())
            .col(col("priority").string().null())
            .col(col("deleted_at").timestamp_with_time_zone().null());
        create_account_table(manager, t, "account_insights", &[], false).await?;

        let mut t = account_table("account_profiles");
        t.col(col("mission").text().null())
            .col(col("vision").text().null())
            .col(col("core_values").text().not_null())
            .col(col("market_positioning").text().null())
            .col(col("buying_steps").text().not_null())
            .col(col("buying_cycle_days").integer().null())
            .col(col("approval_thresholds").text().not_null());
        create_account_table(manager, t, "account_profiles", &[], true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["account_profiles", "account_insights"] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
