//! Warm connections: Postgres connections kept out of the sqlx pool between
//! the statements of the hot paths (compiled reads, logging an activity).
//!
//! sqlx pings every connection returned to its pool (a `Sync` round trip in
//! a spawned task), because a statement whose future was dropped midway can
//! leave the connection in the middle of a response. A statement that ran
//! to completion leaves it ready for the next one, so here such a
//! connection goes back to a short list of its own, and the next statement
//! takes it from there: one round trip per statement instead of two, and
//! Postgres wakes up once instead of twice (bench/README.md, alternating
//! A/B: Q1 +24-32 %, Q3 +24-29 %, Q2 within noise).
//!
//! Everything else drops the connection into the pool as before, with its
//! ping, its lifetime checks and its hooks: an error, a dropped future, a
//! full list, or a connection kept here longer than [`MAX_HELD`] or unused
//! for [`QUIET`]. The list holds at most half the pool, so that the other
//! paths (transactions, sea-orm queries) always find connections.
//!
//! Hot-path statements take turns first come, first served (at most as
//! many at once as the pool has connections): without that, a statement
//! finding a kept connection overtook those queued in the pool, and the
//! tail latency of writes doubled.
//!
//! With row-level security, the pool writes the task's tenant to each
//! connection it hands out (`rls`); a kept connection then remembers that
//! tenant and is only taken again by a statement of the same tenant (and a
//! statement with no tenant in scope never uses the list). So a connection
//! always carries the tenant of the statement it runs, as from the pool.

use crate::stats;
use sea_orm::sqlx::pool::PoolConnection;
use sea_orm::sqlx::postgres::PgRow;
use sea_orm::sqlx::query::Query;
use sea_orm::sqlx::{IntoArguments, PgPool, Postgres};
use sea_orm::{DbErr, QueryResult, Statement};
use std::sync::Mutex;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// How long a connection may stay out of the pool (its lifetime checks run
/// when it goes back).
pub const MAX_HELD: Duration = Duration::from_secs(300);

/// How long a kept connection may wait for a statement before it goes back
/// to the pool.
pub const QUIET: Duration = Duration::from_secs(1);

pub(crate) struct Warm {
    pool: PgPool,
    /// Row-level security: connections are kept per tenant.
    per_tenant: bool,
    /// Hot-path statements wait here, first come first served (a kept
    /// connection must not let later statements overtake earlier ones
    /// waiting in the pool's queue): as many as the pool has connections.
    turns: tokio::sync::Semaphore,
    /// Ready connections, each with the time it left the pool and the
    /// tenant it carries (row-level security; `None` otherwise).
    idle: Mutex<Vec<Kept>>,
    cap: usize,
}

struct Kept {
    conn: PoolConnection<Postgres>,
    since: Instant,
    /// When its last statement completed.
    used: Instant,
    tenant: Option<Uuid>,
}

impl std::fmt::Debug for Warm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Warm").field("cap", &self.cap).finish()
    }
}

impl Warm {
    /// For `pool`, keeping at most `cap` connections; `per_tenant` with
    /// row-level security.
    pub(crate) fn new(pool: PgPool, cap: usize, per_tenant: bool) -> Self {
        let turns = usize::try_from(pool.options().get_max_connections()).unwrap_or(cap);
        Self {
            pool,
            per_tenant,
            turns: tokio::sync::Semaphore::new(turns.max(1)),
            idle: Mutex::new(Vec::with_capacity(cap)),
            cap,
        }
    }

    /// The most recently kept connection that carries `tenant`.
    fn take(&self, tenant: Option<Uuid>) -> Option<Kept> {
        let mut idle = self.idle.lock().ok()?;
        let at = idle.iter().rposition(|k| k.tenant == tenant)?;
        Some(idle.swap_remove(at))
    }

    /// Keeps a connection whose statement completed, unless the list is
    /// full or it has been out of the pool too long (then it is dropped,
    /// which returns it to the pool).
    fn keep(&self, kept: Kept) {
        if kept.since.elapsed() >= MAX_HELD {
            return;
        }
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < self.cap
        {
            idle.push(Kept {
                used: Instant::now(),
                ..kept
            });
        }
    }

    /// Returns to the pool the connections no statement took for [`QUIET`]
    /// (when the hot paths fall quiet, the other paths get the whole pool
    /// back).
    fn release_quiet(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.retain(|k| k.used.elapsed() < QUIET);
        }
    }

    /// Every [`QUIET`], until the last handle is dropped, returns quiet
    /// connections to the pool. Needs a tokio runtime.
    pub(crate) fn start_releasing(self: &std::sync::Arc<Self>) {
        let weak = std::sync::Arc::downgrade(self);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(QUIET);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                match weak.upgrade() {
                    Some(w) => w.release_quiet(),
                    None => break,
                }
            }
        });
    }

    /// How many connections are kept now.
    pub(crate) fn len(&self) -> usize {
        self.idle.lock().map_or(0, |i| i.len())
    }

    /// Returns every kept connection to the pool (before closing it).
    pub(crate) fn drain(&self) {
        if let Ok(mut idle) = self.idle.lock() {
            idle.clear();
        }
    }

    /// All rows of `stmt`, as sea-orm's `query_all_raw` returns them: the
    /// values bound by the same `SqlxValues`, errors mapped as sea-orm maps
    /// them, the statement counted like every other.
    pub(crate) async fn query_all(&self, stmt: Statement) -> Result<Vec<QueryResult>, DbErr> {
        let values = stmt
            .values
            .unwrap_or(sea_orm::sea_query::Values(Vec::new()));
        let query = sea_orm::sqlx::query_with(
            sea_orm::sqlx::AssertSqlSafe(stmt.sql),
            sea_query_sqlx::SqlxValues(values),
        );
        Ok(self
            .fetch_all(query)
            .await?
            .into_iter()
            .map(QueryResult::from)
            .collect())
    }

    /// All rows of a sqlx query (for arguments sea-query cannot bind, such
    /// as arrays with NULLs).
    pub(crate) async fn fetch_all<'q, A>(
        &self,
        query: Query<'q, Postgres, A>,
    ) -> Result<Vec<PgRow>, DbErr>
    where
        A: IntoArguments<Postgres> + 'q,
    {
        let _turn = self
            .turns
            .acquire()
            .await
            .map_err(|_| DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::ConnectionClosed))?;
        // The tenant the pool writes to a connection it hands out now.
        let tenant = if self.per_tenant {
            match crate::rls::current_tenant() {
                Some(t) => Some(t),
                // No tenant in scope: straight from the pool, never kept.
                None => {
                    let rows = query.fetch_all(&self.pool).await;
                    stats::record_statement();
                    return rows.map_err(sqlx_err);
                }
            }
        } else {
            None
        };
        let mut kept = match self.take(tenant) {
            Some(k) => k,
            None => Kept {
                conn: self.pool.acquire().await.map_err(sqlx_err)?,
                since: Instant::now(),
                used: Instant::now(),
                tenant,
            },
        };
        let rows = query.fetch_all(&mut *kept.conn).await;
        stats::record_statement();
        match rows {
            Ok(rows) => {
                self.keep(kept);
                Ok(rows)
            }
            // `kept` is dropped: back to the pool, pinged there.
            Err(e) => Err(sqlx_err(e)),
        }
    }
}

/// As sea-orm maps sqlx errors (`sqlx_conn_acquire_err`,
/// `sqlx_error_to_query_err`, which it does not export).
fn sqlx_err(e: sea_orm::sqlx::Error) -> DbErr {
    match e {
        sea_orm::sqlx::Error::PoolTimedOut => {
            DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::Timeout)
        }
        sea_orm::sqlx::Error::PoolClosed => {
            DbErr::ConnectionAcquire(sea_orm::ConnAcquireErr::ConnectionClosed)
        }
        e => DbErr::Query(sea_orm::RuntimeErr::SqlxError(e.into())),
    }
}
