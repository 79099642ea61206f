//! Regression tests for the security review's findings (issue 13): each
//! fails without its fix.

use crate::helpers::*;
use base64::Engine;
use serde_json::{Value, json};

const NODE: &str = "query($id: ID!) { node(id: $id) { id } }";

async fn post_raw(app: &TestApp, token: Option<&str>, body: Value) -> Gql {
    let mut req = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp.json().await.unwrap();
    Gql {
        status,
        headers,
        body,
    }
}

// 1. Introspection that multiplies.

#[tokio::test]
async fn nested_introspection_lists_are_refused_without_signing_in() {
    let app = spawn_app().await;
    let deep = "{ __type(name: \"Node\") { possibleTypes { interfaces { possibleTypes { interfaces { name } } } } } }";
    let r = app.graphql(None, deep, json!({})).await;
    r.assert_error("LIMIT_EXCEEDED");
    assert!(r.body.get("data").is_none_or(Value::is_null), "{}", r.body);
    // Through a fragment, and as part of a data query.
    let t = app.tenant("acme").await;
    let via_fragment = "{ viewer { user { id } } __schema { types { ...F } } } \
        fragment F on __Type { fields { type { fields { type { fields { name } } } } } }";
    app.graphql(Some(&t.admin_token), via_fragment, json!({}))
        .await
        .assert_error("LIMIT_EXCEEDED");
    // What GraphiQL and code generators need still runs.
    let r = app
        .graphql(
            None,
            "{ __type(name: \"Node\") { possibleTypes { name interfaces { name } } } }",
            json!({}),
        )
        .await;
    assert!(
        r.data("__type.possibleTypes")
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
}

// 2. Lists that loop back, and the response ceiling.

#[tokio::test]
async fn lists_over_a_window_count_the_window_in_the_complexity() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let v = app.user(&t, "VIEWER", "vic").await;
    let looped = "query($id: ID!) { node(id: $id) { ... on ActionItem { \
        occurrences(from: \"2026-01-01\", to: \"2026-05-01\") { dueDate actionItem { \
        occurrences(from: \"2026-01-01\", to: \"2026-05-01\") { dueDate actionItem { \
        occurrences(from: \"2026-01-01\", to: \"2026-05-01\") { dueDate } } } } } } } }";
    let r = app
        .graphql(
            Some(&v.token),
            looped,
            json!({ "id": missing_id("ActionItem") }),
        )
        .await;
    r.assert_error("LIMIT_EXCEEDED");
    assert!(r.message().contains("complex"), "{}", r.body);
    // One window alone is fine (and resolves to NOT_FOUND here).
    let one = "query($id: ID!) { node(id: $id) { ... on ActionItem { \
        occurrences(from: \"2026-01-01\", to: \"2026-12-31\") { dueDate } } } }";
    app.graphql(
        Some(&v.token),
        one,
        json!({ "id": missing_id("ActionItem") }),
    )
    .await
    .assert_error("NOT_FOUND");
}

#[tokio::test]
async fn a_response_over_the_ceiling_stops_while_it_is_built() {
    let app = spawn_app_with(|c| c.max_response_bytes = 3_000).await;
    let t = app.tenant("acme").await;
    for i in 0..40 {
        app.account(&t.admin_token, &format!("Account number {i:02}"))
            .await;
    }
    // Field by field (a fragment keeps it off the compiled path) and compiled.
    for q in [
        "{ accounts(first: 40) { nodes { ...A } } } fragment A on Account { id name tier status }",
        "{ accounts(first: 40) { nodes { id name tier status } } }",
    ] {
        let r = app.graphql(Some(&t.admin_token), q, json!({})).await;
        r.assert_error("LIMIT_EXCEEDED");
        assert_eq!(r.body["errors"].as_array().unwrap().len(), 1, "{}", r.body);
        assert!(r.body["data"].is_null(), "{}", r.body);
        assert!(r.message().contains("3000 bytes"), "{}", r.body);
    }
    // A page within the ceiling is whole.
    let r = app
        .graphql(
            Some(&t.admin_token),
            "{ accounts(first: 5) { nodes { ...A } } } fragment A on Account { id name }",
            json!({}),
        )
        .await;
    assert_eq!(r.data("accounts.nodes").as_array().unwrap().len(), 5);
    assert_eq!(app.state.responses.bytes(), 0, "every byte handed back");
}

#[tokio::test]
async fn responses_built_at_once_share_a_process_bound() {
    let app = spawn_app_with(|c| {
        c.max_response_bytes = 1_000_000;
        c.max_response_bytes_in_flight = 2_000;
    })
    .await;
    let t = app.tenant("acme").await;
    for i in 0..30 {
        app.account(&t.admin_token, &format!("Account number {i:02}"))
            .await;
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            "{ accounts(first: 30) { nodes { ...A } } } fragment A on Account { id name tier }",
            json!({}),
        )
        .await;
    r.assert_error("UNAVAILABLE");
    assert_eq!(r.body["errors"][0]["extensions"]["retryAfter"], json!(1));
    assert_eq!(app.state.responses.bytes(), 0);
}

// 3. The last admin under concurrency.

#[tokio::test]
async fn two_admins_demoting_each_other_at_once_leave_one_admin() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let b = app.user(&t, "ADMIN", "bea").await;
    let change =
        "mutation($id: ID!) { updateUserRole(input: {id: $id, role: VIEWER}) { user { role } } }";
    // On Postgres a lock on `users` (reads allowed) holds both requests at
    // their write, so they overlap for certain; without the tenant lock both
    // would then succeed.
    let lock = if is_postgres() {
        let conn = sea_orm::Database::connect(&app.db_url).await.unwrap();
        let tx = sea_orm::TransactionTrait::begin(&conn).await.unwrap();
        sea_orm::ConnectionTrait::execute_unprepared(&tx, "LOCK TABLE users IN EXCLUSIVE MODE")
            .await
            .unwrap();
        Some((conn, tx))
    } else {
        None
    };
    let a_demotes_b = app.graphql(Some(&t.admin_token), change, json!({ "id": b.id }));
    let b_demotes_a = app.graphql(Some(&b.token), change, json!({ "id": t.admin_id }));
    let release = async {
        if let Some((_conn, tx)) = lock {
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            tx.rollback().await.unwrap();
        }
    };
    let (r1, r2, ()) = tokio::join!(a_demotes_b, b_demotes_a, release);
    let ok = [&r1, &r2]
        .iter()
        .filter(|r| r.body.get("errors").is_none())
        .count();
    assert_eq!(ok, 1, "{}\n{}", r1.body, r2.body);
    let refused = if r1.body.get("errors").is_some() {
        &r1
    } else {
        &r2
    };
    refused.assert_error("FORBIDDEN");
    // Exactly one admin is left, and they can still act as one.
    let users = app
        .graphql(
            Some(if r1.body.get("errors").is_none() {
                &t.admin_token
            } else {
                &b.token
            }),
            "{ users(first: 10) { nodes { role active } } }",
            json!({}),
        )
        .await;
    let admins = users
        .data("users.nodes")
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["role"] == "ADMIN" && u["active"] == true)
        .count();
    assert_eq!(admins, 1, "{}", users.body);
}

// 4. A deleted account's white space.

#[tokio::test]
async fn a_deleted_accounts_business_units_and_cells_answer_no_query() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Gone Co").await;
    let contact = app.contact(&t.admin_token, &a, "Ann", "Lee").await;
    let unit = app
        .graphql(
            Some(&t.admin_token),
            "mutation($a: ID!) { addBusinessUnit(input: {accountId: $a, name: \"Retail\", kind: DIVISION}) { businessUnit { id } } }",
            json!({ "a": a }),
        )
        .await
        .str("addBusinessUnit.businessUnit.id");
    let product = app
        .graphql(
            Some(&t.admin_token),
            "mutation { createProduct(input: {name: \"Warehousing\"}) { product { id } } }",
            json!({}),
        )
        .await
        .str("createProduct.product.id");
    let cell = app
        .graphql(
            Some(&t.admin_token),
            "mutation($a: ID!, $u: ID!, $p: ID!) { setWhiteSpaceCell(input: {accountId: $a, businessUnitId: $u, productId: $p, status: COMPETITOR_HELD, competitor: \"Globex\", notes: \"secret\"}) { cell { id } } }",
            json!({ "a": a, "u": unit, "p": product }),
        )
        .await
        .str("setWhiteSpaceCell.cell.id");
    for id in [&unit, &cell] {
        app.graphql(Some(&t.admin_token), NODE, json!({ "id": id }))
            .await
            .data("node.id");
    }
    app.delete_account(&t.admin_token, &a).await;
    for id in [&unit, &cell, &contact, &a] {
        app.graphql(Some(&t.admin_token), NODE, json!({ "id": id }))
            .await
            .assert_error("NOT_FOUND");
    }
    // The catalogue is the tenant's: the product stays.
    app.graphql(Some(&t.admin_token), NODE, json!({ "id": product }))
        .await
        .data("node.id");
}

// 5. Erasure.

#[tokio::test]
async fn an_erased_contact_loses_its_external_id_and_takes_no_personal_data() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let c = app
        .create_contact(
            &t.admin_token,
            json!({ "accountId": a, "firstName": "Ann", "lastName": "Lee",
                    "externalRef": { "source": "salesforce", "externalId": "003ANNLEE" } }),
        )
        .await
        .str("createContact.contact.id");
    let r = app
        .graphql(
            Some(&t.admin_token),
            "mutation($id: ID!) { eraseContactPersonalData(input: {id: $id}) { contact { erased externalRef { externalId } } } }",
            json!({ "id": c }),
        )
        .await;
    assert_eq!(
        r.data("eraseContactPersonalData.contact.erased"),
        &json!(true)
    );
    assert!(
        r.data("eraseContactPersonalData.contact.externalRef")
            .is_null()
    );
    let update = "mutation($i: UpdateContactInput!) { updateContact(input: $i) { contact { fullName email buyingRole erased } } }";
    for (field, value) in [
        ("firstName", json!("Ann")),
        ("email", json!("ann@acme.example")),
        (
            "externalRef",
            json!({ "source": "salesforce", "externalId": "003ANNLEE" }),
        ),
    ] {
        let mut input = json!({ "id": c });
        input[field] = value;
        let r = app
            .graphql(Some(&t.admin_token), update, json!({ "i": input }))
            .await;
        r.assert_error("CONFLICT");
        assert_eq!(r.field(), format!("input.{field}"));
    }
    // The relationship (not personal) may still change.
    let r = app
        .graphql(
            Some(&t.admin_token),
            update,
            json!({ "i": { "id": c, "buyingRole": "USER" } }),
        )
        .await;
    assert_eq!(r.data("updateContact.contact.buyingRole"), &json!("USER"));
    assert_eq!(
        r.data("updateContact.contact.fullName"),
        &json!("Erased Erased")
    );
    assert!(r.data("updateContact.contact.email").is_null());
}

// 6. Long list arguments.

#[tokio::test]
async fn a_list_argument_over_the_cap_is_refused_naming_it() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tiers = vec![json!("STRATEGIC"); 40_000];
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($t: [Tier!]) { accounts(filter: {tiers: $t}) { nodes { id } } }",
            json!({ "t": tiers }),
        )
        .await;
    r.assert_error("LIMIT_EXCEEDED");
    assert!(r.message().contains("variables.t"), "{}", r.body);
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($t: [Tier!]) { accounts(filter: {tiers: $t}) { nodes { id } } }",
            json!({ "t": vec![json!("STRATEGIC"); 100] }),
        )
        .await;
    r.data("accounts.nodes");
}

// 7. HEAD runs nothing that GET may not.

#[tokio::test]
async fn head_with_a_body_runs_no_mutation() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let r = app
        .client
        .head(&app.url)
        .bearer_auth(&t.admin_token)
        .header("content-type", "application/json")
        .body(json!({ "query": "mutation { createProduct(input: {name: \"Sneaky\"}) { product { id } } }" }).to_string())
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 200);
    let products = app
        .graphql(Some(&t.admin_token), "{ products { name } }", json!({}))
        .await;
    assert_eq!(products.data("products"), &json!([]));
}

// 8. Request ids.

#[tokio::test]
async fn only_short_safe_request_ids_are_echoed() {
    let app = spawn_app().await;
    let send = |id: &'static str| {
        app.client
            .post(&app.url)
            .header("content-type", "application/json")
            .header("x-request-id", id)
            .body(r#"{"query":"{ __typename }"}"#)
            .send()
    };
    let r = send("abc-123_x.y:z").await.unwrap();
    assert_eq!(r.headers()["x-request-id"], "abc-123_x.y:z");
    for bad in [
        "evil id] ERROR forged=1",
        "a\tb",
        "toolong-toolong-toolong-toolong-toolong-toolong-toolong-toolong-1",
    ] {
        let r = send(bad).await.unwrap();
        let echoed = r.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_ne!(echoed, bad);
        assert!(uuid::Uuid::parse_str(&echoed).is_ok(), "{echoed}");
    }
}

// 9. Dates and cursors.

#[tokio::test]
async fn dates_outside_years_1_to_9999_are_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    for start in ["+10000-01-01", "0000-01-01", "-0001-01-01"] {
        let r = app
            .graphql(
                Some(&t.admin_token),
                "mutation($i: CreatePlanInput!) { createPlan(input: $i) { plan { id } } }",
                json!({ "i": { "accountId": a, "title": "P", "periodStart": start, "periodEnd": "2026-12-31" } }),
            )
            .await;
        r.assert_error("VALIDATION");
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            "mutation($a: ID!, $at: DateTime!) { logActivity(input: {accountId: $a, kind: CALL, occurredAt: $at, summary: \"s\"}) { activity { id } } }",
            json!({ "a": a, "at": "-0001-01-01T00:00:00Z" }),
        )
        .await;
    r.assert_error("VALIDATION");
    let r = app
        .graphql(
            Some(&t.admin_token),
            "{ plans { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data("plans.nodes"), &json!([]));
    // A cursor that is not one of this list is refused naming the argument it came in.
    let forged = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!(
        "ACTIVITY_TIME_DESC:{}:not-a-time",
        uuid::Uuid::now_v7()
    ));
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($a: ID!, $b: String) { account(id: $a) { activities(last: 5, before: $b) { nodes { id } } } }",
            json!({ "a": a, "b": forged }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "before", "{}", r.body);
}

// 10 and 11. Search text, names, e-mails, currencies, passwords.

#[tokio::test]
async fn control_and_invisible_characters_look_alikes_and_weak_passwords_are_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    app.account(&t.admin_token, "Acme").await;
    app.graphql(
        Some(&t.admin_token),
        "{ accounts(filter: {nameContains: \"a\\u0000b\"}) { nodes { id } } }",
        json!({}),
    )
    .await
    .assert_error("VALIDATION");
    for name in ["\u{200B}\u{200B}", "\u{FEFF}", "Acme\u{202E}emca"] {
        let r = app
            .create_account(&t.admin_token, json!({ "name": name }))
            .await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), "input.name");
    }
    let r = app
        .create_account(
            &t.admin_token,
            json!({ "name": "Globex", "annualRevenue": { "amount": "1", "currency": "ZZZ" } }),
        )
        .await;
    r.assert_error("VALIDATION");
    let create_user = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }";
    for (input, field) in [
        (
            json!({ "email": "\u{0430}dmin@acme.example", "displayName": "Fake", "role": "VIEWER", "password": PASSWORD }),
            "input.email",
        ),
        (
            json!({ "email": "rlo@acme.example", "displayName": "x\u{202E}nimda", "role": "VIEWER", "password": PASSWORD }),
            "input.displayName",
        ),
        (
            json!({ "email": "weak@acme.example", "displayName": "Weak", "role": "VIEWER", "password": "password1234" }),
            "input.password",
        ),
        (
            json!({ "email": "same@acme.example", "displayName": "Same", "role": "VIEWER", "password": "same@acme.example" }),
            "input.password",
        ),
    ] {
        let r = app
            .graphql(Some(&t.admin_token), create_user, json!({ "i": input }))
            .await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field, "{}", r.body);
    }
}

// 12. Metrics.

#[tokio::test]
async fn metrics_need_the_token_and_outsiders_make_no_labels() {
    let app = spawn_app_with(|c| {
        c.metrics_token = Some(steward_api::config::Secret::new("scrape-token-0123456789"))
    })
    .await;
    let metrics = format!("http://{}/metrics", app.addr);
    app.graphql(None, "query OutsiderLabel { __typename }", json!({}))
        .await;
    for token in [None, Some("wrong")] {
        let mut req = app.client.get(&metrics);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        assert_eq!(req.send().await.unwrap().status(), 401);
    }
    let text = app
        .client
        .get(&metrics)
        .bearer_auth("scrape-token-0123456789")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!text.contains("OutsiderLabel"), "{text}");
    assert!(text.contains("operation_name=\"signed_out\""), "{text}");
    // Without a configured token nobody reads them.
    let open = spawn_app().await;
    let r = open
        .client
        .get(format!("http://{}/metrics", open.addr))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

// 13. A stale bearer token beside sign-in.

#[tokio::test]
async fn an_expired_access_token_does_not_block_sign_in_or_refresh() {
    let app = spawn_app_with(|c| {
        c.access_token_ttl_secs = 1;
        c.jwt_leeway_secs = 0;
    })
    .await;
    let t = app.tenant("acme").await;
    let u = app
        .login(&t.slug, &format!("admin@{}.example", t.slug), PASSWORD)
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let r = app
        .graphql(Some(&u.token), "{ viewer { user { id } } }", json!({}))
        .await;
    assert_eq!(r.status, 401);
    let r = app
        .graphql(
            Some(&u.token),
            "mutation($i: LoginInput!) { login(input: $i) { accessToken } }",
            json!({ "i": { "tenant": t.slug, "email": format!("admin@{}.example", t.slug), "password": PASSWORD } }),
        )
        .await;
    assert!(r.str("login.accessToken").len() > 20);
    let r = app
        .graphql(
            Some(&u.token),
            "mutation($i: RefreshTokenInput!) { refreshToken(input: $i) { accessToken } }",
            json!({ "i": { "refreshToken": u.refresh_token } }),
        )
        .await;
    assert!(r.str("refreshToken.accessToken").len() > 20);
    // Anything else with the stale token is still refused.
    let r = post_raw(
        &app,
        Some(&u.token),
        json!({ "query": "mutation($i: LoginInput!) { login(input: $i) { accessToken } } query V { viewer { user { id } } }", "operationName": "V" }),
    )
    .await;
    assert_eq!(r.status, 401);
}

// 14. Ids, framing, logs.

#[tokio::test]
async fn a_record_answers_to_one_spelling_of_its_id() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let u = uuid_of(&a);
    app.graphql(Some(&t.admin_token), NODE, json!({ "id": a }))
        .await
        .data("node.id");
    let spell =
        |s: String| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("Account:{s}"));
    for other in [
        u.to_string().to_uppercase(),
        u.simple().to_string(),
        u.braced().to_string(),
        u.urn().to_string(),
    ] {
        // Malformed, the same code on `node` as on `account`.
        let r = app
            .graphql(Some(&t.admin_token), NODE, json!({ "id": spell(other) }))
            .await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), "id");
        app.graphql(
            Some(&t.admin_token),
            "query($id: ID!) { account(id: $id) { id } }",
            json!({ "id": spell(u.simple().to_string()) }),
        )
        .await
        .assert_error("VALIDATION");
    }
}

#[tokio::test]
async fn graphiql_may_not_be_framed() {
    let app = spawn_app().await;
    let r = app
        .client
        .get(&app.url)
        .header("accept", "text/html")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(r.headers()["x-frame-options"], "DENY");
}
