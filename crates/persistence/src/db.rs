//! Connections. Postgres: one pool. SQLite: a pool of readers and a single
//! writer connection, so that writes are serialised in the process and
//! `SQLITE_BUSY` never reaches a client (WAL lets readers run beside it).

use crate::error::StoreError;
use crate::stats;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

/// How to connect.
#[derive(Debug, Clone)]
pub struct DbConfig {
    pub url: String,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl DbConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
        }
    }
}

/// The database handle shared by the process.
#[derive(Clone, Debug)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
    backend: DbBackend,
}

fn options(cfg: &DbConfig, max: u32) -> ConnectOptions {
    let mut o = ConnectOptions::new(cfg.url.clone());
    o.max_connections(max)
        .min_connections(1)
        .acquire_timeout(cfg.acquire_timeout)
        .connect_timeout(cfg.acquire_timeout)
        .sqlx_logging(false)
        // A ping before every statement costs ~8% of throughput; broken
        // connections surface as errors and are replaced by the pool.
        .test_before_acquire(false);
    o
}

fn sqlite_options(o: &mut ConnectOptions, read_only: bool) {
    o.map_sqlx_sqlite_opts(move |opts| {
        opts.create_if_missing(!read_only)
            .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
            .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
    });
}

impl Db {
    /// Connects to `cfg.url` (`sqlite:` or `postgres:`).
    pub async fn connect(cfg: &DbConfig) -> Result<Self, StoreError> {
        let url = cfg.url.as_str();
        let (mut read, mut write) = if url.starts_with("sqlite:") {
            let mut w = options(cfg, 1);
            sqlite_options(&mut w, false);
            let write = Database::connect(w).await?;
            let mut r = options(cfg, cfg.max_connections.max(2));
            sqlite_options(&mut r, false);
            let read = Database::connect(r).await?;
            (read, write)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let conn = Database::connect(options(cfg, cfg.max_connections)).await?;
            (conn.clone(), conn)
        } else {
            return Err(StoreError::Internal(
                "unsupported database URL: use sqlite:... or postgres://...".into(),
            ));
        };
        let backend = write.get_database_backend();
        write.set_metric_callback(|_| stats::record_statement());
        if backend == DbBackend::Sqlite {
            read.set_metric_callback(|_| stats::record_statement());
        } else {
            read = write.clone();
        }
        Ok(Self {
            read,
            write,
            backend,
        })
    }

    /// For reads outside a transaction.
    pub fn read(&self) -> &DatabaseConnection {
        &self.read
    }

    /// For writes: begin transactions here.
    pub fn write(&self) -> &DatabaseConnection {
        &self.write
    }

    /// Begins a write transaction: on SQLite `BEGIN IMMEDIATE` on the single
    /// writer connection, so the write lock is taken up front (waiting
    /// `busy_timeout` for another process) instead of failing with
    /// `SQLITE_BUSY` when a read transaction tries to upgrade.
    pub async fn begin_write(&self) -> Result<DatabaseTransaction, StoreError> {
        let mode = (self.backend == DbBackend::Sqlite).then_some(SqliteTransactionMode::Immediate);
        Ok(self
            .write
            .begin_with_options(TransactionOptions {
                isolation_level: None,
                access_mode: None,
                sqlite_transaction_mode: mode,
            })
            .await?)
    }

    pub fn backend(&self) -> DbBackend {
        self.backend
    }

    pub fn is_postgres(&self) -> bool {
        self.backend == DbBackend::Postgres
    }

    /// Applies pending migrations.
    pub async fn migrate_up(&self) -> Result<(), StoreError> {
        Migrator::up(&self.write, None).await?;
        Ok(())
    }

    /// Reverts the last `steps` migrations.
    pub async fn migrate_down(&self, steps: u32) -> Result<(), StoreError> {
        Migrator::down(&self.write, Some(steps)).await?;
        Ok(())
    }

    /// Each migration's name and whether it is applied.
    pub async fn migration_status(&self) -> Result<Vec<(String, bool)>, StoreError> {
        let migrations = Migrator::get_migration_with_status(&self.write).await?;
        Ok(migrations
            .iter()
            .map(|m| {
                (
                    m.name().to_owned(),
                    m.status() == migration::MigrationStatus::Applied,
                )
            })
            .collect())
    }

    /// The pools' connections as (open, idle, maximum), summed over the
    /// pools (on SQLite the readers and the single writer). For metrics: no
    /// sqlx type leaves this crate.
    pub fn pool_stats(&self) -> (u32, u32, u32) {
        fn of<DB: sea_orm::sqlx::Database>(p: &sea_orm::sqlx::Pool<DB>) -> (u32, u32, u32) {
            let idle = u32::try_from(p.num_idle()).unwrap_or(u32::MAX);
            (p.size(), idle, p.options().get_max_connections())
        }
        match self.backend {
            DbBackend::Postgres => of(self.write.get_postgres_connection_pool()),
            DbBackend::Sqlite => {
                let (r, w) = (
                    of(self.read.get_sqlite_connection_pool()),
                    of(self.write.get_sqlite_connection_pool()),
                );
                (r.0 + w.0, r.1 + w.1, r.2 + w.2)
            }
            _ => (0, 0, 0),
        }
    }

    /// Whether the database answers.
    pub async fn ping(&self) -> bool {
        self.read.ping().await.is_ok()
    }

    pub async fn close(self) {
        let _ = self.read.close().await;
        let _ = self.write.close().await;
    }
}
