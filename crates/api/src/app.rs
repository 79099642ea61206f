//! Wiring: `Application::build(config)` connects, migrates and binds (port 0
//! works); `run_until_stopped()` serves until SIGTERM/SIGINT and drains
//! in-flight requests.

use crate::auth::{TokenService, UserStatusCache};
use crate::config::{Config, MIN_JWT_SECRET_LEN, Mode, Secret};
use crate::graphql::{AppState, build_prevalidated_schema, build_schema};
use crate::http::router;
use persistence::{Db, DbConfig};
use rand::RngCore;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Database(String),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// The JWT secret: from configuration, or in development generated once and
/// kept in the data directory.
pub fn resolve_jwt_secret(cfg: &Config) -> Result<Secret, StartupError> {
    if let Some(s) = &cfg.jwt_secret {
        if cfg.mode == Mode::Production && s.expose().len() < MIN_JWT_SECRET_LEN {
            return Err(StartupError::Config(format!(
                "STEWARD_JWT_SECRET must be at least {MIN_JWT_SECRET_LEN} characters in production"
            )));
        }
        return Ok(s.clone());
    }
    if cfg.mode == Mode::Production {
        return Err(StartupError::Config(
            "STEWARD_JWT_SECRET is required in production (at least 32 random characters)".into(),
        ));
    }
    std::fs::create_dir_all(&cfg.data_dir)?;
    let path = cfg.data_dir.join("jwt-secret");
    if let Ok(s) = std::fs::read_to_string(&path)
        && s.trim().len() >= MIN_JWT_SECRET_LEN
    {
        return Ok(Secret::new(s.trim()));
    }
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    std::fs::write(&path, &secret)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    }
    tracing::warn!(path = %path.display(), "development mode: generated a JWT secret and stored it in the data directory");
    Ok(Secret::new(secret))
}

/// Connects to the configured database (creating the data directory for
/// SQLite) without migrating.
pub async fn connect(cfg: &Config) -> Result<Db, StartupError> {
    let url = cfg.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&cfg.data_dir)?;
    }
    let mut dbc = DbConfig::new(url);
    dbc.max_connections = cfg.db_max_connections;
    dbc.acquire_timeout = std::time::Duration::from_secs(cfg.db_acquire_timeout_secs);
    dbc.row_level_security = cfg.db_row_level_security;
    dbc.coalesce_in_flight = usize::try_from(cfg.db_coalesce_in_flight).unwrap_or(usize::MAX);
    dbc.app_role.clone_from(&cfg.db_app_role);
    Db::connect(&dbc)
        .await
        .map_err(|e| StartupError::Database(e.to_string()))
}

/// Depth allowed to operations that only introspect the schema (GraphiQL's
/// and graphql-js's standard introspection queries nest about 13 levels).
const INTROSPECTION_DEPTH: usize = 20;

pub struct Application {
    listener: TcpListener,
    state: Arc<AppState>,
    router: axum::Router,
}

impl Application {
    /// Connects, applies pending migrations, builds the schema and binds.
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        let secret = resolve_jwt_secret(&config)?;
        let db = connect(&config).await?;
        db.migrate_up()
            .await
            .map_err(|e| StartupError::Database(e.to_string()))?;
        if config.seed_demo_enabled() {
            seed_demo_if_empty(&db).await?;
        }
        Self::with_db(config, db, secret).await
    }

    /// Like [`Application::build`] with an already migrated database.
    pub async fn with_db(config: Config, db: Db, secret: Secret) -> Result<Self, StartupError> {
        let tokens = TokenService::new(
            &secret,
            &config.jwt_issuer,
            &config.jwt_audience,
            config.jwt_leeway_secs,
            config.access_token_ttl_secs,
            config.refresh_token_ttl_secs,
        );
        if config.metrics && config.metrics_token.is_none() {
            tracing::info!(
                "metrics: /metrics refuses every request until STEWARD_METRICS_TOKEN is set"
            );
        }
        let listener = TcpListener::bind(config.listen).await?;
        let state = Arc::new(AppState {
            db,
            tokens,
            user_status: UserStatusCache::default(),
            rate_limits: crate::rate_limit::RateLimits::new(
                config.rate_limit_per_minute,
                config.login_rate_limit_per_minute,
            ),
            responses: crate::response_budget::InFlight::new(config.max_response_bytes_in_flight),
            config,
        });
        let schema = build_schema(Some(state.clone()), &state.config);
        let prevalidated = build_prevalidated_schema(Some(state.clone()), &state.config);
        let introspection = build_schema(
            Some(state.clone()),
            &Config {
                max_depth: state.config.max_depth.max(INTROSPECTION_DEPTH),
                ..state.config.clone()
            },
        );
        let router = router(state.clone(), schema, prevalidated, introspection);
        Ok(Self {
            listener,
            state,
            router,
        })
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> Arc<AppState> {
        self.state.clone()
    }

    /// Serves until SIGTERM or SIGINT, then drains in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    /// Serves until `stop` completes.
    pub async fn run_until(
        self,
        stop: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let db = self.state.db.clone();
        // The jeopardy rules on a schedule (first run one interval after start).
        let every = self.state.config.alert_interval_secs;
        let alerts = (every > 0).then(|| {
            tokio::spawn(crate::services::alerts::schedule(
                db.clone(),
                std::time::Duration::from_secs(every),
            ))
        });
        use axum::serve::ListenerExt;
        // Small answers go out at once (no Nagle delay behind an unacknowledged segment).
        let listener = self.listener.tap_io(|tcp| {
            let _ = tcp.set_nodelay(true);
        });
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await?;
        if let Some(a) = alerts {
            a.abort();
        }
        db.close().await;
        Ok(())
    }
}

/// A fresh development database gets the demo tenant, so that a new user
/// can sign in at once.
async fn seed_demo_if_empty(db: &Db) -> Result<(), StartupError> {
    let db = db.system();
    let any = persistence::repo::tenants::any(db.read())
        .await
        .map_err(|e| StartupError::Database(e.to_string()))?;
    if any {
        return Ok(());
    }
    let password = std::env::var("STEWARD_ADMIN_PASSWORD")
        .unwrap_or_else(|_| crate::demo::DEMO_PASSWORD.into());
    crate::demo::create_demo(db, &password)
        .await
        .map_err(|e| StartupError::Database(e.detail()))?;
    tracing::warn!(
        tenant = crate::demo::DEMO_TENANT,
        email = crate::demo::DEMO_USERS[0].email,
        "empty database: created the demo tenant; sign in with this e-mail and the demo password (see README)"
    );
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: draining in-flight requests");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg(mode: Mode, secret: Option<&str>, dir: &std::path::Path) -> Config {
        Config {
            mode,
            jwt_secret: secret.map(Secret::new),
            data_dir: dir.to_path_buf(),
            ..Config::default()
        }
    }

    #[test]
    fn production_refuses_a_missing_or_short_jwt_secret() {
        let dir = std::env::temp_dir().join(format!("steward-test-{}", uuid::Uuid::now_v7()));
        assert!(resolve_jwt_secret(&cfg(Mode::Production, None, &dir)).is_err());
        assert!(resolve_jwt_secret(&cfg(Mode::Production, Some("short"), &dir)).is_err());
        let long = "x".repeat(MIN_JWT_SECRET_LEN);
        assert_eq!(
            resolve_jwt_secret(&cfg(Mode::Production, Some(&long), &dir))
                .unwrap()
                .expose(),
            long
        );
        assert!(!dir.exists(), "production writes nothing");
    }

    #[test]
    fn development_generates_a_secret_once_and_keeps_it() {
        let dir = std::env::temp_dir().join(format!("steward-test-{}", uuid::Uuid::now_v7()));
        let a = resolve_jwt_secret(&cfg(Mode::Development, None, &dir)).unwrap();
        let b = resolve_jwt_secret(&cfg(Mode::Development, None, &dir)).unwrap();
        assert_eq!(a, b);
        assert!(a.expose().len() >= MIN_JWT_SECRET_LEN);
        assert!(!format!("{a:?}").contains(a.expose()), "never printed");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
