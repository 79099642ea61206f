//! Relations inside the row-backed types on the compiled path (an action
//! item's plan, objective, assignee, contacts and assessments; an
//! assessment's action item, follow-up and author; a review's reviewers; a
//! contingency's owner; a white-space cell's unit, product and objective;
//! and, under them, plans, objectives, contacts and accounts with their own
//! relations), against async-graphql byte for byte, with fixed statement
//! counts and tenant scoping.

use crate::compiled::{demo, nodes_compiled_and_tenant_scoped, same};
use crate::helpers::*;
use serde_json::{Value, json};

const CONTACT: &str = "firstName lastName account { name owner { displayName } } \
    reportsTo { firstName reportsTo { firstName } } directReports { firstName } \
    relationshipOwner { displayName email }";

fn plan_relations() -> String {
    format!(
        r#"query PlanRelations($first: Int) {{
  plans(first: $first) {{ nodes {{ id title
    reviews {{ id reviewers {{ __typename id displayName email }} }}
    growth {{ __typename kind currency target actual variance }}
    contingencies {{ risk owner {{ id displayName }} }}
    actionItems {{ __typename id title
      plan {{ id title status owner {{ displayName }} account {{ name tier owner {{ email }} }}
        objectives {{ title owner {{ displayName }} progress {{ value }} }} }}
      objective {{ id title plan {{ title }} }}
      assignee {{ id displayName }}
      contacts {{ id {CONTACT} }}
      assessments {{ id happened dueDate actionItem {{ id title }} followUp {{ title assignee {{ displayName }} }}
        assessedBy {{ displayName }} }}
    }}
  }} }}
}}"#
    )
}

const CELL_RELATIONS: &str = r#"query CellRelations($first: Int, $filter: AccountFilter) {
  accounts(first: $first, filter: $filter) { nodes { id name whiteSpace {
    rows { name account { id name } }
    cells { id status businessUnit { id name account { name owner { displayName } } }
      product { id name active } objective { id title plan { title } } }
  } } }
}"#;

const OVERDUE_RELATIONS: &str = r#"query OverdueRelations($first: Int) {
  overdueActions(first: $first) { totalCount nodes { id dueDate
    actionItem { title plan { title account { name } } assignee { displayName } }
    assessment { happened assessedBy { displayName } actionItem { title } } } }
}"#;

/// Every value at `path` under `v`, through lists (a null ends a branch).
fn all<'a>(v: &'a Value, path: &[&str]) -> Vec<&'a Value> {
    let mut level = match v {
        Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for key in path {
        level = level
            .into_iter()
            .flat_map(|x| match &x[*key] {
                Value::Array(a) => a.iter().collect::<Vec<_>>(),
                Value::Null => Vec::new(),
                other => vec![other],
            })
            .collect();
    }
    level
}

/// The demo tenant, with contacts on the first action item whose account
/// has some (the demo's items have none).
async fn demo_with_item_contacts() -> (TestApp, String) {
    let (app, token) = demo().await;
    let v = app
        .graphql(
            Some(&token),
            "{ plans(first: 50) { nodes { actionItems { id } \
               account { contacts(first: 3) { nodes { id } } } } } }",
            json!({}),
        )
        .await;
    let (item, contacts) = v
        .data("plans.nodes")
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| {
            let item = p["actionItems"][0]["id"].as_str()?;
            let contacts = all(&p["account"]["contacts"]["nodes"], &["id"]);
            (contacts.len() > 1).then(|| {
                (
                    item.to_owned(),
                    contacts.into_iter().cloned().collect::<Vec<_>>(),
                )
            })
        })
        .expect("a plan with an action item and contacts");
    app.graphql(
        Some(&token),
        "mutation($i: UpdateActionItemInput!) { updateActionItem(input: $i) { actionItem { id } } }",
        json!({ "i": { "id": item, "contactIds": contacts } }),
    )
    .await
    .data("updateActionItem.actionItem.id");
    (app, token)
}

#[tokio::test]
async fn relations_inside_row_backed_types_run_compiled_and_equal_normal_execution() {
    let (app, token) = demo_with_item_contacts().await;
    let q = plan_relations();
    let v = same(&app, &token, &q, json!({ "first": 20 }), true).await;
    let d = &v["data"]["plans"]["nodes"];
    // The demo has data behind every relation asked for.
    for path in [
        &["reviews", "reviewers"][..],
        &["growth", "currency"],
        &["contingencies", "owner"],
        &["actionItems", "plan", "owner"],
        &["actionItems", "plan", "account", "owner"],
        &["actionItems", "assignee"],
        &["actionItems", "contacts"],
        &["actionItems", "contacts", "account"],
        &["actionItems", "assessments", "actionItem"],
        &["actionItems", "assessments", "assessedBy"],
    ] {
        let found = all(d, path);
        assert!(!found.is_empty(), "nothing at {path:?}: {v}");
    }
    // An item's plan is the plan it is listed under; an assessment's item
    // is the item it is listed under.
    for p in d.as_array().unwrap() {
        for i in p["actionItems"].as_array().unwrap() {
            assert_eq!(i["plan"]["id"], p["id"]);
            for a in i["assessments"].as_array().unwrap() {
                assert_eq!(a["actionItem"]["id"], i["id"]);
            }
        }
    }

    let v = same(&app, &token, CELL_RELATIONS, json!({ "first": 20 }), true).await;
    let accounts = v["data"]["accounts"]["nodes"].as_array().unwrap();
    let mut cells = 0;
    for a in accounts {
        for c in a["whiteSpace"]["cells"].as_array().unwrap() {
            cells += 1;
            assert!(c["businessUnit"]["account"]["name"].is_string(), "{c}");
            assert!(c["product"]["name"].is_string(), "{c}");
        }
        for r in a["whiteSpace"]["rows"].as_array().unwrap() {
            assert_eq!(r["account"]["id"], a["id"]);
        }
    }
    assert!(cells > 0, "{v}");
    assert!(
        !all(
            &v["data"]["accounts"]["nodes"],
            &["whiteSpace", "cells", "objective"]
        )
        .is_empty(),
        "a cell with an objective: {v}"
    );

    let v = same(
        &app,
        &token,
        OVERDUE_RELATIONS,
        json!({ "first": 20 }),
        true,
    )
    .await;
    assert!(
        !all(
            &v["data"]["overdueActions"]["nodes"],
            &["actionItem", "assignee"]
        )
        .is_empty()
    );

    // Fragments, aliases and the same relation twice with different
    // selections (merged, as GraphQL merges them).
    same(
        &app,
        &token,
        "query { plans(first: 10) { nodes { ...I } } } \
         fragment I on Plan { items: actionItems { who: assignee { displayName } \
           ... on ActionItem { assignee { email } plan { ...P } } } } \
         fragment P on Plan { title owner { id } }",
        json!({}),
        true,
    )
    .await;
    // Directives with variables decide the selection per request.
    let q = "query($deep: Boolean!) { plans(first: 10) { nodes { actionItems { title \
             assignee @include(if: $deep) { displayName } \
             plan @skip(if: $deep) { title } } } } }";
    same(&app, &token, q, json!({ "deep": true }), true).await;
    same(&app, &token, q, json!({ "deep": false }), true).await;
}

#[tokio::test]
async fn node_of_row_backed_kinds_with_relations_runs_compiled() {
    let (app, token) = demo_with_item_contacts().await;
    let v = app
        .graphql(
            Some(&token),
            "{ plans(first: 20) { nodes { contingencies { id } reviews { id } \
               actionItems { id assessments { id } } objectives { id } } } \
               accounts(first: 20) { nodes { whiteSpace { rows { id } cells { id } } \
               activities(first: 1) { nodes { id } } } } }",
            json!({}),
        )
        .await;
    let d = v.body["data"].clone();
    let first = |path: &[&str]| -> String {
        all(&d, path)
            .first()
            .unwrap_or_else(|| panic!("no {path:?}"))
            .as_str()
            .unwrap()
            .to_owned()
    };
    let ids = [
        first(&["plans", "nodes", "contingencies", "id"]),
        first(&["plans", "nodes", "reviews", "id"]),
        first(&["plans", "nodes", "actionItems", "id"]),
        first(&["plans", "nodes", "actionItems", "assessments", "id"]),
        first(&["accounts", "nodes", "whiteSpace", "rows", "id"]),
        first(&["accounts", "nodes", "whiteSpace", "cells", "id"]),
        first(&["plans", "nodes", "objectives", "id"]),
        first(&["accounts", "nodes", "activities", "nodes", "id"]),
    ];
    let q = "query($id: ID!) { node(id: $id) { __typename id \
        ... on Contingency { owner { displayName } } \
        ... on PlanReview { reviewers { displayName } } \
        ... on ActionItem { plan { title account { name } } assignee { displayName } \
            contacts { firstName account { name } } assessments { happened } objective { title } } \
        ... on Assessment { actionItem { title plan { title } } assessedBy { displayName } followUp { title } } \
        ... on BusinessUnit { account { name owner { displayName } } } \
        ... on WhiteSpaceCell { businessUnit { name } product { name } objective { title } } \
        ... on Objective { title plan { title owner { displayName } } owner { email } progress { value } } \
        ... on Activity { kind summary account { name } loggedBy { displayName } contacts { firstName } } } }";
    // Each compiled and equal; another tenant: NOT_FOUND for every one.
    nodes_compiled_and_tenant_scoped(&app, &token, q, &ids).await;
}

#[tokio::test]
async fn relations_inside_row_backed_types_cost_fixed_statements() {
    let (app, token) = demo_with_item_contacts().await;
    // One parent with a row behind every relation (checked) against every
    // parent: the same statements, one per relation and level.
    let v = app
        .graphql(Some(&token), CELL_RELATIONS, json!({ "first": 50 }))
        .await;
    let with_cells = v
        .data("accounts.nodes")
        .as_array()
        .unwrap()
        .iter()
        .find(|a| !all(a, &["whiteSpace", "cells", "objective"]).is_empty())
        .expect("an account with a cell with an objective")["name"]
        .as_str()
        .unwrap()
        .to_owned();
    let plans = plan_relations();
    for (q, one) in [
        (plans.as_str(), json!({ "first": 1 })),
        (
            CELL_RELATIONS,
            json!({ "first": 1, "filter": { "nameContains": with_cells } }),
        ),
        (OVERDUE_RELATIONS, json!({ "first": 1 })),
    ] {
        for _ in 0..2 {
            app.graphql(Some(&token), q, one.clone()).await;
        }
        let one = app.graphql(Some(&token), q, one).await;
        assert_eq!(one.execution(), "compiled", "{q}");
        // (20: more would exceed the complexity limit for this document.)
        let many = app.graphql(Some(&token), q, json!({ "first": 20 })).await;
        assert_eq!(many.execution(), "compiled", "{q} {}", many.body);
        // Rows read once per request are not read again at another level,
        // so more parents may share more of them: never more statements.
        assert!(many.statements() <= one.statements(), "{q} {}", one.body);
        // Never more than two statements (a link and its targets) per
        // selection set.
        assert!(
            many.statements() <= 2 * q.matches('{').count() as u64,
            "{q}"
        );
    }
}

#[tokio::test]
async fn relations_inside_row_backed_types_stay_in_the_callers_tenant() {
    let (app, token) = demo().await;
    let b = app.tenant("tb").await;
    let theirs = app.account(&b.admin_token, "Theirs").await;
    app.plan(&b.admin_token, &theirs, "Their plan").await;
    let plans = plan_relations();
    // Warm the shared plans with the demo tenant's requests first.
    for q in [plans.as_str(), CELL_RELATIONS] {
        for _ in 0..2 {
            app.graphql(Some(&token), q, json!({ "first": 20 })).await;
        }
    }
    for _ in 0..2 {
        app.graphql(Some(&b.admin_token), &plans, json!({ "first": 20 }))
            .await;
    }
    let r = app
        .graphql(Some(&b.admin_token), &plans, json!({ "first": 20 }))
        .await;
    assert_eq!(r.execution(), "compiled");
    assert_eq!(
        r.data("plans.nodes"),
        &json!([{ "id": r.str("plans.nodes.0.id"), "title": "Their plan",
                 "reviews": [], "growth": [], "contingencies": [], "actionItems": [] }])
    );
    let r = app
        .graphql(Some(&b.admin_token), CELL_RELATIONS, json!({ "first": 20 }))
        .await;
    assert_eq!(
        r.data("accounts.nodes.0.whiteSpace"),
        &json!({ "rows": [], "cells": [] })
    );
}

#[tokio::test]
async fn lookups_by_id_run_compiled_and_keep_their_errors() {
    let (app, token) = demo_with_item_contacts().await;
    let v = app
        .graphql(
            Some(&token),
            "{ viewer { user { id } } plans(first: 20) { nodes { id actionItems { id } } } }",
            json!({}),
        )
        .await;
    let plan = v.str("plans.nodes.0.id");
    let item = all(v.data("plans.nodes"), &["actionItems", "id"])[0]
        .as_str()
        .unwrap()
        .to_owned();
    let user = v.str("viewer.user.id");
    let q = "query($p: ID!, $u: ID!, $i: ID!) { \
        plan(id: $p) { __typename id title status owner { displayName } account { name } \
          objectives { title progress { value } } actionItems { title assignee { email } } } \
        u: user(id: $u) { id email displayName role } \
        actionItem(id: $i) { id title plan { title } contacts { firstName account { name } } \
          assessments { happened assessedBy { displayName } } objective { title } } }";
    let vars = json!({ "p": plan, "u": user, "i": item });
    let r = same(&app, &token, q, vars.clone(), true).await;
    assert_eq!(r["data"]["plan"]["id"], plan.as_str());
    assert_eq!(r["data"]["u"]["id"], user.as_str());
    assert_eq!(r["data"]["actionItem"]["id"], item.as_str());

    // A malformed id, an id of another kind, a missing row: the compiled
    // path gives way and async-graphql's errors are the answer.
    let missing = "UGxhbjowMTkwMDAwMC0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA";
    for (vars, code) in [
        (
            json!({ "p": "garbage", "u": user, "i": item }),
            "VALIDATION",
        ),
        (json!({ "p": user, "u": user, "i": item }), "NOT_FOUND"),
        (json!({ "p": missing, "u": user, "i": item }), "NOT_FOUND"),
    ] {
        let r = app.graphql(Some(&token), q, vars).await;
        r.assert_error(code);
        assert_eq!(r.execution(), "resolvers");
        assert_eq!(r.body["data"], Value::Null, "{}", r.body);
    }
    // Another tenant finds none of them.
    let b = app.tenant("tb").await;
    for _ in 0..2 {
        let r = app.graphql(Some(&b.admin_token), q, vars.clone()).await;
        r.assert_error("NOT_FOUND");
        assert_eq!(r.body["data"], Value::Null);
    }
}

const AGENDA: &str = "query($from: NaiveDate!, $to: NaiveDate!) { viewer { __typename \
    user { displayName } \
    agenda(from: $from, to: $to) { __typename id dueDate overdue \
      actionItem { title cadence plan { title account { name } } assignee { email } } \
      assessment { happened assessedBy { displayName } } } \
    soon: agenda(from: \"2026-12-01\", to: \"2026-12-31\") { dueDate } } }";

#[tokio::test]
async fn the_agenda_and_the_catalogue_run_compiled() {
    let (app, _) = demo().await;
    let sam = app
        .login(
            "demo",
            "sam.sales@demo.example",
            steward_api::demo::DEMO_PASSWORD,
        )
        .await;
    let window = json!({ "from": "2026-01-01", "to": "2026-12-31" });
    let v = same(&app, &sam.token, AGENDA, window.clone(), true).await;
    let agenda = v["data"]["viewer"]["agenda"].as_array().unwrap();
    assert!(agenda.len() > 1, "{v}");
    assert!(agenda.iter().any(|o| o["overdue"] == true), "{v}");
    assert!(agenda.iter().any(|o| !o["assessment"].is_null()), "{v}");
    for o in agenda {
        assert!(
            o["actionItem"]["plan"]["account"]["name"].is_string(),
            "{o}"
        );
        assert_eq!(
            o["actionItem"]["assignee"]["email"],
            "sam.sales@demo.example"
        );
    }
    // Statements do not depend on the number of occurrences.
    let short = json!({ "from": "2026-06-01", "to": "2026-06-30" });
    for _ in 0..2 {
        app.graphql(Some(&sam.token), AGENDA, short.clone()).await;
    }
    let few = app.graphql(Some(&sam.token), AGENDA, short).await;
    let many = app.graphql(Some(&sam.token), AGENDA, window).await;
    assert_eq!(few.execution(), "compiled");
    assert_eq!(few.statements(), many.statements());

    // A window the service refuses, a date out of range: async-graphql's
    // errors, nothing from the compiled path.
    for (vars, code) in [
        (
            json!({ "from": "2026-02-01", "to": "2026-01-01" }),
            "VALIDATION",
        ),
        (
            json!({ "from": "2025-01-01", "to": "2026-12-31" }),
            "VALIDATION",
        ),
        (
            json!({ "from": "0000-01-01", "to": "0000-02-01" }),
            "VALIDATION",
        ),
    ] {
        let r = app.graphql(Some(&sam.token), AGENDA, vars).await;
        r.assert_error(code);
        assert_eq!(r.execution(), "resolvers");
    }
    // Another tenant's user has an empty agenda.
    let b = app.tenant("tb").await;
    let r = app
        .graphql(
            Some(&b.admin_token),
            AGENDA,
            json!({ "from": "2026-01-01", "to": "2026-12-31" }),
        )
        .await;
    assert_eq!(r.execution(), "compiled");
    assert_eq!(r.data("viewer.agenda"), &json!([]));

    // The catalogue, with and without inactive products.
    let q = "query($all: Boolean) { products(includeInactive: $all) { __typename id name description active version } }";
    let active = same(&app, &sam.token, q, json!({}), true).await;
    let all = same(&app, &sam.token, q, json!({ "all": true }), true).await;
    assert!(!active["data"]["products"].as_array().unwrap().is_empty());
    assert!(
        all["data"]["products"].as_array().unwrap().len()
            >= active["data"]["products"].as_array().unwrap().len()
    );
    let r = app.graphql(Some(&b.admin_token), q, json!({})).await;
    assert_eq!(r.data("products"), &json!([]));
}

/// A month of every item's occurrences (more would exceed the complexity
/// limit for 20 plans: a window counts a day per item).
const OCCURRENCES: &str = "query($from: NaiveDate!, $to: NaiveDate!) { plans(first: 20) { nodes { \
    actionItems { id title status nextOccurrence \
      occurrences(from: $from, to: $to) { __typename id dueDate overdue assessment { happened } } \
      early: occurrences(from: \"2026-01-01\", to: \"2026-01-31\") { dueDate overdue } } } } }";

/// A year of one item's occurrences, with their relations.
const ITEM_YEAR: &str = "query($id: ID!) { actionItem(id: $id) { title nextOccurrence \
    occurrences(from: \"2026-01-01\", to: \"2026-12-31\") { __typename id dueDate overdue \
      actionItem { title assignee { displayName } plan { title } } \
      assessment { happened assessedBy { displayName } } } } }";

#[tokio::test]
async fn occurrences_and_next_occurrence_run_compiled() {
    let (app, token) = demo().await;
    let mut seen = Vec::new();
    for (from, to) in [("2026-05-01", "2026-05-31"), ("2026-06-01", "2026-06-30")] {
        // The window in variables: a plan per request.
        let v = same(
            &app,
            &token,
            OCCURRENCES,
            json!({ "from": from, "to": to }),
            true,
        )
        .await;
        let items = all(&v["data"]["plans"]["nodes"], &["actionItems"]);
        assert!(items.iter().any(|i| i["nextOccurrence"].is_string()), "{v}");
        for o in all(
            &v["data"]["plans"]["nodes"],
            &["actionItems", "occurrences"],
        ) {
            assert!(o["dueDate"].as_str().unwrap() >= from, "{o}");
            assert!(o["dueDate"].as_str().unwrap() <= to, "{o}");
            seen.push(o.clone());
        }
    }
    assert!(seen.iter().any(|o| o["overdue"] == true), "{seen:?}");
    assert!(seen.iter().any(|o| !o["assessment"].is_null()), "{seen:?}");
    // One item's year, with relations under its occurrences.
    let v = app
        .graphql(
            Some(&token),
            OCCURRENCES,
            json!({ "from": "2026-05-01", "to": "2026-05-31" }),
        )
        .await;
    let item = all(v.data("plans.nodes"), &["actionItems"])
        .into_iter()
        .find(|i| !i["occurrences"].as_array().unwrap().is_empty())
        .expect("an item due in May")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let year = same(&app, &token, ITEM_YEAR, json!({ "id": item }), true).await;
    assert!(
        year["data"]["actionItem"]["occurrences"]
            .as_array()
            .unwrap()
            .len()
            > 1
    );
    // A window the resolver refuses: its error, from async-graphql.
    let r = app
        .graphql(
            Some(&token),
            OCCURRENCES,
            json!({ "from": "2026-06-01", "to": "2026-01-01" }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.execution(), "resolvers");

    // node(id:) of an occurrence, assessed or not.
    let ids: Vec<String> = occurrences_of(&seen);
    let q = "query($id: ID!) { node(id: $id) { __typename id ... on Occurrence { dueDate overdue \
             actionItem { title nextOccurrence plan { title } } assessment { happened } } } }";
    for id in &ids {
        let r = same(&app, &token, q, json!({ "id": id }), true).await;
        assert_eq!(r["data"]["node"]["id"], id.as_str());
    }
    // Another tenant: not found, and no plans.
    let b = app.tenant("tb").await;
    for _ in 0..2 {
        let r = app
            .graphql(Some(&b.admin_token), q, json!({ "id": ids[0] }))
            .await;
        r.assert_error("NOT_FOUND");
        let r = app
            .graphql(Some(&b.admin_token), ITEM_YEAR, json!({ "id": item }))
            .await;
        r.assert_error("NOT_FOUND");
    }
    let r = app
        .graphql(
            Some(&b.admin_token),
            OCCURRENCES,
            json!({ "from": "2026-01-01", "to": "2026-01-31" }),
        )
        .await;
    assert_eq!(r.execution(), "compiled");
    assert_eq!(r.data("plans.nodes"), &json!([]));
}

/// Two occurrence ids among `seen`: one assessed, one not.
fn occurrences_of(seen: &[Value]) -> Vec<String> {
    let pick = |assessed: bool| {
        seen.iter()
            .find(|o| o["assessment"].is_null() != assessed)
            .unwrap_or_else(|| panic!("no occurrence assessed={assessed}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    vec![pick(true), pick(false)]
}

/// A row read once in a request is not read again at another level: an
/// item assigned to its plan's owner costs one users statement for both.
#[tokio::test]
async fn rows_read_once_per_request_are_not_read_again() {
    let (app, token) = demo().await;
    let v = app
        .graphql(
            Some(&token),
            "{ plans(first: 50) { nodes { owner { id } actionItems { id assignee { id } } } } }",
            json!({}),
        )
        .await;
    let item = v
        .data("plans.nodes")
        .as_array()
        .unwrap()
        .iter()
        .find_map(|p| {
            p["actionItems"]
                .as_array()
                .unwrap()
                .iter()
                .find(|i| i["assignee"]["id"] == p["owner"]["id"])
                .map(|i| i["id"].as_str().unwrap().to_owned())
        })
        .expect("an item assigned to its plan's owner");
    let count = |q: &'static str| {
        let app = &app;
        let token = token.clone();
        let item = item.clone();
        async move {
            for _ in 0..2 {
                app.graphql(Some(&token), q, json!({ "id": item })).await;
            }
            let r = app.graphql(Some(&token), q, json!({ "id": item })).await;
            assert_eq!(r.execution(), "compiled", "{q}");
            r.statements()
        }
    };
    let alone = count(
        "query($id: ID!) { actionItem(id: $id) { assignee { displayName } plan { title } } }",
    )
    .await;
    let with_owner = count(
        "query($id: ID!) { actionItem(id: $id) { assignee { displayName } plan { title owner { displayName } } } }",
    )
    .await;
    assert_eq!(alone, with_owner);
    // The same document on async-graphql's path answers the same.
    same(
        &app,
        &token,
        "query($id: ID!) { actionItem(id: $id) { assignee { displayName } plan { title owner { displayName } } } }",
        json!({ "id": item }),
        true,
    )
    .await;
}
