//! The top 20%: exchange rates (admins, dated, validated, tenant-scoped),
//! revenue ranks with ties, unranked accounts and their reasons, the
//! `topTwentyPercent` filter and the portfolio summary, the same on both
//! read paths and in a bounded number of statements.

use crate::compiled::{both_paths, same};
use crate::helpers::*;
use serde_json::{Value, json};
use std::collections::HashMap;

const SET: &str = "mutation($i: SetExchangeRateInput!) { setExchangeRate(input: $i) { exchangeRate { currency rate validFrom } } }";
const DELETE: &str = "mutation($i: DeleteExchangeRateInput!) { deleteExchangeRate(input: $i) { exchangeRate { currency rate validFrom } } }";
const RATES: &str =
    "{ viewer { tenant { defaultCurrency exchangeRates { currency rate validFrom } } } }";

async fn set(app: &TestApp, token: &str, currency: &str, rate: &str, from: &str) -> Gql {
    app.graphql(
        Some(token),
        SET,
        json!({ "i": { "currency": currency, "rate": rate, "validFrom": from } }),
    )
    .await
}

/// An account with revenue `amount` in `currency` (none when empty).
async fn revenue_account(
    app: &TestApp,
    token: &str,
    name: &str,
    amount: &str,
    cur: &str,
) -> String {
    let mut input = json!({ "name": name });
    if !amount.is_empty() {
        input["annualRevenue"] = json!({ "amount": amount, "currency": cur });
    }
    app.create_account(token, input)
        .await
        .str("createAccount.account.id")
}

fn day(offset: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(offset)).to_string()
}

#[tokio::test]
async fn exchange_rates_are_dated_admin_settings_of_one_tenant() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    let r = set(&app, admin, "USD", "0.9", "2020-01-01").await;
    assert_eq!(
        r.data("setExchangeRate.exchangeRate"),
        &json!({ "currency": "USD", "rate": "0.9", "validFrom": "2020-01-01" })
    );
    // The same currency and day again replaces the rate.
    set(&app, admin, "USD", "0.92", "2020-01-01")
        .await
        .data("setExchangeRate");
    set(&app, admin, "USD", "0.5", &day(400))
        .await
        .data("setExchangeRate");
    set(&app, admin, "CHF", "1.061234567", "2024-06-30")
        .await
        .data("setExchangeRate");
    let v = same(&app, admin, RATES, json!({}), true).await;
    assert_eq!(
        v["data"]["viewer"]["tenant"],
        json!({ "defaultCurrency": "EUR", "exchangeRates": [
            { "currency": "CHF", "rate": "1.061234567", "validFrom": "2024-06-30" },
            { "currency": "USD", "rate": "0.5", "validFrom": day(400) },
            { "currency": "USD", "rate": "0.92", "validFrom": "2020-01-01" },
        ]})
    );

    // Bad input: a clear error on the field, nothing written.
    for (cur, rate, field) in [
        ("EUR", "1", "input.currency"),
        ("XYZ", "1", "input.currency"),
        ("USD", "0", "input.rate"),
        ("USD", "-2", "input.rate"),
        ("USD", "0.0000000001", "input.rate"),
        ("USD", "2000000", "input.rate"),
    ] {
        let r = set(&app, admin, cur, rate, "2025-01-01").await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), field, "{cur} {rate}");
    }
    // Only admins set rates.
    for role in ["SALES_MANAGER", "ACCOUNT_MANAGER", "VIEWER"] {
        let u = app.user(&t, role, &role.to_lowercase()).await;
        set(&app, &u.token, "GBP", "1.1", "2025-01-01")
            .await
            .assert_error("FORBIDDEN");
        app.graphql(
            Some(&u.token),
            DELETE,
            json!({ "i": { "currency": "USD", "validFrom": "2020-01-01" } }),
        )
        .await
        .assert_error("FORBIDDEN");
        // ...and everyone reads them.
        let r = app.graphql(Some(&u.token), RATES, json!({})).await;
        assert_eq!(
            r.data("viewer.tenant.exchangeRates")
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }
    let after = app.graphql(Some(admin), RATES, json!({})).await;
    assert_eq!(after.data("viewer.tenant"), &v["data"]["viewer"]["tenant"]);

    // Another tenant sees none of them and cannot delete them.
    let b = app.tenant("globex").await;
    let r = same(&app, &b.admin_token, RATES, json!({}), true).await;
    assert_eq!(r["data"]["viewer"]["tenant"]["exchangeRates"], json!([]));
    let r = app
        .graphql(
            Some(&b.admin_token),
            DELETE,
            json!({ "i": { "currency": "USD", "validFrom": "2020-01-01" } }),
        )
        .await;
    r.assert_error("NOT_FOUND");
    assert_eq!(r.field(), "input.validFrom");

    let r = app
        .graphql(
            Some(admin),
            DELETE,
            json!({ "i": { "currency": "USD", "validFrom": "2020-01-01" } }),
        )
        .await;
    assert_eq!(
        r.data("deleteExchangeRate.exchangeRate.rate"),
        &json!("0.92")
    );
    let left = app.graphql(Some(admin), RATES, json!({})).await;
    assert_eq!(
        left.data("viewer.tenant.exchangeRates")
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

const RANKED: &str = "query($f: AccountFilter) { accounts(first: 50, filter: $f) { totalCount nodes { name \
    revenueRank isTopTwentyPercent revenueRanking { __typename rank rankedAccounts isTopTwentyPercent \
    convertedRevenue { amount currency } unrankedReason explanation } } } }";

const PORTFOLIO: &str = "{ portfolio { __typename currency activeAccounts rankedAccounts unrankedAccounts \
    topTwentyPercentAccounts revenue { amount currency } topTwentyPercentRevenue { amount } paretoRevenueShare } }";

/// name -> the account's node.
async fn ranked(app: &TestApp, token: &str, filter: Value) -> (HashMap<String, Value>, i64) {
    let v = same(app, token, RANKED, json!({ "f": filter }), true).await;
    let nodes = v["data"]["accounts"]["nodes"].as_array().unwrap();
    (
        nodes
            .iter()
            .map(|n| (n["name"].as_str().unwrap().to_owned(), n.clone()))
            .collect(),
        v["data"]["accounts"]["totalCount"].as_i64().unwrap(),
    )
}

#[tokio::test]
async fn the_top_twenty_percent_follow_the_documented_rule() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    set(&app, admin, "USD", "0.8", "2020-01-01")
        .await
        .data("setExchangeRate");
    // A rate from tomorrow on is not in effect yet.
    set(&app, admin, "USD", "5", &day(2))
        .await
        .data("setExchangeRate");
    for (name, amount, cur) in [
        ("A", "1000", "EUR"),
        ("B", "800", "EUR"),
        // 1000 USD at 0.8: 800 EUR, tied with B across currencies.
        ("C", "1000", "USD"),
        ("G", "300", "EUR"),
        ("H", "200", "EUR"),
        ("I", "100", "EUR"),
        ("J", "50", "EUR"),
        ("K", "40", "EUR"),
        ("L", "30", "EUR"),
        ("M", "20.5", "EUR"),
        ("D", "300", "GBP"),
        ("E", "", ""),
    ] {
        revenue_account(&app, admin, name, amount, cur).await;
    }
    let f = revenue_account(&app, admin, "F", "5000", "EUR").await;
    app.graphql(
        Some(admin),
        "mutation($i: AccountIdInput!) { archiveAccount(input: $i) { account { id } } }",
        json!({ "i": { "id": f } }),
    )
    .await
    .data("archiveAccount");

    let (all, n) = ranked(&app, admin, json!({ "includeArchived": true })).await;
    assert_eq!(n, 13);
    let rank = |name: &str| all[name]["revenueRank"].clone();
    // Ten ranked accounts: the top 20% are ranks 1 and 2 (ceil(10 / 5)),
    // the tie at rank 2 included, so three accounts.
    for (name, r, top) in [
        ("A", 1, true),
        ("B", 2, true),
        ("C", 2, true),
        ("G", 4, false),
        ("H", 5, false),
        ("M", 10, false),
    ] {
        assert_eq!(rank(name), json!(r), "{name}");
        assert_eq!(all[name]["isTopTwentyPercent"], json!(top), "{name}");
        assert_eq!(all[name]["revenueRanking"]["rank"], json!(r), "{name}");
        assert_eq!(all[name]["revenueRanking"]["rankedAccounts"], json!(10));
        assert_eq!(all[name]["revenueRanking"]["unrankedReason"], Value::Null);
    }
    assert_eq!(
        all["C"]["revenueRanking"]["convertedRevenue"],
        json!({ "amount": "800.00", "currency": "EUR" })
    );
    assert_eq!(
        all["M"]["revenueRanking"]["convertedRevenue"]["amount"],
        "20.50"
    );
    for (name, reason) in [
        ("D", "NO_EXCHANGE_RATE"),
        ("E", "NO_REVENUE"),
        ("F", "ARCHIVED"),
    ] {
        let r = &all[name]["revenueRanking"];
        assert_eq!(all[name]["revenueRank"], Value::Null, "{name}");
        assert_eq!(all[name]["isTopTwentyPercent"], json!(false), "{name}");
        assert_eq!(r["unrankedReason"], reason, "{name}");
        assert!(r["explanation"].as_str().unwrap().len() > 10, "{name}");
        assert_eq!(r["convertedRevenue"], Value::Null, "{name}");
        assert_eq!(r["__typename"], "RevenueRanking");
    }

    // The filter, ranked by the database, with its count.
    let (top, n) = ranked(&app, admin, json!({ "topTwentyPercent": true })).await;
    let mut names: Vec<&str> = top.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!((names, n), (vec!["A", "B", "C"], 3));
    let (rest, n) = ranked(&app, admin, json!({ "topTwentyPercent": false })).await;
    let mut names: Vec<&str> = rest.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        (names, n),
        (vec!["D", "E", "G", "H", "I", "J", "K", "L", "M"], 9)
    );

    let v = same(&app, admin, PORTFOLIO, json!({}), true).await;
    let p = &v["data"]["portfolio"];
    assert_eq!(
        (
            &p["activeAccounts"],
            &p["rankedAccounts"],
            &p["unrankedAccounts"],
            &p["topTwentyPercentAccounts"]
        ),
        (&json!(12), &json!(10), &json!(2), &json!(3))
    );
    assert_eq!(
        p["revenue"],
        json!({ "amount": "3340.50", "currency": "EUR" })
    );
    assert_eq!(p["topTwentyPercentRevenue"]["amount"], "2600.00");
    let share = p["paretoRevenueShare"].as_f64().unwrap();
    assert!((share - 2600.0 / 3340.5).abs() < 1e-9, "{share}");

    // A GBP rate ranks D (600 EUR: rank 4); the top stays A, B, C.
    set(&app, admin, "GBP", "2", "2021-01-01")
        .await
        .data("setExchangeRate");
    let (all, _) = ranked(&app, admin, json!({})).await;
    assert_eq!(all["D"]["revenueRank"], json!(4));
    assert_eq!(all["G"]["revenueRank"], json!(5));
    assert_eq!(all["D"]["revenueRanking"]["rankedAccounts"], json!(11));
    assert_eq!(all["A"]["isTopTwentyPercent"], json!(true));

    // Another tenant: nothing ranked, no share.
    let b = app.tenant("globex").await;
    let v = same(&app, &b.admin_token, PORTFOLIO, json!({}), true).await;
    assert_eq!(v["data"]["portfolio"]["rankedAccounts"], json!(0));
    assert_eq!(v["data"]["portfolio"]["paretoRevenueShare"], Value::Null);
    assert_eq!(v["data"]["portfolio"]["revenue"]["amount"], "0.00");
    let (none, n) = ranked(&app, &b.admin_token, json!({ "topTwentyPercent": true })).await;
    assert_eq!((none.len(), n), (0, 0));
}

#[tokio::test]
async fn ranks_match_competition_ranking_and_cost_one_statement_per_page() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let admin = t.admin_token.as_str();
    // 23 accounts with repeating revenues (ties of two and three).
    let mut revenues = Vec::new();
    for i in 0..23u64 {
        let r = (i * 37 % 11) * 100 + 100;
        revenues.push((format!("N{i:02}"), r as i64));
        revenue_account(&app, admin, &format!("N{i:02}"), &r.to_string(), "EUR").await;
    }
    let (all, _) = ranked(&app, admin, json!({})).await;
    let top_ranks = 23_u64.div_ceil(5) as i64;
    for (name, r) in &revenues {
        let expected = 1 + revenues.iter().filter(|(_, o)| o > r).count() as i64;
        assert_eq!(all[name]["revenueRank"], json!(expected), "{name}");
        assert_eq!(
            all[name]["isTopTwentyPercent"],
            json!(expected <= top_ranks),
            "{name}"
        );
    }

    // All three fields on a page: the page, the tenant, the ranking.
    let q = "{ accounts(first: 50) { nodes { id revenueRank isTopTwentyPercent \
        revenueRanking { rank convertedRevenue { amount } } } } }";
    let (fast, reference) = both_paths(&app, admin, q).await;
    assert!(fast.statements() <= 3, "{}", fast.statements());
    assert!(reference.statements() <= 3, "{}", reference.statements());
    // Through a relation (each account's parent): one more ranking read.
    let q = "{ accounts(first: 50) { nodes { revenueRank parent { revenueRank } } } }";
    let (fast, _) = both_paths(&app, admin, q).await;
    assert!(fast.statements() <= 6, "{}", fast.statements());
}
