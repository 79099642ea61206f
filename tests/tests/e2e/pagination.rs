//! The accounts connection (keyset cursors, orderings, filters) and the
//! contacts connection of an account.

use crate::helpers::*;
use serde_json::{Value, json};

/// A JSON string, or a panic naming what was there instead.
fn text(v: &Value) -> String {
    v.as_str()
        .unwrap_or_else(|| panic!("not a string: {v}"))
        .to_owned()
}

/// A JSON array, or a panic naming what was there instead.
fn list(v: &Value) -> &Vec<Value> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}"))
}

/// A JSON boolean, or a panic naming what was there instead.
fn flag(v: &Value) -> bool {
    v.as_bool().unwrap_or_else(|| panic!("not a boolean: {v}"))
}
use std::collections::HashSet;

const ACCOUNTS_Q: &str = "query($first: Int, $after: String, $last: Int, $before: String, $filter: AccountFilter, $order: AccountOrderBy) { accounts(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $order) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id name tier archived } } } }";

/// One page of a connection.
#[derive(Debug)]
struct Page {
    ids: Vec<String>,
    names: Vec<String>,
    cursors: Vec<String>,
    has_next: bool,
    has_previous: bool,
    start: Option<String>,
    end: Option<String>,
}

impl Page {
    fn from(conn: &Value, name: impl Fn(&Value) -> String) -> Self {
        let edges = list(&conn["edges"]);
        let info = &conn["pageInfo"];
        let p = Page {
            ids: edges.iter().map(|e| text(&e["node"]["id"])).collect(),
            names: edges.iter().map(|e| name(&e["node"])).collect(),
            cursors: edges.iter().map(|e| text(&e["cursor"])).collect(),
            has_next: flag(&info["hasNextPage"]),
            has_previous: flag(&info["hasPreviousPage"]),
            start: info["startCursor"].as_str().map(str::to_owned),
            end: info["endCursor"].as_str().map(str::to_owned),
        };
        // The page info's cursors are those of the first and last edge.
        assert_eq!(p.start.as_ref(), p.cursors.first(), "{conn}");
        assert_eq!(p.end.as_ref(), p.cursors.last(), "{conn}");
        p
    }
}

/// One page of `accounts` with these arguments.
async fn accounts(app: &TestApp, token: &str, args: Value) -> Page {
    let r = app.graphql(Some(token), ACCOUNTS_Q, args).await;
    Page::from(r.data("accounts"), |n| text(&n["name"]))
}

/// Creates accounts with these names, in this order; returns their ids.
async fn create_all(app: &TestApp, token: &str, names: &[String]) -> Vec<String> {
    let mut ids = Vec::new();
    for n in names {
        ids.push(app.account(token, n).await);
    }
    ids
}

/// 25 names in mixed case, in a scrambled order: `acme 00`, `BETA 06`, ...
/// Sorting them case-sensitively would give another order.
fn mixed_case_names() -> Vec<String> {
    const WORDS: [&str; 5] = ["acme", "Beta", "cobalt", "DELTA", "Echo"];
    (0..25)
        .map(|i| (i * 7) % 25)
        .map(|n: usize| {
            let w = WORDS[n % 5];
            let w = match (n / 5) % 3 {
                0 => w.to_owned(),
                1 => w.to_uppercase(),
                _ => w.to_lowercase(),
            };
            format!("{w} {n:02}")
        })
        .collect()
}

fn sorted_case_insensitively(names: &[String]) -> Vec<String> {
    let mut v = names.to_vec();
    v.sort_by_key(|n| n.to_lowercase());
    v
}

fn assert_distinct(ids: &[String]) {
    let set: HashSet<&String> = ids.iter().collect();
    assert_eq!(set.len(), ids.len(), "duplicates in {ids:?}");
}

#[tokio::test]
async fn paging_forward_visits_every_account_once_in_case_insensitive_name_order() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    let names = mixed_case_names();
    create_all(&app, tok, &names).await;

    let all = accounts(&app, tok, json!({ "first": 100 })).await;
    assert_eq!(all.names, sorted_case_insensitively(&names));
    assert!(!all.has_next && !all.has_previous);
    // NAME_ASC is the default.
    let explicit = accounts(&app, tok, json!({ "first": 100, "order": "NAME_ASC" })).await;
    assert_eq!(explicit.ids, all.ids);

    let mut seen = Vec::new();
    let mut sizes = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let p = accounts(&app, tok, json!({ "first": 7, "after": after })).await;
        assert_eq!(p.has_previous, after.is_some(), "{p:?}");
        sizes.push(p.ids.len());
        seen.extend(p.ids.iter().cloned());
        if !p.has_next {
            break;
        }
        assert!(sizes.len() < 10, "paging does not end");
        after = p.end.clone();
    }
    assert_eq!(sizes, vec![7, 7, 7, 4]);
    assert_distinct(&seen);
    assert_eq!(seen.len(), 25);
    assert_eq!(seen, all.ids);
}

#[tokio::test]
async fn paging_backward_from_the_end_returns_the_same_accounts() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    let names = mixed_case_names();
    create_all(&app, tok, &names).await;
    let all = accounts(&app, tok, json!({ "first": 100 })).await;

    let mut pages: Vec<Page> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let p = accounts(&app, tok, json!({ "last": 7, "before": before })).await;
        assert_eq!(p.has_next, before.is_some(), "{p:?}");
        let more = p.has_previous;
        before = p.start.clone();
        pages.push(p);
        if !more {
            break;
        }
        assert!(pages.len() < 10, "paging does not end");
    }
    let sizes: Vec<usize> = pages.iter().map(|p| p.ids.len()).collect();
    assert_eq!(sizes, vec![7, 7, 7, 4]);
    // Each page is in ascending order; the pages come from the end.
    assert_eq!(pages[0].ids, all.ids[18..25]);
    assert_eq!(pages[3].ids, all.ids[0..4]);
    let joined: Vec<String> = pages.iter().rev().flat_map(|p| p.ids.clone()).collect();
    assert_distinct(&joined);
    assert_eq!(joined, all.ids);
    assert!(!pages[3].has_previous);
}

#[tokio::test]
async fn name_desc_reverses_name_asc_and_created_at_follows_creation_order() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    let names = mixed_case_names();
    let created = create_all(&app, tok, &names).await;

    let asc = accounts(&app, tok, json!({ "first": 100, "order": "NAME_ASC" })).await;
    let desc = accounts(&app, tok, json!({ "first": 100, "order": "NAME_DESC" })).await;
    let mut reversed = asc.ids.clone();
    reversed.reverse();
    assert_eq!(desc.ids, reversed);

    let oldest = accounts(
        &app,
        tok,
        json!({ "first": 100, "order": "CREATED_AT_ASC" }),
    )
    .await;
    assert_eq!(oldest.ids, created);
    let newest = accounts(
        &app,
        tok,
        json!({ "first": 100, "order": "CREATED_AT_DESC" }),
    )
    .await;
    let mut rev_created = created.clone();
    rev_created.reverse();
    assert_eq!(newest.ids, rev_created);

    // Paging through the other orderings gives the same sequences.
    for (order, expected) in [
        ("NAME_DESC", &desc.ids),
        ("CREATED_AT_ASC", &created),
        ("CREATED_AT_DESC", &rev_created),
    ] {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let p = accounts(
                &app,
                tok,
                json!({ "first": 6, "after": after, "order": order }),
            )
            .await;
            seen.extend(p.ids.iter().cloned());
            if !p.has_next {
                break;
            }
            after = p.end.clone();
        }
        assert_eq!(&seen, expected, "{order}");
    }
}

#[tokio::test]
async fn a_page_boundary_holds_when_accounts_are_inserted_before_it() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    let names: Vec<String> = (1..=10).map(|i| format!("Kilo {i:02}")).collect();
    create_all(&app, tok, &names).await;

    let first = accounts(&app, tok, json!({ "first": 5 })).await;
    assert_eq!(first.names, names[0..5]);
    assert!(first.has_next);

    // Three accounts that sort before the cursor (`kilo 05`), one after it.
    for n in ["Alpha", "aardvark", "KILO 00"] {
        app.account(tok, n).await;
    }
    app.account(tok, "kilo 05b").await;

    let next = accounts(&app, tok, json!({ "first": 5, "after": first.end })).await;
    assert!(next.has_previous);
    for id in &next.ids {
        assert!(!first.ids.contains(id), "{id} repeats: {next:?}");
    }
    assert_eq!(
        next.names,
        vec!["kilo 05b", "Kilo 06", "Kilo 07", "Kilo 08", "Kilo 09"],
        "nothing after the cursor is skipped"
    );
    let last = accounts(&app, tok, json!({ "first": 5, "after": next.end })).await;
    assert_eq!(last.names, vec!["Kilo 10"]);
    assert!(!last.has_next);
}

#[tokio::test]
async fn bad_paging_arguments_are_validation_errors() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    for i in 0..3 {
        app.account(tok, &format!("Acme {i}")).await;
    }
    let asc = accounts(&app, tok, json!({ "first": 1 })).await;
    let cursor = asc.end.clone().expect("a cursor");
    // The cursor works with its own ordering.
    let ok = accounts(&app, tok, json!({ "first": 1, "after": cursor })).await;
    assert_eq!(ok.names, vec!["Acme 1"]);

    let cases = [
        (
            json!({ "first": 1, "after": cursor, "order": "NAME_DESC" }),
            "after",
            "cursor of another ordering",
        ),
        (
            json!({ "first": 1, "after": cursor, "order": "CREATED_AT_ASC" }),
            "after",
            "cursor of another ordering",
        ),
        (
            json!({ "last": 1, "before": cursor, "order": "NAME_DESC" }),
            "before",
            "cursor of another ordering",
        ),
        (json!({ "first": 101 }), "first", "too large"),
        (json!({ "last": 101 }), "last", "too large"),
        (json!({ "first": -1 }), "first", "negative"),
        (json!({ "first": 1, "last": 1 }), "last", "first and last"),
        (
            json!({ "first": 1, "after": "garbage" }),
            "after",
            "garbage",
        ),
        (json!({ "first": 1, "after": "" }), "after", "empty cursor"),
        (
            json!({ "last": 1, "before": "Tk9QRQ" }),
            "before",
            "base64 garbage",
        ),
    ];
    for (args, field, what) in cases {
        let r = app.graphql(Some(tok), ACCOUNTS_Q, args).await;
        assert_eq!(r.code(), "VALIDATION", "{what}: {}", r.body);
        assert_eq!(r.field(), field, "{what}: {}", r.body);
        assert!(r.body["data"].is_null(), "{what}: {}", r.body);
    }
    // The largest page is fine.
    let all = accounts(&app, tok, json!({ "first": 100 })).await;
    assert_eq!(all.ids.len(), 3);
}

#[tokio::test]
async fn filtering_by_tier_returns_only_those_tiers() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    let mut strategic = Vec::new();
    for (name, tier) in [
        ("Big One", Some("STRATEGIC")),
        ("Keyed", Some("KEY")),
        ("Small", None),
        ("Big Two", Some("STRATEGIC")),
        ("Kept", Some("MAINTAIN")),
    ] {
        let mut input = json!({ "name": name });
        if let Some(tier) = tier {
            input["tier"] = json!(tier);
        }
        let id = app
            .create_account(tok, input)
            .await
            .str("createAccount.account.id");
        if tier == Some("STRATEGIC") {
            strategic.push(id);
        }
    }
    let r = app
        .graphql(
            Some(tok),
            ACCOUNTS_Q,
            json!({ "first": 100, "filter": { "tiers": ["STRATEGIC"] } }),
        )
        .await;
    let edges = list(r.data("accounts.edges")).clone();
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["tier"] == json!("STRATEGIC")),
        "{edges:?}"
    );
    let p = Page::from(r.data("accounts"), |n| text(&n["name"]));
    assert_eq!(p.names, vec!["Big One", "Big Two"]);
    assert_eq!(p.ids, strategic);

    let p = accounts(
        &app,
        tok,
        json!({ "first": 100, "filter": { "tiers": ["STRATEGIC", "KEY"] } }),
    )
    .await;
    assert_eq!(p.names, vec!["Big One", "Big Two", "Keyed"]);
    let p = accounts(
        &app,
        tok,
        json!({ "first": 100, "filter": { "tiers": ["GROWTH"] } }),
    )
    .await;
    assert_eq!(p.names, vec!["Small"], "GROWTH is the default tier");
    // Paging within a filter.
    let p = accounts(
        &app,
        tok,
        json!({ "first": 1, "filter": { "tiers": ["STRATEGIC"] } }),
    )
    .await;
    assert!(p.has_next);
    let p = accounts(
        &app,
        tok,
        json!({ "first": 1, "after": p.end, "filter": { "tiers": ["STRATEGIC"] } }),
    )
    .await;
    assert_eq!(p.names, vec!["Big Two"]);
    assert!(!p.has_next);
}

#[tokio::test]
async fn name_contains_is_case_insensitive() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    for n in ["Acme Corp", "ACME Labs", "my acme", "Globex", "Ac me"] {
        app.account(tok, n).await;
    }
    for needle in ["ACME", "acme", "aCmE"] {
        let p = accounts(
            &app,
            tok,
            json!({ "first": 100, "filter": { "nameContains": needle } }),
        )
        .await;
        assert_eq!(
            p.names,
            vec!["Acme Corp", "ACME Labs", "my acme"],
            "{needle}"
        );
    }
    let p = accounts(
        &app,
        tok,
        json!({ "first": 100, "filter": { "nameContains": "nothing like it" } }),
    )
    .await;
    assert!(p.ids.is_empty());
    assert!(!p.has_next);
}

#[tokio::test]
async fn name_contains_matches_percent_underscore_and_backslash_literally() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    for n in [
        "50% Corp",
        "500 Corp",
        "a_b",
        "axb",
        "back\\slash",
        "backslash",
    ] {
        app.account(tok, n).await;
    }
    for (needle, expected) in [
        ("50%", vec!["50% Corp"]),
        ("%", vec!["50% Corp"]),
        ("a_b", vec!["a_b"]),
        ("_", vec!["a_b"]),
        ("k\\s", vec!["back\\slash"]),
        ("50", vec!["50% Corp", "500 Corp"]),
    ] {
        let p = accounts(
            &app,
            tok,
            json!({ "first": 100, "filter": { "nameContains": needle } }),
        )
        .await;
        assert_eq!(p.names, expected, "{needle}");
    }
}

#[tokio::test]
async fn archived_accounts_are_hidden_unless_asked_for() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    let ids = create_all(
        &app,
        tok,
        &["Alpha".into(), "Bravo".into(), "Charlie".into()],
    )
    .await;
    let r = app
        .graphql(
            Some(tok),
            "mutation($id: ID!) { archiveAccount(input: {id: $id}) { account { archived } } }",
            json!({ "id": ids[1] }),
        )
        .await;
    assert_eq!(r.data("archiveAccount.account.archived"), &json!(true));

    let p = accounts(&app, tok, json!({ "first": 100 })).await;
    assert_eq!(p.names, vec!["Alpha", "Charlie"]);
    let p = accounts(
        &app,
        tok,
        json!({ "first": 100, "filter": { "includeArchived": false } }),
    )
    .await;
    assert_eq!(p.names, vec!["Alpha", "Charlie"]);
    let p = accounts(
        &app,
        tok,
        json!({ "first": 100, "filter": { "includeArchived": true } }),
    )
    .await;
    assert_eq!(p.names, vec!["Alpha", "Bravo", "Charlie"]);
    // Still readable by id.
    let r = app
        .graphql(
            Some(tok),
            "query($id: ID!) { account(id: $id) { name archived } }",
            json!({ "id": ids[1] }),
        )
        .await;
    assert_eq!(
        r.data("account"),
        &json!({ "name": "Bravo", "archived": true })
    );
    // Filters combine with includeArchived.
    let p = accounts(
        &app,
        tok,
        json!({ "first": 100, "filter": { "includeArchived": true, "nameContains": "bra" } }),
    )
    .await;
    assert_eq!(p.ids, vec![ids[1].clone()]);
}

const CONTACTS_Q: &str = "query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) { account(id: $id) { contacts(first: $first, after: $after, last: $last, before: $before) { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id firstName lastName } } } } }";

async fn contacts(app: &TestApp, token: &str, args: Value) -> Page {
    let r = app.graphql(Some(token), CONTACTS_Q, args).await;
    Page::from(r.data("account.contacts"), |n| {
        format!("{} {}", text(&n["firstName"]), text(&n["lastName"]))
    })
}

#[tokio::test]
async fn account_contacts_page_by_last_then_first_name_case_insensitively() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    let acc = app.account(tok, "Acme").await;
    // Created out of order, in mixed case; ties on the last name are broken
    // by the first name.
    let people = [
        ("carl", "SMITH"),
        ("Zoe", "adams"),
        ("anna", "Smith"),
        ("Bob", "smith"),
        ("yves", "Brown"),
        ("Xena", "BROWN"),
        ("Mia", "cole"),
        ("Al", "Zimmer"),
        ("ben", "Young"),
        ("Cid", "young"),
        ("Dora", "Evans"),
        ("eve", "evans"),
    ];
    for (first, last) in people {
        app.contact(tok, &acc, first, last).await;
    }
    let mut expected: Vec<(String, String)> = people
        .iter()
        .map(|(f, l)| ((*f).to_owned(), (*l).to_owned()))
        .collect();
    expected.sort_by_key(|(f, l)| (l.to_lowercase(), f.to_lowercase()));
    let expected: Vec<String> = expected
        .into_iter()
        .map(|(f, l)| format!("{f} {l}"))
        .collect();
    assert_eq!(expected[0], "Zoe adams");
    assert_eq!(expected[11], "Al Zimmer");

    let mut seen_ids = Vec::new();
    let mut seen_names = Vec::new();
    let mut sizes = Vec::new();
    let mut flags = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let p = contacts(&app, tok, json!({ "id": acc, "first": 5, "after": after })).await;
        assert_eq!(p.has_previous, after.is_some(), "{p:?}");
        sizes.push(p.ids.len());
        flags.push(p.has_next);
        seen_ids.extend(p.ids.iter().cloned());
        seen_names.extend(p.names.iter().cloned());
        if !p.has_next {
            break;
        }
        assert!(sizes.len() < 10, "paging does not end");
        after = p.end.clone();
    }
    assert_eq!(sizes, vec![5, 5, 2]);
    assert_eq!(flags, vec![true, true, false]);
    assert_distinct(&seen_ids);
    assert_eq!(seen_names, expected);

    // From the end.
    let p = contacts(&app, tok, json!({ "id": acc, "last": 5 })).await;
    assert_eq!(p.names, expected[7..12]);
    assert!(p.has_previous);
    let p = contacts(
        &app,
        tok,
        json!({ "id": acc, "last": 5, "before": p.start }),
    )
    .await;
    assert_eq!(p.names, expected[2..7]);
    assert!(p.has_next);
}

#[tokio::test]
async fn a_last_name_sorts_before_a_longer_last_name_it_begins() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    let acc = app.account(tok, "Acme").await;
    for (first, last) in [
        ("Al", "Berg Olsen"),
        ("Zoe", "Berg"),
        ("Ann", "De Vries"),
        ("Zed", "de"),
    ] {
        app.contact(tok, &acc, first, last).await;
    }
    // By last name first: "berg" < "berg olsen" and "de" < "de vries",
    // whatever the first names.
    let p = contacts(&app, tok, json!({ "id": acc, "first": 10 })).await;
    assert_eq!(
        p.names,
        vec!["Zoe Berg", "Al Berg Olsen", "Zed de", "Ann De Vries"]
    );
}

#[tokio::test]
async fn total_counts_count_the_whole_filtered_list_and_child_counts_are_batched() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.user(&t, "VIEWER", "vic").await;
    let mut ids = Vec::new();
    for name in ["Alpha", "Beta", "Gamma", "Delta", "Archived"] {
        ids.push(app.account(&t.admin_token, name).await);
    }
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { archiveAccount(input: {id: $id}) { account { id } } }",
        json!({ "id": ids[4] }),
    )
    .await
    .data("archiveAccount");
    let gone = app.contact(&t.admin_token, &ids[0], "Gone", "Person").await;
    for (first, last) in [("Ann", "Lee"), ("Bo", "Kim"), ("Cy", "Ray")] {
        app.contact(&t.admin_token, &ids[0], first, last).await;
    }
    app.contact(&t.admin_token, &ids[1], "Di", "Fox").await;
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { deleteContact(input: {id: $id}) { contact { id } } }",
        json!({ "id": gone }),
    )
    .await
    .data("deleteContact");
    for (a, title) in [(&ids[0], "P1"), (&ids[0], "P2"), (&ids[2], "P3")] {
        app.plan(&t.admin_token, a, title).await;
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            "{ accounts(first: 2) { totalCount nodes { id } } all: accounts(first: 1, filter: {includeArchived: true}) { totalCount } \
               some: accounts(filter: {nameContains: \"a\"}) { totalCount } users { totalCount } plans(first: 1) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data("accounts.totalCount"), &json!(4));
    assert_eq!(r.data("accounts.nodes").as_array().unwrap().len(), 2);
    assert_eq!(r.data("all.totalCount"), &json!(5));
    assert_eq!(
        r.data("some.totalCount"),
        &json!(4),
        "Alpha, Beta, Gamma, Delta"
    );
    assert_eq!(r.data("users.totalCount"), &json!(2));
    assert_eq!(r.data("plans.totalCount"), &json!(3));
    assert_eq!(r.headers["x-steward-execution"], "resolvers");

    // Child counts: one statement per level, whatever the page size.
    app.graphql(
        Some(&t.admin_token),
        "mutation($a: ID!, $at: DateTime!) { logActivity(input: {accountId: $a, kind: CALL, occurredAt: $at, summary: \"s\"}) { activity { id } } }",
        json!({ "a": ids[3], "at": "2026-01-02T10:00:00Z" }),
    )
    .await
    .data("logActivity");
    let children = "query($n: Int) { accounts(first: $n, orderBy: NAME_ASC) { nodes { name \
        contacts(first: 1) { totalCount } plans(first: 1) { totalCount } \
        activities(first: 1) { totalCount } } } }";
    let two = app
        .graphql(Some(&t.admin_token), children, json!({ "n": 2 }))
        .await;
    let four = app
        .graphql(Some(&t.admin_token), children, json!({ "n": 4 }))
        .await;
    assert_eq!(two.statements(), four.statements());
    let counts: Vec<(String, i64, i64, i64)> = four
        .data("accounts.nodes")
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["name"].as_str().unwrap().to_owned(),
                n["contacts"]["totalCount"].as_i64().unwrap(),
                n["plans"]["totalCount"].as_i64().unwrap(),
                n["activities"]["totalCount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        counts,
        vec![
            ("Alpha".to_owned(), 3, 2, 0),
            ("Beta".to_owned(), 1, 0, 0),
            ("Delta".to_owned(), 0, 0, 1),
            ("Gamma".to_owned(), 0, 1, 0),
        ]
    );
    // Another tenant counts its own.
    let other = app.tenant("globex").await;
    let r = app
        .graphql(
            Some(&other.admin_token),
            "{ accounts { totalCount } users { totalCount } plans { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data("accounts.totalCount"), &json!(0));
    assert_eq!(r.data("users.totalCount"), &json!(1));
    assert_eq!(r.data("plans.totalCount"), &json!(0));
}
