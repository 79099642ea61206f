//! Tenants, users, refresh tokens, accounts and contacts.

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn uuid_col(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .uuid()
        .not_null()
        .to_owned()
}

fn text(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .string()
        .not_null()
        .to_owned()
}

fn text_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name)).string().null().to_owned()
}

fn ts_null(name: &str) -> ColumnDef {
    ColumnDef::new(Alias::new(name))
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

/// `(tenant_id, source, external_id)` unique where an external id is set:
/// rows without one (most) do not enter the index at all.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        // Tenants: the supplier organisations. The key is `tenant_id` like
        // everywhere else.
        let mut t = Table::create();
        t.table(a("tenants"))
            .col(uuid_col("tenant_id").primary_key())
            .col(text("slug").unique_key())
            .col(text("name"))
            .col(text("time_zone"))
            .col(
                ColumnDef::new(a("fiscal_year_start_month"))
                    .integer()
                    .not_null()
                    .default(1),
            )
            .col(text("default_currency"));
        audit(&mut t);
        manager.create_table(t).await?;

        let mut t = Table::create();
        t.table(a("users"))
            .col(uuid_col("tenant_id"))
            .col(uuid_col("id"))
            .col(text("email"))
            .col(sort_key(backend, "email_key"))
            .col(text("display_name"))
            .col(text("role"))
            .col(
                ColumnDef::new(a("active"))
                    .boolean()
                    .not_null()
                    .default(true),
            )
            .col(text("password_hash"))
            .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
            .foreign_key(&mut fk(
                "fk_users_tenant",
                "users",
                &["tenant_id"],
                "tenants",
                &["tenant_id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ux_users_email",
            "users",
            &["tenant_id", "email_key"],
            true,
        )
        .await?;

        let mut t = Table::create();
        t.table(a("refresh_tokens"))
            .col(uuid_col("tenant_id"))
            .col(uuid_col("id"))
            .col(uuid_col("family_id"))
            .col(uuid_col("user_id"))
            .col(text("token_hash"))
            .col(
                ColumnDef::new(a("expires_at"))
                    .timestamp_with_time_zone()
                    .not_null(),
            )
            .col(ts_null("used_at"))
            .col(ts_null("revoked_at"))
            .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
            .foreign_key(&mut fk(
                "fk_refresh_tokens_user",
                "refresh_tokens",
                &["tenant_id", "user_id"],
                "users",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        // The hash is of 256 random bits: globally unique; looked up without a tenant.
        index(
            manager,
            "ux_refresh_tokens_hash",
            "refresh_tokens",
            &["token_hash"],
            true,
        )
        .await?;
        index(
            manager,
            "ix_refresh_tokens_family",
            "refresh_tokens",
            &["tenant_id", "family_id"],
            false,
        )
        .await?;
        index(
            manager,
            "ix_refresh_tokens_user",
            "refresh_tokens",
            &["tenant_id", "user_id"],
            false,
        )
        .await?;

        let mut t = Table::create();
        t.table(a("accounts"))
            .col(uuid_col("tenant_id"))
            .col(uuid_col("id"))
            .col(text("name"))
            .col(sort_key(backend, "name_key"))
            .col(text_null("industry"))
            .col(text_null("website"))
            .col(text_null("region"))
            .col(text("status"))
            .col(text("tier"))
            .col(uuid_col("owner_id"))
            .col(
                ColumnDef::new(a("annual_revenue_minor"))
                    .big_integer()
                    .null(),
            )
            .col(text_null("annual_revenue_currency"))
            .col(
                ColumnDef::new(a("wallet_estimate_minor"))
                    .big_integer()
                    .null(),
            )
            .col(text_null("wallet_estimate_currency"))
            .col(text_null("source"))
            .col(text_null("external_id"))
            .col(ts_null("archived_at"))
            .col(ts_null("deleted_at"))
            .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
            .foreign_key(&mut fk(
                "fk_accounts_tenant",
                "accounts",
                &["tenant_id"],
                "tenants",
                &["tenant_id"],
            ))
            .foreign_key(&mut fk(
                "fk_accounts_owner",
                "accounts",
                &["tenant_id", "owner_id"],
                "users",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ix_accounts_name",
            "accounts",
            &["tenant_id", "name_key", "id"],
            false,
        )
        .await?;
        index(
            manager,
            "ix_accounts_owner",
            "accounts",
            &["tenant_id", "owner_id"],
            false,
        )
        .await?;
        external_index(manager, "ux_accounts_external", "accounts").await?;

        let mut t = Table::create();
        t.table(a("contacts"))
            .col(uuid_col("tenant_id"))
            .col(uuid_col("id"))
            .col(uuid_col("account_id"))
            .col(text("first_name"))
            .col(text("last_name"))
            .col(sort_key(backend, "name_key"))
            .col(text_null("title"))
            .col(text_null("department"))
            .col(text_null("email"))
            .col(text_null("phone"))
            .col(text("status"))
            .col(text_null("buying_role"))
            .col(ColumnDef::new(a("influence")).small_integer().null())
            .col(text_null("attitude"))
            .col(ColumnDef::new(a("reports_to_id")).uuid().null())
            .col(ColumnDef::new(a("relationship_owner_id")).uuid().null())
            .col(text_null("source"))
            .col(text_null("external_id"))
            .col(ts_null("erased_at"))
            .col(ts_null("deleted_at"))
            .primary_key(Index::create().col(a("tenant_id")).col(a("id")))
            .foreign_key(&mut fk(
                "fk_contacts_account",
                "contacts",
                &["tenant_id", "account_id"],
                "accounts",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_contacts_reports_to",
                "contacts",
                &["tenant_id", "account_id", "reports_to_id"],
                "contacts",
                &["tenant_id", "account_id", "id"],
            ))
            .foreign_key(&mut fk(
                "fk_contacts_relationship_owner",
                "contacts",
                &["tenant_id", "relationship_owner_id"],
                "users",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        // The target of the reports-to key: (tenant, account, id) must be unique.
        t.index(
            Index::create()
                .name("ux_contacts_account_id")
                .col(a("tenant_id"))
                .col(a("account_id"))
                .col(a("id"))
                .unique(),
        );
        manager.create_table(t).await?;
        index(
            manager,
            "ix_contacts_account_name",
            "contacts",
            &["tenant_id", "account_id", "name_key", "id"],
            false,
        )
        .await?;
        index(
            manager,
            "ix_contacts_reports_to",
            "contacts",
            &["tenant_id", "account_id", "reports_to_id"],
            false,
        )
        .await?;
        external_index(manager, "ux_contacts_external", "contacts").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["contacts", "accounts", "refresh_tokens", "users", "tenants"] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
