//! Activities: logging, listing newest first, contacts involved, rules.

use crate::helpers::*;
use serde_json::json;

const LOG: &str = "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id kind occurredAt hoursSpent summary contacts { fullName } loggedBy { displayName } account { name } version } } }";

const LIST: &str = "query($id: ID!, $first: Int, $after: String) { account(id: $id) { activities(first: $first, after: $after) { pageInfo { hasNextPage endCursor } edges { node { summary occurredAt } } } } }";

fn at(days_ago: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days_ago)).to_rfc3339()
}

#[tokio::test]
async fn an_activity_is_logged_with_its_contacts_and_listed_newest_first() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let c1 = app.contact(&t.admin_token, &a, "Zoe", "Young").await;
    let c2 = app.contact(&t.admin_token, &a, "Adam", "Able").await;
    let r = app
        .graphql(
            Some(&t.admin_token),
            LOG,
            json!({ "i": { "accountId": a, "kind": "QBR", "occurredAt": at(2), "hoursSpent": "1.25", "summary": "Q3 business review", "contactIds": [c1, c2, c1] } }),
        )
        .await;
    let act = r.data("logActivity.activity");
    assert_eq!(act["kind"], "QBR");
    assert_eq!(act["hoursSpent"], "1.25");
    assert_eq!(
        act["contacts"],
        json!([{ "fullName": "Adam Able" }, { "fullName": "Zoe Young" }])
    );
    assert_eq!(act["loggedBy"]["displayName"], "Admin");
    assert_eq!(act["account"]["name"], "Acme");
    let id = act["id"].clone();
    let node = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { node(id: $id) { ... on Activity { summary } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(node.data("node.summary"), &json!("Q3 business review"));

    for (days, s) in [(5, "older"), (1, "newest"), (3, "middle")] {
        app.graphql(
            Some(&t.admin_token),
            LOG,
            json!({ "i": { "accountId": a, "kind": "CALL", "occurredAt": at(days), "summary": s } }),
        )
        .await
        .data("logActivity");
    }
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let r = app
            .graphql(
                Some(&t.admin_token),
                LIST,
                json!({ "id": a, "first": 3, "after": after }),
            )
            .await;
        for e in r.data("account.activities.edges").as_array().unwrap() {
            seen.push(e["node"]["summary"].as_str().unwrap().to_owned());
        }
        if r.data("account.activities.pageInfo.hasNextPage") != &json!(true) {
            break;
        }
        after = Some(r.str("account.activities.pageInfo.endCursor"));
    }
    assert_eq!(seen, ["newest", "Q3 business review", "middle", "older"]);
}

#[tokio::test]
async fn contacts_must_belong_to_the_account_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let b = app.account(&t.admin_token, "Beta").await;
    let other = app.contact(&t.admin_token, &b, "Other", "Person").await;
    let r = app
        .graphql(
            Some(&t.admin_token),
            LOG,
            json!({ "i": { "accountId": a, "kind": "CALL", "occurredAt": at(1), "summary": "x", "contactIds": [other] } }),
        )
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.contactIds");
    for (input, field) in [
        (json!({ "hoursSpent": "25" }), "input.hoursSpent"),
        (json!({ "hoursSpent": "-1" }), "input.hoursSpent"),
        (json!({ "summary": "  " }), "input.summary"),
        (
            json!({ "occurredAt": (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339() }),
            "input.occurredAt",
        ),
    ] {
        let mut i = json!({ "accountId": a, "kind": "CALL", "occurredAt": at(1), "summary": "ok" });
        for (k, v) in input.as_object().unwrap() {
            i[k] = v.clone();
        }
        let r = app
            .graphql(Some(&t.admin_token), LOG, json!({ "i": i }))
            .await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field);
    }
    let r = app
        .graphql(Some(&t.admin_token), LIST, json!({ "id": a, "first": 10 }))
        .await;
    assert_eq!(
        r.data("account.activities.edges"),
        &json!([]),
        "nothing was logged"
    );
}

#[tokio::test]
async fn only_writers_of_the_account_log_activities_and_tenants_stay_apart() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let viewer = app.user(&t, "VIEWER", "vic").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let mine = app.account(&am.token, "Mine").await;
    let input = |acc: &str| json!({ "i": { "accountId": acc, "kind": "CALL", "occurredAt": at(1), "summary": "call" } });
    app.graphql(Some(&viewer.token), LOG, input(&a))
        .await
        .assert_error("FORBIDDEN");
    app.graphql(Some(&am.token), LOG, input(&a))
        .await
        .assert_error("FORBIDDEN");
    app.graphql(Some(&am.token), LOG, input(&mine))
        .await
        .data("logActivity");

    let other = app.tenant("other").await;
    let r = app.graphql(Some(&other.admin_token), LOG, input(&a)).await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.accountId");
    let c = app.contact(&t.admin_token, &a, "Ann", "Acme").await;
    let theirs = app.account(&other.admin_token, "Theirs").await;
    let r = app
        .graphql(
            Some(&other.admin_token),
            LOG,
            json!({ "i": { "accountId": theirs, "kind": "CALL", "occurredAt": at(1), "summary": "x", "contactIds": [c] } }),
        )
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.contactIds");
    let r = app
        .graphql(Some(&t.admin_token), LIST, json!({ "id": a, "first": 10 }))
        .await;
    assert_eq!(r.data("account.activities.edges"), &json!([]));
}
