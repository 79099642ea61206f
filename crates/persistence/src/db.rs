//! Connections. Postgres: one pool (two with row-level security: the
//! owner's, for authentication and migrations, and the application role's,
//! for requests; see `rls`). SQLite: a pool of readers and a single writer
//! connection, so that writes are serialised in the process and
//! `SQLITE_BUSY` never reaches a client (WAL lets readers run beside it).

use crate::coalesce::Coalescer;
use crate::error::StoreError;
use crate::warm::Warm;
use crate::{rls, stats};
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, QueryResult, SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};
use std::sync::Arc;
use std::time::Duration;

/// How to connect.
#[derive(Debug, Clone)]
pub struct DbConfig {
    pub url: String,
    pub max_connections: u32,
    pub acquire_timeout: Duration,
    /// Postgres only: requests run as `app_role` under row-level security
    /// (see `rls`).
    pub row_level_security: bool,
    /// The non-owner role requests run as with row-level security.
    pub app_role: String,
    /// Postgres: at most this many coalesced statements per key at once
    /// (see `coalesce`); 0 turns coalescing off.
    pub coalesce_in_flight: usize,
}

impl DbConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            max_connections: 16,
            acquire_timeout: Duration::from_secs(5),
            row_level_security: false,
            app_role: "steward_app".into(),
            coalesce_in_flight: COALESCE_IN_FLIGHT,
        }
    }
}

/// The database handle shared by the process.
#[derive(Clone, Debug)]
pub struct Db {
    read: DatabaseConnection,
    write: DatabaseConnection,
    backend: DbBackend,
    /// With row-level security: the owner's pool (`read` and `write` are then
    /// the application role's).
    system: Option<Box<Db>>,
    /// Postgres: connections kept ready for the hot paths' statements (per
    /// tenant with row-level security; see `warm`).
    warm: Option<Arc<Warm>>,
    /// Postgres: the hot statements that concurrent requests share (see
    /// `coalesce`).
    coalesced: Option<Arc<Coalesced>>,
    /// Committed writes (shared with `system`).
    writes: Arc<crate::write::WriteCounts>,
}

/// The statements coalesced across concurrent requests, each keyed by
/// tenant (and shape).
pub(crate) struct Coalesced {
    pub(crate) activity_inserts: Coalescer<
        uuid::Uuid,
        Arc<crate::repo::activities::Checked>,
        crate::repo::activities::InsertOutcome,
    >,
    pub(crate) signal_inserts: Coalescer<
        uuid::Uuid,
        Arc<crate::repo::signal_write::Checked>,
        crate::repo::signal_write::Recorded,
    >,
    pub(crate) account_pages: Coalescer<
        crate::repo::contacts::AccountPageKey,
        uuid::Uuid,
        Option<crate::repo::contacts::AccountWithPage>,
    >,
    /// Identical reads (same statement, same values, same tenant): one
    /// statement serves all the calls queued while the previous one ran.
    pub(crate) shared: SharedReads,
}

/// The reads that concurrent requests often repeat exactly, one typed
/// coalescer per call site (its result type); see [`Db::query_shared`].
pub(crate) struct SharedReads {
    pub(crate) account_list: Shared<crate::repo::page::Page<Part<crate::entity::account::Model>>>,
    pub(crate) contact_pages: Shared<PagesOf<Part<crate::entity::contact::Model>>>,
    pub(crate) account_children: Shared<PagesOf<Part<crate::entity::account::Model>>>,
    pub(crate) plan_pages: Shared<PagesOf<Part<crate::entity::account_plan::Model>>>,
    pub(crate) activity_pages: Shared<PagesOf<Part<crate::entity::activity::Model>>>,
    pub(crate) objectives_of_plans: Shared<crate::repo::plans::ObjectivesOfPlans>,
    pub(crate) users_by_id:
        Shared<std::collections::HashMap<uuid::Uuid, crate::entity::user::Model>>,
}

use crate::repo::partial::Part;

/// Pages of a child list per parent.
pub(crate) type PagesOf<M> = std::collections::HashMap<uuid::Uuid, crate::repo::page::Page<M>>;

/// Picks a call site's coalescer.
pub(crate) type SharedSite<T> = fn(&SharedReads) -> &Shared<T>;

/// One call site's identical reads.
pub(crate) type Shared<T> = Coalescer<SharedKey, (), Arc<T>>;

/// An identical read: the tenant in scope (row-level security), the SQL and
/// its values.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct SharedKey {
    tenant: Option<uuid::Uuid>,
    sql: String,
    values: Vec<sea_orm::Value>,
}

impl SharedReads {
    fn new(in_flight: usize) -> Self {
        Self {
            account_list: Coalescer::new(in_flight, COALESCE_BATCH),
            contact_pages: Coalescer::new(in_flight, COALESCE_BATCH),
            account_children: Coalescer::new(in_flight, COALESCE_BATCH),
            plan_pages: Coalescer::new(in_flight, COALESCE_BATCH),
            activity_pages: Coalescer::new(in_flight, COALESCE_BATCH),
            objectives_of_plans: Coalescer::new(in_flight, COALESCE_BATCH),
            users_by_id: Coalescer::new(in_flight, COALESCE_BATCH),
        }
    }

    fn stats(&self) -> crate::coalesce::CoalesceStats {
        self.account_list.stats()
            + self.contact_pages.stats()
            + self.account_children.stats()
            + self.plan_pages.stats()
            + self.activity_pages.stats()
            + self.objectives_of_plans.stats()
            + self.users_by_id.stats()
    }
}

impl std::fmt::Debug for Coalesced {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Coalesced").finish_non_exhaustive()
    }
}

/// At most this many coalesced statements of one key run at once, by
/// default: with one, batches are largest and Postgres does least per call
/// (bench/README.md: Q1 and Q3 faster than with 2 or 4).
pub const COALESCE_IN_FLIGHT: usize = 1;
/// At most this many calls share a statement.
const COALESCE_BATCH: usize = 64;

impl Coalesced {
    /// `None` when `in_flight` is 0 (coalescing off).
    fn new(in_flight: usize) -> Option<Arc<Self>> {
        (in_flight > 0).then(|| {
            Arc::new(Self {
                activity_inserts: Coalescer::new(in_flight, COALESCE_BATCH),
                signal_inserts: Coalescer::new(in_flight, COALESCE_BATCH),
                account_pages: Coalescer::new(in_flight, COALESCE_BATCH),
                shared: SharedReads::new(in_flight),
            })
        })
    }
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
        if cfg.row_level_security {
            // Refused before anything is opened or created.
            return if Self::is_postgres_url(url) {
                Self::connect_with_rls(cfg).await
            } else {
                Err(StoreError::Internal(
                    "row-level security needs PostgreSQL".into(),
                ))
            };
        }
        let (mut read, mut write) = if url.starts_with("sqlite:") {
            let mut w = options(cfg, 1);
            sqlite_options(&mut w, false);
            let write = Database::connect(w).await?;
            let mut r = options(cfg, cfg.max_connections.max(2));
            sqlite_options(&mut r, false);
            let read = Database::connect(r).await?;
            (read, write)
        } else if Self::is_postgres_url(url) {
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
        let warm = (backend == DbBackend::Postgres).then(|| {
            let pool = write.get_postgres_connection_pool().clone();
            let cap = usize::try_from(cfg.max_connections / 2).unwrap_or(1).max(1);
            let warm = Arc::new(Warm::new(pool, cap, false));
            warm.start_releasing();
            warm
        });
        Ok(Self {
            read,
            write,
            backend,
            system: None,
            coalesced: warm
                .as_ref()
                .and_then(|_| Coalesced::new(cfg.coalesce_in_flight)),
            warm,
            writes: Arc::default(),
        })
    }

    fn is_postgres_url(url: &str) -> bool {
        url.starts_with("postgres:") || url.starts_with("postgresql:")
    }

    /// Postgres with row-level security: provisions the application role
    /// with the owner's pool, then opens the request pool, whose
    /// connections assume that role and get the task's tenant at every
    /// checkout.
    async fn connect_with_rls(cfg: &DbConfig) -> Result<Self, StoreError> {
        // The configured size is shared: a quarter (at least 2) for the
        // owner's work (sign-in, token refresh), the rest for requests.
        let owner_max = (cfg.max_connections / 4).max(2);
        let request_max = cfg.max_connections.saturating_sub(owner_max).max(2);
        let mut system = Database::connect(options(cfg, owner_max)).await?;
        system.set_metric_callback(|_| stats::record_statement());
        system
            .execute_unprepared(&rls::provision_sql(&cfg.app_role)?)
            .await?;
        // The name is checked by `provision_sql`.
        let set_role: std::sync::Arc<str> = format!("SET ROLE {}", cfg.app_role).into();
        let mut o = options(cfg, request_max);
        o.map_sqlx_postgres_pool_opts(move |pool| {
            let set_role = set_role.clone();
            pool.after_connect(move |conn, _| {
                let sql = sea_orm::sqlx::AssertSqlSafe(set_role.to_string());
                Box::pin(async move {
                    sea_orm::sqlx::raw_sql(sql).execute(&mut *conn).await?;
                    rls::apply_tenant(conn).await
                })
            })
            .before_acquire(|conn, _| {
                Box::pin(async move {
                    rls::apply_tenant(conn).await?;
                    Ok(true)
                })
            })
        });
        let mut scoped = Database::connect(o).await?;
        scoped.set_metric_callback(|_| stats::record_statement());
        let warm = Arc::new(Warm::new(
            scoped.get_postgres_connection_pool().clone(),
            usize::try_from(request_max / 2).unwrap_or(1).max(1),
            true,
        ));
        warm.start_releasing();
        let writes = Arc::<crate::write::WriteCounts>::default();
        Ok(Self {
            read: scoped.clone(),
            write: scoped,
            backend: DbBackend::Postgres,
            system: Some(Box::new(Self {
                read: system.clone(),
                write: system,
                backend: DbBackend::Postgres,
                system: None,
                warm: None,
                coalesced: None,
                writes: writes.clone(),
            })),
            writes,
            coalesced: Coalesced::new(cfg.coalesce_in_flight),
            // Kept per tenant: the pool sets the tenant at each checkout.
            warm: Some(warm),
        })
    }

    /// The owner's connections, outside row-level security: for
    /// authentication (before a tenant is known), migrations and seeding.
    /// Without row-level security, this handle itself.
    pub fn system(&self) -> &Db {
        self.system.as_deref().unwrap_or(self)
    }

    /// Committed writes per record type and operation.
    pub fn write_counts(&self) -> &Arc<crate::write::WriteCounts> {
        &self.writes
    }

    /// Whether requests run under row-level security.
    pub fn row_level_security(&self) -> bool {
        self.system.is_some()
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
        Migrator::up(&self.system().write, None).await?;
        Ok(())
    }

    /// Reverts the last `steps` migrations.
    pub async fn migrate_down(&self, steps: u32) -> Result<(), StoreError> {
        Migrator::down(&self.system().write, Some(steps)).await?;
        Ok(())
    }

    /// Each migration's name and whether it is applied.
    pub async fn migration_status(&self) -> Result<Vec<(String, bool)>, StoreError> {
        let migrations = Migrator::get_migration_with_status(&self.system().write).await?;
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
            DbBackend::Postgres => {
                let mut own = of(self.write.get_postgres_connection_pool());
                // Warm connections are out of the pool but ready: idle.
                own.1 = own
                    .1
                    .saturating_add(u32::try_from(self.warm_connections()).unwrap_or(u32::MAX));
                match &self.system {
                    Some(s) => {
                        let sys = s.pool_stats();
                        (own.0 + sys.0, own.1 + sys.1, own.2 + sys.2)
                    }
                    None => own,
                }
            }
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

    /// All rows of `stmt` (`read().query_all_raw(stmt)`), on Postgres
    /// through the warm connections when this handle has them: for the hot
    /// paths (compiled reads, the activity insert), whose statements are
    /// single and self-contained (autocommit), never inside a transaction.
    pub async fn query_all(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        match &self.warm {
            Some(w) => w.query_all(stmt).await,
            None => self.read.query_all_raw(stmt).await,
        }
    }

    /// All rows of a sqlx query, through the warm connections: Postgres
    /// only, for the hot paths' single self-contained statements.
    pub(crate) async fn pg_fetch_all<'q, A>(
        &self,
        query: sea_orm::sqlx::query::Query<'q, sea_orm::sqlx::Postgres, A>,
    ) -> Result<Vec<sea_orm::sqlx::postgres::PgRow>, StoreError>
    where
        A: sea_orm::sqlx::IntoArguments<sea_orm::sqlx::Postgres> + 'q,
    {
        match &self.warm {
            Some(w) => Ok(w.fetch_all(query).await?),
            None => Err(StoreError::Internal(
                "a Postgres hot path without a pool".into(),
            )),
        }
    }

    /// The coalesced statements (Postgres, unless turned off).
    pub(crate) fn coalesced(&self) -> Option<&Coalesced> {
        self.coalesced.as_deref()
    }

    /// The coalesced statements' counters (activity inserts, accounts with
    /// their contacts), summed; zero when coalescing is off.
    pub fn coalesce_stats(&self) -> crate::coalesce::CoalesceStats {
        self.coalesced
            .as_deref()
            .map_or_else(Default::default, |c| {
                c.activity_inserts.stats()
                    + c.signal_inserts.stats()
                    + c.account_pages.stats()
                    + c.shared.stats()
            })
    }

    /// The rows of `stmt` (as [`Db::query_all`]) decoded by `decode`, for
    /// reads that concurrent requests often repeat exactly (a dashboard's
    /// pages): on Postgres, identical statements of one call site (`site`
    /// picks its coalescer; its `decode` the statement and its values
    /// determine) and tenant queued while the same statement runs share the
    /// next one, decoded once (see `coalesce`; never a statement that
    /// started before them).
    pub(crate) async fn query_shared<T: Send + Sync + 'static>(
        &self,
        site: SharedSite<T>,
        stmt: Statement,
        decode: impl Fn(&[QueryResult]) -> Result<T, StoreError>,
    ) -> Result<Arc<T>, StoreError> {
        let Some(c) = self.coalesced.as_deref() else {
            return Ok(Arc::new(decode(&self.query_all(stmt).await?)?));
        };
        let key = SharedKey {
            tenant: rls::current_tenant(),
            sql: stmt.sql.clone(),
            values: stmt
                .values
                .as_ref()
                .map(|v| v.0.clone())
                .unwrap_or_default(),
        };
        let decode = &decode;
        site(&c.shared)
            .run(key, (), |calls| {
                let stmt = stmt.clone();
                async move {
                    let rows = self.query_all(stmt).await?;
                    // Every call gets the one decoded value.
                    let shared = Arc::new(decode(&rows)?);
                    Ok(calls.iter().map(|()| shared.clone()).collect())
                }
            })
            .await
    }

    /// Connections kept ready now (0 without warm connections).
    pub fn warm_connections(&self) -> usize {
        self.warm.as_ref().map_or(0, |w| w.len())
    }

    pub async fn close(self) {
        if let Some(w) = &self.warm {
            w.drain();
        }
        let _ = self.read.close().await;
        let _ = self.write.close().await;
        if let Some(s) = self.system {
            Box::pin(s.close()).await;
        }
    }
}
