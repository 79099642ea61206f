//! White space: the catalogue, business units, cells (upserted), totals by
//! currency, objective links, permissions, tenancy and batching.
//!
//! A business unit or objective that exists in the tenant but belongs to
//! another account is VALIDATION on its input field; an id that does not
//! resolve in the caller's tenant is NOT_FOUND on its input field.

use crate::helpers::*;
use serde_json::{Value, json};

const PRODUCT: &str = "mutation($i: CreateProductInput!) { createProduct(input: $i) { product { id name description active } } }";

const UPDATE_PRODUCT: &str = "mutation($i: UpdateProductInput!) { updateProduct(input: $i) { product { id name active version } } }";

const UNIT: &str = "mutation($i: AddBusinessUnitInput!) { addBusinessUnit(input: $i) { businessUnit { id name kind accountId } } }";

const SET: &str = "mutation($i: SetWhiteSpaceCellInput!) { setWhiteSpaceCell(input: $i) { cell { id status estimatedValue { amount currency } competitor notes objectiveId objective { title } businessUnit { name } product { name } version } whiteSpace { totals { currency serviced openOpportunity competitorHeld } } } }";

const MATRIX: &str = "query($id: ID!) { account(id: $id) { whiteSpace { rows { name kind } columns { name active } cells { businessUnit { name } product { name } status estimatedValue { amount currency } competitor notes } totals { currency serviced openOpportunity competitorHeld } } } }";

const PRODUCTS: &str = "query($all: Boolean) { products(includeInactive: $all) { name active } }";

async fn product(app: &TestApp, token: &str, name: &str) -> String {
    app.graphql(Some(token), PRODUCT, json!({ "i": { "name": name } }))
        .await
        .str("createProduct.product.id")
}

async fn unit(app: &TestApp, token: &str, account: &str, name: &str, kind: &str) -> String {
    app.graphql(
        Some(token),
        UNIT,
        json!({ "i": { "accountId": account, "name": name, "kind": kind } }),
    )
    .await
    .str("addBusinessUnit.businessUnit.id")
}

async fn set(app: &TestApp, token: &str, input: Value) -> Gql {
    app.graphql(Some(token), SET, json!({ "i": input })).await
}

fn cell(account: &str, unit: &str, product: &str, status: &str) -> Value {
    json!({ "accountId": account, "businessUnitId": unit, "productId": product, "status": status })
}

fn with(mut v: Value, extra: Value) -> Value {
    for (k, x) in extra.as_object().unwrap() {
        v[k] = x.clone();
    }
    v
}

fn eur(amount: &str) -> Value {
    json!({ "amount": amount, "currency": "EUR" })
}

async fn matrix(app: &TestApp, token: &str, account: &str) -> Value {
    app.graphql(Some(token), MATRIX, json!({ "id": account }))
        .await
        .data("account.whiteSpace")
        .clone()
}

/// Creates a plan of `account` with one objective (through the service, as
/// the admin of tenant `t`) and returns the objective's global id.
async fn objective(app: &TestApp, t: &Tenant, account: &str, title: &str) -> String {
    use domain::objective::ObjectiveInput;
    use domain::plan::PlanInput;
    use steward_api::services::plans;
    let p = domain::Principal {
        tenant_id: domain::TenantId(app.tenant_id(t).await),
        user_id: domain::UserId(uuid_of(&t.admin_id)),
        role: domain::user::Role::Admin,
        request: None,
    };
    let today = chrono::Utc::now().date_naive();
    // As a request would: in the tenant's scope (row-level security).
    persistence::rls::with_tenant(Some(p.tenant_id.0), async {
        let plan = plans::create_plan(
            &app.state.db,
            &p,
            domain::AccountId(uuid_of(account)),
            PlanInput {
                title: format!("Plan for {title}"),
                strategy_summary: None,
                period_start: today,
                period_end: today + chrono::Duration::days(300),
                owner_id: None,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("create plan: {}", e.detail()));
        let o = plans::add_objective(
            &app.state.db,
            &p,
            plan.id,
            ObjectiveInput {
                title: title.to_owned(),
                description: None,
                metric: Some("Revenue".into()),
                unit: Some("EUR".into()),
                baseline: None,
                target: Some(100_000.into()),
                current: None,
                confidence: None,
                due_date: Some(today + chrono::Duration::days(200)),
                owner_id: None,
                status: None,
            },
            None,
        )
        .await
        .unwrap_or_else(|e| panic!("add objective: {}", e.detail()));
        global_id("Objective", o.id)
    })
    .await
}

#[tokio::test]
async fn the_white_space_lists_units_products_cells_and_exact_totals_per_currency() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    // Columns are ordered by name, case-insensitively.
    let cloud = product(&app, &t.admin_token, "Cloud").await;
    let analytics = product(&app, &t.admin_token, "analytics").await;
    let billing = product(&app, &t.admin_token, "Billing").await;
    let retired = product(&app, &t.admin_token, "Mainframe").await;
    let unused = product(&app, &t.admin_token, "Fax").await;
    // Rows are ordered by name too.
    let retail = unit(&app, &t.admin_token, &a, "Retail", "DIVISION").await;
    let berlin = unit(&app, &t.admin_token, &a, "Berlin plant", "LOCATION").await;

    for (u, p, status, extra) in [
        (
            &retail,
            &cloud,
            "SERVICED",
            json!({ "estimatedValue": eur("100.50") }),
        ),
        (
            &berlin,
            &cloud,
            "SERVICED",
            json!({ "estimatedValue": eur("0.25"), "notes": " Since 2019 " }),
        ),
        (
            &retail,
            &analytics,
            "OPPORTUNITY",
            json!({ "estimatedValue": eur("2000.00") }),
        ),
        (
            &berlin,
            &billing,
            "COMPETITOR_HELD",
            json!({ "estimatedValue": eur("300.125"), "competitor": "Globex" }),
        ),
        (
            &retail,
            &billing,
            "NOT_APPLICABLE",
            json!({ "estimatedValue": eur("999") }),
        ),
        (
            &berlin,
            &analytics,
            "OPPORTUNITY",
            json!({ "estimatedValue": { "amount": "50", "currency": "USD" } }),
        ),
        (&berlin, &retired, "OPPORTUNITY", json!({})),
    ] {
        set(&app, &t.admin_token, with(cell(&a, u, p, status), extra))
            .await
            .data("setWhiteSpaceCell.cell");
    }
    // A retired product keeps its cells and column here; an unused retired
    // product disappears from the matrix.
    for id in [&retired, &unused] {
        app.graphql(
            Some(&t.admin_token),
            UPDATE_PRODUCT,
            json!({ "i": { "id": id, "active": false } }),
        )
        .await
        .data("updateProduct");
    }

    let ws = matrix(&app, &t.admin_token, &a).await;
    assert_eq!(
        ws["rows"],
        json!([{ "name": "Berlin plant", "kind": "LOCATION" }, { "name": "Retail", "kind": "DIVISION" }])
    );
    assert_eq!(
        ws["columns"],
        json!([
            { "name": "analytics", "active": true },
            { "name": "Billing", "active": true },
            { "name": "Cloud", "active": true },
            { "name": "Mainframe", "active": false },
        ])
    );
    let cells: Vec<(String, String, String)> = ws["cells"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["businessUnit"]["name"].as_str().unwrap().to_owned(),
                c["product"]["name"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let expected = [
        ("Berlin plant", "analytics", "OPPORTUNITY"),
        ("Berlin plant", "Billing", "COMPETITOR_HELD"),
        ("Berlin plant", "Cloud", "SERVICED"),
        ("Berlin plant", "Mainframe", "OPPORTUNITY"),
        ("Retail", "analytics", "OPPORTUNITY"),
        ("Retail", "Billing", "NOT_APPLICABLE"),
        ("Retail", "Cloud", "SERVICED"),
    ];
    assert_eq!(
        cells,
        expected
            .iter()
            .map(|(u, p, s)| (u.to_string(), p.to_string(), s.to_string()))
            .collect::<Vec<_>>()
    );
    let held = &ws["cells"][1];
    assert_eq!(held["competitor"], "Globex");
    assert_eq!(
        held["estimatedValue"],
        json!({ "amount": "300.125", "currency": "EUR" })
    );
    assert_eq!(ws["cells"][2]["notes"], "Since 2019");
    assert_eq!(ws["cells"][3]["estimatedValue"], Value::Null);
    assert_eq!(
        ws["totals"],
        json!([
            { "currency": "EUR", "serviced": "100.75", "openOpportunity": "2000.00", "competitorHeld": "300.125" },
            { "currency": "USD", "serviced": "0.00", "openOpportunity": "50.00", "competitorHeld": "0.00" },
        ])
    );

    // The catalogue, by name; inactive products on request.
    let r = app.graphql(Some(&t.admin_token), PRODUCTS, json!({})).await;
    assert_eq!(
        r.data("products"),
        &json!([
            { "name": "analytics", "active": true },
            { "name": "Billing", "active": true },
            { "name": "Cloud", "active": true },
        ])
    );
    let r = app
        .graphql(Some(&t.admin_token), PRODUCTS, json!({ "all": true }))
        .await;
    assert_eq!(r.data("products").as_array().unwrap().len(), 5);

    // Products, business units and cells are nodes.
    let cell_id = set(&app, &t.admin_token, cell(&a, &retail, &cloud, "SERVICED"))
        .await
        .str("setWhiteSpaceCell.cell.id");
    for (id, name) in [(&cloud, "Cloud"), (&retail, "Retail")] {
        let r = app
            .graphql(
                Some(&t.admin_token),
                "query($id: ID!) { node(id: $id) { ... on Product { name } ... on BusinessUnit { name } } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(r.data("node.name"), &json!(name));
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { node(id: $id) { ... on WhiteSpaceCell { status product { name } businessUnit { name } } } }",
            json!({ "id": cell_id }),
        )
        .await;
    assert_eq!(
        r.data("node"),
        &json!({ "status": "SERVICED", "product": { "name": "Cloud" }, "businessUnit": { "name": "Retail" } })
    );
    // An account without business units has an empty white space.
    let empty = app.account(&t.admin_token, "Empty").await;
    let ws = matrix(&app, &t.admin_token, &empty).await;
    assert_eq!(ws["rows"], json!([]));
    assert_eq!(ws["cells"], json!([]));
    assert_eq!(ws["totals"], json!([]));
    assert_eq!(ws["columns"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn setting_a_cell_again_replaces_it() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = product(&app, &t.admin_token, "Cloud").await;
    let u = unit(&app, &t.admin_token, &a, "Retail", "BUSINESS_UNIT").await;
    let o = objective(&app, &t, &a, "Win Retail's cloud").await;

    let first = set(
        &app,
        &t.admin_token,
        with(
            cell(&a, &u, &p, "OPPORTUNITY"),
            json!({ "estimatedValue": eur("1200.5"), "notes": "Pilot in Q3", "objectiveId": o }),
        ),
    )
    .await;
    let c = first.data("setWhiteSpaceCell.cell").clone();
    assert_eq!(c["version"], 1);
    assert_eq!(c["objectiveId"], json!(o));
    assert_eq!(c["objective"]["title"], "Win Retail's cloud");
    assert_eq!(c["businessUnit"]["name"], "Retail");
    assert_eq!(c["product"]["name"], "Cloud");
    assert_eq!(
        first.data("setWhiteSpaceCell.whiteSpace.totals"),
        &json!([{ "currency": "EUR", "serviced": "0.00", "openOpportunity": "1200.50", "competitorHeld": "0.00" }])
    );

    // Setting the same (unit, product) again replaces the whole cell.
    let second = set(
        &app,
        &t.admin_token,
        with(
            cell(&a, &u, &p, "COMPETITOR_HELD"),
            json!({ "competitor": "Initech" }),
        ),
    )
    .await;
    let d = second.data("setWhiteSpaceCell.cell").clone();
    assert_eq!(d["id"], c["id"], "the same cell");
    assert_eq!(d["version"], 2);
    assert_eq!(d["status"], "COMPETITOR_HELD");
    assert_eq!(d["competitor"], "Initech");
    assert_eq!(d["estimatedValue"], Value::Null);
    assert_eq!(d["notes"], Value::Null);
    assert_eq!(d["objectiveId"], Value::Null);
    assert_eq!(
        second.data("setWhiteSpaceCell.whiteSpace.totals"),
        &json!([])
    );
    let ws = matrix(&app, &t.admin_token, &a).await;
    assert_eq!(ws["cells"].as_array().unwrap().len(), 1);
    assert_eq!(ws["cells"][0]["status"], "COMPETITOR_HELD");
}

#[tokio::test]
async fn cell_content_is_validated_and_a_rejected_cell_changes_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = product(&app, &t.admin_token, "Cloud").await;
    let u = unit(&app, &t.admin_token, &a, "Retail", "BUSINESS_UNIT").await;
    for (status, extra, field) in [
        ("COMPETITOR_HELD", json!({}), "input.competitor"),
        (
            "COMPETITOR_HELD",
            json!({ "competitor": "   " }),
            "input.competitor",
        ),
        (
            "SERVICED",
            json!({ "competitor": "Globex" }),
            "input.competitor",
        ),
        (
            "SERVICED",
            json!({ "estimatedValue": eur("-1") }),
            "input.estimatedValue.amount",
        ),
        (
            "SERVICED",
            json!({ "estimatedValue": eur("0.00001") }),
            "input.estimatedValue.amount",
        ),
        (
            "SERVICED",
            json!({ "estimatedValue": { "amount": "1", "currency": "euro" } }),
            "input.estimatedValue.currency",
        ),
        (
            "SERVICED",
            json!({ "notes": "x".repeat(5001) }),
            "input.notes",
        ),
    ] {
        let r = set(&app, &t.admin_token, with(cell(&a, &u, &p, status), extra)).await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field, "{}", r.body);
    }
    // Names are required; duplicates (case-insensitive) conflict.
    let r = app
        .graphql(
            Some(&t.admin_token),
            PRODUCT,
            json!({ "i": { "name": " " } }),
        )
        .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.name");
    let r = app
        .graphql(
            Some(&t.admin_token),
            PRODUCT,
            json!({ "i": { "name": " cloud " } }),
        )
        .await;
    r.assert_error("CONFLICT");
    assert_eq!(r.field(), "input.name");
    let r = app
        .graphql(
            Some(&t.admin_token),
            UNIT,
            json!({ "i": { "accountId": a, "name": "RETAIL" } }),
        )
        .await;
    r.assert_error("CONFLICT");
    assert_eq!(r.field(), "input.name");
    // The same unit name is fine in another account; the kind defaults.
    let b = app.account(&t.admin_token, "Beta").await;
    let r = app
        .graphql(
            Some(&t.admin_token),
            UNIT,
            json!({ "i": { "accountId": b, "name": "Retail" } }),
        )
        .await;
    assert_eq!(
        r.data("addBusinessUnit.businessUnit.kind"),
        &json!("BUSINESS_UNIT")
    );

    let ws = matrix(&app, &t.admin_token, &a).await;
    assert_eq!(ws["cells"], json!([]), "nothing was written");
    let r = app
        .graphql(Some(&t.admin_token), PRODUCTS, json!({ "all": true }))
        .await;
    assert_eq!(r.data("products").as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn units_and_objectives_must_belong_to_the_account_of_the_cell() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let b = app.account(&t.admin_token, "Beta").await;
    let p = product(&app, &t.admin_token, "Cloud").await;
    let ua = unit(&app, &t.admin_token, &a, "Retail", "BUSINESS_UNIT").await;
    let ub = unit(&app, &t.admin_token, &b, "Wholesale", "BUSINESS_UNIT").await;
    let oa = objective(&app, &t, &a, "Grow Acme").await;
    let ob = objective(&app, &t, &b, "Grow Beta").await;

    // A unit of another account of the tenant: VALIDATION (it exists, it
    // just is not a row of this account's white space).
    let r = set(&app, &t.admin_token, cell(&a, &ub, &p, "SERVICED")).await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.businessUnitId");
    // An objective of another account's plan: VALIDATION.
    let r = set(
        &app,
        &t.admin_token,
        with(
            cell(&a, &ua, &p, "OPPORTUNITY"),
            json!({ "objectiveId": ob }),
        ),
    )
    .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.objectiveId");
    // Only OPPORTUNITY cells link to an objective.
    let r = set(
        &app,
        &t.admin_token,
        with(cell(&a, &ua, &p, "SERVICED"), json!({ "objectiveId": oa })),
    )
    .await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.objectiveId");
    // Ids that resolve to nothing: NOT_FOUND naming the field.
    for (input, field) in [
        (
            with(
                cell(&a, &ua, &p, "OPPORTUNITY"),
                json!({ "objectiveId": missing_id("Objective") }),
            ),
            "input.objectiveId",
        ),
        (
            cell(&a, &missing_id("BusinessUnit"), &p, "SERVICED"),
            "input.businessUnitId",
        ),
        (
            cell(&a, &ua, &missing_id("Product"), "SERVICED"),
            "input.productId",
        ),
        (
            cell(&missing_id("Account"), &ua, &p, "SERVICED"),
            "input.accountId",
        ),
        // An id of another kind resolves to nothing either.
        (cell(&a, &ua, &ua, "SERVICED"), "input.productId"),
    ] {
        let r = set(&app, &t.admin_token, input).await;
        r.assert_error("NOT_FOUND");
        assert_eq!(r.field(), field);
    }
    // A malformed id is VALIDATION.
    let r = set(&app, &t.admin_token, cell(&a, "nope", &p, "SERVICED")).await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.businessUnitId");
    assert_eq!(matrix(&app, &t.admin_token, &a).await["cells"], json!([]));
    assert_eq!(matrix(&app, &t.admin_token, &b).await["cells"], json!([]));

    // The objective of the account's own plan links.
    let r = set(
        &app,
        &t.admin_token,
        with(
            cell(&a, &ua, &p, "OPPORTUNITY"),
            json!({ "objectiveId": oa }),
        ),
    )
    .await;
    assert_eq!(
        r.data("setWhiteSpaceCell.cell.objective.title"),
        &json!("Grow Acme")
    );
}

#[tokio::test]
async fn only_writers_of_the_account_set_cells_and_only_managers_keep_the_catalogue() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let viewer = app.user(&t, "VIEWER", "vic").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    let sm = app.user(&t, "SALES_MANAGER", "sam").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let mine = app.account(&am.token, "Mine").await;
    let p = product(&app, &t.admin_token, "Cloud").await;
    let u = unit(&app, &t.admin_token, &a, "Retail", "BUSINESS_UNIT").await;

    // The catalogue: admins and sales managers.
    for token in [&viewer.token, &am.token] {
        let r = app
            .graphql(Some(token), PRODUCT, json!({ "i": { "name": "Edge" } }))
            .await;
        r.assert_error("FORBIDDEN");
        app.graphql(
            Some(token),
            UPDATE_PRODUCT,
            json!({ "i": { "id": p, "active": false } }),
        )
        .await
        .assert_error("FORBIDDEN");
    }
    let r = app
        .graphql(
            Some(&sm.token),
            PRODUCT,
            json!({ "i": { "name": "Edge", "description": "CDN" } }),
        )
        .await;
    assert_eq!(r.data("createProduct.product.description"), &json!("CDN"));
    // Everyone reads it.
    let r = app.graphql(Some(&viewer.token), PRODUCTS, json!({})).await;
    assert_eq!(r.data("products").as_array().unwrap().len(), 2);

    // Business units and cells: writers of the account.
    let add_unit = |acc: &str| json!({ "i": { "accountId": acc, "name": "Logistics" } });
    app.graphql(Some(&viewer.token), UNIT, add_unit(&a))
        .await
        .assert_error("FORBIDDEN");
    app.graphql(Some(&am.token), UNIT, add_unit(&a))
        .await
        .assert_error("FORBIDDEN");
    set(&app, &viewer.token, cell(&a, &u, &p, "SERVICED"))
        .await
        .assert_error("FORBIDDEN");
    set(&app, &am.token, cell(&a, &u, &p, "SERVICED"))
        .await
        .assert_error("FORBIDDEN");
    assert_eq!(matrix(&app, &viewer.token, &a).await["cells"], json!([]));
    assert_eq!(
        matrix(&app, &viewer.token, &a).await["rows"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // The account manager writes the white space of their own account, the
    // sales manager any.
    let own_unit = unit(&app, &am.token, &mine, "Head office", "LOCATION").await;
    set(&app, &am.token, cell(&mine, &own_unit, &p, "SERVICED"))
        .await
        .data("setWhiteSpaceCell.cell");
    set(&app, &sm.token, cell(&a, &u, &p, "OPPORTUNITY"))
        .await
        .data("setWhiteSpaceCell.cell");
    assert_eq!(
        matrix(&app, &viewer.token, &a).await["cells"][0]["status"],
        "OPPORTUNITY"
    );
    // Signed out: nothing.
    app.graphql(None, PRODUCTS, json!({}))
        .await
        .assert_error("UNAUTHENTICATED");
}

#[tokio::test]
async fn another_tenants_ids_are_not_found_and_change_nothing() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let a = app.account(&t.admin_token, "Acme").await;
    let p = product(&app, &t.admin_token, "Cloud").await;
    let u = unit(&app, &t.admin_token, &a, "Retail", "BUSINESS_UNIT").await;
    let o = objective(&app, &t, &a, "Grow Acme").await;
    set(
        &app,
        &t.admin_token,
        with(
            cell(&a, &u, &p, "SERVICED"),
            json!({ "estimatedValue": eur("10") }),
        ),
    )
    .await
    .data("setWhiteSpaceCell");
    let before = matrix(&app, &t.admin_token, &a).await;

    let other = app.tenant("other").await;
    let theirs = app.account(&other.admin_token, "Theirs").await;
    let their_product = product(&app, &other.admin_token, "Cloud").await;
    let their_unit = unit(&app, &other.admin_token, &theirs, "Retail", "BUSINESS_UNIT").await;
    let tok = &other.admin_token;
    for (input, field) in [
        (cell(&a, &u, &p, "SERVICED"), "input.accountId"),
        (
            cell(&theirs, &u, &their_product, "SERVICED"),
            "input.businessUnitId",
        ),
        (
            cell(&theirs, &their_unit, &p, "SERVICED"),
            "input.productId",
        ),
        (
            with(
                cell(&theirs, &their_unit, &their_product, "OPPORTUNITY"),
                json!({ "objectiveId": o }),
            ),
            "input.objectiveId",
        ),
    ] {
        let r = set(&app, tok, input).await;
        r.assert_error("NOT_FOUND");
        assert_eq!(r.field(), field);
    }
    let r = app
        .graphql(
            Some(tok),
            UNIT,
            json!({ "i": { "accountId": a, "name": "Sneaky" } }),
        )
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.accountId");
    let r = app
        .graphql(
            Some(tok),
            UPDATE_PRODUCT,
            json!({ "i": { "id": p, "name": "Hijacked" } }),
        )
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.id");
    for id in [&p, &u] {
        app.graphql(
            Some(tok),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": id }),
        )
        .await
        .assert_error("NOT_FOUND");
    }
    app.graphql(Some(tok), MATRIX, json!({ "id": a }))
        .await
        .assert_error("NOT_FOUND");

    // Each tenant sees its own catalogue and white space only.
    let r = app
        .graphql(Some(tok), PRODUCTS, json!({ "all": true }))
        .await;
    assert_eq!(
        r.data("products"),
        &json!([{ "name": "Cloud", "active": true }])
    );
    let ws = matrix(&app, tok, &theirs).await;
    assert_eq!(ws["cells"], json!([]));
    assert_eq!(
        ws["rows"],
        json!([{ "name": "Retail", "kind": "BUSINESS_UNIT" }])
    );
    assert_eq!(
        matrix(&app, &t.admin_token, &a).await,
        before,
        "nothing changed"
    );
    let r = app
        .graphql(Some(&t.admin_token), PRODUCTS, json!({ "all": true }))
        .await;
    assert_eq!(
        r.data("products"),
        &json!([{ "name": "Cloud", "active": true }])
    );
}

const PAGE: &str = "query { accounts(first: 20) { nodes { whiteSpace { cells { status } totals { serviced } } } } }";

const FULL_PAGE: &str = "query { accounts(first: 20) { nodes { name whiteSpace { rows { name } columns { name } cells { status businessUnit { name } product { name } estimatedValue { amount } } totals { currency serviced openOpportunity competitorHeld } } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_page_of_white_spaces_costs_the_same_few_statements_alone_and_under_concurrency() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let products = [
        product(&app, &t.admin_token, "Cloud").await,
        product(&app, &t.admin_token, "Analytics").await,
        product(&app, &t.admin_token, "Billing").await,
    ];
    let statuses = ["SERVICED", "OPPORTUNITY", "NOT_APPLICABLE"];
    for i in 0..12 {
        let a = app
            .account(&t.admin_token, &format!("Account {i:02}"))
            .await;
        for j in 0..2 {
            let u = unit(&app, &t.admin_token, &a, &format!("Unit {j}"), "DIVISION").await;
            for (k, p) in products.iter().enumerate() {
                set(
                    &app,
                    &t.admin_token,
                    with(
                        cell(&a, &u, p, statuses[(i + j + k) % 3]),
                        json!({ "estimatedValue": eur(&format!("{}.5", i + k)) }),
                    ),
                )
                .await
                .data("setWhiteSpaceCell");
            }
        }
    }

    let r = app.graphql(Some(&t.admin_token), PAGE, json!({})).await;
    let nodes = r.data("accounts.nodes").as_array().unwrap().clone();
    assert_eq!(nodes.len(), 12);
    assert!(
        nodes
            .iter()
            .all(|n| n["whiteSpace"]["cells"].as_array().unwrap().len() == 6)
    );
    assert!(
        nodes
            .iter()
            .all(|n| n["whiteSpace"]["totals"].as_array().unwrap().len() == 1)
    );
    // The accounts, then their cells (totals are computed from the cells).
    let n = r.statements();
    assert_eq!(n, 2, "one statement per relation, whatever the page size");
    let runs = (0..8).map(|_| app.graphql(Some(&t.admin_token), PAGE, json!({})));
    for r in futures::future::join_all(runs).await {
        assert_eq!(r.data("accounts.nodes").as_array().unwrap().len(), 12);
        assert_eq!(r.statements(), n, "batching must not depend on timing");
    }

    // Everything of the matrix: accounts, cells, business units, catalogue,
    // and the cells' units and products by id (the compiled path reads each
    // relation by key, one statement per relation and level; async-graphql's
    // loaders find them among the units and catalogue: 4).
    app.graphql(Some(&t.admin_token), FULL_PAGE, json!({}))
        .await;
    let r = app
        .graphql(Some(&t.admin_token), FULL_PAGE, json!({}))
        .await;
    assert_eq!(r.execution(), "compiled");
    let first = r.data("accounts.nodes.0.whiteSpace").clone();
    assert_eq!(first["rows"].as_array().unwrap().len(), 2);
    assert_eq!(first["columns"].as_array().unwrap().len(), 3);
    assert!(first["cells"][0]["businessUnit"]["name"].is_string());
    let full = r.statements();
    assert_eq!(full, 6);
    let runs = (0..8).map(|_| app.graphql(Some(&t.admin_token), FULL_PAGE, json!({})));
    for r in futures::future::join_all(runs).await {
        assert_eq!(r.statements(), full);
    }
}
