//! Influence links between contacts of one account (the key contact map):
//! `from` influences, is allied with, or is rival to `to`, with a
//! strength. Both ends are keyed with the account
//! (`(tenant_id, account_id, contact)` points at the contacts' unique
//! `(tenant_id, account_id, id)`), so the database refuses a link across
//! accounts as it refuses one across tenants. A kind of link between the
//! same two contacts exists once.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const TABLE: &str = "contact_influences";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let mut t = table(TABLE);
        t.col(col("account_id").uuid().not_null())
            .col(col("from_contact_id").uuid().not_null())
            .col(col("to_contact_id").uuid().not_null())
            .col(col("kind").string().not_null())
            .col(col("strength").string().not_null())
            .col(col("note").text().null())
            .foreign_key(&mut fk(
                "fk_contact_influences_from",
                TABLE,
                &["tenant_id", "account_id", "from_contact_id"],
                "contacts",
                &["tenant_id", "account_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_contact_influences_to",
                TABLE,
                &["tenant_id", "account_id", "to_contact_id"],
                "contacts",
                &["tenant_id", "account_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ux_contact_influences_link",
            TABLE,
            &["tenant_id", "from_contact_id", "to_contact_id", "kind"],
            true,
        )
        .await?;
        index(
            manager,
            "ix_contact_influences_account",
            TABLE,
            &["tenant_id", "account_id"],
            false,
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
