//! Internal errors: the client gets a code and the request id, the log the
//! detail under that id.

use crate::helpers::*;
use serde_json::json;

/// A log sink for one test (on its own thread: `#[tokio::test]` runs the
/// server on the test's thread).
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;

    fn make_writer(&'a self) -> Logs {
        self.clone()
    }
}

/// An internal error (here: a table gone under the running server) answers
/// `internal error` with the request id, and the log holds the detail under
/// that id.
#[tokio::test]
async fn internal_errors_log_the_detail_with_the_request_id() {
    use tracing_subscriber::util::SubscriberInitExt;
    let logs = Logs::default();
    // A second dispatcher: with a single one, tracing decides whether a
    // callsite first reached on another test's thread is enabled by asking
    // that thread's default (none), and our span would never be recorded.
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());
    let _guard = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
        .finish()
        .set_default();
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let conn = sea_orm::Database::connect(&app.db_url).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(
        &conn,
        "ALTER TABLE products RENAME TO products_gone",
    )
    .await
    .unwrap();
    let _ = conn.close().await;

    let r = app
        .graphql(Some(&t.admin_token), "{ products { id name } }", json!({}))
        .await;
    r.assert_error("INTERNAL");
    let e = &r.body["errors"][0];
    assert_eq!(e["message"], "internal error");
    let id = e["extensions"]["requestId"].as_str().unwrap();
    assert_eq!(r.headers["x-request-id"].to_str().unwrap(), id);
    let body = r.body.to_string();
    assert!(
        [
            "products_gone",
            "no such table",
            "does not exist",
            "relation"
        ]
        .iter()
        .all(|w| !body.contains(w)),
        "{body}"
    );

    let log = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("request failed"))
        .unwrap_or_else(|| panic!("no error logged:\n{log}"));
    assert!(
        line.contains(&format!("request_id={id}"))
            && line.contains("INTERNAL")
            && line.contains("products"),
        "the log line lacks the request id or the detail: {line}"
    );
}

/// Every committed write carries the request it belongs to (the client's
/// `X-Request-Id`) and its user: the writer's stamp, which the change
/// journal will record, traced at debug level per commit, including the
/// coalesced `logActivity` statement.
#[tokio::test]
async fn committed_writes_carry_the_request_id() {
    use tracing_subscriber::util::SubscriberInitExt;
    let logs = Logs::default();
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());
    let _guard = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .with_max_level(tracing_subscriber::filter::LevelFilter::DEBUG)
        .finish()
        .set_default();
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let send = |id: &'static str, query: &'static str, variables: serde_json::Value| {
        app.client
            .post(&app.url)
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {}", t.admin_token))
            .header("x-request-id", id)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
    };
    let r: serde_json::Value = send(
        "journal-req-1",
        "mutation { createAccount(input: { name: \"Traced\" }) { account { id } } }",
        json!({}),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let account = r["data"]["createAccount"]["account"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("{r}"))
        .to_owned();
    let r: serde_json::Value = send(
        "journal-req-2",
        "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } } }",
        json!({ "i": { "accountId": account, "kind": "CALL",
                       "occurredAt": "2026-01-05T10:00:00Z", "summary": "s" } }),
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert!(
        r["data"]["logActivity"]["activity"]["id"].is_string(),
        "{r}"
    );

    let log = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let commit_of = |id: &str, record: &str| {
        log.lines().any(|l| {
            l.contains("write committed")
                && l.contains(&format!("request=\"{id}\""))
                && l.contains(&format!("record: \"{record}\""))
                && l.contains(&uuid_of(&t.admin_id).to_string())
        })
    };
    assert!(commit_of("journal-req-1", "account"), "{log}");
    assert!(commit_of("journal-req-2", "activity"), "{log}");
}
