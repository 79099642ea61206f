//! Contacts end to end: reporting lines, deletion, erasure, node.

use crate::helpers::*;
use serde_json::json;

const TREE: &str = "query($id: ID!) { contact(id: $id) { fullName account { name } reportsTo { fullName } directReports { fullName } relationshipOwner { displayName } version } }";

#[tokio::test]
async fn contacts_form_a_reporting_tree_within_their_account() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let ceo = app.contact(&t.admin_token, &a, "Dana", "Whitfield").await;
    let r = app
        .create_contact(
            &t.admin_token,
            json!({ "accountId": a, "firstName": "Marcus", "lastName": "Okafor", "reportsToId": ceo, "relationshipOwnerId": t.admin_id,
                    "email": "marcus@acme.example", "phone": "+49 30 1234", "buyingRole": "DECISION_MAKER", "influence": 5, "attitude": "CHAMPION",
                    "title": "COO", "department": "Operations" }),
        )
        .await;
    let coo = r.str("createContact.contact.id");
    let r = app
        .graphql(Some(&t.admin_token), TREE, json!({ "id": coo }))
        .await;
    assert_eq!(
        r.data("contact"),
        &json!({ "fullName": "Marcus Okafor", "account": { "name": "Acme" }, "reportsTo": { "fullName": "Dana Whitfield" },
                 "directReports": [], "relationshipOwner": { "displayName": "Admin" }, "version": 1 })
    );
    let r = app
        .graphql(Some(&t.admin_token), TREE, json!({ "id": ceo }))
        .await;
    assert_eq!(
        r.data("contact.directReports"),
        &json!([{ "fullName": "Marcus Okafor" }])
    );
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { node(id: $id) { __typename ... on Contact { email phone buyingRole influence attitude title department status } } }",
            json!({ "id": coo }),
        )
        .await;
    assert_eq!(
        r.data("node"),
        &json!({ "__typename": "Contact", "email": "marcus@acme.example", "phone": "+49 30 1234", "buyingRole": "DECISION_MAKER",
                 "influence": 5, "attitude": "CHAMPION", "title": "COO", "department": "Operations", "status": "ACTIVE" })
    );
}

#[tokio::test]
async fn deleting_a_manager_leaves_a_tombstone_and_frees_the_reports() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let boss = app.contact(&t.admin_token, &a, "Boss", "One").await;
    let r = app
        .create_contact(&t.admin_token, json!({ "accountId": a, "firstName": "Report", "lastName": "Two", "reportsToId": boss }))
        .await;
    let report = r.str("createContact.contact.id");
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { deleteContact(input: {id: $id}) { contact { id } } }",
        json!({ "id": boss }),
    )
    .await
    .data("deleteContact");
    app.graphql(Some(&t.admin_token), TREE, json!({ "id": boss }))
        .await
        .assert_error("NOT_FOUND");
    let r = app
        .graphql(Some(&t.admin_token), TREE, json!({ "id": report }))
        .await;
    assert_eq!(r.data("contact.reportsTo"), &json!(null));
    assert_eq!(r.data("contact.version"), &json!(2));
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { account(id: $id) { contacts { edges { node { fullName } } } } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(
        r.data("account.contacts.edges"),
        &json!([{ "node": { "fullName": "Report Two" } }])
    );
}

#[tokio::test]
async fn partial_contact_updates_distinguish_absent_from_null() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let r = app
        .create_contact(&t.admin_token, json!({ "accountId": a, "firstName": "Ann", "lastName": "Lee", "email": "ann@acme.example", "title": "CFO", "influence": 3 }))
        .await;
    let id = r.str("createContact.contact.id");
    let r = app
        .graphql(
            Some(&t.admin_token),
            "mutation($i: UpdateContactInput!) { updateContact(input: $i) { contact { firstName email title influence version } } }",
            json!({ "i": { "id": id, "email": null, "influence": 4 } }),
        )
        .await;
    assert_eq!(
        r.data("updateContact.contact"),
        &json!({ "firstName": "Ann", "email": null, "title": "CFO", "influence": 4, "version": 2 })
    );
}
