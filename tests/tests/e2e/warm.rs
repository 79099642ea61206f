//! Warm connections (`persistence::warm`, Postgres): a statement that
//! completed leaves its connection ready for the next hot-path statement,
//! without sqlx's release ping; anything else (an error, a dropped future)
//! sends the connection back to the pool, what comes back warm always
//! answers the next statement correctly, and with row-level security a kept
//! connection only serves statements of the tenant it carries.

use crate::helpers::*;
use sea_orm::{DbBackend, Statement, Value};
use serde_json::json;
use std::time::Duration;

fn sql(s: &str) -> Statement {
    Statement::from_string(DbBackend::Postgres, s)
}

/// `SELECT $1::int`: a statement whose answer says which it was.
async fn echo(db: &persistence::Db, n: i32) -> i32 {
    let rows = db
        .query_all(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT $1::int AS n",
            [Value::from(n)],
        ))
        .await
        .expect("echo");
    assert_eq!(rows.len(), 1);
    rows[0].try_get_by_index::<i32>(0).expect("an int")
}

/// An account with its contacts, read `times` times, one request after the
/// other (compiled reads from the second on).
async fn read_an_account(app: &TestApp, times: usize) {
    let t = app.tenant("alpha").await;
    let id = app.account(&t.admin_token, "Alpha Industries").await;
    let q = "query($id: ID!) { account(id: $id) { id name contacts(first: 5) { nodes { id } } } }";
    for _ in 0..times {
        let r = app
            .graphql(Some(&t.admin_token), q, json!({ "id": id }))
            .await;
        assert_eq!(r.data("account.name"), "Alpha Industries");
    }
}

fn warm_applies() -> bool {
    is_postgres() && !rls_enabled()
}

#[tokio::test]
async fn compiled_reads_reuse_a_ready_connection() {
    if !warm_applies() {
        return;
    }
    let app = spawn_app().await;
    read_an_account(&app, 5).await;
    // One request at a time: each took the connection the previous one
    // left ready, so exactly one is kept.
    assert_eq!(app.state.db.warm_connections(), 1);
    let (_, idle, _) = app.state.db.pool_stats();
    assert!(idle >= 1, "a warm connection counts as idle");
}

#[tokio::test]
async fn quiet_connections_go_back_to_the_pool() {
    if !warm_applies() {
        return;
    }
    let app = spawn_app().await;
    let db = &app.state.db;
    assert_eq!(echo(db, 3).await, 3);
    assert_eq!(db.warm_connections(), 1);
    tokio::time::sleep(persistence::warm::QUIET * 2 + Duration::from_millis(500)).await;
    assert_eq!(db.warm_connections(), 0, "returned after a quiet period");
    assert_eq!(echo(db, 4).await, 4);
}

#[tokio::test]
async fn a_dropped_statement_does_not_come_back_warm() {
    if !warm_applies() {
        return;
    }
    let app = spawn_app().await;
    let db = &app.state.db;
    assert_eq!(echo(db, 7).await, 7);
    let before = db.warm_connections();
    assert!(before >= 1);
    // The future is dropped while Postgres is still answering.
    let cancelled = tokio::time::timeout(
        Duration::from_millis(50),
        db.query_all(sql("SELECT pg_sleep(1)")),
    )
    .await;
    assert!(cancelled.is_err(), "timed out");
    assert_eq!(
        db.warm_connections(),
        before - 1,
        "the interrupted connection went back to the pool, not to the warm list"
    );
    // Every later statement gets its own answer.
    for n in 0..20 {
        assert_eq!(echo(db, n).await, n);
    }
}

#[tokio::test]
async fn a_failed_statement_does_not_come_back_warm() {
    if !warm_applies() {
        return;
    }
    let app = spawn_app().await;
    let db = &app.state.db;
    assert_eq!(echo(db, 1).await, 1);
    let before = db.warm_connections();
    let err = db.query_all(sql("SELECT 1 / 0")).await;
    assert!(err.is_err(), "division by zero fails");
    assert_eq!(db.warm_connections(), before - 1);
    for n in 0..5 {
        assert_eq!(echo(db, n).await, n);
    }
}

#[tokio::test]
async fn the_warm_list_holds_at_most_half_the_pool() {
    if !warm_applies() {
        return;
    }
    let app = spawn_app_with(|c| c.db_max_connections = 8).await;
    let db = app.state.db.clone();
    let tasks: Vec<_> = (0..24)
        .map(|n| {
            let db = db.clone();
            tokio::spawn(async move {
                db.query_all(sql("SELECT pg_sleep(0.05)"))
                    .await
                    .expect("sleep");
                echo(&db, n).await
            })
        })
        .collect();
    for (n, t) in tasks.into_iter().enumerate() {
        assert_eq!(t.await.expect("task"), i32::try_from(n).unwrap());
    }
    let warm = db.warm_connections();
    assert!(
        (1..=4).contains(&warm),
        "{warm} warm connections for a pool of 8"
    );
}

/// One value of one row, as text.
async fn text(db: &persistence::Db, q: &str) -> String {
    let rows = db.query_all(sql(q)).await.expect(q);
    rows[0].try_get_by_index::<String>(0).expect("text")
}

#[tokio::test]
async fn with_row_level_security_a_kept_connection_serves_only_its_tenant() {
    if !is_postgres() {
        return;
    }
    let app = spawn_app_with(|c| c.db_row_level_security = true).await;
    let a = app.tenant("alpha").await;
    let b = app.tenant("bravo").await;
    app.account(&a.admin_token, "Alpha One").await;
    app.account(&a.admin_token, "Alpha Two").await;
    app.account(&b.admin_token, "Bravo One").await;
    let (a_t, b_t) = (app.tenant_id(&a).await, app.tenant_id(&b).await);
    let db = app.state.db.clone();
    // Interleaved and concurrent: each statement runs with its own tenant,
    // whichever connection it got (no tenant filter in the SQL: only the
    // policies, which read the connection's setting, separate them).
    let tasks: Vec<_> = (0..60)
        .map(|n| {
            let db = db.clone();
            let (t, expected) = if n % 3 == 0 { (b_t, 1) } else { (a_t, 2) };
            tokio::spawn(persistence::rls::with_tenant(Some(t), async move {
                let setting = text(&db, "SELECT current_setting('steward.tenant_id')").await;
                let seen = text(&db, "SELECT count(*)::text FROM accounts").await;
                (t, setting, seen, expected)
            }))
        })
        .collect();
    for task in tasks {
        let (t, setting, seen, expected) = task.await.expect("task");
        assert_eq!(setting, t.to_string());
        assert_eq!(seen, expected.to_string(), "accounts visible to {t}");
    }
    assert!(db.warm_connections() >= 1, "connections are kept");
    // No tenant in scope: nothing visible, and nothing kept for it.
    let before = db.warm_connections();
    assert_eq!(text(&db, "SELECT count(*)::text FROM accounts").await, "0");
    assert_eq!(db.warm_connections(), before);
}

#[tokio::test]
async fn with_row_level_security_compiled_reads_keep_connections_per_tenant() {
    if !is_postgres() {
        return;
    }
    let app = spawn_app_with(|c| c.db_row_level_security = true).await;
    read_an_account(&app, 3).await;
    assert_eq!(app.state.db.warm_connections(), 1);
}
