//! White space: the tenant's product catalogue, the customer's business
//! units (divisions, locations) per account, and the cells of the matrix
//! business unit × product.
//!
//! A cell's business unit must be of the cell's account: the key
//! `(tenant_id, account_id, business_unit_id)` points at the unit's unique
//! `(tenant_id, account_id, id)`, so the database refuses a cell that mixes
//! accounts (like the reports-to key of contacts).

use super::common::*;
use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A composite foreign key `from_table(cols) -> to(to_cols)`.
fn fk(
    from_table: &str,
    name: &str,
    from: &[&str],
    to: &str,
    to_cols: &[&str],
) -> ForeignKeyCreateStatement {
    super::common::fk(
        &format!("fk_{from_table}_{name}"),
        from_table,
        from,
        to,
        to_cols,
    )
}

async fn index(
    manager: &SchemaManager<'_>,
    prefix: &str,
    table: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let name = format!("{prefix}_{table}_{}", cols.join("_"));
    super::common::index(manager, &name, table, cols, unique).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();

        // The tenant's catalogue of products and services (the columns).
        let mut t = table("products");
        t.col(col("name").string().not_null())
            .col(sort_key(backend, "name_key"))
            .col(col("description").text().null())
            .col(col("active").boolean().not_null().default(true))
            .foreign_key(&mut fk(
                "products",
                "tenant",
                &["tenant_id"],
                "tenants",
                &["tenant_id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(manager, "ux", "products", &["tenant_id", "name_key"], true).await?;

        // The customer's business units, divisions and locations (the rows).
        let mut t = table("business_units");
        t.col(col("account_id").uuid().not_null())
            .col(col("name").string().not_null())
            .col(sort_key(backend, "name_key"))
            .col(col("kind").string().not_null())
            .foreign_key(&mut fk(
                "business_units",
                "account",
                &["tenant_id", "account_id"],
                "accounts",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        // The target of the cells' key: (tenant, account, id) must be unique.
        t.index(
            Index::create()
                .name("ux_business_units_account_id")
                .col(a("tenant_id"))
                .col(a("account_id"))
                .col(a("id"))
                .unique(),
        );
        manager.create_table(t).await?;
        index(
            manager,
            "ux",
            "business_units",
            &["tenant_id", "account_id", "name_key"],
            true,
        )
        .await?;

        // Estimated values are money: ten-thousandths plus the currency.
        let mut t = table("white_space_cells");
        t.col(col("account_id").uuid().not_null())
            .col(col("business_unit_id").uuid().not_null())
            .col(col("product_id").uuid().not_null())
            .col(col("status").string().not_null())
            .col(col("estimated_value_minor").big_integer().null())
            .col(col("estimated_value_currency").string().null())
            .col(col("competitor").string().null())
            .col(col("notes").text().null())
            .col(col("objective_id").uuid().null())
            .foreign_key(&mut fk(
                "white_space_cells",
                "account",
                &["tenant_id", "account_id"],
                "accounts",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "white_space_cells",
                "business_unit",
                &["tenant_id", "account_id", "business_unit_id"],
                "business_units",
                &["tenant_id", "account_id", "id"],
            ))
            .foreign_key(&mut fk(
                "white_space_cells",
                "product",
                &["tenant_id", "product_id"],
                "products",
                &["tenant_id", "id"],
            ))
            .foreign_key(&mut fk(
                "white_space_cells",
                "objective",
                &["tenant_id", "objective_id"],
                "objectives",
                &["tenant_id", "id"],
            ));
        audit(&mut t);
        manager.create_table(t).await?;
        index(
            manager,
            "ux",
            "white_space_cells",
            &["tenant_id", "business_unit_id", "product_id"],
            true,
        )
        .await?;
        index(
            manager,
            "ix",
            "white_space_cells",
            &["tenant_id", "account_id"],
            false,
        )
        .await?;
        index(
            manager,
            "ix",
            "white_space_cells",
            &["tenant_id", "product_id"],
            false,
        )
        .await?;
        index(
            manager,
            "ix",
            "white_space_cells",
            &["tenant_id", "objective_id"],
            false,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for t in ["white_space_cells", "business_units", "products"] {
            manager
                .drop_table(Table::drop().table(a(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
