//! Portfolio views: the accounts in scope (the tenant's; an account
//! manager's team's) by tier, health band, region and owner, the accounts
//! in jeopardy, the high performers; bounded statements; tenant-scoped.

use crate::helpers::*;
use serde_json::{Value, json};

const VIEWS: &str = "{ portfolio { scope currency \
    byTier { key accounts revenue { amount } } byHealthBand { key accounts revenue { amount } } \
    byRegion { key accounts } byOwner { owner { displayName } accounts revenue { amount } } \
    inJeopardy(first: 5) { account { name } score band revenue { amount } openAlerts { rule } } \
    highPerformers(first: 5) { account { name } score band roti { hoursInvested } } } }";

async fn account(app: &TestApp, token: &str, input: Value) -> String {
    app.create_account(token, input)
        .await
        .str("createAccount.account.id")
}

async fn signal(app: &TestApp, token: &str, account: &str, kind: &str) {
    app.graphql(
        Some(token),
        "mutation($i: RecordSignalInput!) { recordSignal(input: $i) { signal { id } } }",
        json!({ "i": { "accountId": account, "kind": kind } }),
    )
    .await
    .data("recordSignal");
}

fn keys(v: &Value) -> Vec<(Value, i64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|g| (g["key"].clone(), g["accounts"].as_i64().unwrap()))
        .collect()
}

#[tokio::test]
async fn the_portfolio_groups_ranks_and_scopes_the_accounts() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let amy = app.user(&t, "ACCOUNT_MANAGER", "amy").await;
    app.graphql(
        Some(admin),
        "mutation { setExchangeRate(input: {currency: \"USD\", rate: \"0.5\", validFrom: \"2020-01-01\"}) { exchangeRate { currency } } }",
        json!({}),
    )
    .await
    .data("setExchangeRate");
    let eur = |a: &str| json!({ "amount": a, "currency": "EUR" });
    let thriving = account(
        &app,
        admin,
        json!({ "name": "Thriving", "tier": "STRATEGIC", "region": "EMEA",
        "status": "ACTIVE", "annualRevenue": eur("1000") }),
    )
    .await;
    let failing = account(
        &app,
        admin,
        json!({ "name": "Failing", "tier": "STRATEGIC", "region": "EMEA",
        "status": "ACTIVE", "annualRevenue": { "amount": "4000", "currency": "USD" } }),
    )
    .await;
    account(
        &app,
        &amy.token,
        json!({ "name": "Quiet", "tier": "KEY", "region": "APAC",
        "annualRevenue": { "amount": "500", "currency": "GBP" } }),
    )
    .await;
    let archived = account(&app, admin, json!({ "name": "Archived", "tier": "KEY" })).await;
    app.graphql(
        Some(admin),
        "mutation($id: ID!) { archiveAccount(input: {id: $id}) { account { id } } }",
        json!({ "id": archived }),
    )
    .await
    .data("archiveAccount");
    for k in [
        "REFERENCE_GIVEN",
        "SCOPE_EXPANDED",
        "INVITED_EARLY_TO_BUYING_PROCESS",
    ] {
        signal(&app, admin, &thriving, k).await;
    }
    // A coach for the thriving account: no alert there.
    app.create_contact(
        admin,
        json!({ "accountId": thriving, "firstName": "Cat", "lastName": "Coach", "buyingRole": "COACH" }),
    )
    .await
    .data("createContact");
    signal(&app, admin, &failing, "ESCALATION").await;
    signal(&app, admin, &failing, "SCOPE_REDUCED").await;

    let v = app.graphql(Some(admin), VIEWS, json!({})).await;
    let p = v.data("portfolio");
    assert_eq!(
        (&p["scope"], &p["currency"]),
        (&json!("TENANT"), &json!("EUR"))
    );
    // Failing: 4000 USD at 0.5 = 2000 EUR; Quiet's GBP has no rate.
    assert_eq!(
        p["byTier"],
        json!([
            { "key": "STRATEGIC", "accounts": 2, "revenue": { "amount": "3000.00" } },
            { "key": "KEY", "accounts": 1, "revenue": { "amount": "0.00" } },
        ])
    );
    assert_eq!(
        keys(&p["byHealthBand"]),
        vec![
            (json!("IN_JEOPARDY"), 1),
            (json!("HEALTHY"), 1),
            (Value::Null, 1)
        ]
    );
    assert_eq!(
        keys(&p["byRegion"]),
        vec![(json!("EMEA"), 2), (json!("APAC"), 1)]
    );
    assert_eq!(
        p["byOwner"],
        json!([
            { "owner": { "displayName": "Admin" }, "accounts": 2, "revenue": { "amount": "3000.00" } },
            { "owner": { "displayName": "amy" }, "accounts": 1, "revenue": { "amount": "0.00" } },
        ])
    );
    let j = &p["inJeopardy"];
    assert_eq!(j[0]["account"]["name"], "Failing");
    assert_eq!(j[0]["band"], "IN_JEOPARDY");
    assert_eq!(j[0]["revenue"], json!({ "amount": "2000.00" }));
    let alerted: Vec<&str> = j[0]["openAlerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["rule"].as_str().unwrap())
        .collect();
    assert!(alerted.contains(&"LOW_HEALTH"), "{alerted:?}");
    assert_eq!(j.as_array().unwrap().len(), 1, "{j}");
    assert_eq!(
        p["highPerformers"],
        json!([{ "account": { "name": "Thriving" }, "score": p["highPerformers"][0]["score"],
            "band": "HEALTHY", "roti": { "hoursInvested": "0" } }])
    );
    assert!(p["highPerformers"][0]["score"].as_i64().unwrap() >= 70);

    // The ranking's figures beside the views, also through fragments and
    // inline fragments (the ranking statement runs only when they are asked).
    for q in [
        "{ portfolio { ...R byTier { key } } } fragment R on Portfolio { activeAccounts rankedAccounts }",
        "{ portfolio { ... on Portfolio { activeAccounts rankedAccounts } byTier { key } } }",
    ] {
        let v = app.graphql(Some(admin), q, json!({})).await;
        assert_eq!(v.data("portfolio.activeAccounts"), 3, "{q}");
        assert_eq!(v.data("portfolio.rankedAccounts"), 2, "{q}");
    }

    // The portfolio scores as `account.health` does, under the tenant's
    // weights: with bad news weighing nothing, Failing is back to 50.
    let health = |id: String| {
        let app = &app;
        async move {
            app.graphql(
                Some(admin),
                "query($id: ID!) { account(id: $id) { health { score } } }",
                json!({ "id": id }),
            )
            .await
            .data("account.health.score")
            .clone()
        }
    };
    assert_eq!(j[0]["score"], health(failing.clone()).await);
    assert_eq!(
        p["highPerformers"][0]["score"],
        health(thriving.clone()).await
    );
    app.graphql(
        Some(admin),
        "mutation { setHealthModel(input: {weights: [{kind: ESCALATION, weight: 0}, \
         {kind: SCOPE_REDUCED, weight: 0}]}) { healthModel { version } } }",
        json!({}),
    )
    .await
    .data("setHealthModel");
    let v = app.graphql(Some(admin), VIEWS, json!({})).await;
    assert_eq!(
        keys(v.data("portfolio.byHealthBand")),
        vec![(json!("WATCH"), 1), (json!("HEALTHY"), 1), (Value::Null, 1)]
    );
    assert_eq!(health(failing.clone()).await, 50);

    // An account manager sees their team's accounts.
    let v = app.graphql(Some(&amy.token), VIEWS, json!({})).await;
    let p = v.data("portfolio");
    assert_eq!(p["scope"], "TEAM");
    assert_eq!(keys(&p["byTier"]), vec![(json!("KEY"), 1)]);
    assert_eq!(keys(&p["byHealthBand"]), vec![(Value::Null, 1)]);
    assert_eq!(p["inJeopardy"], json!([]));

    // Bounded statements: more accounts cost nothing more.
    let before = app
        .graphql(Some(admin), VIEWS, json!({}))
        .await
        .statements();
    for n in 0..8 {
        let a = account(
            &app,
            admin,
            json!({ "name": format!("More {n}"), "status": "ACTIVE",
            "annualRevenue": eur("10") }),
        )
        .await;
        signal(
            &app,
            admin,
            &a,
            if n % 2 == 0 {
                "ESCALATION"
            } else {
                "REFERENCE_GIVEN"
            },
        )
        .await;
    }
    let after = app
        .graphql(Some(admin), VIEWS, json!({}))
        .await
        .statements();
    assert!(after <= before + 1, "{before} -> {after}");
    assert!(after <= 20, "{after}");

    app.graphql(
        Some(admin),
        "{ portfolio { inJeopardy(first: 101) { score } } }",
        json!({}),
    )
    .await
    .assert_error("VALIDATION");
    // Another tenant: nothing.
    let b = app.tenant("initech").await;
    let v = app.graphql(Some(&b.admin_token), VIEWS, json!({})).await;
    assert_eq!(v.data("portfolio.byTier"), &json!([]));
    assert_eq!(v.data("portfolio.inJeopardy"), &json!([]));
}
