//! Users of a tenant.

use super::page::{Page, PageArgs, beyond};
use crate::entity::user;
use crate::error::StoreError;
use domain::{TenantId, UserId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, Iterable, Order, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

pub struct NewUser<'a> {
    pub email: &'a str,
    pub email_key: &'a str,
    pub display_name: &'a str,
    pub role: &'a str,
    pub password_hash: &'a str,
}

pub async fn insert(
    w: &crate::write::Writer,
    tenant: TenantId,
    u: NewUser<'_>,
) -> Result<user::Model, StoreError> {
    w.insert::<user::Entity>(user::ActiveModel {
        tenant_id: Set(tenant.0),
        id: Set(UserId::new().0),
        email: Set(u.email.to_owned()),
        email_key: Set(u.email_key.to_owned()),
        display_name: Set(u.display_name.to_owned()),
        role: Set(u.role.to_owned()),
        active: Set(true),
        password_hash: Set(u.password_hash.to_owned()),
        ..Default::default()
    })
    .await
}

/// Users as every read but sign-in sees them: the password hash is not
/// selected (it comes back blank), so it never leaves the database on a
/// read path, whatever later serialises a model. Such a model must never be
/// written back whole (`Writer::update`): users are changed column by column.
fn without_hash() -> Select<user::Entity> {
    user::Entity::find()
        .select_only()
        .columns(user::Column::iter().filter(|c| !matches!(c, user::Column::PasswordHash)))
        .column_as(Expr::val(""), "password_hash")
}

/// For sign-in only: the one read that returns the password hash.
pub async fn find_by_email(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    email_key: &str,
) -> Result<Option<user::Model>, StoreError> {
    Ok(user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::EmailKey.eq(email_key))
        .one(conn)
        .await?)
}

pub async fn get(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: UserId,
) -> Result<Option<user::Model>, StoreError> {
    Ok(without_hash()
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::Id.eq(id.0))
        .one(conn)
        .await?)
}

pub async fn by_ids(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    ids: &[uuid::Uuid],
) -> Result<Vec<user::Model>, StoreError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    Ok(of_ids(tenant, ids).all(conn).await?)
}

/// The tenant's users with these ids, without their password hashes.
fn of_ids(tenant: TenantId, ids: &[uuid::Uuid]) -> Select<user::Entity> {
    without_hash()
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::Id.is_in(ids.iter().copied()))
}

/// Like [`by_ids`], by id, on the hot paths' connections (`Db::query_all`:
/// the compiled read path's owners; identical lists of concurrent requests
/// are fetched and decoded once).
pub async fn by_ids_hot(
    db: &crate::Db,
    tenant: TenantId,
    ids: &[uuid::Uuid],
) -> Result<std::sync::Arc<std::collections::HashMap<uuid::Uuid, user::Model>>, StoreError> {
    use sea_orm::{FromQueryResult, QueryTrait};
    if ids.is_empty() {
        return Ok(std::sync::Arc::default());
    }
    let stmt = of_ids(tenant, ids).build(db.backend());
    db.query_shared(
        |s| &s.users_by_id,
        stmt,
        |rows| {
            let mut users = std::collections::HashMap::with_capacity(rows.len());
            for r in rows {
                let u = user::Model::from_query_result(r, "")?;
                users.insert(u.id, u);
            }
            Ok(users)
        },
    )
    .await
}

/// Users ordered by e-mail.
pub async fn list(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    args: &PageArgs,
) -> Result<Page<user::Model>, StoreError> {
    let mut q = without_hash().filter(user::Column::TenantId.eq(tenant.0));
    if let Some(a) = &args.after {
        q = q.filter(beyond(
            Some(user::Column::EmailKey),
            user::Column::Id,
            a,
            true,
        ));
    }
    if let Some(b) = &args.before {
        q = q.filter(beyond(
            Some(user::Column::EmailKey),
            user::Column::Id,
            b,
            false,
        ));
    }
    let dir = if args.from_end {
        Order::Desc
    } else {
        Order::Asc
    };
    let rows = q
        .order_by(user::Column::EmailKey, dir.clone())
        .order_by(user::Column::Id, dir)
        .limit(args.limit + 1)
        .all(conn)
        .await?;
    Ok(Page::from_fetched(rows, args))
}

/// Changes role and/or active flag; returns the updated row.
pub async fn set_role_and_active(
    w: &crate::write::Writer,
    tenant: TenantId,
    id: UserId,
    role: Option<&str>,
    active: Option<bool>,
) -> Result<Option<user::Model>, StoreError> {
    let mut q = user::Entity::update_many();
    if let Some(r) = role {
        q = q.col_expr(user::Column::Role, Expr::value(r));
    }
    if let Some(a) = active {
        q = q.col_expr(user::Column::Active, Expr::value(a));
    }
    let q = q
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::Id.eq(id.0));
    w.update_many(q, crate::write::Op::Updated).await?;
    get(w.conn(), tenant, id).await
}

/// Role and active flag, for the per-process status cache.
pub async fn status(
    conn: &impl ConnectionTrait,
    tenant: TenantId,
    id: UserId,
) -> Result<Option<(String, bool)>, StoreError> {
    Ok(user::Entity::find()
        .select_only()
        .column(user::Column::Role)
        .column(user::Column::Active)
        .filter(user::Column::TenantId.eq(tenant.0))
        .filter(user::Column::Id.eq(id.0))
        .into_tuple::<(String, bool)>()
        .one(conn)
        .await?)
}

/// How many users the tenant has (`users.totalCount`).
pub async fn count(conn: &impl ConnectionTrait, tenant: TenantId) -> Result<u64, StoreError> {
    use sea_orm::PaginatorTrait;
    Ok(user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant.0))
        .count(conn)
        .await?)
}

/// Users read in the statement of the rows that point at them: for each
/// `(alias, foreign key)`, `LEFT JOIN users uN` on the key, its columns
/// selected as `uN_<column>` (the password hash blank, as everywhere but
/// sign-in). A to-one user field (owner, logged by) then costs no statement
/// of its own. Postgres and SQLite alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct UserJoins<'a>(pub &'a [(&'static str, &'static str)]);

impl UserJoins<'_> {
    pub fn is_empty(self) -> bool {
        self.0.is_empty()
    }

    /// `, u0.id AS u0_id, ...` for every join.
    pub(crate) fn push_select(self, sql: &mut String) {
        use sea_orm::Iden;
        for n in 0..self.0.len() {
            for c in user::Column::iter() {
                let name = c.to_string();
                if matches!(c, user::Column::PasswordHash) {
                    sql.push_str(&format!(", '' AS u{n}_{name}"));
                } else {
                    sql.push_str(&format!(", u{n}.{name} AS u{n}_{name}"));
                }
            }
        }
    }

    /// ` LEFT JOIN users u0 ON ...` for every join.
    pub(crate) fn push_joins(self, sql: &mut String) {
        for (n, (alias, fk)) in self.0.iter().enumerate() {
            sql.push_str(&format!(
                " LEFT JOIN users u{n} ON u{n}.tenant_id = {alias}.tenant_id AND u{n}.id = {alias}.{fk}"
            ));
        }
    }

    /// The users of one result row, into `out`.
    pub(crate) fn decode(
        self,
        row: &sea_orm::QueryResult,
        out: &mut std::collections::HashMap<uuid::Uuid, user::Model>,
    ) -> Result<(), StoreError> {
        use sea_orm::FromQueryResult;
        for n in 0..self.0.len() {
            let pre = format!("u{n}_");
            let id: Option<uuid::Uuid> = row.try_get(&pre, "id")?;
            if let Some(id) = id
                && !out.contains_key(&id)
            {
                out.insert(id, user::Model::from_query_result(row, &pre)?);
            }
        }
        Ok(())
    }
}
