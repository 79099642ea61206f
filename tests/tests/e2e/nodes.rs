//! Every global id resolves through `node(id:)`, in its tenant only, and
//! not once its account is deleted.

use crate::helpers::*;
use serde_json::json;

const NODE: &str = "query($id: ID!) { node(id: $id) { __typename id } }";

#[tokio::test]
async fn plan_children_assessments_and_the_tenant_are_nodes() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let other = app.tenant("globex").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let plan = app.plan(&t.admin_token, &a, "P").await;
    let growth = app
        .graphql(
            Some(&t.admin_token),
            "mutation($p: ID!) { addGrowthTarget(input: {planId: $p, kind: REVENUE, productLine: \"Freight\", periodStart: \"2026-01-01\", periodEnd: \"2026-12-31\", target: {amount: \"1000\", currency: \"EUR\"}}) { growthTarget { id } } }",
            json!({ "p": plan }),
        )
        .await
        .str("addGrowthTarget.growthTarget.id");
    let review = app
        .graphql(
            Some(&t.admin_token),
            "mutation($p: ID!) { addPlanReview(input: {planId: $p, reviewDate: \"2026-03-01\", outcome: ON_TRACK}) { review { id } } }",
            json!({ "p": plan }),
        )
        .await
        .str("addPlanReview.review.id");
    let contingency = app
        .graphql(
            Some(&t.admin_token),
            "mutation($p: ID!) { addContingency(input: {planId: $p, risk: \"Coach leaves\", trigger: \"Announcement\", response: \"Meet the COO\"}) { contingency { id } } }",
            json!({ "p": plan }),
        )
        .await
        .str("addContingency.contingency.id");
    let item = app
        .graphql(
            Some(&t.admin_token),
            "mutation($p: ID!) { createActionItem(input: {planId: $p, title: \"Call\", cadence: ONCE, firstDueDate: \"2026-02-01\"}) { actionItem { id } } }",
            json!({ "p": plan }),
        )
        .await
        .str("createActionItem.actionItem.id");
    let assessment = app
        .graphql(
            Some(&t.admin_token),
            "mutation($i: ID!) { completeOccurrence(input: {actionItemId: $i, dueDate: \"2026-02-01\", happened: true, date: \"2026-02-01\", valueDelivered: 4}) { assessment { id } } }",
            json!({ "i": item }),
        )
        .await
        .str("completeOccurrence.assessment.id");
    let tenant = app
        .graphql(
            Some(&t.admin_token),
            "{ viewer { tenant { id } } }",
            json!({}),
        )
        .await
        .str("viewer.tenant.id");
    let nodes = [
        (&growth, "GrowthTarget"),
        (&review, "PlanReview"),
        (&contingency, "Contingency"),
        (&assessment, "Assessment"),
        (&tenant, "Tenant"),
    ];
    for (id, typename) in nodes {
        let r = app
            .graphql(Some(&t.admin_token), NODE, json!({ "id": id }))
            .await;
        assert_eq!(r.data("node"), &json!({ "__typename": typename, "id": id }));
        // Another tenant's caller: not found, like a missing id.
        app.graphql(Some(&other.admin_token), NODE, json!({ "id": id }))
            .await
            .assert_error("NOT_FOUND");
    }
    // Several in one document: one statement per kind and level.
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($g: ID!, $r: ID!, $c: ID!) { g: node(id: $g) { id } r: node(id: $r) { id } c: node(id: $c) { id } }",
            json!({ "g": growth, "r": review, "c": contingency }),
        )
        .await;
    assert_eq!(r.data("c.id"), &json!(contingency));
    assert!(r.statements() <= 4, "{} statements", r.statements());

    app.delete_account(&t.admin_token, &a).await;
    for (id, _) in &nodes[..4] {
        app.graphql(Some(&t.admin_token), NODE, json!({ "id": id }))
            .await
            .assert_error("NOT_FOUND");
    }
    app.graphql(Some(&t.admin_token), NODE, json!({ "id": tenant }))
        .await
        .data("node.id");
}

#[tokio::test]
async fn an_occurrence_is_a_node_by_its_item_and_day() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let other = app.tenant("globex").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let plan = app.plan(&t.admin_token, &a, "P").await;
    let item = app
        .graphql(
            Some(&t.admin_token),
            "mutation($p: ID!) { createActionItem(input: {planId: $p, title: \"Weekly call\", cadence: WEEKLY, firstDueDate: \"2026-02-02\"}) { actionItem { id } } }",
            json!({ "p": plan }),
        )
        .await
        .str("createActionItem.actionItem.id");
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($i: ID!) { actionItem(id: $i) { occurrences(from: \"2026-02-01\", to: \"2026-02-20\") { id dueDate } } }",
            json!({ "i": item }),
        )
        .await;
    let occurrences = r.data("actionItem.occurrences").as_array().unwrap().clone();
    assert_eq!(occurrences.len(), 3);
    let second = occurrences[1]["id"].as_str().unwrap().to_owned();
    assert_eq!(occurrences[1]["dueDate"], "2026-02-09");
    let q = "query($id: ID!) { node(id: $id) { __typename id ... on Occurrence { dueDate overdue actionItem { id } assessment { id } } } }";
    let r = app
        .graphql(Some(&t.admin_token), q, json!({ "id": second }))
        .await;
    assert_eq!(
        r.data("node"),
        &json!({ "__typename": "Occurrence", "id": second, "dueDate": "2026-02-09",
                 "overdue": true, "actionItem": { "id": item }, "assessment": null })
    );
    // Assessed, the occurrence keeps its id and shows its assessment.
    app.graphql(
        Some(&t.admin_token),
        "mutation($i: ID!) { completeOccurrence(input: {actionItemId: $i, dueDate: \"2026-02-09\", happened: true, date: \"2026-02-09\", valueDelivered: 4}) { assessment { id } } }",
        json!({ "i": item }),
    )
    .await
    .data("completeOccurrence.assessment.id");
    let r = app
        .graphql(Some(&t.admin_token), q, json!({ "id": second }))
        .await;
    assert_eq!(r.data("node.id"), &json!(second));
    assert_eq!(r.data("node.overdue"), &json!(false));
    assert!(r.data("node.assessment.id").is_string());
    // A day the item is not due, another tenant, a deleted account: not found.
    let item_uuid = uuid_of(&item);
    let off_day = b64(&format!("Occurrence:{item_uuid}:2026-02-10"));
    app.graphql(Some(&t.admin_token), NODE, json!({ "id": off_day }))
        .await
        .assert_error("NOT_FOUND");
    app.graphql(Some(&other.admin_token), NODE, json!({ "id": second }))
        .await
        .assert_error("NOT_FOUND");
    // Other spellings of the day are not the same id.
    let loose = b64(&format!("Occurrence:{item_uuid}:2026-2-9"));
    app.graphql(Some(&t.admin_token), NODE, json!({ "id": loose }))
        .await
        .assert_error("VALIDATION");
    app.delete_account(&t.admin_token, &a).await;
    app.graphql(Some(&t.admin_token), NODE, json!({ "id": second }))
        .await
        .assert_error("NOT_FOUND");
}

fn b64(s: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s)
}
