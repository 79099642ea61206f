//! Activities and the contacts involved in them.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = Table::create();
        t.table(a("activities"))
            .col(ColumnDef::new(a("tenant_id")).uuid().not_null())
            .col(ColumnDef::new(a("id")).uuid().not_null())
            .col(ColumnDef::new(a("account_id")).uuid().not_null())
            .col(ColumnDef::new(a("kind")).string().not_null())
            .col(
                ColumnDef::new(a("occurred_at"))
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .col(
                ColumnDef::new(a("hours_hundredths"))
                    .integer()
                    .not_null()
                    .default(0),
            )
            .col(ColumnDef::new(a("summary")).text().not_null())
            .col(ColumnDef::new(a("source")).string().null())
            .col(ColumnDef::new(a("external_id")).string().null())
            .col(
                ColumnDef::new(a("deleted_at"))
                    .timestamp_with_time_zone()
                    .null(),
            )
            .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
            .foreign_key(&mut fk(
                "fk_activities_account",
                "activities",
                &["tenant_id", "account_id"],
                "accounts",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_activities_account_time")
                    .table(a("activities"))
                    .col(a("tenant_id"))
                    .col(a("account_id"))
                    .col(a("occurred_at"))
                    .col(a("id"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_activities_external")
                    .table(a("activities"))
                    .col(a("tenant_id"))
                    .col(a("source"))
                    .col(a("external_id"))
                    .unique()
                    .and_where(Expr::col(a("external_id")).is_not_null())
                    .to_owned(),
            )
            .await?;

        // The contacts involved; the key through (tenant, account, contact)
        // refuses a contact of another account (the service writes the
        // activity's own account into `account_id`).
        let mut t = Table::create();
        t.table(a("activity_contacts"))
            .col(ColumnDef::new(a("tenant_id")).uuid().not_null())
            .col(ColumnDef::new(a("activity_id")).uuid().not_null())
            .col(ColumnDef::new(a("account_id")).uuid().not_null())
            .col(ColumnDef::new(a("contact_id")).uuid().not_null())
            .primary_key(
                Index::create()
                    .col(a("tenant_id"))
                    .col(a("activity_id"))
                    .col(a("contact_id")),
            )
            .foreign_key(&mut fk(
                "fk_activity_contacts_activity",
                "activity_contacts",
                &["tenant_id", "activity_id"],
                "activities",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_activity_contacts_contact",
                "activity_contacts",
                &["tenant_id", "account_id", "contact_id"],
                "contacts",
                &["tenant_id", "account_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_activity_contacts_contact")
                    .table(a("activity_contacts"))
                    .col(a("tenant_id"))
                    .col(a("contact_id"))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["activity_contacts", "activities"] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
