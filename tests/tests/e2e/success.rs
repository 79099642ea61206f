//! The customer's success criteria (an objective may serve one of its
//! plan's account) and the value chain (our products tied to business
//! outcomes): validated, linked within the account, unlinked on removal,
//! the same on both read paths, tenant-scoped.

use crate::compiled::{both_paths, same};
use crate::helpers::*;
use serde_json::{Value, json};

const ADD: &str = "mutation($i: AddSuccessCriterionInput!) { addSuccessCriterion(input: $i) { successCriterion { id metric unit baseline target dueDate version } } }";
const UPDATE: &str = "mutation($i: UpdateSuccessCriterionInput!) { updateSuccessCriterion(input: $i) { successCriterion { metric baseline target version } } }";
const REMOVE: &str = "mutation($i: SuccessRecordIdInput!) { removeSuccessCriterion(input: $i) { successCriterion { id } } }";
const ADD_LINK: &str = "mutation($i: AddValueChainLinkInput!) { addValueChainLink(input: $i) { valueChainLink { id businessOutcome successCriterionId } } }";
const READ: &str = "query($id: ID!) { account(id: $id) { successCriteria { metric unit baseline target dueDate notes } \
    valueChain { businessOutcome product { name } successCriterion { metric } } \
    plans(first: 5) { nodes { objectives { title successCriterionId successCriterion { metric target } } } } } }";

async fn product(app: &TestApp, token: &str, name: &str) -> String {
    app.graphql(
        Some(token),
        "mutation($n: String!) { createProduct(input: {name: $n}) { product { id } } }",
        json!({ "n": name }),
    )
    .await
    .str("createProduct.product.id")
}

async fn plan(app: &TestApp, token: &str, account: &str) -> String {
    app.graphql(
        Some(token),
        "mutation($a: ID!) { createPlan(input: {accountId: $a, title: \"FY\", periodStart: \"2026-04-01\", periodEnd: \"2027-03-31\"}) { plan { id } } }",
        json!({ "a": account }),
    )
    .await
    .str("createPlan.plan.id")
}

const OBJECTIVE: &str = "mutation($i: AddObjectiveInput!) { addObjective(input: $i) { objective { id successCriterionId } } }";

fn objective(plan: &str, criterion: Value) -> Value {
    json!({ "i": { "planId": plan, "title": "Roll out tracking", "metric": "sites live", "unit": "sites",
        "baseline": "0", "target": "12", "dueDate": "2027-03-31", "ownerId": null, "successCriterionId": criterion } })
}

#[tokio::test]
async fn criteria_and_the_value_chain_link_within_the_account() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let other = app.account(admin, "Initech").await;
    let r = app
        .graphql(
            Some(admin),
            ADD,
            json!({ "i": { "accountId": a, "metric": "On-time delivery", "unit": "%", "baseline": "91.5",
                "target": "98", "dueDate": "2027-03-31" } }),
        )
        .await;
    let c = r.data("addSuccessCriterion.successCriterion").clone();
    assert_eq!(
        (&c["baseline"], &c["target"], &c["version"]),
        (&json!("91.5"), &json!("98"), &json!(1))
    );
    let crit = c["id"].as_str().unwrap().to_owned();
    let elsewhere = app
        .graphql(
            Some(admin),
            ADD,
            json!({ "i": { "accountId": other, "metric": "Cost per parcel", "target": "2.1" } }),
        )
        .await
        .str("addSuccessCriterion.successCriterion.id");
    for (input, field) in [
        (
            json!({ "accountId": a, "metric": "", "target": "1" }),
            "input.metric",
        ),
        (
            json!({ "accountId": a, "metric": "m", "target": "1.00001" }),
            "input.target",
        ),
    ] {
        let r = app.graphql(Some(admin), ADD, json!({ "i": input })).await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field);
    }
    let r = app
        .graphql(
            Some(admin),
            UPDATE,
            json!({ "i": { "id": crit, "baseline": null, "target": "99.5" } }),
        )
        .await;
    assert_eq!(
        r.data("updateSuccessCriterion.successCriterion"),
        &json!({ "metric": "On-time delivery", "baseline": null, "target": "99.5", "version": 2 })
    );
    app.graphql(
        Some(admin),
        UPDATE,
        json!({ "i": { "id": crit, "target": null } }),
    )
    .await
    .assert_error("VALIDATION");

    // An objective serves a criterion of its plan's account only.
    let p = plan(&app, admin, &a).await;
    let r = app
        .graphql(Some(admin), OBJECTIVE, objective(&p, json!(crit)))
        .await;
    assert_eq!(
        r.data("addObjective.objective.successCriterionId"),
        &json!(crit)
    );
    let r = app
        .graphql(Some(admin), OBJECTIVE, objective(&p, json!(elsewhere)))
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.successCriterionId");
    let r = app
        .graphql(
            Some(admin),
            OBJECTIVE,
            objective(&p, json!(missing_id("SuccessCriterion"))),
        )
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.successCriterionId");

    // The value chain: a product of the catalogue, a criterion of the account.
    let tracking = product(&app, admin, "Tracking").await;
    let r = app
        .graphql(
            Some(admin),
            ADD_LINK,
            json!({ "i": { "accountId": a, "productId": tracking, "businessOutcome": "Real-time visibility",
                "successCriterionId": crit } }),
        )
        .await;
    let link = r.str("addValueChainLink.valueChainLink.id");
    for (input, code, field) in [
        (
            json!({ "accountId": a, "productId": tracking, "businessOutcome": "x", "successCriterionId": elsewhere }),
            "VALIDATION",
            "input.successCriterionId",
        ),
        (
            json!({ "accountId": a, "productId": missing_id("Product"), "businessOutcome": "x" }),
            "NOT_FOUND",
            "input.productId",
        ),
        (
            json!({ "accountId": a, "productId": tracking, "businessOutcome": " " }),
            "VALIDATION",
            "input.businessOutcome",
        ),
    ] {
        let r = app
            .graphql(Some(admin), ADD_LINK, json!({ "i": input }))
            .await;
        r.assert_error(code);
        assert_eq!(r.field(), field);
    }
    let v = same(&app, admin, READ, json!({ "id": a }), true).await;
    let acc = &v["data"]["account"];
    assert_eq!(
        acc["successCriteria"],
        json!([{ "metric": "On-time delivery", "unit": "%", "baseline": null, "target": "99.5",
            "dueDate": "2027-03-31", "notes": null }])
    );
    assert_eq!(
        acc["valueChain"],
        json!([{ "businessOutcome": "Real-time visibility", "product": { "name": "Tracking" },
            "successCriterion": { "metric": "On-time delivery" } }])
    );
    assert_eq!(
        acc["plans"]["nodes"][0]["objectives"][0]["successCriterion"],
        json!({ "metric": "On-time delivery", "target": "99.5" })
    );

    // Another tenant and a viewer change nothing.
    let b = app.tenant("other").await;
    for (q, vars) in [
        (UPDATE, json!({ "i": { "id": crit, "metric": "x" } })),
        (REMOVE, json!({ "i": { "id": crit } })),
        (
            "mutation($i: SuccessRecordIdInput!) { removeValueChainLink(input: $i) { valueChainLink { id } } }",
            json!({ "i": { "id": link } }),
        ),
    ] {
        app.graphql(Some(&b.admin_token), q, vars)
            .await
            .assert_error("NOT_FOUND");
    }
    let viewer = app.user(&t, "VIEWER", "vic").await;
    app.graphql(
        Some(&viewer.token),
        ADD,
        json!({ "i": { "accountId": a, "metric": "m", "target": "1" } }),
    )
    .await
    .assert_error("FORBIDDEN");

    // Removing the criterion unlinks the objective and the entry.
    app.graphql(Some(admin), REMOVE, json!({ "i": { "id": crit } }))
        .await
        .data("removeSuccessCriterion");
    let v = same(&app, admin, READ, json!({ "id": a }), true).await;
    let acc = &v["data"]["account"];
    assert_eq!(acc["successCriteria"], json!([]));
    assert_eq!(acc["valueChain"][0]["successCriterion"], Value::Null);
    assert_eq!(
        acc["plans"]["nodes"][0]["objectives"][0]["successCriterionId"],
        Value::Null
    );
}

#[tokio::test]
async fn a_page_with_criteria_and_value_chains_costs_one_statement_each() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let prod = product(&app, admin, "Freight").await;
    for n in 0..8 {
        let a = app.account(admin, &format!("Account {n}")).await;
        let c = app
            .graphql(
                Some(admin),
                ADD,
                json!({ "i": { "accountId": a, "metric": format!("Metric {n}"), "target": n + 1 } }),
            )
            .await
            .str("addSuccessCriterion.successCriterion.id");
        app.graphql(
            Some(admin),
            ADD_LINK,
            json!({ "i": { "accountId": a, "productId": prod, "businessOutcome": format!("Outcome {n}"),
                "successCriterionId": c } }),
        )
        .await
        .data("addValueChainLink");
    }
    let q = "{ accounts(first: 50) { nodes { successCriteria { metric target } \
        valueChain { businessOutcome product { name } successCriterion { metric } } } } }";
    let (fast, reference) = both_paths(&app, admin, q).await;
    // The page, criteria, entries, their products, their criteria.
    assert!(fast.statements() <= 5, "{}", fast.statements());
    assert!(reference.statements() <= 5, "{}", reference.statements());
    let v: Value = serde_json::from_value(fast.body.clone()).unwrap();
    assert_eq!(
        v["data"]["accounts"]["nodes"][3]["valueChain"][0]["successCriterion"]["metric"],
        "Metric 3"
    );
}
