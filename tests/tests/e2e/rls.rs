//! Postgres row-level security (`STEWARD_DB_ROW_LEVEL_SECURITY`): the
//! policies exist on every tenant table, requests run as a role they bind,
//! and they hold even when the application's own tenant filter is wrong or
//! missing. `TEST_RLS=1` runs the whole suite with the option on; these
//! tests switch it on themselves.

use crate::helpers::*;
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use serde_json::json;
use steward_api::app::Application;

async fn rows(conn: &impl ConnectionTrait, sql: &str) -> Vec<sea_orm::QueryResult> {
    conn.query_all_raw(Statement::from_string(DbBackend::Postgres, sql))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn count(conn: &impl ConnectionTrait, sql: &str) -> i64 {
    rows(conn, sql).await[0]
        .try_get_by_index::<i64>(0)
        .expect("a count")
}

#[tokio::test]
async fn every_tenant_table_has_the_isolation_policy() {
    if !is_postgres() {
        return;
    }
    let app = spawn_app().await;
    let db = app.state.db.system();
    let tables = rows(
        db.read(),
        "SELECT c.relname, c.relrowsecurity, \
                EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation') \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = current_schema() AND c.relkind = 'r' \
           AND EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped) \
         ORDER BY 1",
    )
    .await;
    assert_eq!(tables.len(), 38, "the tenant tables");
    for r in &tables {
        let name: String = r.try_get_by_index(0).unwrap();
        let enabled: bool = r.try_get_by_index(1).unwrap();
        let policy: bool = r.try_get_by_index(2).unwrap();
        assert!(enabled && policy, "{name}: RLS {enabled}, policy {policy}");
    }
}

#[tokio::test]
async fn policies_hold_when_the_application_filter_is_wrong() {
    if !is_postgres() {
        return;
    }
    let app = spawn_app_with(|c| c.db_row_level_security = true).await;
    let a = app.tenant("alpha").await;
    let b = app.tenant("bravo").await;
    let a_acc = uuid_of(&app.account(&a.admin_token, "Alpha Industries").await);
    let b_acc = uuid_of(&app.account(&b.admin_token, "Bravo Logistics").await);
    let (a_t, b_t) = (app.tenant_id(&a).await, app.tenant_id(&b).await);
    let db = &app.state.db;
    assert!(db.row_level_security());
    let scoped = db.read();

    // Requests run as the application role, which the policies bind.
    let who = rows(
        scoped,
        "SELECT current_user::text, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .await;
    assert_eq!(who[0].try_get_by_index::<String>(0).unwrap(), "steward_app");
    assert!(!who[0].try_get_by_index::<bool>(1).unwrap());
    assert!(!who[0].try_get_by_index::<bool>(2).unwrap());

    // No tenant in scope: nothing is visible.
    assert_eq!(count(scoped, "SELECT count(*) FROM accounts").await, 0);
    assert_eq!(count(scoped, "SELECT count(*) FROM tenants").await, 0);
    // The owner's pool sees both tenants.
    assert_eq!(
        count(db.system().read(), "SELECT count(*) FROM accounts").await,
        2
    );

    persistence::rls::with_tenant(Some(a_t), async {
        // A query without a tenant filter sees only the scope's tenant.
        let ids = rows(scoped, "SELECT id FROM accounts").await;
        assert_eq!(ids.len(), 1);
        assert_eq!(ids[0].try_get_by_index::<uuid::Uuid>(0).unwrap(), a_acc);
        assert_eq!(count(scoped, "SELECT count(*) FROM users").await, 1);
        // A repository call given the wrong tenant finds nothing.
        let other = persistence::repo::accounts::get(
            scoped,
            domain::TenantId(b_t),
            domain::AccountId(b_acc),
        )
        .await
        .unwrap();
        assert!(other.is_none(), "B's account through A's scope");
        // Writes into another tenant are refused, and change nothing.
        let moved = scoped
            .execute_unprepared(&format!(
                "UPDATE accounts SET name = 'stolen' WHERE id = '{b_acc}'"
            ))
            .await
            .unwrap();
        assert_eq!(moved.rows_affected(), 0);
        let err = scoped
            .execute_unprepared(&format!(
                "UPDATE accounts SET tenant_id = '{b_t}' WHERE id = '{a_acc}'"
            ))
            .await
            .expect_err("moving a row to another tenant");
        assert!(err.to_string().contains("row-level security"), "{err}");
    })
    .await;

    // Each connection gets the tenant of the task that takes it: no leak
    // from one scope to the next on a reused connection.
    for _ in 0..20 {
        let seen = persistence::rls::with_tenant(Some(b_t), async {
            rows(scoped, "SELECT id FROM accounts").await.len()
        })
        .await;
        assert_eq!(seen, 1);
        assert_eq!(count(scoped, "SELECT count(*) FROM accounts").await, 0);
    }
    let name = count(
        db.system().read(),
        &format!("SELECT count(*) FROM accounts WHERE name = 'stolen' OR tenant_id <> '{b_t}' AND id = '{b_acc}'"),
    )
    .await;
    assert_eq!(name, 0, "B's account unchanged");

    // Through the API: each tenant works and sees only its own records.
    for (t, mine, theirs) in [
        (&a, "Alpha Industries", &b_acc),
        (&b, "Bravo Logistics", &a_acc),
    ] {
        let r = app
            .graphql(
                Some(&t.admin_token),
                "{ accounts(first: 10) { edges { node { id name contacts(first: 5) { edges { node { id } } } } } } }",
                json!({}),
            )
            .await;
        let edges = r.data("accounts.edges").as_array().unwrap().clone();
        assert_eq!(edges.len(), 1);
        assert_eq!(edges[0]["node"]["name"], mine);
        let other = global_id("Account", *theirs);
        app.graphql(
            Some(&t.admin_token),
            "query($id: ID!) { account(id: $id) { id } }",
            json!({ "id": other }),
        )
        .await
        .assert_error("NOT_FOUND");
    }
}

#[tokio::test]
async fn row_level_security_needs_postgres() {
    if is_postgres() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = test_config(format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("s.db").display()
    ));
    cfg.db_row_level_security = true;
    let err = Application::build(cfg)
        .await
        .err()
        .expect("refused on SQLite");
    assert!(!dir.path().join("s.db").exists(), "refused before opening");
    assert!(
        err.to_string()
            .contains("row-level security needs PostgreSQL"),
        "{err}"
    );
}
