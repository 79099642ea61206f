//! Action items of account plans (with their cadence and the contacts
//! involved) and the assessments recorded after each occurrence.
//!
//! Occurrences are not stored: they follow from `cadence`, `first_due` and
//! `repeat_until` (see `domain::cadence`). An assessment is keyed by its
//! occurrence date, so an occurrence is assessed at most once.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Target of the action item's objective key: an objective of the same plan.
const OBJECTIVE_PLAN_KEY: &str = "ux_objectives_plan_id";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // `(tenant_id, plan_id, objective_id)` references an objective *of
        // the same plan*; the key needs a unique index on the target.
        index(
            manager,
            OBJECTIVE_PLAN_KEY,
            "objectives",
            &["tenant_id", "plan_id", "id"],
            true,
        )
        .await?;

        let mut t = table("action_items");
        t.col(col("plan_id").uuid().not_null())
            .col(col("objective_id").uuid().null())
            .col(col("title").string().not_null())
            .col(col("notes").text().null())
            .col(col("assignee_id").uuid().not_null())
            .col(col("cadence").string().not_null())
            .col(col("first_due").date().not_null())
            .col(col("repeat_until").date().null())
            .col(col("status").string().not_null())
            .col(col("deleted_at").timestamp_with_time_zone().null())
            .foreign_key(&mut fk(
                "fk_action_items_plan",
                "action_items",
                &["tenant_id", "plan_id"],
                "account_plans",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_action_items_objective",
                "action_items",
                &["tenant_id", "plan_id", "objective_id"],
                "objectives",
                &["tenant_id", "plan_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_action_items_assignee",
                "action_items",
                &["tenant_id", "assignee_id"],
                "users",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ix_action_items_assignee",
            "action_items",
            &["tenant_id", "assignee_id"],
            false,
        )
        .await?;
        index(
            manager,
            "ix_action_items_plan",
            "action_items",
            &["tenant_id", "plan_id"],
            false,
        )
        .await?;
        index(
            manager,
            "ix_action_items_status_due",
            "action_items",
            &["tenant_id", "status", "first_due"],
            false,
        )
        .await?;

        // The contacts involved; the key through (tenant, account, contact)
        // refuses a contact of another account (the service writes the
        // plan's account into `account_id`).
        let mut t = Table::create();
        t.table(a("action_item_contacts"))
            .col(col("tenant_id").uuid().not_null())
            .col(col("action_item_id").uuid().not_null())
            .col(col("account_id").uuid().not_null())
            .col(col("contact_id").uuid().not_null())
            .primary_key(
                Index::create()
                    .col(a("tenant_id"))
                    .col(a("action_item_id"))
                    .col(a("contact_id")),
            )
            .foreign_key(&mut fk(
                "fk_action_item_contacts_item",
                "action_item_contacts",
                &["tenant_id", "action_item_id"],
                "action_items",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_action_item_contacts_contact",
                "action_item_contacts",
                &["tenant_id", "account_id", "contact_id"],
                "contacts",
                &["tenant_id", "account_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ix_action_item_contacts_contact",
            "action_item_contacts",
            &["tenant_id", "contact_id"],
            false,
        )
        .await?;

        let mut t = table("assessments");
        t.col(col("action_item_id").uuid().not_null())
            .col(col("occurrence_date").date().not_null())
            .col(col("happened").boolean().not_null())
            .col(col("assessed_on").date().not_null())
            .col(col("value_delivered").small_integer().null())
            .col(col("learned").text().null())
            .col(col("revise").text().null())
            .col(col("follow_up_action_id").uuid().null())
            .foreign_key(&mut fk(
                "fk_assessments_item",
                "assessments",
                &["tenant_id", "action_item_id"],
                "action_items",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_assessments_follow_up",
                "assessments",
                &["tenant_id", "follow_up_action_id"],
                "action_items",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        // One assessment per occurrence; also the index for "assessments of these items".
        index(
            manager,
            "ux_assessments_occurrence",
            "assessments",
            &["tenant_id", "action_item_id", "occurrence_date"],
            true,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["assessments", "action_item_contacts", "action_items"] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name(OBJECTIVE_PLAN_KEY)
                    .table(a("objectives"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
