//! Account plans: lifecycle, SMART objectives, progress, growth, reviews,
//! contingencies, queries, permissions, tenancy, batching.

use crate::helpers::*;
use serde_json::{Value, json};

const CREATE: &str = "mutation($i: CreatePlanInput!) { createPlan(input: $i) { plan { id status title periodStart periodEnd owner { displayName } version } } }";
const STATUS: &str = "mutation($id: ID!, $s: PlanStatus!) { changePlanStatus(input: {id: $id, status: $s}) { plan { status version } } }";
const OBJ: &str = "mutation($i: AddObjectiveInput!) { addObjective(input: $i) { objective { id title metric baseline target currentValue progressPercent dueDate status } } }";

async fn plan(app: &TestApp, token: &str, account: &str, start: &str, end: &str) -> String {
    app.graphql(
        Some(token),
        CREATE,
        json!({ "i": { "accountId": account, "title": format!("Plan {start}"), "periodStart": start, "periodEnd": end } }),
    )
    .await
    .str("createPlan.plan.id")
}

fn objective(plan: &str) -> Value {
    json!({ "planId": plan, "title": "Grow wallet share", "metric": "wallet share", "unit": "%", "baseline": "20", "target": "35", "dueDate": "2026-09-30", "confidence": 70 })
}

#[tokio::test]
async fn a_plan_moves_through_its_lifecycle_and_closes_only_after_a_final_review() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let r = app
        .graphql(
            Some(&t.admin_token),
            CREATE,
            json!({ "i": { "accountId": a, "title": "FY2026", "periodStart": "2026-01-01", "periodEnd": "2026-12-31" } }),
        )
        .await;
    assert_eq!(r.data("createPlan.plan.status"), &json!("DRAFT"));
    assert_eq!(r.data("createPlan.plan.owner.displayName"), &json!("Admin"));
    let p = r.str("createPlan.plan.id");

    let r = app
        .graphql(
            Some(&t.admin_token),
            STATUS,
            json!({ "id": p, "s": "CLOSED" }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.status");
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("DRAFT"),
        "{}",
        r.body
    );

    for s in ["ACTIVE", "UNDER_REVIEW", "ACTIVE", "UNDER_REVIEW"] {
        let r = app
            .graphql(Some(&t.admin_token), STATUS, json!({ "id": p, "s": s }))
            .await;
        assert_eq!(r.data("changePlanStatus.plan.status"), &json!(s));
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            STATUS,
            json!({ "id": p, "s": "CLOSED" }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("final review"),
        "{}",
        r.body
    );

    let review = "mutation($i: AddPlanReviewInput!) { addPlanReview(input: $i) { review { outcome isFinal revisions reviewers { displayName } } plan { status } } }";
    let r = app
        .graphql(
            Some(&t.admin_token),
            review,
            json!({ "i": { "planId": p, "reviewDate": "2026-12-15", "outcome": "ON_TRACK", "isFinal": true, "moveTo": "CLOSED",
                           "revisions": ["Raised the wallet-share target"], "reviewerIds": [t.admin_id], "notes": "Year closed well" } }),
        )
        .await;
    assert_eq!(r.data("addPlanReview.plan.status"), &json!("CLOSED"));
    assert_eq!(
        r.data("addPlanReview.review.revisions"),
        &json!(["Raised the wallet-share target"])
    );
    assert_eq!(
        r.data("addPlanReview.review.reviewers"),
        &json!([{ "displayName": "Admin" }])
    );
    let r = app
        .graphql(
            Some(&t.admin_token),
            STATUS,
            json!({ "id": p, "s": "ACTIVE" }),
        )
        .await;
    r.assert_error("VALIDATION");
}

#[tokio::test]
async fn only_one_plan_per_account_and_overlapping_period_is_active() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p1 = plan(&app, &t.admin_token, &a, "2026-01-01", "2026-12-31").await;
    let p2 = plan(&app, &t.admin_token, &a, "2026-07-01", "2027-06-30").await;
    let p3 = plan(&app, &t.admin_token, &a, "2027-01-01", "2027-12-31").await;
    app.graphql(
        Some(&t.admin_token),
        STATUS,
        json!({ "id": p1, "s": "ACTIVE" }),
    )
    .await
    .data("changePlanStatus");
    let r = app
        .graphql(
            Some(&t.admin_token),
            STATUS,
            json!({ "id": p2, "s": "ACTIVE" }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.status");
    app.graphql(
        Some(&t.admin_token),
        STATUS,
        json!({ "id": p3, "s": "ACTIVE" }),
    )
    .await
    .data("changePlanStatus");
    // Another account is independent.
    let b = app.account(&t.admin_token, "Beta").await;
    let pb = plan(&app, &t.admin_token, &b, "2026-01-01", "2026-12-31").await;
    app.graphql(
        Some(&t.admin_token),
        STATUS,
        json!({ "id": pb, "s": "ACTIVE" }),
    )
    .await
    .data("changePlanStatus");
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { plan(id: $id) { status version } }",
            json!({ "id": p2 }),
        )
        .await;
    assert_eq!(
        r.data("plan"),
        &json!({ "status": "DRAFT", "version": 1 }),
        "the refused change changed nothing"
    );
}

#[tokio::test]
async fn objectives_that_are_not_smart_are_refused_naming_the_field_and_letter() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = plan(&app, &t.admin_token, &a, "2026-01-01", "2026-12-31").await;
    let cases: Vec<(Value, &str, &str)> = vec![
        (json!({ "title": "  " }), "input.title", "S"),
        (json!({ "metric": null }), "input.metric", "M"),
        (json!({ "target": null }), "input.target", "M"),
        (json!({ "target": "20" }), "input.target", "M"),
        (json!({ "confidence": 101 }), "input.confidence", "A"),
        (json!({ "dueDate": null }), "input.dueDate", "T"),
        (json!({ "dueDate": "2027-03-01" }), "input.dueDate", "T"),
    ];
    for (change, field, letter) in cases {
        let mut i = objective(&p);
        for (k, v) in change.as_object().unwrap() {
            i[k] = v.clone();
        }
        let r = app
            .graphql(Some(&t.admin_token), OBJ, json!({ "i": i }))
            .await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field, "{}", r.body);
        let msg = r.body["errors"][0]["message"].as_str().unwrap();
        assert!(msg.contains(&format!("({letter}:")), "{field}: {msg}");
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { plan(id: $id) { objectives { id } } }",
            json!({ "id": p }),
        )
        .await;
    assert_eq!(r.data("plan.objectives"), &json!([]), "nothing was added");
}

#[tokio::test]
async fn progress_is_recorded_with_history_and_percent() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = plan(&app, &t.admin_token, &a, "2026-01-01", "2026-12-31").await;
    let r = app
        .graphql(Some(&t.admin_token), OBJ, json!({ "i": objective(&p) }))
        .await;
    let o = r.str("addObjective.objective.id");
    assert_eq!(
        r.data("addObjective.objective.progressPercent"),
        &json!("0")
    );
    let rec = "mutation($i: RecordProgressInput!) { recordObjectiveProgress(input: $i) { objective { currentValue progressPercent progress { value recordedOn note } } } }";
    app.graphql(Some(&t.admin_token), rec, json!({ "i": { "objectiveId": o, "value": "24.5", "recordedOn": "2026-03-31", "note": "Q1" } }))
        .await
        .data("recordObjectiveProgress");
    let r = app
        .graphql(
            Some(&t.admin_token),
            rec,
            json!({ "i": { "objectiveId": o, "value": "29", "recordedOn": "2026-06-30" } }),
        )
        .await;
    let obj = r.data("recordObjectiveProgress.objective");
    assert_eq!(obj["currentValue"], "29");
    assert_eq!(obj["progressPercent"], "60");
    assert_eq!(
        obj["progress"],
        json!([{ "value": "24.5", "recordedOn": "2026-03-31", "note": "Q1" }, { "value": "29", "recordedOn": "2026-06-30", "note": null }])
    );
    let r = app
        .graphql(
            Some(&t.admin_token),
            rec,
            json!({ "i": { "objectiveId": o, "value": "1", "recordedOn": "2099-01-01" } }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.recordedOn");
}

#[tokio::test]
async fn growth_targets_roll_up_and_contingencies_are_kept() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = plan(&app, &t.admin_token, &a, "2026-01-01", "2026-12-31").await;
    let add = "mutation($i: AddGrowthTargetInput!) { addGrowthTarget(input: $i) { growthTarget { id target { amount currency } actual { amount } variance { amount } } } }";
    let r = app
        .graphql(
            Some(&t.admin_token),
            add,
            json!({ "i": { "planId": p, "kind": "REVENUE", "productLine": "Freight", "periodStart": "2026-01-01", "periodEnd": "2026-06-30",
                           "target": { "amount": "100000.50", "currency": "EUR" }, "actual": "90000" } }),
        )
        .await;
    assert_eq!(
        r.data("addGrowthTarget.growthTarget.variance.amount"),
        &json!("-10000.50")
    );
    let second = app
        .graphql(
            Some(&t.admin_token),
            add,
            json!({ "i": { "planId": p, "kind": "REVENUE", "productLine": "Warehousing", "periodStart": "2026-07-01", "periodEnd": "2026-12-31",
                           "target": { "amount": "50000", "currency": "EUR" } } }),
        )
        .await
        .str("addGrowthTarget.growthTarget.id");
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { setGrowthTargetActual(input: {id: $id, actual: \"60000\"}) { growthTarget { actual { amount } } } }",
        json!({ "id": second }),
    )
    .await
    .data("setGrowthTargetActual");
    let bad = app
        .graphql(
            Some(&t.admin_token),
            add,
            json!({ "i": { "planId": p, "kind": "MARGIN", "productLine": "X", "periodStart": "2026-01-01", "periodEnd": "2026-06-30",
                           "target": { "amount": "-1", "currency": "EUR" } } }),
        )
        .await;
    bad.assert_error("VALIDATION");
    assert_eq!(bad.field(), "input.target.amount");
    app.graphql(
        Some(&t.admin_token),
        "mutation($i: AddContingencyInput!) { addContingency(input: $i) { contingency { id } } }",
        json!({ "i": { "planId": p, "risk": "Champion leaves", "trigger": "Resignation announced", "response": "Executive sponsor meeting within a week", "ownerId": t.admin_id } }),
    )
    .await
    .data("addContingency");
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { plan(id: $id) { growth { kind currency target actual variance } contingencies { risk trigger response owner { displayName } } } }",
            json!({ "id": p }),
        )
        .await;
    assert_eq!(
        r.data("plan.growth"),
        &json!([{ "kind": "REVENUE", "currency": "EUR", "target": "150000.50", "actual": "150000.00", "variance": "-0.50" }])
    );
    assert_eq!(
        r.data("plan.contingencies"),
        &json!([{ "risk": "Champion leaves", "trigger": "Resignation announced", "response": "Executive sponsor meeting within a week", "owner": { "displayName": "Admin" } }])
    );
}

#[tokio::test]
async fn plans_are_listed_per_account_and_filtered() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let old = plan(&app, &t.admin_token, &a, "2025-01-01", "2025-12-31").await;
    let new = plan(&app, &t.admin_token, &a, "2026-01-01", "2026-12-31").await;
    app.graphql(
        Some(&t.admin_token),
        STATUS,
        json!({ "id": new, "s": "ACTIVE" }),
    )
    .await
    .data("changePlanStatus");
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { account(id: $id) { plans { nodes { id } } } }",
            json!({ "id": a }),
        )
        .await;
    assert_eq!(
        r.data("account.plans.nodes"),
        &json!([{ "id": new }, { "id": old }]),
        "newest period first"
    );
    let list = "query($f: PlanFilter, $first: Int, $after: String) { plans(filter: $f, first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } }";
    let r = app
        .graphql(
            Some(&t.admin_token),
            list,
            json!({ "f": { "status": ["ACTIVE"] } }),
        )
        .await;
    assert_eq!(r.data("plans.nodes"), &json!([{ "id": new }]));
    let r = app
        .graphql(
            Some(&t.admin_token),
            list,
            json!({ "f": { "periodContains": "2025-06-01" } }),
        )
        .await;
    assert_eq!(r.data("plans.nodes"), &json!([{ "id": old }]));
    let r = app
        .graphql(Some(&t.admin_token), list, json!({ "first": 1 }))
        .await;
    assert_eq!(r.data("plans.nodes"), &json!([{ "id": new }]));
    let after = r.str("plans.pageInfo.endCursor");
    let r = app
        .graphql(
            Some(&t.admin_token),
            list,
            json!({ "first": 1, "after": after }),
        )
        .await;
    assert_eq!(r.data("plans.nodes"), &json!([{ "id": old }]));
    assert_eq!(r.data("plans.pageInfo.hasNextPage"), &json!(false));
}

#[tokio::test]
async fn plans_are_written_by_the_accounts_writers_and_stay_in_their_tenant() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let viewer = app.user(&t, "VIEWER", "vic").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let mine = app.account(&am.token, "Mine").await;
    let input = |acc: &str| json!({ "i": { "accountId": acc, "title": "P", "periodStart": "2026-01-01", "periodEnd": "2026-12-31" } });
    app.graphql(Some(&viewer.token), CREATE, input(&a))
        .await
        .assert_error("FORBIDDEN");
    app.graphql(Some(&am.token), CREATE, input(&a))
        .await
        .assert_error("FORBIDDEN");
    app.graphql(Some(&am.token), CREATE, input(&mine))
        .await
        .data("createPlan");
    let p = plan(&app, &t.admin_token, &a, "2026-01-01", "2026-12-31").await;
    app.graphql(Some(&am.token), OBJ, json!({ "i": objective(&p) }))
        .await
        .assert_error("FORBIDDEN");
    app.graphql(
        Some(&viewer.token),
        "query($id: ID!) { plan(id: $id) { title } }",
        json!({ "id": p }),
    )
    .await
    .data("plan");

    let other = app.tenant("other").await;
    app.graphql(
        Some(&other.admin_token),
        "query($id: ID!) { plan(id: $id) { title } }",
        json!({ "id": p }),
    )
    .await
    .assert_error("NOT_FOUND");
    let r = app
        .graphql(Some(&other.admin_token), CREATE, input(&a))
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.accountId");
    let r = app
        .graphql(Some(&other.admin_token), OBJ, json!({ "i": objective(&p) }))
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.planId");
    let r = app
        .graphql(
            Some(&other.admin_token),
            STATUS,
            json!({ "id": p, "s": "ACTIVE" }),
        )
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.id");
    let r = app
        .graphql(
            Some(&other.admin_token),
            "query { plans { nodes { id } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data("plans.nodes"), &json!([]));
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { plan(id: $id) { status version objectives { id } } }",
            json!({ "id": p }),
        )
        .await;
    assert_eq!(
        r.data("plan"),
        &json!({ "status": "DRAFT", "version": 1, "objectives": [] })
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_page_of_plans_with_their_details_costs_a_bounded_number_of_statements() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    for i in 0..12 {
        let a = app
            .account(&t.admin_token, &format!("Account {i:02}"))
            .await;
        let p = plan(&app, &t.admin_token, &a, "2026-01-01", "2026-12-31").await;
        for _ in 0..2 {
            app.graphql(Some(&t.admin_token), OBJ, json!({ "i": objective(&p) }))
                .await
                .data("addObjective");
        }
    }
    let q = "query { accounts(first: 20) { nodes { name plans(first: 5) { nodes { title owner { displayName } objectives { title progressPercent progress { value } } growth { target } reviews { outcome } contingencies { risk } } } } } }";
    let r = app.graphql(Some(&t.admin_token), q, json!({})).await;
    assert_eq!(r.data("accounts.nodes").as_array().unwrap().len(), 12);
    let n = r.statements();
    // accounts; plans; owners, objectives, growth, reviews, contingencies; progress.
    assert!(n <= 8, "{n} statements");
    let runs = (0..8).map(|_| app.graphql(Some(&t.admin_token), q, json!({})));
    for r in futures::future::join_all(runs).await {
        assert_eq!(r.statements(), n, "the same under concurrency");
    }
}
