//! The HTTP surface: GraphQL-over-HTTP negotiation, CSRF-safe content
//! types, GET rules, limits, GraphiQL, health.

use crate::helpers::*;
use serde_json::json;

fn get_url(app: &TestApp, query: &str) -> String {
    let q: String = url_encode(query);
    format!("{}?query={q}", app.url)
}

fn url_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn queries_may_be_sent_by_get_but_mutations_may_not() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let r = app
        .client
        .get(get_url(&app, "{ viewer { user { email } } }"))
        .bearer_auth(&t.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(
        body["data"]["viewer"]["user"]["email"],
        "admin@acme.example"
    );

    let r = app
        .client
        .get(get_url(
            &app,
            "mutation { createAccount(input: {name: \"Via GET\"}) { account { id } } }",
        ))
        .bearer_auth(&t.admin_token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 405);
    assert_eq!(r.headers().get("allow").unwrap(), "POST");
    assert_eq!(
        app.account_count(&t.admin_token).await,
        0,
        "nothing was created"
    );
}

#[tokio::test]
async fn posts_that_a_browser_form_could_send_are_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let body =
        r#"{"query":"mutation { createAccount(input: {name: \"CSRF\"}) { account { id } } }"}"#;
    for ct in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        None,
    ] {
        let mut req = app
            .client
            .post(&app.url)
            .bearer_auth(&t.admin_token)
            .body(body);
        if let Some(ct) = ct {
            req = req.header("content-type", ct);
        }
        let r = req.send().await.unwrap();
        assert_eq!(r.status(), 415, "{ct:?}");
    }
    assert_eq!(app.account_count(&t.admin_token).await, 0);
}

#[tokio::test]
async fn the_response_media_type_follows_accept() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let post = |accept: &'static str, query: &'static str| {
        app.client
            .post(&app.url)
            .header("content-type", "application/json")
            .header("accept", accept)
            .bearer_auth(&t.admin_token)
            .json(&json!({ "query": query }))
            .send()
    };
    let r = post(
        "application/graphql-response+json",
        "{ viewer { user { email } } }",
    )
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/graphql-response+json"
    );

    // A document that does not parse is a request error: 400 with the new
    // media type, and no `data` entry.
    let r = post("application/graphql-response+json", "{ viewer { ")
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: serde_json::Value = r.json().await.unwrap();
    assert!(body.get("data").is_none());
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "GRAPHQL_PARSE_FAILED"
    );

    // With legacy application/json the status stays 200.
    let r = post("application/json", "{ viewer { ").await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/json");

    let r = post("text/html", "{ viewer { user { email } } }")
        .await
        .unwrap();
    assert_eq!(r.status(), 406);
}

#[tokio::test]
async fn batches_are_off_by_default_and_capped_when_enabled() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let batch = |n: usize| {
        json!(
            (0..n)
                .map(|_| json!({ "query": "{ viewer { user { email } } }" }))
                .collect::<Vec<_>>()
        )
    };
    let r = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .bearer_auth(&t.admin_token)
        .json(&batch(2))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);

    let app = spawn_app_with(|c| c.max_batch = 2).await;
    let t = app.tenant("acme").await;
    let r = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .bearer_auth(&t.admin_token)
        .json(&batch(2))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body.as_array().unwrap().len(), 2);
    assert_eq!(
        body[1]["data"]["viewer"]["user"]["email"],
        "admin@acme.example"
    );
    let r = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .bearer_auth(&t.admin_token)
        .json(&batch(3))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = r.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_app_with(|c| c.max_body_bytes = 2048).await;
    let t = app.tenant("acme").await;
    let padding = " ".repeat(4096);
    let r = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .bearer_auth(&t.admin_token)
        .body(format!(
            r#"{{"query":"{{ viewer {{ user {{ email }} }} }}{padding}"}}"#
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
}

#[tokio::test]
async fn hostile_documents_hit_limits_before_anything_runs() {
    // The documents below are sized for a complexity limit of 50,000.
    let app = spawn_app_with(|c| c.max_complexity = 50_000).await;
    let t = app.tenant("acme").await;
    let aliases: String = (0..31)
        .map(|i| format!("a{i}: viewer {{ user {{ id }} }} "))
        .collect();
    let r = app
        .graphql(Some(&t.admin_token), &format!("{{ {aliases} }}"), json!({}))
        .await;
    r.assert_error("LIMIT_EXCEEDED");

    let mut deep = "id".to_owned();
    for _ in 0..8 {
        deep = format!("account {{ contacts(first: 1) {{ edges {{ node {{ {deep} }} }} }} }}");
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            &format!("{{ contact(id: \"x\") {{ {deep} }} }}"),
            json!({}),
        )
        .await;
    r.assert_error("LIMIT_EXCEEDED");

    let r = app
        .graphql(
            Some(&t.admin_token),
            "{ accounts(first: 100) { edges { node { contacts(first: 100) { edges { node { id fullName email phone title department } } } } } } }",
            json!({}),
        )
        .await;
    r.assert_error("LIMIT_EXCEEDED");
}

#[tokio::test]
async fn graphiql_is_served_by_steward_itself() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(&app.url)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = r.text().await.unwrap();
    assert!(html.contains("/graphql/assets/graphiql.min.js"));
    assert!(!html.contains("https://"), "no CDN");
    for asset in [
        "graphiql.min.js",
        "graphiql.min.css",
        "react.production.min.js",
        "react-dom.production.min.js",
        "steward-graphiql.js",
    ] {
        let r = app
            .client
            .get(format!("{}/assets/{asset}", app.url))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{asset}");
        assert!(r.bytes().await.unwrap().len() > 500, "{asset}");
    }
}

#[tokio::test]
async fn health_readiness_and_request_ids() {
    let app = spawn_app().await;
    let base = format!("http://{}", app.addr);
    assert_eq!(
        app.client
            .get(format!("{base}/healthz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        app.client
            .get(format!("{base}/readyz"))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    let r = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .header("x-request-id", "trace-me-123")
        .json(&json!({ "query": "{ viewer { user { id } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["x-request-id"], "trace-me-123");
    let r = app
        .client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert!(
        r.headers().get("x-request-id").is_some(),
        "a request id is assigned when none is sent"
    );
}

#[tokio::test]
async fn production_mode_hides_the_schema() {
    let app = spawn_app_with(|c| c.mode = steward_api::config::Mode::Production).await;
    let t = app.tenant("acme").await;
    let r = app
        .graphql(
            Some(&t.admin_token),
            "{ __schema { types { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.body["data"]["__schema"], json!(null), "{}", r.body);
    // Field suggestions ("Did you mean ...?") are off too.
    let r = app
        .graphql(
            Some(&t.admin_token),
            "{ acounts { edges { node { id } } } }",
            json!({}),
        )
        .await;
    let msg = r.body["errors"][0]["message"].as_str().unwrap();
    assert!(!msg.contains("Did you mean"), "{msg}");
    // Development mode shows it.
    let dev = spawn_app().await;
    let t = dev.tenant("acme").await;
    let r = dev
        .graphql(
            Some(&t.admin_token),
            "{ __schema { queryType { name } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data("__schema.queryType.name"), &json!("Query"));
}

#[tokio::test]
async fn cached_documents_are_still_checked_on_every_request() {
    // The documents below are sized for a complexity limit of 50,000.
    let app = spawn_app_with(|c| c.max_complexity = 50_000).await;
    let t = app.tenant("acme").await;
    // An invalid document stays invalid however often it is sent: it never runs.
    let bad = "mutation { createAccount(input: {name: \"Sneaky\"}) { account { id nope } } }";
    for _ in 0..3 {
        app.graphql(Some(&t.admin_token), bad, json!({}))
            .await
            .assert_error("GRAPHQL_VALIDATION_FAILED");
    }
    assert_eq!(app.account_count(&t.admin_token).await, 0);
    // A valid document, once validated, still checks its variables and limits.
    let q = "query($n: Int) { accounts(first: $n) { edges { node { contacts(first: 100) { edges { node { id fullName email phone title department } } } } } } }";
    app.graphql(Some(&t.admin_token), q, json!({ "n": 1 }))
        .await
        .data("accounts");
    app.graphql(Some(&t.admin_token), q, json!({ "n": 1 }))
        .await
        .data("accounts");
    app.graphql(Some(&t.admin_token), q, json!({ "n": 100 }))
        .await
        .assert_error("LIMIT_EXCEEDED");
    app.graphql(Some(&t.admin_token), q, json!({ "n": "many" }))
        .await
        .assert_error("GRAPHQL_VALIDATION_FAILED");
    app.graphql(Some(&t.admin_token), q, json!({ "n": 101 }))
        .await
        .assert_error("LIMIT_EXCEEDED");
}

/// The samples of a Prometheus text exposition: (name, labels, value).
fn samples(text: &str) -> Vec<(String, std::collections::BTreeMap<String, String>, f64)> {
    text.lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (series, value) = l.rsplit_once(' ').unwrap();
            let (name, labels) = match series.split_once('{') {
                Some((n, rest)) => (n, rest.strip_suffix('}').unwrap()),
                None => (series, ""),
            };
            let labels = labels
                .split(',')
                .filter(|kv| !kv.is_empty())
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap();
                    (k.to_owned(), v.trim_matches('"').to_owned())
                })
                .collect();
            (name.to_owned(), labels, value.parse().unwrap())
        })
        .collect()
}

/// The value of the sample `name` with exactly these labels.
fn sample(text: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let want: std::collections::BTreeMap<String, String> = labels
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    samples(text)
        .into_iter()
        .find(|(n, l, _)| n == name && *l == want)
        .map(|(_, _, v)| v)
}

#[tokio::test]
async fn metrics_count_requests_and_operations_and_can_be_turned_off() {
    let app = spawn_app_with(|c| {
        c.metrics_token = Some(steward_api::config::Secret::new("metrics-token-0123456789"));
    })
    .await;
    let t = app.tenant("acme").await; // the anonymous `login` mutation
    let base = format!("http://{}", app.addr);
    app.graphql(
        Some(&t.admin_token),
        "query Viewer { viewer { user { email } } }",
        json!({}),
    )
    .await
    .data("viewer.user.email");
    app.graphql(
        Some(&t.admin_token),
        "query Broken { viewer { nope } }",
        json!({}),
    )
    .await
    .assert_error("GRAPHQL_VALIDATION_FAILED");
    app.graphql(
        None,
        "query Viewer { viewer { user { email } } }",
        json!({}),
    )
    .await
    .assert_error("UNAUTHENTICATED");
    // The first sight of a document runs field by field, later ones compiled.
    for _ in 0..2 {
        app.graphql(
            Some(&t.admin_token),
            "query Acc { accounts(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await
        .data("accounts");
    }
    // Routes are labelled by their template; unknown paths are `unmatched`.
    for path in ["graphql/assets/graphiql.min.css", "no/such/path"] {
        app.client
            .get(format!("{base}/{path}"))
            .send()
            .await
            .unwrap();
    }

    let r = app
        .client
        .get(format!("{base}/metrics"))
        .bearer_auth("metrics-token-0123456789")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4"),
        "{:?}",
        r.headers()["content-type"]
    );
    let text = r.text().await.unwrap();
    let ops = "steward_graphql_operations_total";
    for (kind, name, outcome) in [
        // Callers who are not signed in (the login, the refused viewer)
        // are `signed_out`, whatever their operation's name.
        ("mutation", "signed_out", "ok"),
        ("query", "Viewer", "ok"),
        ("query", "Broken", "GRAPHQL_VALIDATION_FAILED"),
        ("query", "signed_out", "UNAUTHENTICATED"),
    ] {
        assert_eq!(
            sample(
                &text,
                ops,
                &[
                    ("operation_type", kind),
                    ("operation_name", name),
                    ("outcome", outcome)
                ]
            ),
            Some(1.0),
            "{kind} {name} {outcome} in\n{text}"
        );
    }
    assert_eq!(
        sample(
            &text,
            "steward_http_requests_total",
            &[("route", "/graphql"), ("method", "POST"), ("status", "200")]
        ),
        Some(6.0),
        "{text}"
    );
    for (route, status) in [("/graphql/assets/{file}", "200"), ("unmatched", "404")] {
        assert_eq!(
            sample(
                &text,
                "steward_http_requests_total",
                &[("route", route), ("method", "GET"), ("status", status)]
            ),
            Some(1.0),
            "{text}"
        );
    }
    assert_eq!(
        sample(
            &text,
            "steward_http_request_duration_seconds_bucket",
            &[("route", "/graphql"), ("le", "+Inf")]
        ),
        Some(6.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            "steward_graphql_operation_duration_seconds_count",
            &[("operation_type", "query"), ("operation_name", "Viewer")]
        ),
        Some(1.0),
        "{text}"
    );
    assert!(
        text.contains(
            "steward_graphql_operation_duration_seconds_bucket{operation_name=\"Viewer\",operation_type=\"query\",le=\"+Inf\"} 1"
        ),
        "{text}"
    );
    // The login reads the database; the refused document never ran.
    let statements = |name: &str, kind: &str| {
        sample(
            &text,
            "steward_graphql_sql_statements_sum",
            &[("operation_type", kind), ("operation_name", name)],
        )
        .unwrap()
    };
    assert!(statements("signed_out", "mutation") >= 1.0, "{text}");
    // Queries by read path: Viewer twice and Acc once field by field (the
    // refused document never ran), Acc once compiled.
    let path = |p: &str| sample(&text, "steward_graphql_read_path_total", &[("path", p)]);
    assert_eq!(path("resolvers"), Some(3.0), "{text}");
    assert_eq!(path("compiled"), Some(1.0), "{text}");
    assert_eq!(statements("Broken", "query"), 0.0, "{text}");
    assert!(sample(&text, "steward_db_pool_max", &[]).unwrap() >= 8.0);
    assert!(
        sample(&text, "steward_db_pool_connections", &[("state", "idle")]).unwrap()
            + sample(&text, "steward_db_pool_connections", &[("state", "in_use")]).unwrap()
            >= 1.0
    );
    assert_eq!(
        sample(
            &text,
            "steward_build_info",
            &[("version", env!("CARGO_PKG_VERSION"))]
        ),
        Some(1.0)
    );
    assert!(sample(&text, "steward_process_uptime_seconds", &[]).unwrap() > 0.0);
    // No tenant or user data.
    for secret in ["acme", &t.admin_id, "admin@", JWT_SECRET] {
        assert!(!text.contains(secret), "{secret} in\n{text}");
    }

    let off = spawn_app_with(|c| c.metrics = false).await;
    let r = off
        .client
        .get(format!("http://{}/metrics", off.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn token_stuffed_huge_and_directive_heavy_documents_are_refused() {
    let app = spawn_app_with(|c| {
        c.max_tokens = 200;
        c.max_query_bytes = 4_000;
    })
    .await;
    let t = app.tenant("acme").await;
    // Many tokens, few fields: refused before parsing.
    let stuffed = format!(
        "{{ viewer {{ user {{ id {} }} }} }}",
        "__typename ".repeat(300)
    );
    app.graphql(Some(&t.admin_token), &stuffed, json!({}))
        .await
        .assert_error("LIMIT_EXCEEDED");
    // A long document (here: a long comment).
    let long = format!("# {}\n{{ viewer {{ user {{ id }} }} }}", "x".repeat(5_000));
    app.graphql(Some(&t.admin_token), &long, json!({}))
        .await
        .assert_error("LIMIT_EXCEEDED");
    // Too many directives on one field.
    let directives = format!(
        "{{ viewer {{ user {{ id {} }} }} }}",
        "@include(if: true) ".repeat(11)
    );
    app.graphql(Some(&t.admin_token), &directives, json!({}))
        .await
        .assert_error("LIMIT_EXCEEDED");
    // The same document within the limits runs.
    app.graphql(
        Some(&t.admin_token),
        "{ viewer { user { id } } }",
        json!({}),
    )
    .await
    .data("viewer");
}

#[tokio::test]
async fn extensions_that_are_not_a_map_are_a_bad_request() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    for ext in [json!("x"), json!(1), json!(true), json!([])] {
        let r = app
            .client
            .post(&app.url)
            .header("content-type", "application/json")
            .bearer_auth(&t.admin_token)
            .json(&json!({ "query": "{ viewer { user { id } } }", "extensions": ext }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400, "{ext}");
    }
    let r = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .bearer_auth(&t.admin_token)
        .json(&json!({ "query": "{ viewer { user { id } } }", "extensions": { "any": 1 } }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

/// GraphiQL and client generators load the schema with the standard
/// introspection query (graphql-js `getIntrospectionQuery()`), which nests
/// deeper than data queries may.
#[tokio::test]
async fn the_standard_introspection_query_works_in_development() {
    let app = spawn_app().await;
    let q = include_str!("fixtures/introspection.graphql");
    let r = app.graphql(None, q, json!({})).await;
    let types = r.data("__schema.types").as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "Account"));
    assert_eq!(r.data("__schema.queryType.name"), &json!("Query"));
    // Mixing data in does not borrow the deeper limit.
    let t = app.tenant("acme").await;
    let mixed = q.replacen("__schema {", "viewer { user { id } } __schema {", 1);
    app.graphql(Some(&t.admin_token), &mixed, json!({}))
        .await
        .assert_error("LIMIT_EXCEEDED");
}

/// GraphiQL sends `Authorization: Bearer ` (no token) until the user signs
/// in: that is an anonymous request, so the schema loads and login works.
#[tokio::test]
async fn an_empty_bearer_credential_is_anonymous() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    for value in ["Bearer ", "Bearer", ""] {
        let r = app
            .client
            .post(&app.url)
            .header("content-type", "application/json")
            .header("authorization", value)
            .json(&json!({ "query": "{ __schema { queryType { name } } }" }))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "{value:?}");
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
        let r = app
            .client
            .post(&app.url)
            .header("content-type", "application/json")
            .header("authorization", value)
            .json(&json!({ "query": "{ viewer { user { id } } }" }))
            .send()
            .await
            .unwrap();
        let body: serde_json::Value = r.json().await.unwrap();
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
    // A malformed non-empty credential is still refused outright.
    let r = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .header("authorization", "Bearer nonsense")
        .json(&json!({ "query": "{ __schema { queryType { name } } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}
