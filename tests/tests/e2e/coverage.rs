//! Coverage gaps: every rule found on realistic buying centres, explained
//! and scored; closing a gap removes it; `accounts(filter:
//! {hasCoverageGap})` (judged by the database) agrees with
//! `account.coverage` (judged by the domain's rules) for every kind; both
//! read paths answer alike.

use crate::compiled::same;
use crate::helpers::*;
use serde_json::{Value, json};

const KINDS: [&str; 7] = [
    "DECISION_MAKER_UNOWNED",
    "NO_COACH",
    "SINGLE_THREADED",
    "KEY_CONTACT_LEFT",
    "BLOCKER_UNADDRESSED",
    "NO_EXECUTIVE_SPONSOR",
    "STALE_CONTACT",
];

const COVERAGE: &str = "query($id: ID!) { account(id: $id) { name coverage { score \
    gaps { kind explanation contactIds contacts { fullName status } } } } }";

async fn contact(app: &TestApp, token: &str, account: &str, input: Value) -> String {
    let mut i = input;
    i["accountId"] = json!(account);
    app.create_contact(token, i)
        .await
        .str("createContact.contact.id")
}

fn kinds(account: &Value) -> Vec<String> {
    account["coverage"]["gaps"]
        .as_array()
        .unwrap_or_else(|| panic!("{account}"))
        .iter()
        .map(|g| g["kind"].as_str().unwrap().to_owned())
        .collect()
}

fn gap<'a>(account: &'a Value, kind: &str) -> &'a Value {
    account["coverage"]["gaps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} in {account}"))
}

fn names(gap: &Value) -> Vec<String> {
    gap["contacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["fullName"].as_str().unwrap().to_owned())
        .collect()
}

struct World {
    exposed: String,
    covered: String,
    lone: String,
    grace: String,
    sam: User,
}

/// Three accounts: one with every gap but single-threading, one fully
/// covered, one with a single contact.
async fn world(app: &TestApp, t: &Tenant) -> World {
    let admin = t.admin_token.as_str();
    let sam = app.user(t, "ACCOUNT_MANAGER", "sam").await;
    let exposed = app.account(admin, "Exposed").await;
    contact(app, admin, &exposed, json!({ "firstName": "Dana", "lastName": "Decider", "buyingRole": "ECONOMIC_BUYER", "influence": 5 })).await;
    contact(app, admin, &exposed, json!({ "firstName": "Oliver", "lastName": "Blocker", "buyingRole": "BLOCKER", "influence": 5 })).await;
    contact(app, admin, &exposed, json!({ "firstName": "Marcus", "lastName": "Gone", "buyingRole": "DECISION_MAKER", "influence": 5, "status": "LEFT_COMPANY", "relationshipOwnerId": sam.id })).await;
    let grace = contact(app, admin, &exposed, json!({ "firstName": "Grace", "lastName": "Stale", "buyingRole": "INFLUENCER", "influence": 4, "relationshipOwnerId": sam.id, "preferredFrequency": "WEEKLY", "preferredChannel": "IN_PERSON" })).await;

    let covered = app.account(admin, "Covered").await;
    let dana = contact(app, admin, &covered, json!({ "firstName": "Dana", "lastName": "Owned", "buyingRole": "DECISION_MAKER", "influence": 5, "relationshipOwnerId": t.admin_id, "preferredFrequency": "MONTHLY" })).await;
    contact(app, admin, &covered, json!({ "firstName": "Elena", "lastName": "Coach", "buyingRole": "COACH", "influence": 3, "relationshipOwnerId": sam.id })).await;
    app.graphql(
        Some(admin),
        "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } } }",
        json!({ "i": { "accountId": covered, "kind": "MEETING", "occurredAt": (chrono::Utc::now() - chrono::Duration::days(3)).to_rfc3339(), "summary": "Steering committee", "contactIds": [dana] } }),
    )
    .await
    .data("logActivity.activity.id");

    let lone = app.account(admin, "Lone").await;
    contact(app, admin, &lone, json!({ "firstName": "Only", "lastName": "One", "buyingRole": "COACH", "influence": 3, "relationshipOwnerId": sam.id })).await;

    for a in [&covered, &lone] {
        app.graphql(
            Some(admin),
            "mutation($i: AddAccountTeamMemberInput!) { addAccountTeamMember(input: $i) { member { role } } }",
            json!({ "i": { "accountId": a, "userId": sam.id, "role": "EXECUTIVE_SPONSOR" } }),
        )
        .await
        .data("addAccountTeamMember");
    }
    World {
        exposed,
        covered,
        lone,
        grace,
        sam,
    }
}

#[tokio::test]
async fn every_gap_is_found_with_its_contacts_and_explanation_and_the_score_follows() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let w = world(&app, &t).await;

    let v = same(&app, admin, COVERAGE, json!({ "id": w.exposed }), true).await;
    let e = &v["data"]["account"];
    assert_eq!(
        kinds(e),
        [
            "DECISION_MAKER_UNOWNED",
            "NO_COACH",
            "KEY_CONTACT_LEFT",
            "BLOCKER_UNADDRESSED",
            "NO_EXECUTIVE_SPONSOR",
            "STALE_CONTACT"
        ]
    );
    assert_eq!(
        e["coverage"]["score"],
        json!(100 - 20 - 15 - 15 - 10 - 10 - 10)
    );
    assert_eq!(names(gap(e, "DECISION_MAKER_UNOWNED")), ["Dana Decider"]);
    assert_eq!(names(gap(e, "BLOCKER_UNADDRESSED")), ["Oliver Blocker"]);
    let left = gap(e, "KEY_CONTACT_LEFT");
    assert_eq!(names(left), ["Marcus Gone"]);
    assert_eq!(left["contacts"][0]["status"], "LEFT_COMPANY");
    assert!(
        left["explanation"]
            .as_str()
            .unwrap()
            .contains("Marcus Gone")
    );
    assert_eq!(gap(e, "STALE_CONTACT")["contactIds"], json!([w.grace]));
    assert_eq!(gap(e, "NO_COACH")["contacts"], json!([]));
    for g in e["coverage"]["gaps"].as_array().unwrap() {
        assert!(g["explanation"].as_str().unwrap().len() > 20, "{g}");
    }

    let v = same(&app, admin, COVERAGE, json!({ "id": w.covered }), true).await;
    assert_eq!(
        v["data"]["account"]["coverage"],
        json!({ "score": 100, "gaps": [] })
    );
    let v = same(&app, admin, COVERAGE, json!({ "id": w.lone }), true).await;
    let l = &v["data"]["account"];
    assert_eq!(kinds(l), ["SINGLE_THREADED"]);
    assert_eq!(names(gap(l, "SINGLE_THREADED")), ["Only One"]);
    assert_eq!(l["coverage"]["score"], json!(80));

    // Closing gaps: a sponsor joins, Grace is met, a new decision maker
    // replaces Marcus.
    app.graphql(
        Some(admin),
        "mutation($i: AddAccountTeamMemberInput!) { addAccountTeamMember(input: $i) { member { role } } }",
        json!({ "i": { "accountId": w.exposed, "userId": w.sam.id, "role": "EXECUTIVE_SPONSOR" } }),
    )
    .await
    .data("addAccountTeamMember");
    app.graphql(
        Some(admin),
        "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } } }",
        json!({ "i": { "accountId": w.exposed, "kind": "CALL", "occurredAt": (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339(), "summary": "Weekly call", "contactIds": [w.grace] } }),
    )
    .await
    .data("logActivity.activity.id");
    contact(&app, admin, &w.exposed, json!({ "firstName": "Nora", "lastName": "New", "buyingRole": "DECISION_MAKER", "influence": 5, "relationshipOwnerId": t.admin_id })).await;
    let v = same(&app, admin, COVERAGE, json!({ "id": w.exposed }), true).await;
    assert_eq!(
        kinds(&v["data"]["account"]),
        ["DECISION_MAKER_UNOWNED", "NO_COACH", "BLOCKER_UNADDRESSED"]
    );
}

#[tokio::test]
async fn the_database_finds_exactly_the_accounts_the_rules_find_for_every_kind() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    world(&app, &t).await;
    // One more shape: two contacts held by the same one user.
    let twin = app.account(admin, "Twin").await;
    for first in ["Ann", "Ben"] {
        contact(
            &app,
            admin,
            &twin,
            json!({ "firstName": first, "lastName": "Twin", "relationshipOwnerId": t.admin_id }),
        )
        .await;
    }
    app.account(admin, "Empty").await;

    let all = same(
        &app,
        admin,
        "{ accounts(first: 50) { nodes { name coverage { gaps { kind } } } } }",
        json!({}),
        true,
    )
    .await;
    let nodes = all["data"]["accounts"]["nodes"].as_array().unwrap().clone();
    let q = "query($k: CoverageGapKind!) { accounts(first: 50, filter: {hasCoverageGap: $k}) { totalCount nodes { name } } }";
    for kind in KINDS {
        let expected: Vec<String> = nodes
            .iter()
            .filter(|n| kinds(n).iter().any(|k| k == kind))
            .map(|n| n["name"].as_str().unwrap().to_owned())
            .collect();
        let v = same(&app, admin, q, json!({ "k": kind }), true).await;
        let found: Vec<String> = v["data"]["accounts"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(found, expected, "{kind}");
        assert_eq!(
            v["data"]["accounts"]["totalCount"],
            json!(expected.len()),
            "{kind}"
        );
        assert!(
            !expected.is_empty() || kind == "NONE",
            "{kind} found somewhere"
        );
    }
    // Another tenant sees none of these accounts, whatever the gap.
    let other = app.tenant("evil").await;
    let r = app
        .graphql(Some(&other.admin_token), q, json!({ "k": "NO_COACH" }))
        .await;
    assert_eq!(r.data("accounts.totalCount"), &json!(0));
}

#[tokio::test]
async fn a_page_of_accounts_with_coverage_costs_a_bounded_number_of_statements() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    world(&app, &t).await;
    let q = "{ accounts(first: 50) { nodes { name team { role } coverage { score gaps { kind contacts { fullName account { name } } } } } } }";
    let (fast, reference) = crate::compiled::both_paths(&app, admin, q).await;
    // accounts, team, coverage (contacts, last activities, team roles),
    // the gap contacts' accounts.
    assert!(fast.statements() <= 6, "compiled: {}", fast.statements());
    assert!(
        reference.statements() <= 7,
        "resolvers: {}",
        reference.statements()
    );
}

#[tokio::test]
async fn fifty_accounts_with_team_contacts_and_coverage_cost_the_same_statements_alone_and_under_concurrency()
 {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    for n in 0..50 {
        let a = app
            .create_account(
                admin,
                json!({ "name": format!("Account {n:02}"),
                    "annualRevenue": { "amount": (n % 7 + 1) * 1000, "currency": "EUR" } }),
            )
            .await
            .str("createAccount.account.id");
        contact(&app, admin, &a, json!({ "firstName": "Dana", "lastName": format!("D{n}"), "buyingRole": "DECISION_MAKER", "influence": 5 })).await;
    }
    // The statements a page costs: accounts, teams (+ their users),
    // contacts' pages (+ their counts), coverage (3), the revenue ranking
    // (the tenant's date and currency, then one ranking statement).
    let doc = |first: usize| {
        format!(
            "{{ accounts(first: {first}) {{ nodes {{ name team {{ role user {{ displayName }} }} \
             contacts(first: 5) {{ totalCount nodes {{ fullName }} }} coverage {{ score gaps {{ kind }} }} \
             revenueRank isTopTwentyPercent }} }} }}"
        )
    };
    let q = doc(50);
    let (fast, _) = crate::compiled::both_paths(&app, admin, &q).await;
    let alone = fast.statements();
    assert!(alone <= 10, "alone: {alone}");
    let v: Value = serde_json::from_value(fast.body.clone()).unwrap();
    let nodes = v["data"]["accounts"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 50);
    // Seven revenues, about seven accounts each: the largest (7000) rank 1.
    assert_eq!(nodes[6]["revenueRank"], json!(1), "{}", nodes[6]);
    assert_eq!(nodes[6]["isTopTwentyPercent"], json!(true));
    // Sixteen different pages at once (each compiled first): never more
    // statements per request than alone.
    let docs: Vec<String> = (35..51).map(doc).collect();
    for d in &docs {
        app.graphql(Some(admin), d, json!({})).await;
    }
    let all =
        futures::future::join_all(docs.iter().map(|d| app.graphql(Some(admin), d, json!({}))))
            .await;
    for (d, r) in docs.iter().zip(&all) {
        assert_eq!(r.execution(), "compiled", "{d}");
        assert!(r.statements() <= alone, "{d}: {} > {alone}", r.statements());
        assert!(r.body.get("errors").is_none(), "{}", r.body);
    }
}
