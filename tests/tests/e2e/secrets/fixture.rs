//! The fixture: one tenant with one object of each kind, and another tenant.

use super::*;

pub(super) fn day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

pub(super) async fn create(
    app: &TestApp,
    token: &str,
    field: &str,
    ty: &str,
    input: Value,
    out: &str,
) -> String {
    let q = format!("mutation($i: {ty}!) {{ {field}(input: $i) {{ {out} {{ id }} }} }}");
    app.graphql(Some(token), &q, json!({ "i": input }))
        .await
        .str(&format!("{field}.{out}.id"))
}

pub(super) async fn cursors_of(app: &TestApp, token: &str, query: &str, path: &str) -> Vec<String> {
    let r = app.graphql(Some(token), query, json!({})).await;
    r.data(path)
        .as_array()
        .unwrap_or_else(|| panic!("no edges at {path}: {}", r.body))
        .iter()
        .map(|e| e["cursor"].as_str().unwrap().to_owned())
        .collect()
}

pub(super) async fn setup(app: &TestApp) -> Fx {
    let t = app.tenant("acme").await;
    let other = app.tenant("evil").await;
    let sam = app.user(&t, "ACCOUNT_MANAGER", "sam").await;
    let vic = app.user(&t, "VIEWER", "vic").await;
    let tok = t.admin_token.clone();
    let a = app.account(&tok, "Acme Corp").await;
    create(
        app,
        &tok,
        "createAccount",
        "CreateAccountInput",
        json!({ "name": "Acme Subsidiary", "parentId": a }),
        "account",
    )
    .await;
    let c = app.contact(&tok, &a, "Ann", "Lee").await;
    let c2 = app.contact(&tok, &a, "Bob", "Ray").await;
    let p = create(
        app,
        &tok,
        "createPlan",
        "CreatePlanInput",
        json!({ "accountId": a, "title": "Plan", "periodStart": day(-60), "periodEnd": day(300) }),
        "plan",
    )
    .await;
    let o = create(app, &tok, "addObjective", "AddObjectiveInput",
        json!({ "planId": p, "title": "Share", "metric": "share", "unit": "%", "baseline": "1", "target": "10", "dueDate": day(200), "confidence": 50 }),
        "objective").await;
    let g = create(app, &tok, "addGrowthTarget", "AddGrowthTargetInput",
        json!({ "planId": p, "kind": "REVENUE", "productLine": "Freight", "periodStart": day(-60), "periodEnd": day(100), "target": { "amount": "1000", "currency": "EUR" } }),
        "growthTarget").await;
    let pr = create(
        app,
        &tok,
        "createProduct",
        "CreateProductInput",
        json!({ "name": "Freight" }),
        "product",
    )
    .await;
    let bu = create(
        app,
        &tok,
        "addBusinessUnit",
        "AddBusinessUnitInput",
        json!({ "accountId": a, "name": "HQ" }),
        "businessUnit",
    )
    .await;
    let ai = create(app, &tok, "createActionItem", "CreateActionItemInput",
        json!({ "planId": p, "title": "Weekly call", "cadence": "WEEKLY", "firstDueDate": day(-14), "contactIds": [c] }),
        "actionItem").await;
    let act = create(app, &tok, "logActivity", "LogActivityInput",
        json!({ "accountId": a, "kind": "CALL", "occurredAt": (chrono::Utc::now() - chrono::Duration::hours(3)).to_rfc3339(), "summary": "Call", "contactIds": [c] }),
        "activity").await;
    app.graphql(
        Some(&tok),
        "mutation($i: AddAccountTeamMemberInput!) { addAccountTeamMember(input: $i) { member { role } } }",
        json!({ "i": { "accountId": a, "userId": sam.id, "role": "SUPPORT" } }),
    )
    .await
    .data("addAccountTeamMember.member");
    let k = create(
        app,
        &tok,
        "createContract",
        "CreateContractInput",
        json!({ "accountId": a, "name": "MSA", "value": { "amount": "1000", "currency": "EUR" },
            "startDate": day(-30), "endDate": day(700), "renewalDate": day(60) }),
        "contract",
    )
    .await;
    let inf = app
        .graphql(
            Some(&tok),
            "mutation($i: AddContactInfluenceInput!) { addContactInfluence(input: $i) { influence { id } } }",
            json!({ "i": { "fromContactId": c2, "toContactId": c, "kind": "ALLY" } }),
        )
        .await
        .str("addContactInfluence.influence.id");
    let opp = create(app, &tok, "createOpportunity", "CreateOpportunityInput",
        json!({ "accountId": a, "name": "Opp", "value": { "amount": "100", "currency": "EUR" }, "expectedClose": day(90) }),
        "opportunity").await;
    let ins = create(
        app,
        &tok,
        "addAccountInsight",
        "AddAccountInsightInput",
        json!({ "accountId": a, "kind": "NEED", "title": "Tracking" }),
        "insight",
    )
    .await;
    let comp = create(
        app,
        &tok,
        "addCompetitor",
        "AddCompetitorInput",
        json!({ "accountId": a, "name": "Rival", "position": "INCUMBENT" }),
        "competitor",
    )
    .await;
    let sig = app
        .graphql(
            Some(&tok),
            "mutation($i: RecordSignalInput!) { recordSignal(input: $i) { signal { id } } }",
            json!({ "i": { "accountId": a, "kind": "ADVICE_SOUGHT", "contactId": c } }),
        )
        .await
        .str("recordSignal.signal.id");
    let alerted = app
        .create_account(&tok, json!({ "name": "Alerted", "status": "ACTIVE" }))
        .await
        .str("createAccount.account.id");
    app.graphql(
        Some(&tok),
        "mutation($i: RecordSignalInput!) { recordSignal(input: $i) { signal { id } } }",
        json!({ "i": { "accountId": alerted, "kind": "ESCALATION" } }),
    )
    .await
    .data("recordSignal");
    let alert = app
        .graphql(
            Some(&tok),
            "query($id: ID!) { account(id: $id) { alerts { id } } }",
            json!({ "id": alerted }),
        )
        .await
        .str("account.alerts.0.id");
    let crit = create(
        app,
        &tok,
        "addSuccessCriterion",
        "AddSuccessCriterionInput",
        json!({ "accountId": a, "metric": "On-time delivery", "target": "98" }),
        "successCriterion",
    )
    .await;
    let vlink = create(
        app,
        &tok,
        "addValueChainLink",
        "AddValueChainLinkInput",
        json!({ "accountId": a, "productId": pr, "businessOutcome": "Visibility" }),
        "valueChainLink",
    )
    .await;
    let oa = app.account(&other.admin_token, "Evil Corp").await;
    let oc = app.contact(&other.admin_token, &oa, "Eve", "Evil").await;
    let op = create(app, &other.admin_token, "createPlan", "CreatePlanInput",
        json!({ "accountId": oa, "title": "Evil plan", "periodStart": day(-60), "periodEnd": day(300) }), "plan").await;
    let second = app.login("acme", "sam@acme.example", PASSWORD).await;

    let mut cursors = BTreeMap::new();
    for order in ["NAME_ASC", "NAME_DESC", "CREATED_AT_ASC", "CREATED_AT_DESC"] {
        let q = format!("{{ accounts(first: 5, orderBy: {order}) {{ edges {{ cursor }} }} }}");
        cursors
            .entry("Query.accounts".to_owned())
            .or_insert_with(Vec::new)
            .extend(cursors_of(app, &tok, &q, "accounts.edges").await);
    }
    for (target, q, path) in [
        (
            "Query.upcomingRenewals",
            "{ upcomingRenewals(withinDays: 365, first: 3) { edges { cursor } } }".to_owned(),
            "upcomingRenewals.edges",
        ),
        (
            "Viewer.accounts",
            "{ viewer { accounts(first: 5) { edges { cursor } } } }".to_owned(),
            "viewer.accounts.edges",
        ),
        (
            "Query.users",
            "{ users(first: 3) { edges { cursor } } }".to_owned(),
            "users.edges",
        ),
        (
            "Query.plans",
            "{ plans(first: 3) { edges { cursor } } }".to_owned(),
            "plans.edges",
        ),
        (
            "Query.overdueActions",
            "{ overdueActions(first: 3) { edges { cursor } } }".to_owned(),
            "overdueActions.edges",
        ),
        (
            "Account.contacts",
            format!("{{ account(id: \"{a}\") {{ contacts(first: 3) {{ edges {{ cursor }} }} }} }}"),
            "account.contacts.edges",
        ),
        (
            "Account.plans",
            format!("{{ account(id: \"{a}\") {{ plans(first: 3) {{ edges {{ cursor }} }} }} }}"),
            "account.plans.edges",
        ),
        (
            "Account.children",
            format!("{{ account(id: \"{a}\") {{ children(first: 3) {{ edges {{ cursor }} }} }} }}"),
            "account.children.edges",
        ),
        (
            "Account.activities",
            format!(
                "{{ account(id: \"{a}\") {{ activities(first: 3) {{ edges {{ cursor }} }} }} }}"
            ),
            "account.activities.edges",
        ),
    ] {
        let got = cursors_of(app, &tok, &q, path).await;
        assert!(!got.is_empty(), "no cursor for {target}");
        cursors.insert(target.to_owned(), got);
    }

    let ids = BTreeMap::from([
        ("account", a),
        ("contact", c),
        ("contact2", c2),
        ("plan", p),
        ("objective", o),
        ("growthTarget", g),
        ("product", pr),
        ("businessUnit", bu),
        ("actionItem", ai),
        ("activity", act),
        ("contract", k),
        ("influence", inf),
        ("opportunity", opp),
        ("insight", ins),
        ("competitor", comp),
        ("signal", sig),
        ("alert", alert),
        ("successCriterion", crit),
        ("valueChainLink", vlink),
        ("user", sam.id.clone()),
        ("viewer", vic.id.clone()),
    ]);
    Fx {
        admin: tok,
        admin_id: t.admin_id,
        viewer: vic.token,
        other_admin: other.admin_token,
        ids,
        foreign: vec![oa, oc, op, other.admin_id],
        refresh: BTreeMap::from([
            ("refresh", sam.refresh_token),
            ("logout", second.refresh_token),
        ]),
        cursors,
    }
}
