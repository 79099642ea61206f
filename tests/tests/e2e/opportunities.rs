//! Opportunities and the pipeline: written by the account's writers,
//! linked only to records of the same account (white-space cell,
//! objective) or the tenant's catalogue (product), probabilities that fit
//! the stage, pipeline totals per currency on both read paths.

use crate::compiled::same;
use crate::helpers::*;
use serde_json::{Value, json};

const FIELDS: &str = "id name value { amount currency } stage expectedClose probability productId \
    whiteSpaceCellId objectiveId externalRef { externalId } version";

fn create_q() -> String {
    format!(
        "mutation($i: CreateOpportunityInput!) {{ createOpportunity(input: $i) {{ opportunity {{ {FIELDS} }} }} }}"
    )
}

fn update_q() -> String {
    format!(
        "mutation($i: UpdateOpportunityInput!) {{ updateOpportunity(input: $i) {{ opportunity {{ {FIELDS} }} }} }}"
    )
}

const PIPELINE: &str = "query($id: ID!) { account(id: $id) { opportunities { name stage probability account { name } } \
    pipeline { currency open weighted count } } }";

async fn create(app: &TestApp, token: &str, input: Value) -> Gql {
    app.graphql(Some(token), &create_q(), json!({ "i": input }))
        .await
}

/// A product, a business unit and a white-space cell of `account`.
async fn cell(app: &TestApp, token: &str, account: &str, product_name: &str) -> (String, String) {
    let product = app
        .graphql(
            Some(token),
            "mutation($n: String!) { createProduct(input: {name: $n}) { product { id } } }",
            json!({ "n": product_name }),
        )
        .await
        .str("createProduct.product.id");
    let unit = app
        .graphql(
            Some(token),
            "mutation($a: ID!) { addBusinessUnit(input: {accountId: $a, name: \"HQ\", kind: DIVISION}) { businessUnit { id } } }",
            json!({ "a": account }),
        )
        .await
        .str("addBusinessUnit.businessUnit.id");
    let cell = app
        .graphql(
            Some(token),
            "mutation($a: ID!, $u: ID!, $p: ID!) { setWhiteSpaceCell(input: {accountId: $a, businessUnitId: $u, productId: $p, status: OPPORTUNITY}) { cell { id } } }",
            json!({ "a": account, "u": unit, "p": product }),
        )
        .await
        .str("setWhiteSpaceCell.cell.id");
    (product, cell)
}

#[tokio::test]
async fn opportunities_are_linked_checked_and_summed_into_the_pipeline() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let b = app.account(admin, "Initech").await;
    let (product, cell_a) = cell(&app, admin, &a, "Warehousing").await;
    let (_, cell_b) = cell(&app, admin, &b, "Freight").await;

    let r = create(
        &app,
        admin,
        json!({ "accountId": a, "name": "Leipzig hub", "value": { "amount": "120000", "currency": "EUR" },
            "stage": "PROPOSAL", "expectedClose": "2027-03-31", "productId": product, "whiteSpaceCellId": cell_a,
            "externalRef": { "source": "salesforce", "externalId": "006A" } }),
    )
    .await;
    let o = r.data("createOpportunity.opportunity").clone();
    assert_eq!(
        (o["stage"].clone(), o["probability"].clone()),
        (json!("PROPOSAL"), json!(50))
    );
    assert_eq!(o["whiteSpaceCellId"], json!(cell_a));
    let id = o["id"].as_str().unwrap().to_owned();
    create(&app, admin, json!({ "accountId": a, "name": "Customs", "value": { "amount": "40000", "currency": "EUR" },
        "stage": "NEGOTIATION", "probability": 80, "expectedClose": "2027-01-31" }))
        .await
        .data("createOpportunity.opportunity.id");
    create(&app, admin, json!({ "accountId": a, "name": "US lanes", "value": { "amount": "10000", "currency": "USD" },
        "expectedClose": "2027-06-30" }))
        .await
        .data("createOpportunity.opportunity.id");
    create(&app, admin, json!({ "accountId": a, "name": "Lost one", "value": { "amount": "99999", "currency": "EUR" },
        "stage": "CLOSED_LOST", "expectedClose": "2026-06-30" }))
        .await
        .data("createOpportunity.opportunity.id");

    let v = same(&app, admin, PIPELINE, json!({ "id": a }), true).await;
    let acc = &v["data"]["account"];
    assert_eq!(acc["opportunities"].as_array().unwrap().len(), 4);
    assert_eq!(acc["opportunities"][0]["name"], "Lost one");
    assert_eq!(
        acc["pipeline"],
        json!([
            { "currency": "EUR", "open": "160000.00", "weighted": "92000.00", "count": 2 },
            { "currency": "USD", "open": "10000.00", "weighted": "1000.00", "count": 1 }
        ])
    );

    let bad = [
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "1", "currency": "EUR" }, "expectedClose": "2027-01-01", "whiteSpaceCellId": cell_b }),
            "VALIDATION",
            "input.whiteSpaceCellId",
        ),
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "1", "currency": "EUR" }, "expectedClose": "2027-01-01", "productId": missing_id("Product") }),
            "NOT_FOUND",
            "input.productId",
        ),
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "1", "currency": "EUR" }, "expectedClose": "2027-01-01", "probability": 101 }),
            "VALIDATION",
            "input.probability",
        ),
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "1", "currency": "EUR" }, "expectedClose": "2027-01-01", "stage": "CLOSED_WON", "probability": 90 }),
            "VALIDATION",
            "input.probability",
        ),
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "1", "currency": "EUR" }, "expectedClose": "2027-01-01", "externalRef": { "source": "salesforce", "externalId": "006A" } }),
            "VALIDATION",
            "input.externalRef.externalId",
        ),
    ];
    for (i, (input, code, field)) in bad.iter().enumerate() {
        let r = create(&app, admin, input.clone()).await;
        assert_eq!(
            (r.code(), r.field()),
            (*code, *field),
            "case {i}: {}",
            r.body
        );
    }
    let v = same(&app, admin, PIPELINE, json!({ "id": a }), true).await;
    assert_eq!(
        v["data"]["account"]["opportunities"]
            .as_array()
            .unwrap()
            .len(),
        4,
        "nothing added"
    );

    // A new stage takes its default probability; winning closes it.
    let r = app
        .graphql(
            Some(admin),
            &update_q(),
            json!({ "i": { "id": id, "stage": "NEGOTIATION", "whiteSpaceCellId": null } }),
        )
        .await;
    let o = r.data("updateOpportunity.opportunity");
    assert_eq!(
        (
            o["probability"].clone(),
            o["whiteSpaceCellId"].clone(),
            o["version"].clone()
        ),
        (json!(75), Value::Null, json!(2))
    );
    let r = app
        .graphql(
            Some(admin),
            &update_q(),
            json!({ "i": { "id": id, "stage": "CLOSED_WON" } }),
        )
        .await;
    assert_eq!(
        r.data("updateOpportunity.opportunity.probability"),
        &json!(100)
    );
    let r = app
        .graphql(
            Some(admin),
            &update_q(),
            json!({ "i": { "id": id, "whiteSpaceCellId": cell_b } }),
        )
        .await;
    assert_eq!(
        (r.code(), r.field()),
        ("VALIDATION", "input.whiteSpaceCellId")
    );
    let r = app
        .graphql(
            Some(admin),
            "mutation($id: ID!) { deleteOpportunity(input: {id: $id}) { opportunity { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r.str("deleteOpportunity.opportunity.id"), id);
    let v = same(&app, admin, PIPELINE, json!({ "id": a }), true).await;
    assert_eq!(
        v["data"]["account"]["opportunities"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn opportunities_are_written_by_the_accounts_writers_within_the_tenant() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let other = app.tenant("evil").await;
    let admin = t.admin_token.as_str();
    let amy = app.user(&t, "ACCOUNT_MANAGER", "amy").await;
    let a = app.account(admin, "Globex").await;
    let input = json!({ "accountId": a, "name": "Deal", "value": { "amount": "5", "currency": "EUR" }, "expectedClose": "2027-01-01" });
    create(&app, &amy.token, input.clone())
        .await
        .assert_error("FORBIDDEN");
    let r = create(&app, &other.admin_token, input.clone()).await;
    assert_eq!((r.code(), r.field()), ("NOT_FOUND", "input.accountId"));
    let id = create(&app, admin, input.clone())
        .await
        .str("createOpportunity.opportunity.id");
    app.graphql(
        Some(&other.admin_token),
        &update_q(),
        json!({ "i": { "id": id, "name": "Stolen" } }),
    )
    .await
    .assert_error("NOT_FOUND");
    app.graphql(
        Some(admin),
        "mutation($i: AddAccountTeamMemberInput!) { addAccountTeamMember(input: $i) { member { role } } }",
        json!({ "i": { "accountId": a, "userId": amy.id, "role": "ACCOUNT_MANAGER" } }),
    )
    .await
    .data("addAccountTeamMember");
    let r = app
        .graphql(
            Some(&amy.token),
            &update_q(),
            json!({ "i": { "id": id, "name": "Amy's deal" } }),
        )
        .await;
    assert_eq!(r.data("updateOpportunity.opportunity.name"), "Amy's deal");
    // A page of accounts with opportunities and pipeline: one statement for
    // both, on both paths.
    let q = "{ accounts(first: 10) { nodes { name opportunities { name account { name } } pipeline { currency open } } } }";
    let v = same(&app, admin, q, json!({}), true).await;
    assert_eq!(
        v["data"]["accounts"]["nodes"][0]["pipeline"][0]["open"],
        "5.00"
    );
    let fast = app.graphql(Some(admin), q, json!({})).await;
    assert_eq!(fast.execution(), "compiled");
    assert!(fast.statements() <= 3, "{}", fast.statements());
    // Deleting the account tombstones its opportunities.
    app.delete_account(admin, &a).await;
    app.graphql(
        Some(admin),
        &update_q(),
        json!({ "i": { "id": id, "name": "Gone" } }),
    )
    .await
    .assert_error("NOT_FOUND");
}
