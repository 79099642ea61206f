//! One GraphQL operation: the cached or checked document, the compiled read
//! path when it applies, else async-graphql under the response budget; then
//! field errors completed, maps ordered, errors coded.

use super::*;

/// Who asks and how: what every operation of one HTTP request shares.
#[derive(Clone, Copy)]
pub(super) struct Call<'a> {
    pub is_get: bool,
    pub principal: Option<domain::Principal>,
    pub client_ip: Option<std::net::IpAddr>,
    /// The negotiated response media type.
    pub media: &'static str,
    pub request_id: &'a str,
}

/// One operation's result: its status and body, and what the HTTP
/// response reports for the whole request.
pub(super) struct Executed {
    pub status: StatusCode,
    pub body: Vec<u8>,
    /// The longest `retryAfter` among its errors (the `Retry-After` header).
    pub retry_after: Option<u64>,
    /// Whether it ran on the compiled read path (the `x-steward-execution`
    /// header, for tests and benchmarks).
    pub compiled: bool,
}

impl From<(StatusCode, Vec<u8>)> for Executed {
    fn from((status, body): (StatusCode, Vec<u8>)) -> Self {
        Executed {
            status,
            body,
            retry_after: None,
            compiled: false,
        }
    }
}

pub(super) async fn execute_one(
    h: &Http,
    w: WireRequest,
    call: Call<'_>,
    op: &mut crate::metrics::Operation,
) -> Executed {
    let Call {
        is_get,
        principal,
        client_ip,
        media,
        request_id,
    } = call;
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
        )
            .into();
    };
    if let Some(v) = &w.variables
        && let Err(e) = limits::check_variable_lists(v)
    {
        return (request_error_status, to_bytes(&error_value(e))).into();
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
            )
                .into();
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
        )
            .into();
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
                    return Executed {
                        compiled: true,
                        ..(StatusCode::OK, to_bytes(&v)).into()
                    };
                }
                op.executed(&[]);
                return Executed {
                    compiled: true,
                    ..(StatusCode::OK, body).into()
                };
            }
            req.set_parsed_query((*c.doc).clone());
            (c.op_type, c.validated, c.introspection, c.doc)
        }
        None => {
            let limits = limits::Limits::from_config(&h.state.config);
            if let Err(e) = limits::check_text(&query, &limits) {
                return (request_error_status, to_bytes(&error_value(e))).into();
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
                    return (request_error_status, to_bytes(&v)).into();
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
                Err(e) => return (request_error_status, to_bytes(&error_value(e))).into(),
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
        )
            .into();
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
    crate::response_order::reorder(&doc, op_name.as_deref(), &h.field_types, &mut resp.data);
    let request_failed = resp.data == async_graphql::Value::Null
        && !resp.errors.is_empty()
        && resp.errors.iter().all(|e| e.path.is_empty());
    if !validated && !resp.errors.iter().any(|e| e.path.is_empty()) {
        h.documents.mark_validated(&query, op_name.as_deref());
    }
    annotate_errors(&mut resp.errors, request_id);
    op.executed(&resp.errors);
    let retry_after = resp
        .errors
        .iter()
        .filter_map(|e| {
            e.extensions
                .as_ref()
                .and_then(|x| x.get("retryAfter"))
                .and_then(|v| match v {
                    async_graphql::Value::Number(n) => n.as_u64(),
                    _ => None,
                })
        })
        .max();
    // Serialised straight from async-graphql's value tree: no intermediate
    // JSON tree for large responses.
    let body = if request_failed {
        serde_json::to_vec(&serde_json::json!({ "errors": resp.errors }))
    } else {
        serde_json::to_vec(&resp)
    };
    drop(resp);
    drop(reservation);
    let (status, body) = match body {
        Ok(b) if request_failed => (request_error_status, b),
        Ok(b) => (StatusCode::OK, b),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            to_bytes(&error_value(ApiError::Internal("serialise".into()))),
        ),
    };
    Executed {
        retry_after,
        ..(status, body).into()
    }
}
