//! Field errors follow the spec ("Handling Execution Errors"): an errored
//! nullable field is present as `null`; an errored non-null field nulls its
//! nearest nullable ancestor, up to `"data": null`; one error per field.

use crate::helpers::*;
use serde_json::{Value, json};

#[tokio::test]
async fn an_errored_nullable_field_is_null_and_non_null_errors_propagate() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let token = &t.admin_token;
    let account = app.account(token, "Globex").await;
    let missing = missing_id("Account");

    // node(id:) is nullable: present as null beside the rest.
    let r = app
        .graphql(
            Some(token),
            "query($id: ID!) { viewer { __typename } node(id: $id) { id } }",
            json!({ "id": missing }),
        )
        .await;
    assert_eq!(
        r.body["data"],
        json!({ "viewer": { "__typename": "Viewer" }, "node": null })
    );
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["errors"][0]["extensions"]["code"], "NOT_FOUND");
    assert_eq!(r.body["errors"][0]["path"], json!(["node"]));

    // account(id:) is non-null: data is null.
    let r = app
        .graphql(
            Some(token),
            "query($id: ID!) { viewer { __typename } account(id: $id) { id } }",
            json!({ "id": missing }),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["data"], Value::Null, "{}", r.body);
    assert!(r.body.as_object().unwrap().contains_key("data"));
    assert_eq!(r.body["errors"][0]["extensions"]["code"], "NOT_FOUND");

    // A non-null connection that errors (page size over 100) nulls its
    // account; through node(id:) the account is nullable, so only it goes.
    let q = "query($id: ID!) { viewer { __typename } node(id: $id) { id ... on Account { name contacts(first: 101) { nodes { id } } } } }";
    let r = app.graphql(Some(token), q, json!({ "id": account })).await;
    assert_eq!(
        r.body["data"],
        json!({ "viewer": { "__typename": "Viewer" }, "node": null }),
        "{}",
        r.body
    );
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["errors"][0]["path"], json!(["node", "contacts"]));
    assert_eq!(r.body["errors"][0]["extensions"]["code"], "VALIDATION");
    // Through account(id:) (non-null) the null reaches data.
    let q = "query($id: ID!) { viewer { __typename } account(id: $id) { name contacts(first: 101) { nodes { id } } } }";
    let r = app.graphql(Some(token), q, json!({ "id": account })).await;
    assert_eq!(r.body["data"], Value::Null, "{}", r.body);

    // Aliases: each errored key is null, the others keep their values.
    let q = "query($a: ID!, $m: ID!) { first: node(id: $m) { id } ok: node(id: $a) { id } last: node(id: $m) { id } }";
    let r = app
        .graphql(Some(token), q, json!({ "a": account, "m": missing }))
        .await;
    assert_eq!(
        r.body["data"],
        json!({ "first": null, "ok": { "id": account }, "last": null })
    );
    assert_eq!(r.body["errors"].as_array().unwrap().len(), 2);
}
