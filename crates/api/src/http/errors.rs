//! Errors as the client sees them: codes for every error, request errors
//! without positions inside JSON literals, request ids on internal ones.

use super::*;

pub(super) fn error_value(e: ApiError) -> serde_json::Value {
    let err: async_graphql::Error = e.into();
    let mut v =
        serde_json::json!({ "errors": [err.into_server_error(async_graphql::Pos::default())] });
    strip_locations(&mut v);
    v
}

pub(super) fn to_bytes(v: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(v)
        .unwrap_or_else(|_| b"{\"errors\":[{\"message\":\"internal error\"}]}".to_vec())
}

/// The parser reads number literals with serde_json, whose messages end with
/// a position inside the literal (`invalid number: number out of range at
/// line 1 column 5`): implementation detail; `locations` says where it is.
pub(super) fn without_json_position(mut e: ServerError) -> ServerError {
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

pub(super) fn with_code(e: ServerError, code: &str) -> ServerError {
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
pub(super) fn annotate_errors(errors: &mut [ServerError], request_id: &str) {
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
