//! Forged and broken JWTs.

use super::*;

pub(super) fn jwt(header: &Value, claims: &Value, key: &[u8]) -> String {
    use jsonwebtoken::{EncodingKey, Header, encode};
    let h: Header = serde_json::from_value(header.clone()).unwrap();
    encode(&h, claims, &EncodingKey::from_secret(key)).unwrap()
}

pub(super) fn token_cases(fx: &Fx) -> Vec<Case> {
    let payload = fx.admin.split('.').nth(1).unwrap();
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let now = chrono::Utc::now().timestamp();
    let with = |k: &str, v: Value| {
        let mut c = claims.clone();
        c[k] = v;
        c
    };
    let without = |k: &str| {
        let mut c = claims.clone();
        c.as_object_mut().unwrap().remove(k);
        c
    };
    let hs256 = json!({ "alg": "HS256", "typ": "JWT" });
    let key = JWT_SECRET.as_bytes();
    let foreign_admin = uuid_of(&fx.foreign[3]);
    let mut tokens: Vec<(String, Vec<u8>)> = vec![
        ("expired", jwt(&hs256, &with("exp", json!(now - 3600)), key)),
        (
            "issued in the future",
            jwt(&hs256, &with("iat", json!(now + 3600)), key),
        ),
        (
            "another issuer",
            jwt(&hs256, &with("iss", json!("evil")), key),
        ),
        (
            "another audience",
            jwt(&hs256, &with("aud", json!("evil")), key),
        ),
        ("no exp", jwt(&hs256, &without("exp"), key)),
        (
            "sub not a uuid",
            jwt(&hs256, &with("sub", json!("' OR 1=1 --")), key),
        ),
        (
            "unknown user",
            jwt(&hs256, &with("sub", json!(uuid::Uuid::now_v7())), key),
        ),
        (
            "another tenant",
            jwt(&hs256, &with("tid", json!(uuid::Uuid::now_v7())), key),
        ),
        (
            "another tenant's user",
            jwt(&hs256, &with("sub", json!(foreign_admin)), key),
        ),
        (
            "unknown role",
            jwt(&hs256, &with("role", json!("SUPERADMIN")), key),
        ),
        ("exp a float", jwt(&hs256, &with("exp", json!(1e20)), key)),
        (
            "exp a string",
            jwt(&hs256, &with("exp", json!("tomorrow")), key),
        ),
        ("claims a list", jwt(&hs256, &json!([1, 2]), key)),
        (
            "another secret",
            jwt(
                &hs256,
                &claims,
                b"not-the-secret-0123456789abcdef0123456789",
            ),
        ),
        ("empty secret", jwt(&hs256, &claims, b"")),
        ("HS512", jwt(&json!({ "alg": "HS512" }), &claims, key)),
        (
            "kid path",
            jwt(
                &json!({ "alg": "HS256", "kid": "../../../../etc/passwd" }),
                &claims,
                key,
            ),
        ),
        (
            "alg none",
            format!(
                "{}.{}.",
                b64(r#"{"alg":"none","typ":"JWT"}"#),
                b64(&claims.to_string())
            ),
        ),
        (
            "alg none, no dot",
            format!("{}.{}", b64(r#"{"alg":"none"}"#), b64(&claims.to_string())),
        ),
        ("tampered signature", format!("{}x", fx.admin)),
        ("swapped payload", {
            let parts: Vec<&str> = fx.admin.split('.').collect();
            let forged = b64(&with("role", json!("ADMIN")).to_string());
            format!("{}.{}.{}", parts[0], forged, parts[2])
        }),
        ("garbage", "garbage".into()),
        ("three garbage parts", "a.b.c".into()),
        ("dots", "..".into()),
        ("empty objects", "e30.e30.e30".into()),
        ("10 000 characters", "A".repeat(10_000)),
        ("SQL", "' OR 1=1 --".into()),
        ("JSON", r#"{"alg":"none"}"#.into()),
    ]
    .into_iter()
    .map(|(l, t)| (l.to_owned(), format!("Bearer {t}").into_bytes()))
    .collect();
    tokens.extend([
        ("Basic".to_owned(), b"Basic YWRtaW46YWRtaW4=".to_vec()),
        (
            "another scheme".to_owned(),
            format!("Token {}", fx.admin).into_bytes(),
        ),
        (
            "trailing words".to_owned(),
            format!("Bearer {} extra", fx.admin).into_bytes(),
        ),
        ("non-ASCII".to_owned(), b"Bearer \xff\xfe\xfd".to_vec()),
        ("only spaces".to_owned(), b"Bearer    ".to_vec()),
    ]);
    let mut cases = Vec::new();
    for (label, auth) in tokens {
        for (what, q, vars) in [
            ("a query", "{ viewer { user { id } } }", json!({})),
            (
                "a mutation",
                "mutation($i: CreateAccountInput!) { createAccount(input: $i) { __typename } }",
                json!({ "i": { "name": "' OR 1=1 --" } }),
            ),
        ] {
            let mut c = op_case(
                format!("token {label} with {what}"),
                None,
                q,
                vars,
                vec!["' OR 1=1 --".into()],
            );
            c.authorization = Some(auth.clone());
            cases.push(c);
        }
    }
    // Wrong passwords (and right ones for the wrong place).
    let login = "mutation($i: LoginInput!) { login(input: $i) { __typename } }";
    for (tenant, email, password) in [
        ("acme", "sam@acme.example", ""),
        ("acme", "sam@acme.example", "correct horse battery staple "),
        ("acme", "sam@acme.example", "CORRECT HORSE BATTERY STAPLE"),
        ("acme", "sam@acme.example", "' OR 1=1 --"),
        ("acme", "vic@acme.example", "\u{0}"),
        (
            "acme",
            "vic@acme.example",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
        ),
        ("evil", "sam@acme.example", PASSWORD),
        ("' OR 1=1 --", "admin@evil.example", PASSWORD),
        ("evil", "admin@evil.example' --", PASSWORD),
        ("evil", "nobody@evil.example", PASSWORD),
    ] {
        cases.push(op_case(
            format!("login {tenant}/{email} with a wrong password"),
            None,
            login,
            json!({ "i": { "tenant": tenant, "email": email, "password": password } }),
            vec![tenant.to_owned(), email.to_owned()],
        ));
    }
    let long = "p".repeat(10_000);
    cases.push(op_case(
        "login with a 10k password".into(),
        None,
        login,
        json!({ "i": { "tenant": "evil", "email": "admin@evil.example", "password": long } }),
        vec![],
    ));
    cases
}
