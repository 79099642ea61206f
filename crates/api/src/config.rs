//! Configuration: defaults in code, overridden by flags and `STEWARD_*`
//! environment variables. Secrets are wrapped so that they never print.

use clap::{Args, ValueEnum};
use std::fmt;
use std::net::SocketAddr;
use std::path::PathBuf;

/// A secret value: `Debug` and `Display` print `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Self(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::str::FromStr for Secret {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Self(s.to_owned()))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Mode {
    /// Local use: generates a JWT secret if none is given; introspection on.
    #[default]
    Development,
    /// Refuses to start without a strong JWT secret; introspection and field
    /// suggestions off unless enabled.
    Production,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Shortest JWT secret accepted in production (256 bits of hex or text).
pub const MIN_JWT_SECRET_LEN: usize = 32;

/// Every setting; each has a flag and a `STEWARD_*` variable.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// development or production.
    #[arg(long = "env", env = "STEWARD_ENV", value_enum, default_value_t = Mode::Development, global = true)]
    pub mode: Mode,
    /// Address to listen on.
    #[arg(
        long,
        env = "STEWARD_LISTEN",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub listen: SocketAddr,
    /// Directory for the embedded database and the development JWT secret.
    #[arg(
        long,
        env = "STEWARD_DATA_DIR",
        default_value = ".steward",
        global = true
    )]
    pub data_dir: PathBuf,
    /// Database URL: `sqlite://path/file.db` or `postgres://...`. Default: SQLite file `steward.db` in the data directory.
    #[arg(
        long,
        env = "STEWARD_DATABASE_URL",
        global = true,
        hide_env_values = true
    )]
    pub database_url: Option<Secret>,
    /// Database pool size.
    #[arg(
        long,
        env = "STEWARD_DB_MAX_CONNECTIONS",
        default_value_t = 16,
        global = true
    )]
    pub db_max_connections: u32,
    /// How long a request waits for a database connection (a free one from
    /// the pool, or a new one while the database is unreachable) before it
    /// fails with `UNAVAILABLE`, in seconds.
    #[arg(
        long,
        env = "STEWARD_DB_ACQUIRE_TIMEOUT_SECS",
        default_value_t = 5,
        value_parser = clap::value_parser!(u64).range(1..),
        global = true
    )]
    pub db_acquire_timeout_secs: u64,
    /// PostgreSQL only: defence in depth under the tenant filter. Requests
    /// run as the non-owner role `--db-app-role` under row-level-security
    /// policies that admit only the caller's tenant (set on the connection
    /// from the verified token); sign-in, migrations and seeding keep the
    /// connecting (owner) role. Costs one round trip per connection checkout.
    #[arg(
        long,
        env = "STEWARD_DB_ROW_LEVEL_SECURITY",
        default_value_t = false,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub db_row_level_security: bool,
    /// PostgreSQL only: the hot statements (an account with its contacts,
    /// logging an activity) of concurrent requests of one tenant run
    /// together: at most this many such statements at once per tenant and
    /// shape, each serving every request that arrived while the previous one
    /// ran (up to 64). No timer: a request alone runs at once. 0 runs each
    /// request's statement on its own.
    #[arg(
        long,
        env = "STEWARD_DB_COALESCE_IN_FLIGHT",
        default_value_t = 1,
        global = true
    )]
    pub db_coalesce_in_flight: u32,
    /// The role requests assume with row-level security; created (NOLOGIN)
    /// and granted table access on start if missing.
    #[arg(
        long,
        env = "STEWARD_DB_APP_ROLE",
        default_value = "steward_app",
        global = true
    )]
    pub db_app_role: String,
    /// HMAC secret for access tokens (at least 32 characters in production).
    #[arg(
        long,
        env = "STEWARD_JWT_SECRET",
        global = true,
        hide_env_values = true
    )]
    pub jwt_secret: Option<Secret>,
    /// `iss` of issued tokens, checked on every request.
    #[arg(
        long,
        env = "STEWARD_JWT_ISSUER",
        default_value = "steward",
        global = true
    )]
    pub jwt_issuer: String,
    /// `aud` of issued tokens, checked on every request.
    #[arg(
        long,
        env = "STEWARD_JWT_AUDIENCE",
        default_value = "steward-api",
        global = true
    )]
    pub jwt_audience: String,
    /// Clock skew tolerated when checking `exp`/`iat`, in seconds.
    #[arg(
        long,
        env = "STEWARD_JWT_LEEWAY_SECS",
        default_value_t = 30,
        global = true
    )]
    pub jwt_leeway_secs: u64,
    /// Lifetime of access tokens, in seconds.
    #[arg(
        long,
        env = "STEWARD_ACCESS_TOKEN_TTL_SECS",
        default_value_t = 900,
        global = true
    )]
    pub access_token_ttl_secs: i64,
    /// Lifetime of refresh tokens, in seconds.
    #[arg(long, env = "STEWARD_REFRESH_TOKEN_TTL_SECS", default_value_t = 30 * 24 * 3600, global = true)]
    pub refresh_token_ttl_secs: i64,
    /// Allow introspection (default: on in development, off in production).
    #[arg(long, env = "STEWARD_INTROSPECTION", global = true)]
    pub introspection: Option<bool>,
    /// Maximum query depth.
    #[arg(long, env = "STEWARD_MAX_DEPTH", default_value_t = 12, global = true)]
    pub max_depth: usize,
    /// Maximum query complexity (connections count `first` times their selection).
    #[arg(
        long,
        env = "STEWARD_MAX_COMPLEXITY",
        default_value_t = 200_000,
        global = true
    )]
    pub max_complexity: usize,
    /// Maximum number of aliases in a document.
    #[arg(long, env = "STEWARD_MAX_ALIASES", default_value_t = 30, global = true)]
    pub max_aliases: usize,
    /// Maximum number of root fields in an operation.
    #[arg(
        long,
        env = "STEWARD_MAX_ROOT_FIELDS",
        default_value_t = 20,
        global = true
    )]
    pub max_root_fields: usize,
    /// Maximum GraphQL tokens in a document (checked before parsing).
    #[arg(
        long,
        env = "STEWARD_MAX_TOKENS",
        default_value_t = 5_000,
        global = true
    )]
    pub max_tokens: usize,
    /// Maximum size of a GraphQL document, in bytes.
    #[arg(
        long,
        env = "STEWARD_MAX_QUERY_BYTES",
        default_value_t = 100_000,
        global = true
    )]
    pub max_query_bytes: usize,
    /// Largest response of one operation, in bytes of JSON, enforced while
    /// the response is built (`LIMIT_EXCEEDED` beyond it).
    #[arg(long, env = "STEWARD_MAX_RESPONSE_BYTES", default_value_t = 8 * 1024 * 1024, global = true)]
    pub max_response_bytes: usize,
    /// Bytes of all responses being built at once, in this process
    /// (`UNAVAILABLE` with `retryAfter` for the operation that would pass it).
    #[arg(long, env = "STEWARD_MAX_RESPONSE_BYTES_IN_FLIGHT", default_value_t = 32 * 1024 * 1024, global = true)]
    pub max_response_bytes_in_flight: usize,
    /// Maximum request body size, in bytes.
    #[arg(long, env = "STEWARD_MAX_BODY_BYTES", default_value_t = 1024 * 1024, global = true)]
    pub max_body_bytes: usize,
    /// Maximum operations in a batched request; 0 refuses batches.
    #[arg(long, env = "STEWARD_MAX_BATCH", default_value_t = 0, global = true)]
    pub max_batch: usize,
    /// Parsed documents kept (LRU) so that repeated queries skip parsing and
    /// full validation.
    #[arg(
        long,
        env = "STEWARD_DOCUMENT_CACHE_SIZE",
        default_value_t = 512,
        global = true
    )]
    pub document_cache_size: usize,
    /// Requests per minute per signed-in user (0: no limit).
    #[arg(
        long,
        env = "STEWARD_RATE_LIMIT_PER_MINUTE",
        default_value_t = 6_000,
        global = true
    )]
    pub rate_limit_per_minute: u32,
    /// Login attempts per minute per client IP address (0: no limit).
    #[arg(
        long,
        env = "STEWARD_LOGIN_RATE_LIMIT_PER_MINUTE",
        default_value_t = 20,
        global = true
    )]
    pub login_rate_limit_per_minute: u32,
    /// Reverse proxies whose forwarding headers are believed: comma-separated
    /// IP addresses or CIDR networks. When the TCP peer is one of them, the
    /// client address (for the login rate limit) is the first address of
    /// `X-Forwarded-For` (else `Forwarded: for=`), from the right, that is
    /// not a trusted proxy. Empty (the default): the client is the TCP peer
    /// and forwarding headers are ignored.
    #[arg(
        long,
        env = "STEWARD_TRUSTED_PROXIES",
        value_delimiter = ',',
        value_parser = crate::client_ip::parse_trusted_proxy,
        global = true
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Per-request timeout, in seconds.
    #[arg(
        long,
        env = "STEWARD_REQUEST_TIMEOUT_SECS",
        default_value_t = 30,
        global = true
    )]
    pub request_timeout_secs: u64,
    /// Seconds between two evaluations of the jeopardy rules for every
    /// account (0: off; the rules still run when evidence changes).
    #[arg(
        long,
        env = "STEWARD_ALERT_INTERVAL_SECS",
        default_value_t = 3600,
        global = true
    )]
    pub alert_interval_secs: u64,
    /// On start, create the `demo` tenant when the database has no tenant
    /// (default: on in development, off in production).
    #[arg(long, env = "STEWARD_SEED_DEMO", global = true)]
    pub seed_demo: Option<bool>,
    /// Log format.
    #[arg(long, env = "STEWARD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text, global = true)]
    pub log_format: LogFormat,
    /// Add an `x-steward-sql-statements` response header with the number of
    /// SQL statements the request ran (for tests and benchmarks).
    #[arg(
        long,
        env = "STEWARD_STATEMENT_COUNT_HEADER",
        default_value_t = false,
        global = true
    )]
    pub statement_count_header: bool,
    /// Serve the hot read shapes (accounts with owners, contacts, plans and
    /// objectives) through the compiled read path instead of field-by-field
    /// execution; the output is the same (see `crates/api/src/fast`).
    #[arg(
        long,
        env = "STEWARD_COMPILED_READS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub compiled_reads: bool,
    /// Serve Prometheus metrics at `GET /metrics` (behind
    /// `--metrics-token`; no tenant or user data in them).
    #[arg(
        long,
        env = "STEWARD_METRICS",
        default_value_t = true,
        action = clap::ArgAction::Set,
        global = true
    )]
    pub metrics: bool,
    /// The bearer token a scraper must send to `GET /metrics`
    /// (`Authorization: Bearer <token>`). Unset: `/metrics` refuses every
    /// request (401), so monitoring data is never public.
    #[arg(
        long,
        env = "STEWARD_METRICS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub metrics_token: Option<Secret>,
}

impl Default for Config {
    fn default() -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Wrapper {
            #[command(flatten)]
            config: Config,
        }
        // Defaults only: no arguments, environment ignored by construction below.
        Wrapper::parse_from(["steward"]).config
    }
}

impl Config {
    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(u) => u.expose().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("steward.db").display()
            ),
        }
    }

    pub fn seed_demo_enabled(&self) -> bool {
        self.seed_demo.unwrap_or(self.mode == Mode::Development)
    }

    pub fn introspection_enabled(&self) -> bool {
        self.introspection.unwrap_or(self.mode == Mode::Development)
    }
}
