//! Scalars as clients read them: date-times in RFC 3339 with at most
//! millisecond precision.

use crate::helpers::*;
use serde_json::{Value, json};

/// The digits after the seconds' decimal point (0 when there is none).
fn fraction_digits(t: &Value) -> usize {
    let s = t.as_str().unwrap_or_else(|| panic!("not a string: {t}"));
    assert!(
        chrono::DateTime::parse_from_rfc3339(s).is_ok(),
        "not RFC 3339: {s}"
    );
    s.split_once('.').map_or(0, |(_, f)| {
        f.chars().take_while(char::is_ascii_digit).count()
    })
}

fn instant(t: &Value) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(t.as_str().unwrap()).unwrap()
}

#[tokio::test]
async fn date_times_have_at_most_millisecond_precision() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let r = app
        .graphql(
            None,
            "mutation($i: LoginInput!) { login(input: $i) { expiresAt } }",
            json!({ "i": { "tenant": "acme", "email": "admin@acme.example", "password": PASSWORD } }),
        )
        .await;
    assert_eq!(
        fraction_digits(r.data("login.expiresAt")),
        0,
        "whole seconds, as the token's exp"
    );
    let a = app
        .graphql(
            Some(&t.admin_token),
            "mutation { createAccount(input: {name: \"Acme\"}) { account { id createdAt updatedAt } } }",
            json!({}),
        )
        .await;
    for f in ["createdAt", "updatedAt"] {
        assert!(fraction_digits(a.data(&format!("createAccount.account.{f}"))) <= 3);
    }
    let r = app
        .graphql(
            Some(&t.admin_token),
            "mutation($a: ID!) { logActivity(input: {accountId: $a, kind: CALL, occurredAt: \"2026-01-02T10:00:00.123456789Z\", summary: \"s\"}) { activity { occurredAt } } }",
            json!({ "a": a.str("createAccount.account.id") }),
        )
        .await;
    assert_eq!(
        instant(r.data("logActivity.activity.occurredAt")),
        instant(&json!("2026-01-02T10:00:00.123Z"))
    );
    assert_eq!(
        fraction_digits(r.data("logActivity.activity.occurredAt")),
        3
    );
    // Read back the same way, field by field and compiled.
    let r = app
        .graphql(
            Some(&t.admin_token),
            "query($id: ID!) { account(id: $id) { createdAt activities(first: 1) { nodes { occurredAt } } } }",
            json!({ "id": a.str("createAccount.account.id") }),
        )
        .await;
    assert_eq!(
        instant(r.data("account.activities.nodes.0.occurredAt")),
        instant(&json!("2026-01-02T10:00:00.123Z"))
    );
    assert_eq!(
        r.data("account.createdAt"),
        a.data("createAccount.account.createdAt")
    );
}

#[tokio::test]
async fn money_keeps_its_currencys_minor_digits_on_both_read_paths() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let token = &t.admin_token;
    for (amount, currency, written) in [
        ("1250000.50", "EUR", "1250000.50"),
        ("1250000.5", "EUR", "1250000.50"),
        ("1250000", "JPY", "1250000"),
        ("7.1", "BHD", "7.100"),
        ("0.0001", "USD", "0.0001"),
    ] {
        let r = app
            .graphql(
                Some(token),
                "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id annualRevenue { amount currency } } } }",
                json!({ "i": { "name": format!("Money {currency} {amount}"),
                        "annualRevenue": { "amount": amount, "currency": currency } } }),
            )
            .await;
        assert_eq!(
            r.data("createAccount.account.annualRevenue"),
            &json!({ "amount": written, "currency": currency })
        );
        let id = r.str("createAccount.account.id");
        // Field by field (first sight of the document), then compiled.
        let q = "query($id: ID!) { account(id: $id) { annualRevenue { amount currency } } }";
        for _ in 0..2 {
            let r = app.graphql(Some(token), q, json!({ "id": id })).await;
            assert_eq!(
                r.data("account.annualRevenue.amount"),
                &json!(written),
                "{amount} {currency}"
            );
        }
    }
}

#[tokio::test]
async fn a_decimal_sent_as_a_number_is_read_as_its_string_would_be() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let token = &t.admin_token;
    let create = "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { annualRevenue { amount } } } }";
    let input = |name: &str, amount: Value| json!({ "i": { "name": name, "annualRevenue": { "amount": amount, "currency": "EUR" } } });
    // Too many decimal places: refused alike, and nothing is created.
    for (name, amount) in [
        ("As string", json!("0.30000000000000004")),
        ("As number", json!(0.30000000000000004)),
    ] {
        let r = app.graphql(Some(token), create, input(name, amount)).await;
        r.assert_error("VALIDATION");
        assert_eq!(r.field(), "input.annualRevenue.amount", "{}", r.body);
    }
    assert_eq!(app.account_count(token).await, 0);
    // Exact either way.
    for (name, amount) in [
        ("Number", json!(1250000.5)),
        ("String", json!("1250000.5")),
        ("Small", json!(0.1)),
    ] {
        let r = app
            .graphql(Some(token), create, input(name, amount.clone()))
            .await;
        let want = if name == "Small" {
            "0.10"
        } else {
            "1250000.50"
        };
        assert_eq!(
            r.data("createAccount.account.annualRevenue.amount"),
            &json!(want),
            "{amount}"
        );
    }
}
