//! The compiled read path (`crates/api/src/fast`) against async-graphql's
//! normal execution: the same documents and variables, byte-for-byte equal
//! responses. A document runs through async-graphql the first time the server
//! sees its text (full validation), and through the compiled path from then
//! on; a comment appended to the text makes a new document, so the reference
//! response always comes from async-graphql.

use crate::helpers::*;
use serde_json::{Value, json};

/// Everything the compiled path covers, with aliases and variables.
const ALL: &str = r#"query All($first: Int, $after: String, $last: Int, $before: String, $order: AccountOrderBy, $cf: Int = 3, $filter: AccountFilter) {
  __typename
  accounts(first: $first, after: $after, last: $last, before: $before, orderBy: $order, filter: $filter) {
    __typename
    totalCount
    pageInfo { __typename hasNextPage hasPreviousPage startCursor endCursor }
    edges { __typename cursor node { id name } }
    nodes {
      __typename id name industry website region status tier ownerId archived archivedAt createdAt updatedAt version
      owner { __typename id email displayName role active createdAt }
      annualRevenue { __typename amount currency }
      wallet: walletEstimate { currency amount }
      externalRef { __typename source externalId }
      contacts(first: $cf) {
        __typename
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id fullName } }
        nodes {
          __typename id accountId firstName lastName fullName title department email phone status
          buyingRole influence attitude reportsToId relationshipOwnerId
          externalRef { source externalId } erased createdAt updatedAt version
        }
      }
      lastContacts: contacts(last: 2) { pageInfo { hasPreviousPage startCursor } nodes { lastName } }
      plans(first: 5) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { __typename cursor node { id title } }
        nodes {
          __typename id title strategySummary periodStart periodEnd status createdAt updatedAt version
          owner { id displayName }
          objectives {
            __typename id title description metric unit baseline target currentValue progressPercent
            confidence dueDate status version owner { id email }
          }
        }
      }
    }
  }
}"#;

const ONE: &str = r#"query One($id: ID!) {
  account(id: $id) {
    id name tier annualRevenue { amount currency } ownerId createdAt updatedAt
    contacts(first: 100) { nodes { id firstName lastName title email buyingRole influence reportsToId } }
  }
}"#;

struct Raw {
    body: String,
    execution: String,
    statements: u64,
}

async fn post(app: &TestApp, token: Option<&str>, query: &str, variables: &Value) -> Raw {
    let mut req = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.expect("request");
    let execution = resp
        .headers()
        .get("x-steward-execution")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let statements = resp
        .headers()
        .get("x-steward-sql-statements")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("statement count header");
    Raw {
        body: resp.text().await.expect("body"),
        execution,
        statements,
    }
}

/// The reference (async-graphql) and the compiled response for `query`;
/// asserts which path each took and that they are byte-for-byte equal.
pub(crate) async fn same(
    app: &TestApp,
    token: &str,
    query: &str,
    variables: Value,
    compiled: bool,
) -> Value {
    let reference = post(
        app,
        Some(token),
        &format!("{query}\n# reference {}", uuid::Uuid::now_v7()),
        &variables,
    )
    .await;
    assert_eq!(reference.execution, "resolvers");
    // First sight of the text: validated and compiled; from then on compiled.
    post(app, Some(token), query, &variables).await;
    let fast = post(app, Some(token), query, &variables).await;
    assert_eq!(
        fast.execution,
        if compiled { "compiled" } else { "resolvers" },
        "{query} {variables}"
    );
    assert_eq!(fast.body, reference.body, "{query} {variables}");
    serde_json::from_str(&fast.body).expect("json")
}

/// `query` (no variables) on both read paths: async-graphql's answer
/// first (a text not seen before), then the compiled one; asserts the
/// paths taken and equal bodies, and returns (compiled, resolvers) for
/// their statement counts.
pub(crate) async fn both_paths(app: &TestApp, token: &str, query: &str) -> (Gql, Gql) {
    let reference = app
        .graphql(Some(token), &format!("{query}\n# ref"), json!({}))
        .await;
    assert_eq!(reference.execution(), "resolvers");
    app.graphql(Some(token), query, json!({})).await;
    let fast = app.graphql(Some(token), query, json!({})).await;
    assert_eq!(fast.execution(), "compiled");
    assert_eq!(fast.body, reference.body);
    (fast, reference)
}

/// `node(id:)` with `query` for each of `ids`: compiled and equal to
/// async-graphql's answer for the caller; `NOT_FOUND` (and `"node": null`)
/// for another tenant's admin, on both paths.
pub(crate) async fn nodes_compiled_and_tenant_scoped(
    app: &TestApp,
    token: &str,
    query: &str,
    ids: &[String],
) {
    for id in ids {
        let r = same(app, token, query, json!({ "id": id }), true).await;
        assert_eq!(r["data"]["node"]["id"], id.as_str(), "{r}");
    }
    let b = app.tenant("tb").await;
    for id in ids {
        for _ in 0..2 {
            let r = app
                .graphql(Some(&b.admin_token), query, json!({ "id": id }))
                .await;
            r.assert_error("NOT_FOUND");
            assert_eq!(r.body["data"]["node"], Value::Null);
        }
    }
}

pub(crate) async fn demo() -> (TestApp, String) {
    let app = spawn_app_with(|c| c.seed_demo = Some(true)).await;
    let admin = app
        .login(
            "demo",
            "admin@demo.example",
            steward_api::demo::DEMO_PASSWORD,
        )
        .await;
    // Text that needs escaping, every optional field, money and references.
    let acct = app
        .create_account(
            &admin.token,
            json!({
                "name": "Aardvark \"Quoted\" \\ Back/slash 😀 <tag> & é",
                "industry": "Ünïcode", "website": "https://aardvark.example", "region": "EMEA",
                "status": "AT_RISK", "tier": "KEY",
                "annualRevenue": { "amount": "1234.5", "currency": "EUR" },
                "walletEstimate": { "amount": "0.0001", "currency": "USD" },
                "externalRef": { "source": "salesforce", "externalId": "001\"x" }
            }),
        )
        .await
        .str("createAccount.account.id");
    let boss = app
        .create_contact(
            &admin.token,
            json!({ "accountId": acct, "firstName": "Ada", "lastName": "O'Brien \"Boss\"",
                "title": "CFO", "department": "Finance", "email": "ada@aardvark.example", "phone": "+49 30 1",
                "status": "ACTIVE", "buyingRole": "ECONOMIC_BUYER", "influence": 5, "attitude": "CHAMPION",
                "relationshipOwnerId": admin.id, "externalRef": { "source": "hubspot", "externalId": "42" } }),
        )
        .await
        .str("createContact.contact.id");
    let mut reports = Vec::new();
    for (first, last) in [("Bob", "Zed"), ("Cy", "Ärger"), ("Di", "Mø")] {
        reports.push(
            app.create_contact(
                &admin.token,
                json!({ "accountId": acct, "firstName": first, "lastName": last, "reportsToId": boss }),
            )
            .await
            .str("createContact.contact.id"),
        );
    }
    // Activities with contacts (out of name order), one with an external id.
    let log = "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } } }";
    for (days, contacts, external) in [
        (1, vec![reports[0].clone(), boss.clone()], true),
        (3, vec![reports[2].clone()], false),
        (2, vec![], false),
    ] {
        let mut input = json!({ "accountId": acct, "kind": "MEETING", "summary": format!("Met \"{days}\" days ago"),
            "occurredAt": (chrono::Utc::now() - chrono::Duration::days(days)).to_rfc3339(),
            "hoursSpent": "1.5", "contactIds": contacts });
        if external {
            input["externalRef"] = json!({ "source": "salesforce", "externalId": "00T1" });
        }
        app.graphql(Some(&admin.token), log, json!({ "i": input }))
            .await
            .data("logActivity.activity.id");
    }
    (app, admin.token)
}

#[tokio::test]
async fn compiled_reads_equal_normal_execution_byte_for_byte() {
    let (app, token) = demo().await;
    let v = same(&app, &token, ALL, json!({ "first": 4 }), true).await;
    let end = v["data"]["accounts"]["pageInfo"]["endCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        v["data"]["accounts"]["nodes"][0]["name"]
            .as_str()
            .unwrap()
            .starts_with("Aardvark")
    );
    let next = same(
        &app,
        &token,
        ALL,
        json!({ "first": 3, "after": end, "cf": 1 }),
        true,
    )
    .await;
    let start = next["data"]["accounts"]["pageInfo"]["startCursor"]
        .as_str()
        .unwrap()
        .to_owned();
    same(
        &app,
        &token,
        ALL,
        json!({ "last": 2, "before": start, "cf": null }),
        true,
    )
    .await;
    for order in ["NAME_DESC", "CREATED_AT_ASC", "CREATED_AT_DESC"] {
        same(
            &app,
            &token,
            ALL,
            json!({ "first": 5, "order": order, "cf": 10 }),
            true,
        )
        .await;
    }
    // Filters, as variables and as literals with variables inside.
    for filter in [
        json!({ "tiers": ["STRATEGIC", "KEY"] }),
        json!({ "nameContains": "AARD" }),
        json!({ "statuses": ["AT_RISK"], "includeArchived": true }),
        json!({ "ownerId": v["data"]["accounts"]["nodes"][0]["ownerId"] }),
    ] {
        same(
            &app,
            &token,
            ALL,
            json!({ "first": 10, "filter": filter }),
            true,
        )
        .await;
    }
    same(
        &app,
        &token,
        "query($t: Tier!) { accounts(first: 3, filter: {tiers: [$t]}) { nodes { name tier } } }",
        json!({ "t": "STRATEGIC" }),
        true,
    )
    .await;
    // Every account of the tenant (with plans and objectives), and an empty page.
    same(&app, &token, ALL, json!({ "first": 100 }), true).await;
    same(&app, &token, ALL, json!({ "first": 0 }), true).await;

    // One account by id (the benchmark's Q1), and literal arguments.
    let id = v["data"]["accounts"]["nodes"][0]["id"].as_str().unwrap();
    same(&app, &token, ONE, json!({ "id": id }), true).await;
    // By id on Postgres the account and its first contacts page come in one
    // statement: pages both ways, a second page, no contacts at all.
    let pages = "query($id: ID!, $a: String, $b: String, $l: Int) { account(id: $id) { name
        contacts(first: 2, after: $a, before: $b) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id lastName } }
        tail: contacts(last: $l) { edges { cursor node { lastName } } } owner { displayName } } }";
    let first = same(&app, &token, pages, json!({ "id": id, "l": 3 }), true).await;
    let end = first["data"]["account"]["contacts"]["pageInfo"]["endCursor"].clone();
    let next = same(
        &app,
        &token,
        pages,
        json!({ "id": id, "a": end, "l": 1 }),
        true,
    )
    .await;
    let start = next["data"]["account"]["contacts"]["pageInfo"]["startCursor"].clone();
    same(&app, &token, pages, json!({ "id": id, "b": start }), true).await;
    let lonely = app.account(&token, "Lonely Ltd").await;
    let r = same(&app, &token, pages, json!({ "id": lonely, "l": 2 }), true).await;
    assert_eq!(r["data"]["account"]["contacts"]["nodes"], json!([]));
    same(
        &app,
        &token,
        "{ a: accounts(first: 2, orderBy: NAME_DESC) { nodes { id __typename } } b: accounts(last: 2) { pageInfo { hasPreviousPage startCursor } nodes { name } } }",
        json!({}),
        true,
    )
    .await;
    // The benchmark's dashboard query as it is.
    let q2 = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../bench/queries/q2_dashboard.graphql"
    ))
    .unwrap();
    same(&app, &token, &q2, json!({}), true).await;
}

#[tokio::test]
async fn errors_and_uncovered_documents_go_through_async_graphql() {
    let (app, token) = demo().await;
    // Not found, a bad id, bad page arguments, a bad cursor, a variable of
    // the wrong type: the compiled path gives way and the errors are
    // async-graphql's, identical to a first run.
    let missing = missing_id("Account");
    let r = same(&app, &token, ONE, json!({ "id": missing }), false).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND");
    let r = same(&app, &token, ONE, json!({ "id": "garbage" }), false).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION");
    let r = same(&app, &token, ALL, json!({ "first": 101 }), false).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION");
    let r = same(&app, &token, ALL, json!({ "after": "bm9wZQ" }), false).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION");
    // (Full validation reports a variable of the wrong type twice, the
    // fast re-validation of a known document once: both through async-graphql.)
    let r = post(&app, Some(&token), ALL, &json!({ "first": "ten" })).await;
    assert_eq!(r.execution, "resolvers");
    assert!(r.body.contains("Expected input type"), "{}", r.body);
    let r = same(&app, &token, ALL, json!({ "first": 2, "cf": -1 }), false).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION");
    let bad_owner = json!({ "filter": { "ownerId": "garbage" } });
    let r = same(&app, &token, ALL, bad_owner, false).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION");

    // Complexity depends on the variables: a document compiled with small
    // pages is refused (by async-graphql) with large ones.
    let big = "query($n: Int, $m: Int) { accounts(first: $n) { nodes { id name tier \
        a: contacts(first: $m) { nodes { id firstName lastName title email phone } } \
        b: contacts(first: $m) { nodes { id firstName lastName title email phone } } \
        c: contacts(first: $m) { nodes { id firstName lastName title email phone } } } } }";
    let warm = post(&app, Some(&token), big, &json!({ "n": 1, "m": 1 })).await;
    assert_eq!(warm.execution, "resolvers");
    let ok = post(&app, Some(&token), big, &json!({ "n": 2, "m": 2 })).await;
    assert_eq!(ok.execution, "compiled");
    let refused = post(&app, Some(&token), big, &json!({ "n": 100, "m": 100 })).await;
    assert_eq!(refused.execution, "resolvers");
    let v: Value = serde_json::from_str(&refused.body).unwrap();
    assert_eq!(
        v["errors"][0]["extensions"]["code"], "LIMIT_EXCEEDED",
        "{v}"
    );

    // Fields and directives outside the compiled set.
    for q in [
        "{ plans(first: 2) { nodes { actionItems { plan { account { contacts(first: 1) { nodes { id } } } } } } } }",
        "{ plans(first: 2) { nodes { actionItems { occurrences(from: \"2026-01-01\", to: \"2027-02-01\") { dueDate } } } } }",
        "{ accounts(first: 2) { nodes { id } } __schema { queryType { name } } }",
    ] {
        let vars = json!({ "s": true });
        same(&app, &token, q, vars, false).await;
    }

    // No caller: async-graphql's UNAUTHENTICATED, never data.
    post(&app, Some(&token), ONE, &json!({ "id": missing })).await;
    let anon = post(&app, None, ONE, &json!({ "id": missing })).await;
    assert_eq!(anon.execution, "resolvers");
    assert!(anon.body.contains("UNAUTHENTICATED"), "{}", anon.body);
}

/// Documents as Relay and Apollo clients write them: named and inline
/// fragments (also on `Node`), the same key selected through several
/// fragments, `@include`/`@skip` on fields and fragments with variables,
/// defaults and literals, nested to-one objects and `node(id:)`.
const RELAY: &str = r#"query Dashboard($first: Int = 3, $withPlans: Boolean = true, $noOwner: Boolean!, $cf: Int) {
  accounts(first: $first) {
    edges { cursor node { __typename id ...AccountRow ...AccountContacts } }
    pageInfo { ...Paging }
  }
}
fragment Paging on PageInfo { hasNextPage endCursor }
fragment AccountRow on Account {
  name tier ... on Node { id }
  owner @skip(if: $noOwner) { id displayName }
  plans(first: 2) @include(if: $withPlans) { nodes { id title objectives { id title owner { id } } } }
}
fragment AccountContacts on Account {
  name
  contacts(first: $cf) {
    edges { node { ...ContactCard reportsTo { ...ContactCard reportsTo { id } } } }
    nodes { id ... @include(if: $withPlans) { email } }
  }
}
fragment ContactCard on Contact {
  id fullName title
  relationshipOwner { id displayName }
  account { id name owner { email } }
}"#;

#[tokio::test]
async fn client_shaped_documents_run_compiled_and_equal_normal_execution() {
    let (app, token) = demo().await;
    for vars in [
        json!({ "noOwner": false }),
        json!({ "noOwner": true, "withPlans": false, "cf": 10 }),
        json!({ "noOwner": false, "first": 10, "withPlans": true, "cf": 1 }),
    ] {
        same(&app, &token, RELAY, vars, true).await;
    }
    // A declared default applies to `@include` when the variable is left out
    // (async-graphql alone counted it as false).
    let v = same(
        &app,
        &token,
        RELAY,
        json!({ "noOwner": false, "first": 30 }),
        true,
    )
    .await;
    let rows = v["data"]["accounts"]["edges"].as_array().unwrap();
    assert!(
        rows.iter().any(|e| e["node"]["plans"]["nodes"].is_array()),
        "{v}"
    );
    // A reportsTo chain is resolved level by level: the demo data and the
    // Aardvark contacts report to someone.
    let aardvark = rows
        .iter()
        .find(|e| e["node"]["name"].as_str().unwrap().starts_with("Aardvark"))
        .expect("Aardvark on the page");
    let reports: Vec<&Value> = aardvark["node"]["contacts"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["node"]["reportsTo"].is_null())
        .collect();
    assert!(!reports.is_empty(), "{aardvark}");
    assert_eq!(reports[0]["node"]["reportsTo"]["title"], "CFO");
    let boss_id = reports[0]["node"]["reportsTo"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let acct_id = aardvark["node"]["id"].as_str().unwrap().to_owned();

    // Statements per relation and level, whatever the page size: accounts,
    // owners, plans, objectives, their owners, contacts, the contacts'
    // owners, accounts and account owners, reportsTo at two levels with
    // theirs.
    let small = post(
        &app,
        Some(&token),
        RELAY,
        &json!({ "noOwner": false, "first": 10, "cf": 10 }),
    )
    .await;
    let large = post(
        &app,
        Some(&token),
        RELAY,
        &json!({ "noOwner": false, "first": 30, "cf": 30 }),
    )
    .await;
    assert_eq!(large.execution, "compiled");
    assert_eq!(small.statements, large.statements);
    assert!(large.statements <= 14, "{}", large.statements);

    // The tenant's plans: pages both ways, filters, counts, nested fields.
    let plans = "query($f: Int, $a: String, $l: Int, $b: String, $filter: PlanFilter) {
        plans(first: $f, after: $a, last: $l, before: $b, filter: $filter) { totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { cursor node { __typename id title status periodStart owner { id displayName } objectives { id title owner { email } } } } } }";
    let first = same(&app, &token, plans, json!({ "f": 2 }), true).await;
    let end = first["data"]["plans"]["pageInfo"]["endCursor"].clone();
    let next = same(&app, &token, plans, json!({ "f": 2, "a": end }), true).await;
    let start = next["data"]["plans"]["pageInfo"]["startCursor"].clone();
    same(&app, &token, plans, json!({ "l": 1, "b": start }), true).await;
    for filter in [
        json!({ "status": ["ACTIVE"] }),
        json!({ "accountId": acct_id }),
        json!({ "periodContains": "2026-06-01" }),
    ] {
        same(
            &app,
            &token,
            plans,
            json!({ "f": 5, "filter": filter }),
            true,
        )
        .await;
    }
    assert!(first["data"]["plans"]["totalCount"].as_i64().unwrap() >= 1);
    // A bad filter id: async-graphql's VALIDATION.
    let r = same(
        &app,
        &token,
        plans,
        json!({ "filter": { "ownerId": "nope" } }),
        false,
    )
    .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "VALIDATION");

    // The tenant's users, by e-mail, pages both ways.
    let users = "query($f: Int, $a: String, $l: Int, $b: String) {
        users(first: $f, after: $a, last: $l, before: $b) { __typename totalCount
          pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
          edges { __typename cursor node { __typename id email displayName role active createdAt } }
          nodes { id } } }";
    let first = same(&app, &token, users, json!({ "f": 2 }), true).await;
    let end = first["data"]["users"]["pageInfo"]["endCursor"].clone();
    let next = same(&app, &token, users, json!({ "f": 2, "a": end }), true).await;
    let start = next["data"]["users"]["pageInfo"]["startCursor"].clone();
    same(&app, &token, users, json!({ "l": 1, "b": start }), true).await;
    assert!(first["data"]["users"]["totalCount"].as_i64().unwrap() >= 4);

    // A user known by id only is answered from the foreign key: no statement.
    let id_only = "query($id: ID!) { account(id: $id) { id owner { __typename id } } }";
    let with_name = "query($id: ID!) { account(id: $id) { id owner { id displayName } } }";
    for q in [id_only, with_name] {
        same(&app, &token, q, json!({ "id": acct_id }), true).await;
    }
    let r = post(&app, Some(&token), id_only, &json!({ "id": acct_id })).await;
    assert_eq!(r.statements, 1);
    let r = post(&app, Some(&token), with_name, &json!({ "id": acct_id })).await;
    assert_eq!(r.statements, 2);

    // node(id:) for each type the compiled path reads, with fragments on
    // Node and on each type; contact(id:).
    let node = r#"query($id: ID!) { node(id: $id) { __typename id ... on Account { name contacts(first: 2) { nodes { ...C } } } ...C } }
        fragment C on Contact { fullName reportsTo { id } account { name } }"#;
    let r = same(&app, &token, node, json!({ "id": acct_id }), true).await;
    assert_eq!(r["data"]["node"]["__typename"], "Account");
    // node(id:) of an account reads it with its contacts page as
    // account(id:) does: one statement on Postgres, two on SQLite.
    let both = [
        "query($id: ID!) { account(id: $id) { name contacts(first: 2) { nodes { id } } } }",
        "query($id: ID!) { node(id: $id) { ... on Account { name contacts(first: 2) { nodes { id } } } } }",
    ];
    for q in both {
        same(&app, &token, q, json!({ "id": acct_id }), true).await;
        let r = post(&app, Some(&token), q, &json!({ "id": acct_id })).await;
        assert_eq!(r.statements, if is_postgres() { 1 } else { 2 }, "{q}");
    }
    // An account with its activities page: one statement on Postgres too,
    // pages both ways.
    for (q, vars) in [
        (
            "query($id: ID!) { account(id: $id) { name activities(first: 2) { pageInfo { hasNextPage endCursor } nodes { summary hoursSpent } } } }",
            json!({ "id": acct_id }),
        ),
        (
            "query($id: ID!) { node(id: $id) { ... on Account { activities(last: 1) { edges { cursor node { kind } } } } } }",
            json!({ "id": acct_id }),
        ),
    ] {
        same(&app, &token, q, vars.clone(), true).await;
        let r = post(&app, Some(&token), q, &vars).await;
        assert_eq!(r.statements, if is_postgres() { 1 } else { 2 }, "{q}");
    }
    // A contact with its account: one statement on Postgres as well.
    for q in [
        "query($id: ID!) { contact(id: $id) { fullName account { name tier } } }",
        "query($id: ID!) { node(id: $id) { ... on Contact { account { id name } email } } }",
    ] {
        same(&app, &token, q, json!({ "id": boss_id }), true).await;
        let r = post(&app, Some(&token), q, &json!({ "id": boss_id })).await;
        assert_eq!(r.statements, if is_postgres() { 1 } else { 2 }, "{q}");
    }
    // A contact with its direct reports (with its relationship owner
    // joined): one statement on Postgres; the reports' own relations one
    // more per level.
    for (q, pg, lite) in [
        (
            "query($id: ID!) { contact(id: $id) { fullName directReports { id fullName title } } }",
            1,
            2,
        ),
        (
            "query($id: ID!) { node(id: $id) { ... on Contact { relationshipOwner { displayName } directReports { firstName directReports { id } } } } }",
            2,
            4,
        ),
    ] {
        let v = same(&app, &token, q, json!({ "id": boss_id }), true).await;
        assert!(v.to_string().contains("directReports\":[{"), "{v}");
        let r = post(&app, Some(&token), q, &json!({ "id": boss_id })).await;
        assert_eq!(r.statements, if is_postgres() { pg } else { lite }, "{q}");
    }
    let planned = app
        .graphql(
            Some(&token),
            "{ plans(first: 1) { nodes { account { id } } } }",
            json!({}),
        )
        .await
        .str("plans.nodes.0.account.id");
    // Users read with the rows that point at them (Postgres): a contact with
    // its relationship owner and its account's owner; an account with its
    // owner and its activities' authors, or its plans' owners; objectives
    // with their owners. Every user field equal to async-graphql's.
    for (q, id, pg, lite) in [
        (
            "query($id: ID!) { contact(id: $id) { fullName relationshipOwner { displayName email } account { name owner { displayName } } } }",
            &boss_id,
            1,
            4,
        ),
        (
            "query($id: ID!) { account(id: $id) { owner { displayName } activities(first: 3) { nodes { summary loggedBy { displayName role } } } } }",
            &acct_id,
            1,
            4,
        ),
        (
            "query($id: ID!) { account(id: $id) { owner { email } plans(first: 3) { edges { node { title owner { displayName } objectives { title owner { displayName } } } } } } }",
            &planned,
            2,
            5,
        ),
    ] {
        let v = same(&app, &token, q, json!({ "id": id }), true).await;
        assert!(v.to_string().contains("displayName"), "{v}");
        let r = post(&app, Some(&token), q, &json!({ "id": id })).await;
        assert_eq!(r.statements, if is_postgres() { pg } else { lite }, "{q}");
    }
    let r = same(&app, &token, node, json!({ "id": boss_id }), true).await;
    assert_eq!(r["data"]["node"]["__typename"], "Contact");
    assert_eq!(r["data"]["node"]["reportsTo"], Value::Null);
    let contact =
        "query($id: ID!) { contact(id: $id) { id email kind: __typename account { tier } } }";
    same(&app, &token, contact, json!({ "id": boss_id }), true).await;
    // A user's id through node() runs compiled too.
    let owner = r#"query($id: ID!) { node(id: $id) { id ... on User { displayName } } }"#;
    let users = app
        .graphql(
            Some(&token),
            "{ users(first: 1) { nodes { id } } }",
            json!({}),
        )
        .await;
    same(
        &app,
        &token,
        owner,
        json!({ "id": users.str("users.nodes.0.id") }),
        true,
    )
    .await;
    // Not found through node() and contact(): async-graphql's errors.
    let r = same(
        &app,
        &token,
        node,
        json!({ "id": missing_id("Contact") }),
        false,
    )
    .await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "NOT_FOUND");
    // Literal conditions, aliases of the same field with different
    // selections, and a key selected inside and outside a fragment.
    same(
        &app,
        &token,
        "{ a: accounts(first: 2) { nodes { id @include(if: true) name @skip(if: true) ...N } } b: accounts(first: 1) { nodes { name } } }
         fragment N on Account { id tier contacts(first: 1) { nodes { id } } c2: contacts(first: 1) { nodes { fullName } } }",
        json!({}),
        true,
    )
    .await;
}

/// The documents of `bench/corpus` that async-graphql runs (fields the
/// compiled path does not read yet); every other query must run compiled.
const CORPUS_RESOLVERS: &[&str] = &[
    "32_mixed_introspection",
    // Portfolio views: resolvers (batched).
    "41_portfolio_views",
];

#[tokio::test]
async fn the_benchmark_corpus_equals_normal_execution() {
    let (app, token) = demo().await;
    let v = app
        .graphql(
            Some(&token),
            r#"{ accounts(first: 1, filter: {nameContains: "Aardvark"}) { nodes { id ownerId
                contacts(first: 10) { nodes { id reportsToId } } } } }"#,
            json!({}),
        )
        .await;
    let account = v.str("accounts.nodes.0.id");
    let owner = v.str("accounts.nodes.0.ownerId");
    let contacts = v.data("accounts.nodes.0.contacts.nodes");
    let reporting = contacts
        .as_array()
        .unwrap()
        .iter()
        .find(|c| !c["reportsToId"].is_null())
        .expect("a contact with a manager")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../bench/corpus");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".graphql").map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 30, "{names:?}");
    let mut compiled = 0;
    for name in &names {
        let query = std::fs::read_to_string(format!("{dir}/{name}.graphql")).unwrap();
        if query.contains("mutation ") {
            continue;
        }
        let vars = std::fs::read_to_string(format!("{dir}/{name}.vars.json"))
            .unwrap_or_else(|_| "{}".into())
            .replace("__ACCOUNT_ID__", &account)
            .replace("__CONTACT_ID__", &reporting)
            .replace("__OWNER_ID__", &owner);
        let vars: Value = serde_json::from_str(&vars).unwrap();
        let expect = !CORPUS_RESOLVERS.contains(&name.as_str());
        let r = same(&app, &token, &query, vars, expect).await;
        assert!(r.get("errors").is_none(), "{name}: {r}");
        compiled += usize::from(expect);
    }
    assert!(compiled >= 20, "{compiled}");
}

#[tokio::test]
async fn compiled_reads_stay_in_the_callers_tenant() {
    let app = spawn_app().await;
    let a = app.tenant("ta").await;
    let b = app.tenant("tb").await;
    let mine = app.account(&a.admin_token, "Mine").await;
    app.contact(&a.admin_token, &mine, "Ann", "Mine").await;
    app.account(&b.admin_token, "Theirs").await;
    let q = "query($id: ID!) { account(id: $id) { id name contacts(first: 5) { nodes { id } } } }";
    let list =
        "{ accounts(first: 10) { nodes { name contacts(first: 5) { nodes { lastName } } } } }";
    for _ in 0..2 {
        post(&app, Some(&b.admin_token), q, &json!({ "id": mine })).await;
        post(&app, Some(&a.admin_token), list, &json!({})).await;
    }
    let theirs = post(&app, Some(&b.admin_token), q, &json!({ "id": mine })).await;
    assert!(theirs.body.contains("NOT_FOUND"), "{}", theirs.body);
    let r = post(&app, Some(&b.admin_token), list, &json!({})).await;
    assert_eq!(r.execution, "compiled");
    assert_eq!(
        r.body,
        r#"{"data":{"accounts":{"nodes":[{"name":"Theirs","contacts":{"nodes":[]}}]}}}"#
    );
    let r = post(&app, Some(&a.admin_token), list, &json!({})).await;
    assert_eq!(
        r.body,
        r#"{"data":{"accounts":{"nodes":[{"name":"Mine","contacts":{"nodes":[{"lastName":"Mine"}]}}]}}}"#
    );
    // The other roots the compiled path reads: contact(id:), node(id:) of
    // an account, a contact, a plan and a user, plans, viewer. Another tenant's ids are
    // NOT_FOUND (through async-graphql); lists and the viewer hold only the
    // caller's own.
    let ann = app.contact(&a.admin_token, &mine, "Bob", "Mine").await;
    let my_plan = app.plan(&a.admin_token, &mine, "Mine plan").await;
    let me = app.user(&a, "VIEWER", "Mine").await;
    let by_id = [
        (
            "query($id: ID!) { contact(id: $id) { id lastName account { name } } }",
            &ann,
        ),
        (
            "query($id: ID!) { account(id: $id) { name activities(first: 2) { nodes { summary } } } }",
            &mine,
        ),
        (
            "query($id: ID!) { node(id: $id) { id ... on Plan { title } } }",
            &my_plan,
        ),
        (
            "query($id: ID!) { node(id: $id) { id ... on User { displayName } } }",
            &me.id,
        ),
        (
            "query($id: ID!) { node(id: $id) { id ... on Contact { lastName } } }",
            &ann,
        ),
        (
            "query($id: ID!) { node(id: $id) { id ... on Account { name } } }",
            &mine,
        ),
    ];
    for (q, id) in by_id {
        for _ in 0..2 {
            let own = post(&app, Some(&a.admin_token), q, &json!({ "id": id })).await;
            assert!(own.body.contains("Mine"), "{}", own.body);
        }
        let own = post(&app, Some(&a.admin_token), q, &json!({ "id": id })).await;
        assert_eq!(own.execution, "compiled");
        let theirs = post(&app, Some(&b.admin_token), q, &json!({ "id": id })).await;
        assert!(theirs.body.contains("NOT_FOUND"), "{}", theirs.body);
        assert!(!theirs.body.contains("Mine"), "{}", theirs.body);
    }
    let lists = "{ plans(first: 10) { totalCount nodes { title } } viewer { tenant { slug } user { email } } users(first: 10) { totalCount nodes { email } } }";
    for _ in 0..2 {
        post(&app, Some(&b.admin_token), lists, &json!({})).await;
    }
    let r = post(&app, Some(&b.admin_token), lists, &json!({})).await;
    assert_eq!(r.execution, "compiled");
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(v["data"]["plans"], json!({ "totalCount": 0, "nodes": [] }));
    assert_eq!(v["data"]["viewer"]["tenant"]["slug"], "tb");
    assert_eq!(v["data"]["users"]["totalCount"], 1);
    assert!(
        v["data"]["users"]["nodes"][0]["email"]
            .as_str()
            .unwrap()
            .contains("tb"),
        "{v}"
    );
    let r = post(&app, Some(&a.admin_token), lists, &json!({})).await;
    let v: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(
        v["data"]["plans"],
        json!({ "totalCount": 1, "nodes": [{ "title": "Mine plan" }] })
    );
    assert_eq!(v["data"]["viewer"]["tenant"]["slug"], "ta");
}

/// The compiled path reads only the columns its fields need: each field
/// alone must still equal async-graphql's answer (a field that read a column
/// it did not declare would come out as a default value).
#[tokio::test]
async fn each_field_alone_reads_the_columns_it_needs() {
    let (app, token) = demo().await;
    let account = [
        "__typename",
        "id",
        "name",
        "industry",
        "website",
        "region",
        "status",
        "tier",
        "ownerId",
        "archived",
        "archivedAt",
        "createdAt",
        "updatedAt",
        "version",
        "owner { id displayName }",
        "owner { __typename i: id }",
        "annualRevenue { amount currency }",
        "walletEstimate { amount }",
        "externalRef { source externalId }",
        "contacts(first: 2) { edges { cursor } }",
        "plans(first: 2) { pageInfo { endCursor } }",
        "activities(first: 2) { edges { cursor } }",
        "activities(last: 2) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor } }",
    ];
    let contact = [
        "__typename",
        "id",
        "accountId",
        "firstName",
        "lastName",
        "fullName",
        "title",
        "department",
        "email",
        "phone",
        "status",
        "buyingRole",
        "influence",
        "attitude",
        "reportsToId",
        "relationshipOwnerId",
        "relationshipOwner { email }",
        "relationshipOwner { id }",
        "reportsTo { lastName }",
        "reportsTo { reportsTo { id } }",
        "account { name }",
        "account { contacts(first: 1) { nodes { firstName } } }",
        "externalRef { externalId source }",
        "erased",
        "createdAt",
        "updatedAt",
        "version",
    ];
    let plan = [
        "__typename",
        "id",
        "title",
        "strategySummary",
        "periodStart",
        "periodEnd",
        "status",
        "createdAt",
        "updatedAt",
        "version",
        "owner { email }",
        "owner { id }",
    ];
    let objective = [
        "__typename",
        "id",
        "title",
        "description",
        "metric",
        "unit",
        "baseline",
        "target",
        "currentValue",
        "progressPercent",
        "confidence",
        "dueDate",
        "status",
        "version",
        "owner { id }",
    ];
    let activity = [
        "__typename",
        "id",
        "kind",
        "occurredAt",
        "hoursSpent",
        "summary",
        "createdAt",
        "version",
        "loggedBy { displayName }",
        "loggedBy { id }",
        "externalRef { source externalId }",
        "account { name owner { id } }",
        "contacts { fullName reportsTo { lastName } }",
    ];
    let mut docs: Vec<String> = Vec::new();
    // Lists without paging weigh 10 (`limits::LIST_SIZE`): fewer contacts.
    for f in [
        "directReports { id fullName }",
        "directReports { directReports { id } reportsTo { lastName } }",
    ] {
        docs.push(format!(
            "{{ accounts(first: 10) {{ nodes {{ contacts(first: 10) {{ nodes {{ {f} }} }} }} }} }}"
        ));
    }
    for f in activity {
        docs.push(format!(
            "{{ accounts(first: 100) {{ nodes {{ activities(first: 5) {{ nodes {{ {f} }} }} }} }} }}"
        ));
    }
    for f in account {
        docs.push(format!("{{ accounts(first: 100) {{ nodes {{ {f} }} }} }}"));
        docs.push(format!(
            "{{ accounts(first: 3, orderBy: CREATED_AT_DESC) {{ edges {{ cursor node {{ {f} }} }} }} }}"
        ));
    }
    for f in contact {
        docs.push(format!(
            "{{ accounts(first: 100) {{ nodes {{ contacts(first: 100) {{ nodes {{ {f} }} }} }} }} }}"
        ));
    }
    for f in plan {
        docs.push(format!(
            "{{ accounts(first: 100) {{ nodes {{ plans(first: 5) {{ nodes {{ {f} }} }} }} }} }}"
        ));
    }
    for f in objective {
        docs.push(format!(
            "{{ accounts(first: 100) {{ nodes {{ plans(first: 5) {{ nodes {{ objectives {{ {f} }} }} }} }} }} }}"
        ));
    }
    let v = same(
        &app,
        &token,
        "{ accounts(first: 1) { nodes { id } } }",
        json!({}),
        true,
    )
    .await;
    let id = v["data"]["accounts"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The fixture's activities come back compiled, with their contacts in
    // name order and the external id.
    let v = same(
        &app,
        &token,
        &format!("{{ account(id: \"{id}\") {{ activities(first: 5) {{ nodes {{ summary externalRef {{ externalId }} contacts {{ firstName }} }} }} }} }}"),
        json!({}),
        true,
    )
    .await;
    assert_eq!(
        v["data"]["account"]["activities"]["nodes"],
        json!([
            { "summary": "Met \"1\" days ago", "externalRef": { "externalId": "00T1" }, "contacts": [{ "firstName": "Ada" }, { "firstName": "Bob" }] },
            { "summary": "Met \"2\" days ago", "externalRef": null, "contacts": [] },
            { "summary": "Met \"3\" days ago", "externalRef": null, "contacts": [{ "firstName": "Di" }] },
        ])
    );
    for f in account {
        docs.push(format!("{{ account(id: \"{id}\") {{ {f} }} }}"));
        docs.push(format!(
            "{{ node(id: \"{id}\") {{ ... on Account {{ {f} }} }} }}"
        ));
    }
    let v = same(
        &app,
        &token,
        &format!("{{ account(id: \"{id}\") {{ contacts(first: 1) {{ nodes {{ id }} }} }} }}"),
        json!({}),
        true,
    )
    .await;
    let contact_id = v["data"]["account"]["contacts"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for f in contact {
        docs.push(format!("{{ contact(id: \"{contact_id}\") {{ {f} }} }}"));
        docs.push(format!(
            "{{ node(id: \"{contact_id}\") {{ ...F }} }} fragment F on Contact {{ {f} }}"
        ));
    }
    // node(id:) of a plan and of a user, field by field.
    let v = same(
        &app,
        &token,
        "{ plans(first: 1) { nodes { id } } viewer { user { id } } }",
        json!({}),
        true,
    )
    .await;
    let plan_id = v["data"]["plans"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let user_id = v["data"]["viewer"]["user"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for f in plan {
        docs.push(format!(
            "{{ node(id: \"{plan_id}\") {{ id ... on Plan {{ {f} }} }} }}"
        ));
    }
    docs.push(format!(
        "{{ node(id: \"{plan_id}\") {{ ... on Plan {{ objectives {{ title owner {{ id }} }} }} }} }}"
    ));
    for f in [
        "__typename",
        "id",
        "email",
        "displayName",
        "role",
        "active",
        "createdAt",
    ] {
        docs.push(format!(
            "{{ node(id: \"{user_id}\") {{ ...U }} }} fragment U on User {{ {f} }}"
        ));
    }
    for f in [
        "__typename",
        "user { __typename id email displayName role active createdAt }",
        "tenant { __typename id slug name timeZone fiscalYearStartMonth defaultCurrency }",
    ] {
        docs.push(format!("{{ viewer {{ {f} }} }}"));
    }
    for d in docs {
        same(&app, &token, &d, json!({}), true).await;
    }
}

/// The benchmark's Q1 and Q2 cost a fixed number of statements on the
/// compiled path, alone and under 32 concurrent requests: Q1 one on Postgres
/// (account and contacts joined), two on SQLite; Q2 five (accounts, owners,
/// contacts, plans, objectives).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn benchmark_reads_cost_fixed_statements_under_concurrency() {
    let (app, token) = demo().await;
    let read = |name: &str| {
        std::fs::read_to_string(format!(
            "{}/../bench/queries/{name}.graphql",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    };
    let (q1, q2) = (read("q1_account_contacts"), read("q2_dashboard"));
    let v = same(
        &app,
        &token,
        "{ accounts(first: 1) { nodes { id } } }",
        json!({}),
        true,
    )
    .await;
    let id = v["data"]["accounts"]["nodes"][0]["id"].clone();
    let q1_statements = if is_postgres() { 1 } else { 2 };
    for (q, vars, n) in [
        (&q1, json!({ "id": id }), q1_statements),
        (&q2, json!({}), 5),
    ] {
        let first = post(&app, Some(&token), q, &vars).await;
        assert_eq!(first.execution, "resolvers");
        let runs = (0..32).map(|_| post(&app, Some(&token), q, &vars));
        for r in futures::future::join_all(runs).await {
            assert_eq!(r.execution, "compiled");
            assert_eq!(r.statements, n, "{q}");
            assert_eq!(r.body, first.body);
        }
    }
}
