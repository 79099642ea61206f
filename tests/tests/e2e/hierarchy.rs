//! Account hierarchies: a global account over its subsidiaries, with
//! `parent`, `children` (a connection), `ancestors` and revenue rolled up
//! over the subtree; cycles, foreign parents and over-deep trees refused;
//! both read paths answer alike, in a bounded number of statements.

use crate::compiled::same;
use crate::helpers::*;
use serde_json::{Value, json};

const UPDATE: &str = "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { id parentId version } } }";

async fn create(
    app: &TestApp,
    token: &str,
    name: &str,
    parent: Option<&str>,
    revenue: Option<(&str, &str)>,
) -> String {
    let mut input = json!({ "name": name });
    if let Some(p) = parent {
        input["parentId"] = json!(p);
    }
    if let Some((amount, currency)) = revenue {
        input["annualRevenue"] = json!({ "amount": amount, "currency": currency });
    }
    let r = app.create_account(token, input).await;
    r.str("createAccount.account.id")
}

async fn set_parent(app: &TestApp, token: &str, id: &str, parent: Value) -> Gql {
    app.graphql(
        Some(token),
        UPDATE,
        json!({ "i": { "id": id, "parentId": parent } }),
    )
    .await
}

fn names(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|a| a["name"].as_str().unwrap().to_owned())
        .collect()
}

/// Global (1000 EUR) > Sub One (200 EUR) > Deep (30 EUR); Global > Sub Two
/// (50 USD).
async fn group(app: &TestApp, token: &str) -> [String; 4] {
    let global = create(app, token, "Global", None, Some(("1000", "EUR"))).await;
    let one = create(app, token, "Sub One", Some(&global), Some(("200", "EUR"))).await;
    let two = create(app, token, "Sub Two", Some(&global), Some(("50", "USD"))).await;
    let deep = create(app, token, "Deep", Some(&one), Some(("30", "EUR"))).await;
    [global, one, two, deep]
}

const TREE: &str = "query($id: ID!) { account(id: $id) { name parentId parent { name } \
    ancestors { name } subtreeRevenue { amount currency } \
    children(first: 10) { totalCount pageInfo { hasNextPage } edges { cursor node { name \
        children(first: 5) { totalCount nodes { name parent { name } } } } } } } }";

#[tokio::test]
async fn a_global_account_shows_its_subsidiaries_its_chain_and_its_revenue_rolled_up() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let [global, one, _two, deep] = group(&app, admin).await;

    let g = same(&app, admin, TREE, json!({ "id": global }), true).await;
    let g = &g["data"]["account"];
    assert_eq!(g["parentId"], Value::Null);
    assert_eq!(g["parent"], Value::Null);
    assert_eq!(g["ancestors"], json!([]));
    assert_eq!(
        g["subtreeRevenue"],
        json!([{ "amount": "1230.00", "currency": "EUR" }, { "amount": "50.00", "currency": "USD" }])
    );
    assert_eq!(g["children"]["totalCount"], json!(2));
    let kids: Vec<&Value> = g["children"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    assert_eq!(kids[0]["name"], "Sub One");
    assert_eq!(kids[0]["children"]["totalCount"], json!(1));
    assert_eq!(
        kids[0]["children"]["nodes"],
        json!([{ "name": "Deep", "parent": { "name": "Sub One" } }])
    );
    assert_eq!(kids[1]["name"], "Sub Two");

    let d = same(&app, admin, TREE, json!({ "id": deep }), true).await;
    let d = &d["data"]["account"];
    assert_eq!(d["parentId"], json!(one));
    assert_eq!(names(&d["ancestors"]), ["Sub One", "Global"]);
    assert_eq!(
        d["subtreeRevenue"],
        json!([{ "amount": "30.00", "currency": "EUR" }])
    );

    // Paging through the children with their cursors.
    let q = "query($id: ID!, $after: String) { account(id: $id) { children(first: 1, after: $after) { \
        pageInfo { hasNextPage endCursor } nodes { name } } } }";
    let p1 = same(&app, admin, q, json!({ "id": global, "after": null }), true).await;
    let c = &p1["data"]["account"]["children"];
    assert_eq!(names(&c["nodes"]), ["Sub One"]);
    assert_eq!(c["pageInfo"]["hasNextPage"], json!(true));
    let after = c["pageInfo"]["endCursor"].clone();
    let p2 = same(
        &app,
        admin,
        q,
        json!({ "id": global, "after": after }),
        true,
    )
    .await;
    assert_eq!(
        names(&p2["data"]["account"]["children"]["nodes"]),
        ["Sub Two"]
    );

    // The whole list: every account with its hierarchy, on both paths.
    let q = "{ accounts(first: 10) { nodes { name parent { name } ancestors { name } \
        children(first: 3) { totalCount nodes { name } } subtreeRevenue { currency amount } } } }";
    let v = same(&app, admin, q, json!({}), true).await;
    assert_eq!(
        names(&v["data"]["accounts"]["nodes"]),
        ["Deep", "Global", "Sub One", "Sub Two"]
    );
}

#[tokio::test]
async fn cycles_foreign_parents_and_over_deep_trees_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let other = app.tenant("evil").await;
    let admin = t.admin_token.as_str();
    let [global, one, _two, deep] = group(&app, admin).await;
    let foreign = app.account(&other.admin_token, "Evil").await;

    let cases = [
        (
            set_parent(&app, admin, &global, json!(deep)).await,
            "VALIDATION",
        ),
        (
            set_parent(&app, admin, &global, json!(one)).await,
            "VALIDATION",
        ),
        (
            set_parent(&app, admin, &one, json!(one)).await,
            "VALIDATION",
        ),
        (
            set_parent(&app, admin, &one, json!(foreign)).await,
            "NOT_FOUND",
        ),
        (
            set_parent(&app, admin, &one, json!(missing_id("Account"))).await,
            "NOT_FOUND",
        ),
        (
            set_parent(&app, admin, &one, json!(t.admin_id)).await,
            "NOT_FOUND",
        ),
    ];
    for (i, (r, code)) in cases.iter().enumerate() {
        assert_eq!(r.code(), *code, "case {i}: {}", r.body);
        assert_eq!(r.field(), "input.parentId", "case {i}: {}", r.body);
    }
    let r = app
        .create_account(admin, json!({ "name": "Stray", "parentId": foreign }))
        .await;
    assert_eq!((r.code(), r.field()), ("NOT_FOUND", "input.parentId"));
    let before = same(&app, admin, TREE, json!({ "id": global }), true).await;
    assert_eq!(
        before["data"]["account"]["children"]["totalCount"],
        json!(2)
    );
    let v = app
        .graphql(
            Some(admin),
            "query($id: ID!) { account(id: $id) { version parentId } }",
            json!({ "id": one }),
        )
        .await;
    assert_eq!(
        v.data("account"),
        &json!({ "version": 1, "parentId": global })
    );

    // A chain of ten levels is the most: the eleventh is refused.
    let mut parent = global.clone();
    for level in 2..=10 {
        parent = create(&app, admin, &format!("Level {level}"), Some(&parent), None).await;
    }
    let r = app
        .create_account(admin, json!({ "name": "Level 11", "parentId": parent }))
        .await;
    assert_eq!(
        (r.code(), r.field()),
        ("VALIDATION", "input.parentId"),
        "{}",
        r.body
    );
    // Moving a subtree under it counts the subtree's levels too.
    let r = set_parent(&app, admin, &one, json!(parent)).await;
    assert_eq!(r.code(), "VALIDATION", "{}", r.body);
    let r = set_parent(&app, admin, &deep, json!(parent)).await;
    assert_eq!(r.code(), "VALIDATION", "{}", r.body);
}

#[tokio::test]
async fn a_subsidiary_is_detached_by_null_and_when_its_parent_is_deleted() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let [global, one, two, deep] = group(&app, admin).await;
    let r = set_parent(&app, admin, &two, Value::Null).await;
    assert_eq!(r.data("updateAccount.account.parentId"), &Value::Null);
    assert_eq!(r.data("updateAccount.account.version"), &json!(2));
    // Re-parenting moves the whole subtree: Deep stays under Sub One.
    let r = set_parent(&app, admin, &one, json!(two)).await;
    assert_eq!(r.str("updateAccount.account.parentId"), two);
    let d = same(&app, admin, TREE, json!({ "id": deep }), true).await;
    assert_eq!(
        names(&d["data"]["account"]["ancestors"]),
        ["Sub One", "Sub Two"]
    );
    // Deleting Sub Two: Sub One becomes a root, its own subsidiary stays.
    app.delete_account(admin, &two).await;
    let o = same(&app, admin, TREE, json!({ "id": one }), true).await;
    let o = &o["data"]["account"];
    assert_eq!(o["parentId"], Value::Null);
    assert_eq!(o["ancestors"], json!([]));
    assert_eq!(o["children"]["totalCount"], json!(1));
    assert_eq!(
        o["subtreeRevenue"],
        json!([{ "amount": "230.00", "currency": "EUR" }])
    );
    let g = same(&app, admin, TREE, json!({ "id": global }), true).await;
    assert_eq!(g["data"]["account"]["children"]["totalCount"], json!(0));
    assert_eq!(
        g["data"]["account"]["subtreeRevenue"],
        json!([{ "amount": "1000.00", "currency": "EUR" }])
    );
}

#[tokio::test]
async fn concurrent_re_parentings_never_make_a_cycle() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    for round in 0..5 {
        let a = create(&app, admin, &format!("A{round}"), None, None).await;
        let b = create(&app, admin, &format!("B{round}"), None, None).await;
        let (x, y) = tokio::join!(
            set_parent(&app, admin, &a, json!(b)),
            set_parent(&app, admin, &b, json!(a)),
        );
        let ok = [&x, &y]
            .iter()
            .filter(|r| r.body.get("errors").is_none())
            .count();
        assert_eq!(ok, 1, "{} / {}", x.body, y.body);
        for r in [&x, &y] {
            if r.body.get("errors").is_some() {
                assert!(["VALIDATION", "CONFLICT"].contains(&r.code()), "{}", r.body);
            }
        }
    }
}

#[tokio::test]
async fn a_page_of_accounts_with_their_hierarchy_costs_a_bounded_number_of_statements() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    for g in 0..3 {
        group(&app, admin).await;
        let _ = g;
    }
    let q = "{ accounts(first: 50) { nodes { name parent { name } ancestors { name } \
        children(first: 5) { totalCount nodes { name } } subtreeRevenue { amount currency } } } }";
    let (fast, reference) = crate::compiled::both_paths(&app, admin, q).await;
    // accounts, parents, ancestor pairs, children pages, their counts,
    // revenue: one each, whatever the page size. Every ancestor here is
    // also a parent on the page, so the compiled path has its row already
    // (the memo); the resolvers may read ancestors' rows once more,
    // depending on which resolver asks first.
    assert_eq!(fast.statements(), 6, "compiled");
    assert!(
        reference.statements() <= 8,
        "resolvers: {}",
        reference.statements()
    );
}
