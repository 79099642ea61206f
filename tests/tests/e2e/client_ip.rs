//! The client address behind a reverse proxy (`--trusted-proxies`): the
//! login rate limit counts per client, not per proxy, and only trusted
//! proxies' forwarding headers are believed.

use crate::helpers::*;
use serde_json::json;

const LOGIN: &str = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }";

/// A login (with a wrong password: fast, and fewer than the lock-out's free
/// failures per e-mail) sent with `X-Forwarded-For: forwarded_for`.
async fn login_via(app: &TestApp, forwarded_for: &str, email: &str) -> Gql {
    let resp = app
        .client
        .post(&app.url)
        .header("content-type", "application/json")
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({
            "query": LOGIN,
            "variables": { "i": { "tenant": "acme", "email": email, "password": "wrong password!!" } },
        }))
        .send()
        .await
        .unwrap();
    Gql {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        body: resp.json().await.unwrap(),
    }
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_login_quota() {
    let app = spawn_app_with(|c| {
        c.login_rate_limit_per_minute = 2;
        c.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    // The test talks to the server from 127.0.0.1: the "proxy".
    for i in 0..2 {
        login_via(&app, "198.51.100.1", &format!("a{i}@acme.example"))
            .await
            .assert_error("UNAUTHENTICATED");
    }
    login_via(&app, "198.51.100.1", "a2@acme.example")
        .await
        .assert_error("RATE_LIMITED");
    // Another client behind the same proxy has a quota of its own ...
    login_via(&app, "198.51.100.2", "b@acme.example")
        .await
        .assert_error("UNAUTHENTICATED");
    // ... and an address the client writes itself (the proxy appends the
    // address it saw, right of it; only that one counts) changes nothing.
    login_via(&app, "203.0.113.77, 198.51.100.2", "c@acme.example")
        .await
        .assert_error("UNAUTHENTICATED");
    login_via(&app, "203.0.113.78, 198.51.100.1", "d@acme.example")
        .await
        .assert_error("RATE_LIMITED");
    // An unreadable header counts against the proxy's own address.
    for i in 0..2 {
        login_via(&app, "not an address", &format!("e{i}@acme.example"))
            .await
            .assert_error("UNAUTHENTICATED");
    }
    login_via(&app, "not an address", "e2@acme.example")
        .await
        .assert_error("RATE_LIMITED");
}

#[tokio::test]
async fn without_trusted_proxies_a_spoofed_forwarding_header_is_ignored() {
    let app = spawn_app_with(|c| c.login_rate_limit_per_minute = 2).await;
    login_via(&app, "198.51.100.1", "a@acme.example")
        .await
        .assert_error("UNAUTHENTICATED");
    login_via(&app, "198.51.100.2", "b@acme.example")
        .await
        .assert_error("UNAUTHENTICATED");
    // A third "client" is the same TCP peer: the quota is spent.
    let r = login_via(&app, "198.51.100.3", "c@acme.example").await;
    r.assert_error("RATE_LIMITED");
    assert!(r.headers.contains_key("retry-after"));
}

#[tokio::test]
async fn a_peer_that_is_not_a_trusted_proxy_cannot_pick_its_address() {
    let app = spawn_app_with(|c| {
        c.login_rate_limit_per_minute = 1;
        c.trusted_proxies = vec!["10.0.0.0/8".parse().unwrap()];
    })
    .await;
    login_via(&app, "198.51.100.1", "a@acme.example")
        .await
        .assert_error("UNAUTHENTICATED");
    login_via(&app, "198.51.100.2", "b@acme.example")
        .await
        .assert_error("RATE_LIMITED");
}
