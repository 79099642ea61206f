//! Building blocks shared by the migrations: the conventions every table
//! follows (tenant-scoped keys, audit columns, bytewise sort keys, composite
//! foreign keys). Changing one changes what new databases get from every
//! migration that uses it, so these only ever gain functions.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

pub fn a(name: &str) -> Alias {
    Alias::new(name)
}

pub fn col(name: &str) -> ColumnDef {
    ColumnDef::new(a(name))
}

/// A table with `tenant_id`, `id` and the primary key `(tenant_id, id)`.
pub fn table(name: &str) -> TableCreateStatement {
    let mut t = Table::create();
    t.table(a(name))
        .col(col("tenant_id").uuid().not_null())
        .col(col("id").uuid().not_null())
        .primary_key(Index::create().col(a("tenant_id")).col(a("id")));
    t
}

/// Columns every row carries: who created and last changed it, when, and an
/// optimistic-locking version.
pub fn audit(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(col("created_at").timestamp_with_time_zone().not_null())
        .col(col("created_by").uuid().null())
        .col(col("updated_at").timestamp_with_time_zone().not_null())
        .col(col("updated_by").uuid().null())
        .col(col("version").big_integer().not_null().default(1))
}

/// A sort key column: compared bytewise on both databases (`COLLATE "C"` on
/// Postgres, SQLite's default `BINARY`).
pub fn sort_key(backend: DbBackend, name: &str) -> ColumnDef {
    let mut c = col(name);
    c.string().not_null();
    if backend == DbBackend::Postgres {
        c.extra("COLLATE \"C\"");
    }
    c
}

/// A (composite) foreign key `from_table(from_cols) -> to(to_cols)`, never
/// cascading: deletes are tombstones and references are cleared by services.
pub fn fk(
    name: &str,
    from_table: &str,
    from_cols: &[&str],
    to: &str,
    to_cols: &[&str],
) -> ForeignKeyCreateStatement {
    let mut f = ForeignKey::create();
    f.name(name);
    for c in from_cols {
        f.from(a(from_table), a(c));
    }
    for c in to_cols {
        f.to(a(to), a(c));
    }
    f.on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict);
    f
}

/// An index (unique or not) on `table(cols)`.
pub async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &str,
    cols: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name).table(a(table));
    for c in cols {
        i.col(a(c));
    }
    if unique {
        i.unique();
    }
    manager.create_index(i).await
}

/// Row-level security on a new tenant table, as migration 000006 set it on
/// every table then (Postgres only; nothing on SQLite).
pub async fn tenant_policy(manager: &SchemaManager<'_>, table: &str) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    manager
        .get_connection()
        .execute_unprepared(&format!(
            "ALTER TABLE {table} ENABLE ROW LEVEL SECURITY; \
             CREATE POLICY tenant_isolation ON {table} \
             USING (tenant_id = {t}) WITH CHECK (tenant_id = {t})",
            t = super::m20261126_000006_row_level_security::TENANT
        ))
        .await?;
    Ok(())
}

/// The unique key of a table's `(source, external_id)` per tenant (for CRM
/// sync), where an external id is given.
pub async fn external_index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: &str,
) -> Result<(), DbErr> {
    let mut i = Index::create();
    i.name(name)
        .table(a(table))
        .col(a("tenant_id"))
        .col(a("source"))
        .col(a("external_id"))
        .unique()
        .and_where(Expr::col(a("external_id")).is_not_null());
    manager.create_index(i).await
}

/// A table of records of one account: `table(name)` and its `account_id`,
/// keyed to the account within the tenant (`fk_{name}_account`).
pub fn account_table(name: &str) -> TableCreateStatement {
    let mut t = table(name);
    t.col(col("account_id").uuid().not_null())
        .foreign_key(&mut fk(
            &format!("fk_{name}_account"),
            name,
            &["tenant_id", "account_id"],
            "accounts",
            &["tenant_id", "id"],
        ));
    t
}

/// Creates an [`account_table`] with the audit columns, its index by
/// account (then `key`; `ux_` and unique when `unique`, else `ix_`), and
/// its row-level security.
pub async fn create_account_table(
    manager: &SchemaManager<'_>,
    mut t: TableCreateStatement,
    name: &str,
    key: &[&str],
    unique: bool,
) -> Result<(), DbErr> {
    audit(&mut t);
    manager.create_table(t).await?;
    let mut cols = vec!["tenant_id", "account_id"];
    cols.extend_from_slice(key);
    let prefix = if unique { "ux" } else { "ix" };
    index(
        manager,
        &format!("{prefix}_{name}_account"),
        name,
        &cols,
        unique,
    )
    .await?;
    tenant_policy(manager, name).await
}
