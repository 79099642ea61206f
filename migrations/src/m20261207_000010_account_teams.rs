//! The account team: the supplier's users on each account, in a team role
//! (`OWNER`, `ACCOUNT_MANAGER`, `EXECUTIVE_SPONSOR`, `SPECIALIST`,
//! `SUPPORT`) with a responsibility. A user is on an account's team once;
//! an account has one `OWNER`, the user in its `owner_id` (kept so by the
//! services: a partial unique index refuses a second owner row).
//!
//! Existing accounts get their owner's row; its id is the account's id (a
//! row of another table, so no clash), which saves generating ids in SQL
//! that both databases understand. New rows get v7 ids from the services.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "account_team_members";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table(TABLE);
        t.col(col("account_id").uuid().not_null())
            .col(col("user_id").uuid().not_null())
            .col(col("role").string().not_null())
            .col(col("responsibility").text().null())
            .foreign_key(&mut fk(
                "fk_account_team_members_account",
                TABLE,
                &["tenant_id", "account_id"],
                "accounts",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_account_team_members_user",
                TABLE,
                &["tenant_id", "user_id"],
                "users",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ux_account_team_members_member",
            TABLE,
            &["tenant_id", "account_id", "user_id"],
            true,
        )
        .await?;
        // `viewer.accounts`: the accounts a user is on the team of.
        index(
            manager,
            "ix_account_team_members_user",
            TABLE,
            &["tenant_id", "user_id", "account_id"],
            false,
        )
        .await?;
        let db = manager.get_connection();
        db.execute_unprepared(&format!(
            "CREATE UNIQUE INDEX ux_account_team_members_owner ON {TABLE} (tenant_id, account_id) \
             WHERE role = 'OWNER'"
        ))
        .await?;
        db.execute_unprepared(&format!(
            "INSERT INTO {TABLE} (tenant_id, id, account_id, user_id, role, responsibility, \
             created_at, created_by, updated_at, updated_by, version) \
             SELECT tenant_id, id, id, owner_id, 'OWNER', NULL, created_at, created_by, \
             created_at, created_by, 1 FROM accounts"
        ))
        .await?;
        // As every tenant table (migration 000006).
        tenant_policy(manager, TABLE).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(a(TABLE)).to_owned())
            .await
    }
}
