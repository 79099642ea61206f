//! Jeopardy alerts (`domain::jeopardy`): raised per account and rule, with
//! the evidence in words; acknowledged and resolved with notes. At most
//! one unresolved alert per account and rule (a partial unique index, so
//! that concurrent evaluations, also from several processes, cannot raise
//! it twice). Each tenant's thresholds (`alert_settings`, absent until an
//! admin changes the defaults).

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = account_table("jeopardy_alerts");
        t.col(col("rule").string().not_null())
            .col(col("status").string().not_null())
            .col(col("evidence").text().not_null())
            .col(col("raised_at").timestamp_with_time_zone().not_null())
            .col(col("acknowledged_at").timestamp_with_time_zone().null())
            .col(col("acknowledged_by").uuid().null())
            .col(col("acknowledgement_note").text().null())
            .col(col("resolved_at").timestamp_with_time_zone().null())
            .col(col("resolved_by").uuid().null())
            .col(col("resolution_note").text().null());
        create_account_table(manager, t, "jeopardy_alerts", &["raised_at"], false).await?;
        let mut i = Index::create();
        i.name("ux_jeopardy_alerts_unresolved")
            .table(a("jeopardy_alerts"))
            .col(a("tenant_id"))
            .col(a("account_id"))
            .col(a("rule"))
            .unique()
            .and_where(Expr::col(a("status")).ne("RESOLVED"));
        manager.create_index(i).await?;
        index(
            manager,
            "ix_jeopardy_alerts_raised",
            "jeopardy_alerts",
            &["tenant_id", "raised_at"],
            false,
        )
        .await?;

        let mut t = table("alert_settings");
        t.col(col("health_below").integer().not_null())
            .col(col("drop_points").integer().not_null())
            .col(col("renewal_window_days").integer().not_null())
            .col(col("renewal_signal_days").integer().not_null())
            .col(col("cadence_days").text().not_null())
            .foreign_key(&mut fk(
                "fk_alert_settings_tenant",
                "alert_settings",
                &["tenant_id"],
                "tenants",
                &["tenant_id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ux_alert_settings_tenant",
            "alert_settings",
            &["tenant_id"],
            true,
        )
        .await?;
        tenant_policy(manager, "alert_settings").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["alert_settings", "jeopardy_alerts"] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
