//! White space: the tenant's product catalogue, the customer's business
//! units (divisions, locations) per account, and the cells of the matrix
//! business unit × product.
//!
//! A cell's business unit must be of the cell's account: the key
//! `(tenant_id, account_id, business_unit_id)` points at the unit's unique
//! `(tenant_id, account_id, id)`, so the database refuses a cell that mixes
//! accounts (like the reports-to key of contacts).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

fn a(name: &str) -> Alias {
    Alias::new(name)
}

fn col(name: &str) -> ColumnDef {
    ColumnDef::new(a(name))
}

/// Id columns; the primary key is `(tenant_id, id)`.
fn table(name: &str) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(a(name))
        .col(col("tenant_id").uuid().not_null())
        .col(col("id").uuid().not_null())
        .primary_key(Index::create().col(a("tenant_id")).col(a("id")));
    t
}

/// The audit columns every row carries.
fn audit(t: &mut TableCreateStatement) {
    t.col(col("created_at").timestamp_with_time_zone().not_null())
        .col(col("created_by").uuid().null())
        .col(col("updated_at").timestamp_with_time_zone().not_null())
        .col(col("updated_by").uuid().null())
        .col(col("version").big_integer().not_null().default(1));
}

/// A sort key column: compared bytewise on both databases.
fn sort_key(backend: DbBackend, name: &str) -> ColumnDef {
    let mut c = col(name);
    c.string().not_null();
    if backend == DbBackend::Postgres {
        c.extra("COLLATE \"C\"");
    }
    c
}

/// A composite foreign key `from_table(cols) -> to(to_cols)`.
fn fk(
    from_table: &str,
    name: &str,
    from: &[&str],
    to: &str,
    to_cols: &[&str],
) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.name(format!("fk_{from_table}_{name}"));
    for c in from {
        f.from(a(from_table), a(c));
    }
    for c in to_cols {
        f.to(a(to), a(c));
    }
    f.on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict);
    f
}

async fn index(
    manager: &SchemaManager<'_>,
    prefix: &str,
    table: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(format!("{prefix}_{table}_{}", cols.join("_")))
        .table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    manager.create_index(i).await
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
