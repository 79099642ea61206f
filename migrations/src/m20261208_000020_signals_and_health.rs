//! Evidence signals (`domain::signal`: what the customer did, tombstoned
//! with a reason), each account's stored evidence for the health score
//! (`domain::health::Evidence`: per-kind decay sums at an anchor instant, as
//! JSON text; maintained by the services when signals are written), and
//! each tenant's health model (half-life, weights, band thresholds; absent
//! until an admin changes the defaults).

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = account_table("account_signals");
        t.col(col("contact_id").uuid().null())
            .col(col("activity_id").uuid().null())
            .col(col("kind").string().not_null())
            .col(col("observed_at").timestamp_with_time_zone().not_null())
            .col(col("note").text().null())
            .col(col("removal_reason").text().null())
            .col(col("deleted_at").timestamp_with_time_zone().null())
            .foreign_key(&mut fk(
                "fk_account_signals_contact",
                "account_signals",
                &["tenant_id", "contact_id"],
                "contacts",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_account_signals_activity",
                "account_signals",
                &["tenant_id", "activity_id"],
                "activities",
                &["tenant_id", "id"],
            ));
        create_account_table(manager, t, "account_signals", &["observed_at"], false).await?;
        index(
            manager,
            "ix_account_signals_contact",
            "account_signals",
            &["tenant_id", "contact_id", "observed_at"],
            false,
        )
        .await?;

        let mut t = account_table("account_health");
        t.col(col("anchor_at").timestamp_with_time_zone().not_null())
            .col(col("sums").text().not_null())
            .col(col("signal_count").big_integer().not_null())
            .col(col("last_signal_at").timestamp_with_time_zone().null())
            .col(col("half_life_days").integer().not_null());
        create_account_table(manager, t, "account_health", &[], true).await?;

        let mut t = table("health_models");
        t.col(col("half_life_days").integer().not_null())
            .col(col("healthy_from").integer().not_null())
            .col(col("jeopardy_below").integer().not_null())
            .col(col("weights").text().not_null())
            .foreign_key(&mut fk(
                "fk_health_models_tenant",
                "health_models",
                &["tenant_id"],
                "tenants",
                &["tenant_id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ux_health_models_tenant",
            "health_models",
            &["tenant_id"],
            true,
        )
        .await?;
        tenant_policy(manager, "health_models").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["health_models", "account_health", "account_signals"] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
