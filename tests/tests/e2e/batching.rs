//! Nested relations are batched deterministically: a page of 50 accounts
//! with their owners and contacts costs the same few statements for one
//! request and under concurrent load.

use crate::helpers::*;
use serde_json::json;

const DASHBOARD: &str = "query { accounts(first: 50) { pageInfo { hasNextPage endCursor } edges { node { id name tier owner { id displayName } contacts(first: 10) { edges { node { id fullName title } } } } } } }";

const DEEP: &str = "query { accounts(first: 50) { edges { node { name owner { displayName } contacts(first: 10) { edges { node { fullName relationshipOwner { displayName } reportsTo { fullName } directReports { fullName } account { name } } } } } } } }";

async fn portfolio(app: &TestApp) -> Tenant {
    let t = app.tenant("acme").await;
    let owners = [
        t.admin_token.clone(),
        app.user(&t, "SALES_MANAGER", "sam").await.token,
        app.user(&t, "ACCOUNT_MANAGER", "alex").await.token,
    ];
    for i in 0..50 {
        let token = &owners[i % owners.len()];
        let a = app.account(token, &format!("Account {i:02}")).await;
        let boss = app.contact(token, &a, "Boss", &format!("B{i}")).await;
        for j in 0..2 {
            app.create_contact(
                token,
                json!({ "accountId": a, "firstName": format!("C{j}"), "lastName": format!("L{i}"), "reportsToId": boss }),
            )
            .await
            .data("createContact");
        }
    }
    t
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dashboard_page_costs_three_statements_alone_and_under_concurrency() {
    // The loaders, not the compiled read path (see `compiled.rs`).
    let app = spawn_app_with(|c| c.compiled_reads = false).await;
    let t = portfolio(&app).await;

    let r = app
        .graphql(Some(&t.admin_token), DASHBOARD, json!({}))
        .await;
    let edges = r.data("accounts.edges").as_array().unwrap().clone();
    assert_eq!(edges.len(), 50);
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["contacts"]["edges"].as_array().unwrap().len() == 3)
    );
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["owner"]["displayName"].is_string())
    );
    // accounts, their owners, their contacts.
    assert_eq!(r.statements(), 3, "one statement per relation and level");

    let runs = (0..16).map(|_| app.graphql(Some(&t.admin_token), DASHBOARD, json!({})));
    let results = futures::future::join_all(runs).await;
    for r in &results {
        assert_eq!(r.data("accounts.edges").as_array().unwrap().len(), 50);
        assert_eq!(r.statements(), 3, "batching must not depend on timing");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn deeper_queries_cost_one_statement_per_relation_and_level() {
    // The loaders, not the compiled read path (see `compiled.rs`).
    let app = spawn_app_with(|c| c.compiled_reads = false).await;
    let t = portfolio(&app).await;
    let r = app.graphql(Some(&t.admin_token), DEEP, json!({})).await;
    let edges = r.data("accounts.edges").as_array().unwrap();
    let first_contacts = edges[0]["node"]["contacts"]["edges"].as_array().unwrap();
    assert!(
        first_contacts
            .iter()
            .any(|c| !c["node"]["directReports"].as_array().unwrap().is_empty())
    );
    assert!(
        first_contacts
            .iter()
            .any(|c| c["node"]["reportsTo"]["fullName"].is_string())
    );
    // Level 1: accounts. Level 2: owners, contacts. Level 3: relationship
    // owners, managers, direct reports (the accounts are already at hand).
    let n = r.statements();
    assert_eq!(
        n, 6,
        "one statement per relation and level, whatever the page size"
    );
    let runs = (0..16).map(|_| app.graphql(Some(&t.admin_token), DEEP, json!({})));
    for r in futures::future::join_all(runs).await {
        assert_eq!(r.statements(), n);
    }
}
