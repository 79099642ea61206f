//! Contracts and upcoming renewals: written by the account's writers,
//! checked as a whole (term, renewal date, risk reason), tombstoned with
//! their account, listed per account and across the tenant by renewal
//! date, on both read paths.

use crate::compiled::same;
use crate::helpers::*;
use serde_json::{Value, json};

const FIELDS: &str = "id accountId name value { amount currency } startDate endDate renewalDate \
    stage risk riskReason externalRef { source externalId } version";

fn create_q() -> String {
    format!(
        "mutation($i: CreateContractInput!) {{ createContract(input: $i) {{ contract {{ {FIELDS} }} }} }}"
    )
}

fn update_q() -> String {
    format!(
        "mutation($i: UpdateContractInput!) {{ updateContract(input: $i) {{ contract {{ {FIELDS} }} }} }}"
    )
}

const RENEWALS: &str = "query($d: Int!, $first: Int, $after: String) { upcomingRenewals(withinDays: $d, first: $first, after: $after) { \
    totalCount pageInfo { hasNextPage endCursor } edges { cursor node { name renewalDate stage account { name } } } } }";

/// Today (UTC) shifted by `days`.
fn day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

async fn contract(
    app: &TestApp,
    token: &str,
    account: &str,
    name: &str,
    renewal: i64,
    stage: &str,
) -> String {
    let r = app
        .graphql(
            Some(token),
            &create_q(),
            json!({ "i": { "accountId": account, "name": name, "value": { "amount": "1000", "currency": "EUR" },
                "startDate": day(-400), "endDate": day(800), "renewalDate": day(renewal), "stage": stage } }),
        )
        .await;
    r.str("createContract.contract.id")
}

fn names(r: &Gql) -> Vec<String> {
    r.data("upcomingRenewals.edges")
        .as_array()
        .unwrap_or_else(|| panic!("{}", r.body))
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_contract_is_created_changed_and_deleted_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let r = app
        .graphql(
            Some(admin),
            &create_q(),
            json!({ "i": { "accountId": a, "name": " MSA 2026 ", "value": { "amount": "250000", "currency": "EUR" },
                "startDate": "2026-01-01", "endDate": "2028-12-31", "renewalDate": "2028-06-30",
                "risk": "HIGH", "riskReason": "New CPO tenders everything", "externalRef": { "source": "salesforce", "externalId": "800X1" } } }),
        )
        .await;
    let c = r.data("createContract.contract").clone();
    assert_eq!(c["name"], "MSA 2026");
    assert_eq!(
        c["value"],
        json!({ "amount": "250000.00", "currency": "EUR" })
    );
    assert_eq!(c["stage"], "OPEN");
    assert_eq!(
        (c["risk"].clone(), c["version"].clone()),
        (json!("HIGH"), json!(1))
    );
    assert_eq!(c["accountId"], json!(a));
    let id = c["id"].as_str().unwrap().to_owned();

    let bad = [
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "1", "currency": "EUR" }, "startDate": "2026-02-01", "endDate": "2026-01-01" }),
            "VALIDATION",
            "input.endDate",
        ),
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "1", "currency": "EUR" }, "startDate": "2026-02-01", "endDate": "2026-12-31", "renewalDate": "2027-01-01" }),
            "VALIDATION",
            "input.renewalDate",
        ),
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "1", "currency": "EUR" }, "startDate": "2026-02-01", "risk": "MEDIUM" }),
            "VALIDATION",
            "input.riskReason",
        ),
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "-1", "currency": "EUR" }, "startDate": "2026-02-01" }),
            "VALIDATION",
            "input.value.amount",
        ),
        (
            json!({ "accountId": a, "name": " ", "value": { "amount": "1", "currency": "EUR" }, "startDate": "2026-02-01" }),
            "VALIDATION",
            "input.name",
        ),
        (
            json!({ "accountId": missing_id("Account"), "name": "x", "value": { "amount": "1", "currency": "EUR" }, "startDate": "2026-02-01" }),
            "NOT_FOUND",
            "input.accountId",
        ),
        (
            json!({ "accountId": a, "name": "x", "value": { "amount": "1", "currency": "EUR" }, "startDate": "2026-02-01", "externalRef": { "source": "salesforce", "externalId": "800X1" } }),
            "VALIDATION",
            "input.externalRef.externalId",
        ),
    ];
    for (i, (input, code, field)) in bad.iter().enumerate() {
        let r = app
            .graphql(Some(admin), &create_q(), json!({ "i": input }))
            .await;
        assert_eq!(
            (r.code(), r.field()),
            (*code, *field),
            "case {i}: {}",
            r.body
        );
    }
    let list = "query($id: ID!) { account(id: $id) { contracts { id version } } }";
    let r = app.graphql(Some(admin), list, json!({ "id": a })).await;
    assert_eq!(
        r.data("account.contracts"),
        &json!([{ "id": id, "version": 1 }])
    );

    // Changes are checked as a whole: clearing a HIGH risk's reason, or a
    // start after the end, is refused and changes nothing.
    for (input, field) in [
        (json!({ "id": id, "riskReason": null }), "input.riskReason"),
        (
            json!({ "id": id, "startDate": "2029-01-01" }),
            "input.endDate",
        ),
        (json!({ "id": id, "stage": null }), "input.stage"),
    ] {
        let r = app
            .graphql(Some(admin), &update_q(), json!({ "i": input }))
            .await;
        assert_eq!((r.code(), r.field()), ("VALIDATION", field), "{}", r.body);
    }
    let r = app
        .graphql(
            Some(admin),
            &update_q(),
            json!({ "i": { "id": id, "stage": "IN_NEGOTIATION", "risk": "LOW", "riskReason": null, "endDate": null } }),
        )
        .await;
    let c = r.data("updateContract.contract");
    assert_eq!(c["stage"], "IN_NEGOTIATION");
    assert_eq!(
        (c["risk"].clone(), c["riskReason"].clone()),
        (json!("LOW"), Value::Null)
    );
    assert_eq!(
        (c["endDate"].clone(), c["version"].clone()),
        (Value::Null, json!(2))
    );
    let r = app
        .graphql(
            Some(admin),
            "mutation($id: ID!) { deleteContract(input: {id: $id}) { contract { id } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(r.str("deleteContract.contract.id"), id);
    app.graphql(
        Some(admin),
        "query($id: ID!) { contract(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await
    .assert_error("NOT_FOUND");
    let r = app.graphql(Some(admin), list, json!({ "id": a })).await;
    assert_eq!(r.data("account.contracts"), &json!([]));
}

#[tokio::test]
async fn upcoming_renewals_list_undecided_renewals_in_the_window_by_date() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let b = app.account(admin, "Initech").await;
    contract(&app, admin, &a, "In 30", 30, "OPEN").await;
    contract(&app, admin, &b, "In 10", 10, "IN_NEGOTIATION").await;
    contract(&app, admin, &a, "In 60", 60, "OPEN").await;
    contract(&app, admin, &b, "Renewed in 20", 20, "RENEWED").await;
    contract(&app, admin, &b, "Lost in 25", 25, "LOST").await;
    contract(&app, admin, &a, "In 200", 200, "OPEN").await;
    contract(&app, admin, &a, "Past", -5, "OPEN").await;

    let r = same(
        &app,
        admin,
        RENEWALS,
        json!({ "d": 90, "first": 10, "after": null }),
        true,
    )
    .await;
    let names_of = |v: &Value| -> Vec<String> {
        v["data"]["upcomingRenewals"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(names_of(&r), ["In 10", "In 30", "In 60"]);
    assert_eq!(r["data"]["upcomingRenewals"]["totalCount"], json!(3));
    assert_eq!(
        r["data"]["upcomingRenewals"]["edges"][0]["node"]["account"]["name"],
        "Initech"
    );
    // Paging with the cursors.
    let p1 = same(
        &app,
        admin,
        RENEWALS,
        json!({ "d": 365, "first": 2, "after": null }),
        true,
    )
    .await;
    assert_eq!(names_of(&p1), ["In 10", "In 30"]);
    let after = p1["data"]["upcomingRenewals"]["pageInfo"]["endCursor"].clone();
    let p2 = same(
        &app,
        admin,
        RENEWALS,
        json!({ "d": 365, "first": 2, "after": after }),
        true,
    )
    .await;
    assert_eq!(names_of(&p2), ["In 60", "In 200"]);
    assert_eq!(
        p2["data"]["upcomingRenewals"]["pageInfo"]["hasNextPage"],
        json!(false)
    );
    // Nodes and a fragment, as clients write them.
    let q = "fragment C on Contract { name stage value { currency } } \
        query { upcomingRenewals(withinDays: 45) { nodes { ...C accountId } } }";
    let v = same(&app, admin, q, json!({}), true).await;
    assert_eq!(
        v["data"]["upcomingRenewals"]["nodes"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // A window out of range is refused.
    for d in [-1, 3661] {
        let r = app.graphql(Some(admin), RENEWALS, json!({ "d": d })).await;
        assert_eq!(r.code(), "VALIDATION", "{}", r.body);
    }
    assert_eq!(
        names(&app.graphql(Some(admin), RENEWALS, json!({ "d": 0 })).await),
        Vec::<String>::new()
    );
}

#[tokio::test]
async fn contracts_are_compiled_tenant_scoped_and_written_by_the_accounts_writers() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let other = app.tenant("evil").await;
    let admin = t.admin_token.as_str();
    let amy = app.user(&t, "ACCOUNT_MANAGER", "amy").await;
    let vic = app.user(&t, "VIEWER", "vic").await;
    let a = app.account(admin, "Globex").await;
    let id = contract(&app, admin, &a, "MSA", 30, "OPEN").await;

    for q in [
        "query($id: ID!) { contract(id: $id) { id name value { amount } account { name team { role } } version } }",
        "query($id: ID!) { node(id: $id) { id ... on Contract { name renewalDate risk } } }",
    ] {
        let v = same(&app, admin, q, json!({ "id": id }), true).await;
        assert!(!v["data"].is_null(), "{v}");
    }
    let v = same(
        &app,
        admin,
        "{ accounts(first: 5) { nodes { name contracts { name stage account { name } } } } }",
        json!({}),
        true,
    )
    .await;
    assert_eq!(
        v["data"]["accounts"]["nodes"][0]["contracts"][0]["name"],
        "MSA"
    );
    // Another tenant: not found, and absent from its renewals.
    for q in [
        "query($id: ID!) { contract(id: $id) { id } }",
        "query($id: ID!) { node(id: $id) { id } }",
    ] {
        app.graphql(Some(&other.admin_token), q, json!({ "id": id }))
            .await
            .assert_error("NOT_FOUND");
    }
    let r = app
        .graphql(Some(&other.admin_token), RENEWALS, json!({ "d": 365 }))
        .await;
    assert_eq!(r.data("upcomingRenewals.totalCount"), &json!(0));
    let r = app
        .graphql(
            Some(&other.admin_token),
            &update_q(),
            json!({ "i": { "id": id, "name": "Stolen" } }),
        )
        .await;
    assert_eq!(r.code(), "NOT_FOUND");
    // Writers only: an account manager off the team and a viewer are
    // refused; on the team as ACCOUNT_MANAGER she writes.
    let rename = |token: String, name: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            app.graphql(
                Some(&token),
                &update_q(),
                json!({ "i": { "id": id, "name": name } }),
            )
            .await
        }
    };
    rename(amy.token.clone(), "Amy's")
        .await
        .assert_error("FORBIDDEN");
    rename(vic.token.clone(), "Vic's")
        .await
        .assert_error("FORBIDDEN");
    app.graphql(
        Some(admin),
        "mutation($i: AddAccountTeamMemberInput!) { addAccountTeamMember(input: $i) { member { role } } }",
        json!({ "i": { "accountId": a, "userId": amy.id, "role": "ACCOUNT_MANAGER" } }),
    )
    .await
    .data("addAccountTeamMember");
    let r = rename(amy.token.clone(), "Amy's").await;
    assert_eq!(r.data("updateContract.contract.name"), "Amy's");
    assert_eq!(r.data("updateContract.contract.version"), &json!(2));
    // Deleting the account tombstones its contracts.
    app.delete_account(admin, &a).await;
    app.graphql(
        Some(admin),
        "query($id: ID!) { contract(id: $id) { id } }",
        json!({ "id": id }),
    )
    .await
    .assert_error("NOT_FOUND");
    let r = app
        .graphql(Some(admin), RENEWALS, json!({ "d": 365 }))
        .await;
    assert_eq!(r.data("upcomingRenewals.totalCount"), &json!(0));
}
