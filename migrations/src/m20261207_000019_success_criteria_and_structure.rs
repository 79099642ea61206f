//! The customer's success criteria and the value chain (`domain::success`;
//! tombstoned with their account), the criterion a plan objective serves
//! (`objectives.success_criterion_id`), business units in a tree
//! (`business_units.parent_id`, cycles refused by the services), and the
//! colleagues of ours a contact prefers to deal with
//! (`contact_preferred_users`). Columns added to existing tables are keyed
//! to the tenant by a foreign key on Postgres only (SQLite cannot add one
//! to an existing table: there the services alone keep them in the
//! tenant, as they do on both).

use super::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn add_link(
    manager: &SchemaManager<'_>,
    table: &str,
    column: &str,
    to: &str,
) -> Result<(), DbErr> {
    manager
        .alter_table(
            Table::alter()
                .table(a(table))
                .add_column(col(column).uuid().null())
                .to_owned(),
        )
        .await?;
    if manager.get_database_backend() == DbBackend::Postgres {
        manager
            .create_foreign_key(fk(
                &format!("fk_{table}_{column}"),
                table,
                &["tenant_id", column],
                to,
                &["tenant_id", "id"],
            ))
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = account_table("success_criteria");
        t.col(col("metric").string().not_null())
            .col(col("unit").string().null())
            .col(col("baseline_e4").big_integer().null())
            .col(col("target_e4").big_integer().not_null())
            .col(col("due_date").date().null())
            .col(col("notes").text().null())
            .col(col("deleted_at").timestamp_with_time_zone().null());
        create_account_table(manager, t, "success_criteria", &[], false).await?;

        let mut t = account_table("value_chain_links");
        t.col(col("product_id").uuid().not_null())
            .col(col("business_outcome").text().not_null())
            .col(col("success_criterion_id").uuid().null())
            .col(col("notes").text().null())
            .col(col("deleted_at").timestamp_with_time_zone().null())
            .foreign_key(&mut fk(
                "fk_value_chain_links_product",
                "value_chain_links",
                &["tenant_id", "product_id"],
                "products",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_value_chain_links_criterion",
                "value_chain_links",
                &["tenant_id", "success_criterion_id"],
                "success_criteria",
                &["tenant_id", "id"],
            ));
        create_account_table(manager, t, "value_chain_links", &[], false).await?;

        add_link(
            manager,
            "objectives",
            "success_criterion_id",
            "success_criteria",
        )
        .await?;
        add_link(manager, "business_units", "parent_id", "business_units").await?;

        let mut t = Table::create();
        t.table(a("contact_preferred_users"))
            .col(col("tenant_id").uuid().not_null())
            .col(col("contact_id").uuid().not_null())
            .col(col("user_id").uuid().not_null())
            .col(col("position").integer().not_null())
            .primary_key(
                Index::create()
                    .col(a("tenant_id"))
                    .col(a("contact_id"))
                    .col(a("user_id")),
            )
            .foreign_key(&mut fk(
                "fk_contact_preferred_users_contact",
                "contact_preferred_users",
                &["tenant_id", "contact_id"],
                "contacts",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_contact_preferred_users_user",
                "contact_preferred_users",
                &["tenant_id", "user_id"],
                "users",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        tenant_policy(manager, "contact_preferred_users").await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (t, c) in [
            ("objectives", "success_criterion_id"),
            ("business_units", "parent_id"),
        ] {
            manager
                .alter_table(Table::alter().table(a(t)).drop_column(a(c)).to_owned())
                .await?;
        }
        for t in [
            "contact_preferred_users",
            "value_chain_links",
            "success_criteria",
        ] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
