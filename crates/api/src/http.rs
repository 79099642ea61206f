//! The HTTP surface. Steward has its own GraphQL handler rather than
//! async-graphql-axum's extractor, which would run mutations sent by GET,
//! parse `text/plain`, form and missing content types as JSON (CSRF), accept
//! multipart and bypass the body limit. Here: negotiate, parse, authenticate,
//! check the operation and the limits, then execute.

use crate::error::ApiError;
use crate::graphql::{AppSchema, AppState, RequestData};
use crate::limits;
use crate::loaders::Loaders;
use async_graphql::parser::types::OperationType;
use async_graphql::{ServerError, Variables};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

tokio::task_local! {
    /// The longest `retryAfter` among the errors of this request (for the
    /// `Retry-After` header), set by the execution of each operation.
    static RETRY_AFTER: std::cell::Cell<Option<u64>>;
    /// Whether an operation of this request ran on the compiled read path
    /// (reported with the statement-count header, for tests and benchmarks).
    static COMPILED: std::cell::Cell<bool>;
}

/// What the handlers share.
#[derive(Clone)]
pub struct Http {
    pub state: Arc<AppState>,
    /// Full validation, for documents seen for the first time.
    pub schema: AppSchema,
    /// Request-dependent checks only, for documents that passed full validation.
    pub prevalidated: AppSchema,
    /// For operations that only introspect the schema: a deeper depth limit
    /// (the standard introspection query nests about 13 levels).
    pub introspection: AppSchema,
    pub documents: Arc<DocumentCache>,
    /// The schema's field types, to complete responses with field errors.
    pub field_types: Arc<crate::field_errors::FieldTypes>,
    /// `None` when metrics are off.
    pub metrics: Option<Arc<crate::metrics::Metrics>>,
}

/// A parsed document and what is known about it.
#[derive(Clone)]
struct CachedDocument {
    doc: Arc<async_graphql::parser::types::ExecutableDocument>,
    op_type: Option<OperationType>,
    /// Only `__schema` / `__type` / `__typename` at the root.
    introspection: bool,
    /// Passed full validation once (validation does not depend on variables
    /// beyond what the fast checks and execution still verify).
    validated: bool,
    /// The compiled read path for this document, once validated.
    compiled: Compiled,
}

/// Whether and how a document runs on the compiled read path.
#[derive(Clone)]
enum Compiled {
    /// Not (yet) validated, or it selects what the compiled path does not read.
    No,
    Plan(Arc<crate::fast::Plan>),
    /// Its `@include`/`@skip` conditions are variables: compiled per request.
    PerRequest,
}

/// A bounded (LRU) cache of parsed documents keyed by query text and
/// operation name: repeated queries skip parsing and full validation.
pub struct DocumentCache {
    /// `None` when the cache is configured off (size 0).
    entries: Option<std::sync::Mutex<DocumentLru>>,
}

/// Documents by (query text, operation name).
type DocumentLru = lru::LruCache<(String, Option<String>), CachedDocument>;

impl DocumentCache {
    pub fn new(size: usize) -> Self {
        Self {
            entries: std::num::NonZeroUsize::new(size)
                .map(|n| std::sync::Mutex::new(lru::LruCache::new(n))),
        }
    }

    fn get(&self, query: &str, op: Option<&str>) -> Option<CachedDocument> {
        let mut m = self.entries.as_ref()?.lock().ok()?;
        // Borrowed lookup would need a custom key type; the clone is small next to a parse.
        m.get(&(query.to_owned(), op.map(str::to_owned))).cloned()
    }

    fn put(&self, query: String, op: Option<String>, entry: CachedDocument) {
        if let Some(Ok(mut m)) = self.entries.as_ref().map(|e| e.lock()) {
            m.put((query, op), entry);
        }
    }

    fn mark_validated(&self, query: &str, op: Option<&str>) {
        if let Some(Ok(mut m)) = self.entries.as_ref().map(|e| e.lock())
            && let Some(e) = m.get_mut(&(query.to_owned(), op.map(str::to_owned)))
        {
            e.validated = true;
            e.compiled = match crate::fast::compile(&e.doc, op, None) {
                Ok(plan) => Compiled::Plan(Arc::new(plan)),
                Err(crate::fast::NotCompiled::PerRequest) => Compiled::PerRequest,
                Err(crate::fast::NotCompiled::Unsupported) => Compiled::No,
            };
        }
    }
}

/// Gives each variable the request left out its declared default, as the
/// spec's CoerceVariableValues does. async-graphql applies defaults where a
/// resolver reads a variable, but evaluates `@include`/`@skip` on the
/// variables as sent (an omitted `$x: Boolean = true` counted as false);
/// with the defaults filled in, both paths see what the spec says.
fn fill_variable_defaults(
    doc: &async_graphql::parser::types::ExecutableDocument,
    op_name: Option<&str>,
    variables: &mut Variables,
) {
    use async_graphql::parser::types::DocumentOperations;
    let op = match (&doc.operations, op_name) {
        (DocumentOperations::Single(op), _) => Some(op),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.values().next(),
        _ => None,
    };
    for v in op.into_iter().flat_map(|op| &op.node.variable_definitions) {
        if let Some(default) = &v.node.default_value
            && !variables.contains_key(&v.node.name.node)
        {
            variables.insert(v.node.name.node.clone(), default.node.clone());
        }
    }
}

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The router. A plain function so tests can drive it without a socket.
pub fn router(
    state: Arc<AppState>,
    schema: AppSchema,
    prevalidated: AppSchema,
    introspection: AppSchema,
) -> Router {
    let cfg = &state.config;
    let body_limit = cfg.max_body_bytes;
    let timeout = Duration::from_secs(cfg.request_timeout_secs);
    let documents = Arc::new(DocumentCache::new(cfg.document_cache_size));
    let metrics = crate::metrics::from_config(cfg);
    let field_types = Arc::new(crate::field_errors::FieldTypes::from_sdl(&schema.sdl()));
    let http = Http {
        state,
        schema,
        prevalidated,
        introspection,
        documents,
        field_types,
        metrics: metrics.clone(),
    };
    let x_request_id = header::HeaderName::from_static("x-request-id");
    Router::new()
        .route("/graphql", get(graphql).post(graphql))
        .route("/graphql/assets/{file}", get(graphiql_asset))
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .merge(crate::metrics::routes(metrics.is_some()))
        .with_state(http)
        .layer(DefaultBodyLimit::max(body_limit))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            timeout,
        ))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<Body>| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
            }),
        )
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
        // Before an id is set: a client's id that is not a short token of
        // safe characters is dropped, so a new one is made.
        .layer(axum::middleware::map_request(drop_unsafe_request_id))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            crate::metrics::track,
        ))
}

/// Longest `X-Request-Id` a client may give.
const MAX_REQUEST_ID_LEN: usize = 64;

/// Whether a client's `X-Request-Id` may be echoed and logged: 1 to 64
/// ASCII letters, digits, `-`, `_`, `.` or `:`.
fn is_safe_request_id(v: &[u8]) -> bool {
    (1..=MAX_REQUEST_ID_LEN).contains(&v.len())
        && v.iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

async fn drop_unsafe_request_id(mut req: axum::extract::Request) -> axum::extract::Request {
    let headers = req.headers_mut();
    let ids = headers.get_all("x-request-id").iter().count();
    if ids > 1
        || headers
            .get("x-request-id")
            .is_some_and(|v| !is_safe_request_id(v.as_bytes()))
    {
        headers.remove("x-request-id");
    }
    req
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(h): State<Http>) -> Response {
    if h.state.db.ping().await {
        (StatusCode::OK, "ready").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

// GraphiQL, vendored from the npm `graphiql` package (see scripts/vendor-graphiql.sh).
const GRAPHIQL_HTML: &str = include_str!("../assets/graphiql/index.html");

fn asset(name: &str) -> Option<(&'static [u8], &'static str)> {
    Some(match name {
        "graphiql.min.js" => (
            include_bytes!("../assets/graphiql/graphiql.min.js"),
            "text/javascript",
        ),
        "graphiql.min.css" => (
            include_bytes!("../assets/graphiql/graphiql.min.css"),
            "text/css",
        ),
        "react.production.min.js" => (
            include_bytes!("../assets/graphiql/react.production.min.js"),
            "text/javascript",
        ),
        "react-dom.production.min.js" => (
            include_bytes!("../assets/graphiql/react-dom.production.min.js"),
            "text/javascript",
        ),
        "steward-graphiql.js" => (
            include_bytes!("../assets/graphiql/steward-graphiql.js"),
            "text/javascript",
        ),
        _ => return None,
    })
}

async fn graphiql_asset(Path(file): Path<String>) -> Response {
    match asset(&file) {
        Some((bytes, ct)) => (
            [
                (header::CONTENT_TYPE, ct),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            bytes,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn graphiql_page() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
            ),
            // For browsers that predate `frame-ancestors`.
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        GRAPHIQL_HTML,
    )
        .into_response()
}

/// The media type of the response, from `Accept` (GraphQL-over-HTTP §5.1).
fn negotiate(headers: &HeaderMap) -> Option<&'static str> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(JSON);
    };
    let mut best: Option<(&'static str, f32)> = None;
    for part in accept.split(',') {
        let mut bits = part.split(';');
        let media = bits.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = bits
            .filter_map(|b| {
                b.trim()
                    .strip_prefix("q=")
                    .and_then(|v| v.parse::<f32>().ok())
            })
            .next()
            .unwrap_or(1.0);
        let candidate = match media.as_str() {
            GRAPHQL_RESPONSE_JSON => GRAPHQL_RESPONSE_JSON,
            JSON | "application/*" | "*/*" => JSON,
            _ => continue,
        };
        if q <= 0.0 {
            continue;
        }
        let better = match best {
            None => true,
            Some((cur, bq)) => {
                q > bq || (q == bq && candidate == GRAPHQL_RESPONSE_JSON && cur != candidate)
            }
        };
        if better {
            best = Some((candidate, q));
        }
    }
    best.map(|(m, _)| m)
}

fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// One GraphQL request as sent over HTTP.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct WireRequest {
    query: Option<String>,
    operation_name: Option<String>,
    #[serde(default)]
    variables: Option<serde_json::Value>,
    #[serde(default)]
    extensions: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GetParams {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
}

/// A response with GraphQL errors only (a request error).
fn request_error(status: StatusCode, media: &'static str, e: ApiError) -> Response {
    let err: async_graphql::Error = e.into();
    let server = err.into_server_error(async_graphql::Pos::default());
    let mut v = serde_json::json!({ "errors": [server] });
    strip_locations(&mut v);
    json_response(status, media, &v)
}

/// Errors not tied to a place in the document carry no `locations`.
fn strip_locations(v: &mut serde_json::Value) {
    if let Some(errors) = v.get_mut("errors").and_then(|e| e.as_array_mut()) {
        for e in errors {
            if let Some(o) = e.as_object_mut()
                && o.get("locations")
                    .and_then(|l| l.as_array())
                    .is_some_and(|l| {
                        l.iter()
                            .all(|p| p.get("line").and_then(serde_json::Value::as_u64) == Some(0))
                    })
            {
                o.remove("locations");
            }
        }
    }
}

fn bytes_response(status: StatusCode, media: &'static str, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    r
}

fn json_response(status: StatusCode, media: &'static str, v: &serde_json::Value) -> Response {
    bytes_response(status, media, to_bytes(v))
}

fn is_json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(JSON))
}

async fn graphql(
    State(h): State<Http>,
    connect: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Result<Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let client_ip = connect
        .map(|c| crate::client_ip::resolve(c.0.0.ip(), &headers, &h.state.config.trusted_proxies));
    let request_id = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let has_query_param = uri
        .query()
        .is_some_and(|q| q.split('&').any(|kv| kv.starts_with("query=")));
    // HEAD is GET without a body (RFC 9110 §9.3.2): it may run what GET may
    // run (queries from the query string) and never reads a request body.
    let is_get = method == Method::GET || method == Method::HEAD;
    if is_get && accepts_html(&headers) && !has_query_param {
        return graphiql_page();
    }
    let Some(media) = negotiate(&headers) else {
        return (
            StatusCode::NOT_ACCEPTABLE,
            format!("acceptable media types: {GRAPHQL_RESPONSE_JSON}, {JSON}"),
        )
            .into_response();
    };
    let bad = |msg: &str| {
        request_error(
            StatusCode::BAD_REQUEST,
            media,
            ApiError::validation("request", msg),
        )
    };
    // Over the body limit: a GraphQL error like every other refusal, not
    // the framework's plain text.
    let body = match body {
        Ok(b) => b,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return request_error(
                StatusCode::PAYLOAD_TOO_LARGE,
                media,
                ApiError::LimitExceeded(format!(
                    "the body may hold at most {} bytes",
                    h.state.config.max_body_bytes
                )),
            );
        }
        Err(_) => return bad("the body could not be read"),
    };

    // 1. The HTTP request into one or more GraphQL requests.
    let (wires, batched) = if is_get {
        let params: GetParams = match serde_urlencoded::from_str(uri.query().unwrap_or("")) {
            Ok(p) => p,
            Err(_) => return bad("malformed query string"),
        };
        let parse_json = |s: Option<String>| -> Result<Option<serde_json::Value>, ()> {
            s.map(|s| serde_json::from_str(&s).map_err(|_| ()))
                .transpose()
        };
        let (Ok(variables), Ok(extensions)) =
            (parse_json(params.variables), parse_json(params.extensions))
        else {
            return bad("`variables` and `extensions` must be JSON");
        };
        (
            vec![WireRequest {
                query: params.query,
                operation_name: params.operation_name,
                variables,
                extensions,
            }],
            false,
        )
    } else {
        if !is_json_content_type(&headers) {
            return (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                [(header::ACCEPT, JSON)],
                "send GraphQL requests as application/json",
            )
                .into_response();
        }
        match serde_json::from_slice::<serde_json::Value>(&body) {
            Ok(serde_json::Value::Array(items)) => {
                let max = h.state.config.max_batch;
                if max == 0 {
                    return bad("batched requests are disabled");
                }
                if items.len() > max {
                    return request_error(
                        StatusCode::BAD_REQUEST,
                        media,
                        ApiError::LimitExceeded(format!(
                            "a batch may hold at most {max} operations"
                        )),
                    );
                }
                let mut v = Vec::with_capacity(items.len());
                for item in items {
                    match serde_json::from_value::<WireRequest>(item) {
                        Ok(w) => v.push(w),
                        Err(_) => return bad("each batch item must be a GraphQL request object"),
                    }
                }
                (v, true)
            }
            Ok(obj @ serde_json::Value::Object(_)) => {
                match serde_json::from_value::<WireRequest>(obj) {
                    Ok(w) => (vec![w], false),
                    Err(_) => return bad("the body must be a GraphQL request object"),
                }
            }
            Ok(_) => return bad("the body must be a GraphQL request object"),
            Err(_) => return bad("the body is not valid JSON"),
        }
    };

    // 2. The caller.
    // An empty credential (`Authorization: Bearer ` or an empty header, as
    // GraphiQL sends before sign-in) is no credential: the request is
    // anonymous and may only sign in or introspect.
    let authorization = headers.get(header::AUTHORIZATION).filter(|v| {
        let t = v.as_bytes().trim_ascii();
        !(t.is_empty() || t.eq_ignore_ascii_case(b"bearer"))
    });
    let principal = match authorization {
        None => None,
        Some(v) => {
            let token = v.to_str().ok().and_then(|s| {
                let (scheme, rest) = s.split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
            });
            let verified = match token {
                Some(t) if !t.is_empty() => match h.state.tokens.verify(t) {
                    // Boxed: the lookup's future (a query when the cache
                    // misses) would otherwise make this handler's future,
                    // copied whole on every request, that much larger.
                    Ok(claims) => {
                        Box::pin(h.state.user_status.principal(&h.state.db, &claims)).await
                    }
                    Err(e) => Err(e),
                },
                _ => Err(ApiError::Unauthenticated(
                    "use `Authorization: Bearer <accessToken>`".into(),
                )),
            };
            match verified {
                Ok(p) => Some(p),
                // A stale or foreign bearer token beside a sign-in or a
                // refresh (GraphiQL keeps its headers) is no reason to refuse
                // it: those operations do not use the caller.
                Err(ApiError::Unauthenticated(_))
                    if wires.iter().all(|w| {
                        w.query.as_deref().is_some_and(|q| {
                            limits::is_sign_in_only(
                                q,
                                w.operation_name.as_deref(),
                                &limits::Limits::from_config(&h.state.config),
                            )
                        })
                    }) =>
                {
                    None
                }
                Err(e) => {
                    let status = if matches!(e, ApiError::Unauthenticated(_)) {
                        StatusCode::UNAUTHORIZED
                    } else {
                        StatusCode::SERVICE_UNAVAILABLE
                    };
                    let mut r = request_error(status, media, e);
                    // A challenge only for a bad credential; a database
                    // outage while checking it is retryable, not a sign-in.
                    let (name, value) = if status == StatusCode::UNAUTHORIZED {
                        (header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"))
                    } else {
                        (header::RETRY_AFTER, HeaderValue::from_static("1"))
                    };
                    r.headers_mut().insert(name, value);
                    return r;
                }
            }
        }
    };

    // 3. The caller's request quota.
    if let Some(p) = principal
        && let Err(retry) = h.state.rate_limits.request(p.user_id.0)
    {
        let mut r = request_error(
            StatusCode::TOO_MANY_REQUESTS,
            media,
            ApiError::rate_limited("requests", retry),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry));
        return r;
    }

    // 4. Execute each operation. Boxed once here, so that the wrappers below
    // and the handler's own future move a pointer, not the execution state.
    let run = Box::pin(async {
        let mut out = Vec::with_capacity(wires.len());
        let mut statuses = Vec::with_capacity(wires.len());
        for w in wires {
            let (started, before) = (Instant::now(), persistence::stats::statements_so_far());
            let mut op = crate::metrics::Operation::default();
            let (status, value) = execute_one(
                &h,
                w,
                is_get,
                principal,
                client_ip,
                media,
                &request_id,
                &mut op,
            )
            .await;
            if principal.is_none() {
                op.signed_out();
            }
            if let Some(m) = &h.metrics {
                let statements = persistence::stats::statements_so_far().saturating_sub(before);
                m.record_operation(op, &value, started.elapsed(), statements);
            }
            statuses.push(status);
            out.push(value);
        }
        (out, statuses)
    });
    let ((((mut values, statuses), statements), retry_after), compiled) = COMPILED
        .scope(std::cell::Cell::new(false), async {
            let out = RETRY_AFTER
                .scope(std::cell::Cell::new(None), async {
                    // The caller's tenant for row-level security (when on):
                    // every connection this request takes gets it.
                    let tenant = principal.map(|p| p.tenant_id.0);
                    let run = persistence::rls::with_tenant(tenant, run);
                    let out = persistence::stats::count_statements(run).await;
                    (out, RETRY_AFTER.with(std::cell::Cell::get))
                })
                .await;
            (out, COMPILED.with(std::cell::Cell::get))
        })
        .await;
    let (status, body) = if batched {
        let mut out =
            Vec::with_capacity(values.iter().map(Vec::len).sum::<usize>() + values.len() + 1);
        out.push(b'[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            out.extend_from_slice(v);
        }
        out.push(b']');
        (StatusCode::OK, out)
    } else {
        (statuses[0], values.swap_remove(0))
    };
    let mut r = bytes_response(status, media, body);
    if let Some(retry) = retry_after {
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(retry));
    }
    if status == StatusCode::METHOD_NOT_ALLOWED {
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("POST"));
        return r;
    }
    if h.state.config.statement_count_header
        && let Ok(v) = HeaderValue::from_str(&statements.to_string())
    {
        r.headers_mut().insert("x-steward-sql-statements", v);
        r.headers_mut().insert(
            "x-steward-execution",
            HeaderValue::from_static(if compiled { "compiled" } else { "resolvers" }),
        );
    }
    r
}

fn error_value(e: ApiError) -> serde_json::Value {
    let err: async_graphql::Error = e.into();
    let mut v =
        serde_json::json!({ "errors": [err.into_server_error(async_graphql::Pos::default())] });
    strip_locations(&mut v);
    v
}

#[allow(clippy::too_many_arguments)]
async fn execute_one(
    h: &Http,
    w: WireRequest,
    is_get: bool,
    principal: Option<domain::Principal>,
    client_ip: Option<std::net::IpAddr>,
    media: &'static str,
    request_id: &str,
    op: &mut crate::metrics::Operation,
) -> (StatusCode, Vec<u8>) {
    let request_error_status = if media == GRAPHQL_RESPONSE_JSON {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    let Some(query) = w.query.filter(|q| !q.is_empty()) else {
        return (
            StatusCode::BAD_REQUEST,
            to_bytes(&error_value(ApiError::validation(
                "query",
                "a query is required",
            ))),
        );
    };
    if let Some(v) = &w.variables
        && let Err(e) = limits::check_variable_lists(v)
    {
        return (request_error_status, to_bytes(&error_value(e)));
    }
    let variables = match w.variables {
        None | Some(serde_json::Value::Null) => Variables::default(),
        Some(v @ serde_json::Value::Object(_)) => Variables::from_json(v),
        Some(_) => {
            return (
                StatusCode::BAD_REQUEST,
                to_bytes(&error_value(ApiError::validation(
                    "variables",
                    "must be an object",
                ))),
            );
        }
    };
    // Extensions are not used, but a malformed one is a malformed request.
    if !matches!(
        w.extensions,
        None | Some(serde_json::Value::Null) | Some(serde_json::Value::Object(_))
    ) {
        return (
            StatusCode::BAD_REQUEST,
            to_bytes(&error_value(ApiError::validation(
                "extensions",
                "must be an object",
            ))),
        );
    }
    let op_name = w.operation_name;
    let mut req = async_graphql::Request::new(query.clone()).variables(variables);
    if let Some(op) = &op_name {
        req = req.operation_name(op.clone());
    }
    let cached = h.documents.get(&query, op_name.as_deref());
    let (op_type, validated, introspection, doc) = match cached {
        Some(c) => {
            op.describe(&c.doc, op_name.as_deref());
            fill_variable_defaults(&c.doc, op_name.as_deref(), &mut req.variables);
            let for_request;
            let plan = match &c.compiled {
                Compiled::Plan(plan) => Some(plan.as_ref()),
                Compiled::PerRequest => {
                    for_request =
                        crate::fast::compile(&c.doc, op_name.as_deref(), Some(&req.variables)).ok();
                    for_request.as_ref()
                }
                Compiled::No => None,
            };
            if let (Some(plan), Some(p), true) = (plan, &principal, h.state.config.compiled_reads)
                && let Some(body) = crate::fast::execute(
                    plan,
                    &req.variables,
                    p,
                    &h.state.db,
                    h.state.config.max_complexity,
                )
                .await
            {
                let _ = COMPILED.try_with(|c| c.set(true));
                op.compiled();
                if body.len() > h.state.config.max_response_bytes {
                    let e = ApiError::LimitExceeded(format!(
                        "the response would exceed {} bytes; ask for fewer items or fewer fields",
                        h.state.config.max_response_bytes
                    ));
                    let err: async_graphql::Error = e.into();
                    let err = err.into_server_error(async_graphql::Pos::default());
                    op.executed(std::slice::from_ref(&err));
                    let mut v = serde_json::json!({ "errors": [err] });
                    strip_locations(&mut v);
                    return (StatusCode::OK, to_bytes(&v));
                }
                op.executed(&[]);
                return (StatusCode::OK, body);
            }
            req.set_parsed_query((*c.doc).clone());
            (c.op_type, c.validated, c.introspection, c.doc)
        }
        None => {
            let limits = limits::Limits::from_config(&h.state.config);
            if let Err(e) = limits::check_text(&query, &limits) {
                return (request_error_status, to_bytes(&error_value(e)));
            }
            let checked = match req.parsed_query() {
                Ok(doc) => {
                    op.describe(doc, op_name.as_deref());
                    let introspection = limits::is_introspection_only(doc, op_name.as_deref());
                    limits::check(doc, op_name.as_deref(), &limits)
                        .map(|t| (t, introspection, doc.clone()))
                }
                Err(e) => {
                    let e = without_json_position(e);
                    let mut v =
                        serde_json::json!({ "errors": [with_code(e, "GRAPHQL_PARSE_FAILED")] });
                    strip_locations(&mut v);
                    return (request_error_status, to_bytes(&v));
                }
            };
            match checked {
                Ok((t, introspection, doc)) => {
                    let doc = Arc::new(doc);
                    h.documents.put(
                        query.clone(),
                        op_name.clone(),
                        CachedDocument {
                            doc: doc.clone(),
                            op_type: t,
                            introspection,
                            validated: false,
                            compiled: Compiled::No,
                        },
                    );
                    fill_variable_defaults(&doc, op_name.as_deref(), &mut req.variables);
                    (t, false, introspection, doc)
                }
                Err(e) => return (request_error_status, to_bytes(&error_value(e))),
            }
        }
    };
    if is_get && op_type != Some(OperationType::Query) {
        return (
            StatusCode::METHOD_NOT_ALLOWED,
            to_bytes(&error_value(ApiError::validation(
                "query",
                "only queries may be sent with GET; use POST",
            ))),
        );
    }
    let loaders = principal.map(|p| Loaders::new(h.state.db.clone(), p.tenant_id));
    // Held until the body is serialised: the response's bytes count toward
    // the process's bound until then (`response_budget`).
    let reservation = crate::response_budget::Reservation::new(h.state.responses.clone());
    let req = req
        .data(RequestData {
            principal,
            loaders,
            client_ip,
        })
        .data(reservation.clone());
    let schema = if introspection {
        &h.introspection
    } else if validated {
        &h.prevalidated
    } else {
        &h.schema
    };
    // Boxed: async-graphql's execution future is large, and every future
    // that contains it (this function's, the request handler's) is copied
    // whole when it is created and moved; on the heap it costs one
    // allocation on this path instead of copies of its whole state on every
    // request, compiled ones included (callgrind: `memcpy` was a quarter of
    // a small read's instructions; bench/README.md).
    let mut resp = Box::pin(schema.execute(req)).await;
    if resp.errors.iter().any(|e| !e.path.is_empty()) {
        crate::field_errors::complete(
            &h.field_types,
            &doc,
            op_name.as_deref(),
            &mut resp.data,
            &resp.errors,
        );
    }
    crate::response_order::reorder(&doc, op_name.as_deref(), &mut resp.data);
    let request_failed = resp.data == async_graphql::Value::Null
        && !resp.errors.is_empty()
        && resp.errors.iter().all(|e| e.path.is_empty());
    if !validated && !resp.errors.iter().any(|e| e.path.is_empty()) {
        h.documents.mark_validated(&query, op_name.as_deref());
    }
    annotate_errors(&mut resp.errors, request_id);
    op.executed(&resp.errors);
    if let Some(retry) = resp.errors.iter().find_map(|e| {
        e.extensions
            .as_ref()
            .and_then(|x| x.get("retryAfter"))
            .and_then(|v| match v {
                async_graphql::Value::Number(n) => n.as_u64(),
                _ => None,
            })
    }) {
        let _ = RETRY_AFTER.try_with(|r| r.set(Some(r.get().map_or(retry, |x| x.max(retry)))));
    }
    // Serialised straight from async-graphql's value tree: no intermediate
    // JSON tree for large responses.
    let body = if request_failed {
        serde_json::to_vec(&serde_json::json!({ "errors": resp.errors }))
    } else {
        serde_json::to_vec(&resp)
    };
    drop(resp);
    drop(reservation);
    match body {
        Ok(b) if request_failed => (request_error_status, b),
        Ok(b) => (StatusCode::OK, b),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            to_bytes(&error_value(ApiError::Internal("serialise".into()))),
        ),
    }
}

fn to_bytes(v: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(v)
        .unwrap_or_else(|_| b"{\"errors\":[{\"message\":\"internal error\"}]}".to_vec())
}

/// The parser reads number literals with serde_json, whose messages end with
/// a position inside the literal (`invalid number: number out of range at
/// line 1 column 5`): implementation detail; `locations` says where it is.
fn without_json_position(mut e: ServerError) -> ServerError {
    if let Some(i) = e.message.rfind(" at line ")
        && let Some((line, column)) = e.message[i + " at line ".len()..].split_once(" column ")
        && !line.is_empty()
        && !column.is_empty()
        && line
            .bytes()
            .chain(column.bytes())
            .all(|b| b.is_ascii_digit())
    {
        e.message.truncate(i);
    }
    e
}

fn with_code(e: ServerError, code: &str) -> ServerError {
    let mut e = e;
    let ext = e.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
    e
}

/// Gives every error a code (errors from async-graphql itself have none) and
/// internal errors the request id, for support: async-graphql's limits are
/// `LIMIT_EXCEEDED`; a document or variables that fail validation (request
/// errors: no path) `GRAPHQL_VALIDATION_FAILED`, as Apollo names it; a value
/// refused while a field runs (a path) `VALIDATION`, like the domain's.
fn annotate_errors(errors: &mut [ServerError], request_id: &str) {
    for e in errors {
        let ext = e.extensions.get_or_insert_with(Default::default);
        if ext.get("code").is_none() {
            // async-graphql's own limits (depth, recursion, complexity, directives).
            let limit = [
                "nested too deep",
                "too complex",
                "recursion depth",
                "cannot be greater than",
                "too many",
            ]
            .iter()
            .any(|m| e.message.contains(m));
            ext.set(
                "code",
                if limit {
                    "LIMIT_EXCEEDED"
                } else if e.path.is_empty() {
                    "GRAPHQL_VALIDATION_FAILED"
                } else {
                    "VALIDATION"
                },
            );
        }
        if ext.get("code") == Some(&async_graphql::Value::from("INTERNAL")) {
            ext.set("requestId", request_id);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn accept_negotiation_follows_the_spec() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(JSON));
        assert_eq!(negotiate(&accept("application/json")), Some(JSON));
        assert_eq!(
            negotiate(&accept(GRAPHQL_RESPONSE_JSON)),
            Some(GRAPHQL_RESPONSE_JSON)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(GRAPHQL_RESPONSE_JSON)
        );
        assert_eq!(negotiate(&accept("*/*")), Some(JSON));
        assert_eq!(negotiate(&accept("text/html")), None);
    }

    #[test]
    fn parse_errors_lose_serde_json_positions() {
        let e = |m: &str| without_json_position(ServerError::new(m, None)).message;
        assert_eq!(
            e("invalid number: number out of range at line 1 column 5"),
            "invalid number: number out of range"
        );
        assert_eq!(
            e("unexpected at line x column 2"),
            "unexpected at line x column 2"
        );
        assert_eq!(e("expected selection"), "expected selection");
    }

    #[test]
    fn graphiql_assets_are_served_from_the_binary() {
        assert!(asset("graphiql.min.js").is_some());
        assert!(asset("../Cargo.toml").is_none());
        assert!(!GRAPHIQL_HTML.contains("https://"));
    }
}
