//! The wire: content negotiation, request shapes (POST body, GET query),
//! media types, request ids and the responses for request errors.

use super::*;

/// Whether a client's `X-Request-Id` may be echoed and logged: 1 to 64
/// ASCII letters, digits, `-`, `_`, `.` or `:` (the rule of
/// `domain::RequestId`, which writes carry).
pub(super) fn is_safe_request_id(v: &[u8]) -> bool {
    domain::RequestId::is_safe(v)
}

pub(super) async fn drop_unsafe_request_id(
    mut req: axum::extract::Request,
) -> axum::extract::Request {
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

/// The media type of the response, from `Accept` (GraphQL-over-HTTP §5.1).
pub(super) fn negotiate(headers: &HeaderMap) -> Option<&'static str> {
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

pub(super) fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// One GraphQL request as sent over HTTP.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub(super) struct WireRequest {
    pub(super) query: Option<String>,
    pub(super) operation_name: Option<String>,
    #[serde(default)]
    pub(super) variables: Option<serde_json::Value>,
    #[serde(default)]
    pub(super) extensions: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct GetParams {
    pub(super) query: Option<String>,
    pub(super) operation_name: Option<String>,
    pub(super) variables: Option<String>,
    pub(super) extensions: Option<String>,
}

/// A response with GraphQL errors only (a request error).
pub(super) fn request_error(status: StatusCode, media: &'static str, e: ApiError) -> Response {
    let err: async_graphql::Error = e.into();
    let server = err.into_server_error(async_graphql::Pos::default());
    let mut v = serde_json::json!({ "errors": [server] });
    strip_locations(&mut v);
    json_response(status, media, &v)
}

/// Errors not tied to a place in the document carry no `locations`.
pub(super) fn strip_locations(v: &mut serde_json::Value) {
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

pub(super) fn bytes_response(status: StatusCode, media: &'static str, body: Vec<u8>) -> Response {
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    r
}

pub(super) fn json_response(
    status: StatusCode,
    media: &'static str,
    v: &serde_json::Value,
) -> Response {
    bytes_response(status, media, to_bytes(v))
}

pub(super) fn is_json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| ct.split(';').next())
        .is_some_and(|m| m.trim().eq_ignore_ascii_case(JSON))
}
