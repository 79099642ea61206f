//! What no response may hold, and the checks of each response.

use super::*;

pub(super) fn forbidden(app: &TestApp, fx: &Fx) -> Forbidden {
    let words = [
        "syntax error",
        "relation \"",
        "violates",
        "constraint",
        "sqlx",
        "sea_orm",
        "sea-orm",
        "sqlxerror",
        "dberr",
        "recordnotfound",
        "panicked",
        "stack backtrace",
        "thread '",
        "at line",
        "sqlite",
        "postgres",
        "no such table",
        "no such column",
        "duplicate key",
        "foreign key",
        "database error",
        "pool timed out",
        "$argon2",
        "/src/",
        "/home/",
        "/work/",
        "/root/",
        "/tmp/",
        "/usr/",
        ".cargo/",
        "rustc",
        "called `option",
        "called `result",
        "unwrap()",
        "steward_t_",
        "steward_tpl_",
        "pg_catalog",
    ];
    let mut exact: Vec<String> = [
        "SELECT ",
        "INSERT INTO",
        "DELETE FROM",
        " WHERE ",
        "RETURNING ",
        "ON CONFLICT",
        ".rs:",
        JWT_SECRET,
        PASSWORD,
        OTHER_PASSWORD,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    exact.push(app.db_url.clone());
    for rt in fx.refresh.values() {
        exact.push(steward_api::auth::hash_refresh_token(rt));
    }
    Forbidden {
        words: words.iter().map(|s| (*s).to_owned()).collect(),
        exact,
    }
}

impl Forbidden {
    pub(super) fn scan(&self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        let mut found: Vec<String> = self
            .words
            .iter()
            .filter(|w| lower.contains(w.as_str()))
            .cloned()
            .collect();
        found.extend(
            self.exact
                .iter()
                .filter(|w| text.contains(w.as_str()))
                .cloned(),
        );
        if let Some(i) = text.find("UPDATE ")
            && text[i..].contains(" SET ")
        {
            found.push("UPDATE ... SET".into());
        }
        found
    }
}

pub(super) fn excerpt(s: &str) -> String {
    let s: String = s.chars().take(600).collect();
    s.replace('\u{0}', "\\0")
}

pub(super) fn check(
    c: &Case,
    status: u16,
    headers: &str,
    body: &[u8],
    f: &Forbidden,
    tally: &mut Tally,
) {
    tally.requests += 1;
    *tally.by_status.entry(status).or_default() += 1;
    let text = String::from_utf8_lossy(body);
    let mut problems = Vec::new();
    if status >= 500 {
        problems.push(format!("HTTP {status}"));
    }
    if c.graphql || text.trim_start().starts_with('{') {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(o)) if o.contains_key("data") || o.contains_key("errors") => {
                for e in o
                    .get("errors")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let code = e["extensions"]["code"].as_str();
                    match (e["message"].as_str(), code) {
                        (Some(m), Some(code)) => {
                            *tally.by_code.entry(code.to_owned()).or_default() += 1;
                            if code == "INTERNAL" {
                                problems.push(format!("INTERNAL: {e}"));
                            }
                            if c.echoes
                                .iter()
                                .any(|x| x.chars().count() >= 3 && m.contains(x.as_str()))
                            {
                                tally.echoing += 1;
                                // Only input coercion and validation quote what was sent.
                                if !matches!(
                                    code,
                                    "VALIDATION"
                                        | "GRAPHQL_VALIDATION_FAILED"
                                        | "GRAPHQL_PARSE_FAILED"
                                ) {
                                    problems.push(format!("a {code} error echoes input: {m}"));
                                }
                                if tally.echo_examples.len() < 8 {
                                    tally.echo_examples.insert(excerpt(m));
                                }
                            }
                        }
                        _ => problems.push(format!("an error without message or code: {e}")),
                    }
                }
                if o.get("errors").is_some_and(|e| !e.is_array()) {
                    problems.push("`errors` is not a list".into());
                }
            }
            Ok(_) => problems.push("not a GraphQL response".into()),
            Err(e) => problems.push(format!("not JSON ({e})")),
        }
    }
    // Cut out what the client sent, then look for what the server added.
    let mut scanned = format!("{headers}\n{text}");
    let mut echoes: Vec<String> = c.echoes.iter().filter(|e| !e.is_empty()).cloned().collect();
    echoes.sort_by_key(|e| std::cmp::Reverse(e.len()));
    for e in echoes {
        let escaped = serde_json::to_string(&e).unwrap();
        scanned = scanned
            .replace(&escaped[1..escaped.len() - 1], "")
            .replace(&e, "");
    }
    for leak in f.scan(&scanned) {
        problems.push(format!("leaks {leak:?}"));
    }
    if !problems.is_empty() {
        tally.problems.push(format!(
            "{}: {} (HTTP {status}): {}",
            c.label,
            problems.join("; "),
            excerpt(&text)
        ));
    }
}

pub(super) async fn send(client: &reqwest::Client, url: &str, c: &Case) -> (u16, String, Vec<u8>) {
    let mut rb = match &c.req {
        Req::Post { body, content_type } => {
            let mut r = client.post(url).body(body.clone());
            if let Some(ct) = content_type {
                r = r.header("content-type", *ct);
            }
            r
        }
        Req::Get(q) => client.get(format!("{url}?{q}")),
    };
    if let Some(a) = &c.authorization {
        rb = rb.header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(a).expect("a header value"),
        );
    }
    if let Some(a) = c.accept {
        rb = rb.header("accept", a);
    }
    match rb.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let headers: String = resp
                .headers()
                .iter()
                .map(|(k, v)| format!("{k}: {}\n", String::from_utf8_lossy(v.as_bytes())))
                .collect();
            let body = resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
            (status, headers, body)
        }
        // The connection dropped (a panic in a handler, say): as bad as a 5xx.
        Err(e) => (
            599,
            String::new(),
            format!("request failed: {e}").into_bytes(),
        ),
    }
}

pub(super) async fn run(app: &TestApp, cases: Vec<Case>, f: &Forbidden, tally: &mut Tally) {
    let url = app.url.clone();
    let client = app.client.clone();
    let mut results = futures::stream::iter(cases)
        .map(|c| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let r = send(&client, &url, &c).await;
                (c, r)
            }
        })
        .buffer_unordered(8);
    while let Some((c, (status, headers, body))) = results.next().await {
        check(&c, status, &headers, &body, f, tally);
    }
}
