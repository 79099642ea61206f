//! The strategic profile: insights (goals, trends, needs, SWOT) and the
//! profile (mission, vision, values, positioning, buying process), written
//! by the account's writers, validated, ordered, tombstoned with their
//! account, the same on both read paths, tenant-scoped.

use crate::compiled::{both_paths, same};
use crate::helpers::*;
use serde_json::{Value, json};

const INSIGHT: &str = "id kind title detail horizon priority version";

fn add_q() -> String {
    format!(
        "mutation($i: AddAccountInsightInput!) {{ addAccountInsight(input: $i) {{ insight {{ {INSIGHT} }} }} }}"
    )
}

async fn add(app: &TestApp, token: &str, input: Value) -> Gql {
    app.graphql(Some(token), &add_q(), json!({ "i": input }))
        .await
}

const PROFILE_Q: &str = "query($id: ID!) { account(id: $id) { \
    goals { kind title horizon } industryTrends { title } needs { kind title priority } \
    swot { kind title detail } \
    profile { mission vision values marketPositioning buyingSteps buyingCycleDays \
      approvalThresholds { __typename from { amount currency } signedBy } version } } }";

const UPDATE_PROFILE: &str = "mutation($i: UpdateAccountProfileInput!) { updateAccountProfile(input: $i) { profile { \
    mission vision values marketPositioning buyingSteps buyingCycleDays approvalThresholds { from { amount } signedBy } version } } }";

#[tokio::test]
async fn insights_are_validated_ordered_and_changed_by_the_accounts_writers() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    for input in [
        json!({ "kind": "INITIATIVE", "title": "Nearshoring to Poland", "horizon": "MEDIUM_TERM" }),
        json!({ "kind": "GOAL", "title": "Cut logistics cost by 10%", "horizon": "SHORT_TERM",
            "detail": "Board target for FY27" }),
        json!({ "kind": "INDUSTRY_TREND", "title": "E-commerce returns keep growing" }),
        json!({ "kind": "PAIN", "title": "Late inbound shipments" }),
        json!({ "kind": "NEED", "title": "Real-time tracking", "priority": "CRITICAL" }),
        json!({ "kind": "THREAT", "title": "New low-cost entrant", "detail": "Won two tenders in Q3" }),
        json!({ "kind": "STRENGTH", "title": "Dense EU network" }),
    ] {
        let mut input = input;
        input["accountId"] = json!(a);
        add(&app, admin, input)
            .await
            .data("addAccountInsight.insight.id");
    }
    let v = same(&app, admin, PROFILE_Q, json!({ "id": a }), true).await;
    let acc = &v["data"]["account"];
    assert_eq!(
        acc["goals"],
        json!([
            { "kind": "GOAL", "title": "Cut logistics cost by 10%", "horizon": "SHORT_TERM" },
            { "kind": "INITIATIVE", "title": "Nearshoring to Poland", "horizon": "MEDIUM_TERM" },
        ])
    );
    assert_eq!(
        acc["industryTrends"],
        json!([{ "title": "E-commerce returns keep growing" }])
    );
    // Needs and pains by priority (a pain without one is MEDIUM).
    assert_eq!(
        acc["needs"],
        json!([
            { "kind": "NEED", "title": "Real-time tracking", "priority": "CRITICAL" },
            { "kind": "PAIN", "title": "Late inbound shipments", "priority": "MEDIUM" },
        ])
    );
    assert_eq!(acc["swot"][0]["kind"], "STRENGTH");
    assert_eq!(acc["swot"][1]["detail"], "Won two tenders in Q3");
    assert_eq!(acc["profile"], Value::Null);

    // Bad input: the field named, nothing written.
    for (input, code, field) in [
        (
            json!({ "accountId": a, "kind": "THREAT", "title": "x", "horizon": "LONG_TERM" }),
            "VALIDATION",
            "input.horizon",
        ),
        (
            json!({ "accountId": a, "kind": "GOAL", "title": "x", "priority": "HIGH" }),
            "VALIDATION",
            "input.priority",
        ),
        (
            json!({ "accountId": a, "kind": "GOAL", "title": "  " }),
            "VALIDATION",
            "input.title",
        ),
        (
            json!({ "accountId": missing_id("Account"), "kind": "GOAL", "title": "x" }),
            "NOT_FOUND",
            "input.accountId",
        ),
    ] {
        let r = add(&app, admin, input).await;
        r.assert_error(code);
        assert_eq!(r.field(), field);
    }
    let after = same(&app, admin, PROFILE_Q, json!({ "id": a }), true).await;
    assert_eq!(after, v);

    // Change and removal.
    let pain = app
        .graphql(
            Some(admin),
            "query($id: ID!) { account(id: $id) { needs { id kind } } }",
            json!({ "id": a }),
        )
        .await
        .data("account.needs")[1]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let upd = format!(
        "mutation($i: UpdateAccountInsightInput!) {{ updateAccountInsight(input: $i) {{ insight {{ {INSIGHT} }} }} }}"
    );
    let r = app
        .graphql(
            Some(admin),
            &upd,
            json!({ "i": { "id": pain, "priority": "HIGH", "detail": "Three a week" } }),
        )
        .await;
    let i = r.data("updateAccountInsight.insight");
    assert_eq!(
        (&i["priority"], &i["detail"], &i["version"]),
        (&json!("HIGH"), &json!("Three a week"), &json!(2))
    );
    let r = app
        .graphql(
            Some(admin),
            &upd,
            json!({ "i": { "id": pain, "horizon": "SHORT_TERM" } }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.horizon");
    let rm = "mutation($i: AccountInsightIdInput!) { removeAccountInsight(input: $i) { insight { id } } }";
    app.graphql(Some(admin), rm, json!({ "i": { "id": pain } }))
        .await
        .data("removeAccountInsight");
    app.graphql(Some(admin), rm, json!({ "i": { "id": pain } }))
        .await
        .assert_error("NOT_FOUND");
    let v = same(&app, admin, PROFILE_Q, json!({ "id": a }), true).await;
    assert_eq!(v["data"]["account"]["needs"].as_array().unwrap().len(), 1);

    // Writers only: a viewer and an account manager off the team are
    // refused; another tenant finds nothing.
    let viewer = app.user(&t, "VIEWER", "vic").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    for token in [&viewer.token, &am.token] {
        add(
            &app,
            token,
            json!({ "accountId": a, "kind": "GOAL", "title": "x" }),
        )
        .await
        .assert_error("FORBIDDEN");
    }
    let mine = app
        .create_account(&am.token, json!({ "name": "Alex's" }))
        .await
        .str("createAccount.account.id");
    add(
        &app,
        &am.token,
        json!({ "accountId": mine, "kind": "NEED", "title": "Cheaper freight" }),
    )
    .await
    .data("addAccountInsight.insight.id");
    let b = app.tenant("initech").await;
    let r = add(
        &app,
        &b.admin_token,
        json!({ "accountId": a, "kind": "GOAL", "title": "x" }),
    )
    .await;
    r.assert_error("NOT_FOUND");
    let goal = v["data"]["account"]["goals"][0].clone();
    let first_goal = app
        .graphql(
            Some(admin),
            "query($id: ID!) { account(id: $id) { goals { id } } }",
            json!({ "id": a }),
        )
        .await
        .str("account.goals.0.id");
    assert_eq!(goal["kind"], "GOAL");
    app.graphql(
        Some(&b.admin_token),
        &upd,
        json!({ "i": { "id": first_goal, "title": "hijack" } }),
    )
    .await
    .assert_error("NOT_FOUND");
    app.graphql(
        Some(&b.admin_token),
        rm,
        json!({ "i": { "id": first_goal } }),
    )
    .await
    .assert_error("NOT_FOUND");

    // Deleting the account tombstones its insights.
    app.delete_account(admin, &a).await;
    app.graphql(Some(admin), rm, json!({ "i": { "id": first_goal } }))
        .await
        .assert_error("NOT_FOUND");
}

#[tokio::test]
async fn the_profile_is_written_field_by_field_and_checked_as_a_whole() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let r = app
        .graphql(
            Some(admin),
            UPDATE_PROFILE,
            json!({ "i": { "accountId": a, "mission": "Move Europe's goods", "values": ["Safety", "Reliability"],
                "buyingSteps": ["RFI", "RFP", "Pilot", "Contract"], "buyingCycleDays": 120,
                "approvalThresholds": [
                    { "from": { "amount": "0", "currency": "EUR" }, "signedBy": "Head of Logistics" },
                    { "from": { "amount": "250000", "currency": "EUR" }, "signedBy": "COO" },
                    { "from": { "amount": "1000000", "currency": "EUR" }, "signedBy": "Board" }] } }),
        )
        .await;
    let p = r.data("updateAccountProfile.profile");
    assert_eq!(p["version"], json!(1));
    assert_eq!(p["approvalThresholds"][1]["from"]["amount"], "250000.00");
    // A second change keeps what it does not name.
    let r = app
        .graphql(
            Some(admin),
            UPDATE_PROFILE,
            json!({ "i": { "accountId": a, "vision": "Zero-emission logistics by 2035",
                "marketPositioning": "Premium, reliable", "mission": null } }),
        )
        .await;
    let p = r.data("updateAccountProfile.profile");
    assert_eq!(
        (&p["mission"], &p["vision"], &p["values"], &p["version"]),
        (
            &Value::Null,
            &json!("Zero-emission logistics by 2035"),
            &json!(["Safety", "Reliability"]),
            &json!(2)
        )
    );
    let v = same(&app, admin, PROFILE_Q, json!({ "id": a }), true).await;
    let prof = &v["data"]["account"]["profile"];
    assert_eq!(prof["buyingCycleDays"], json!(120));
    assert_eq!(
        prof["approvalThresholds"][2],
        json!({ "__typename": "ApprovalThreshold", "from": { "amount": "1000000.00", "currency": "EUR" }, "signedBy": "Board" })
    );

    for (input, field) in [
        (
            json!({ "accountId": a, "buyingCycleDays": 0 }),
            "input.buyingCycleDays",
        ),
        (
            json!({ "accountId": a, "values": ["ok", ""] }),
            "input.values.1",
        ),
        (
            json!({ "accountId": a, "approvalThresholds": [
                { "from": { "amount": "10", "currency": "EUR" }, "signedBy": "A" },
                { "from": { "amount": "5", "currency": "EUR" }, "signedBy": "B" }] }),
            "input.approvalThresholds.1.from.amount",
        ),
        (
            json!({ "accountId": a, "approvalThresholds": [
                { "from": { "amount": "10", "currency": "EUR" }, "signedBy": "A" },
                { "from": { "amount": "50", "currency": "USD" }, "signedBy": "B" }] }),
            "input.approvalThresholds.1.from.currency",
        ),
        (
            json!({ "accountId": a, "mission": "x".repeat(5001) }),
            "input.mission",
        ),
    ] {
        let r = app
            .graphql(Some(admin), UPDATE_PROFILE, json!({ "i": input }))
            .await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field);
    }
    let after = same(&app, admin, PROFILE_Q, json!({ "id": a }), true).await;
    assert_eq!(after, v);

    let viewer = app.user(&t, "VIEWER", "vic").await;
    app.graphql(
        Some(&viewer.token),
        UPDATE_PROFILE,
        json!({ "i": { "accountId": a, "mission": "x" } }),
    )
    .await
    .assert_error("FORBIDDEN");
    let b = app.tenant("initech").await;
    let r = app
        .graphql(
            Some(&b.admin_token),
            UPDATE_PROFILE,
            json!({ "i": { "accountId": a, "mission": "x" } }),
        )
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.accountId");
    let r = app
        .graphql(Some(&b.admin_token), PROFILE_Q, json!({ "id": a }))
        .await;
    r.assert_error("NOT_FOUND");
}

#[tokio::test]
async fn a_page_of_profiles_costs_one_statement_per_relation() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    for n in 0..12 {
        let a = app.account(admin, &format!("Account {n:02}")).await;
        add(
            &app,
            admin,
            json!({ "accountId": a, "kind": "GOAL", "title": format!("Goal {n}") }),
        )
        .await
        .data("addAccountInsight");
        add(
            &app,
            admin,
            json!({ "accountId": a, "kind": "WEAKNESS", "title": format!("Weak {n}") }),
        )
        .await
        .data("addAccountInsight");
        if n % 2 == 0 {
            app.graphql(
                Some(admin),
                UPDATE_PROFILE,
                json!({ "i": { "accountId": a, "mission": format!("Mission {n}"),
                    "approvalThresholds": [{ "from": { "amount": "1", "currency": "EUR" }, "signedBy": "CFO" }] } }),
            )
            .await
            .data("updateAccountProfile");
        }
    }
    let q = "{ accounts(first: 50) { nodes { name goals { title } needs { title } swot { title kind } \
        industryTrends { title } profile { mission approvalThresholds { signedBy from { amount } } } } } }";
    let (fast, reference) = both_paths(&app, admin, q).await;
    // The page, the insights (one statement for the four lists), the profiles.
    assert!(fast.statements() <= 3, "{}", fast.statements());
    assert!(reference.statements() <= 3, "{}", reference.statements());
    let v: Value = serde_json::from_value(fast.body.clone()).unwrap();
    let nodes = v["data"]["accounts"]["nodes"].as_array().unwrap();
    assert_eq!(
        nodes[0]["profile"]["approvalThresholds"][0]["signedBy"],
        "CFO"
    );
    assert_eq!(nodes[1]["profile"], Value::Null);
    assert_eq!(nodes[3]["swot"][0]["kind"], "WEAKNESS");
}
