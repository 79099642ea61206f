//! The key contact map: influence links added and removed by the
//! account's writers (same account only, no self-links, no duplicates);
//! `account.contactMap` as a graph with its Mermaid and DOT renderings
//! (the DOT parsed by a Graphviz parser); both read paths alike.

use crate::compiled::same;
use crate::helpers::*;
use serde_json::{Value, json};

const ADD: &str = "mutation($i: AddContactInfluenceInput!) { addContactInfluence(input: $i) { \
    influence { id kind strength note fromContactId toContactId version } account { name } } }";

const MAP: &str = "query($id: ID!) { account(id: $id) { contactMap { \
    nodes { id fullName buyingRole influence attitude status relationshipOwner { displayName } } \
    edges { kind fromId toId strength influenceId } mermaid dot } } }";

async fn link(
    app: &TestApp,
    token: &str,
    from: &str,
    to: &str,
    kind: &str,
    strength: Option<&str>,
) -> Gql {
    let mut i = json!({ "fromContactId": from, "toContactId": to, "kind": kind });
    if let Some(s) = strength {
        i["strength"] = json!(s);
    }
    app.graphql(Some(token), ADD, json!({ "i": i })).await
}

fn dot_counts(dot: &str) -> (usize, usize) {
    use graphviz_rust::dot_structures::{Graph, Stmt};
    let g = graphviz_rust::parse(dot).unwrap_or_else(|e| panic!("DOT does not parse: {e}\n{dot}"));
    let Graph::DiGraph { stmts, .. } = g else {
        panic!("not a digraph: {dot}");
    };
    let nodes = stmts.iter().filter(|s| matches!(s, Stmt::Node(_))).count();
    let edges = stmts.iter().filter(|s| matches!(s, Stmt::Edge(_))).count();
    (nodes, edges)
}

#[tokio::test]
async fn the_map_shows_contacts_reporting_lines_and_influence_and_renders_as_mermaid_and_dot() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let dana = app.contact(admin, &a, "Dana", "Whitfield").await;
    let marcus = app
        .create_contact(
            admin,
            json!({ "accountId": a, "firstName": "Marcus", "lastName": "Okafor", "buyingRole": "DECISION_MAKER",
                "reportsToId": dana, "status": "LEFT_COMPANY" }),
        )
        .await
        .str("createContact.contact.id");
    let elena = app
        .create_contact(
            admin,
            json!({ "accountId": a, "firstName": "Elena", "lastName": "García \"Coach\"", "buyingRole": "COACH", "reportsToId": dana }),
        )
        .await
        .str("createContact.contact.id");
    let r = link(&app, admin, &elena, &dana, "INFLUENCES", Some("STRONG")).await;
    let inf = r.data("addContactInfluence.influence").clone();
    assert_eq!(
        (inf["kind"].clone(), inf["strength"].clone()),
        (json!("INFLUENCES"), json!("STRONG"))
    );
    assert_eq!(inf["fromContactId"], json!(elena));
    assert_eq!(r.data("addContactInfluence.account.name"), "Globex");
    let r = link(&app, admin, &marcus, &elena, "RIVAL", None).await;
    assert_eq!(r.data("addContactInfluence.influence.strength"), "MEDIUM");

    let v = same(&app, admin, MAP, json!({ "id": a }), true).await;
    let m = &v["data"]["account"]["contactMap"];
    let names: Vec<&str> = m["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["fullName"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["Elena García \"Coach\"", "Marcus Okafor", "Dana Whitfield"]
    );
    assert_eq!(m["nodes"][1]["status"], "LEFT_COMPANY");
    let edges = m["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 4);
    assert_eq!(
        edges[0],
        json!({ "kind": "REPORTS_TO", "fromId": elena, "toId": dana, "strength": null, "influenceId": null })
    );
    assert_eq!(edges[2]["kind"], "INFLUENCES");
    assert_eq!(edges[2]["influenceId"], inf["id"]);
    assert_eq!(edges[3]["kind"], "RIVAL");

    // DOT: a Graphviz parser reads every node and edge.
    assert_eq!(dot_counts(m["dot"].as_str().unwrap()), (3, 4));
    // Mermaid: a flowchart, one line per node and per edge, the departed
    // contact in the `left` class, quotes escaped.
    let mermaid = m["mermaid"].as_str().unwrap();
    let lines: Vec<&str> = mermaid.lines().collect();
    assert_eq!(lines[0], "flowchart BT");
    assert_eq!(
        lines
            .iter()
            .filter(|l| l.trim_start().starts_with('c') && l.contains("[\""))
            .count(),
        3
    );
    assert_eq!(lines.iter().filter(|l| l.contains("|")).count(), 4);
    assert!(mermaid.contains(":::left"), "{mermaid}");
    assert!(mermaid.contains("#quot;Coach#quot;"), "{mermaid}");
    assert!(
        lines.contains(&"  c1 -.->|influences (strong)| c3"),
        "{mermaid}"
    );

    // Removing a link takes it off the map.
    let r = app
        .graphql(
            Some(admin),
            "mutation($id: ID!) { removeContactInfluence(input: {id: $id}) { removedId account { contactMap { edges { kind } } } } }",
            json!({ "id": inf["id"] }),
        )
        .await;
    assert_eq!(r.data("removeContactInfluence.removedId"), &inf["id"]);
    assert_eq!(
        r.data("removeContactInfluence.account.contactMap.edges"),
        &json!([{ "kind": "REPORTS_TO" }, { "kind": "REPORTS_TO" }, { "kind": "RIVAL" }])
    );
    // An account without contacts has an empty map that still renders.
    let empty = app.account(admin, "Empty").await;
    let v = same(&app, admin, MAP, json!({ "id": empty }), true).await;
    let m = &v["data"]["account"]["contactMap"];
    assert_eq!(
        (m["nodes"].clone(), m["edges"].clone()),
        (json!([]), json!([]))
    );
    assert_eq!(dot_counts(m["dot"].as_str().unwrap()), (0, 0));
}

#[tokio::test]
async fn bad_links_are_refused_and_change_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let other = app.tenant("evil").await;
    let admin = t.admin_token.as_str();
    let amy = app.user(&t, "ACCOUNT_MANAGER", "amy").await;
    let a = app.account(admin, "Globex").await;
    let b = app.account(admin, "Initech").await;
    let x = app.contact(admin, &a, "Xena", "A").await;
    let y = app.contact(admin, &a, "Yuri", "A").await;
    let z = app.contact(admin, &b, "Zoe", "B").await;
    let foreign_acc = app.account(&other.admin_token, "Evil").await;
    let foreign = app
        .contact(&other.admin_token, &foreign_acc, "Eve", "E")
        .await;
    link(&app, admin, &x, &y, "ALLY", None)
        .await
        .data("addContactInfluence.influence");

    let cases = [
        (
            link(&app, admin, &x, &x, "INFLUENCES", None).await,
            "VALIDATION",
            "input.toContactId",
        ),
        (
            link(&app, admin, &x, &z, "INFLUENCES", None).await,
            "VALIDATION",
            "input.toContactId",
        ),
        (
            link(&app, admin, &x, &foreign, "INFLUENCES", None).await,
            "NOT_FOUND",
            "input.toContactId",
        ),
        (
            link(&app, admin, &foreign, &x, "INFLUENCES", None).await,
            "NOT_FOUND",
            "input.fromContactId",
        ),
        (
            link(&app, admin, &x, &y, "ALLY", Some("STRONG")).await,
            "CONFLICT",
            "input.kind",
        ),
        (
            link(&app, &amy.token, &y, &x, "RIVAL", None).await,
            "FORBIDDEN",
            "",
        ),
    ];
    for (i, (r, code, field)) in cases.iter().enumerate() {
        assert_eq!(r.code(), *code, "case {i}: {}", r.body);
        if !field.is_empty() {
            assert_eq!(r.field(), *field, "case {i}: {}", r.body);
        }
    }
    let r = app
        .graphql(
            Some(admin),
            "query($id: ID!) { account(id: $id) { contactMap { edges { kind } } } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(
        r.data("account.contactMap.edges"),
        &json!([{ "kind": "ALLY" }])
    );
    // Another tenant cannot remove it; a deleted contact's links leave the map.
    let id: Value = app
        .graphql(
            Some(admin),
            "query($id: ID!) { account(id: $id) { contactMap { edges { influenceId } } } }",
            json!({ "id": a }),
        )
        .await
        .data("account.contactMap.edges.0.influenceId")
        .clone();
    app.graphql(
        Some(&other.admin_token),
        "mutation($id: ID!) { removeContactInfluence(input: {id: $id}) { removedId } }",
        json!({ "id": id }),
    )
    .await
    .assert_error("NOT_FOUND");
    app.graphql(
        Some(admin),
        "mutation($id: ID!) { deleteContact(input: {id: $id}) { contact { id } } }",
        json!({ "id": y }),
    )
    .await
    .data("deleteContact.contact.id");
    let r = app
        .graphql(
            Some(admin),
            "query($id: ID!) { account(id: $id) { contactMap { nodes { id } edges { kind } } } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(
        r.data("account.contactMap"),
        &json!({ "nodes": [{ "id": x }], "edges": [] })
    );
}

#[tokio::test]
async fn a_page_of_accounts_with_their_maps_costs_a_bounded_number_of_statements() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    for n in 0..4 {
        let a = app.account(admin, &format!("Account {n}")).await;
        let x = app.contact(admin, &a, "X", &format!("{n}")).await;
        let y = app.contact(admin, &a, "Y", &format!("{n}")).await;
        link(&app, admin, &x, &y, "INFLUENCES", None)
            .await
            .data("addContactInfluence.influence");
    }
    let q = "{ accounts(first: 50) { nodes { name contactMap { nodes { fullName relationshipOwner { id } account { name } } edges { kind fromId toId } dot } } } }";
    let (fast, reference) = crate::compiled::both_paths(&app, admin, q).await;
    // accounts, the maps' contacts and links, the contacts' accounts.
    assert!(fast.statements() <= 4, "compiled: {}", fast.statements());
    assert!(
        reference.statements() <= 4,
        "resolvers: {}",
        reference.statements()
    );
}
