//! Raw HTTP bodies and headers.

use super::*;

pub(super) fn raw_cases(fx: &Fx) -> Vec<Case> {
    let ok = r#"{ viewer { __typename } }"#;
    let tok = Some(fx.admin.as_str());
    let json_bodies: Vec<(&str, Vec<u8>)> = vec![
        ("empty body", vec![]),
        ("{", b"{".to_vec()),
        ("}", b"}".to_vec()),
        ("[", b"[".to_vec()),
        ("null", b"null".to_vec()),
        ("true", b"true".to_vec()),
        ("1", b"1".to_vec()),
        ("a string", b"\"x\"".to_vec()),
        ("truncated", b"{\"query\":".to_vec()),
        ("query is a number", br#"{"query": 1}"#.to_vec()),
        ("query is null", br#"{"query": null}"#.to_vec()),
        (
            "query is a list",
            format!(r#"{{"query": ["{ok}"]}}"#).into_bytes(),
        ),
        (
            "variables is a string",
            format!(r#"{{"query": "{ok}", "variables": "x"}}"#).into_bytes(),
        ),
        (
            "variables is a list",
            format!(r#"{{"query": "{ok}", "variables": []}}"#).into_bytes(),
        ),
        (
            "extensions is a number",
            format!(r#"{{"query": "{ok}", "extensions": 1}}"#).into_bytes(),
        ),
        (
            "operationName is a number",
            format!(r#"{{"query": "{ok}", "operationName": 5}}"#).into_bytes(),
        ),
        (
            "lone surrogate in the query",
            br#"{"query": "\ud800"}"#.to_vec(),
        ),
        (
            "lone surrogate in variables",
            format!(r#"{{"query": "{ok}", "variables": {{"a": "\ud800"}}}}"#).into_bytes(),
        ),
        (
            "reversed surrogates",
            format!(r#"{{"query": "{ok}", "variables": {{"a": "\udc00\ud800"}}}}"#).into_bytes(),
        ),
        (
            "NUL escape in the query",
            br#"{"query": "\u0000"}"#.to_vec(),
        ),
        ("raw NUL byte", b"{\"query\": \"\x00\"}".to_vec()),
        ("NaN", br#"{"query": NaN}"#.to_vec()),
        (
            "1e999",
            format!(r#"{{"query": "{ok}", "variables": {{"a": 1e999}}}}"#).into_bytes(),
        ),
        (
            "a huge integer",
            format!(r#"{{"query": "{ok}", "variables": {{"a": 123456789012345678901234567890}}}}"#)
                .into_bytes(),
        ),
        (
            "-0",
            format!(r#"{{"query": "{ok}", "variables": {{"a": -0}}}}"#).into_bytes(),
        ),
        (
            "10000 nested lists",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        (
            "10000 nested objects",
            format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)).into_bytes(),
        ),
        (
            "100 nested variables",
            format!(
                r#"{{"query": "{ok}", "variables": {{"a": {}1{}}}}}"#,
                "{\"a\":".repeat(100),
                "}".repeat(100)
            )
            .into_bytes(),
        ),
        (
            "1000 nested variables",
            format!(
                r#"{{"query": "{ok}", "variables": {{"a": {}1{}}}}}"#,
                "[".repeat(1000),
                "]".repeat(1000)
            )
            .into_bytes(),
        ),
        (
            "duplicate keys",
            format!(r#"{{"query": "{ok}", "query": "{{ nope }}"}}"#).into_bytes(),
        ),
        (
            "trailing garbage",
            format!(r#"{{"query": "{ok}"}} xyz"#).into_bytes(),
        ),
        (
            "byte order mark",
            format!("\u{FEFF}{{\"query\": \"{ok}\"}}").into_bytes(),
        ),
        ("invalid UTF-8", vec![0xff, 0xfe, 0x7b, 0x7d]),
        (
            "invalid UTF-8 in a string",
            b"{\"query\": \"\xff\xfe\"}".to_vec(),
        ),
        (
            "a batch (refused)",
            format!(r#"[{{"query": "{ok}"}}]"#).into_bytes(),
        ),
        ("an empty batch", b"[]".to_vec()),
        ("a batch of garbage", b"[1, \"x\", null]".to_vec()),
        (
            "1.1 MB",
            format!(
                r#"{{"query": "{ok}", "variables": {{"a": "{}"}}}}"#,
                "x".repeat(1_100_000)
            )
            .into_bytes(),
        ),
        ("10 000 variables", {
            let vars: Map<String, Value> =
                (0..10_000).map(|i| (format!("v{i}"), json!(i))).collect();
            serde_json::to_vec(&json!({ "query": ok, "variables": vars })).unwrap()
        }),
    ];
    let mut cases = Vec::new();
    for (label, body) in json_bodies {
        for accept in [None, Some("application/graphql-response+json")] {
            cases.push(Case {
                accept,
                ..raw_case(
                    &format!("raw body: {label}"),
                    tok,
                    body.clone(),
                    Some("application/json"),
                )
            });
        }
        cases.push(raw_case(
            &format!("raw body, anonymous: {label}"),
            None,
            body,
            Some("application/json"),
        ));
    }
    let good = format!(r#"{{"query": "{ok}"}}"#);
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/graphql"),
        Some("application/json; charset=latin1"),
        Some("application/json;;;"),
        Some("application/jsonx"),
    ] {
        cases.push(raw_case(
            &format!("content type {ct:?}"),
            tok,
            good.clone(),
            ct,
        ));
    }
    for accept in [
        "text/html",
        "application/xml",
        "*/*;q=NaN",
        "application/json;q=1e999",
        "\u{7f}",
    ] {
        cases.push(Case {
            accept: Some(if accept == "\u{7f}" { "a\tb" } else { accept }),
            graphql: false,
            ..raw_case(
                &format!("Accept: {accept}"),
                tok,
                good.clone(),
                Some("application/json"),
            )
        });
    }
    for q in [
        "query=%7B%20viewer%20%7B%20__typename%20%7D%20%7D&variables=garbage",
        "query=mutation%7Blogout%7Bok%7D%7D",
        "query=%ff%fe",
        "query=%7Bviewer%7B__typename%7D%7D&variables=%7B%22a%22%3A",
        "query=a&query=b",
        "query=%7Bviewer%7B__typename%7D%7D&extensions=1",
        "query=%7Baccounts(filter%3A%7BnameContains%3A%22%27%20OR%201%3D1%20--%22%7D)%7B__typename%7D%7D",
        "variables=%7B%7D",
        "query=",
        "%%%",
    ] {
        cases.push(Case {
            req: Req::Get(q.to_owned()),
            graphql: true,
            ..raw_case(&format!("GET ?{q}"), tok, Vec::new(), None)
        });
    }
    let long = format!("query={}", "x".repeat(10_000));
    cases.push(Case {
        req: Req::Get(long),
        graphql: true,
        ..raw_case("GET with a 10 kB query", tok, Vec::new(), None)
    });
    cases
}
