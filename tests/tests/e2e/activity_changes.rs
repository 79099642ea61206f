//! Activities, completed: participants of ours, the kind
//! `EXECUTIVE_BRIEFING`, the action-item occurrence an activity fulfils
//! (which then counts as done), `updateActivity`, `deleteActivity`
//! (tombstone), filters by kind, period and contact, and
//! `contact.activities`. Validated, written by the account's writers,
//! tenant-scoped.

use crate::compiled::same;
use crate::helpers::*;
use serde_json::{Value, json};

const LOG: &str = "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id kind \
    hoursSpent summary participants { displayName } actionItemId dueDate actionItem { title } \
    contacts { fullName } version } } }";
const UPDATE: &str = "mutation($i: UpdateActivityInput!) { updateActivity(input: $i) { activity { \
    id kind hoursSpent summary occurredAt participants { displayName } contacts { fullName } version } } }";
const DELETE: &str =
    "mutation($i: ActivityIdInput!) { deleteActivity(input: $i) { activity { id version } } }";
const LIST: &str = "query($id: ID!, $f: ActivityFilterInput) { account(id: $id) { \
    activities(filter: $f, first: 50) { totalCount nodes { summary kind } } } }";

fn at(days_ago: i64) -> String {
    (chrono::Utc::now() - chrono::Duration::days(days_ago)).to_rfc3339()
}

fn day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

async fn item(app: &TestApp, token: &str, account: &str, title: &str) -> String {
    let plan = app.plan(token, account, "Growth plan").await;
    app.graphql(
        Some(token),
        "mutation($i: CreateActionItemInput!) { createActionItem(input: $i) { actionItem { id } } }",
        json!({ "i": { "planId": plan, "title": title, "cadence": "WEEKLY", "firstDueDate": day(-14) } }),
    )
    .await
    .str("createActionItem.actionItem.id")
}

async fn summaries(app: &TestApp, token: &str, account: &str, f: Value) -> (i64, Vec<String>) {
    let v = same(app, token, LIST, json!({ "id": account, "f": f }), true).await;
    let a = &v["data"]["account"]["activities"];
    (
        a["totalCount"].as_i64().unwrap(),
        a["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["summary"].as_str().unwrap().to_owned())
            .collect(),
    )
}

#[tokio::test]
async fn an_activity_names_participants_and_fulfils_an_occurrence_which_counts_as_done() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let sam = app.user(&t, "SALES_MANAGER", "sam").await;
    let a = app.account(admin, "Globex").await;
    let other = app.account(admin, "Initech").await;
    let c = app.contact(admin, &a, "Dana", "Decider").await;
    let weekly = item(&app, admin, &a, "Weekly call").await;
    let foreign_item = item(&app, admin, &other, "Their call").await;

    let r = app
        .graphql(
            Some(admin),
            LOG,
            json!({ "i": { "accountId": a, "kind": "EXECUTIVE_BRIEFING", "occurredAt": at(7),
                "hoursSpent": "2.5", "summary": "Briefed the board on the roadmap", "contactIds": [c],
                "participantIds": [sam.id, t.admin_id, sam.id], "actionItemId": weekly, "dueDate": day(-7) } }),
        )
        .await;
    let act = r.data("logActivity.activity");
    assert_eq!(act["kind"], "EXECUTIVE_BRIEFING");
    assert_eq!(
        act["participants"],
        json!([{ "displayName": "Admin" }, { "displayName": "sam" }])
            .as_array()
            .map(|v| {
                let mut v = v.clone();
                v.sort_by_key(|u| u["displayName"].as_str().unwrap().to_owned());
                Value::Array(v)
            })
            .unwrap()
    );
    assert_eq!(act["actionItemId"], weekly.as_str());
    assert_eq!(act["dueDate"], day(-7));
    assert_eq!(act["actionItem"]["title"], "Weekly call");
    assert_eq!(act["contacts"], json!([{ "fullName": "Dana Decider" }]));

    // The occurrence counts as done: assessed as having happened, not overdue.
    let v = app
        .graphql(
            Some(admin),
            "query($id: ID!, $from: NaiveDate!, $to: NaiveDate!) { actionItem(id: $id) { occurrences(from: $from, to: $to) { dueDate overdue assessment { happened learned } } } }",
            json!({ "id": weekly, "from": day(-14), "to": day(-7) }),
        )
        .await;
    let occ = v.data("actionItem.occurrences").as_array().unwrap().clone();
    assert_eq!(occ[0]["overdue"], true, "{occ:?}");
    assert_eq!(occ[1]["dueDate"], day(-7));
    assert_eq!(occ[1]["overdue"], false);
    assert_eq!(
        occ[1]["assessment"],
        json!({ "happened": true, "learned": "Briefed the board on the roadmap" })
    );

    // Bad input: nothing logged.
    let before = summaries(&app, admin, &a, Value::Null).await;
    let base = json!({ "accountId": a, "kind": "CALL", "occurredAt": at(1), "summary": "x" });
    let with = |extra: Value| {
        let mut i = base.clone();
        i.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        json!({ "i": i })
    };
    for (extra, code, field) in [
        (
            json!({ "actionItemId": weekly, "dueDate": day(-7) }),
            "CONFLICT",
            "input.dueDate",
        ),
        (
            json!({ "actionItemId": weekly, "dueDate": day(-6) }),
            "VALIDATION",
            "input.dueDate",
        ),
        (
            json!({ "actionItemId": weekly }),
            "VALIDATION",
            "input.dueDate",
        ),
        (
            json!({ "dueDate": day(-14) }),
            "VALIDATION",
            "input.actionItemId",
        ),
        (
            json!({ "actionItemId": foreign_item, "dueDate": day(-14) }),
            "VALIDATION",
            "input.actionItemId",
        ),
        (
            json!({ "actionItemId": missing_id("ActionItem"), "dueDate": day(-14) }),
            "NOT_FOUND",
            "input.actionItemId",
        ),
        (
            json!({ "participantIds": [missing_id("User")] }),
            "NOT_FOUND",
            "input.participantIds",
        ),
        (
            json!({ "participantIds": [sam.id], "contactIds": [missing_id("Contact")] }),
            "NOT_FOUND",
            "input.contactIds",
        ),
    ] {
        let r = app.graphql(Some(admin), LOG, with(extra.clone())).await;
        r.assert_error(code);
        assert_eq!(r.field(), field, "{extra}");
    }
    assert_eq!(summaries(&app, admin, &a, Value::Null).await, before);

    // Another tenant's user is not a participant; a viewer does not log.
    let b = app.tenant("initech").await;
    let r = app
        .graphql(
            Some(admin),
            LOG,
            with(json!({ "participantIds": [b.admin_id] })),
        )
        .await;
    r.assert_error("NOT_FOUND");
    let viewer = app.user(&t, "VIEWER", "vic").await;
    app.graphql(
        Some(&viewer.token),
        LOG,
        with(json!({ "participantIds": [sam.id] })),
    )
    .await
    .assert_error("FORBIDDEN");

    // Participants and the action item on the compiled path, equal to the
    // resolvers' answer (a page of accounts with their activities, and an
    // account's activities through a fragment).
    for (q, vars) in [
        (
            "{ accounts(first: 5) { nodes { name activities(first: 5) { nodes { summary \
             participants { id displayName } actionItemId dueDate actionItem { id title } } } } } }",
            json!({}),
        ),
        (
            "query($id: ID!) { account(id: $id) { activities { nodes { ...A } } } } \
             fragment A on Activity { kind participants { displayName } actionItem { title } }",
            json!({ "id": a }),
        ),
    ] {
        let v = crate::compiled::same(&app, admin, q, vars, true).await;
        assert!(v.get("errors").is_none(), "{v}");
    }
}

#[tokio::test]
async fn activities_are_changed_deleted_and_listed_with_filters() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let sam = app.user(&t, "SALES_MANAGER", "sam").await;
    let a = app.account(admin, "Globex").await;
    let dana = app.contact(admin, &a, "Dana", "Decider").await;
    let ed = app.contact(admin, &a, "Ed", "Engineer").await;
    let log = |kind: &'static str, days: i64, summary: &'static str, contacts: Vec<String>| {
        let app = &app;
        let a = a.clone();
        async move {
            app.graphql(
                Some(admin),
                LOG,
                json!({ "i": { "accountId": a, "kind": kind, "occurredAt": at(days), "summary": summary, "contactIds": contacts } }),
            )
            .await
            .str("logActivity.activity.id")
        }
    };
    let call = log("CALL", 40, "Old call", vec![dana.clone()]).await;
    log(
        "MEETING",
        20,
        "Steering meeting",
        vec![dana.clone(), ed.clone()],
    )
    .await;
    log("EMAIL", 5, "Proposal sent", vec![ed.clone()]).await;
    log("QBR", 2, "Q3 review", vec![]).await;

    assert_eq!(summaries(&app, admin, &a, Value::Null).await.0, 4);
    assert_eq!(
        summaries(&app, admin, &a, json!({ "kinds": ["CALL", "EMAIL"] })).await,
        (2, vec!["Proposal sent".to_owned(), "Old call".into()])
    );
    assert_eq!(
        summaries(
            &app,
            admin,
            &a,
            json!({ "occurredFrom": at(30), "occurredBefore": at(3) })
        )
        .await,
        (
            2,
            vec!["Proposal sent".to_owned(), "Steering meeting".into()]
        )
    );
    assert_eq!(
        summaries(&app, admin, &a, json!({ "contactId": dana })).await,
        (2, vec!["Steering meeting".to_owned(), "Old call".into()])
    );
    let r = app
        .graphql(
            Some(admin),
            LIST,
            json!({ "id": a, "f": { "occurredFrom": at(1), "occurredBefore": at(2) } }),
        )
        .await;
    r.assert_error("VALIDATION");

    // A contact's own activities, for a page of contacts.
    let v = same(
        &app,
        admin,
        "query($id: ID!) { account(id: $id) { contacts(first: 10) { nodes { fullName \
            activities(first: 1) { totalCount pageInfo { hasNextPage } nodes { summary } } } } } }",
        json!({ "id": a }),
        true,
    )
    .await;
    assert_eq!(
        v["data"]["account"]["contacts"]["nodes"],
        json!([
            { "fullName": "Dana Decider", "activities": { "totalCount": 2, "pageInfo": { "hasNextPage": true }, "nodes": [{ "summary": "Steering meeting" }] } },
            { "fullName": "Ed Engineer", "activities": { "totalCount": 2, "pageInfo": { "hasNextPage": true }, "nodes": [{ "summary": "Proposal sent" }] } },
        ])
    );

    // Changes: field by field; lists replace; bad values change nothing.
    let r = app
        .graphql(
            Some(admin),
            UPDATE,
            json!({ "i": { "id": call, "kind": "EXECUTIVE_BRIEFING", "hoursSpent": "1.75",
                "summary": "Briefing, not a call", "contactIds": [ed], "participantIds": [sam.id] } }),
        )
        .await;
    let u = r.data("updateActivity.activity");
    assert_eq!(
        (&u["kind"], &u["hoursSpent"], &u["summary"], &u["version"]),
        (
            &json!("EXECUTIVE_BRIEFING"),
            &json!("1.75"),
            &json!("Briefing, not a call"),
            &json!(2)
        )
    );
    assert_eq!(u["contacts"], json!([{ "fullName": "Ed Engineer" }]));
    assert_eq!(u["participants"], json!([{ "displayName": "sam" }]));
    for (input, code, field) in [
        (
            json!({ "id": call, "hoursSpent": "25" }),
            "VALIDATION",
            "input.hoursSpent",
        ),
        (
            json!({ "id": call, "summary": null }),
            "VALIDATION",
            "input.summary",
        ),
        (
            json!({ "id": call, "occurredAt": at(-3) }),
            "VALIDATION",
            "input.occurredAt",
        ),
        (
            json!({ "id": call, "contactIds": [missing_id("Contact")] }),
            "NOT_FOUND",
            "input.contactIds",
        ),
        (
            json!({ "id": call, "participantIds": [missing_id("User")] }),
            "NOT_FOUND",
            "input.participantIds",
        ),
        (
            json!({ "id": missing_id("Activity"), "summary": "x" }),
            "NOT_FOUND",
            "input.id",
        ),
    ] {
        let r = app
            .graphql(Some(admin), UPDATE, json!({ "i": input.clone() }))
            .await;
        r.assert_error(code);
        assert_eq!(r.field(), field, "{input}");
    }
    let r = app
        .graphql(
            Some(admin),
            UPDATE,
            json!({ "i": { "id": call, "hoursSpent": null } }),
        )
        .await;
    let u = r.data("updateActivity.activity");
    assert_eq!((&u["hoursSpent"], &u["version"]), (&json!("0"), &json!(3)));
    assert_eq!(
        u["contacts"],
        json!([{ "fullName": "Ed Engineer" }]),
        "unchanged"
    );
    assert_eq!(
        summaries(&app, admin, &a, json!({ "contactId": dana })).await,
        (1, vec!["Steering meeting".to_owned()])
    );

    // Permissions and tenancy.
    let viewer = app.user(&t, "VIEWER", "vic").await;
    app.graphql(
        Some(&viewer.token),
        UPDATE,
        json!({ "i": { "id": call, "summary": "x" } }),
    )
    .await
    .assert_error("FORBIDDEN");
    app.graphql(Some(&viewer.token), DELETE, json!({ "i": { "id": call } }))
        .await
        .assert_error("FORBIDDEN");
    let b = app.tenant("initech").await;
    let r = app
        .graphql(Some(&b.admin_token), DELETE, json!({ "i": { "id": call } }))
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.id");

    // Deleted: a tombstone, out of every list.
    let r = app
        .graphql(Some(admin), DELETE, json!({ "i": { "id": call } }))
        .await;
    assert_eq!(r.data("deleteActivity.activity.version"), 4);
    assert_eq!(summaries(&app, admin, &a, Value::Null).await.0, 3);
    assert_eq!(
        summaries(&app, admin, &a, json!({ "kinds": ["EXECUTIVE_BRIEFING"] }))
            .await
            .0,
        0
    );
    app.graphql(Some(admin), DELETE, json!({ "i": { "id": call } }))
        .await
        .assert_error("NOT_FOUND");
    app.graphql(
        Some(admin),
        "query($id: ID!) { node(id: $id) { id } }",
        json!({ "id": call }),
    )
    .await
    .assert_error("NOT_FOUND");
}
