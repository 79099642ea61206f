//! Migration 000023 moves each account's per-kind evidence sums from JSON
//! text into one column per kind without losing a value, and back. On
//! SQLite always; on Postgres too when `TEST_DATABASE_URL` is set (in a
//! database of its own, dropped afterwards).

#![allow(clippy::expect_used)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use steward_migration::Migrator;

async fn connect(url: &str) -> DatabaseConnection {
    let mut o = ConnectOptions::new(url.to_owned());
    o.max_connections(1).sqlx_logging(false);
    Database::connect(o).await.expect("connect")
}

async fn one_f64(db: &DatabaseConnection, sql: &str) -> f64 {
    let row = db
        .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
        .await
        .expect("query")
        .expect("a row");
    row.try_get_by_index::<f64>(0).expect("a number")
}

async fn round_trip(db: &DatabaseConnection) {
    Migrator::up(db, Some(22)).await.expect("up to 22");
    let pg = db.get_database_backend() == DbBackend::Postgres;
    // A row without its tenant and account: foreign keys off for it.
    let (off, id) = if pg {
        (
            "SET session_replication_role = replica",
            "'00000000-0000-0000-0000-000000000001'",
        )
    } else {
        ("PRAGMA foreign_keys = OFF", "X'01'")
    };
    db.execute_unprepared(off).await.expect("foreign keys off");
    db.execute_unprepared(&format!(
        "INSERT INTO account_health (tenant_id, id, account_id, anchor_at, sums, signal_count, \
         last_signal_at, half_life_days, created_at, created_by, updated_at, updated_by, version) \
         VALUES ({id}, {id}, {id}, '2026-12-01T00:00:00Z', \
         '{{\"MEETING_ACCEPTED\":1.25,\"ESCALATION\":0.5000000000000001}}', 2, NULL, 90, \
         '2026-12-01T00:00:00Z', NULL, '2026-12-01T00:00:00Z', NULL, 1)"
    ))
    .await
    .expect("insert");
    Migrator::up(db, None).await.expect("up");
    let col = |c: &str| format!("SELECT {c} FROM account_health");
    assert_eq!(one_f64(db, &col("sum_meeting_accepted")).await, 1.25);
    assert_eq!(
        one_f64(db, &col("sum_escalation")).await,
        0.5000000000000001
    );
    assert_eq!(one_f64(db, &col("sum_call_returned")).await, 0.0);
    Migrator::down(db, Some(1)).await.expect("down one");
    let back = if pg {
        "SELECT CAST(CAST(sums AS jsonb) ->> 'ESCALATION' AS DOUBLE PRECISION) FROM account_health"
    } else {
        "SELECT json_extract(sums, '$.ESCALATION') FROM account_health"
    };
    assert_eq!(one_f64(db, back).await, 0.5000000000000001);
}

#[tokio::test]
async fn json_sums_become_columns_and_back_on_sqlite() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("m.db").display());
    round_trip(&connect(&url).await).await;
}

#[tokio::test]
async fn json_sums_become_columns_and_back_on_postgres() {
    let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
        return;
    };
    let admin = connect(&admin_url).await;
    let name = format!("steward_migration_{}", std::process::id());
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .expect("drop");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create");
    let base = admin_url
        .rsplit_once('/')
        .map_or(admin_url.as_str(), |(b, _)| b);
    let db = connect(&format!("{base}/{name}")).await;
    round_trip(&db).await;
    db.close().await.expect("close");
    admin
        .execute_unprepared(&format!("DROP DATABASE {name}"))
        .await
        .expect("drop");
}
