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

mod documents;
mod errors;
mod execute;
mod graphiql;
mod wire;

use documents::*;
use errors::*;
use execute::*;
use graphiql::*;
use wire::*;

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

/// Documents by (query text, operation name).
type DocumentLru = lru::LruCache<(String, Option<String>), CachedDocument>;

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
    let metrics_routes = crate::metrics::routes(metrics.clone(), state.clone());
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
        .with_state(http)
        .merge(metrics_routes)
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
                Ok(p) => Some(domain::Principal {
                    request: domain::RequestId::parse(&request_id),
                    ..p
                }),
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
    let call = Call {
        is_get,
        principal,
        client_ip,
        media,
        request_id: &request_id,
    };
    let run = Box::pin(async {
        let mut out = Vec::with_capacity(wires.len());
        let mut statuses = Vec::with_capacity(wires.len());
        let (mut retry_after, mut compiled) = (None::<u64>, false);
        for w in wires {
            let (started, before) = (Instant::now(), persistence::stats::statements_so_far());
            let mut op = crate::metrics::Operation::default();
            let done = execute_one(&h, w, call, &mut op).await;
            if principal.is_none() {
                op.signed_out();
            }
            if let Some(m) = &h.metrics {
                let statements = persistence::stats::statements_so_far().saturating_sub(before);
                m.record_operation(op, &done.body, started.elapsed(), statements);
            }
            retry_after = retry_after.max(done.retry_after);
            compiled |= done.compiled;
            statuses.push(done.status);
            out.push(done.body);
        }
        (out, statuses, retry_after, compiled)
    });
    // The caller's tenant for row-level security (when on): every
    // connection this request takes gets it.
    let tenant = principal.map(|p| p.tenant_id.0);
    let ((mut values, statuses, retry_after, compiled), statements) =
        persistence::stats::count_statements(persistence::rls::with_tenant(tenant, run)).await;
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
