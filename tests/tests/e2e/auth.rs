//! Login, tokens, refresh rotation, deactivation.

use crate::helpers::*;
use jsonwebtoken::{EncodingKey, Header};
use serde_json::json;

const VIEWER_Q: &str = "{ viewer { user { email role } } }";

#[tokio::test]
async fn login_with_good_credentials_returns_tokens_and_the_user() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let r = app.graphql(Some(&t.admin_token), VIEWER_Q, json!({})).await;
    assert_eq!(r.str("viewer.user.email"), "admin@acme.example");
    assert_eq!(r.str("viewer.user.role"), "ADMIN");
    let r = app
        .graphql(
            None,
            "mutation { login(input: {tenant: \"acme\", email: \"ADMIN@acme.example\", password: \"correct horse battery staple\"}) { expiresAt refreshToken user { role } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        r.str("login.user.role"),
        "ADMIN",
        "e-mail is case-insensitive"
    );
    let exp = chrono::DateTime::parse_from_rfc3339(&r.str("login.expiresAt")).unwrap();
    let ttl = exp.signed_duration_since(chrono::Utc::now()).num_seconds();
    assert!(
        (800..=900).contains(&ttl),
        "15 minute access tokens, got {ttl}s"
    );
}

#[tokio::test]
async fn failed_logins_look_the_same_whatever_was_wrong() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    let q = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }";
    let mut messages = Vec::new();
    for (tenant, email, pw) in [
        ("acme", "admin@acme.example", "wrong password!!"),
        ("acme", "nobody@acme.example", PASSWORD),
        ("nope", "admin@acme.example", PASSWORD),
    ] {
        let r = app
            .graphql(
                None,
                q,
                json!({ "i": { "tenant": tenant, "email": email, "password": pw } }),
            )
            .await;
        r.assert_error("UNAUTHENTICATED");
        assert!(r.body["data"].is_null());
        messages.push(r.body["errors"][0]["message"].clone());
    }
    assert!(messages.windows(2).all(|w| w[0] == w[1]), "{messages:?}");
}

fn token_with(claims: serde_json::Value, secret: &str, alg: jsonwebtoken::Algorithm) -> String {
    jsonwebtoken::encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .unwrap()
}

fn claims_for(app_user_id: &str, tenant_token: &str) -> serde_json::Value {
    // Take sub/tid from a real token, then vary the rest.
    use base64::Engine;
    let payload = tenant_token.split('.').nth(1).unwrap();
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap();
    let mut c: serde_json::Value = serde_json::from_slice(&raw).unwrap();
    assert_eq!(
        c["sub"],
        json!(uuid_of(app_user_id).to_string()),
        "sub is the user"
    );
    c["exp"] = json!(chrono::Utc::now().timestamp() + 600);
    c
}

#[tokio::test]
async fn expired_tampered_foreign_and_unsigned_tokens_are_refused() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let base = claims_for(&t.admin_id, &t.admin_token);

    let good = token_with(base.clone(), JWT_SECRET, jsonwebtoken::Algorithm::HS256);
    app.graphql(Some(&good), VIEWER_Q, json!({}))
        .await
        .data("viewer");

    let mut expired = base.clone();
    expired["exp"] = json!(chrono::Utc::now().timestamp() - 3600);
    expired["iat"] = json!(chrono::Utc::now().timestamp() - 7200);
    let mut wrong_iss = base.clone();
    wrong_iss["iss"] = json!("someone-else");
    let mut wrong_aud = base.clone();
    wrong_aud["aud"] = json!("another-api");
    let mut as_admin_elsewhere = base.clone();
    as_admin_elsewhere["tid"] = json!(uuid::Uuid::now_v7());

    // Change the claims without re-signing.
    let parts: Vec<&str> = good.split('.').collect();
    let tampered = {
        use base64::Engine;
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let mut c: serde_json::Value =
            serde_json::from_slice(&e.decode(parts[1]).unwrap()).unwrap();
        c["role"] = json!("VIEWER");
        c["sub"] = json!(uuid::Uuid::now_v7());
        format!(
            "{}.{}.{}",
            parts[0],
            e.encode(serde_json::to_vec(&c).unwrap()),
            parts[2]
        )
    };
    let alg_none = {
        use base64::Engine;
        let e = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        format!(
            "{}.{}.",
            e.encode(br#"{"alg":"none","typ":"JWT"}"#),
            e.encode(serde_json::to_vec(&base).unwrap())
        )
    };
    let cases = [
        (
            "expired",
            token_with(expired, JWT_SECRET, jsonwebtoken::Algorithm::HS256),
        ),
        (
            "wrong key",
            token_with(
                base.clone(),
                "another-secret-0123456789abcdef0123456789",
                jsonwebtoken::Algorithm::HS256,
            ),
        ),
        (
            "wrong alg",
            token_with(base.clone(), JWT_SECRET, jsonwebtoken::Algorithm::HS512),
        ),
        (
            "wrong issuer",
            token_with(wrong_iss, JWT_SECRET, jsonwebtoken::Algorithm::HS256),
        ),
        (
            "wrong audience",
            token_with(wrong_aud, JWT_SECRET, jsonwebtoken::Algorithm::HS256),
        ),
        (
            "unknown tenant",
            token_with(
                as_admin_elsewhere,
                JWT_SECRET,
                jsonwebtoken::Algorithm::HS256,
            ),
        ),
        ("tampered", tampered),
        ("alg none", alg_none),
        ("garbage", "not-a-jwt".to_owned()),
    ];
    for (what, token) in cases {
        let r = app.graphql(Some(&token), VIEWER_Q, json!({})).await;
        assert_eq!(r.status, 401, "{what}: {}", r.body);
        assert_eq!(r.code(), "UNAUTHENTICATED", "{what}");
        assert!(
            r.body.get("data").is_none() || r.body["data"].is_null(),
            "{what}"
        );
        assert_eq!(
            r.headers
                .get("www-authenticate")
                .and_then(|v| v.to_str().ok()),
            Some("Bearer")
        );
    }
}

#[tokio::test]
async fn queries_without_a_token_are_unauthenticated() {
    let app = spawn_app().await;
    for q in [VIEWER_Q, "{ accounts { edges { node { id } } } }"] {
        app.graphql(None, q, json!({}))
            .await
            .assert_error("UNAUTHENTICATED");
    }
    app.graphql(
        None,
        "mutation { createAccount(input: {name: \"X\"}) { account { id } } }",
        json!({}),
    )
    .await
    .assert_error("UNAUTHENTICATED");
}

const REFRESH: &str = "mutation($t: String!) { refreshToken(input: {refreshToken: $t}) { accessToken refreshToken } }";

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_whole_session() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    let u = app.login("acme", "admin@acme.example", PASSWORD).await;

    let r1 = app
        .graphql(None, REFRESH, json!({ "t": u.refresh_token }))
        .await;
    let second = r1.str("refreshToken.refreshToken");
    assert_ne!(second, u.refresh_token);
    app.graphql(
        Some(&r1.str("refreshToken.accessToken")),
        VIEWER_Q,
        json!({}),
    )
    .await
    .data("viewer");

    // Replaying the first token is detected...
    app.graphql(None, REFRESH, json!({ "t": u.refresh_token }))
        .await
        .assert_error("UNAUTHENTICATED");
    // ...and revokes its family: the legitimate successor no longer works.
    app.graphql(None, REFRESH, json!({ "t": second }))
        .await
        .assert_error("UNAUTHENTICATED");

    app.graphql(None, REFRESH, json!({ "t": "made-up" }))
        .await
        .assert_error("UNAUTHENTICATED");
}

#[tokio::test]
async fn logout_revokes_the_session() {
    let app = spawn_app().await;
    app.tenant("acme").await;
    let u = app.login("acme", "admin@acme.example", PASSWORD).await;
    let other = app.login("acme", "admin@acme.example", PASSWORD).await;
    let r = app
        .graphql(
            Some(&u.token),
            "mutation($t: String) { logout(input: {refreshToken: $t}) { ok } }",
            json!({ "t": u.refresh_token }),
        )
        .await;
    assert_eq!(r.data("logout.ok"), &json!(true));
    app.graphql(None, REFRESH, json!({ "t": u.refresh_token }))
        .await
        .assert_error("UNAUTHENTICATED");
    // The other session is untouched.
    app.graphql(None, REFRESH, json!({ "t": other.refresh_token }))
        .await
        .data("refreshToken");
}

#[tokio::test]
async fn a_deactivated_user_is_locked_out_at_once() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    app.graphql(Some(&am.token), VIEWER_Q, json!({}))
        .await
        .data("viewer");
    let r = app
        .graphql(
            Some(&t.admin_token),
            "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { active } } }",
            json!({ "id": am.id }),
        )
        .await;
    assert_eq!(r.data("deactivateUser.user.active"), &json!(false));
    let r = app.graphql(Some(&am.token), VIEWER_Q, json!({})).await;
    assert_eq!(r.status, 401);
    r.assert_error("UNAUTHENTICATED");
    app.graphql(None, REFRESH, json!({ "t": am.refresh_token }))
        .await
        .assert_error("UNAUTHENTICATED");
    let q = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }";
    app.graphql(
        None,
        q,
        json!({ "i": { "tenant": "acme", "email": am.email, "password": PASSWORD } }),
    )
    .await
    .assert_error("UNAUTHENTICATED");
}

#[tokio::test]
async fn a_role_change_applies_to_existing_tokens() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let sm = app.user(&t, "SALES_MANAGER", "sam").await;
    app.account(&sm.token, "Before").await;
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { updateUserRole(input: {id: $id, role: VIEWER}) { user { role } } }",
        json!({ "id": sm.id }),
    )
    .await
    .data("updateUserRole");
    app.create_account(&sm.token, json!({ "name": "After" }))
        .await
        .assert_error("FORBIDDEN");
}

#[tokio::test]
async fn only_admins_manage_users_and_emails_are_unique() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let sm = app.user(&t, "SALES_MANAGER", "sam").await;
    let q = "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }";
    let input = json!({ "i": { "email": "new@acme.example", "displayName": "New", "role": "VIEWER", "password": PASSWORD } });
    app.graphql(Some(&sm.token), q, input.clone())
        .await
        .assert_error("FORBIDDEN");
    app.graphql(Some(&t.admin_token), q, input.clone())
        .await
        .data("createUser");
    let dup = json!({ "i": { "email": "NEW@acme.example", "displayName": "Dup", "role": "VIEWER", "password": PASSWORD } });
    let r = app.graphql(Some(&t.admin_token), q, dup).await;
    r.assert_error("CONFLICT");
    assert_eq!(r.field(), "input.email");
    let short = json!({ "i": { "email": "x@acme.example", "displayName": "X", "role": "VIEWER", "password": "short" } });
    let r = app.graphql(Some(&t.admin_token), q, short).await;
    r.assert_error("VALIDATION");
    assert_eq!(r.field(), "input.password");
    // An admin cannot lock themselves out.
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { id } } }",
        json!({ "id": t.admin_id }),
    )
    .await
    .assert_error("VALIDATION");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn deactivation_reaches_other_server_processes_within_five_seconds() {
    let app = spawn_app().await;
    let other = spawn_second_server(&app).await;
    let t = app.tenant("acme").await;
    let am = app.user(&t, "ACCOUNT_MANAGER", "alex").await;
    // The other process has seen the user active (and cached it).
    app.graphql_at(&other.url, Some(&am.token), VIEWER_Q, json!({}))
        .await
        .data("viewer");
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { deactivateUser(input: {id: $id}) { user { active } } }",
        json!({ "id": am.id }),
    )
    .await
    .data("deactivateUser");
    let started = std::time::Instant::now();
    loop {
        let r = app
            .graphql_at(&other.url, Some(&am.token), VIEWER_Q, json!({}))
            .await;
        if r.status == 401 {
            r.assert_error("UNAUTHENTICATED");
            break;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "still accepted after 5 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

const LOGIN: &str = "mutation($i: LoginInput!) { login(input: $i) { accessToken } }";

fn creds(email: &str, password: &str) -> serde_json::Value {
    json!({ "i": { "tenant": "acme", "email": email, "password": password } })
}

#[tokio::test]
async fn login_attempts_per_client_address_are_limited_with_retry_after() {
    let app = spawn_app_with(|c| c.login_rate_limit_per_minute = 3).await;
    app.tenant("acme").await; // one login
    for _ in 0..2 {
        app.graphql(None, LOGIN, creds("admin@acme.example", "wrong password!!"))
            .await
            .assert_error("UNAUTHENTICATED");
    }
    let r = app
        .graphql(None, LOGIN, creds("admin@acme.example", PASSWORD))
        .await;
    r.assert_error("RATE_LIMITED");
    assert!(
        r.body["errors"][0]["extensions"]["retryAfter"]
            .as_u64()
            .unwrap()
            >= 1
    );
    let retry: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(retry >= 1);
}

#[tokio::test]
async fn repeated_failed_logins_lock_the_account_for_a_while_whether_it_exists_or_not() {
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    for email in ["admin@acme.example", "ghost@acme.example"] {
        for _ in 0..5 {
            app.graphql(None, LOGIN, creds(email, "wrong password!!"))
                .await
                .assert_error("UNAUTHENTICATED");
        }
        let r = app.graphql(None, LOGIN, creds(email, PASSWORD)).await;
        r.assert_error("RATE_LIMITED");
    }
    // Other accounts are not affected, and existing sessions keep working.
    let sam = app.user(&t, "SALES_MANAGER", "sam").await;
    app.graphql(Some(&sam.token), VIEWER_Q, json!({}))
        .await
        .data("viewer");
    app.graphql(Some(&t.admin_token), VIEWER_Q, json!({}))
        .await
        .data("viewer");
}

#[tokio::test]
async fn requests_per_user_are_limited() {
    let app = spawn_app_with(|c| c.rate_limit_per_minute = 3).await;
    let t = app.tenant("acme").await;
    let sam = app.user(&t, "SALES_MANAGER", "sam").await; // the admin's first request
    for _ in 0..2 {
        app.graphql(Some(&t.admin_token), VIEWER_Q, json!({}))
            .await
            .data("viewer");
    }
    let r = app.graphql(Some(&t.admin_token), VIEWER_Q, json!({})).await;
    assert_eq!(r.status, 429);
    r.assert_error("RATE_LIMITED");
    assert!(r.headers.contains_key("retry-after"));
    // Another user has a quota of their own.
    app.graphql(Some(&sam.token), VIEWER_Q, json!({}))
        .await
        .data("viewer");
}

#[tokio::test]
async fn password_hashes_stay_in_the_database_on_every_read_but_sign_in() {
    use persistence::repo::users;
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let sam = app.user(&t, "ACCOUNT_MANAGER", "sam").await;
    let tenant = domain::TenantId(app.tenant_id(&t).await);
    let id = domain::UserId(uuid_of(&sam.id));
    let db = app.state.db.system().read();
    let one = users::get(db, tenant, id).await.unwrap().unwrap();
    assert_eq!(one.email, sam.email);
    assert_eq!(one.password_hash, "", "get");
    let many = users::by_ids(db, tenant, &[id.0]).await.unwrap();
    assert_eq!(many.len(), 1);
    assert_eq!(many[0].password_hash, "", "by_ids");
    let args = persistence::repo::page::PageArgs {
        limit: 10,
        after: None,
        before: None,
        from_end: false,
    };
    let page = users::list(db, tenant, &args).await.unwrap();
    assert!(page.rows.iter().all(|u| u.password_hash.is_empty()), "list");
    // Sign-in still reads the real hash; changing a user column by column
    // keeps it.
    let full = users::find_by_email(db, tenant, &sam.email)
        .await
        .unwrap()
        .unwrap();
    assert!(full.password_hash.starts_with("$argon2id$"));
    app.graphql(
        Some(&t.admin_token),
        "mutation($id: ID!) { updateUserRole(input: {id: $id, role: SALES_MANAGER}) { user { role } } }",
        json!({ "id": sam.id }),
    )
    .await
    .data("updateUserRole.user.role");
    let again = app.login("acme", &sam.email, PASSWORD).await;
    assert!(!again.token.is_empty());
}
