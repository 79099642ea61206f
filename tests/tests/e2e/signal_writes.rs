//! Recording a signal: on Postgres one statement (checks, the signal and
//! the account's evidence moved and added to in SQL), its payload's health
//! computed from what it wrote; on both databases the evidence stays exact
//! (equal to the README's formula over the live signals) under concurrent
//! recordings and a removal.

use crate::helpers::*;
use serde_json::{Value, json};
use std::collections::HashMap;

const RECORD: &str = "mutation($i: RecordSignalInput!) { recordSignal(input: $i) { \
    signal { id kind } health { score band signalCount } } }";
const RECORD_TREND: &str = "mutation($i: RecordSignalInput!) { recordSignal(input: $i) { \
    signal { id } health { ...H } } } fragment H on AccountHealth { score trend change30Days }";
const HEALTH: &str = "query($id: ID!) { account(id: $id) { health { score band trend \
    change30Days evidenceWeight signalCount } signals(first: 100) { totalCount \
    nodes { kind observedAt } } } }";
const REMOVE: &str = "mutation($i: RemoveSignalInput!) { removeSignal(input: $i) { \
    health { signalCount } } }";

fn ago(days: f64) -> String {
    (chrono::Utc::now() - chrono::Duration::milliseconds((days * 86_400_000.0) as i64)).to_rfc3339()
}

/// The README's formula over the signals listed (default weights and
/// half-life 90 days): (score, evidence weight).
async fn expected(app: &TestApp, token: &str, signals: &Value) -> (i64, f64) {
    let kinds = app
        .graphql(
            Some(token),
            "{ signalKinds { kind weight polarity } }",
            json!({}),
        )
        .await;
    let info: HashMap<String, (f64, bool)> = kinds
        .data("signalKinds")
        .as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["kind"].as_str().unwrap().to_owned(),
                (k["weight"].as_f64().unwrap(), k["polarity"] == "POSITIVE"),
            )
        })
        .collect();
    let now = chrono::Utc::now();
    let (mut p, mut n) = (0.0, 0.0);
    for s in signals.as_array().unwrap() {
        let (w, good) = info[s["kind"].as_str().unwrap()];
        let at = chrono::DateTime::parse_from_rfc3339(s["observedAt"].as_str().unwrap()).unwrap();
        let age = (now - at.with_timezone(&chrono::Utc)).num_milliseconds() as f64 / 86_400_000.0;
        let v = w * (-age / 90.0).exp2();
        if good {
            p += v;
        } else {
            n += v;
        }
    }
    ((100.0 * (p + 2.0) / (p + n + 4.0)).round() as i64, p + n)
}

#[tokio::test]
async fn recording_costs_one_statement_on_postgres_and_the_payload_reads_nothing_more() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let c = app.contact(admin, &a, "Ada", "Lovelace").await;
    let input = |kind: &str, days: f64| json!({ "i": { "accountId": a, "contactId": c, "kind": kind, "observedAt": ago(days) } });
    let first = app
        .graphql(Some(admin), RECORD, input("ADVICE_SOUGHT", 40.0))
        .await;
    assert_eq!(first.data("recordSignal.health.signalCount"), 1);
    let r = app
        .graphql(Some(admin), RECORD, input("MEETING_ACCEPTED", 1.0))
        .await;
    assert_eq!(r.data("recordSignal.signal.kind"), "MEETING_ACCEPTED");
    assert_eq!(r.data("recordSignal.health.signalCount"), 2);
    let score = r.data("recordSignal.health.score").as_i64().unwrap();
    let read = app.graphql(Some(admin), HEALTH, json!({ "id": a })).await;
    assert_eq!(read.data("account.health.score"), score);
    assert_eq!(
        read.data("account.health.band"),
        r.data("recordSignal.health.band")
    );
    if is_postgres() {
        assert_eq!(r.statements(), 1, "one statement records and scores");
    } else {
        assert!(r.statements() <= 8, "{}", r.statements());
    }

    // The 30-day change needs the signals of the last 90 days: one read
    // more, and the same answer as a read of the account.
    let t2 = app
        .graphql(Some(admin), RECORD_TREND, input("REFERENCE_GIVEN", 0.0))
        .await;
    let read = app.graphql(Some(admin), HEALTH, json!({ "id": a })).await;
    for f in ["score", "trend", "change30Days"] {
        assert_eq!(
            t2.data(&format!("recordSignal.health.{f}")),
            read.data(&format!("account.health.{f}")),
            "{f}"
        );
    }
    assert!(t2.data("recordSignal.health.change30Days").is_i64());
    if is_postgres() {
        assert_eq!(t2.statements(), 2);
    }

    // A member of the team who writes: the place read, then the statement
    // that re-checks it.
    let am = app.user(&t, "ACCOUNT_MANAGER", "amy").await;
    app.graphql(
        Some(admin),
        "mutation($i: AddAccountTeamMemberInput!) { addAccountTeamMember(input: $i) { member { role } } }",
        json!({ "i": { "accountId": a, "userId": am.id, "role": "ACCOUNT_MANAGER" } }),
    )
    .await
    .data("addAccountTeamMember.member.role");
    let r = app
        .graphql(Some(&am.token), RECORD, input("CALL_RETURNED", 2.0))
        .await;
    assert_eq!(r.data("recordSignal.health.signalCount"), 4);
    if is_postgres() {
        assert_eq!(r.statements(), 2);
    }
    // Off the team again: refused, nothing recorded.
    app.graphql(
        Some(admin),
        "mutation($i: RemoveAccountTeamMemberInput!) { removeAccountTeamMember(input: $i) { removedUserId } }",
        json!({ "i": { "accountId": a, "userId": am.id } }),
    )
    .await
    .data("removeAccountTeamMember.removedUserId");
    app.graphql(Some(&am.token), RECORD, input("CALL_RETURNED", 2.0))
        .await
        .assert_error("FORBIDDEN");
    let read = app.graphql(Some(admin), HEALTH, json!({ "id": a })).await;
    assert_eq!(read.data("account.health.signalCount"), 4);
    let (score, weight) = expected(&app, admin, read.data("account.signals.nodes")).await;
    assert_eq!(read.data("account.health.score"), score);
    let got = read.data("account.health.evidenceWeight").as_f64().unwrap();
    assert!((got - weight).abs() < 0.011, "{got} vs {weight}");
}

#[tokio::test]
async fn concurrent_recordings_and_a_removal_keep_the_evidence_exact() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let other = app.account(admin, "Initech").await;
    let mut ids = Vec::new();
    for (kind, days) in [
        ("ADVICE_SOUGHT", 10.0),
        ("ESCALATION", 3.0),
        ("SCOPE_EXPANDED", 200.0),
    ] {
        let r = app
            .graphql(
                Some(admin),
                RECORD,
                json!({ "i": { "accountId": a, "kind": kind, "observedAt": ago(days) } }),
            )
            .await;
        ids.push(r.str("recordSignal.signal.id"));
    }
    let kinds = [
        "MEETING_ACCEPTED",
        "CALL_UNRETURNED",
        "INSIDE_INFORMATION_SHARED",
        "SCOPE_REDUCED",
    ];
    let records: Vec<_> = (0..20)
        .map(|i| {
            // Ten on the account, in and out of order in time; the others
            // on a second account.
            let account = if i % 2 == 0 { &a } else { &other };
            let vars = json!({ "i": {
                "accountId": account,
                "kind": kinds[i % 4],
                "observedAt": ago(f64::from((i * 7 % 19) as u8) * 3.5),
            } });
            app.graphql(Some(admin), RECORD, vars)
        })
        .collect();
    let removal = app.graphql(
        Some(admin),
        REMOVE,
        json!({ "i": { "id": ids[1], "reason": "Recorded on the wrong account" } }),
    );
    let (records, removal) = tokio::join!(futures::future::join_all(records), removal);
    for r in &records {
        r.data("recordSignal.signal.id");
    }
    removal.data("removeSignal.health.signalCount");
    for (account, live) in [(&a, 12), (&other, 10)] {
        let read = app
            .graphql(Some(admin), HEALTH, json!({ "id": account }))
            .await;
        assert_eq!(read.data("account.health.signalCount"), live);
        assert_eq!(read.data("account.signals.totalCount"), live);
        let (score, weight) = expected(&app, admin, read.data("account.signals.nodes")).await;
        assert_eq!(read.data("account.health.score"), score, "{}", read.body);
        let got = read.data("account.health.evidenceWeight").as_f64().unwrap();
        assert!((got - weight).abs() < 0.011, "{got} vs {weight}");
    }
}
