//! Jeopardy alerts: raised when the evidence changes (signals, contacts),
//! on demand and on a schedule for every rule; never twice while one is
//! open for the same account and rule; acknowledged and resolved by the
//! account's writers; listed with filters; thresholds per tenant (admins).

use crate::helpers::*;
use serde_json::{Value, json};

const SIGNAL: &str =
    "mutation($i: RecordSignalInput!) { recordSignal(input: $i) { health { score } } }";
const ALERTS: &str = "query($id: ID!) { account(id: $id) { alerts { id rule status evidence raisedAt \
    acknowledgedAt acknowledgedBy { displayName } acknowledgementNote resolvedAt resolvedBy { displayName } \
    resolutionNote version } } }";
const LIST: &str = "query($f: AlertFilterInput, $first: Int, $after: String) { alerts(filter: $f, first: $first, after: $after) { \
    totalCount pageInfo { hasNextPage endCursor } nodes { rule status account { name } } } }";
const ACK: &str = "mutation($i: AcknowledgeAlertInput!) { acknowledgeAlert(input: $i) { alert { status acknowledgementNote acknowledgedBy { displayName } version } } }";
const RESOLVE: &str = "mutation($i: ResolveAlertInput!) { resolveAlert(input: $i) { alert { status resolutionNote resolvedBy { displayName } version } } }";
const RUN: &str = "mutation { runJeopardyRules { evaluatedAccounts raised } }";

fn ago(days: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339()
}

async fn active_account(app: &TestApp, token: &str, name: &str, tier: &str) -> String {
    app.create_account(
        token,
        json!({ "name": name, "status": "ACTIVE", "tier": tier }),
    )
    .await
    .str("createAccount.account.id")
}

async fn signal(app: &TestApp, token: &str, account: &str, kind: &str, days: i64) {
    app.graphql(
        Some(token),
        SIGNAL,
        json!({ "i": { "accountId": account, "kind": kind, "observedAt": ago(days) } }),
    )
    .await
    .data("recordSignal");
}

async fn alerts_of(app: &TestApp, token: &str, account: &str) -> Vec<Value> {
    app.graphql(Some(token), ALERTS, json!({ "id": account }))
        .await
        .data("account.alerts")
        .as_array()
        .unwrap()
        .clone()
}

fn rules(alerts: &[Value]) -> Vec<(String, String)> {
    let mut r: Vec<(String, String)> = alerts
        .iter()
        .map(|a| {
            (
                a["rule"].as_str().unwrap().to_owned(),
                a["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    r.sort();
    r
}

fn pair(rule: &str, status: &str) -> (String, String) {
    (rule.to_owned(), status.to_owned())
}

/// Makes the account look `days` old (the rules do not judge young
/// accounts' activity).
async fn age(app: &TestApp, account: &str, days: i64) {
    use sea_orm::ConnectionTrait;
    let at = chrono::Utc::now() - chrono::Duration::days(days);
    let db = app.state.db.system().read();
    let backend = db.get_database_backend();
    let sql = if backend == sea_orm::DbBackend::Postgres {
        "UPDATE accounts SET created_at = $1 WHERE id = $2"
    } else {
        "UPDATE accounts SET created_at = ? WHERE id = ?"
    };
    let r = db
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            sql,
            [at.into(), uuid_of(account).into()],
        ))
        .await
        .expect("age the account");
    assert_eq!(r.rows_affected(), 1);
}

#[tokio::test]
async fn signals_raise_health_alerts_at_once_and_never_twice_while_open() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = active_account(&app, admin, "Globex", "KEY").await;
    // A coach, so that only the health rules speak.
    app.create_contact(
        admin,
        json!({ "accountId": a, "firstName": "Cat", "lastName": "Coach", "buyingRole": "COACH" }),
    )
    .await
    .data("createContact");
    signal(&app, admin, &a, "REFERENCE_GIVEN", 40).await;
    assert!(alerts_of(&app, admin, &a).await.is_empty());
    signal(&app, admin, &a, "ESCALATION", 1).await;
    signal(&app, admin, &a, "SCOPE_REDUCED", 1).await;
    let got = alerts_of(&app, admin, &a).await;
    assert_eq!(
        rules(&got),
        vec![pair("HEALTH_DROP", "OPEN"), pair("LOW_HEALTH", "OPEN")],
        "{got:?}"
    );
    let low = got.iter().find(|x| x["rule"] == "LOW_HEALTH").unwrap();
    assert!(
        low["evidence"]
            .as_str()
            .unwrap()
            .starts_with("Health score"),
        "{low}"
    );
    // More bad news: still one alert per rule.
    signal(&app, admin, &a, "MEETING_DECLINED", 0).await;
    let r = app.graphql(Some(admin), RUN, json!({})).await;
    assert_eq!(r.data("runJeopardyRules.raised"), 0);
    assert_eq!(alerts_of(&app, admin, &a).await.len(), 2);

    // Acknowledge (optional note), then resolve (note required).
    let id = low["id"].as_str().unwrap().to_owned();
    let r = app
        .graphql(
            Some(admin),
            ACK,
            json!({ "i": { "id": id, "note": "Calling the COO" } }),
        )
        .await;
    assert_eq!(
        r.data("acknowledgeAlert.alert"),
        &json!({ "status": "ACKNOWLEDGED", "acknowledgementNote": "Calling the COO",
            "acknowledgedBy": { "displayName": "Admin" }, "version": 2 })
    );
    let r = app
        .graphql(Some(admin), ACK, json!({ "i": { "id": id } }))
        .await;
    r.assert_error("CONFLICT");
    let r = app
        .graphql(
            Some(admin),
            RESOLVE,
            json!({ "i": { "id": id, "note": " " } }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.note");
    let r = app
        .graphql(
            Some(admin),
            RESOLVE,
            json!({ "i": { "id": id, "note": "Escalation closed with the COO" } }),
        )
        .await;
    assert_eq!(
        r.data("resolveAlert.alert"),
        &json!({ "status": "RESOLVED", "resolutionNote": "Escalation closed with the COO",
            "resolvedBy": { "displayName": "Admin" }, "version": 3 })
    );
    app.graphql(
        Some(admin),
        RESOLVE,
        json!({ "i": { "id": id, "note": "again" } }),
    )
    .await
    .assert_error("CONFLICT");
    // The rule still holds: the next evaluation raises a new alert.
    let r = app.graphql(Some(admin), RUN, json!({})).await;
    assert_eq!(
        r.data("runJeopardyRules"),
        &json!({ "evaluatedAccounts": 1, "raised": 1 })
    );
    assert_eq!(
        rules(&alerts_of(&app, admin, &a).await),
        vec![
            pair("HEALTH_DROP", "OPEN"),
            pair("LOW_HEALTH", "OPEN"),
            pair("LOW_HEALTH", "RESOLVED")
        ]
    );

    // `account.alerts` on the compiled path equals the resolvers' answer,
    // with and without statuses, with the relations, on a page of accounts.
    active_account(&app, admin, "Quiet", "KEY").await;
    for (q, vars) in [
        (
            "query($id: ID!) { account(id: $id) { alerts { id rule status evidence raisedAt \
             acknowledgedAt acknowledgedBy { displayName } resolvedAt resolvedBy { id displayName } \
             resolutionNote version account { name } } } }",
            json!({ "id": a }),
        ),
        (
            "query($s: [AlertStatus!]) { accounts(first: 10) { nodes { name \
             alerts(statuses: $s) { ...A } } } } fragment A on JeopardyAlert { rule status }",
            json!({ "s": ["RESOLVED"] }),
        ),
        (
            "query($s: [AlertStatus!]) { accounts(first: 10) { nodes { name alerts(statuses: $s) { rule } } } }",
            json!({}),
        ),
    ] {
        let v = crate::compiled::same(&app, admin, q, vars, true).await;
        assert!(v.get("errors").is_none(), "{v}");
    }
    let v = crate::compiled::same(
        &app,
        admin,
        "{ accounts(first: 10) { nodes { name alerts(statuses: [OPEN, ACKNOWLEDGED]) { rule } } } }",
        json!({}),
        true,
    )
    .await;
    assert_eq!(
        v["data"]["accounts"]["nodes"][0]["alerts"],
        json!([{ "rule": "LOW_HEALTH" }, { "rule": "HEALTH_DROP" }])
    );
}

#[tokio::test]
async fn contacts_renewals_and_silence_raise_their_alerts() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = active_account(&app, admin, "Globex", "STRATEGIC").await;
    let coach = app
        .create_contact(
            admin,
            json!({ "accountId": a, "firstName": "Cat", "lastName": "Coach", "buyingRole": "COACH" }),
        )
        .await
        .str("createContact.contact.id");
    let dm = app
        .create_contact(
            admin,
            json!({ "accountId": a, "firstName": "Dan", "lastName": "Decider", "buyingRole": "DECISION_MAKER" }),
        )
        .await
        .str("createContact.contact.id");
    assert!(alerts_of(&app, admin, &a).await.is_empty());
    // The decision maker and the coach leave: raised with the change.
    for c in [&dm, &coach] {
        app.graphql(
            Some(admin),
            "mutation($i: UpdateContactInput!) { updateContact(input: $i) { contact { status } } }",
            json!({ "i": { "id": c, "status": "LEFT_COMPANY" } }),
        )
        .await
        .data("updateContact");
    }
    let got = alerts_of(&app, admin, &a).await;
    assert_eq!(
        rules(&got),
        vec![
            pair("DECISION_MAKER_LEFT", "OPEN"),
            pair("NO_COACH", "OPEN")
        ]
    );
    let coach_alert = got.iter().find(|x| x["rule"] == "NO_COACH").unwrap();
    assert_eq!(
        coach_alert["evidence"],
        "The coach Cat Coach left the company; no other coach."
    );

    // A renewal in 30 days with net-negative signals; silence past the
    // strategic cadence (30 days) on an account old enough to judge.
    app.graphql(
        Some(admin),
        "mutation($i: CreateContractInput!) { createContract(input: $i) { contract { id } } }",
        json!({ "i": { "accountId": a, "name": "Freight 2026", "value": { "amount": "1000", "currency": "EUR" },
            "startDate": (chrono::Utc::now().date_naive() - chrono::Duration::days(300)).to_string(),
            "renewalDate": (chrono::Utc::now().date_naive() + chrono::Duration::days(30)).to_string() } }),
    )
    .await
    .data("createContract");
    signal(&app, admin, &a, "CALL_UNRETURNED", 10).await;
    let got = rules(&alerts_of(&app, admin, &a).await);
    assert!(got.contains(&pair("RENEWAL_AT_RISK", "OPEN")), "{got:?}");
    assert!(
        !got.iter().any(|r| r.0 == "NO_RECENT_ACTIVITY"),
        "too young"
    );
    age(&app, &a, 100).await;
    app.graphql(Some(admin), RUN, json!({}))
        .await
        .data("runJeopardyRules");
    let all = alerts_of(&app, admin, &a).await;
    let silent = all
        .iter()
        .find(|x| x["rule"] == "NO_RECENT_ACTIVITY")
        .unwrap();
    assert_eq!(
        silent["evidence"],
        "No activity logged (the STRATEGIC cadence is 30 days)."
    );
    // A prospect is not judged.
    let p = app
        .create_account(admin, json!({ "name": "Prospect", "status": "PROSPECT" }))
        .await
        .str("createAccount.account.id");
    age(&app, &p, 100).await;
    app.graphql(Some(admin), RUN, json!({}))
        .await
        .data("runJeopardyRules");
    assert!(alerts_of(&app, admin, &p).await.is_empty());
}

#[tokio::test]
async fn alerts_are_listed_with_filters_and_stay_in_their_tenant() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let amy = app.user(&t, "ACCOUNT_MANAGER", "amy").await;
    let mine = active_account(&app, &amy.token, "Amy's", "KEY").await;
    let other = active_account(&app, admin, "Admin's", "KEY").await;
    for a in [&mine, &other] {
        signal(&app, admin, a, "ESCALATION", 0).await;
    }
    app.graphql(Some(admin), RUN, json!({}))
        .await
        .data("runJeopardyRules");
    let list = |f: Value| {
        let app = &app;
        async move {
            // Compiled, and equal to the resolvers' answer.
            crate::compiled::same(app, admin, LIST, json!({ "f": f, "first": 50 }), true).await
                ["data"]["alerts"]
                .clone()
        }
    };
    let all = list(Value::Null).await;
    // Each: LOW_HEALTH and NO_COACH.
    assert_eq!(all["totalCount"], 4, "{all}");
    let amy_id = amy.id.clone();
    let v = list(json!({ "ownerId": amy_id, "rules": ["LOW_HEALTH"] })).await;
    assert_eq!(
        v,
        json!({ "totalCount": 1, "pageInfo": { "hasNextPage": false, "endCursor": v["pageInfo"]["endCursor"] },
            "nodes": [{ "rule": "LOW_HEALTH", "status": "OPEN", "account": { "name": "Amy's" } }] })
    );
    assert_eq!(
        list(json!({ "statuses": ["RESOLVED"] })).await["totalCount"],
        0
    );
    assert_eq!(list(json!({ "accountId": other })).await["totalCount"], 2);
    // Pages.
    let p1 = app
        .graphql(Some(admin), LIST, json!({ "first": 3 }))
        .await
        .data("alerts")
        .clone();
    assert_eq!(p1["pageInfo"]["hasNextPage"], true);
    let p2 = crate::compiled::same(
        &app,
        admin,
        LIST,
        json!({ "first": 3, "after": p1["pageInfo"]["endCursor"] }),
        true,
    )
    .await["data"]["alerts"]
        .clone();
    assert_eq!(p2["nodes"].as_array().unwrap().len(), 1);

    // Readers read; the account's writers act; admins run the rules.
    let viewer = app.user(&t, "VIEWER", "vic").await;
    let v = app
        .graphql(Some(&viewer.token), LIST, json!({ "first": 1 }))
        .await;
    assert_eq!(v.data("alerts.totalCount"), 4);
    let id = alerts_of(&app, admin, &other).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.graphql(Some(&viewer.token), ACK, json!({ "i": { "id": id } }))
        .await
        .assert_error("FORBIDDEN");
    app.graphql(Some(&amy.token), ACK, json!({ "i": { "id": id } }))
        .await
        .assert_error("FORBIDDEN");
    for u in [&viewer, &amy] {
        app.graphql(Some(&u.token), RUN, json!({}))
            .await
            .assert_error("FORBIDDEN");
    }
    let b = app.tenant("initech").await;
    let r = app
        .graphql(Some(&b.admin_token), ACK, json!({ "i": { "id": id } }))
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.id");
    let v = app
        .graphql(Some(&b.admin_token), LIST, json!({ "first": 5 }))
        .await;
    assert_eq!(v.data("alerts.totalCount"), 0);
    assert_eq!(
        app.graphql(Some(&b.admin_token), RUN, json!({}))
            .await
            .data("runJeopardyRules"),
        &json!({ "evaluatedAccounts": 0, "raised": 0 })
    );
    // A deleted account's alerts leave the list.
    app.delete_account(admin, &other).await;
    assert_eq!(list(Value::Null).await["totalCount"], 2);
}

#[tokio::test]
async fn thresholds_are_set_by_admins_and_apply() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    const SET: &str = "mutation($i: SetAlertSettingsInput!) { setAlertSettings(input: $i) { alertSettings { \
        healthBelow dropPoints renewalWindowDays renewalSignalDays cadences { tier days } isDefault version } } }";
    let v = app
        .graphql(
            Some(admin),
            "{ viewer { tenant { alertSettings { healthBelow dropPoints renewalWindowDays renewalSignalDays cadences { tier days } isDefault version } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        v.data("viewer.tenant.alertSettings"),
        &json!({ "healthBelow": 40, "dropPoints": 15, "renewalWindowDays": 90, "renewalSignalDays": 60,
            "cadences": [{ "tier": "STRATEGIC", "days": 30 }, { "tier": "KEY", "days": 45 },
                { "tier": "GROWTH", "days": 60 }, { "tier": "MAINTAIN", "days": 90 }],
            "isDefault": true, "version": 0 })
    );
    for role in ["SALES_MANAGER", "ACCOUNT_MANAGER", "VIEWER"] {
        let u = app.user(&t, role, &role.to_lowercase()).await;
        app.graphql(Some(&u.token), SET, json!({ "i": { "healthBelow": 20 } }))
            .await
            .assert_error("FORBIDDEN");
    }
    for (input, field) in [
        (json!({ "healthBelow": 0 }), "input.healthBelow"),
        (
            json!({ "renewalSignalDays": 91 }),
            "input.renewalSignalDays",
        ),
        (
            json!({ "cadences": [{ "tier": "KEY", "days": 0 }] }),
            "input.cadences.0.days",
        ),
        (
            json!({ "cadences": [{ "tier": "KEY", "days": 5 }, { "tier": "KEY", "days": 6 }] }),
            "input.cadences.1.tier",
        ),
    ] {
        let r = app.graphql(Some(admin), SET, json!({ "i": input })).await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field);
    }
    let a = active_account(&app, admin, "Globex", "KEY").await;
    app.create_contact(
        admin,
        json!({ "accountId": a, "firstName": "Cat", "lastName": "Coach", "buyingRole": "COACH" }),
    )
    .await
    .data("createContact");
    // One escalation: 25, low under the default threshold, not under 20.
    let r = app
        .graphql(
            Some(admin),
            SET,
            json!({ "i": { "healthBelow": 20, "cadences": [{ "tier": "KEY", "days": 7 }] } }),
        )
        .await;
    assert_eq!(r.data("setAlertSettings.alertSettings.version"), 1);
    assert_eq!(
        r.data("setAlertSettings.alertSettings.cadences.1"),
        &json!({ "tier": "KEY", "days": 7 })
    );
    signal(&app, admin, &a, "ESCALATION", 0).await;
    assert!(alerts_of(&app, admin, &a).await.is_empty());
    // Another tenant keeps the defaults.
    let b = app.tenant("initech").await;
    let v = app
        .graphql(
            Some(&b.admin_token),
            "{ viewer { tenant { alertSettings { healthBelow isDefault } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        v.data("viewer.tenant.alertSettings"),
        &json!({ "healthBelow": 40, "isDefault": true })
    );
    app.graphql(Some(admin), SET, json!({ "i": { "healthBelow": 30 } }))
        .await
        .data("setAlertSettings");
    app.graphql(Some(admin), RUN, json!({}))
        .await
        .data("runJeopardyRules");
    assert_eq!(
        rules(&alerts_of(&app, admin, &a).await),
        vec![pair("LOW_HEALTH", "OPEN")]
    );
}

#[tokio::test]
async fn concurrent_evaluations_and_the_schedule_raise_each_alert_once() {
    let app = spawn_app_with(|c| c.alert_interval_secs = 1).await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let mut accounts = Vec::new();
    for n in 0..5 {
        let a = active_account(&app, admin, &format!("Account {n}"), "GROWTH").await;
        age(&app, &a, 100).await;
        accounts.push(a);
    }
    // Eight evaluations at once (and the schedule, every second): each
    // alert exists once.
    let runs: Vec<_> = (0..8)
        .map(|_| app.graphql(Some(admin), RUN, json!({})))
        .collect();
    let raised: i64 = futures::future::join_all(runs)
        .await
        .iter()
        .map(|r| r.data("runJeopardyRules.raised").as_i64().unwrap())
        .sum();
    assert!(raised <= 10, "{raised}");
    for a in &accounts {
        assert_eq!(
            rules(&alerts_of(&app, admin, a).await),
            vec![pair("NO_COACH", "OPEN"), pair("NO_RECENT_ACTIVITY", "OPEN")]
        );
    }
    // The schedule alone raises what changed meanwhile.
    let late = active_account(&app, admin, "Late", "GROWTH").await;
    age(&app, &late, 100).await;
    let mut found = Vec::new();
    for _ in 0..50 {
        found = rules(&alerts_of(&app, admin, &late).await);
        if found.len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        found,
        vec![pair("NO_COACH", "OPEN"), pair("NO_RECENT_ACTIVITY", "OPEN")]
    );
}
