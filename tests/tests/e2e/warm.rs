//! Warm connections (`persistence::warm`, Postgres without row-level
//! security): a statement that completed leaves its connection ready for
//! the next hot-path statement, without sqlx's release ping; anything else
//! (an error, a dropped future) sends the connection back to the pool, and
//! what comes back warm always answers the next statement correctly.

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

#[tokio::test]
async fn row_level_security_takes_every_connection_from_the_pool() {
    if !is_postgres() {
        return;
    }
    let app = spawn_app_with(|c| c.db_row_level_security = true).await;
    read_an_account(&app, 3).await;
    // The tenant is set at each checkout from the pool: nothing kept aside.
    assert_eq!(app.state.db.warm_connections(), 0);
}
