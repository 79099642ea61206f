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
