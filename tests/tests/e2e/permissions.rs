//! The permission rule: viewers read; account managers write what they own;
//! sales managers write any account; only admins delete accounts, manage
//! users and erase personal data. Refusals are `FORBIDDEN` and change nothing.

use crate::helpers::*;
use crate::queries::*;
use serde_json::{Value, json};

/// A well-formed global id of `kind` that exists nowhere.
fn random_id(kind: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{kind}:{}", uuid::Uuid::now_v7()))
}

/// The request failed with FORBIDDEN and returned no data.
fn assert_forbidden(what: &str, r: &Gql) {
    assert_eq!(r.code(), "FORBIDDEN", "{what}: {}", r.body);
    assert!(r.body["data"].is_null(), "{what}: {}", r.body);
}

async fn update_account(app: &TestApp, token: &str, input: Value) -> Gql {
    app.graphql(Some(token), UPDATE_ACCOUNT, json!({ "i": input }))
        .await
}

async fn by_id(app: &TestApp, token: &str, q: &str, id: &str) -> Gql {
    app.graphql(Some(token), q, json!({ "id": id })).await
}

async fn update_contact(app: &TestApp, token: &str, input: Value) -> Gql {
    app.graphql(Some(token), UPDATE_CONTACT, json!({ "i": input }))
        .await
}

/// The names in an `accounts` answer, in order.
fn account_names(r: &Gql) -> Vec<String> {
    let edges = r.data("accounts.edges");
    assert!(edges.is_array(), "{}", r.body);
    edges
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["node"]["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[tokio::test]
async fn viewers_read_everything_but_every_write_is_forbidden_and_changes_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let viewer = app.user(&t, "VIEWER", "vera").await;
    let account = app.account(&t.admin_token, "Globex").await;
    let contact = app
        .contact(&t.admin_token, &account, "Hank", "Scorpio")
        .await;
    let v = viewer.token.as_str();

    // Reads work.
    let r = app.graphql(Some(v), ACCOUNTS_Q, json!({})).await;
    assert_eq!(account_names(&r), vec!["Globex"]);
    let a = read_account(&app, v, &account).await;
    assert_eq!(a["name"], json!("Globex"));
    assert_eq!(a["contacts"]["edges"][0]["node"]["id"], json!(contact));
    let c = read_contact(&app, v, &contact).await;
    assert_eq!(c["lastName"], json!("Scorpio"));

    // Writes are refused, including on an account the viewer would own.
    assert_forbidden(
        "createAccount",
        &app.create_account(v, json!({ "name": "Mine" })).await,
    );
    assert_forbidden(
        "createAccount as owner",
        &app.create_account(v, json!({ "name": "Mine", "ownerId": viewer.id }))
            .await,
    );
    assert_forbidden(
        "updateAccount",
        &update_account(&app, v, json!({ "id": account, "name": "Hacked" })).await,
    );
    assert_forbidden(
        "archiveAccount",
        &by_id(&app, v, ARCHIVE_ACCOUNT, &account).await,
    );
    assert_forbidden(
        "restoreAccount",
        &by_id(&app, v, RESTORE_ACCOUNT, &account).await,
    );
    assert_forbidden(
        "deleteAccount",
        &by_id(&app, v, DELETE_ACCOUNT, &account).await,
    );
    assert_forbidden(
        "createContact",
        &app.create_contact(
            v,
            json!({ "accountId": account, "firstName": "New", "lastName": "Person" }),
        )
        .await,
    );
    assert_forbidden(
        "updateContact",
        &update_contact(&app, v, json!({ "id": contact, "firstName": "Homer" })).await,
    );
    assert_forbidden(
        "deleteContact",
        &by_id(&app, v, DELETE_CONTACT, &contact).await,
    );
    assert_forbidden(
        "eraseContactPersonalData",
        &by_id(&app, v, ERASE_CONTACT, &contact).await,
    );
    assert_forbidden(
        "createUser",
        &app.graphql(
            Some(v),
            CREATE_USER,
            json!({ "i": { "email": "x@acme.example", "displayName": "X", "role": "ADMIN", "password": PASSWORD } }),
        )
        .await,
    );

    // Nothing changed.
    assert_eq!(app.account_count(&t.admin_token).await, 1);
    let a = read_account(&app, &t.admin_token, &account).await;
    assert_eq!(a["version"], json!(1));
    assert_eq!(a["name"], json!("Globex"));
    assert_eq!(a["archived"], json!(false));
    assert_eq!(a["contacts"]["edges"].as_array().map(Vec::len), Some(1));
    let c = read_contact(&app, &t.admin_token, &contact).await;
    assert_eq!(c["version"], json!(1));
    assert_eq!(c["firstName"], json!("Hank"));
}

#[tokio::test]
async fn account_managers_create_accounts_they_own_and_only_those() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let other = app.user(&t, "ACCOUNT_MANAGER", "olga").await;

    let r = app
        .create_account(&am.token, json!({ "name": "Own" }))
        .await;
    assert_eq!(r.str("createAccount.account.owner.id"), am.id);
    assert_eq!(r.data("createAccount.account.version"), &json!(1));
    // Naming themselves explicitly is the same.
    let r = app
        .create_account(&am.token, json!({ "name": "Own too", "ownerId": am.id }))
        .await;
    assert_eq!(r.str("createAccount.account.owner.id"), am.id);

    for owner in [&other.id, &t.admin_id] {
        let r = app
            .create_account(
                &am.token,
                json!({ "name": "For someone else", "ownerId": owner }),
            )
            .await;
        assert_forbidden("createAccount for another owner", &r);
    }
    assert_eq!(app.account_count(&t.admin_token).await, 2);
    let r = app
        .graphql(
            Some(&t.admin_token),
            ACCOUNTS_Q,
            json!({ "f": { "ownerId": am.id } }),
        )
        .await;
    assert_eq!(account_names(&r), vec!["Own", "Own too"]);
}

#[tokio::test]
async fn account_managers_write_their_own_accounts_and_their_contacts() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let tok = am.token.as_str();
    let account = app.account(tok, "Initech").await;

    let r = update_account(&app, tok, json!({ "id": account, "name": "Initech Ltd" })).await;
    assert_eq!(r.str("updateAccount.account.name"), "Initech Ltd");
    assert_eq!(r.data("updateAccount.account.version"), &json!(2));

    let r = by_id(&app, tok, ARCHIVE_ACCOUNT, &account).await;
    assert_eq!(r.data("archiveAccount.account.archived"), &json!(true));
    assert_eq!(r.data("archiveAccount.account.version"), &json!(3));
    let r = by_id(&app, tok, RESTORE_ACCOUNT, &account).await;
    assert_eq!(r.data("restoreAccount.account.archived"), &json!(false));
    assert_eq!(r.data("restoreAccount.account.version"), &json!(4));

    let r = app
        .create_contact(
            tok,
            json!({ "accountId": account, "firstName": "Peter", "lastName": "Gibbons" }),
        )
        .await;
    let peter = r.str("createContact.contact.id");
    assert_eq!(r.data("createContact.contact.version"), &json!(1));
    let milton = app.contact(tok, &account, "Milton", "Waddams").await;

    let r = update_contact(
        &app,
        tok,
        json!({ "id": peter, "lastName": "Gibbons-Smith", "reportsToId": milton }),
    )
    .await;
    assert_eq!(r.str("updateContact.contact.lastName"), "Gibbons-Smith");
    assert_eq!(r.data("updateContact.contact.version"), &json!(2));

    let r = by_id(&app, tok, DELETE_CONTACT, &milton).await;
    assert_eq!(r.str("deleteContact.contact.id"), milton);
    by_id(&app, tok, CONTACT_Q, &milton)
        .await
        .assert_error("NOT_FOUND");

    let a = read_account(&app, tok, &account).await;
    assert_eq!(a["name"], json!("Initech Ltd"));
    assert_eq!(a["owner"]["id"], json!(am.id));
    assert_eq!(a["contacts"]["edges"], json!([{ "node": { "id": peter } }]));
}

#[tokio::test]
async fn account_managers_cannot_write_accounts_owned_by_someone_else() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let other = app.user(&t, "ACCOUNT_MANAGER", "olga").await;
    let tok = am.token.as_str();

    // One account owned by the admin, one by another account manager.
    let admins = app.account(&t.admin_token, "Admin's").await;
    let olgas = app.account(&other.token, "Olga's").await;
    for account in [&admins, &olgas] {
        let owner_token = if account == &admins {
            &t.admin_token
        } else {
            &other.token
        };
        let contact = app.contact(owner_token, account, "Jane", "Doe").await;

        // Reading is fine.
        assert_eq!(read_account(&app, tok, account).await["id"], json!(account));
        assert_eq!(
            read_contact(&app, tok, &contact).await["firstName"],
            json!("Jane")
        );

        assert_forbidden(
            "updateAccount",
            &update_account(&app, tok, json!({ "id": account, "name": "Mine now" })).await,
        );
        assert_forbidden(
            "updateAccount to take ownership",
            &update_account(&app, tok, json!({ "id": account, "ownerId": am.id })).await,
        );
        assert_forbidden(
            "archiveAccount",
            &by_id(&app, tok, ARCHIVE_ACCOUNT, account).await,
        );
        assert_forbidden(
            "restoreAccount",
            &by_id(&app, tok, RESTORE_ACCOUNT, account).await,
        );
        assert_forbidden(
            "createContact",
            &app.create_contact(
                tok,
                json!({ "accountId": account, "firstName": "New", "lastName": "Person" }),
            )
            .await,
        );
        assert_forbidden(
            "updateContact",
            &update_contact(&app, tok, json!({ "id": contact, "firstName": "Janet" })).await,
        );
        assert_forbidden(
            "deleteContact",
            &by_id(&app, tok, DELETE_CONTACT, &contact).await,
        );

        let a = read_account(&app, owner_token, account).await;
        assert_eq!(a["version"], json!(1));
        assert_eq!(a["archived"], json!(false));
        assert_eq!(
            a["contacts"]["edges"],
            json!([{ "node": { "id": contact } }])
        );
        let c = read_contact(&app, owner_token, &contact).await;
        assert_eq!(c["version"], json!(1));
        assert_eq!(c["firstName"], json!("Jane"));
    }
    assert_eq!(app.account_count(&t.admin_token).await, 2);
}

#[tokio::test]
async fn account_managers_cannot_give_away_or_delete_their_own_accounts() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let other = app.user(&t, "ACCOUNT_MANAGER", "olga").await;
    let tok = am.token.as_str();
    let account = app.account(tok, "Hooli").await;
    let contact = app.contact(tok, &account, "Gavin", "Belson").await;

    for owner in [&other.id, &t.admin_id] {
        assert_forbidden(
            "reassign",
            &update_account(&app, tok, json!({ "id": account, "ownerId": owner })).await,
        );
    }
    assert_forbidden(
        "deleteAccount",
        &by_id(&app, tok, DELETE_ACCOUNT, &account).await,
    );
    assert_forbidden(
        "eraseContactPersonalData",
        &by_id(&app, tok, ERASE_CONTACT, &contact).await,
    );
    assert_forbidden(
        "updateUserRole",
        &app.graphql(
            Some(tok),
            UPDATE_ROLE,
            json!({ "id": other.id, "role": "VIEWER" }),
        )
        .await,
    );

    let a = read_account(&app, tok, &account).await;
    assert_eq!(a["owner"]["id"], json!(am.id));
    assert_eq!(a["version"], json!(1));
    let c = read_contact(&app, tok, &contact).await;
    assert_eq!(c["firstName"], json!("Gavin"));
    assert_eq!(c["version"], json!(1));
    assert_eq!(app.account_count(tok).await, 1);
}

#[tokio::test]
async fn sales_managers_write_any_account_and_reassign_owners() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let sm = app.user(&t, "SALES_MANAGER", "sam").await;
    let alex = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let olga = app.user(&t, "ACCOUNT_MANAGER", "olga").await;
    let tok = sm.token.as_str();
    let account = app.account(&alex.token, "Umbrella").await;
    let admins = app.account(&t.admin_token, "Admin's").await;

    let r = update_account(&app, tok, json!({ "id": account, "name": "Umbrella Corp" })).await;
    assert_eq!(r.str("updateAccount.account.name"), "Umbrella Corp");
    assert_eq!(r.data("updateAccount.account.version"), &json!(2));
    let r = by_id(&app, tok, ARCHIVE_ACCOUNT, &admins).await;
    assert_eq!(r.data("archiveAccount.account.archived"), &json!(true));
    let r = by_id(&app, tok, RESTORE_ACCOUNT, &admins).await;
    assert_eq!(r.data("restoreAccount.account.archived"), &json!(false));

    // Writes contacts of any account.
    let c = app.contact(tok, &account, "Albert", "Wesker").await;
    let r = update_contact(&app, tok, json!({ "id": c, "title": "Captain" })).await;
    assert_eq!(r.data("updateContact.contact.version"), &json!(2));

    // Reassigns: the new owner may now write it, the old one may not.
    let r = update_account(&app, tok, json!({ "id": account, "ownerId": olga.id })).await;
    assert_eq!(r.str("updateAccount.account.owner.id"), olga.id);
    assert_eq!(r.data("updateAccount.account.version"), &json!(3));
    assert_forbidden(
        "previous owner",
        &update_account(&app, &alex.token, json!({ "id": account, "name": "Back" })).await,
    );
    let r = update_account(
        &app,
        &olga.token,
        json!({ "id": account, "name": "Olga's" }),
    )
    .await;
    assert_eq!(r.data("updateAccount.account.version"), &json!(4));

    // And may own accounts themselves.
    let r = update_account(&app, tok, json!({ "id": admins, "ownerId": sm.id })).await;
    assert_eq!(r.str("updateAccount.account.owner.id"), sm.id);
    let r = app
        .create_account(tok, json!({ "name": "For Alex", "ownerId": alex.id }))
        .await;
    assert_eq!(r.str("createAccount.account.owner.id"), alex.id);
}

#[tokio::test]
async fn sales_managers_cannot_delete_accounts_manage_users_or_erase_personal_data() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let sm = app.user(&t, "SALES_MANAGER", "sam").await;
    let alex = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let tok = sm.token.as_str();
    let account = app.account(tok, "Own by SM").await;
    let contact = app.contact(tok, &account, "Ellen", "Ripley").await;

    assert_forbidden(
        "deleteAccount",
        &by_id(&app, tok, DELETE_ACCOUNT, &account).await,
    );
    assert_forbidden(
        "createUser",
        &app.graphql(
            Some(tok),
            CREATE_USER,
            json!({ "i": { "email": "new@acme.example", "displayName": "New", "role": "VIEWER", "password": PASSWORD } }),
        )
        .await,
    );
    assert_forbidden(
        "updateUserRole",
        &app.graphql(
            Some(tok),
            UPDATE_ROLE,
            json!({ "id": alex.id, "role": "ADMIN" }),
        )
        .await,
    );
    assert_forbidden(
        "deactivateUser",
        &by_id(&app, tok, DEACTIVATE, &alex.id).await,
    );
    assert_forbidden(
        "eraseContactPersonalData",
        &by_id(&app, tok, ERASE_CONTACT, &contact).await,
    );

    let a = read_account(&app, tok, &account).await;
    assert_eq!(a["version"], json!(1));
    assert_eq!(app.account_count(tok).await, 1);
    let c = read_contact(&app, tok, &contact).await;
    assert_eq!(c["firstName"], json!("Ellen"));
    assert_eq!(c["version"], json!(1));
    let r = by_id(&app, tok, USER_Q, &alex.id).await;
    assert_eq!(
        (r.data("user.role"), r.data("user.active")),
        (&json!("ACCOUNT_MANAGER"), &json!(true))
    );
    let r = app
        .graphql(
            Some(tok),
            "{ users(first: 100) { edges { node { id } } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data("users.edges").as_array().map(Vec::len), Some(3));
}

#[tokio::test]
async fn admins_delete_accounts_which_then_disappear() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let alex = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let doomed = app.account(&alex.token, "Doomed").await;
    let kept = app.account(&alex.token, "Kept").await;
    let contact = app.contact(&alex.token, &doomed, "Dead", "Man").await;

    let r = by_id(&app, &t.admin_token, DELETE_ACCOUNT, &doomed).await;
    assert_eq!(r.str("deleteAccount.account.id"), doomed);

    for token in [&t.admin_token, &alex.token] {
        by_id(&app, token, ACCOUNT_Q, &doomed)
            .await
            .assert_error("NOT_FOUND");
        let r = app
            .graphql(
                Some(token),
                ACCOUNTS_Q,
                json!({ "f": { "includeArchived": true } }),
            )
            .await;
        assert_eq!(account_names(&r), vec!["Kept"]);
        assert_eq!(app.account_count(token).await, 1);
        // Its contacts went with it.
        by_id(&app, token, CONTACT_Q, &contact)
            .await
            .assert_error("NOT_FOUND");
        let r = by_id(
            &app,
            token,
            "query($id: ID!) { node(id: $id) { id } }",
            &doomed,
        )
        .await;
        r.assert_error("NOT_FOUND");
    }
    // Gone means gone: it cannot be written or deleted again.
    let r = by_id(&app, &t.admin_token, DELETE_ACCOUNT, &doomed).await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.id");
    update_account(
        &app,
        &t.admin_token,
        json!({ "id": doomed, "name": "Zombie" }),
    )
    .await
    .assert_error("NOT_FOUND");
    assert_eq!(
        read_account(&app, &t.admin_token, &kept).await["version"],
        json!(1)
    );
}

#[tokio::test]
async fn admins_erase_personal_data_but_the_contact_keeps_its_relationships() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let alex = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let account = app.account(&alex.token, "Cyberdyne").await;
    let boss = app.contact(&alex.token, &account, "Miles", "Dyson").await;
    let r = app
        .create_contact(
            &alex.token,
            json!({
                "accountId": account,
                "firstName": "Sarah",
                "lastName": "Connor",
                "title": "Waitress",
                "department": "Diner",
                "email": "sarah@example.com",
                "phone": "+1 555 0100",
                "reportsToId": boss,
                "relationshipOwnerId": alex.id,
            }),
        )
        .await;
    let sarah = r.str("createContact.contact.id");

    let r = by_id(&app, &t.admin_token, ERASE_CONTACT, &sarah).await;
    let expected = json!({
        "id": sarah,
        "firstName": "Erased",
        "lastName": "Erased",
        "fullName": "Erased Erased",
        "title": null,
        "department": null,
        "email": null,
        "phone": null,
        "erased": true,
        "version": 2,
        "reportsTo": { "id": boss },
        "account": { "id": account },
        "relationshipOwner": { "id": alex.id },
    });
    assert_eq!(r.data("eraseContactPersonalData.contact"), &expected);

    // Stored that way, as seen by anyone in the tenant.
    let r = app
        .graphql(
            Some(&alex.token),
            "query($id: ID!) { contact(id: $id) { id firstName lastName fullName title department email phone erased version reportsTo { id } account { id } relationshipOwner { id } } }",
            json!({ "id": sarah }),
        )
        .await;
    assert_eq!(r.data("contact"), &expected);
    // The boss still has the erased contact as a direct report.
    let r = app
        .graphql(
            Some(&alex.token),
            "query($id: ID!) { contact(id: $id) { erased directReports { id firstName } } }",
            json!({ "id": boss }),
        )
        .await;
    assert_eq!(
        r.data("contact"),
        &json!({ "erased": false, "directReports": [{ "id": sarah, "firstName": "Erased" }] })
    );
}

#[tokio::test]
async fn admins_manage_users() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let alex = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let r = app
        .graphql(
            Some(&t.admin_token),
            UPDATE_ROLE,
            json!({ "id": alex.id, "role": "SALES_MANAGER" }),
        )
        .await;
    assert_eq!(r.str("updateUserRole.user.role"), "SALES_MANAGER");
    let r = by_id(&app, &t.admin_token, DEACTIVATE, &alex.id).await;
    assert_eq!(r.data("deactivateUser.user.active"), &json!(false));
    let r = by_id(&app, &t.admin_token, USER_Q, &alex.id).await;
    assert_eq!(
        (r.data("user.role"), r.data("user.active")),
        (&json!("SALES_MANAGER"), &json!(false))
    );
}

#[tokio::test]
async fn a_missing_record_is_not_found_even_for_callers_who_may_not_write() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let viewer = app.user(&t, "VIEWER", "vera").await;
    let sm = app.user(&t, "SALES_MANAGER", "sam").await;
    let v = viewer.token.as_str();
    let account = random_id("Account");
    let contact = random_id("Contact");

    let r = update_account(&app, v, json!({ "id": account, "name": "Ghost" })).await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.id");
    assert!(r.body["data"].is_null());

    for (what, q) in [
        ("archiveAccount", ARCHIVE_ACCOUNT),
        ("restoreAccount", RESTORE_ACCOUNT),
        ("deleteAccount", DELETE_ACCOUNT),
    ] {
        let r = by_id(&app, v, q, &account).await;
        assert_eq!(r.code(), "NOT_FOUND", "{what}: {}", r.body);
        assert_eq!(r.field(), "input.id", "{what}");
    }
    let r = app
        .create_contact(
            v,
            json!({ "accountId": account, "firstName": "No", "lastName": "Body" }),
        )
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.accountId");
    for (what, r) in [
        (
            "updateContact",
            update_contact(&app, v, json!({ "id": contact, "firstName": "X" })).await,
        ),
        (
            "deleteContact",
            by_id(&app, v, DELETE_CONTACT, &contact).await,
        ),
        (
            "eraseContactPersonalData",
            by_id(&app, v, ERASE_CONTACT, &contact).await,
        ),
    ] {
        assert_eq!(r.code(), "NOT_FOUND", "{what}: {}", r.body);
        assert_eq!(r.field(), "input.id", "{what}");
    }
    // Admin-only operations on a missing record: NOT_FOUND for a sales manager too.
    let r = by_id(&app, &sm.token, DELETE_ACCOUNT, &account).await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.id");
    let r = by_id(&app, &sm.token, DEACTIVATE, &random_id("User")).await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.id");
    assert_eq!(app.account_count(&t.admin_token).await, 0);
}
