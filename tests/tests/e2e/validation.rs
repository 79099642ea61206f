//! Input validation: every refusal is a `VALIDATION` error naming the input
//! field (`input.` prefix) and changes nothing.

use crate::helpers::*;
use crate::queries::*;
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

/// Asserts a failed mutation or query: `VALIDATION` on `field`, no data.
fn assert_validation(r: &Gql, field: &str, what: &str) {
    assert_eq!(r.code(), "VALIDATION", "{what}: {}", r.body);
    assert_eq!(r.field(), field, "{what}: {}", r.body);
    assert!(r.body["data"].is_null(), "{what}: {}", r.body);
}

/// Ids of the live contacts of an account.
async fn contact_ids(app: &TestApp, token: &str, account: &str) -> Vec<String> {
    let r = app
        .graphql(Some(token), ACCOUNT_CONTACTS_Q, json!({ "id": account }))
        .await;
    list(r.data("account.contacts.edges"))
        .iter()
        .map(|e| text(&e["node"]["id"]))
        .collect()
}

fn ids(v: &Value) -> Vec<String> {
    list(v).iter().map(|c| text(&c["id"])).collect()
}

async fn update_contact(app: &TestApp, token: &str, input: Value) -> Gql {
    app.graphql(Some(token), UPDATE_CONTACT, json!({ "i": input }))
        .await
}

// ---------------------------------------------------------------- accounts

#[tokio::test]
async fn create_account_refuses_an_empty_or_blank_name() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    for name in ["", "   ", "\t \n"] {
        let r = app
            .create_account(&t.admin_token, json!({ "name": name }))
            .await;
        assert_validation(&r, "input.name", &format!("{name:?}"));
    }
    assert_eq!(app.account_count(&t.admin_token).await, 0);
    // The name is trimmed when it is accepted.
    let r = app
        .create_account(&t.admin_token, json!({ "name": "  Acme  " }))
        .await;
    assert_eq!(r.str("createAccount.account.name"), "Acme");
    assert_eq!(app.account_count(&t.admin_token).await, 1);
}

#[tokio::test]
async fn create_account_refuses_websites_that_are_not_http_urls() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    for website in ["acme", "ftp://x.com", "javascript:alert(1)"] {
        let r = app
            .create_account(
                &t.admin_token,
                json!({ "name": "Acme", "website": website }),
            )
            .await;
        assert_validation(&r, "input.website", website);
    }
    assert_eq!(app.account_count(&t.admin_token).await, 0);
    let id = app
        .create_account(
            &t.admin_token,
            json!({ "name": "Acme", "website": "https://acme.example/about" }),
        )
        .await
        .str("createAccount.account.id");
    let a = read_account(&app, &t.admin_token, &id).await;
    assert_eq!(a["website"], json!("https://acme.example/about"));
}

#[tokio::test]
async fn create_account_refuses_negative_or_too_precise_revenue_and_bad_currencies() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let cases = [
        (
            json!({ "amount": "-1", "currency": "EUR" }),
            "input.annualRevenue.amount",
        ),
        (
            json!({ "amount": "100", "currency": "eur" }),
            "input.annualRevenue.currency",
        ),
        (
            json!({ "amount": "1.23456", "currency": "EUR" }),
            "input.annualRevenue.amount",
        ),
    ];
    for (money, field) in cases {
        let r = app
            .create_account(
                &t.admin_token,
                json!({ "name": "Acme", "annualRevenue": money }),
            )
            .await;
        assert_validation(&r, field, &money.to_string());
    }
    assert_eq!(app.account_count(&t.admin_token).await, 0);
    // Four decimals are exact and kept.
    let id = app
        .create_account(
            &t.admin_token,
            json!({ "name": "Acme", "annualRevenue": { "amount": "1234.5678", "currency": "EUR" } }),
        )
        .await
        .str("createAccount.account.id");
    let a = read_account(&app, &t.admin_token, &id).await;
    assert_eq!(a["annualRevenue"]["currency"], json!("EUR"));
    assert_eq!(a["annualRevenue"]["amount"], json!("1234.5678"));
}

#[tokio::test]
async fn a_duplicate_account_external_ref_is_refused_in_the_tenant_but_fine_in_another() {
    let app = spawn_app().await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;
    let sf = json!({ "source": "salesforce", "externalId": "001A" });
    let first = app
        .create_account(
            &acme.admin_token,
            json!({ "name": "First", "externalRef": sf }),
        )
        .await
        .str("createAccount.account.id");

    let r = app
        .create_account(
            &acme.admin_token,
            json!({ "name": "Second", "externalRef": sf }),
        )
        .await;
    assert_validation(&r, "input.externalRef.externalId", "duplicate");
    assert_eq!(app.account_count(&acme.admin_token).await, 1);
    let a = read_account(&app, &acme.admin_token, &first).await;
    assert_eq!(a["name"], json!("First"));
    assert_eq!(a["externalRef"], sf);
    assert_eq!(a["version"], json!(1));

    // Another id of the same source, or the same id in another source, is fine.
    app.create_account(
        &acme.admin_token,
        json!({ "name": "Other id", "externalRef": { "source": "salesforce", "externalId": "001B" } }),
    )
    .await
    .data("createAccount.account.id");
    app.create_account(
        &acme.admin_token,
        json!({ "name": "Other source", "externalRef": { "source": "hubspot", "externalId": "001A" } }),
    )
    .await
    .data("createAccount.account.id");
    assert_eq!(app.account_count(&acme.admin_token).await, 3);

    // The same reference in another tenant is fine.
    let r = app
        .create_account(
            &globex.admin_token,
            json!({ "name": "Globex", "externalRef": sf }),
        )
        .await;
    assert_eq!(r.str("createAccount.account.name"), "Globex");
    assert_eq!(app.account_count(&globex.admin_token).await, 1);
    assert_eq!(app.account_count(&acme.admin_token).await, 3);
}

#[tokio::test]
async fn update_account_refuses_a_null_or_blank_name_and_changes_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let id = app.account(&t.admin_token, "Acme").await;
    for name in [Value::Null, json!("  "), json!("")] {
        let r = app
            .graphql(
                Some(&t.admin_token),
                UPDATE_ACCOUNT,
                json!({ "i": { "id": id, "name": name } }),
            )
            .await;
        assert_validation(&r, "input.name", &name.to_string());
    }
    let a = read_account(&app, &t.admin_token, &id).await;
    assert_eq!(a["name"], json!("Acme"));
    assert_eq!(a["version"], json!(1), "a refused update does not count");
}

#[tokio::test]
async fn update_account_keeps_absent_fields_and_null_clears_optional_ones() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let id = app
        .create_account(
            &t.admin_token,
            json!({ "name": "Acme", "industry": "Retail", "region": "EMEA", "website": "https://acme.example" }),
        )
        .await
        .str("createAccount.account.id");
    assert_eq!(
        read_account(&app, &t.admin_token, &id).await["version"],
        json!(1)
    );

    // `industry: null` clears it; region, name and website are absent: kept.
    let r = app
        .graphql(
            Some(&t.admin_token),
            UPDATE_ACCOUNT,
            json!({ "i": { "id": id, "industry": null } }),
        )
        .await;
    let a = r.data("updateAccount.account");
    assert_eq!(a["industry"], Value::Null);
    assert_eq!(a["region"], json!("EMEA"));
    assert_eq!(a["name"], json!("Acme"));
    assert_eq!(a["website"], json!("https://acme.example"));
    assert_eq!(a["version"], json!(2));

    // A value changes only that field.
    let r = app
        .graphql(
            Some(&t.admin_token),
            UPDATE_ACCOUNT,
            json!({ "i": { "id": id, "name": "Acme Group" } }),
        )
        .await;
    assert_eq!(r.data("updateAccount.account.version"), &json!(3));

    // What was stored, read back.
    let a = read_account(&app, &t.admin_token, &id).await;
    assert_eq!(a["name"], json!("Acme Group"));
    assert_eq!(a["industry"], Value::Null);
    assert_eq!(a["region"], json!("EMEA"));
    assert_eq!(a["website"], json!("https://acme.example"));
    assert_eq!(a["version"], json!(3));

    // Clearing the region and the website; one update, one version.
    let r = app
        .graphql(
            Some(&t.admin_token),
            UPDATE_ACCOUNT,
            json!({ "i": { "id": id, "region": null, "website": null } }),
        )
        .await;
    assert_eq!(r.data("updateAccount.account.version"), &json!(4));
    let a = read_account(&app, &t.admin_token, &id).await;
    assert_eq!(a["region"], Value::Null);
    assert_eq!(a["website"], Value::Null);
    assert_eq!(a["name"], json!("Acme Group"));
    assert_eq!(a["version"], json!(4));
}

// ---------------------------------------------------------------- contacts

#[tokio::test]
async fn create_contact_refuses_influence_outside_one_to_five() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let acc = app.account(&t.admin_token, "Acme").await;
    for influence in [0, 6, -1] {
        let r = app
            .create_contact(
                &t.admin_token,
                json!({ "accountId": acc, "firstName": "Ada", "lastName": "Lovelace", "influence": influence }),
            )
            .await;
        assert_validation(&r, "input.influence", &influence.to_string());
    }
    assert!(contact_ids(&app, &t.admin_token, &acc).await.is_empty());
    for influence in [1, 5] {
        app.create_contact(
            &t.admin_token,
            json!({ "accountId": acc, "firstName": "Ada", "lastName": "Lovelace", "influence": influence }),
        )
        .await
        .data("createContact.contact.id");
    }
    assert_eq!(contact_ids(&app, &t.admin_token, &acc).await.len(), 2);
}

#[tokio::test]
async fn create_contact_refuses_malformed_emails() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let acc = app.account(&t.admin_token, "Acme").await;
    for email in ["nope", "a@b", "a b@c.de"] {
        let r = app
            .create_contact(
                &t.admin_token,
                json!({ "accountId": acc, "firstName": "Ada", "lastName": "Lovelace", "email": email }),
            )
            .await;
        assert_validation(&r, "input.email", email);
    }
    assert!(contact_ids(&app, &t.admin_token, &acc).await.is_empty());
    app.create_contact(
        &t.admin_token,
        json!({ "accountId": acc, "firstName": "Ada", "lastName": "Lovelace", "email": "ada@acme.example" }),
    )
    .await
    .data("createContact.contact.id");
    assert_eq!(contact_ids(&app, &t.admin_token, &acc).await.len(), 1);
}

#[tokio::test]
async fn create_contact_refuses_an_empty_first_name() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let acc = app.account(&t.admin_token, "Acme").await;
    for first in ["", "   "] {
        let r = app
            .create_contact(
                &t.admin_token,
                json!({ "accountId": acc, "firstName": first, "lastName": "Lovelace" }),
            )
            .await;
        assert_validation(&r, "input.firstName", &format!("{first:?}"));
    }
    assert!(contact_ids(&app, &t.admin_token, &acc).await.is_empty());
}

#[tokio::test]
async fn create_contact_refuses_a_phone_that_is_not_a_number() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let acc = app.account(&t.admin_token, "Acme").await;
    let r = app
        .create_contact(
            &t.admin_token,
            json!({ "accountId": acc, "firstName": "Ada", "lastName": "Lovelace", "phone": "call me" }),
        )
        .await;
    assert_validation(&r, "input.phone", "call me");
    assert!(contact_ids(&app, &t.admin_token, &acc).await.is_empty());
    app.create_contact(
        &t.admin_token,
        json!({ "accountId": acc, "firstName": "Ada", "lastName": "Lovelace", "phone": "+49 (30) 123-456" }),
    )
    .await
    .data("createContact.contact.id");
}

#[tokio::test]
async fn a_contact_cannot_report_to_a_contact_of_another_account() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let acme = app.account(&t.admin_token, "Acme").await;
    let globex = app.account(&t.admin_token, "Globex").await;
    let boss = app.contact(&t.admin_token, &globex, "Gus", "Globex").await;
    let local = app.contact(&t.admin_token, &acme, "Ada", "Acme").await;

    let r = app
        .create_contact(
            &t.admin_token,
            json!({ "accountId": acme, "firstName": "Bob", "lastName": "Acme", "reportsToId": boss }),
        )
        .await;
    assert_validation(&r, "input.reportsToId", "create");
    assert_eq!(
        contact_ids(&app, &t.admin_token, &acme).await,
        vec![local.clone()]
    );

    let r = update_contact(
        &app,
        &t.admin_token,
        json!({ "id": local, "reportsToId": boss }),
    )
    .await;
    assert_validation(&r, "input.reportsToId", "update");
    let c = read_contact(&app, &t.admin_token, &local).await;
    assert_eq!(c["reportsTo"], Value::Null);
    assert_eq!(c["version"], json!(1));
    assert_eq!(
        read_contact(&app, &t.admin_token, &boss).await["directReports"],
        json!([])
    );
}

#[tokio::test]
async fn a_duplicate_contact_external_ref_is_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let acme = app.account(&t.admin_token, "Acme").await;
    let globex = app.account(&t.admin_token, "Globex").await;
    let sf = json!({ "source": "salesforce", "externalId": "003X" });
    app.create_contact(
        &t.admin_token,
        json!({ "accountId": acme, "firstName": "Ada", "lastName": "Lovelace", "externalRef": sf }),
    )
    .await
    .data("createContact.contact.id");
    for acc in [&acme, &globex] {
        let r = app
            .create_contact(
                &t.admin_token,
                json!({ "accountId": acc, "firstName": "Bob", "lastName": "Byron", "externalRef": sf }),
            )
            .await;
        assert_validation(&r, "input.externalRef.externalId", acc);
    }
    assert_eq!(contact_ids(&app, &t.admin_token, &acme).await.len(), 1);
    assert!(contact_ids(&app, &t.admin_token, &globex).await.is_empty());
    // Another external id is fine.
    app.create_contact(
        &t.admin_token,
        json!({ "accountId": acme, "firstName": "Bob", "lastName": "Byron", "externalRef": { "source": "salesforce", "externalId": "003Y" } }),
    )
    .await
    .data("createContact.contact.id");
}

#[tokio::test]
async fn reporting_cycles_are_refused_and_leave_the_lines_unchanged() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    let acc = app.account(tok, "Acme").await;
    let a = app.contact(tok, &acc, "Anna", "Alpha").await;
    let b = app
        .create_contact(
            tok,
            json!({ "accountId": acc, "firstName": "Ben", "lastName": "Bravo", "reportsToId": a }),
        )
        .await
        .str("createContact.contact.id");
    let c = app
        .create_contact(
            tok,
            json!({ "accountId": acc, "firstName": "Cora", "lastName": "Charlie", "reportsToId": b }),
        )
        .await
        .str("createContact.contact.id");

    for (manager, what) in [
        (&c, "A under C closes a cycle"),
        (&b, "A under B"),
        (&a, "A under A"),
    ] {
        let r = update_contact(&app, tok, json!({ "id": a, "reportsToId": manager })).await;
        assert_validation(&r, "input.reportsToId", what);
    }
    // B under C is a cycle too.
    let r = update_contact(&app, tok, json!({ "id": b, "reportsToId": c })).await;
    assert_validation(&r, "input.reportsToId", "B under C");

    let ca = read_contact(&app, tok, &a).await;
    let cb = read_contact(&app, tok, &b).await;
    let cc = read_contact(&app, tok, &c).await;
    assert_eq!(ca["reportsTo"], Value::Null);
    assert_eq!(ids(&ca["directReports"]), vec![b.clone()]);
    assert_eq!(cb["reportsTo"]["id"], json!(a));
    assert_eq!(ids(&cb["directReports"]), vec![c.clone()]);
    assert_eq!(cc["reportsTo"]["id"], json!(b));
    assert_eq!(ids(&cc["directReports"]), Vec::<String>::new());
    for x in [&ca, &cb, &cc] {
        assert_eq!(
            x["version"],
            json!(1),
            "refused updates change nothing: {x}"
        );
    }

    // Moving C under A is fine.
    let r = update_contact(&app, tok, json!({ "id": c, "reportsToId": a })).await;
    assert_eq!(r.data("updateContact.contact.reportsTo.id"), &json!(a));
    assert_eq!(r.data("updateContact.contact.version"), &json!(2));
    let ca = read_contact(&app, tok, &a).await;
    assert_eq!(ids(&ca["directReports"]), vec![b.clone(), c.clone()]);
    assert_eq!(
        ids(&read_contact(&app, tok, &b).await["directReports"]),
        Vec::<String>::new()
    );
    assert_eq!(
        read_contact(&app, tok, &c).await["reportsTo"]["id"],
        json!(a)
    );
    // Now A may report to neither (still a cycle), and null clears a line.
    let r = update_contact(&app, tok, json!({ "id": a, "reportsToId": c })).await;
    assert_validation(&r, "input.reportsToId", "A under C again");
    let r = update_contact(&app, tok, json!({ "id": b, "reportsToId": null })).await;
    assert_eq!(r.data("updateContact.contact.reportsTo"), &Value::Null);
    assert_eq!(
        ids(&read_contact(&app, tok, &a).await["directReports"]),
        vec![c.clone()]
    );
}

#[tokio::test]
async fn malformed_ids_are_validation_errors() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = &t.admin_token;
    app.account(tok, "Acme").await;

    let r = app
        .graphql(
            Some(tok),
            "query($id: ID!) { account(id: $id) { id } }",
            json!({ "id": "zzz" }),
        )
        .await;
    assert_eq!(r.code(), "VALIDATION", "{}", r.body);
    assert_eq!(r.field(), "id", "{}", r.body);
    assert!(r.body["data"].is_null(), "{}", r.body);

    let r = app
        .graphql(
            Some(tok),
            UPDATE_ACCOUNT,
            json!({ "i": { "id": "zzz", "name": "X" } }),
        )
        .await;
    assert_validation(&r, "input.id", "updateAccount");

    let r = update_contact(&app, tok, json!({ "id": "zzz", "firstName": "X" })).await;
    assert_validation(&r, "input.id", "updateContact");

    let r = app
        .create_contact(
            tok,
            json!({ "accountId": "zzz", "firstName": "Ada", "lastName": "Lovelace" }),
        )
        .await;
    assert_validation(&r, "input.accountId", "createContact");

    // Nothing changed.
    assert_eq!(app.account_count(tok).await, 1);
    let r = app
        .graphql(
            Some(tok),
            "{ accounts { edges { node { name version } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r.data("accounts.edges"),
        &json!([{ "node": { "name": "Acme", "version": 1 } }])
    );
}

// ------------------------------------------------------------- concurrency

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_opposite_reporting_lines_never_form_a_cycle() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let tok = t.admin_token.as_str();
    let acc = app.account(tok, "Acme").await;
    let x = app.contact(tok, &acc, "Xavier", "Xu").await;
    let y = app.contact(tok, &acc, "Yara", "Young").await;
    let mut successes_total = 0;
    for round in 0..10 {
        for id in [&x, &y] {
            update_contact(&app, tok, json!({ "id": id, "reportsToId": null }))
                .await
                .data("updateContact.contact.id");
        }
        let (rx, ry) = tokio::join!(
            update_contact(&app, tok, json!({ "id": x, "reportsToId": y })),
            update_contact(&app, tok, json!({ "id": y, "reportsToId": x })),
        );
        let mut successes = 0;
        for (r, who) in [(&rx, "X under Y"), (&ry, "Y under X")] {
            if r.body.get("errors").is_none() {
                successes += 1;
            } else {
                assert!(
                    ["VALIDATION", "CONFLICT"].contains(&r.code()),
                    "round {round}, {who}: {}",
                    r.body
                );
            }
        }
        assert!(
            successes <= 1,
            "round {round}: both succeeded: {} / {}",
            rx.body,
            ry.body
        );
        successes_total += successes;

        let cx = read_contact(&app, tok, &x).await;
        let cy = read_contact(&app, tok, &y).await;
        let x_under_y = cx["reportsTo"]["id"] == json!(y);
        let y_under_x = cy["reportsTo"]["id"] == json!(x);
        assert!(!(x_under_y && y_under_x), "round {round}: cycle {cx} {cy}");
        // What is stored is exactly what succeeded.
        assert_eq!(
            x_under_y,
            rx.body.get("errors").is_none(),
            "round {round}: {cx}"
        );
        assert_eq!(
            y_under_x,
            ry.body.get("errors").is_none(),
            "round {round}: {cy}"
        );
    }
    assert!(successes_total > 0, "the updates never succeeded at all");
}
