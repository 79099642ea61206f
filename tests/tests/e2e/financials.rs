//! Financial history (one entry per fiscal year, growth, trajectory) and
//! competitors (with the white-space cell that points to one): validated,
//! written by the account's writers, the same on both read paths,
//! tenant-scoped.

use crate::compiled::{both_paths, same};
use crate::helpers::*;
use serde_json::{Value, json};

const SET_YEAR: &str = "mutation($i: SetFinancialYearInput!) { setFinancialYear(input: $i) { financialYear { fiscalYear revenue { amount currency } marginPercent notes version } } }";
const REMOVE_YEAR: &str = "mutation($i: RemoveFinancialYearInput!) { removeFinancialYear(input: $i) { financialYear { fiscalYear } } }";
const YEARS: &str = "query($id: ID!) { account(id: $id) { trajectory financials { fiscalYear revenue { amount currency } growthPercent marginPercent notes } } }";

async fn year(app: &TestApp, token: &str, account: &str, fy: i32, amount: &str, cur: &str) -> Gql {
    app.graphql(
        Some(token),
        SET_YEAR,
        json!({ "i": { "accountId": account, "fiscalYear": fy, "revenue": { "amount": amount, "currency": cur } } }),
    )
    .await
}

async fn trajectory(app: &TestApp, token: &str, account: &str) -> Value {
    let v = same(app, token, YEARS, json!({ "id": account }), true).await;
    v["data"]["account"]["trajectory"].clone()
}

#[tokio::test]
async fn financial_years_give_growth_and_a_documented_trajectory() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    assert_eq!(trajectory(&app, admin, &a).await, Value::Null);
    year(&app, admin, &a, 2023, "1000000", "EUR")
        .await
        .data("setFinancialYear");
    assert_eq!(trajectory(&app, admin, &a).await, Value::Null, "one year");
    let r = app
        .graphql(
            Some(admin),
            SET_YEAR,
            json!({ "i": { "accountId": a, "fiscalYear": 2024, "revenue": { "amount": "1100000", "currency": "EUR" },
                "marginPercent": "12.5", "notes": "Acquired a competitor" } }),
        )
        .await;
    assert_eq!(
        r.data("setFinancialYear.financialYear"),
        &json!({ "fiscalYear": 2024, "revenue": { "amount": "1100000.00", "currency": "EUR" },
            "marginPercent": "12.50", "notes": "Acquired a competitor", "version": 1 })
    );
    assert_eq!(trajectory(&app, admin, &a).await, json!("GROWING"));
    // Set again: the year is replaced (version 2); 2025 flat after 2024.
    year(&app, admin, &a, 2024, "1000000", "EUR")
        .await
        .data("setFinancialYear");
    year(&app, admin, &a, 2025, "1010000", "EUR")
        .await
        .data("setFinancialYear");
    let v = same(&app, admin, YEARS, json!({ "id": a }), true).await;
    let acc = &v["data"]["account"];
    assert_eq!(acc["trajectory"], "STATIC");
    assert_eq!(
        acc["financials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| (y["fiscalYear"].clone(), y["growthPercent"].clone()))
            .collect::<Vec<_>>(),
        vec![
            (json!(2025), json!("1.00")),
            (json!(2024), json!("0.00")),
            (json!(2023), Value::Null)
        ]
    );
    assert_eq!(acc["financials"][1]["marginPercent"], Value::Null);
    // A steep fall in the latest year: declining.
    year(&app, admin, &a, 2026, "700000", "EUR")
        .await
        .data("setFinancialYear");
    assert_eq!(trajectory(&app, admin, &a).await, json!("DECLINING"));
    // The latest year in another currency has no run: no trajectory.
    year(&app, admin, &a, 2027, "900000", "USD")
        .await
        .data("setFinancialYear");
    assert_eq!(trajectory(&app, admin, &a).await, Value::Null);
    let r = app
        .graphql(
            Some(admin),
            REMOVE_YEAR,
            json!({ "i": { "accountId": a, "fiscalYear": 2027 } }),
        )
        .await;
    assert_eq!(
        r.data("removeFinancialYear.financialYear.fiscalYear"),
        &json!(2027)
    );
    assert_eq!(trajectory(&app, admin, &a).await, json!("DECLINING"));
    app.graphql(
        Some(admin),
        REMOVE_YEAR,
        json!({ "i": { "accountId": a, "fiscalYear": 2027 } }),
    )
    .await
    .assert_error("NOT_FOUND");

    let before = same(&app, admin, YEARS, json!({ "id": a }), true).await;
    for (input, field) in [
        (
            json!({ "accountId": a, "fiscalYear": 1800, "revenue": { "amount": "1", "currency": "EUR" } }),
            "input.fiscalYear",
        ),
        (
            json!({ "accountId": a, "fiscalYear": 2024, "revenue": { "amount": "-1", "currency": "EUR" } }),
            "input.revenue.amount",
        ),
        (
            json!({ "accountId": a, "fiscalYear": 2024, "revenue": { "amount": "1", "currency": "EUR" }, "marginPercent": "101" }),
            "input.marginPercent",
        ),
    ] {
        let r = app
            .graphql(Some(admin), SET_YEAR, json!({ "i": input }))
            .await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field);
    }
    assert_eq!(
        same(&app, admin, YEARS, json!({ "id": a }), true).await,
        before
    );

    let viewer = app.user(&t, "VIEWER", "vic").await;
    year(&app, &viewer.token, &a, 2020, "1", "EUR")
        .await
        .assert_error("FORBIDDEN");
    let b = app.tenant("initech").await;
    let r = year(&app, &b.admin_token, &a, 2020, "1", "EUR").await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.accountId");
    app.graphql(
        Some(&b.admin_token),
        REMOVE_YEAR,
        json!({ "i": { "accountId": a, "fiscalYear": 2024 } }),
    )
    .await
    .assert_error("NOT_FOUND");
}

const COMPETITOR: &str = "id name position offering notes version";

#[tokio::test]
async fn competitors_are_recorded_and_white_space_cells_point_to_them() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let a = app.account(admin, "Globex").await;
    let other = app.account(admin, "Initech").await;
    let add = format!(
        "mutation($i: AddCompetitorInput!) {{ addCompetitor(input: $i) {{ competitor {{ {COMPETITOR} }} }} }}"
    );
    let r = app
        .graphql(
            Some(admin),
            &add,
            json!({ "i": { "accountId": a, "name": "FastFreight", "position": "INCUMBENT", "offering": "Road freight" } }),
        )
        .await;
    let ff = r.str("addCompetitor.competitor.id");
    app.graphql(
        Some(admin),
        &add,
        json!({ "i": { "accountId": a, "name": "DataLog", "position": "NICHE" } }),
    )
    .await
    .data("addCompetitor");
    let elsewhere = app
        .graphql(
            Some(admin),
            &add,
            json!({ "i": { "accountId": other, "name": "Elsewhere", "position": "CHALLENGER" } }),
        )
        .await
        .str("addCompetitor.competitor.id");
    let r = app
        .graphql(
            Some(admin),
            &add,
            json!({ "i": { "accountId": a, "name": " ", "position": "NICHE" } }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.name");

    // A competitor-held cell names one of the account's competitors.
    let product = app
        .graphql(
            Some(admin),
            "mutation { createProduct(input: {name: \"Freight\"}) { product { id } } }",
            json!({}),
        )
        .await
        .str("createProduct.product.id");
    let unit = app
        .graphql(
            Some(admin),
            "mutation($a: ID!) { addBusinessUnit(input: {accountId: $a, name: \"HQ\", kind: DIVISION}) { businessUnit { id } } }",
            json!({ "a": a }),
        )
        .await
        .str("addBusinessUnit.businessUnit.id");
    let set = "mutation($i: SetWhiteSpaceCellInput!) { setWhiteSpaceCell(input: $i) { cell { status competitor competitorId } } }";
    let cell = |status: &str, competitor: &str| json!({ "i": { "accountId": a, "businessUnitId": unit, "productId": product, "status": status, "competitorId": competitor } });
    let r = app
        .graphql(Some(admin), set, cell("COMPETITOR_HELD", &ff))
        .await;
    assert_eq!(
        r.data("setWhiteSpaceCell.cell"),
        &json!({ "status": "COMPETITOR_HELD", "competitor": "FastFreight", "competitorId": ff })
    );
    for (status, competitor, code, field) in [
        (
            "OPPORTUNITY",
            ff.as_str(),
            "VALIDATION",
            "input.competitorId",
        ),
        (
            "COMPETITOR_HELD",
            elsewhere.as_str(),
            "VALIDATION",
            "input.competitorId",
        ),
    ] {
        let r = app
            .graphql(Some(admin), set, cell(status, competitor))
            .await;
        r.assert_error(code);
        assert_eq!(r.field(), field);
    }
    let missing = missing_id("Competitor");
    let r = app
        .graphql(Some(admin), set, cell("COMPETITOR_HELD", &missing))
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.competitorId");

    let q = "query($id: ID!) { account(id: $id) { competitors { name position offering } \
        whiteSpace { cells { competitor competitorDetails { name position } } } } }";
    let v = same(&app, admin, q, json!({ "id": a }), true).await;
    let acc = &v["data"]["account"];
    assert_eq!(
        acc["competitors"],
        json!([
            { "name": "DataLog", "position": "NICHE", "offering": null },
            { "name": "FastFreight", "position": "INCUMBENT", "offering": "Road freight" },
        ])
    );
    assert_eq!(
        acc["whiteSpace"]["cells"][0]["competitorDetails"],
        json!({ "name": "FastFreight", "position": "INCUMBENT" })
    );

    let upd = format!(
        "mutation($i: UpdateCompetitorInput!) {{ updateCompetitor(input: $i) {{ competitor {{ {COMPETITOR} }} }} }}"
    );
    let r = app
        .graphql(
            Some(admin),
            &upd,
            json!({ "i": { "id": ff, "position": "CHALLENGER", "offering": null, "notes": "Losing share" } }),
        )
        .await;
    let c = r.data("updateCompetitor.competitor");
    assert_eq!(
        (&c["position"], &c["offering"], &c["version"]),
        (&json!("CHALLENGER"), &Value::Null, &json!(2))
    );
    let b = app.tenant("initech").await;
    for (q, vars) in [
        (upd.as_str(), json!({ "i": { "id": ff, "name": "x" } })),
        (
            "mutation($i: CompetitorIdInput!) { removeCompetitor(input: $i) { competitor { id } } }",
            json!({ "i": { "id": ff } }),
        ),
    ] {
        app.graphql(Some(&b.admin_token), q, vars)
            .await
            .assert_error("NOT_FOUND");
    }
    let viewer = app.user(&t, "VIEWER", "vic").await;
    app.graphql(
        Some(&viewer.token),
        &upd,
        json!({ "i": { "id": ff, "name": "x" } }),
    )
    .await
    .assert_error("FORBIDDEN");

    // Removing it unlinks the cell, which keeps the name.
    app.graphql(
        Some(admin),
        "mutation($i: CompetitorIdInput!) { removeCompetitor(input: $i) { competitor { id } } }",
        json!({ "i": { "id": ff } }),
    )
    .await
    .data("removeCompetitor");
    let v = same(&app, admin, q, json!({ "id": a }), true).await;
    let acc = &v["data"]["account"];
    assert_eq!(acc["competitors"].as_array().unwrap().len(), 1);
    assert_eq!(
        acc["whiteSpace"]["cells"][0],
        json!({ "competitor": "FastFreight", "competitorDetails": null })
    );
}

#[tokio::test]
async fn a_page_with_financials_trajectory_and_competitors_costs_one_statement_each() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    for n in 0..10 {
        let a = app.account(admin, &format!("Account {n:02}")).await;
        for (fy, amount) in [(2024, 1000 + n * 100), (2025, 1000 + n * 10)] {
            year(&app, admin, &a, fy, &amount.to_string(), "EUR")
                .await
                .data("setFinancialYear");
        }
        app.graphql(
            Some(admin),
            "mutation($a: ID!) { addCompetitor(input: {accountId: $a, name: \"Rival\", position: CHALLENGER}) { competitor { id } } }",
            json!({ "a": a }),
        )
        .await
        .data("addCompetitor");
    }
    let q = "{ accounts(first: 50) { nodes { name trajectory financials { fiscalYear growthPercent } \
        competitors { name } } } }";
    let (fast, reference) = both_paths(&app, admin, q).await;
    // The page, the years (shared by financials and trajectory), the competitors.
    assert!(fast.statements() <= 3, "{}", fast.statements());
    assert!(reference.statements() <= 3, "{}", reference.statements());
    let v: Value = serde_json::from_value(fast.body.clone()).unwrap();
    let nodes = v["data"]["accounts"]["nodes"].as_array().unwrap();
    assert_eq!(nodes[0]["trajectory"], "STATIC");
    assert_eq!(nodes[9]["trajectory"], "DECLINING");
    assert_eq!(nodes[9]["financials"][0]["growthPercent"], "-42.63");
}
