//! Tenant isolation: another tenant's records are `NOT_FOUND`, exactly like
//! ids that do not exist, for every query and mutation, and nothing changes.

use crate::helpers::*;
use crate::queries::*;
use serde_json::{Value, json};

const PROMOTE: &str =
    "mutation($id: ID!) { updateUserRole(input: {id: $id, role: ADMIN}) { user { id role } } }";

/// A mutation to try: its name, its text, its variables for a given id.
type Call = (&'static str, &'static str, fn(&str) -> Value);

/// A well-formed global id of `kind` that exists nowhere.
fn random_id(kind: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{kind}:{}", uuid::Uuid::now_v7()))
}

/// Tenant A with an account (external ref), a contact in it and a user;
/// tenant B with its admin, a sales manager and an account of its own.
struct World {
    a: Tenant,
    a_account: String,
    a_contact: String,
    a_user: String,
    b: Tenant,
    b_sales: User,
    b_account: String,
}

impl World {
    /// B's tokens: every test repeats its calls with both.
    fn b_tokens(&self) -> [(&'static str, &str); 2] {
        [
            ("B admin", self.b.admin_token.as_str()),
            ("B sales manager", self.b_sales.token.as_str()),
        ]
    }
}

async fn world(app: &TestApp) -> World {
    let a = app.tenant("alpha").await;
    let a_account = app
        .create_account(
            &a.admin_token,
            json!({
                "name": "Alpha Industries",
                "externalRef": { "source": "salesforce", "externalId": "001ALPHA" },
            }),
        )
        .await
        .str("createAccount.account.id");
    let a_contact = app
        .create_contact(
            &a.admin_token,
            json!({
                "accountId": a_account,
                "firstName": "Ada",
                "lastName": "Lovelace",
                "email": "ada@alpha.example",
            }),
        )
        .await
        .str("createContact.contact.id");
    let a_user = app.user(&a, "ACCOUNT_MANAGER", "alice").await.id;
    let b = app.tenant("beta").await;
    let b_sales = app.user(&b, "SALES_MANAGER", "sam").await;
    let b_account = app.account(&b.admin_token, "Beta Holdings").await;
    World {
        a,
        a_account,
        a_contact,
        a_user,
        b,
        b_sales,
        b_account,
    }
}

/// `foreign` (a call naming another tenant's record) failed with NOT_FOUND
/// and looks exactly like `missing` (the same call naming a random id).
fn assert_same_not_found(what: &str, foreign: &Gql, missing: &Gql) {
    assert_eq!(foreign.code(), "NOT_FOUND", "{what}: {}", foreign.body);
    assert_eq!(
        foreign.body, missing.body,
        "{what}: another tenant's id must look like a missing one"
    );
    assert_eq!(foreign.status, missing.status, "{what}");
}

/// A mutation failed with NOT_FOUND on `field` and returned no data.
fn assert_mutation_not_found(what: &str, r: &Gql, field: &str) {
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), field, "{what}: {}", r.body);
    assert!(r.body["data"].is_null(), "{what}: {}", r.body);
}

/// Tenant A's records are exactly as `world` made them.
async fn assert_a_unchanged(app: &TestApp, w: &World) {
    let t = &w.a.admin_token;
    let r = app
        .graphql(Some(t), ACCOUNT_Q, json!({ "id": w.a_account }))
        .await;
    assert_eq!(r.data("account.version"), &json!(1), "{}", r.body);
    assert_eq!(r.str("account.name"), "Alpha Industries");
    assert_eq!(r.data("account.archived"), &json!(false));
    assert_eq!(
        r.data("account.externalRef"),
        &json!({ "source": "salesforce", "externalId": "001ALPHA" })
    );
    assert_eq!(r.str("account.owner.id"), w.a.admin_id);
    assert_eq!(app.account_count(t).await, 1);

    let r = app
        .graphql(Some(t), CONTACT_Q, json!({ "id": w.a_contact }))
        .await;
    assert_eq!(r.data("contact.version"), &json!(1), "{}", r.body);
    assert_eq!(r.str("contact.firstName"), "Ada");
    assert_eq!(r.str("contact.lastName"), "Lovelace");
    assert_eq!(r.str("contact.email"), "ada@alpha.example");
    assert_eq!(r.str("contact.account.id"), w.a_account);

    let r = app
        .graphql(Some(t), USER_Q, json!({ "id": w.a_user }))
        .await;
    assert_eq!(r.data("user.active"), &json!(true), "{}", r.body);
    assert_eq!(r.str("user.role"), "ACCOUNT_MANAGER");
}

/// Tenant B's own account has no contacts and B still has exactly one account.
async fn assert_b_unchanged(app: &TestApp, w: &World) {
    let r = app
        .graphql(
            Some(&w.b.admin_token),
            "query($id: ID!) { account(id: $id) { version owner { id } contacts { edges { node { id } } } } }",
            json!({ "id": w.b_account }),
        )
        .await;
    assert_eq!(r.data("account.version"), &json!(1), "{}", r.body);
    assert_eq!(r.str("account.owner.id"), w.b.admin_id);
    assert_eq!(r.data("account.contacts.edges"), &json!([]));
    assert_eq!(app.account_count(&w.b.admin_token).await, 1);
}

#[tokio::test]
async fn another_tenants_account_contact_and_user_cannot_be_read_by_id() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // Tenant A itself can read them (the ids are real).
    for (q, id) in [
        (ACCOUNT_Q, &w.a_account),
        (CONTACT_Q, &w.a_contact),
        (USER_Q, &w.a_user),
    ] {
        let r = app
            .graphql(Some(&w.a.admin_token), q, json!({ "id": id }))
            .await;
        assert!(r.body.get("errors").is_none(), "{}", r.body);
    }
    for (who, token) in w.b_tokens() {
        for (root, q, id, kind) in [
            ("account", ACCOUNT_Q, &w.a_account, "Account"),
            ("contact", CONTACT_Q, &w.a_contact, "Contact"),
            ("user", USER_Q, &w.a_user, "User"),
        ] {
            let what = format!("{who}: {root}");
            let r = app.graphql(Some(token), q, json!({ "id": id })).await;
            r.assert_error("NOT_FOUND");
            assert!(r.body["data"].is_null(), "{what}: {}", r.body);
            let missing = app
                .graphql(Some(token), q, json!({ "id": random_id(kind) }))
                .await;
            assert_same_not_found(&what, &r, &missing);
        }
    }
}

#[tokio::test]
async fn node_does_not_resolve_another_tenants_ids() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // A resolves its own ids through node.
    for id in [&w.a_account, &w.a_contact, &w.a_user] {
        let r = app
            .graphql(Some(&w.a.admin_token), NODE_Q, json!({ "id": id }))
            .await;
        assert_eq!(&r.str("node.id"), id);
    }
    for (who, token) in w.b_tokens() {
        for (id, kind) in [
            (&w.a_account, "Account"),
            (&w.a_contact, "Contact"),
            (&w.a_user, "User"),
        ] {
            let what = format!("{who}: node({kind})");
            let r = app.graphql(Some(token), NODE_Q, json!({ "id": id })).await;
            r.assert_error("NOT_FOUND");
            assert!(r.body["data"]["node"].is_null(), "{what}: {}", r.body);
            let missing = app
                .graphql(Some(token), NODE_Q, json!({ "id": random_id(kind) }))
                .await;
            assert_same_not_found(&what, &r, &missing);
        }
    }
}

#[tokio::test]
async fn lists_never_contain_another_tenants_records() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let names = |r: &Gql| -> Vec<String> {
        r.data("accounts.edges")
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["name"].as_str().expect("name").to_owned())
            .collect()
    };
    for (who, token) in w.b_tokens() {
        let r = app
            .graphql(
                Some(token),
                ACCOUNTS_Q,
                json!({ "f": { "includeArchived": true } }),
            )
            .await;
        assert_eq!(names(&r), vec!["Beta Holdings"], "{who}");

        // Filtering by A's users returns nothing rather than A's accounts.
        for owner in [&w.a_user, &w.a.admin_id] {
            let r = app
                .graphql(
                    Some(token),
                    ACCOUNTS_Q,
                    json!({ "f": { "ownerId": owner, "includeArchived": true } }),
                )
                .await;
            assert_eq!(r.data("accounts.edges"), &json!([]), "{who}");
        }
        let r = app
            .graphql(
                Some(token),
                ACCOUNTS_Q,
                json!({ "f": { "nameContains": "Alpha" } }),
            )
            .await;
        assert_eq!(r.data("accounts.edges"), &json!([]), "{who}");

        let r = app
            .graphql(
                Some(token),
                "{ users(first: 100) { edges { node { id email } } } }",
                json!({}),
            )
            .await;
        let emails: Vec<&str> = r
            .data("users.edges")
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["email"].as_str().expect("email"))
            .collect();
        assert_eq!(
            emails,
            vec!["admin@beta.example", "sam@beta.example"],
            "{who}"
        );
    }
    // And A sees its own account, not B's.
    let r = app
        .graphql(Some(&w.a.admin_token), ACCOUNTS_Q, json!({ "f": null }))
        .await;
    assert_eq!(names(&r), vec!["Alpha Industries"]);
}

#[tokio::test]
async fn account_mutations_on_another_tenants_account_are_not_found_and_change_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    for (who, token) in w.b_tokens() {
        let calls: [Call; 4] = [
            (
                "updateAccount",
                UPDATE_ACCOUNT,
                |id| json!({ "i": { "id": id, "name": "Taken over" } }),
            ),
            ("archiveAccount", ARCHIVE_ACCOUNT, |id| json!({ "id": id })),
            ("restoreAccount", RESTORE_ACCOUNT, |id| json!({ "id": id })),
            ("deleteAccount", DELETE_ACCOUNT, |id| json!({ "id": id })),
        ];
        for (name, q, vars) in &calls {
            let what = format!("{who}: {name}");
            let r = app
                .graphql(Some(token), q, vars(w.a_account.as_str()))
                .await;
            assert_mutation_not_found(&what, &r, "input.id");
            let missing = app
                .graphql(Some(token), q, vars(&random_id("Account")))
                .await;
            assert_same_not_found(&what, &r, &missing);
        }
    }
    assert_a_unchanged(&app, &w).await;
    assert_b_unchanged(&app, &w).await;
}

#[tokio::test]
async fn references_to_another_tenants_records_in_inputs_are_not_found() {
    let app = spawn_app().await;
    let w = world(&app).await;
    for (who, token) in w.b_tokens() {
        // A contact in A's account.
        let r = app
            .create_contact(
                token,
                json!({ "accountId": w.a_account, "firstName": "Eve", "lastName": "Intruder" }),
            )
            .await;
        assert_mutation_not_found(&format!("{who}: createContact"), &r, "input.accountId");

        // An account of B owned by A's user.
        let r = app
            .create_account(
                token,
                json!({ "name": "Borrowed owner", "ownerId": w.a_user }),
            )
            .await;
        assert_mutation_not_found(&format!("{who}: createAccount"), &r, "input.ownerId");

        // Giving B's account to A's user.
        let r = app
            .graphql(
                Some(token),
                UPDATE_ACCOUNT,
                json!({ "i": { "id": w.b_account, "ownerId": w.a_user } }),
            )
            .await;
        assert_mutation_not_found(&format!("{who}: updateAccount"), &r, "input.ownerId");

        // A contact in B's own account reporting to A's contact.
        let r = app
            .create_contact(
                token,
                json!({
                    "accountId": w.b_account,
                    "firstName": "Eve",
                    "lastName": "Intruder",
                    "reportsToId": w.a_contact,
                }),
            )
            .await;
        assert_mutation_not_found(
            &format!("{who}: createContact reportsToId"),
            &r,
            "input.reportsToId",
        );

        // A contact in B's own account whose relationship A's user owns.
        let r = app
            .create_contact(
                token,
                json!({
                    "accountId": w.b_account,
                    "firstName": "Eve",
                    "lastName": "Intruder",
                    "relationshipOwnerId": w.a_user,
                }),
            )
            .await;
        assert_mutation_not_found(
            &format!("{who}: createContact relationshipOwnerId"),
            &r,
            "input.relationshipOwnerId",
        );
    }
    assert_a_unchanged(&app, &w).await;
    assert_b_unchanged(&app, &w).await;
}

#[tokio::test]
async fn updating_a_contact_to_point_at_another_tenants_records_is_not_found() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let b_contact = app
        .contact(&w.b.admin_token, &w.b_account, "Bob", "Builder")
        .await;
    for (who, token) in w.b_tokens() {
        let r = app
            .graphql(
                Some(token),
                UPDATE_CONTACT,
                json!({ "i": { "id": b_contact, "reportsToId": w.a_contact } }),
            )
            .await;
        assert_mutation_not_found(&format!("{who}: reportsToId"), &r, "input.reportsToId");
        let r = app
            .graphql(
                Some(token),
                UPDATE_CONTACT,
                json!({ "i": { "id": b_contact, "relationshipOwnerId": w.a_user } }),
            )
            .await;
        assert_mutation_not_found(
            &format!("{who}: relationshipOwnerId"),
            &r,
            "input.relationshipOwnerId",
        );
    }
    let r = app
        .graphql(
            Some(&w.b.admin_token),
            "query($id: ID!) { contact(id: $id) { version reportsTo { id } relationshipOwner { id } } }",
            json!({ "id": b_contact }),
        )
        .await;
    assert_eq!(
        r.data("contact"),
        &json!({ "version": 1, "reportsTo": null, "relationshipOwner": null })
    );
    assert_a_unchanged(&app, &w).await;
}

#[tokio::test]
async fn contact_mutations_on_another_tenants_contact_are_not_found_and_change_nothing() {
    let app = spawn_app().await;
    let w = world(&app).await;
    for (who, token) in w.b_tokens() {
        let calls: [Call; 3] = [
            (
                "updateContact",
                UPDATE_CONTACT,
                |id| json!({ "i": { "id": id, "firstName": "Mallory" } }),
            ),
            ("deleteContact", DELETE_CONTACT, |id| json!({ "id": id })),
            (
                "eraseContactPersonalData",
                ERASE_CONTACT,
                |id| json!({ "id": id }),
            ),
        ];
        for (name, q, vars) in &calls {
            let what = format!("{who}: {name}");
            let r = app
                .graphql(Some(token), q, vars(w.a_contact.as_str()))
                .await;
            assert_mutation_not_found(&what, &r, "input.id");
            let missing = app
                .graphql(Some(token), q, vars(&random_id("Contact")))
                .await;
            assert_same_not_found(&what, &r, &missing);
        }
    }
    assert_a_unchanged(&app, &w).await;
    assert_b_unchanged(&app, &w).await;
}

#[tokio::test]
async fn user_administration_on_another_tenants_user_is_not_found() {
    let app = spawn_app().await;
    let w = world(&app).await;
    for (who, token) in w.b_tokens() {
        for (name, q) in [("updateUserRole", PROMOTE), ("deactivateUser", DEACTIVATE)] {
            let what = format!("{who}: {name}");
            let r = app.graphql(Some(token), q, json!({ "id": w.a_user })).await;
            assert_mutation_not_found(&what, &r, "input.id");
            let missing = app
                .graphql(Some(token), q, json!({ "id": random_id("User") }))
                .await;
            assert_same_not_found(&what, &r, &missing);
        }
    }
    assert_a_unchanged(&app, &w).await;
    // A's user can still sign in and work.
    let alice = app.login("alpha", "alice@alpha.example", PASSWORD).await;
    assert_eq!(alice.id, w.a_user);
    let r = app
        .graphql(
            Some(&alice.token),
            "{ viewer { user { role active } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r.data("viewer.user"),
        &json!({ "role": "ACCOUNT_MANAGER", "active": true })
    );
}

#[tokio::test]
async fn not_found_for_another_tenants_id_reads_like_not_found_for_a_missing_id() {
    let app = spawn_app().await;
    let w = world(&app).await;
    let token = &w.b.admin_token;
    let missing = random_id("Account");
    let message = |r: &Gql| -> Value { r.body["errors"][0]["message"].clone() };

    let foreign_q = app
        .graphql(Some(token), ACCOUNT_Q, json!({ "id": w.a_account }))
        .await;
    let missing_q = app
        .graphql(Some(token), ACCOUNT_Q, json!({ "id": missing }))
        .await;
    foreign_q.assert_error("NOT_FOUND");
    missing_q.assert_error("NOT_FOUND");
    assert!(message(&foreign_q).is_string(), "{}", foreign_q.body);
    assert_eq!(message(&foreign_q), message(&missing_q));
    assert_eq!(
        foreign_q.body["errors"][0]["extensions"],
        missing_q.body["errors"][0]["extensions"]
    );

    let vars = |id: &str| json!({ "i": { "id": id, "name": "X" } });
    let foreign_m = app
        .graphql(Some(token), UPDATE_ACCOUNT, vars(w.a_account.as_str()))
        .await;
    let missing_m = app
        .graphql(Some(token), UPDATE_ACCOUNT, vars(&missing))
        .await;
    assert_mutation_not_found("updateAccount", &foreign_m, "input.id");
    assert_mutation_not_found("updateAccount", &missing_m, "input.id");
    assert_eq!(message(&foreign_m), message(&missing_m));
    // Nothing in the message names the tenant or the record.
    let text = message(&foreign_m).as_str().unwrap_or_default().to_owned();
    for leak in ["alpha", "Alpha", w.a_account.as_str()] {
        assert!(!text.contains(leak), "{text}");
    }
}

#[tokio::test]
async fn external_refs_are_unique_per_tenant_not_across_tenants() {
    let app = spawn_app().await;
    let w = world(&app).await;
    // B may use the same reference as A: refusing it would reveal A's data.
    let r = app
        .graphql(
            Some(&w.b.admin_token),
            "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { name externalRef { source externalId } } } }",
            json!({ "i": {
                "name": "Beta Twin",
                "externalRef": { "source": "salesforce", "externalId": "001ALPHA" },
            } }),
        )
        .await;
    assert_eq!(
        r.data("createAccount.account"),
        &json!({
            "name": "Beta Twin",
            "externalRef": { "source": "salesforce", "externalId": "001ALPHA" },
        })
    );
    assert_eq!(app.account_count(&w.b.admin_token).await, 2);
    assert_a_unchanged(&app, &w).await;
}
