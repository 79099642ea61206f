//! Activities, completed: the users of ours who took part
//! (`activity_participants`, link rows like `activity_contacts`), and the
//! action-item occurrence an activity fulfils (`activities.action_item_id`
//! with `action_due_date`; Postgres also keys the item to the tenant).

use super::common::*;
use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = Table::create();
        t.table(a("activity_participants"))
            .col(col("tenant_id").uuid().not_null())
            .col(col("activity_id").uuid().not_null())
            .col(col("user_id").uuid().not_null())
            .primary_key(
                Index::create()
                    .col(a("tenant_id"))
                    .col(a("activity_id"))
                    .col(a("user_id")),
            )
            .foreign_key(&mut fk(
                "fk_activity_participants_activity",
                "activity_participants",
                &["tenant_id", "activity_id"],
                "activities",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_activity_participants_user",
                "activity_participants",
                &["tenant_id", "user_id"],
                "users",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ix_activity_participants_user",
            "activity_participants",
            &["tenant_id", "user_id"],
            false,
        )
        .await?;
        tenant_policy(manager, "activity_participants").await?;

        for c in [
            col("action_item_id").uuid().null().to_owned(),
            col("action_due_date").date().null().to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(a("activities"))
                        .add_column(c)
                        .to_owned(),
                )
                .await?;
        }
        // SQLite cannot add a foreign key to an existing table: there the
        // service alone checks the item (of the same account).
        if manager.get_database_backend() == DbBackend::Postgres {
            manager
                .create_foreign_key(fk(
                    "fk_activities_action_item",
                    "activities",
                    &["tenant_id", "action_item_id"],
                    "action_items",
                    &["tenant_id", "id"],
                ))
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for c in ["action_due_date", "action_item_id"] {
            manager
                .alter_table(
                    Table::alter()
                        .table(a("activities"))
                        .drop_column(a(c))
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(Table::drop().table(a("activity_participants")).to_owned())
            .await
    }
}
