//! The customer's structure as a tree of business units (cycles and other
//! accounts' units refused) and the colleagues of ours a contact prefers
//! (active users of the tenant, in order), on both read paths.

use crate::compiled::{both_paths, same};
use crate::helpers::*;
use serde_json::{Value, json};

const ADD_UNIT: &str = "mutation($i: AddBusinessUnitInput!) { addBusinessUnit(input: $i) { businessUnit { id parentId } } }";
const SET_PARENT: &str = "mutation($i: SetBusinessUnitParentInput!) { setBusinessUnitParent(input: $i) { businessUnit { id parentId version } } }";

async fn unit(app: &TestApp, token: &str, account: &str, name: &str, parent: Value) -> String {
    app.graphql(
        Some(token),
        ADD_UNIT,
        json!({ "i": { "accountId": account, "name": name, "kind": "DIVISION", "parentId": parent } }),
    )
    .await
    .str("addBusinessUnit.businessUnit.id")
}

#[tokio::test]
async fn business_units_form_a_tree_without_cycles() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let b = app.account(admin, "Initech").await;
    let group = unit(&app, admin, &a, "Group", Value::Null).await;
    let europe = unit(&app, admin, &a, "Europe", json!(group)).await;
    let germany = unit(&app, admin, &a, "Germany", json!(europe)).await;
    let other = unit(&app, admin, &b, "Elsewhere", Value::Null).await;

    let q = "query($id: ID!) { account(id: $id) { whiteSpace { rows { name parentId parent { name parent { name } } } } } }";
    let v = same(&app, admin, q, json!({ "id": a }), true).await;
    let units = v["data"]["account"]["whiteSpace"]["rows"]
        .as_array()
        .unwrap()
        .clone();
    let de = units.iter().find(|u| u["name"] == "Germany").unwrap();
    assert_eq!(
        de["parent"],
        json!({ "name": "Europe", "parent": { "name": "Group" } })
    );

    for (id, parent, code, field) in [
        (&group, &germany, "VALIDATION", "input.parentId"),
        (&group, &group, "VALIDATION", "input.parentId"),
        (&germany, &other, "VALIDATION", "input.parentId"),
    ] {
        let r = app
            .graphql(
                Some(admin),
                SET_PARENT,
                json!({ "i": { "id": id, "parentId": parent } }),
            )
            .await;
        r.assert_error(code);
        assert_eq!(r.field(), field);
    }
    let r = app
        .graphql(
            Some(admin),
            ADD_UNIT,
            json!({ "i": { "accountId": a, "name": "X", "parentId": other } }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.parentId");
    // Moves and back to the top.
    let r = app
        .graphql(
            Some(admin),
            SET_PARENT,
            json!({ "i": { "id": germany, "parentId": group } }),
        )
        .await;
    assert_eq!(
        r.data("setBusinessUnitParent.businessUnit.parentId"),
        &json!(group)
    );
    let r = app
        .graphql(
            Some(admin),
            SET_PARENT,
            json!({ "i": { "id": europe, "parentId": null } }),
        )
        .await;
    assert_eq!(
        r.data("setBusinessUnitParent.businessUnit.parentId"),
        &Value::Null
    );
    // Other tenants and viewers change nothing.
    let other_tenant = app.tenant("other").await;
    app.graphql(
        Some(&other_tenant.admin_token),
        SET_PARENT,
        json!({ "i": { "id": germany, "parentId": null } }),
    )
    .await
    .assert_error("NOT_FOUND");
    let viewer = app.user(&t, "VIEWER", "vic").await;
    app.graphql(
        Some(&viewer.token),
        SET_PARENT,
        json!({ "i": { "id": germany, "parentId": null } }),
    )
    .await
    .assert_error("FORBIDDEN");
}

const SET_PREFERRED: &str = "mutation($i: SetPreferredColleaguesInput!) { setContactPreferredColleagues(input: $i) { contact { id preferredColleagues { displayName } } } }";

#[tokio::test]
async fn contacts_prefer_active_colleagues_in_their_order() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let sam = app.user(&t, "ACCOUNT_MANAGER", "sam").await;
    let riley = app.user(&t, "SALES_MANAGER", "riley").await;
    let a = app.account(admin, "Globex").await;
    let c = app.contact(admin, &a, "Dana", "Decider").await;
    let r = app
        .graphql(
            Some(admin),
            SET_PREFERRED,
            json!({ "i": { "contactId": c, "userIds": [riley.id, sam.id] } }),
        )
        .await;
    assert_eq!(
        r.data("setContactPreferredColleagues.contact.preferredColleagues"),
        &json!([{ "displayName": "riley" }, { "displayName": "sam" }])
    );
    let q = "query($id: ID!) { contact(id: $id) { preferredColleagues { id displayName role } } }";
    let v = same(&app, admin, q, json!({ "id": c }), true).await;
    assert_eq!(
        v["data"]["contact"]["preferredColleagues"][0]["role"],
        "SALES_MANAGER"
    );

    let b = app.tenant("other").await;
    let stranger = app.user(&b, "VIEWER", "eve").await;
    for (users, code, field) in [
        (json!([sam.id, sam.id]), "VALIDATION", "input.userIds.1"),
        (json!([stranger.id]), "NOT_FOUND", "input.userIds.0"),
        (json!([missing_id("User")]), "NOT_FOUND", "input.userIds.0"),
    ] {
        let r = app
            .graphql(
                Some(admin),
                SET_PREFERRED,
                json!({ "i": { "contactId": c, "userIds": users } }),
            )
            .await;
        r.assert_error(code);
        assert_eq!(r.field(), field);
    }
    app.graphql(
        Some(admin),
        "mutation($i: DeactivateUserInput!) { deactivateUser(input: $i) { user { id } } }",
        json!({ "i": { "id": sam.id } }),
    )
    .await
    .data("deactivateUser");
    let r = app
        .graphql(
            Some(admin),
            SET_PREFERRED,
            json!({ "i": { "contactId": c, "userIds": [sam.id] } }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.userIds.0");
    app.graphql(
        Some(&b.admin_token),
        SET_PREFERRED,
        json!({ "i": { "contactId": c, "userIds": [] } }),
    )
    .await
    .assert_error("NOT_FOUND");
    let after = same(&app, admin, q, json!({ "id": c }), true).await;
    assert_eq!(after, v);

    // A page of contacts with their preferences: one statement for the
    // links, one for the users.
    for n in 0..6 {
        let c = app.contact(admin, &a, "Pat", &format!("P{n}")).await;
        app.graphql(
            Some(admin),
            SET_PREFERRED,
            json!({ "i": { "contactId": c, "userIds": [riley.id] } }),
        )
        .await
        .data("setContactPreferredColleagues");
    }
    let q = format!(
        "{{ account(id: \"{a}\") {{ contacts(first: 20) {{ nodes {{ fullName preferredColleagues {{ displayName }} }} }} }} }}"
    );
    let (fast, reference) = both_paths(&app, admin, &q).await;
    assert!(fast.statements() <= 4, "{}", fast.statements());
    assert!(reference.statements() <= 4, "{}", reference.statements());
}
