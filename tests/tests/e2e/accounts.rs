//! Accounts end to end: every field round-trips, partial updates,
//! archive/restore, delete, node.

use crate::helpers::*;
use serde_json::json;

const FULL: &str = "id name industry website region status tier owner { id } annualRevenue { amount currency } walletEstimate { amount currency } externalRef { source externalId } archived version createdAt updatedAt";

#[tokio::test]
async fn an_account_keeps_every_field_exactly() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let r = app
        .graphql(
            Some(&t.admin_token),
            &format!("mutation($i: CreateAccountInput!) {{ createAccount(input: $i) {{ account {{ {FULL} }} }} }}"),
            json!({ "i": {
                "name": "  Northwind Logistics ", "industry": "Logistics", "website": "https://northwind.example",
                "region": "EMEA", "status": "ACTIVE", "tier": "STRATEGIC",
                "annualRevenue": { "amount": "1234567.8901", "currency": "EUR" },
                "walletEstimate": { "amount": 5000000, "currency": "USD" },
                "externalRef": { "source": "salesforce", "externalId": "001ABC" }
            }}),
        )
        .await;
    let a = r.data("createAccount.account").clone();
    assert_eq!(a["name"], "Northwind Logistics", "trimmed");
    assert_eq!(
        a["annualRevenue"],
        json!({ "amount": "1234567.8901", "currency": "EUR" })
    );
    assert_eq!(
        a["walletEstimate"],
        json!({ "amount": "5000000.00", "currency": "USD" })
    );
    assert_eq!(
        a["externalRef"],
        json!({ "source": "salesforce", "externalId": "001ABC" })
    );
    assert_eq!(
        a["owner"]["id"],
        json!(t.admin_id),
        "the creator owns it by default"
    );
    assert_eq!(a["version"], 1);
    assert_eq!(a["status"], "ACTIVE");

    let again = app
        .graphql(
            Some(&t.admin_token),
            &format!("query($id: ID!) {{ account(id: $id) {{ {FULL} }} }}"),
            json!({ "id": a["id"] }),
        )
        .await;
    assert_eq!(again.data("account"), &a);
    let node = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { node(id: $id) { __typename id ... on Account { name } } }",
            json!({ "id": a["id"] }),
        )
        .await;
    assert_eq!(
        node.data("node"),
        &json!({ "__typename": "Account", "id": a["id"], "name": "Northwind Logistics" })
    );
}

#[tokio::test]
async fn updates_change_only_what_is_given_and_null_clears() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let r = app
        .create_account(
            &t.admin_token,
            json!({ "name": "Acme", "industry": "Retail", "region": "EMEA", "annualRevenue": { "amount": "10", "currency": "EUR" } }),
        )
        .await;
    let id = r.str("createAccount.account.id");
    let upd = "mutation($i: UpdateAccountInput!) { updateAccount(input: $i) { account { name industry region tier annualRevenue { amount } version } } }";
    let r = app
        .graphql(
            Some(&t.admin_token),
            upd,
            json!({ "i": { "id": id, "industry": null, "tier": "KEY", "annualRevenue": null } }),
        )
        .await;
    assert_eq!(
        r.data("updateAccount.account"),
        &json!({ "name": "Acme", "industry": null, "region": "EMEA", "tier": "KEY", "annualRevenue": null, "version": 2 })
    );
    let r = app
        .graphql(
            Some(&t.admin_token),
            upd,
            json!({ "i": { "id": id, "name": "Acme Corp" } }),
        )
        .await;
    assert_eq!(r.data("updateAccount.account.version"), &json!(3));
    assert_eq!(r.data("updateAccount.account.region"), &json!("EMEA"));
}

#[tokio::test]
async fn archived_accounts_leave_the_list_until_restored() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Old Co").await;
    app.account(&t.admin_token, "New Co").await;
    let list = "query($all: Boolean) { accounts(filter: {includeArchived: $all}) { edges { node { name archived } } } }";
    let r = app
        .graphql(Some(&t.admin_token), "mutation($id: ID!) { archiveAccount(input: {id: $id}) { account { archived archivedAt } } }", json!({ "id": a }))
        .await;
    assert_eq!(r.data("archiveAccount.account.archived"), &json!(true));
    let r = app
        .graphql(Some(&t.admin_token), list, json!({ "all": false }))
        .await;
    assert_eq!(
        r.data("accounts.edges"),
        &json!([{ "node": { "name": "New Co", "archived": false } }])
    );
    let r = app
        .graphql(Some(&t.admin_token), list, json!({ "all": true }))
        .await;
    assert_eq!(r.data("accounts.edges").as_array().unwrap().len(), 2);
    // Archived accounts can still be read by id.
    app.graphql(
        Some(&t.admin_token),
        "query($id: ID!) { account(id: $id) { archived } }",
        json!({ "id": a }),
    )
    .await
    .data("account");
    let r = app
        .graphql(
            Some(&t.admin_token),
            "mutation($id: ID!) { restoreAccount(input: {id: $id}) { account { archived } } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(r.data("restoreAccount.account.archived"), &json!(false));
    let r = app
        .graphql(Some(&t.admin_token), list, json!({ "all": false }))
        .await;
    assert_eq!(r.data("accounts.edges").as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn deleting_an_account_tombstones_it_and_its_contacts() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Gone Co").await;
    let c = app.contact(&t.admin_token, &a, "Ann", "Gone").await;
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { deleteAccount(input: {id: $id}) { account { id } } }",
        json!({ "id": a }),
    )
    .await
    .data("deleteAccount");
    app.graphql(
        Some(&t.admin_token),
        "query($id: ID!) { account(id: $id) { id } }",
        json!({ "id": a }),
    )
    .await
    .assert_error("NOT_FOUND");
    app.graphql(
        Some(&t.admin_token),
        "query($id: ID!) { contact(id: $id) { id } }",
        json!({ "id": c }),
    )
    .await
    .assert_error("NOT_FOUND");
    assert_eq!(app.account_count(&t.admin_token).await, 0);
    // The tombstones stay in the database for integrations.
    use persistence::entity::{account, contact};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let row = account::Entity::find()
        .filter(account::Column::Id.eq(uuid_of(&a)))
        .one(app.state.db.system().read())
        .await
        .unwrap()
        .expect("tombstone kept");
    assert!(row.deleted_at.is_some());
    assert_eq!(row.version, 2);
    let row = contact::Entity::find()
        .filter(contact::Column::Id.eq(uuid_of(&c)))
        .one(app.state.db.system().read())
        .await
        .unwrap()
        .expect("contact tombstone kept");
    assert!(row.deleted_at.is_some());
}

#[tokio::test]
async fn deleting_an_account_takes_its_activities_and_plans_with_it() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Gone Co").await;
    let plan = app
        .graphql(
            Some(&t.admin_token),
            "mutation($a: ID!) { createPlan(input: {accountId: $a, title: \"P\", periodStart: \"2026-01-01\", periodEnd: \"2026-12-31\"}) { plan { id } } }",
            json!({ "a": a }),
        )
        .await
        .str("createPlan.plan.id");
    let objective = app
        .graphql(
            Some(&t.admin_token),
            "mutation($p: ID!) { addObjective(input: {planId: $p, title: \"O\", metric: \"m\", target: \"1\", dueDate: \"2026-06-30\"}) { objective { id } } }",
            json!({ "p": plan }),
        )
        .await
        .str("addObjective.objective.id");
    let activity = app
        .graphql(
            Some(&t.admin_token),
            "mutation($a: ID!, $at: DateTime!) { logActivity(input: {accountId: $a, kind: CALL, occurredAt: $at, summary: \"s\"}) { activity { id } } }",
            json!({ "a": a, "at": chrono::Utc::now().to_rfc3339() }),
        )
        .await
        .str("logActivity.activity.id");
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { deleteAccount(input: {id: $id}) { account { id } } }",
        json!({ "id": a }),
    )
    .await
    .data("deleteAccount");
    for id in [&plan, &objective, &activity] {
        app.graphql(
            Some(&t.admin_token),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await
        .assert_error("NOT_FOUND");
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            "{ plans { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data("plans.nodes"), &json!([]));
}
