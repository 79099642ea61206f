//! Coalesced statements (`persistence::coalesce`, Postgres): concurrent
//! requests of one tenant for an account with its contacts, or logging an
//! activity, share one statement; each still gets exactly its own result or
//! error, and tenants never share a statement.
//!
//! The tests make the overlap deterministic: a transaction holds a lock on
//! the table, so the first request's statement waits in Postgres while the
//! others queue up behind it; then the lock goes and the queue runs as one
//! statement.

use crate::helpers::*;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, TransactionTrait};
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const ACCOUNT: &str = "query($id: ID!) { account(id: $id) { id name contacts(first: 10) { nodes { id firstName } } } }";
const LOG: &str = "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id summary contacts { id } } } }";
const ACTIVITIES: &str =
    "query($id: ID!) { account(id: $id) { activities(first: 50) { nodes { summary } } } }";

/// Until `cond` holds (or fails the test after 10 s).
async fn until(what: &str, mut cond: impl AsyncFnMut() -> bool) {
    let start = Instant::now();
    while !cond().await {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "waited for {what}"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// Statements waiting for a lock in Postgres now.
async fn lock_waits(admin: &DatabaseConnection) -> i64 {
    let row = admin
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()",
        ))
        .await
        .expect("pg_stat_activity")
        .expect("a row");
    row.try_get_by_index(0).expect("count")
}

fn spawn_request(
    app: &TestApp,
    token: &str,
    query: &'static str,
    vars: Value,
) -> tokio::task::JoinHandle<Gql> {
    let (client, url, token) = (app.client.clone(), app.url.clone(), token.to_owned());
    tokio::spawn(async move {
        let resp = client
            .post(&url)
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": vars }))
            .send()
            .await
            .expect("request");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body = resp.json().await.expect("json body");
        Gql {
            status,
            headers,
            body,
        }
    })
}

/// With `lock` (a `LOCK TABLE`) held: starts `first` and waits until its
/// statement waits for the lock, then starts `rest` and waits until `queued`
/// calls wait for their turn (and `other_lock_waits` more statements for
/// the lock), then releases the lock.
async fn behind_a_lock(
    app: &TestApp,
    lock: &str,
    first: impl FnOnce() -> tokio::task::JoinHandle<Gql>,
    rest: impl FnOnce() -> Vec<tokio::task::JoinHandle<Gql>>,
    queued: usize,
    other_lock_waits: i64,
) -> (Gql, Vec<Gql>) {
    let admin = Database::connect(&app.db_url).await.expect("connect");
    let tx = admin.begin().await.expect("begin");
    tx.execute_unprepared(lock).await.expect("lock");
    let first = first();
    let waits = 1 + other_lock_waits;
    until("the first statement to wait", async || {
        lock_waits(&admin).await >= 1
    })
    .await;
    let rest = rest();
    let db = app.state.db.clone();
    until("the others to queue", async || {
        db.coalesce_stats().waiting >= queued
    })
    .await;
    until("other tenants' statements to wait", async || {
        lock_waits(&admin).await >= waits
    })
    .await;
    tx.commit().await.expect("unlock");
    let first = first.await.expect("first");
    let mut out = Vec::new();
    for h in rest {
        out.push(h.await.expect("request"));
    }
    (first, out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_account_reads_share_a_statement_and_each_gets_its_own_account() {
    if !is_postgres() {
        return;
    }
    let app = spawn_app().await;
    let alpha = app.tenant("alpha").await;
    let beta = app.tenant("beta").await;
    let mut accounts = Vec::new();
    for i in 0..5 {
        let a = app.account(&alpha.admin_token, &format!("Alpha {i}")).await;
        let c = app
            .contact(&alpha.admin_token, &a, &format!("First{i}"), "Last")
            .await;
        accounts.push((a, c));
    }
    let empty = app.account(&alpha.admin_token, "Alpha empty").await;
    let beta_account = app.account(&beta.admin_token, "Beta").await;
    // The compiled path serves a document from its second sight on.
    for t in [&alpha.admin_token, &beta.admin_token] {
        app.graphql(Some(t), ACCOUNT, json!({ "id": empty })).await;
    }
    let before = app.state.db.coalesce_stats();

    let lead = || {
        spawn_request(
            &app,
            &alpha.admin_token,
            ACCOUNT,
            json!({ "id": accounts[0].0 }),
        )
    };
    // Alpha's other accounts (one asked twice, one without contacts, one of
    // beta's: not alpha's), and beta asking for alpha's account: beta's
    // statement is its own (another tenant) and finds nothing.
    let mut asked: Vec<String> = accounts.iter().map(|(a, _)| a.clone()).collect();
    asked.push(accounts[1].0.clone());
    asked.push(empty.clone());
    asked.push(beta_account.clone());
    let (first, rest) = behind_a_lock(
        &app,
        "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE",
        lead,
        || {
            let mut hs: Vec<_> = asked[1..]
                .iter()
                .map(|id| spawn_request(&app, &alpha.admin_token, ACCOUNT, json!({ "id": id })))
                .collect();
            hs.push(spawn_request(
                &app,
                &beta.admin_token,
                ACCOUNT,
                json!({ "id": accounts[2].0 }),
            ));
            hs
        },
        asked.len() - 1,
        1,
    )
    .await;
    let after = app.state.db.coalesce_stats();

    let own = |r: &Gql, i: usize| {
        assert_eq!(r.str("account.id"), accounts[i].0, "{}", r.body);
        assert_eq!(r.str("account.name"), format!("Alpha {i}"));
        assert_eq!(
            r.data("account.contacts.nodes"),
            &json!([{ "id": accounts[i].1, "firstName": format!("First{i}") }])
        );
        assert_eq!(r.statements(), 1, "served by one statement");
    };
    own(&first, 0);
    for (i, r) in rest.iter().take(4).enumerate() {
        own(r, i + 1);
    }
    own(&rest[4], 1);
    assert_eq!(rest[5].str("account.name"), "Alpha empty");
    assert_eq!(rest[5].data("account.contacts.nodes"), &json!([]));
    for r in &rest[6..] {
        // Another tenant's account, asked by alpha, and alpha's account
        // asked by beta: not found, exactly as without coalescing.
        r.assert_error("NOT_FOUND");
    }
    // Alpha: the first statement, then one for the 7 queued; beta's alone.
    assert_eq!(after.statements - before.statements, 3, "{after:?}");
    assert_eq!(after.items - before.items, 9);
    assert_eq!(after.waiting, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_activity_logs_share_a_commit_and_each_gets_its_own_outcome() {
    if !is_postgres() {
        return;
    }
    let app = spawn_app().await;
    let t = app.tenant("alpha").await;
    let mut accounts = Vec::new();
    for i in 0..3 {
        let a = app.account(&t.admin_token, &format!("Alpha {i}")).await;
        let c = app
            .contact(&t.admin_token, &a, "Zoe", &format!("L{i}"))
            .await;
        accounts.push((a, c));
    }
    let log = |i: usize, contact: &str, summary: &str| {
        json!({ "i": { "accountId": accounts[i].0, "kind": "CALL", "occurredAt": "2025-06-01T10:00:00Z",
                       "summary": summary, "contactIds": [contact] } })
    };
    let before = app.state.db.coalesce_stats();

    // Round 1: mixed outcomes in one batch (a contact of another account is
    // this call's NOT_FOUND, not the others' failure).
    let (first, rest) = behind_a_lock(
        &app,
        "LOCK TABLE activities IN ACCESS EXCLUSIVE MODE",
        || spawn_request(&app, &t.admin_token, LOG, log(0, &accounts[0].1, "lead")),
        || {
            vec![
                spawn_request(&app, &t.admin_token, LOG, log(1, &accounts[1].1, "one")),
                spawn_request(&app, &t.admin_token, LOG, log(2, &accounts[0].1, "wrong")),
                spawn_request(&app, &t.admin_token, LOG, log(2, &accounts[2].1, "two")),
            ]
        },
        3,
        0,
    )
    .await;
    let mid = app.state.db.coalesce_stats();
    for (r, summary, i) in [
        (&first, "lead", 0),
        (&rest[0], "one", 1),
        (&rest[2], "two", 2),
    ] {
        assert_eq!(r.str("logActivity.activity.summary"), summary, "{}", r.body);
        assert_eq!(
            r.data("logActivity.activity.contacts"),
            &json!([{ "id": accounts[i].1 }])
        );
        // The shared insert counts once for each (then the response's reads).
        assert_eq!(r.statements(), first.statements());
    }
    rest[1].assert_error("NOT_FOUND");
    assert_eq!(rest[1].field(), "input.contactIds");
    assert_eq!(mid.statements - before.statements, 2, "one commit for 3");
    assert_eq!(mid.items - before.items, 4);

    // Round 2: a batch that fails (a duplicate external id) runs each of its
    // calls alone: only the duplicate fails.
    let with_ref = |i: usize, summary: &str, ext: &str| {
        let mut v = log(i, &accounts[i].1, summary);
        v["i"]["externalRef"] = json!({ "source": "crm", "externalId": ext });
        v
    };
    app.graphql(Some(&t.admin_token), LOG, with_ref(0, "existing", "dup"))
        .await
        .data("logActivity");
    let (first, rest) = behind_a_lock(
        &app,
        "LOCK TABLE activities IN ACCESS EXCLUSIVE MODE",
        || spawn_request(&app, &t.admin_token, LOG, with_ref(0, "lead 2", "x0")),
        || {
            vec![
                spawn_request(&app, &t.admin_token, LOG, with_ref(1, "ok 1", "x1")),
                spawn_request(&app, &t.admin_token, LOG, with_ref(2, "dup", "dup")),
                spawn_request(&app, &t.admin_token, LOG, with_ref(2, "ok 2", "x2")),
            ]
        },
        3,
        0,
    )
    .await;
    let end = app.state.db.coalesce_stats();
    first.data("logActivity");
    assert_eq!(rest[0].str("logActivity.activity.summary"), "ok 1");
    assert_eq!(rest[2].str("logActivity.activity.summary"), "ok 2");
    rest[1].assert_error("VALIDATION");
    assert_eq!(rest[1].field(), "input.externalRef.externalId");
    // The first alone, the failed batch, then each of its 3 alone; (the
    // request before the lock ran alone too).
    assert_eq!(end.statements - mid.statements, 6, "{end:?}");

    // Nothing lost, nothing doubled.
    let summaries = |i: usize| {
        let (app, token, id) = (&app, &t.admin_token, accounts[i].0.clone());
        async move {
            let r = app
                .graphql(Some(token), ACTIVITIES, json!({ "id": id }))
                .await;
            let mut s: Vec<String> = r
                .data("account.activities.nodes")
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| n["summary"].as_str().expect("summary").to_owned())
                .collect();
            s.sort();
            s
        }
    };
    assert_eq!(summaries(0).await, ["existing", "lead", "lead 2"]);
    assert_eq!(summaries(1).await, ["ok 1", "one"]);
    assert_eq!(summaries(2).await, ["ok 2", "two"]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn identical_concurrent_reads_share_a_statement() {
    if !is_postgres() {
        return;
    }
    const LIST: &str = "query($n: Int!) { accounts(first: $n) { nodes { name } } }";
    let app = spawn_app().await;
    let alpha = app.tenant("alpha").await;
    let beta = app.tenant("beta").await;
    for i in 0..4 {
        app.account(&alpha.admin_token, &format!("Alpha {i}")).await;
    }
    app.account(&beta.admin_token, "Beta").await;
    for t in [&alpha.admin_token, &beta.admin_token] {
        app.graphql(Some(t), LIST, json!({ "n": 3 })).await;
    }
    let before = app.state.db.coalesce_stats();
    let (first, rest) = behind_a_lock(
        &app,
        "LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE",
        || spawn_request(&app, &alpha.admin_token, LIST, json!({ "n": 3 })),
        || {
            let mut hs: Vec<_> = (0..4)
                .map(|_| spawn_request(&app, &alpha.admin_token, LIST, json!({ "n": 3 })))
                .collect();
            // Not identical: another page size, another tenant.
            hs.push(spawn_request(
                &app,
                &alpha.admin_token,
                LIST,
                json!({ "n": 2 }),
            ));
            hs.push(spawn_request(
                &app,
                &beta.admin_token,
                LIST,
                json!({ "n": 3 }),
            ));
            hs
        },
        4,
        2,
    )
    .await;
    let after = app.state.db.coalesce_stats();
    let names = |r: &Gql| r.data("accounts.nodes").clone();
    let three = json!([{ "name": "Alpha 0" }, { "name": "Alpha 1" }, { "name": "Alpha 2" }]);
    assert_eq!(names(&first), three);
    for r in &rest[..4] {
        assert_eq!(names(r), three);
        assert_eq!(r.statements(), 1);
    }
    assert_eq!(
        names(&rest[4]),
        json!([{ "name": "Alpha 0" }, { "name": "Alpha 1" }])
    );
    assert_eq!(names(&rest[5]), json!([{ "name": "Beta" }]));
    // The first, one for the 4 identical ones queued, and one each for the
    // other page size and the other tenant.
    assert_eq!(after.statements - before.statements, 4, "{after:?}");
    assert_eq!(after.items - before.items, 7);
}

const RECORD: &str = "mutation($i: RecordSignalInput!) { recordSignal(input: $i) { \
    signal { id kind } health { score signalCount evidenceWeight } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_signal_recordings_share_a_statement_and_merge_their_evidence_exactly() {
    if !is_postgres() {
        return;
    }
    let app = spawn_app().await;
    let t = app.tenant("alpha").await;
    let token = &t.admin_token;
    let a = app.account(token, "Alpha").await;
    let b = app.account(token, "Beta").await;
    let c = app.contact(token, &a, "Zoe", "Coach").await;
    let ago = |days: i64| (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339();
    let rec = |account: &str, kind: &str, days: i64, contact: Option<&str>| json!({ "i": { "accountId": account, "kind": kind, "observedAt": ago(days), "contactId": contact } });
    // Evidence before the batch, so that the batch merges into a stored row.
    app.graphql(Some(token), RECORD, rec(&a, "ESCALATION", 20, None))
        .await
        .data("recordSignal");
    let before = app.state.db.coalesce_stats();
    let (first, rest) = behind_a_lock(
        &app,
        "LOCK TABLE account_signals IN ACCESS EXCLUSIVE MODE",
        || spawn_request(&app, token, RECORD, rec(&a, "MEETING_ACCEPTED", 3, None)),
        || {
            vec![
                // Two more on the same account, one backdated past the anchor.
                spawn_request(&app, token, RECORD, rec(&a, "ADVICE_SOUGHT", 0, Some(&c))),
                spawn_request(&app, token, RECORD, rec(&a, "SCOPE_EXPANDED", 120, None)),
                // A contact of another account: this call's error alone.
                spawn_request(&app, token, RECORD, rec(&b, "CALL_RETURNED", 1, Some(&c))),
                // A first signal of another account.
                spawn_request(&app, token, RECORD, rec(&b, "EMAIL_IGNORED", 2, None)),
            ]
        },
        4,
        0,
    )
    .await;
    let after = app.state.db.coalesce_stats();
    first.data("recordSignal.signal.id");
    for r in [&rest[0], &rest[1], &rest[3]] {
        r.data("recordSignal.signal.id");
    }
    rest[2].assert_error("VALIDATION");
    assert_eq!(rest[2].field(), "input.contactId");
    assert_eq!(after.statements - before.statements, 2, "{after:?}");
    assert_eq!(after.items - before.items, 5);
    // The batch's payloads show the account after the whole batch.
    assert_eq!(rest[0].data("recordSignal.health.signalCount"), 4);
    assert_eq!(rest[3].data("recordSignal.health.signalCount"), 1);

    // The merged evidence equals the evidence recomputed from the signals:
    // a new half-life recomputes every account, and back.
    let read = |id: String| {
        let app = &app;
        async move {
            app.graphql(
                Some(token),
                "query($id: ID!) { account(id: $id) { health { score evidenceWeight signalCount } } }",
                json!({ "id": id }),
            )
            .await
            .data("account.health")
            .clone()
        }
    };
    let merged = (read(a.clone()).await, read(b.clone()).await);
    for h in [30, 90] {
        app.graphql(
            Some(token),
            "mutation($h: Int!) { setHealthModel(input: {halfLifeDays: $h}) { healthModel { halfLifeDays } } }",
            json!({ "h": h }),
        )
        .await
        .data("setHealthModel");
    }
    assert_eq!((read(a.clone()).await, read(b.clone()).await), merged);
    assert_eq!(merged.0["signalCount"], 4);
}
