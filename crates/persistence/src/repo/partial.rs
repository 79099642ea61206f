//! Reading only some columns of a row: for the compiled read path, which
//! knows from the query which fields it will write. A row is filled from the
//! selected columns, by position; the others are blank and never read (the
//! compiled path declares the columns of every field it writes; its
//! differential test runs each field alone).
//!
//! Such a row is a [`Part`], not a model: it reads like one (`Deref`) but
//! cannot be taken out, so it can never be written back (`Writer::update`
//! takes models) or mistaken for a whole row. Entity models have no
//! `Default`: only this module makes blank rows.

use sea_orm::{DbErr, EntityTrait, QueryResult, QuerySelect, Select};
use std::str::FromStr;

/// The rows of `live` (a tenant's live rows of `E`) with these ids, reading
/// only `columns` (plus `id`): the compiled read path's lookups by id.
pub(crate) async fn by_ids<E>(
    db: &crate::Db,
    live: Select<E>,
    id: E::Column,
    ids: &[uuid::Uuid],
    columns: Columns,
) -> Result<Vec<Part<E::Model>>, crate::StoreError>
where
    E: EntityTrait,
    E::Model: Partial,
{
    use sea_orm::{ColumnTrait, QueryFilter, QueryTrait};
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let columns = columns.union(Columns::of::<E::Model>(&["id"]));
    let q = select_columns(live.filter(id.is_in(ids.iter().copied())), columns)?;
    let rows = db.query_all(q.build(db.backend())).await?;
    Ok(columns.decode_all::<E::Model>(&rows)?)
}

/// `q` selecting only `columns`, in their `Columns` order (what
/// [`Columns::decode`] reads).
pub(crate) fn select_columns<E>(
    q: Select<E>,
    columns: Columns,
) -> Result<Select<E>, crate::StoreError>
where
    E: EntityTrait,
    E::Model: Partial,
{
    let mut q = q.select_only();
    for name in columns.names::<E::Model>() {
        let col = E::Column::from_str(name)
            .map_err(|_| crate::StoreError::Internal(format!("no column {name}")))?;
        q = q.column(col);
    }
    Ok(q)
}

/// A set of columns of one table: bit `i` is `Partial::COLUMNS[i]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Columns(u64);

impl Columns {
    /// The columns named (unknown names are a programming error: panics in
    /// debug builds, ignored otherwise).
    pub fn of<M: Partial>(names: &[&str]) -> Self {
        let mut bits = 0u64;
        for n in names {
            match M::COLUMNS.iter().position(|c| c == n) {
                Some(i) => bits |= 1 << i,
                None => debug_assert!(false, "unknown column {n}"),
            }
        }
        Columns(bits)
    }

    pub fn union(self, other: Columns) -> Columns {
        Columns(self.0 | other.0)
    }

    /// The set bits, lowest first (one step per selected column, not per
    /// possible one: this runs for every column of every row decoded).
    fn indices(self) -> impl Iterator<Item = usize> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let i = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Some(i)
        })
    }

    /// `p.a, p.b` for a SELECT list (`prefix` is a table alias).
    pub fn select_list<M: Partial>(self, prefix: &str) -> String {
        let mut s = String::with_capacity(self.len() * (prefix.len() + 16));
        self.push_select_list::<M>(&mut s, prefix);
        s
    }

    /// Appends `p.a, p.b` to `sql` (built per request: no formatting
    /// machinery, one growing buffer).
    pub fn push_select_list<M: Partial>(self, sql: &mut String, prefix: &str) {
        for (n, i) in self.indices().enumerate() {
            if n > 0 {
                sql.push_str(", ");
            }
            sql.push_str(prefix);
            sql.push('.');
            sql.push_str(M::COLUMNS[i]);
        }
    }

    /// Column names, in SELECT order.
    pub fn names<M: Partial>(self) -> Vec<&'static str> {
        self.indices().map(|i| M::COLUMNS[i]).collect()
    }

    /// Models from rows selected with `select_list`, in one allocation
    /// (collecting `Result`s loses the count and grows the vector by
    /// doubling, copying the models each time).
    pub fn decode_all<M: Partial>(self, rows: &[QueryResult]) -> Result<Vec<Part<M>>, DbErr> {
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(self.decode(r)?);
        }
        Ok(out)
    }

    /// A row selected with `select_list`.
    pub fn decode<M: Partial>(self, row: &QueryResult) -> Result<Part<M>, DbErr> {
        self.decode_at(row, 0)
    }

    /// A row from the result's columns `offset..` (a join selecting several
    /// tables' columns one after the other).
    pub fn decode_at<M: Partial>(self, row: &QueryResult, offset: usize) -> Result<Part<M>, DbErr> {
        let mut m = M::blank();
        for (at, col) in self.indices().enumerate() {
            m.set(col, row, offset + at)?;
        }
        Ok(Part(m))
    }

    /// How many columns the set holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The position of column `name` in the SELECT list, if selected.
    pub fn position<M: Partial>(self, name: &str) -> Option<usize> {
        self.indices().position(|i| M::COLUMNS[i] == name)
    }
}

/// A row of `M`'s table read with only some of its columns (see the
/// module's doc): the fields of the columns read, the others blank.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part<M>(M);

impl<M> std::borrow::Borrow<M> for Part<M> {
    fn borrow(&self) -> &M {
        &self.0
    }
}

impl<M> std::ops::Deref for Part<M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.0
    }
}

/// A model that can be read column by column.
pub trait Partial: Sized {
    /// The table's columns, in a fixed order (at most 64).
    const COLUMNS: &'static [&'static str];
    /// A row with every field blank (empty, zero, none), to fill.
    fn blank() -> Self;
    /// Sets column `col` (an index into `COLUMNS`) from result column `at`.
    fn set(&mut self, col: usize, row: &QueryResult, at: usize) -> Result<(), DbErr>;
}

/// One value of a row by position. On Postgres it is decoded without
/// sqlx's per-value type-compatibility check (`try_get_unchecked`): the
/// SELECT lists come from the entities, whose Rust types are fixed by the
/// migrations, and the check (comparing type descriptors, cloning and
/// dropping them) was ~16 % of the dashboard's server instructions. A type
/// that did not match would still fail to decode (wrong length or format),
/// and the compiled path's differential test decodes every field both ways.
/// SQLite keeps sea-orm's checked decoding.
fn get<T>(row: &QueryResult, at: usize) -> Result<T, DbErr>
where
    T: sea_orm::TryGetable
        + for<'r> sea_orm::sqlx::Decode<'r, sea_orm::sqlx::Postgres>
        + sea_orm::sqlx::Type<sea_orm::sqlx::Postgres>,
{
    use sea_orm::sqlx::Row;
    match row.try_as_pg_row() {
        Some(pg) => pg
            .try_get_unchecked::<T, usize>(at)
            .map_err(|e| DbErr::Type(format!("column {at}: {e}"))),
        None => row.try_get_by_index(at),
    }
}

macro_rules! partial {
    ($model:ty { $($field:ident),+ $(,)? }) => {
        impl Partial for $model {
            const COLUMNS: &'static [&'static str] = &[$(stringify!($field)),+];
            fn blank() -> Self {
                Self { $($field: Default::default()),+ }
            }
            fn set(&mut self, col: usize, row: &QueryResult, at: usize) -> Result<(), DbErr> {
                let mut i = 0usize;
                $(
                    if col == i {
                        self.$field = get(row, at)?;
                        return Ok(());
                    }
                    i += 1;
                )+
                let _ = i;
                Ok(())
            }
        }
    };
}

use crate::entity::{account, account_plan, activity, contact, objective};

partial!(account::Model {
    tenant_id,
    id,
    name,
    name_key,
    industry,
    website,
    region,
    status,
    tier,
    owner_id,
    parent_id,
    annual_revenue_minor,
    annual_revenue_currency,
    wallet_estimate_minor,
    wallet_estimate_currency,
    source,
    external_id,
    archived_at,
    deleted_at,
    created_at,
    created_by,
    updated_at,
    updated_by,
    version,
});

partial!(contact::Model {
    tenant_id,
    id,
    account_id,
    first_name,
    last_name,
    name_key,
    title,
    department,
    email,
    phone,
    status,
    buying_role,
    influence,
    attitude,
    reports_to_id,
    relationship_owner_id,
    preferred_channel,
    preferred_frequency,
    source,
    external_id,
    erased_at,
    deleted_at,
    created_at,
    created_by,
    updated_at,
    updated_by,
    version,
});

partial!(account_plan::Model {
    tenant_id,
    id,
    account_id,
    title,
    strategy_summary,
    period_start,
    period_end,
    owner_id,
    status,
    deleted_at,
    created_at,
    created_by,
    updated_at,
    updated_by,
    version,
});

partial!(objective::Model {
    tenant_id,
    id,
    plan_id,
    title,
    description,
    metric,
    unit,
    baseline_e4,
    target_e4,
    current_e4,
    confidence,
    due_date,
    owner_id,
    success_criterion_id,
    status,
    deleted_at,
    created_at,
    created_by,
    updated_at,
    updated_by,
    version,
});

partial!(activity::Model {
    tenant_id,
    id,
    account_id,
    kind,
    occurred_at,
    hours_hundredths,
    summary,
    source,
    external_id,
    action_item_id,
    action_due_date,
    deleted_at,
    created_at,
    created_by,
    updated_at,
    updated_by,
    version,
});

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{EntityTrait, Iterable};

    fn same_columns<E: EntityTrait>(cols: &[&str]) {
        use sea_orm::IdenStatic;
        let mut entity: Vec<&str> = E::Column::iter().map(|c| c.as_str()).collect();
        let mut partial = cols.to_vec();
        entity.sort_unstable();
        partial.sort_unstable();
        assert_eq!(entity, partial);
    }

    #[test]
    fn partial_models_list_every_column_of_their_table() {
        same_columns::<account::Entity>(account::Model::COLUMNS);
        same_columns::<contact::Entity>(contact::Model::COLUMNS);
        same_columns::<account_plan::Entity>(account_plan::Model::COLUMNS);
        same_columns::<objective::Entity>(objective::Model::COLUMNS);
        same_columns::<activity::Entity>(activity::Model::COLUMNS);
    }

    #[test]
    fn select_lists_follow_the_table_order() {
        let c = Columns::of::<contact::Model>(&["last_name", "id", "email"]);
        assert_eq!(
            c.select_list::<contact::Model>("c"),
            "c.id, c.last_name, c.email"
        );
        assert_eq!(c.names::<contact::Model>(), ["id", "last_name", "email"]);
    }
}
