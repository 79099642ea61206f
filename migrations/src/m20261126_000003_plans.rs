//! Account plans: plans, SMART objectives and their progress, growth
//! targets, reviews (with reviewers) and contingencies.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A composite foreign key `(tenant_id, from) -> to(tenant_id, id)`.
fn fk(from_table: &str, from: &str, to: &str) -> ForeignKeyCreateStatement {
    super::common::fk(
        &format!("fk_{from_table}_{from}"),
        from_table,
        &["tenant_id", from],
        to,
        &["tenant_id", "id"],
    )
}

async fn index(manager: &SchemaManager<'_>, table: &str, cols: &[&str]) -> Result<(), DbErr> {
    let name = format!("ix_{table}_{}", cols.join("_"));
    super::common::index(manager, &name, table, cols, false).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table("account_plans");
        t.col(col("account_id").uuid().not_null())
            .col(col("title").string().not_null())
            .col(col("strategy_summary").text().null())
            .col(col("period_start").date().not_null())
            .col(col("period_end").date().not_null())
            .col(col("owner_id").uuid().not_null())
            .col(col("status").string().not_null())
            .col(col("deleted_at").timestamp_with_time_zone().null())
            .foreign_key(&mut fk("account_plans", "account_id", "accounts"))
            .foreign_key(&mut fk("account_plans", "owner_id", "users"));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "account_plans",
            &["tenant_id", "account_id", "period_start"],
        )
        .await?;
        index(manager, "account_plans", &["tenant_id", "status"]).await?;

        // Objective values (baseline, target, current) are exact decimals
        // stored as ten-thousandths, like money.
        let mut t = table("objectives");
        t.col(col("plan_id").uuid().not_null())
            .col(col("title").string().not_null())
            .col(col("description").text().null())
            .col(col("metric").string().not_null())
            .col(col("unit").string().null())
            .col(col("baseline_e4").big_integer().not_null())
            .col(col("target_e4").big_integer().not_null())
            .col(col("current_e4").big_integer().not_null())
            .col(col("confidence").small_integer().null())
            .col(col("due_date").date().not_null())
            .col(col("owner_id").uuid().null())
            .col(col("status").string().not_null())
            .col(col("deleted_at").timestamp_with_time_zone().null())
            .foreign_key(&mut fk("objectives", "plan_id", "account_plans"))
            .foreign_key(&mut fk("objectives", "owner_id", "users"));
        audit(&mut t);
        manager.create_table(t).await?;
        index(manager, "objectives", &["tenant_id", "plan_id"]).await?;

        let mut t = table("objective_progress");
        t.col(col("objective_id").uuid().not_null())
            .col(col("value_e4").big_integer().not_null())
            .col(col("recorded_on").date().not_null())
            .col(col("note").text().null())
            .foreign_key(&mut fk("objective_progress", "objective_id", "objectives"));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "objective_progress",
            &["tenant_id", "objective_id", "recorded_on"],
        )
        .await?;

        let mut t = table("growth_targets");
        t.col(col("plan_id").uuid().not_null())
            .col(col("kind").string().not_null())
            .col(col("product_line").string().not_null())
            .col(col("period_start").date().not_null())
            .col(col("period_end").date().not_null())
            .col(col("target_minor").big_integer().not_null())
            .col(col("actual_minor").big_integer().null())
            .col(col("currency").string().not_null())
            .foreign_key(&mut fk("growth_targets", "plan_id", "account_plans"));
        audit(&mut t);
        manager.create_table(t).await?;
        index(manager, "growth_targets", &["tenant_id", "plan_id"]).await?;

        let mut t = table("plan_reviews");
        t.col(col("plan_id").uuid().not_null())
            .col(col("review_date").date().not_null())
            .col(col("outcome").string().not_null())
            .col(col("notes").text().null())
            .col(col("revisions").text().not_null())
            .col(col("is_final").boolean().not_null().default(false))
            .foreign_key(&mut fk("plan_reviews", "plan_id", "account_plans"));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "plan_reviews",
            &["tenant_id", "plan_id", "review_date"],
        )
        .await?;

        let mut t = Table::create();
        t.table(a("plan_review_reviewers"))
            .col(col("tenant_id").uuid().not_null())
            .col(col("review_id").uuid().not_null())
            .col(col("user_id").uuid().not_null())
            .primary_key(
                Index::create()
                    .col(a("tenant_id"))
                    .col(a("review_id"))
                    .col(a("user_id")),
            )
            .foreign_key(&mut fk(
                "plan_review_reviewers",
                "review_id",
                "plan_reviews",
            ))
            .foreign_key(&mut fk("plan_review_reviewers", "user_id", "users"));
        audit(&mut t);
        manager.create_table(t).await?;

        let mut t = table("contingencies");
        t.col(col("plan_id").uuid().not_null())
            .col(col("risk").text().not_null())
            .col(col("trigger_event").text().null())
            .col(col("response").text().not_null())
            .col(col("owner_id").uuid().null())
            .col(col("deleted_at").timestamp_with_time_zone().null())
            .foreign_key(&mut fk("contingencies", "plan_id", "account_plans"))
            .foreign_key(&mut fk("contingencies", "owner_id", "users"));
        audit(&mut t);
        manager.create_table(t).await?;
        index(manager, "contingencies", &["tenant_id", "plan_id"]).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "contingencies",
            "plan_review_reviewers",
            "plan_reviews",
            "growth_targets",
            "objective_progress",
            "objectives",
            "account_plans",
        ] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
