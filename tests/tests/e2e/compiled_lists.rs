//! The compiled path's lists of simple objects (a plan's growth targets,
//! reviews and contingencies, an objective's progress) and the white space
//! (rows, columns, cells, totals), against async-graphql byte for byte, with
//! their statement counts and tenant scoping.

use crate::compiled::{demo, nodes_compiled_and_tenant_scoped, same};
use crate::helpers::*;
use serde_json::json;

const PLAN_LISTS: &str = r#"query PlanLists($first: Int) {
  plans(first: $first) { nodes { id title
    growthTargets { __typename id kind productLine periodStart periodEnd
      target { __typename amount currency } actual { amount currency } variance { amount } }
    reviews { __typename id reviewDate outcome notes revisions isFinal }
    contingencies { __typename id risk trigger response }
    actionItems { __typename id title notes cadence firstDueDate repeatUntil status version }
    objectives { id progress { __typename value recordedOn note } }
  } }
}"#;

const WHITE_SPACE: &str = r#"query WhiteSpaces($first: Int) {
  accounts(first: $first) { nodes { id name whiteSpace { __typename
    rows { __typename id accountId name kind createdAt updatedAt version }
    columns { __typename id name description active createdAt updatedAt version }
    cells { __typename id businessUnitId productId status estimatedValue { __typename amount currency }
      competitor notes objectiveId createdAt updatedAt version }
    totals { __typename currency serviced openOpportunity competitorHeld }
  } } }
}"#;

async fn statements(app: &TestApp, token: &str, query: &str, vars: serde_json::Value) -> u64 {
    app.graphql(Some(token), query, vars).await.statements()
}

#[tokio::test]
async fn plan_lists_and_white_space_run_compiled_and_equal_normal_execution() {
    let (app, token) = demo().await;
    let v = same(&app, &token, PLAN_LISTS, json!({ "first": 20 }), true).await;
    let plans = v["data"]["plans"]["nodes"].as_array().unwrap();
    let with = |f: &str| {
        plans
            .iter()
            .filter(|p| !p[f].as_array().unwrap().is_empty())
            .count()
    };
    assert!(
        with("growthTargets") > 0 && with("reviews") > 0 && with("contingencies") > 0,
        "{v}"
    );
    assert!(
        plans
            .iter()
            .flat_map(|p| p["objectives"].as_array().unwrap())
            .any(|o| !o["progress"].as_array().unwrap().is_empty()),
        "{v}"
    );

    let v = same(&app, &token, WHITE_SPACE, json!({ "first": 20 }), true).await;
    let nodes = v["data"]["accounts"]["nodes"].as_array().unwrap();
    let ws = nodes
        .iter()
        .map(|a| &a["whiteSpace"])
        .find(|w| !w["cells"].as_array().unwrap().is_empty())
        .expect("an account with cells");
    assert!(!ws["rows"].as_array().unwrap().is_empty());
    assert!(!ws["totals"].as_array().unwrap().is_empty());
    let used = ws["cells"][0]["productId"].as_str().unwrap().to_owned();
    let columns = ws["columns"].as_array().unwrap().len();

    // A retired product stays a column where it has cells, and only there.
    let retire =
        "mutation($i: UpdateProductInput!) { updateProduct(input: $i) { product { id active } } }";
    app.graphql(
        Some(&token),
        retire,
        json!({ "i": { "id": used, "active": false } }),
    )
    .await
    .data("updateProduct.product.id");
    let v = same(&app, &token, WHITE_SPACE, json!({ "first": 20 }), true).await;
    let nodes = v["data"]["accounts"]["nodes"].as_array().unwrap();
    let has = |a: &serde_json::Value| {
        a["whiteSpace"]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == used.as_str())
    };
    let uses = |a: &serde_json::Value| {
        a["whiteSpace"]["cells"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["productId"] == used.as_str())
    };
    assert!(nodes.iter().any(uses));
    for a in nodes {
        assert_eq!(has(a), uses(a), "{a}");
    }
    assert!(
        nodes.iter().any(
            |a| !uses(a) && a["whiteSpace"]["columns"].as_array().unwrap().len() == columns - 1
        )
    );

    // One account by id, fragments and aliases.
    let id = nodes[0]["id"].as_str().unwrap();
    same(
        &app,
        &token,
        "query($id: ID!) { account(id: $id) { ...W } } fragment W on Account { ws: whiteSpace { c: cells { status } ...on WhiteSpace { totals { currency } } } }",
        json!({ "id": id }),
        true,
    )
    .await;
    // Relations inside (`compiled_relations.rs` has the rest).
    same(
        &app,
        &token,
        "{ plans(first: 5) { nodes { reviews { reviewers { displayName } } } } }",
        json!({}),
        true,
    )
    .await;
    same(
        &app,
        &token,
        "query($id: ID!) { account(id: $id) { whiteSpace { cells { product { name } } } } }",
        json!({ "id": id }),
        true,
    )
    .await;
}

#[tokio::test]
async fn plan_lists_and_white_space_cost_fixed_statements() {
    let (app, token) = demo().await;
    // Each list is one statement per level, whatever the number of parents.
    for q in [PLAN_LISTS, WHITE_SPACE] {
        for _ in 0..2 {
            statements(&app, &token, q, json!({ "first": 1 })).await;
        }
        let one = statements(&app, &token, q, json!({ "first": 1 })).await;
        let many = statements(&app, &token, q, json!({ "first": 50 })).await;
        assert_eq!(one, many, "{q}");
    }
}

#[tokio::test]
async fn plan_lists_and_white_space_stay_in_the_callers_tenant() {
    let (app, token) = demo().await;
    let b = app.tenant("tb").await;
    let theirs = app.account(&b.admin_token, "Theirs").await;
    app.plan(&b.admin_token, &theirs, "Their plan").await;
    for _ in 0..2 {
        app.graphql(Some(&token), WHITE_SPACE, json!({ "first": 20 }))
            .await;
        app.graphql(Some(&token), PLAN_LISTS, json!({ "first": 20 }))
            .await;
    }
    let r = app
        .graphql(Some(&b.admin_token), WHITE_SPACE, json!({ "first": 20 }))
        .await;
    assert_eq!(r.execution(), "compiled");
    let nodes = r.data("accounts.nodes");
    assert_eq!(nodes.as_array().unwrap().len(), 1);
    assert_eq!(
        nodes[0]["whiteSpace"],
        json!({ "__typename": "WhiteSpace", "rows": [], "columns": [], "cells": [], "totals": [] })
    );
    let r = app
        .graphql(Some(&b.admin_token), PLAN_LISTS, json!({ "first": 20 }))
        .await;
    assert_eq!(r.execution(), "compiled");
    let plans = r.data("plans.nodes");
    assert_eq!(plans.as_array().unwrap().len(), 1);
    for f in [
        "growthTargets",
        "reviews",
        "contingencies",
        "actionItems",
        "objectives",
    ] {
        assert_eq!(plans[0][f], json!([]), "{f}");
    }
}

const OVERDUE: &str = r#"query Overdue($first: Int, $after: String, $last: Int, $before: String) {
  overdueActions(first: $first, after: $after, last: $last, before: $before) {
    __typename totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { __typename cursor node { id } }
    nodes { __typename id dueDate overdue ... on Node { id }
      actionItem { __typename id title notes cadence firstDueDate repeatUntil status createdAt updatedAt version }
      assessment { __typename id dueDate happened date valueDelivered learned revise createdAt } }
  }
}"#;

#[tokio::test]
async fn overdue_actions_run_compiled_for_managers_only() {
    let (app, token) = demo().await;
    let v = same(&app, &token, OVERDUE, json!({ "first": 2 }), true).await;
    let total = v["data"]["overdueActions"]["totalCount"].as_i64().unwrap();
    assert!(total > 2, "{v}");
    let end = v["data"]["overdueActions"]["pageInfo"]["endCursor"].clone();
    let next = same(
        &app,
        &token,
        OVERDUE,
        json!({ "first": 2, "after": end }),
        true,
    )
    .await;
    assert_ne!(
        next["data"]["overdueActions"]["nodes"][0]["id"],
        v["data"]["overdueActions"]["nodes"][0]["id"]
    );
    let start = next["data"]["overdueActions"]["pageInfo"]["startCursor"].clone();
    same(
        &app,
        &token,
        OVERDUE,
        json!({ "last": 1, "before": start }),
        true,
    )
    .await;
    same(&app, &token, OVERDUE, json!({ "last": 100 }), true).await;
    // A bad cursor and a caller who may not oversee the tenant: the compiled
    // path gives way, and async-graphql's errors are the answer.
    let bad = app
        .graphql(
            Some(&token),
            OVERDUE,
            json!({ "first": 1, "after": "bogus" }),
        )
        .await;
    bad.assert_error("VALIDATION");
    let admin = app
        .login(
            "demo",
            "admin@demo.example",
            steward_api::demo::DEMO_PASSWORD,
        )
        .await;
    let tenant = Tenant {
        slug: "demo".into(),
        admin_token: admin.token.clone(),
        admin_id: admin.id.clone(),
    };
    let reader = app.user(&tenant, "VIEWER", "overdue.reader").await;
    for _ in 0..3 {
        let r = app
            .graphql(Some(&reader.token), OVERDUE, json!({ "first": 2 }))
            .await;
        r.assert_error("FORBIDDEN");
        assert_eq!(r.execution(), "resolvers");
    }
}

#[tokio::test]
async fn node_of_kinds_read_from_their_row_runs_compiled() {
    let (app, token) = demo().await;
    let v = app
        .graphql(
            Some(&token),
            r#"{ plans(first: 20) { nodes { growthTargets { id } reviews { id } contingencies { id }
                actionItems { assessments { id } } items: actionItems { id } } }
                accounts(first: 20) { nodes { whiteSpace { rows { id } columns { id } cells { id } } } }
                viewer { tenant { id } } }"#,
            json!({}),
        )
        .await;
    let body = v.body.to_string();
    let ids_of = |field: &str| -> Vec<String> {
        let mut out = Vec::new();
        let mut rest = body.as_str();
        let pat = format!("\"{field}\":[{{\"id\":\"");
        while let Some(i) = rest.find(&pat) {
            rest = &rest[i + pat.len()..];
            out.push(rest[..rest.find('"').unwrap()].to_owned());
        }
        out
    };
    let mut ids = Vec::new();
    for f in [
        "growthTargets",
        "reviews",
        "contingencies",
        "items",
        "assessments",
        "rows",
        "columns",
        "cells",
    ] {
        let found = ids_of(f);
        assert!(!found.is_empty(), "no {f} in the demo: {body}");
        ids.push(found[0].clone());
    }
    ids.push(v.str("viewer.tenant.id"));
    let q = r#"query($id: ID!) { node(id: $id) { __typename id
        ... on GrowthTarget { kind productLine periodStart periodEnd target { amount currency } actual { amount } variance { currency } }
        ... on PlanReview { reviewDate outcome notes revisions isFinal }
        ... on Contingency { risk trigger response }
        ... on Product { name description active version }
        ... on BusinessUnit { accountId name kind createdAt }
        ... on WhiteSpaceCell { businessUnitId productId status estimatedValue { amount currency } competitor notes objectiveId }
        ... on Assessment { dueDate happened date valueDelivered learned revise }
        ... on ActionItem { title cadence firstDueDate status }
        ... on Tenant { slug name timeZone fiscalYearStartMonth defaultCurrency } } }"#;
    // Each compiled and equal; another tenant: NOT_FOUND. A relation in the
    // selection compiles too.
    nodes_compiled_and_tenant_scoped(&app, &token, q, &ids).await;
    same(
        &app,
        &token,
        "query($id: ID!) { node(id: $id) { ... on Contingency { risk owner { displayName } } } }",
        json!({ "id": ids[2] }),
        true,
    )
    .await;
}

#[tokio::test]
async fn plans_with_their_account_run_compiled() {
    let (app, token) = demo().await;
    let q = "query($first: Int) { plans(first: $first) { nodes { title account { __typename id name tier \
             owner { displayName } plans(first: 2) { nodes { title account { name } } } } \
             objectives { title plan { __typename id title account { name } } } } } }";
    let v = same(&app, &token, q, json!({ "first": 20 }), true).await;
    let plans = v["data"]["plans"]["nodes"].as_array().unwrap();
    assert!(!plans.is_empty());
    assert!(
        plans
            .iter()
            .any(|p| !p["objectives"].as_array().unwrap().is_empty())
    );
    for p in plans {
        assert!(p["account"]["name"].is_string(), "{p}");
        for o in p["objectives"].as_array().unwrap() {
            assert_eq!(o["plan"]["title"], p["title"], "{o}");
        }
        assert_eq!(
            p["account"]["plans"]["nodes"][0]["account"]["name"],
            p["account"]["name"]
        );
    }
    // One statement per relation and level, whatever the number of plans.
    for _ in 0..2 {
        statements(&app, &token, q, json!({ "first": 1 })).await;
    }
    let one = statements(&app, &token, q, json!({ "first": 1 })).await;
    let many = statements(&app, &token, q, json!({ "first": 20 })).await;
    assert_eq!(one, many);
    // Another tenant's plans come with its own accounts only.
    let b = app.tenant("tb").await;
    let theirs = app.account(&b.admin_token, "Theirs").await;
    app.plan(&b.admin_token, &theirs, "Their plan").await;
    let list = "{ plans(first: 20) { nodes { title account { name } } } }";
    for _ in 0..2 {
        app.graphql(Some(&b.admin_token), list, json!({})).await;
    }
    let r = app.graphql(Some(&b.admin_token), list, json!({})).await;
    assert_eq!(r.execution(), "compiled");
    assert_eq!(
        r.body["data"]["plans"]["nodes"],
        json!([{ "title": "Their plan", "account": { "name": "Theirs" } }])
    );
}
