//! Postgres row-level security, the optional defence in depth under the
//! tenant filter that every repository call already applies.
//!
//! With the option on (`DbConfig::row_level_security`, Postgres only):
//! - every tenant table has RLS enabled and a `tenant_isolation` policy
//!   (migration `m20261126_000006_row_level_security`) that admits only rows
//!   whose `tenant_id` equals the session setting `steward.tenant_id`, for
//!   reads and for writes (`WITH CHECK`); an unset or empty setting admits
//!   nothing;
//! - requests run as a non-owner role (`steward_app` by default; the table
//!   owner bypasses the policies, as Postgres does without `FORCE`), on a
//!   pool of their own: each connection runs `SET ROLE` when it opens;
//! - the tenant is the task's [`with_tenant`] scope, which the HTTP layer
//!   sets from the verified token around each request. The pool writes it to
//!   the connection every time a connection is handed out (a statement
//!   outside a transaction, or a whole transaction), before the first
//!   statement, and writes the empty tenant when the task has none: a
//!   connection never carries a tenant from an earlier request.
//!
//! The cost is one round trip per connection checkout (measured in
//! `bench/README.md`). Authentication (sign-in, refresh, the user-status
//! check of a token) runs before a tenant is known and uses the owner's pool,
//! `Db::system`, as do migrations and the seeders.

use crate::error::StoreError;
use sea_orm::sqlx::{self, PgConnection};
use uuid::Uuid;

tokio::task_local! {
    static TENANT: Option<Uuid>;
}

/// Runs `fut` with `tenant` as the tenant of every connection it takes from
/// the request pool.
pub async fn with_tenant<F: Future>(tenant: Option<Uuid>, fut: F) -> F::Output {
    TENANT.scope(tenant, fut).await
}

/// The tenant of the current task, if it runs in a [`with_tenant`] scope.
pub fn current_tenant() -> Option<Uuid> {
    TENANT.try_with(|t| *t).ok().flatten()
}

/// The session setting the policies read.
const SET_TENANT: &str = "SELECT set_config('steward.tenant_id', $1, false)";

/// Writes the current task's tenant (or the empty tenant) to `conn`.
pub(crate) async fn apply_tenant(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let tenant = current_tenant().map(|t| t.to_string()).unwrap_or_default();
    sqlx::query(SET_TENANT)
        .bind(tenant)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A role name safe to splice into DDL: lowercase ASCII letters, digits and
/// `_`, starting with a letter or `_`, at most 63 bytes (Postgres' limit).
pub fn valid_role(role: &str) -> bool {
    let mut chars = role.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && role.len() <= 63
}

/// Makes sure `role` exists, may be assumed by the connecting user, and may
/// read and write the tables of the current schema, including tables that
/// later migrations create. Idempotent, and safe when several servers start
/// at once on one cluster (roles are cluster-wide).
pub(crate) fn provision_sql(role: &str) -> Result<String, StoreError> {
    if !valid_role(role) {
        return Err(StoreError::Internal(format!(
            "invalid application role name {role:?}: use lowercase letters, digits and _"
        )));
    }
    Ok(format!(
        r#"DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{role}') THEN
    BEGIN
      CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN
      NULL; -- created meanwhile by another server
    END;
  END IF;
  IF (SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = '{role}') THEN
    RAISE EXCEPTION 'the application role {role} must not be a superuser or bypass RLS';
  END IF;
  IF NOT pg_has_role(current_user, '{role}', 'MEMBER') THEN
    EXECUTE format('GRANT {role} TO %I', current_user);
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO {role}', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO {role}', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}', current_schema());
END
$$"#
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_are_plain_identifiers() {
        assert!(valid_role("steward_app"));
        assert!(valid_role("_x1"));
        assert!(!valid_role(""));
        assert!(!valid_role("1app"));
        assert!(!valid_role("App"));
        assert!(!valid_role("app; DROP TABLE accounts"));
        assert!(!valid_role("app\"x"));
        assert!(!valid_role(&"a".repeat(64)));
        assert!(provision_sql("bad role").is_err());
        assert!(provision_sql("steward_app").is_ok());
    }

    #[tokio::test]
    async fn the_tenant_is_scoped_to_the_task() {
        assert_eq!(current_tenant(), None);
        let t = Uuid::now_v7();
        let seen = with_tenant(Some(t), async { current_tenant() }).await;
        assert_eq!(seen, Some(t));
        assert_eq!(with_tenant(None, async { current_tenant() }).await, None);
        assert_eq!(current_tenant(), None);
    }
}
