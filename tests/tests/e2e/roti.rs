//! ROTI: hours invested (activities), revenue and growth (growth-target
//! actuals now and in the period before), objectives achieved, per account
//! and per user, for given and named periods; the leaderboards.

use crate::helpers::*;
use serde_json::{Value, json};

const ROTI: &str = "periodStart periodEnd hoursInvested revenue { amount currency } \
    previousRevenue { amount } growth { amount } objectivesAchieved basis perHour { amount currency }";

async fn plan(app: &TestApp, token: &str, account: &str) -> String {
    app.graphql(
        Some(token),
        "mutation($i: CreatePlanInput!) { createPlan(input: $i) { plan { id } } }",
        json!({ "i": { "accountId": account, "title": "Growth", "periodStart": "2024-01-01", "periodEnd": "2025-12-31" } }),
    )
    .await
    .str("createPlan.plan.id")
}

async fn revenue(app: &TestApp, token: &str, plan: &str, start: &str, end: &str, actual: &str) {
    app.graphql(
        Some(token),
        "mutation($i: AddGrowthTargetInput!) { addGrowthTarget(input: $i) { growthTarget { id } } }",
        json!({ "i": { "planId": plan, "kind": "REVENUE", "productLine": format!("Freight {start}"),
            "periodStart": start, "periodEnd": end, "target": { "amount": "1", "currency": "EUR" }, "actual": actual } }),
    )
    .await
    .data("addGrowthTarget");
}

async fn activity(
    app: &TestApp,
    token: &str,
    account: &str,
    at: &str,
    hours: &str,
    participants: Value,
) {
    app.graphql(
        Some(token),
        "mutation($i: LogActivityInput!) { logActivity(input: $i) { activity { id } } }",
        json!({ "i": { "accountId": account, "kind": "MEETING", "occurredAt": at, "hoursSpent": hours,
            "summary": "Work", "participantIds": participants } }),
    )
    .await
    .data("logActivity");
}

#[tokio::test]
async fn roti_divides_growth_or_revenue_by_the_hours_invested() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let amy = app.user(&t, "SALES_MANAGER", "amy").await;
    let a = app.account(admin, "Globex").await;
    let b = app
        .create_account(admin, json!({ "name": "Initech", "ownerId": amy.id }))
        .await
        .str("createAccount.account.id");
    let pa = plan(&app, admin, &a).await;
    let pb = plan(&app, admin, &b).await;
    // Globex: 100,000 in 2024, 150,000 in 2025 (two targets); Initech:
    // 80,000 in 2025 only.
    revenue(&app, admin, &pa, "2024-01-01", "2024-12-31", "100000").await;
    revenue(&app, admin, &pa, "2025-01-01", "2025-06-30", "70000").await;
    revenue(&app, admin, &pa, "2025-07-01", "2025-12-31", "80000").await;
    revenue(&app, admin, &pb, "2025-01-01", "2025-12-31", "80000").await;
    // An achieved objective due in 2025.
    let o = app
        .graphql(
            Some(admin),
            "mutation($i: AddObjectiveInput!) { addObjective(input: $i) { objective { id } } }",
            json!({ "i": { "planId": pa, "title": "Win warehousing", "metric": "Sites", "baseline": "0",
                "target": "2", "dueDate": "2025-09-30" } }),
        )
        .await
        .str("addObjective.objective.id");
    app.graphql(
        Some(admin),
        "mutation($i: UpdateObjectiveInput!) { updateObjective(input: $i) { objective { status } } }",
        json!({ "i": { "id": o, "status": "ACHIEVED" } }),
    )
    .await
    .data("updateObjective");
    // Hours in 2025: 10 on Globex (4 with Amy taking part), 40 on Initech;
    // one outside the period.
    activity(&app, admin, &a, "2025-03-01T10:00:00Z", "6", json!([])).await;
    activity(
        &app,
        admin,
        &a,
        "2025-05-01T10:00:00Z",
        "4",
        json!([amy.id]),
    )
    .await;
    for m in 1..=5 {
        activity(
            &app,
            admin,
            &b,
            &format!("2025-{m:02}-10T10:00:00Z"),
            "8",
            json!([]),
        )
        .await;
    }
    // In Berlin (UTC+1 in winter): 1 January (counts), 31 December (not).
    activity(&app, admin, &a, "2024-12-31T23:30:00Z", "3", json!([])).await;
    activity(&app, admin, &a, "2024-12-31T22:30:00Z", "1", json!([])).await;

    let q = format!(
        "query($id: ID!, $p: RotiPeriodInput) {{ account(id: $id) {{ roti(period: $p) {{ {ROTI} }} }} }}"
    );
    let period = json!({ "from": "2025-01-01", "to": "2025-12-31" });
    // Compiled, and equal to the resolvers' answer.
    let v = crate::compiled::same(&app, admin, &q, json!({ "id": a, "p": period }), true).await;
    // Growth 50,000 over 13 hours.
    assert_eq!(
        &v["data"]["account"]["roti"],
        &json!({ "periodStart": "2025-01-01", "periodEnd": "2025-12-31", "hoursInvested": "13",
            "revenue": { "amount": "150000.00", "currency": "EUR" }, "previousRevenue": { "amount": "100000.00" },
            "growth": { "amount": "50000.00" }, "objectivesAchieved": 1, "basis": "GROWTH",
            "perHour": { "amount": "3846.15", "currency": "EUR" } })
    );
    let v = app
        .graphql(Some(admin), &q, json!({ "id": b, "p": period }))
        .await;
    let r = v.data("account.roti");
    assert_eq!(
        (&r["basis"], &r["perHour"]["amount"], &r["growth"]),
        (&json!("REVENUE"), &json!("2000.00"), &Value::Null),
        "no revenue before: revenue per hour"
    );
    // Named periods: the current fiscal year has none of this.
    let v = app.graphql(Some(admin), &q, json!({ "id": a })).await;
    let r = v.data("account.roti");
    assert_eq!(
        (&r["hoursInvested"], &r["perHour"]),
        (&json!("0"), &Value::Null)
    );
    let v = app
        .graphql(
            Some(admin),
            &q,
            json!({ "id": a, "p": { "named": "LAST_90_DAYS" } }),
        )
        .await;
    assert_eq!(v.data("account.roti.basis"), &Value::Null);
    for (p, field) in [
        (
            json!({ "from": "2025-02-01", "to": "2025-01-01" }),
            "period.to",
        ),
        (json!({ "from": "2025-02-01" }), "period.to"),
        (
            json!({ "named": "LAST_90_DAYS", "from": "2025-01-01", "to": "2025-02-01" }),
            "period",
        ),
    ] {
        let r = app
            .graphql(Some(admin), &q, json!({ "id": a, "p": p }))
            .await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field);
    }

    // A page of accounts with their ROTI over named and given periods.
    for p in [
        json!(null),
        json!({ "named": "LAST_90_DAYS" }),
        json!({ "from": "2024-01-01", "to": "2025-12-31" }),
    ] {
        crate::compiled::same(
            &app,
            admin,
            &format!("query($p: RotiPeriodInput) {{ accounts(first: 10) {{ nodes {{ name roti(period: $p) {{ {ROTI} }} }} }} }}"),
            json!({ "p": p }),
            true,
        )
        .await;
    }

    // Per user: Amy took part in 4 hours and owns Initech.
    let v = crate::compiled::same(
        &app,
        admin,
        &format!("query($id: ID!, $p: RotiPeriodInput) {{ user(id: $id) {{ roti(period: $p) {{ {ROTI} }} }} }}"),
        json!({ "id": amy.id, "p": period }),
        true,
    )
    .await;
    let r = &v["data"]["user"]["roti"];
    assert_eq!(
        (
            &r["hoursInvested"],
            &r["revenue"]["amount"],
            &r["perHour"]["amount"]
        ),
        (&json!("4"), &json!("80000.00"), &json!("20000.00"))
    );

    // Leaderboards.
    let board = |by: &'static str| {
        let app = &app;
        async move {
            app.graphql(
                Some(admin),
                "query($by: RotiSubject!, $p: RotiPeriodInput) { rotiLeaderboard(by: $by, period: $p, first: 10) { rank account { name } user { displayName } roti { perHour { amount } } } }",
                json!({ "by": by, "p": { "from": "2025-01-01", "to": "2025-12-31" } }),
            )
            .await
            .data("rotiLeaderboard")
            .clone()
        }
    };
    assert_eq!(
        board("ACCOUNT").await,
        json!([
            { "rank": 1, "account": { "name": "Globex" }, "user": null, "roti": { "perHour": { "amount": "3846.15" } } },
            { "rank": 2, "account": { "name": "Initech" }, "user": null, "roti": { "perHour": { "amount": "2000.00" } } },
        ])
    );
    let users = board("USER").await;
    assert_eq!(users[0]["user"]["displayName"], "amy");
    assert_eq!(users[1]["user"]["displayName"], "Admin");
    // Admin: 53 hours; owns Globex (growth 50,000).
    assert_eq!(users[1]["roti"]["perHour"]["amount"], "943.40");
    app.graphql(
        Some(admin),
        "{ rotiLeaderboard(by: ACCOUNT, first: 0) { rank } }",
        json!({}),
    )
    .await
    .assert_error("VALIDATION");

    // Another tenant sees none of it.
    let other = app.tenant("initech").await;
    let v = app
        .graphql(
            Some(&other.admin_token),
            "{ rotiLeaderboard(by: ACCOUNT, period: {named: LAST_365_DAYS}) { rank } }",
            json!({}),
        )
        .await;
    assert_eq!(v.data("rotiLeaderboard"), &json!([]));
    app.graphql(Some(&other.admin_token), &q, json!({ "id": a }))
        .await
        .assert_error("NOT_FOUND");
}
