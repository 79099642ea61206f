//! Typed helpers: `spawn_app()`, `app.graphql(token, query, variables)`,
//! tenants and users as fixtures.

#![allow(dead_code, clippy::expect_used, clippy::unwrap_used)]

use serde_json::{Value, json};
use std::sync::Arc;
use steward_api::config::{Config, Secret};
use steward_api::graphql::AppState;
use steward_api::services::tenants::{NewTenant, create_tenant};

pub const PASSWORD: &str = "correct horse battery staple";
pub const JWT_SECRET: &str = "test-secret-0123456789abcdef0123456789abcdef";

/// A database for one test; dropped (Postgres) or deleted (SQLite) after.
enum TestDb {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres {
        admin_url: String,
        name: String,
    },
    /// Owned by the caller (see [`spawn_app_on`]).
    External,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let TestDb::Postgres { admin_url, name } = self {
            let (url, name) = (admin_url.clone(), name.clone());
            // Drop needs async I/O; do it on a private runtime.
            let _ = std::thread::spawn(move || {
                let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                else {
                    return;
                };
                rt.block_on(async move {
                    if let Ok(conn) = sea_orm::Database::connect(&url).await {
                        let _ = sea_orm::ConnectionTrait::execute_unprepared(
                            &conn,
                            &format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                        )
                        .await;
                        let _ = conn.close().await;
                    }
                });
            })
            .join();
        }
    }
}

static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();

fn with_database(url: &str, db: &str) -> String {
    // postgres://user@host:port/dbname?params -> .../db?params
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = match base.rfind('/') {
        Some(i) if i > "postgres://".len() => &base[..i],
        _ => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

/// Creates (once per test run) a migrated template database.
async fn template(admin_url: &str) -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("steward_tpl_{}", std::process::id());
            let admin = sea_orm::Database::connect(admin_url).await.expect("connect TEST_DATABASE_URL");
            // Leftovers of earlier, aborted runs.
            let stale: Vec<String> = sea_orm::ConnectionTrait::query_all_raw(
                &admin,
                sea_orm::Statement::from_string(
                    sea_orm::DbBackend::Postgres,
                    "SELECT datname FROM pg_database WHERE datname LIKE 'steward_tpl_%' OR datname LIKE 'steward_t_%'",
                ),
            )
            .await
            .expect("list databases")
            .iter()
            .filter_map(|r| r.try_get::<String>("", "datname").ok())
            .collect();
            for db in stale {
                if db.starts_with("steward_tpl_") && db != name {
                    // Another run still uses it.
                    if let Ok(pid) = db.trim_start_matches("steward_tpl_").parse::<u32>()
                        && std::path::Path::new(&format!("/proc/{pid}")).exists()
                    {
                        continue;
                    }
                    let _ = sea_orm::ConnectionTrait::execute_unprepared(
                        &admin,
                        &format!("DROP DATABASE IF EXISTS \"{db}\" WITH (FORCE)"),
                    )
                    .await;
                }
            }
            sea_orm::ConnectionTrait::execute_unprepared(&admin, &format!("CREATE DATABASE \"{name}\""))
                .await
                .expect("create template database");
            let db = persistence::Db::connect(&persistence::DbConfig::new(with_database(admin_url, &name)))
                .await
                .expect("connect template");
            db.migrate_up().await.expect("migrate template");
            db.close().await;
            let _ = admin.close().await;
            name
        })
        .await
        .clone()
}

async fn test_database() -> (String, TestDb) {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(admin_url) if !admin_url.is_empty() => {
            let tpl = template(&admin_url).await;
            let name = format!("steward_t_{}", uuid::Uuid::now_v7().simple());
            let admin = sea_orm::Database::connect(&admin_url)
                .await
                .expect("connect TEST_DATABASE_URL");
            let mut tries = 0;
            loop {
                let r = sea_orm::ConnectionTrait::execute_unprepared(
                    &admin,
                    &format!("CREATE DATABASE \"{name}\" TEMPLATE \"{tpl}\""),
                )
                .await;
                match r {
                    Ok(_) => break,
                    // Another test is copying the template at this moment.
                    Err(_) if tries < 50 => {
                        tries += 1;
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    }
                    Err(e) => panic!("create test database: {e}"),
                }
            }
            let _ = admin.close().await;
            let url = with_database(&admin_url, &name);
            (url, TestDb::Postgres { admin_url, name })
        }
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let url = format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("steward.db").display()
            );
            (url, TestDb::Sqlite(dir))
        }
    }
}

pub fn is_postgres() -> bool {
    std::env::var("TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

/// A running server.
pub struct TestApp {
    pub addr: std::net::SocketAddr,
    /// The test database, for a second server process on the same data.
    pub db_url: String,
    pub url: String,
    pub client: reqwest::Client,
    pub state: Arc<AppState>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    _db: TestDb,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// The result of one GraphQL request.
#[derive(Debug)]
pub struct Gql {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Gql {
    /// `data` at a path like `createAccount.account.id`; panics with the
    /// errors when the request failed.
    pub fn data(&self, path: &str) -> &Value {
        assert!(
            self.body.get("errors").is_none(),
            "unexpected errors: {}",
            serde_json::to_string_pretty(&self.body).unwrap_or_default()
        );
        let mut v = &self.body["data"];
        for p in path.split('.').filter(|p| !p.is_empty()) {
            v = match p.parse::<usize>() {
                Ok(i) => &v[i],
                Err(_) => &v[p],
            };
        }
        v
    }

    pub fn str(&self, path: &str) -> String {
        self.data(path)
            .as_str()
            .unwrap_or_else(|| panic!("{path} is not a string in {}", self.body))
            .to_owned()
    }

    /// The code of the first error.
    pub fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_else(|| panic!("no error code in {}", self.body))
    }

    /// The message of the first error.
    pub fn message(&self) -> &str {
        self.body["errors"][0]["message"]
            .as_str()
            .unwrap_or_else(|| panic!("no error message in {}", self.body))
    }

    /// The input field named by the first error.
    pub fn field(&self) -> &str {
        self.body["errors"][0]["extensions"]["field"]
            .as_str()
            .unwrap_or_else(|| panic!("no error field in {}", self.body))
    }

    /// Which path ran the request (`compiled` or `resolvers`).
    pub fn execution(&self) -> &str {
        self.headers
            .get("x-steward-execution")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn statements(&self) -> u64 {
        self.headers
            .get("x-steward-sql-statements")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .expect("statement count header")
    }

    /// Asserts the request failed with this code (and changed nothing is up
    /// to the caller to check).
    pub fn assert_error(&self, code: &str) -> &Self {
        assert_eq!(self.code(), code, "{}", self.body);
        self
    }
}

pub fn test_config(database_url: String) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().expect("addr"),
        database_url: Some(Secret::new(database_url)),
        jwt_secret: Some(Secret::new(JWT_SECRET)),
        statement_count_header: true,
        seed_demo: Some(false),
        // Each test signs in many users from 127.0.0.1; the limits have their own tests.
        login_rate_limit_per_minute: 1_000,
        db_max_connections: 8,
        // `TEST_RLS=1` with Postgres: the whole suite under row-level security.
        db_row_level_security: rls_enabled(),
        ..Config::default()
    }
}

/// Whether this run exercises row-level security (`TEST_RLS=1`, Postgres).
pub fn rls_enabled() -> bool {
    is_postgres() && std::env::var("TEST_RLS").is_ok_and(|v| v == "1")
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

pub async fn spawn_app_with(tweak: impl FnOnce(&mut Config)) -> TestApp {
    let (db_url, guard) = test_database().await;
    let (addr, state, stop) = start_server(&db_url, tweak).await;
    TestApp {
        addr,
        db_url,
        url: format!("http://{addr}/graphql"),
        client: reqwest::Client::new(),
        state,
        stop: Some(stop),
        _db: guard,
    }
}

/// A server on a database the caller owns and tears down (the outage
/// tests' throwaway cluster); migrated on start like any server.
pub async fn spawn_app_on(db_url: &str, tweak: impl FnOnce(&mut Config)) -> TestApp {
    let (addr, state, stop) = start_server(db_url, tweak).await;
    TestApp {
        addr,
        db_url: db_url.to_owned(),
        url: format!("http://{addr}/graphql"),
        client: reqwest::Client::new(),
        state,
        stop: Some(stop),
        _db: TestDb::External,
    }
}

/// A second server on the same database, as another process would be.
pub struct SecondServer {
    pub url: String,
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub async fn spawn_second_server(app: &TestApp) -> SecondServer {
    let (addr, _, stop) = start_server(&app.db_url, |_| {}).await;
    SecondServer {
        url: format!("http://{addr}/graphql"),
        _stop: stop,
    }
}

async fn start_server(
    db_url: &str,
    tweak: impl FnOnce(&mut Config),
) -> (
    std::net::SocketAddr,
    Arc<AppState>,
    tokio::sync::oneshot::Sender<()>,
) {
    let mut cfg = test_config(db_url.to_owned());
    tweak(&mut cfg);
    let app = steward_api::Application::build(cfg)
        .await
        .expect("build app");
    let addr = app.local_addr().expect("addr");
    let state = app.state();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    (addr, state, tx)
}

/// A tenant with its admin signed in.
pub struct Tenant {
    pub slug: String,
    pub admin_token: String,
    pub admin_id: String,
}

/// A signed-in user.
pub struct User {
    pub id: String,
    pub email: String,
    pub token: String,
    pub refresh_token: String,
}

impl TestApp {
    pub async fn graphql(&self, token: Option<&str>, query: &str, variables: Value) -> Gql {
        self.graphql_at(&self.url, token, query, variables).await
    }

    /// Like [`TestApp::graphql`], against another server's URL.
    pub async fn graphql_at(
        &self,
        url: &str,
        token: Option<&str>,
        query: &str,
        variables: Value,
    ) -> Gql {
        let mut req = self
            .client
            .post(url)
            .header("content-type", "application/json")
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let body: Value = resp.json().await.expect("json body");
        Gql {
            status,
            headers,
            body,
        }
    }

    /// Creates a tenant (through the service, as `steward admin create-tenant` does) and signs its admin in.
    pub async fn tenant(&self, slug: &str) -> Tenant {
        let email = format!("admin@{slug}.example");
        create_tenant(
            &self.state.db,
            NewTenant {
                slug,
                name: &format!("Tenant {slug}"),
                time_zone: "Europe/Berlin",
                fiscal_year_start_month: 1,
                currency: "EUR",
                admin_email: &email,
                admin_name: "Admin",
                admin_password: PASSWORD,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("create tenant: {}", e.detail()));
        let u = self.login(slug, &email, PASSWORD).await;
        Tenant {
            slug: slug.to_owned(),
            admin_token: u.token,
            admin_id: u.id,
        }
    }

    pub async fn login(&self, tenant: &str, email: &str, password: &str) -> User {
        let r = self
            .graphql(
                None,
                "mutation($i: LoginInput!) { login(input: $i) { accessToken refreshToken user { id email } } }",
                json!({ "i": { "tenant": tenant, "email": email, "password": password } }),
            )
            .await;
        User {
            id: r.str("login.user.id"),
            email: r.str("login.user.email"),
            token: r.str("login.accessToken"),
            refresh_token: r.str("login.refreshToken"),
        }
    }

    /// Creates a user with `role` in the admin's tenant and signs them in.
    pub async fn user(&self, t: &Tenant, role: &str, name: &str) -> User {
        let email = format!("{name}@{}.example", t.slug);
        self.graphql(
            Some(&t.admin_token),
            "mutation($i: CreateUserInput!) { createUser(input: $i) { user { id } } }",
            json!({ "i": { "email": email, "displayName": name, "role": role, "password": PASSWORD } }),
        )
        .await
        .data("createUser.user.id");
        self.login(&t.slug, &email, PASSWORD).await
    }

    pub async fn create_account(&self, token: &str, input: Value) -> Gql {
        self.graphql(
            Some(token),
            "mutation($i: CreateAccountInput!) { createAccount(input: $i) { account { id name version owner { id } } } }",
            json!({ "i": input }),
        )
        .await
    }

    /// Creates an account named `name` and returns its id.
    pub async fn account(&self, token: &str, name: &str) -> String {
        self.create_account(token, json!({ "name": name }))
            .await
            .str("createAccount.account.id")
    }

    pub async fn create_contact(&self, token: &str, input: Value) -> Gql {
        self.graphql(
            Some(token),
            "mutation($i: CreateContactInput!) { createContact(input: $i) { contact { id firstName lastName version reportsTo { id } } } }",
            json!({ "i": input }),
        )
        .await
    }

    /// Creates a contact in `account` and returns its id.
    pub async fn contact(&self, token: &str, account: &str, first: &str, last: &str) -> String {
        self.create_contact(
            token,
            json!({ "accountId": account, "firstName": first, "lastName": last }),
        )
        .await
        .str("createContact.contact.id")
    }

    /// Deletes an account (as an admin).
    pub async fn delete_account(&self, token: &str, id: &str) {
        self.graphql(
            Some(token),
            "mutation($id: ID!) { deleteAccount(input: {id: $id}) { account { id } } }",
            json!({ "id": id }),
        )
        .await
        .data("deleteAccount");
    }

    /// Creates a plan titled `title` for `account` over 2026 and returns its id.
    pub async fn plan(&self, token: &str, account: &str, title: &str) -> String {
        self.graphql(
            Some(token),
            "mutation($a: ID!, $t: String!) { createPlan(input: {accountId: $a, title: $t, periodStart: \"2026-01-01\", periodEnd: \"2026-12-31\"}) { plan { id } } }",
            json!({ "a": account, "t": title }),
        )
        .await
        .str("createPlan.plan.id")
    }

    /// Number of live accounts visible to the token (archived included).
    /// The id of tenant `t` (asked as its admin).
    pub async fn tenant_id(&self, t: &Tenant) -> uuid::Uuid {
        let r = self
            .graphql(
                Some(&t.admin_token),
                "{ viewer { tenant { id } } }",
                json!({}),
            )
            .await;
        uuid_of(&r.str("viewer.tenant.id"))
    }

    pub async fn account_count(&self, token: &str) -> usize {
        let mut n = 0;
        let mut after: Option<String> = None;
        loop {
            let r = self
                .graphql(
                    Some(token),
                    "query($a: String) { accounts(first: 100, after: $a, filter: {includeArchived: true}) { pageInfo { hasNextPage endCursor } edges { node { id } } } }",
                    json!({ "a": after }),
                )
                .await;
            n += r.data("accounts.edges").as_array().map_or(0, Vec::len);
            if r.data("accounts.pageInfo.hasNextPage") != &json!(true) {
                return n;
            }
            after = Some(r.str("accounts.pageInfo.endCursor"));
        }
    }
}

/// The uuid inside a global id.
pub fn uuid_of(global_id: &str) -> uuid::Uuid {
    use base64::Engine;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(global_id)
        .expect("base64 id");
    let text = String::from_utf8(raw).expect("utf8 id");
    let (_, u) = text.split_once(':').expect("Type:uuid");
    uuid::Uuid::parse_str(u).expect("uuid")
}

/// The global id of `kind` and `uuid`.
pub fn global_id(kind: &str, uuid: uuid::Uuid) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{kind}:{uuid}"))
}

/// A well-formed global id of `kind` that exists nowhere.
pub fn missing_id(kind: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{kind}:{}", uuid::Uuid::now_v7()))
}
