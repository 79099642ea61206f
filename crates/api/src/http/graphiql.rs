//! The GraphiQL page and its bundled assets (same origin, no CDN).

use super::*;

pub(super) const GRAPHIQL_HTML: &str = include_str!("../../assets/graphiql/index.html");

pub(super) fn asset(name: &str) -> Option<(&'static [u8], &'static str)> {
    Some(match name {
        "graphiql.min.js" => (
            include_bytes!("../../assets/graphiql/graphiql.min.js"),
            "text/javascript",
        ),
        "graphiql.min.css" => (
            include_bytes!("../../assets/graphiql/graphiql.min.css"),
            "text/css",
        ),
        "react.production.min.js" => (
            include_bytes!("../../assets/graphiql/react.production.min.js"),
            "text/javascript",
        ),
        "react-dom.production.min.js" => (
            include_bytes!("../../assets/graphiql/react-dom.production.min.js"),
            "text/javascript",
        ),
        "steward-graphiql.js" => (
            include_bytes!("../../assets/graphiql/steward-graphiql.js"),
            "text/javascript",
        ),
        _ => return None,
    })
}

pub(super) async fn graphiql_asset(Path(file): Path<String>) -> Response {
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

pub(super) fn graphiql_page() -> Response {
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
