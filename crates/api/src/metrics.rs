//! Prometheus metrics at `GET /metrics` (text exposition format 0.0.4), on
//! unless `STEWARD_METRICS=false`: HTTP requests per route template, GraphQL
//! operations by type, name and outcome with their duration and SQL
//! statements, the database pools, build and uptime.
//!
//! Each application has its own registry (tests run many in one process).
//! Labels carry no tenant, user or request data: routes are path templates,
//! operation names are bounded (at most [`MAX_OPERATION_NAMES`] distinct, then
//! `other`), outcomes are error codes.

use crate::config::Config;
use crate::graphql::AppState;
use async_graphql::ServerError;
use async_graphql::parser::types::{DocumentOperations, ExecutableDocument, OperationType};
use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use prometheus::{
    Gauge, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Distinct operation names kept as label values; later ones are `other`.
pub const MAX_OPERATION_NAMES: usize = 200;
/// Longer operation names are `other`.
const MAX_NAME_LEN: usize = 100;

const CONTENT_TYPE: &str = "text/plain; version=0.0.4; charset=utf-8";

/// Seconds; the request timeout defaults to 30 s.
const DURATION_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
const STATEMENT_BUCKETS: &[f64] = &[0.0, 1.0, 2.0, 3.0, 5.0, 8.0, 13.0, 21.0, 34.0, 55.0, 100.0];

/// The application's metrics.
pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    http_duration: HistogramVec,
    operations: IntCounterVec,
    operation_duration: HistogramVec,
    sql_statements: HistogramVec,
    /// Queries by the executor that answered: `compiled` or `resolvers`.
    read_paths: IntCounterVec,
    pool_connections: IntGaugeVec,
    pool_max: IntGauge,
    /// Mirrors of `Db::coalesce_stats`.
    coalesced: IntCounterVec,
    coalesce_waiting: IntGauge,
    /// Mirrors of `Db::write_counts`.
    writes: IntCounterVec,
    uptime: Gauge,
    started: Instant,
    /// Operation names seen so far, the label values allowed.
    names: Mutex<HashSet<String>>,
}

/// The metrics of this configuration: `None` when turned off (or, which the
/// unit tests rule out, when the registry refuses a definition).
pub fn from_config(cfg: &Config) -> Option<Arc<Metrics>> {
    if !cfg.metrics {
        return None;
    }
    match Metrics::new() {
        Ok(m) => Some(Arc::new(m)),
        Err(e) => {
            tracing::error!(error = %e, "metrics disabled: cannot define them");
            None
        }
    }
}

impl Metrics {
    pub fn new() -> prometheus::Result<Self> {
        let registry = Registry::new();
        let http_requests = IntCounterVec::new(
            Opts::new(
                "steward_http_requests_total",
                "HTTP requests by route template, method and status.",
            ),
            &["route", "method", "status"],
        )?;
        let http_duration = HistogramVec::new(
            HistogramOpts::new(
                "steward_http_request_duration_seconds",
                "Time to the response head, by route template.",
            )
            .buckets(DURATION_BUCKETS.to_vec()),
            &["route"],
        )?;
        let operations = IntCounterVec::new(
            Opts::new(
                "steward_graphql_operations_total",
                "GraphQL operations by type, name and outcome (`ok` or the first error's code).",
            ),
            &["operation_type", "operation_name", "outcome"],
        )?;
        let operation_duration = HistogramVec::new(
            HistogramOpts::new(
                "steward_graphql_operation_duration_seconds",
                "Duration of GraphQL operations (parse, validation, execution, serialisation).",
            )
            .buckets(DURATION_BUCKETS.to_vec()),
            &["operation_type", "operation_name"],
        )?;
        let sql_statements = HistogramVec::new(
            HistogramOpts::new(
                "steward_graphql_sql_statements",
                "SQL statements run by one GraphQL operation.",
            )
            .buckets(STATEMENT_BUCKETS.to_vec()),
            &["operation_type", "operation_name"],
        )?;
        let read_paths = IntCounterVec::new(
            Opts::new(
                "steward_graphql_read_path_total",
                "Executed queries by read path: `compiled` (the fast path) or `resolvers` (async-graphql's field-by-field execution, the fallback).",
            ),
            &["path"],
        )?;
        let pool_connections = IntGaugeVec::new(
            Opts::new(
                "steward_db_pool_connections",
                "Open database connections by state.",
            ),
            &["state"],
        )?;
        let pool_max = IntGauge::new("steward_db_pool_max", "Maximum database connections.")?;
        let coalesced = IntCounterVec::new(
            Opts::new(
                "steward_db_coalesced_total",
                "Coalesced statements run (`statements`) and the calls they served (`calls`).",
            ),
            &["what"],
        )?;
        let coalesce_waiting = IntGauge::new(
            "steward_db_coalesce_waiting",
            "Calls waiting for a coalesced statement now.",
        )?;
        let writes = IntCounterVec::new(
            Opts::new(
                "steward_writes_total",
                "Records written and committed, by record type and operation.",
            ),
            &["record", "op"],
        )?;
        let build_info = IntGaugeVec::new(
            Opts::new("steward_build_info", "The running version; always 1."),
            &["version"],
        )?;
        build_info
            .with_label_values(&[env!("CARGO_PKG_VERSION")])
            .set(1);
        let uptime = Gauge::new(
            "steward_process_uptime_seconds",
            "Seconds since the application started.",
        )?;
        registry.register(Box::new(http_requests.clone()))?;
        registry.register(Box::new(http_duration.clone()))?;
        registry.register(Box::new(operations.clone()))?;
        registry.register(Box::new(operation_duration.clone()))?;
        registry.register(Box::new(sql_statements.clone()))?;
        registry.register(Box::new(read_paths.clone()))?;
        registry.register(Box::new(pool_connections.clone()))?;
        registry.register(Box::new(pool_max.clone()))?;
        registry.register(Box::new(coalesced.clone()))?;
        registry.register(Box::new(coalesce_waiting.clone()))?;
        registry.register(Box::new(writes.clone()))?;
        registry.register(Box::new(build_info))?;
        registry.register(Box::new(uptime.clone()))?;
        Ok(Self {
            registry,
            http_requests,
            http_duration,
            operations,
            operation_duration,
            sql_statements,
            read_paths,
            pool_connections,
            pool_max,
            coalesced,
            coalesce_waiting,
            writes,
            uptime,
            started: Instant::now(),
            names: Mutex::new(HashSet::new()),
        })
    }

    fn record_http(&self, route: &str, method: &str, status: StatusCode, elapsed: Duration) {
        self.http_requests
            .with_label_values(&[route, method, status.as_str()])
            .inc();
        self.http_duration
            .with_label_values(&[route])
            .observe(elapsed.as_secs_f64());
    }

    /// Records one GraphQL operation. `body` is its response, read for the
    /// outcome only when the operation ended before execution.
    pub fn record_operation(&self, op: Operation, body: &[u8], elapsed: Duration, statements: u64) {
        let name = match op.name {
            OperationName::Unknown => "unknown".to_owned(),
            OperationName::SignedOut => "signed_out".to_owned(),
            OperationName::Anonymous => "anonymous".to_owned(),
            OperationName::Named(n) => self.name_label(n),
        };
        let outcome = op
            .outcome
            .or_else(|| first_error_code(body))
            .unwrap_or_else(|| "unknown".to_owned());
        self.operations
            .with_label_values(&[op.kind, &name, &outcome])
            .inc();
        self.operation_duration
            .with_label_values(&[op.kind, &name])
            .observe(elapsed.as_secs_f64());
        #[allow(clippy::cast_precision_loss)] // counts far below 2^52
        self.sql_statements
            .with_label_values(&[op.kind, &name])
            .observe(statements as f64);
        if let Some(path) = op.read_path {
            self.read_paths.with_label_values(&[path]).inc();
        }
    }

    /// `name` if it is among the first [`MAX_OPERATION_NAMES`] seen, else `other`.
    fn name_label(&self, name: String) -> String {
        if name.len() > MAX_NAME_LEN {
            return "other".to_owned();
        }
        let Ok(mut names) = self.names.lock() else {
            return "other".to_owned();
        };
        if names.contains(&name) {
            return name;
        }
        if names.len() >= MAX_OPERATION_NAMES {
            return "other".to_owned();
        }
        names.insert(name.clone());
        name
    }

    /// The exposition, with the gauges read now.
    fn render(
        &self,
        pool: (u32, u32, u32),
        coalesced: persistence::coalesce::CoalesceStats,
        writes: &[(&'static str, persistence::write::Op, u64)],
    ) -> Result<String, prometheus::Error> {
        for (record, op, now) in writes {
            let c = self.writes.with_label_values(&[*record, op.as_str()]);
            c.inc_by(now.saturating_sub(c.get()));
        }
        let (size, idle, max) = pool;
        for (what, now) in [
            ("statements", coalesced.statements),
            ("calls", coalesced.items),
        ] {
            let c = self.coalesced.with_label_values(&[what]);
            c.inc_by(now.saturating_sub(c.get()));
        }
        self.coalesce_waiting
            .set(i64::try_from(coalesced.waiting).unwrap_or(i64::MAX));
        self.pool_connections
            .with_label_values(&["idle"])
            .set(idle.into());
        self.pool_connections
            .with_label_values(&["in_use"])
            .set(size.saturating_sub(idle).into());
        self.pool_max.set(max.into());
        self.uptime.set(self.started.elapsed().as_secs_f64());
        let mut out = String::new();
        TextEncoder::new().encode_utf8(&self.registry.gather(), &mut out)?;
        Ok(out)
    }
}

/// What the GraphQL handler learns about one operation as it goes.
#[derive(Debug)]
pub struct Operation {
    /// `query`, `mutation`, `subscription`, or `unknown` when the document
    /// did not parse or names no such operation.
    kind: &'static str,
    name: OperationName,
    /// `ok` or the first error's code; `None` until the operation executed.
    outcome: Option<String>,
    /// For an executed query: `compiled` or `resolvers`.
    read_path: Option<&'static str>,
}

impl Default for Operation {
    fn default() -> Self {
        Self {
            kind: "unknown",
            name: OperationName::Unknown,
            outcome: None,
            read_path: None,
        }
    }
}

#[derive(Debug, Default)]
enum OperationName {
    /// No document, or the requested operation is not in it.
    #[default]
    Unknown,
    Anonymous,
    Named(String),
    /// Any operation of a caller who is not signed in: their names never
    /// become labels (an outsider could use up the label budget).
    SignedOut,
}

impl Operation {
    /// The caller is not signed in: the operation's name is not a label.
    pub fn signed_out(&mut self) {
        self.name = OperationName::SignedOut;
    }

    /// Notes the operation that `doc` runs (chosen as [`crate::limits::check`] does).
    pub fn describe(&mut self, doc: &ExecutableDocument, operation_name: Option<&str>) {
        let (kind, name) = match (&doc.operations, operation_name) {
            (DocumentOperations::Single(op), _) => (Some(op.node.ty), OperationName::Anonymous),
            (DocumentOperations::Multiple(ops), Some(wanted)) => ops
                .iter()
                .find(|(n, _)| n.as_str() == wanted)
                .map_or((None, OperationName::Unknown), |(n, o)| {
                    (Some(o.node.ty), OperationName::Named(n.to_string()))
                }),
            (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops
                .iter()
                .next()
                .map_or((None, OperationName::Unknown), |(n, o)| {
                    (Some(o.node.ty), OperationName::Named(n.to_string()))
                }),
            (DocumentOperations::Multiple(_), None) => (None, OperationName::Unknown),
        };
        self.kind = match kind {
            Some(OperationType::Query) => "query",
            Some(OperationType::Mutation) => "mutation",
            Some(OperationType::Subscription) => "subscription",
            None => "unknown",
        };
        self.name = name;
    }

    /// The query ran on the compiled read path (before [`Self::executed`]).
    pub fn compiled(&mut self) {
        self.read_path = Some("compiled");
    }

    /// Notes the outcome of an execution: `ok`, or the first error's code.
    pub fn executed(&mut self, errors: &[ServerError]) {
        // Request errors (no path): nothing was executed.
        if self.kind == "query"
            && self.read_path.is_none()
            && errors.iter().all(|e| !e.path.is_empty())
        {
            self.read_path = Some("resolvers");
        }
        self.outcome = Some(match errors.first() {
            None => "ok".to_owned(),
            Some(e) => e
                .extensions
                .as_ref()
                .and_then(|x| x.get("code"))
                .and_then(|v| match v {
                    async_graphql::Value::String(s) => Some(code_label(s)),
                    _ => None,
                })
                .unwrap_or_else(|| "unknown".to_owned()),
        });
    }
}

/// Error codes are ours (`VALIDATION`, `FORBIDDEN`, ...); anything else is `other`.
fn code_label(code: &str) -> String {
    if !code.is_empty()
        && code.len() <= 32
        && code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_')
    {
        code.to_owned()
    } else {
        "other".to_owned()
    }
}

/// The code of the first error of a small error response (an operation that
/// ended before execution).
fn first_error_code(body: &[u8]) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Body {
        errors: Vec<Error>,
    }
    #[derive(serde::Deserialize)]
    struct Error {
        extensions: Option<Extensions>,
    }
    #[derive(serde::Deserialize)]
    struct Extensions {
        code: Option<String>,
    }
    let b: Body = serde_json::from_slice(body).ok()?;
    let code = b.errors.into_iter().next()?.extensions?.code?;
    Some(code_label(&code))
}

/// Counts and times every request by its route template; requests that match
/// no route are `unmatched`.
pub async fn track(State(m): State<Option<Arc<Metrics>>>, req: Request, next: Next) -> Response {
    let Some(m) = m else {
        return next.run(req).await;
    };
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = method_label(req.method());
    let started = Instant::now();
    let resp = next.run(req).await;
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    m.record_http(route, method, resp.status(), started.elapsed());
    resp
}

fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        _ => "other",
    }
}

/// What the scrape handler reads: the metrics and the database's counters.
#[derive(Clone)]
struct Scrape {
    metrics: Arc<Metrics>,
    state: Arc<AppState>,
}

/// `GET /metrics` when metrics are on; nothing otherwise. Its own state:
/// the GraphQL handler and this route do not know each other.
pub fn routes(metrics: Option<Arc<Metrics>>, state: Arc<AppState>) -> Router {
    match metrics {
        Some(metrics) => Router::new()
            .route("/metrics", get(scrape))
            .with_state(Scrape { metrics, state }),
        None => Router::new(),
    }
}

/// Whether the request carries the configured metrics token. Compared as
/// SHA-256 digests, so the time taken says nothing about the token.
fn scraper_allowed(state: &AppState, headers: &axum::http::HeaderMap) -> bool {
    use sha2::{Digest, Sha256};
    let Some(want) = &state.config.metrics_token else {
        return false;
    };
    let Some(given) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim())
    else {
        return false;
    };
    !want.expose().is_empty()
        && Sha256::digest(given.as_bytes()) == Sha256::digest(want.expose().as_bytes())
}

async fn scrape(State(s): State<Scrape>, headers: axum::http::HeaderMap) -> Response {
    let (m, db) = (&s.metrics, &s.state.db);
    if !scraper_allowed(&s.state, &headers) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "metrics need `Authorization: Bearer <STEWARD_METRICS_TOKEN>`",
        )
            .into_response();
    }
    match m.render(
        db.pool_stats(),
        db.coalesce_stats(),
        &db.write_counts().snapshot(),
    ) {
        Ok(text) => {
            let mut r = text.into_response();
            let headers = r.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(CONTENT_TYPE));
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
            r
        }
        Err(e) => {
            tracing::error!(error = %e, "metrics: encoding failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(q: &str) -> ExecutableDocument {
        async_graphql::parser::parse_query(q).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn the_definitions_are_accepted_and_render() {
        let m = Metrics::new().unwrap_or_else(|e| panic!("{e}"));
        let coalesced = persistence::coalesce::CoalesceStats {
            statements: 2,
            items: 9,
            waiting: 1,
        };
        use persistence::write::Op;
        let text = m
            .render((3, 1, 16), coalesced, &[("account", Op::Created, 2)])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("steward_writes_total{op=\"created\",record=\"account\"} 2"));
        assert!(text.contains("steward_db_pool_connections{state=\"in_use\"} 2"));
        assert!(text.contains("steward_db_pool_max 16"));
        assert!(text.contains("steward_db_coalesced_total{what=\"statements\"} 2"));
        assert!(text.contains("steward_db_coalesced_total{what=\"calls\"} 9"));
        assert!(text.contains("steward_db_coalesce_waiting 1"));
        // Mirrors: a later scrape shows the new totals, not a sum.
        let later = persistence::coalesce::CoalesceStats {
            statements: 5,
            items: 20,
            waiting: 0,
        };
        let text = m
            .render((3, 1, 16), later, &[("account", Op::Created, 3)])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(text.contains("steward_writes_total{op=\"created\",record=\"account\"} 3"));
        assert!(text.contains("steward_db_coalesced_total{what=\"statements\"} 5"));
        assert!(text.contains("steward_db_coalesced_total{what=\"calls\"} 20"));
        assert!(text.contains(&format!(
            "steward_build_info{{version=\"{}\"}} 1",
            env!("CARGO_PKG_VERSION")
        )));
    }

    #[test]
    fn operations_are_named_from_the_document() {
        let mut op = Operation::default();
        op.describe(&doc("query Viewer { viewer { user { id } } }"), None);
        assert_eq!(op.kind, "query");
        assert!(matches!(&op.name, OperationName::Named(n) if n == "Viewer"));
        op.describe(&doc("mutation { logout }"), None);
        assert_eq!(op.kind, "mutation");
        assert!(matches!(op.name, OperationName::Anonymous));
        let two = doc("query A { a } mutation B { b }");
        op.describe(&two, Some("B"));
        assert_eq!(op.kind, "mutation");
        op.describe(&two, None);
        assert_eq!(op.kind, "unknown");
        op.describe(&two, Some("C"));
        assert!(matches!(op.name, OperationName::Unknown));
    }

    #[test]
    fn operation_names_are_bounded() {
        let m = Metrics::new().unwrap_or_else(|e| panic!("{e}"));
        for i in 0..MAX_OPERATION_NAMES {
            assert_eq!(m.name_label(format!("Op{i}")), format!("Op{i}"));
        }
        assert_eq!(m.name_label("OneTooMany".into()), "other");
        assert_eq!(m.name_label("Op7".into()), "Op7", "known names stay");
        assert_eq!(m.name_label("x".repeat(MAX_NAME_LEN + 1)), "other");
    }

    #[test]
    fn outcomes_are_error_codes() {
        assert_eq!(
            first_error_code(br#"{"errors":[{"message":"m","extensions":{"code":"VALIDATION"}}]}"#)
                .as_deref(),
            Some("VALIDATION")
        );
        assert_eq!(first_error_code(b"{\"data\":{}}"), None);
        assert_eq!(code_label("tenant 42"), "other");
    }
}
