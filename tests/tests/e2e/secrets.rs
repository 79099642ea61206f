//! Nothing internal in any response, under any input: no SQL, driver text,
//! file path, stack trace or secret, no 5xx, no `INTERNAL`, and always a
//! well-formed GraphQL response.
//!
//! The corpus is generated from `schema.graphql` (parsed roughly here): every
//! argument of every root field (and of every nested field that takes
//! arguments) and every field of every input object gets hostile values for
//! its type (SQL injection, NUL, bidi marks, 10k-character strings, wrong
//! JSON types, huge numbers, invalid dates, decimals and currencies, unknown
//! enum values, garbage, forged and foreign ids and cursors, deep nesting),
//! one at a time, the rest of the input being valid, so that each value gets
//! as far into the server (and the database) as it can. Around that: the same
//! inputs inlined in the document, hostile documents, raw HTTP bodies,
//! forged and broken JWTs, and a read-back of everything that got stored.
//!
//! Echoes: an error may quote what the client sent (async-graphql names an
//! unknown enum value, a parse error shows the line). Such an echo is not a
//! leak, so the exact text sent is cut out of a response before it is
//! scanned; the patterns then only find what the server added. The number
//! of responses that echo input is printed.

use crate::helpers::*;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use futures::StreamExt;
use serde_json::{Map, Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

const SDL: &str = include_str!("../../../schema.graphql");

/// Another user's password, to look for in responses.
const OTHER_PASSWORD: &str = "another password for fuzzed users";

// ---------------------------------------------------------------------------
// A rough parse of schema.graphql.

#[derive(Debug, Clone)]
struct FieldDef {
    name: String,
    args: Vec<(String, String)>,
    ty: String,
}

#[derive(Debug, Default)]
struct Sdl {
    /// Object types and interfaces.
    objects: BTreeMap<String, Vec<FieldDef>>,
    inputs: BTreeMap<String, Vec<(String, String)>>,
    enums: BTreeMap<String, Vec<String>>,
}

/// `[ID!]!` -> `ID`.
fn base_name(ty: &str) -> &str {
    ty.trim_matches(|c| c == '[' || c == ']' || c == '!')
}

fn find(b: &[u8], from: usize, pat: &[u8]) -> Option<usize> {
    b.get(from..)?
        .windows(pat.len())
        .position(|w| w == pat)
        .map(|p| p + from)
}

/// Names and punctuation; descriptions, strings and comments dropped.
fn tokenize(sdl: &str) -> Vec<&str> {
    let b = sdl.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"\"\"\"") {
            i = find(b, i + 3, b"\"\"\"").expect("closed block string") + 3;
        } else if b[i] == b'"' {
            i = find(b, i + 1, b"\"").expect("closed string") + 1;
        } else if b[i] == b'#' {
            i = find(b, i, b"\n").unwrap_or(b.len());
        } else if b[i].is_ascii_alphanumeric() || b[i] == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(&sdl[start..i]);
        } else {
            if b"{}()[]:!=@|&".contains(&b[i]) {
                out.push(&sdl[i..=i]);
            }
            i += 1;
        }
    }
    out
}

struct Parser<'a> {
    t: Vec<&'a str>,
    i: usize,
}

impl<'a> Parser<'a> {
    fn next(&mut self) -> &'a str {
        let s = self.t[self.i];
        self.i += 1;
        s
    }

    fn peek(&self) -> &'a str {
        self.t.get(self.i).copied().unwrap_or("")
    }

    fn expect(&mut self, s: &str) {
        let at = self.i;
        assert_eq!(self.next(), s, "schema.graphql: token {at}");
    }

    fn ty(&mut self) -> String {
        let mut s = if self.peek() == "[" {
            self.next();
            let inner = self.ty();
            self.expect("]");
            format!("[{inner}]")
        } else {
            self.next().to_owned()
        };
        if self.peek() == "!" {
            self.next();
            s.push('!');
        }
        s
    }

    fn directives(&mut self) {
        while self.peek() == "@" {
            self.next();
            self.next();
            if self.peek() == "(" {
                while self.next() != ")" {}
            }
        }
    }

    fn typed_name(&mut self) -> (String, String) {
        let name = self.next().to_owned();
        self.expect(":");
        let ty = self.ty();
        assert_ne!(self.peek(), "=", "default values are not parsed here");
        self.directives();
        (name, ty)
    }
}

fn parse_sdl(sdl: &str) -> Sdl {
    let mut p = Parser {
        t: tokenize(sdl),
        i: 0,
    };
    let mut s = Sdl::default();
    while p.i < p.t.len() {
        match p.next() {
            "type" | "interface" => {
                let name = p.next().to_owned();
                while p.next() != "{" {}
                let mut fields = Vec::new();
                while p.peek() != "}" {
                    let fname = p.next().to_owned();
                    let mut args = Vec::new();
                    if p.peek() == "(" {
                        p.next();
                        while p.peek() != ")" {
                            args.push(p.typed_name());
                        }
                        p.next();
                    }
                    p.expect(":");
                    let ty = p.ty();
                    p.directives();
                    fields.push(FieldDef {
                        name: fname,
                        args,
                        ty,
                    });
                }
                p.next();
                s.objects.insert(name, fields);
            }
            "input" => {
                let name = p.next().to_owned();
                p.expect("{");
                let mut fields = Vec::new();
                while p.peek() != "}" {
                    fields.push(p.typed_name());
                }
                p.next();
                s.inputs.insert(name, fields);
            }
            "enum" => {
                let name = p.next().to_owned();
                p.expect("{");
                let mut values = Vec::new();
                while p.peek() != "}" {
                    values.push(p.next().to_owned());
                    p.directives();
                }
                p.next();
                s.enums.insert(name, values);
            }
            _ => {}
        }
    }
    s
}

// ---------------------------------------------------------------------------
// Hostile values.

fn b64(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(s)
}

/// Applied to every string argument and input field.
fn core_strings() -> Vec<String> {
    vec![
        "' OR 1=1 --".into(),
        "'; DROP TABLE accounts; --".into(),
        "a\u{0}b".into(),
        "\u{202E}gnp.exe\u{200F}\u{200E}".into(),
        "x".repeat(10_000),
        String::new(),
        "   ".into(),
        "%_\\".into(),
        "\u{1F469}\u{200D}\u{1F4BB}\u{FE0F}e\u{301}\u{301}".into(),
    ]
}

/// A few of these, in turn, for every string argument and input field.
fn extra_strings() -> Vec<String> {
    vec![
        "\" OR \"\"=\"".into(),
        "\u{0}".into(),
        "1' AND (SELECT 1 FROM users WHERE 1=1) --".into(),
        "1; SELECT pg_sleep(3); --".into(),
        "' UNION SELECT password_hash, email FROM users --".into(),
        "Robert'); DROP TABLE students;--".into(),
        "admin'--".into(),
        "\\'; --".into(),
        "$1".into(),
        "?".into(),
        ":name".into(),
        "%s%s%s%n".into(),
        "{0}".into(),
        "${jndi:ldap://x/a}".into(),
        "{{7*7}}".into(),
        "<script>alert(1)</script>".into(),
        "../../../../etc/passwd".into(),
        "C:\\Windows\\win.ini".into(),
        "NaN".into(),
        "Infinity".into(),
        "-0".into(),
        "1e999".into(),
        "null".into(),
        "undefined".into(),
        "0x7fffffff".into(),
        "\u{FEFF}bom".into(),
        "\u{FFFF}\u{FFFE}".into(),
        "\u{10FFFF}".into(),
        "\u{FFFD}".into(),
        "\t\n\r\u{b}\u{c}".into(),
        "\u{1b}[31mred\u{1b}[0m".into(),
        "\u{85}\u{2028}\u{2029}".into(),
        "\u{E9}".repeat(10_000),
        "\u{1D54F}".repeat(3_000),
        "a".repeat(100_000),
        "EURO".into(),
        "eur".into(),
        "\u{20AC}".into(),
        "XXX".into(),
        "US$".into(),
        "admin@acme.example' --".into(),
        "@".into(),
        "x@y.z\u{0}".into(),
        "Account:".into(),
        "+49 (0) 30 1234'--".into(),
        "https://evil.example/\u{0}".into(),
        "javascript:alert(1)".into(),
        "\\x00\\u0000".into(),
        "%00%27%20OR%201%3D1".into(),
        "''".into(),
        "`".into(),
        "/*".into(),
        "*/ --".into(),
        ";".into(),
        "SELECT * FROM users".into(),
        "\u{301}".into(),
        "\u{200B}\u{200B}".into(),
        "\u{D55C}\u{AD6D}\u{C5B4}".into(),
    ]
}

fn wrong_types() -> Vec<(Value, &'static str)> {
    vec![
        (json!({ "x": 1 }), "object"),
        (json!([1]), "list"),
        (json!(1.5), "float"),
    ]
}

fn ints() -> Vec<Value> {
    vec![
        json!(2_147_483_647),
        json!(2_147_483_648u64),
        json!(-2_147_483_649i64),
        json!(i64::MAX),
        json!(u64::MAX),
        json!(1e308),
        json!(-1),
        json!(0),
        json!("1"),
        json!("NaN"),
        json!(true),
    ]
}

fn decimals() -> Vec<Value> {
    vec![
        json!("NaN"),
        json!("Infinity"),
        json!("-Infinity"),
        json!("1e999"),
        json!("1e-999"),
        json!("1E+28"),
        json!("79228162514264337593543950335"),
        json!("79228162514264337593543950336"),
        json!("-79228162514264337593543950336"),
        json!("0.00000000000000000000000000001"),
        json!("1,5"),
        json!("1.2.3"),
        json!(""),
        json!(" 1 "),
        json!("0x10"),
        json!("+1"),
        json!("-0"),
        json!("\u{661}\u{662}\u{663}"),
        json!("1' OR '1'='1"),
        json!(1e308),
        json!(u64::MAX),
        json!(-1),
        json!(0.1),
        json!(true),
    ]
}

fn dates() -> Vec<Value> {
    vec![
        json!("2024-02-30"),
        json!("2023-02-29"),
        json!("0000-01-01"),
        json!("-0001-01-01"),
        json!("+262143-12-31"),
        json!("262144-01-01"),
        json!("9999-12-31"),
        json!("1900-01-01"),
        json!("2024-13-01"),
        json!("2024-1-1"),
        json!("20240101"),
        json!("2024-01-01T00:00:00Z"),
        json!(""),
        json!("today"),
        json!("2024-01-01\u{0}"),
        json!("2024-12-31'; DROP TABLE plans; --"),
        json!(20_240_101),
    ]
}

fn datetimes() -> Vec<Value> {
    vec![
        json!("2024-01-01"),
        json!("2024-01-01T25:00:00Z"),
        json!("2024-02-30T00:00:00Z"),
        json!("9999-12-31T23:59:59Z"),
        json!("+262143-12-31T23:59:59Z"),
        json!("0001-01-01T00:00:00Z"),
        json!("-0001-01-01T00:00:00Z"),
        json!("1970-01-01T00:00:00+25:00"),
        json!("2024-01-01T00:00:00.99999999999999Z"),
        json!("NaN"),
        json!(""),
        json!(0),
        json!(1e20),
    ]
}

// ---------------------------------------------------------------------------
// The fixture: one tenant with one object of each kind, and another tenant.

struct Fx {
    admin: String,
    admin_id: String,
    viewer: String,
    other_admin: String,
    /// Own objects by name (`account`, `contact`, ...).
    ids: BTreeMap<&'static str, String>,
    /// The other tenant's objects.
    foreign: Vec<String>,
    /// Refresh tokens of sessions, by purpose.
    refresh: BTreeMap<&'static str, String>,
    /// Real cursors by the target whose `after` / `before` they belong to.
    cursors: BTreeMap<String, Vec<String>>,
}

fn day(days: i64) -> String {
    (chrono::Utc::now().date_naive() + chrono::Duration::days(days)).to_string()
}

async fn create(
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

async fn cursors_of(app: &TestApp, token: &str, query: &str, path: &str) -> Vec<String> {
    let r = app.graphql(Some(token), query, json!({})).await;
    r.data(path)
        .as_array()
        .unwrap_or_else(|| panic!("no edges at {path}: {}", r.body))
        .iter()
        .map(|e| e["cursor"].as_str().unwrap().to_owned())
        .collect()
}

async fn setup(app: &TestApp) -> Fx {
    let t = app.tenant("acme").await;
    let other = app.tenant("evil").await;
    let sam = app.user(&t, "ACCOUNT_MANAGER", "sam").await;
    let vic = app.user(&t, "VIEWER", "vic").await;
    let tok = t.admin_token.clone();
    let a = app.account(&tok, "Acme Corp").await;
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

// ---------------------------------------------------------------------------
// Targets: every field that takes arguments, with valid arguments to start from.

/// A variable the text around a target uses: name, type, value.
type WrapVar = (&'static str, &'static str, Value);

struct Target {
    /// `Query.accounts`, `Account.contacts`, ...
    path: String,
    kind: &'static str,
    field: String,
    /// Text around the field, and the variables it uses.
    wrap: (String, String),
    wrap_vars: Vec<WrapVar>,
    args: Vec<(String, String)>,
    selection: &'static str,
    /// Valid arguments (`#` in strings becomes a number unique to the request).
    base: Map<String, Value>,
    /// Changes or destroys the fixture when it works: run last, and its
    /// valid form is not sent as the admin.
    destructive: bool,
    /// The valid form is sent as the admin first and must work.
    check_base: bool,
}

fn base_args(fx: &Fx, path: &str) -> Value {
    let id = |k: &str| json!(fx.ids[k]);
    let admin = json!(fx.admin_id);
    let money = |a: &str| json!({ "amount": a, "currency": "EUR" });
    let xref = |x: &str| json!({ "source": "crm", "externalId": x });
    match path {
        "Query.account" | "Query.node" => json!({ "id": id("account") }),
        "Query.contact" => json!({ "id": id("contact") }),
        "Query.user" => json!({ "id": id("user") }),
        "Query.plan" => json!({ "id": id("plan") }),
        "Query.actionItem" => json!({ "id": id("actionItem") }),
        "Query.accounts" => json!({
            "filter": { "tiers": ["KEY", "STRATEGIC"], "statuses": ["ACTIVE", "PROSPECT"], "ownerId": admin, "nameContains": "Acme", "includeArchived": true },
            "orderBy": "NAME_ASC",
        }),
        "Query.plans" => json!({
            "filter": { "status": ["ACTIVE", "DRAFT"], "ownerId": admin, "accountId": id("account"), "periodContains": day(0) },
        }),
        "Query.products" => json!({ "includeInactive": true }),
        "Query.viewer"
        | "Query.users"
        | "Query.overdueActions"
        | "Account.contacts"
        | "Account.plans"
        | "Account.activities" => json!({}),
        "ActionItem.occurrences" | "Viewer.agenda" => json!({ "from": day(-30), "to": day(30) }),
        "Mutation.login" => {
            json!({ "input": { "tenant": "acme", "email": "admin@acme.example", "password": PASSWORD } })
        }
        "Mutation.refreshToken" => json!({ "input": { "refreshToken": fx.refresh["refresh"] } }),
        "Mutation.logout" => json!({ "input": { "refreshToken": fx.refresh["logout"] } }),
        "Mutation.createAccount" => json!({ "input": {
            "name": "Fuzz #", "industry": "Logistics", "website": "https://fuzz.example", "region": "EMEA",
            "status": "ACTIVE", "tier": "KEY", "ownerId": admin, "annualRevenue": money("1000"),
            "walletEstimate": money("5000"), "externalRef": xref("acc-#") } }),
        "Mutation.updateAccount" => json!({ "input": {
            "id": id("account"), "name": "Acme Corp", "industry": "Logistics", "website": "https://acme.example",
            "region": "EMEA", "status": "ACTIVE", "tier": "KEY", "ownerId": admin, "annualRevenue": money("1000"),
            "walletEstimate": money("5000"), "externalRef": xref("acme") } }),
        "Mutation.archiveAccount" | "Mutation.restoreAccount" | "Mutation.deleteAccount" => {
            json!({ "input": { "id": id("account") } })
        }
        "Mutation.createContact" => json!({ "input": {
            "accountId": id("account"), "firstName": "Fuzz", "lastName": "Contact #", "title": "CTO",
            "department": "IT", "email": "fuzz#@client.example", "phone": "+49 30 1234", "status": "ACTIVE",
            "buyingRole": "COACH", "influence": 3, "attitude": "NEUTRAL", "reportsToId": id("contact"),
            "relationshipOwnerId": admin, "externalRef": xref("c-#") } }),
        "Mutation.updateContact" => json!({ "input": {
            "id": id("contact2"), "firstName": "Bob", "lastName": "Ray", "title": "CFO", "department": "Finance",
            "email": "bob@client.example", "phone": "+49 30 5678", "status": "ACTIVE", "buyingRole": "INFLUENCER",
            "influence": 2, "attitude": "SUPPORTER", "reportsToId": id("contact"), "relationshipOwnerId": admin,
            "externalRef": xref("bob") } }),
        "Mutation.deleteContact" | "Mutation.eraseContactPersonalData" => {
            json!({ "input": { "id": id("contact") } })
        }
        "Mutation.logActivity" => json!({ "input": {
            "accountId": id("account"), "kind": "CALL",
            "occurredAt": (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339(),
            "hoursSpent": "1.5", "summary": "Fuzz call", "contactIds": [id("contact")], "externalRef": xref("act-#") } }),
        "Mutation.createPlan" => json!({ "input": {
            "accountId": id("account"), "title": "Fuzz plan #", "strategySummary": "Grow",
            "periodStart": day(-30), "periodEnd": day(200), "ownerId": admin } }),
        "Mutation.updatePlan" => json!({ "input": {
            "id": id("plan"), "title": "Plan", "strategySummary": "Grow", "periodStart": day(-60),
            "periodEnd": day(300), "ownerId": admin } }),
        "Mutation.changePlanStatus" => json!({ "input": { "id": id("plan"), "status": "ACTIVE" } }),
        "Mutation.addObjective" => json!({ "input": {
            "planId": id("plan"), "title": "Objective #", "description": "d", "metric": "share", "unit": "%",
            "baseline": "1", "target": "10", "currentValue": "2", "confidence": 50, "dueDate": day(100),
            "ownerId": admin, "status": "ON_TRACK" } }),
        "Mutation.updateObjective" => json!({ "input": {
            "id": id("objective"), "title": "Share", "description": "d", "metric": "share", "unit": "%",
            "baseline": "1", "target": "10", "currentValue": "2", "confidence": 50, "dueDate": day(200),
            "ownerId": admin, "status": "ON_TRACK" } }),
        "Mutation.recordObjectiveProgress" => json!({ "input": {
            "objectiveId": id("objective"), "value": "3", "recordedOn": day(-1), "note": "n" } }),
        "Mutation.addGrowthTarget" => json!({ "input": {
            "planId": id("plan"), "kind": "REVENUE", "productLine": "Line #", "periodStart": day(-30),
            "periodEnd": day(60), "target": money("100"), "actual": "50" } }),
        "Mutation.setGrowthTargetActual" => {
            json!({ "input": { "id": id("growthTarget"), "actual": "10" } })
        }
        "Mutation.addPlanReview" => json!({ "input": {
            "planId": id("plan"), "reviewDate": day(-1), "outcome": "ON_TRACK", "notes": "n", "revisions": ["r"],
            "reviewerIds": [admin], "contingency": "c", "isFinal": false, "moveTo": null } }),
        "Mutation.addContingency" => json!({ "input": {
            "planId": id("plan"), "risk": "Risk #", "trigger": "t", "response": "r", "ownerId": admin } }),
        "Mutation.createProduct" => json!({ "input": { "name": "Product #", "description": "d" } }),
        "Mutation.updateProduct" => json!({ "input": {
            "id": id("product"), "name": "Freight", "description": "d", "active": true } }),
        "Mutation.addBusinessUnit" => json!({ "input": {
            "accountId": id("account"), "name": "Unit #", "kind": "DIVISION" } }),
        "Mutation.setWhiteSpaceCell" => json!({ "input": {
            "accountId": id("account"), "businessUnitId": id("businessUnit"), "productId": id("product"),
            "status": "COMPETITOR_HELD", "estimatedValue": money("100"), "competitor": "Rival", "notes": "n",
            "objectiveId": null } }),
        "Mutation.createActionItem" => json!({ "input": {
            "planId": id("plan"), "objectiveId": id("objective"), "title": "Item #", "notes": "n",
            "assigneeId": admin, "contactIds": [id("contact")], "cadence": "WEEKLY", "firstDueDate": day(3),
            "repeatUntil": day(60) } }),
        "Mutation.updateActionItem" => json!({ "input": {
            "id": id("actionItem"), "objectiveId": id("objective"), "title": "Weekly call", "notes": "n",
            "assigneeId": admin, "contactIds": [id("contact")], "cadence": "WEEKLY", "firstDueDate": day(-14),
            "repeatUntil": null, "status": "OPEN" } }),
        "Mutation.completeOccurrence" => json!({ "input": {
            "actionItemId": id("actionItem"), "dueDate": day(-14), "happened": true, "date": day(-14),
            "valueDelivered": 3, "learned": "l", "revise": "r",
            "followUp": { "title": "Follow-up #", "dueDate": day(10), "assigneeId": admin, "cadence": "ONCE" } } }),
        "Mutation.createUser" => json!({ "input": {
            "email": "fuzz#@acme.example", "displayName": "Fuzz", "role": "VIEWER", "password": OTHER_PASSWORD } }),
        "Mutation.updateUserRole" => {
            json!({ "input": { "id": id("user"), "role": "ACCOUNT_MANAGER" } })
        }
        "Mutation.deactivateUser" => json!({ "input": { "id": id("user") } }),
        other => panic!("no valid arguments for {other}: add them to secrets.rs"),
    }
}

fn targets(sdl: &Sdl, fx: &Fx) -> Vec<Target> {
    let destructive = [
        "Mutation.archiveAccount",
        "Mutation.restoreAccount",
        "Mutation.deleteAccount",
        "Mutation.deleteContact",
        "Mutation.eraseContactPersonalData",
        "Mutation.deactivateUser",
        "Mutation.updateUserRole",
        "Mutation.logout",
        "Mutation.refreshToken",
    ];
    let unchecked = ["Mutation.changePlanStatus", "Mutation.completeOccurrence"];
    let mut out = Vec::new();
    for (parent, fields) in &sdl.objects {
        for f in fields {
            let (kind, wrap, wrap_vars): (_, (String, String), Vec<WrapVar>) = match parent.as_str()
            {
                "Query" => ("query", Default::default(), vec![]),
                "Mutation" => ("mutation", Default::default(), vec![]),
                _ if f.args.is_empty() => continue,
                "Account" => (
                    "query",
                    ("account(id: $_p) {".into(), "}".into()),
                    vec![("_p", "ID!", json!(fx.ids["account"]))],
                ),
                "ActionItem" => (
                    "query",
                    ("actionItem(id: $_p) {".into(), "}".into()),
                    vec![("_p", "ID!", json!(fx.ids["actionItem"]))],
                ),
                "Viewer" => ("query", ("viewer {".into(), "}".into()), vec![]),
                other => panic!("{other}.{} takes arguments: add a way to reach it", f.name),
            };
            let path = format!("{parent}.{}", f.name);
            let base = match base_args(fx, &path) {
                Value::Object(m) => m,
                _ => unreachable!(),
            };
            out.push(Target {
                destructive: destructive.contains(&path.as_str()),
                check_base: !destructive.contains(&path.as_str())
                    && !unchecked.contains(&path.as_str()),
                path,
                kind,
                field: f.name.clone(),
                wrap,
                wrap_vars,
                args: f.args.clone(),
                selection: if sdl.objects.contains_key(base_name(&f.ty)) {
                    "{ __typename }"
                } else {
                    ""
                },
                base,
            });
        }
    }
    out
}

// ---------------------------------------------------------------------------
// Variants: one hostile value at one place, the rest valid.

struct Variant {
    /// `None`: left out.
    value: Option<Value>,
    label: String,
    echoes: Vec<String>,
}

struct Gen<'a> {
    sdl: &'a Sdl,
    fx: &'a Fx,
    turn: usize,
    /// `Type.field` of every input field and `Parent.field(arg)` reached.
    covered: BTreeSet<String>,
    extra_strings: Vec<String>,
    /// Forged cursors by target.
    forged: BTreeMap<String, Vec<String>>,
    all_forged: Vec<String>,
    /// The target being fuzzed.
    target: String,
}

/// Every string inside a JSON value (what the server may echo).
fn strings_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings_in(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings_in(x, out)),
        _ => {}
    }
}

fn forge_cursors(real: &[String]) -> Vec<String> {
    let mut out = BTreeSet::new();
    let decoded: Vec<(String, String, String)> = real
        .iter()
        .filter_map(|c| {
            let text = String::from_utf8(URL_SAFE_NO_PAD.decode(c).ok()?).ok()?;
            let mut p = text.splitn(3, ':');
            Some((
                p.next()?.to_owned(),
                p.next()?.to_owned(),
                p.next()?.to_owned(),
            ))
        })
        .collect();
    assert_eq!(
        decoded.len(),
        real.len(),
        "cursors are base64url of order:id:key"
    );
    // One real cursor per ordering.
    let mut seen = BTreeSet::new();
    let decoded: Vec<_> = decoded
        .into_iter()
        .filter(|(o, _, _)| seen.insert(o.clone()))
        .collect();
    let orders: BTreeSet<&str> = decoded.iter().map(|(o, _, _)| o.as_str()).collect();
    for (o, u, k) in &decoded {
        for forged in [
            format!("{o}:{u}:' OR 1=1 --"),
            format!("{o}:{u}:{}", "9".repeat(10_000)),
            format!("{o}:{u}:\u{0}"),
            format!("{o}:{u}:NaN"),
            format!("{o}:{u}:9999-99-99"),
            format!("{o}:{u}:-1e999"),
            format!("{o}:{u}:2026-02-30T25:61:61Z"),
            format!("{o}:{u}:"),
            format!("{o}:not-a-uuid:{k}"),
            format!("{o}:{u}"),
            format!("{o}:{u}:{k}:extra"),
            format!("{o}::"),
            format!("{o}:{u}:{k}\u{0}"),
        ] {
            out.insert(b64(&forged));
        }
        for other in &orders {
            out.insert(b64(&format!("{other}:{u}:{k}")));
        }
        out.insert(STANDARD.encode(format!("{o}:{u}:{k}")));
        out.insert(format!("{o}:{u}:{k}"));
    }
    out.into_iter().collect()
}

impl Gen<'_> {
    fn rotate<T: Clone>(&mut self, list: &[T], n: usize) -> Vec<T> {
        let start = self.turn;
        self.turn += n;
        (0..n.min(list.len()))
            .map(|i| list[(start + i) % list.len()].clone())
            .collect()
    }

    /// The first `core` values, and `more` of the others in turn.
    fn some(&mut self, all: Vec<Value>, core: usize, more: usize) -> Vec<Value> {
        let (head, tail) = all.split_at(core.min(all.len()));
        let mut out = head.to_vec();
        out.extend(self.rotate(tail, more));
        out
    }

    fn ids(&mut self) -> Vec<Value> {
        let kinds = [
            "Account",
            "Contact",
            "User",
            "Tenant",
            "Activity",
            "Plan",
            "Objective",
            "GrowthTarget",
            "PlanReview",
            "Contingency",
            "ActionItem",
            "Assessment",
            "Product",
            "BusinessUnit",
            "WhiteSpaceCell",
        ];
        let foreign = self.fx.foreign.clone();
        let own: Vec<String> = self.fx.ids.values().cloned().collect();
        // Another tenant's object; one of ours under another type's name;
        // a well-formed id of nothing.
        let foreign = self.rotate(&foreign, 1)[0].clone();
        let real = self.rotate(&own, 1)[0].clone();
        let kind = self.rotate(&kinds, 1)[0];
        let swapped = b64(&format!("{kind}:{}", uuid_of(&real)));
        let kind = self.rotate(&kinds, 1)[0];
        let mut all: Vec<Value> = vec![
            json!("' OR 1=1 --"),
            json!(""),
            json!(b64("Account:' OR 1=1 --")),
            json!(foreign),
            json!(swapped),
            json!(missing_id(kind)),
            json!("1"),
            json!(123),
            json!("!!!!"),
            json!(b64("Account:")),
            json!(b64("Account:00000000-0000-0000-0000-000000000000")),
            json!(b64(&format!("Account:{}", "a".repeat(10_000)))),
            json!(b64("Nope:0190b6b4-0000-7000-8000-000000000000")),
            json!(URL_SAFE_NO_PAD.encode([0xff, 0xfe, 0x00, 0x3a])),
            json!(uuid::Uuid::now_v7().to_string()),
            json!(format!("Account:{}", uuid::Uuid::now_v7())),
            json!(STANDARD.encode(format!("Account:{}", uuid::Uuid::now_v7()))),
        ];
        all.extend(self.extra_strings.iter().take(12).map(|s| json!(s)));
        self.some(all, 6, 3)
    }

    fn strings(&mut self, path: &str) -> Vec<Value> {
        let mut all: Vec<Value> = core_strings().into_iter().map(Value::String).collect();
        let core = all.len();
        all.extend(self.extra_strings.iter().map(|s| json!(s)));
        let mut out = self.some(all, core, 3);
        if path == "after" || path == "before" {
            let target_cursors = self.forged.get(&self.target).cloned().unwrap_or_default();
            out.extend(target_cursors.into_iter().map(Value::String));
            let all = self.all_forged.clone();
            out.extend(self.rotate(&all, 3).into_iter().map(Value::String));
        }
        out
    }

    fn variants(&mut self, ty: &str, base: Option<&Value>, path: &str, out: &mut Vec<Variant>) {
        let t = ty.strip_suffix('!').unwrap_or(ty);
        let push = |out: &mut Vec<Variant>, v: Value, label: String| {
            let mut echoes = Vec::new();
            strings_in(&v, &mut echoes);
            out.push(Variant {
                value: Some(v),
                label,
                echoes,
            });
        };
        push(out, Value::Null, format!("{path} = null"));
        if let Some(inner) = t.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
            let elem = base
                .and_then(Value::as_array)
                .and_then(|a| a.first())
                .cloned();
            let e = elem.clone().unwrap_or(json!("x"));
            let more = [
                (json!([[e.clone()]]), "a nested list"),
                (Value::Array(vec![e.clone(); 1000]), "1000 items"),
                (json!({ "a": 1 }), "an object for a list"),
            ];
            let more = self.rotate(&more, 1);
            for (v, l) in [
                (json!([]), "[]"),
                (json!([null]), "[null]"),
                (e.clone(), "one item, no list"),
            ]
            .into_iter()
            .chain(more)
            {
                push(out, v, format!("{path}: {l}"));
            }
            let mut inner_vs = Vec::new();
            self.variants(inner, elem.as_ref(), &format!("{path}[]"), &mut inner_vs);
            for v in inner_vs {
                out.push(Variant {
                    value: Some(json!([v.value.unwrap_or(Value::Null)])),
                    ..v
                });
            }
            return;
        }
        if let Some(fields) = self.sdl.inputs.get(t).cloned() {
            let b = base.and_then(Value::as_object).cloned().unwrap_or_default();
            let mut deep = json!(1);
            for _ in 0..60 {
                deep = json!({ "x": deep });
            }
            let with = |k: &str, v: Value| {
                let mut o = b.clone();
                o.insert(k.to_owned(), v);
                Value::Object(o)
            };
            let more = [
                (json!([]), "a list for an object"),
                (json!({}), "an empty object"),
                (with("__proto__", json!({ "admin": true })), "__proto__"),
                (with("deep", deep), "60 levels of unknown objects"),
            ];
            let more = self.rotate(&more, 1);
            for (v, l) in [
                (json!("a string"), "a string for an object"),
                (with("unknownField", json!(1)), "an unknown field"),
            ]
            .into_iter()
            .chain(more)
            {
                push(out, v, format!("{path}: {l}"));
            }
            for (fname, fty) in fields {
                self.covered.insert(format!("{t}.{fname}"));
                let mut vs = Vec::new();
                self.variants(&fty, b.get(&fname), &format!("{path}.{fname}"), &mut vs);
                vs.push(Variant {
                    value: None,
                    label: format!("{path}.{fname} left out"),
                    echoes: vec![],
                });
                for v in vs {
                    let mut o = b.clone();
                    match v.value {
                        Some(x) => o.insert(fname.clone(), x),
                        None => o.remove(&fname),
                    };
                    out.push(Variant {
                        value: Some(Value::Object(o)),
                        label: v.label,
                        echoes: v.echoes,
                    });
                }
            }
            return;
        }
        let values: Vec<Value> = if let Some(values) = self.sdl.enums.get(t) {
            let all = vec![
                json!("NOT_A_VALUE"),
                json!("' OR 1=1 --"),
                json!(values[0].to_lowercase()),
                json!(format!("{}\u{0}", values[0])),
                json!(""),
                json!(0),
            ];
            self.some(all, 3, 1)
        } else {
            match t {
                "String" => self.strings(path),
                "ID" => self.ids(),
                "Int" => self.some(ints(), 6, 2),
                "Decimal" => self.some(decimals(), 8, 4),
                "NaiveDate" => self.some(dates(), 7, 3),
                "DateTime" => self.some(datetimes(), 6, 3),
                "Boolean" => vec![json!("true"), json!(1), json!("yes")],
                other => panic!("no hostile values for the scalar {other}: add some"),
            }
        };
        let mut wrong = wrong_types();
        if matches!(t, "String" | "ID") {
            wrong.extend([(json!(42), "a number"), (json!(true), "a boolean")]);
        }
        for (v, l) in self.rotate(&wrong, 1) {
            push(out, v, format!("{path}: {l}"));
        }
        for v in values {
            let shown: String = v.to_string().chars().take(40).collect();
            push(out, v, format!("{path} = {shown}"));
        }
    }
}

// ---------------------------------------------------------------------------
// Requests and checks.

#[derive(Clone)]
enum Req {
    Post {
        body: Vec<u8>,
        content_type: Option<&'static str>,
    },
    Get(String),
}

struct Case {
    label: String,
    req: Req,
    authorization: Option<Vec<u8>>,
    accept: Option<&'static str>,
    echoes: Vec<String>,
    /// The response must be a GraphQL response (JSON with data or errors).
    graphql: bool,
}

fn bearer(token: Option<&str>) -> Option<Vec<u8>> {
    token.map(|t| format!("Bearer {t}").into_bytes())
}

fn op_case(
    label: String,
    token: Option<&str>,
    query: &str,
    variables: Value,
    echoes: Vec<String>,
) -> Case {
    Case {
        label,
        req: Req::Post {
            body: serde_json::to_vec(&json!({ "query": query, "variables": variables })).unwrap(),
            content_type: Some("application/json"),
        },
        authorization: bearer(token),
        accept: None,
        echoes,
        graphql: true,
    }
}

fn raw_case(
    label: &str,
    token: Option<&str>,
    body: impl Into<Vec<u8>>,
    content_type: Option<&'static str>,
) -> Case {
    Case {
        label: label.to_owned(),
        graphql: content_type.is_some_and(|c| {
            c.split(';')
                .next()
                .is_some_and(|m| m.trim() == "application/json")
        }),
        req: Req::Post {
            body: body.into(),
            content_type,
        },
        authorization: bearer(token),
        accept: None,
        echoes: vec![],
    }
}

fn document(t: &Target, present: &Map<String, Value>) -> String {
    let used: Vec<&(String, String)> = t
        .args
        .iter()
        .filter(|(n, _)| present.contains_key(n))
        .collect();
    let decls: Vec<String> = t
        .wrap_vars
        .iter()
        .map(|(n, ty, _)| format!("${n}: {ty}"))
        .chain(used.iter().map(|(n, ty)| format!("${n}: {ty}")))
        .collect();
    let decl = if decls.is_empty() {
        String::new()
    } else {
        format!("({})", decls.join(", "))
    };
    let call = if used.is_empty() {
        t.field.clone()
    } else {
        let a: Vec<String> = used.iter().map(|(n, _)| format!("{n}: ${n}")).collect();
        format!("{}({})", t.field, a.join(", "))
    };
    format!(
        "{} Fuzz{decl} {{ {} {call} {} {} }}",
        t.kind, t.wrap.0, t.selection, t.wrap.1
    )
}

/// `#` in the strings of a valid input: a number unique to the request.
fn uniquify(v: &mut Value, n: usize) {
    match v {
        Value::String(s) if s.contains('#') => *s = s.replace('#', &n.to_string()),
        Value::Array(a) => a.iter_mut().for_each(|x| uniquify(x, n)),
        Value::Object(o) => o.values_mut().for_each(|x| uniquify(x, n)),
        _ => {}
    }
}

fn variables(t: &Target, args: &Map<String, Value>) -> Value {
    let mut v = args.clone();
    for (n, _, val) in &t.wrap_vars {
        v.insert((*n).to_owned(), val.clone());
    }
    Value::Object(v)
}

/// A GraphQL literal for a JSON value of type `ty`.
fn literal(sdl: &Sdl, ty: &str, v: &Value) -> String {
    let t = ty.strip_suffix('!').unwrap_or(ty);
    match v {
        Value::Array(a) => {
            let inner = t
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(']'))
                .unwrap_or(t);
            let items: Vec<String> = a.iter().map(|x| literal(sdl, inner, x)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(o) => {
            let fields = sdl.inputs.get(base_name(t));
            let items: Vec<String> = o
                .iter()
                .map(|(k, x)| {
                    let fty = fields
                        .and_then(|f| f.iter().find(|(n, _)| n == k))
                        .map_or("String", |(_, ty)| ty.as_str());
                    format!("{k}: {}", literal(sdl, fty, x))
                })
                .collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::String(s) if sdl.enums.contains_key(base_name(t)) => s.clone(),
        other => other.to_string(),
    }
}

/// What must never be in a response.
struct Forbidden {
    /// Compared case-insensitively.
    words: Vec<String>,
    /// Compared exactly.
    exact: Vec<String>,
}

fn forbidden(app: &TestApp, fx: &Fx) -> Forbidden {
    let words = [
        "syntax error",
        "relation \"",
        "violates",
        "constraint",
        "sqlx",
        "sea_orm",
        "sea-orm",
        "sqlxerror",
        "dberr",
        "recordnotfound",
        "panicked",
        "stack backtrace",
        "thread '",
        "at line",
        "sqlite",
        "postgres",
        "no such table",
        "no such column",
        "duplicate key",
        "foreign key",
        "database error",
        "pool timed out",
        "$argon2",
        "/src/",
        "/home/",
        "/work/",
        "/root/",
        "/tmp/",
        "/usr/",
        ".cargo/",
        "rustc",
        "called `option",
        "called `result",
        "unwrap()",
        "steward_t_",
        "steward_tpl_",
        "pg_catalog",
    ];
    let mut exact: Vec<String> = [
        "SELECT ",
        "INSERT INTO",
        "DELETE FROM",
        " WHERE ",
        "RETURNING ",
        "ON CONFLICT",
        ".rs:",
        JWT_SECRET,
        PASSWORD,
        OTHER_PASSWORD,
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    exact.push(app.db_url.clone());
    for rt in fx.refresh.values() {
        exact.push(steward_api::auth::hash_refresh_token(rt));
    }
    Forbidden {
        words: words.iter().map(|s| (*s).to_owned()).collect(),
        exact,
    }
}

impl Forbidden {
    fn scan(&self, text: &str) -> Vec<String> {
        let lower = text.to_lowercase();
        let mut found: Vec<String> = self
            .words
            .iter()
            .filter(|w| lower.contains(w.as_str()))
            .cloned()
            .collect();
        found.extend(
            self.exact
                .iter()
                .filter(|w| text.contains(w.as_str()))
                .cloned(),
        );
        if let Some(i) = text.find("UPDATE ")
            && text[i..].contains(" SET ")
        {
            found.push("UPDATE ... SET".into());
        }
        found
    }
}

#[derive(Default)]
struct Tally {
    requests: usize,
    by_status: BTreeMap<u16, usize>,
    by_code: BTreeMap<String, usize>,
    echoing: usize,
    echo_examples: BTreeSet<String>,
    problems: Vec<String>,
}

fn excerpt(s: &str) -> String {
    let s: String = s.chars().take(600).collect();
    s.replace('\u{0}', "\\0")
}

fn check(c: &Case, status: u16, headers: &str, body: &[u8], f: &Forbidden, tally: &mut Tally) {
    tally.requests += 1;
    *tally.by_status.entry(status).or_default() += 1;
    let text = String::from_utf8_lossy(body);
    let mut problems = Vec::new();
    if status >= 500 {
        problems.push(format!("HTTP {status}"));
    }
    if c.graphql || text.trim_start().starts_with('{') {
        match serde_json::from_slice::<Value>(body) {
            Ok(Value::Object(o)) if o.contains_key("data") || o.contains_key("errors") => {
                for e in o
                    .get("errors")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let code = e["extensions"]["code"].as_str();
                    match (e["message"].as_str(), code) {
                        (Some(m), Some(code)) => {
                            *tally.by_code.entry(code.to_owned()).or_default() += 1;
                            if code == "INTERNAL" {
                                problems.push(format!("INTERNAL: {e}"));
                            }
                            if c.echoes
                                .iter()
                                .any(|x| x.chars().count() >= 3 && m.contains(x.as_str()))
                            {
                                tally.echoing += 1;
                                // Only input coercion and validation quote what was sent.
                                if !matches!(
                                    code,
                                    "VALIDATION"
                                        | "GRAPHQL_VALIDATION_FAILED"
                                        | "GRAPHQL_PARSE_FAILED"
                                ) {
                                    problems.push(format!("a {code} error echoes input: {m}"));
                                }
                                if tally.echo_examples.len() < 8 {
                                    tally.echo_examples.insert(excerpt(m));
                                }
                            }
                        }
                        _ => problems.push(format!("an error without message or code: {e}")),
                    }
                }
                if o.get("errors").is_some_and(|e| !e.is_array()) {
                    problems.push("`errors` is not a list".into());
                }
            }
            Ok(_) => problems.push("not a GraphQL response".into()),
            Err(e) => problems.push(format!("not JSON ({e})")),
        }
    }
    // Cut out what the client sent, then look for what the server added.
    let mut scanned = format!("{headers}\n{text}");
    let mut echoes: Vec<String> = c.echoes.iter().filter(|e| !e.is_empty()).cloned().collect();
    echoes.sort_by_key(|e| std::cmp::Reverse(e.len()));
    for e in echoes {
        let escaped = serde_json::to_string(&e).unwrap();
        scanned = scanned
            .replace(&escaped[1..escaped.len() - 1], "")
            .replace(&e, "");
    }
    for leak in f.scan(&scanned) {
        problems.push(format!("leaks {leak:?}"));
    }
    if !problems.is_empty() {
        tally.problems.push(format!(
            "{}: {} (HTTP {status}): {}",
            c.label,
            problems.join("; "),
            excerpt(&text)
        ));
    }
}

async fn send(client: &reqwest::Client, url: &str, c: &Case) -> (u16, String, Vec<u8>) {
    let mut rb = match &c.req {
        Req::Post { body, content_type } => {
            let mut r = client.post(url).body(body.clone());
            if let Some(ct) = content_type {
                r = r.header("content-type", *ct);
            }
            r
        }
        Req::Get(q) => client.get(format!("{url}?{q}")),
    };
    if let Some(a) = &c.authorization {
        rb = rb.header(
            "authorization",
            reqwest::header::HeaderValue::from_bytes(a).expect("a header value"),
        );
    }
    if let Some(a) = c.accept {
        rb = rb.header("accept", a);
    }
    match rb.send().await {
        Ok(resp) => {
            let status = resp.status().as_u16();
            let headers: String = resp
                .headers()
                .iter()
                .map(|(k, v)| format!("{k}: {}\n", String::from_utf8_lossy(v.as_bytes())))
                .collect();
            let body = resp.bytes().await.map(|b| b.to_vec()).unwrap_or_default();
            (status, headers, body)
        }
        // The connection dropped (a panic in a handler, say): as bad as a 5xx.
        Err(e) => (
            599,
            String::new(),
            format!("request failed: {e}").into_bytes(),
        ),
    }
}

async fn run(app: &TestApp, cases: Vec<Case>, f: &Forbidden, tally: &mut Tally) {
    let url = app.url.clone();
    let client = app.client.clone();
    let mut results = futures::stream::iter(cases)
        .map(|c| {
            let (client, url) = (client.clone(), url.clone());
            async move {
                let r = send(&client, &url, &c).await;
                (c, r)
            }
        })
        .buffer_unordered(8);
    while let Some((c, (status, headers, body))) = results.next().await {
        check(&c, status, &headers, &body, f, tally);
    }
}

// ---------------------------------------------------------------------------
// The corpus.

fn fuzz_cases(g: &mut Gen<'_>, targets: &[Target], phase_destructive: bool) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut n = 0usize;
    for t in targets
        .iter()
        .filter(|t| t.destructive == phase_destructive)
    {
        g.target = t.path.clone();
        let mut base = Value::Object(t.base.clone());
        n += 1;
        uniquify(&mut base, n);
        let base = base.as_object().cloned().unwrap_or_default();
        // The valid form, as callers who may not run it.
        for (who, token) in [
            ("anonymous", None),
            ("a viewer", Some(g.fx.viewer.as_str())),
            ("another tenant's admin", Some(g.fx.other_admin.as_str())),
        ] {
            cases.push(op_case(
                format!("{} as {who}", t.path),
                token,
                &document(t, &base),
                variables(t, &base),
                vec![],
            ));
        }
        for (arg, ty) in &t.args {
            g.covered.insert(format!("{}({arg})", t.path));
            let mut vs = Vec::new();
            g.variants(ty, t.base.get(arg), arg, &mut vs);
            vs.push(Variant {
                value: None,
                label: format!("{arg} left out"),
                echoes: vec![],
            });
            for v in vs {
                n += 1;
                let mut args = t.base.clone();
                let mut bv = Value::Object(args.clone());
                uniquify(&mut bv, n);
                if let Value::Object(o) = bv {
                    args = o;
                }
                match v.value {
                    Some(x) => args.insert(arg.clone(), x),
                    None => args.remove(arg),
                };
                cases.push(op_case(
                    format!("{}: {}", t.path, v.label),
                    Some(&g.fx.admin),
                    &document(t, &args),
                    variables(t, &args),
                    v.echoes,
                ));
            }
        }
        // The same, inlined in the document: string literals with hostile text.
        let hostile = [
            "' OR 1=1 --".to_owned(),
            "\u{0}\u{202E}".to_owned(),
            "x".repeat(10_000),
            "\"\\\"; DROP TABLE users; --".to_owned(),
        ];
        for h in g.rotate(&hostile, 2) {
            let mut args = base.clone();
            for (arg, _) in &t.args {
                if let Some(v) = args.get_mut(arg) {
                    replace_strings(v, &h);
                }
            }
            let used: Vec<String> = t
                .args
                .iter()
                .filter_map(|(n, ty)| {
                    args.get(n)
                        .map(|v| format!("{n}: {}", literal(g.sdl, ty, v)))
                })
                .collect();
            let call = if used.is_empty() {
                t.field.clone()
            } else {
                format!("{}({})", t.field, used.join(", "))
            };
            let decl: Vec<String> = t
                .wrap_vars
                .iter()
                .map(|(n, ty, _)| format!("${n}: {ty}"))
                .collect();
            let decl = if decl.is_empty() {
                String::new()
            } else {
                format!("({})", decl.join(", "))
            };
            let doc = format!(
                "{} Inline{decl} {{ {} {call} {} {} }}",
                t.kind, t.wrap.0, t.selection, t.wrap.1
            );
            let mut echoes = vec![h.clone()];
            echoes.extend(doc.lines().map(str::to_owned));
            cases.push(op_case(
                format!(
                    "{} inlined with {:?}",
                    t.path,
                    excerpt(&h.chars().take(20).collect::<String>())
                ),
                Some(&g.fx.admin),
                &doc,
                variables(t, &Map::new()),
                echoes,
            ));
        }
    }
    cases
}

/// Replaces the free-text strings (not ids, enums or dates) of a valid input.
fn replace_strings(v: &mut Value, with: &str) {
    match v {
        Value::String(s)
            if s.chars().any(char::is_whitespace)
                || s.chars().all(|c| c.is_ascii_lowercase() || c == ' ') =>
        {
            *s = with.to_owned();
        }
        Value::Array(a) => a.iter_mut().for_each(|x| replace_strings(x, with)),
        Value::Object(o) => o.values_mut().for_each(|x| replace_strings(x, with)),
        _ => {}
    }
}

fn document_cases(fx: &Fx) -> Vec<Case> {
    let nest = |open: &str, close: &str, n: usize, inner: &str| {
        format!("{}{inner}{}", open.repeat(n), close.repeat(n))
    };
    let a = &fx.ids["account"];
    let docs: Vec<String> = vec![
        String::new(),
        " ".into(),
        "{".into(),
        "}".into(),
        "{ viewer".into(),
        "query".into(),
        "mutation".into(),
        "subscription { viewer { __typename } }".into(),
        "{ nope }".into(),
        "{ viewer { nope } }".into(),
        "{ viewer { __typename } } trailing".into(),
        "query A { viewer { __typename } } query A { viewer { __typename } }".into(),
        "query A { viewer { __typename } } query B { viewer { __typename } }".into(),
        "fragment F on Viewer { ...F } { viewer { ...F } }".into(),
        "fragment F on Viewer { __typename } { viewer { ...G } }".into(),
        "{ login(input: {tenant: \"acme\", email: \"x\", password: \"y\"}) { accessToken } }"
            .into(),
        format!(
            "{{ {} }}",
            nest("...on Query { ", "} ", 900, "viewer { __typename }")
        ),
        format!(
            "{{ accounts(filter: {{tiers: {}}}) {{ __typename }} }}",
            nest("[", "]", 2400, "KEY")
        ),
        format!(
            "{{ accounts(filter: {}) {{ __typename }} }}",
            nest("{a: ", "}", 1200, "1")
        ),
        format!(
            "{{ accounts(filter: {{nameContains: \"{}\"}}) {{ __typename }} }}",
            "x".repeat(95_000)
        ),
        format!(
            "{{ accounts(filter: {{nameContains: \"{}\"}}) {{ __typename }} }}",
            "x".repeat(200_000)
        ),
        "{ accounts(filter: {nameContains: \"\\ud800\"}) { __typename } }".into(),
        "{ accounts(filter: {nameContains: \"\\udc00\\ud800\"}) { __typename } }".into(),
        "{ accounts(filter: {nameContains: \"\\u0000\"}) { __typename } }".into(),
        "{ accounts(filter: {nameContains: \"\\uD83D\\uDE00\"}) { __typename } }".into(),
        "{ accounts(filter: {nameContains: \"\\u{1F600}\"}) { __typename } }".into(),
        "{ accounts(filter: {nameContains: \"\\u{110000}\"}) { __typename } }".into(),
        "{ accounts(filter: {nameContains: \"\\x41\"}) { __typename } }".into(),
        "{ accounts(filter: {nameContains: \"\\u12\"}) { __typename } }".into(),
        "{ accounts(filter: {nameContains: \"\"\"' OR 1=1 --\"\"\"}) { __typename } }".into(),
        "{ accounts(first: 99999999999999999999999) { __typename } }".into(),
        "{ accounts(first: -2147483649) { __typename } }".into(),
        "{ accounts(first: 1.5) { __typename } }".into(),
        "{ accounts(first: 1e999) { __typename } }".into(),
        "{ accounts(first: \"1\") { __typename } }".into(),
        "{ accounts(first: NaN) { __typename } }".into(),
        "{ accounts(orderBy: NOPE) { __typename } }".into(),
        "{ accounts(orderBy: \"NAME_ASC\") { __typename } }".into(),
        "{ accounts(orderBy: null) { __typename } }".into(),
        "query($x: Int) { accounts(after: $x) { __typename } }".into(),
        "query($x: Nope) { viewer { __typename } }".into(),
        "query($x: String = 5) { accounts(after: $x) { __typename } }".into(),
        "query($x: String = \"' OR 1=1 --\") { accounts(after: $x) { __typename } }".into(),
        "{ accounts(after: $x) { __typename } }".into(),
        "query($x: String, $x: String) { viewer { __typename } }".into(),
        format!(
            "{{ viewer {} {{ __typename }} }}",
            "@skip(if: false) ".repeat(500)
        ),
        "{ viewer @nope { __typename } }".into(),
        "{ viewer @include(if: \"yes\") { __typename } }".into(),
        format!(
            "{{ {} }}",
            (0..31)
                .map(|i| format!("a{i}: viewer {{ __typename }}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        format!(
            "{{ {} }}",
            (0..25)
                .map(|i| format!("a{i}: products {{ __typename }}"))
                .collect::<Vec<_>>()
                .join(" ")
        ),
        format!(
            "{{ {} }}",
            nest(
                "__schema { types { fields { type { ofType { ",
                "} } } } } ",
                4,
                "name"
            )
        ),
        "{ __type(name: \"' OR 1=1 --\") { name } }".into(),
        format!("{{ __type(name: \"{}\") {{ name }} }}", "A".repeat(10_000)),
        "# \u{0} comment\n{ viewer { __typename } }".into(),
        "\u{FEFF}{ viewer { __typename } }".into(),
        format!("{{ {} }}", "a".repeat(10_000)),
        "{ vi\u{EB}wer { __typename } }".into(),
        format!(
            "{{ node(id: \"{a}\") {{ ... on Account {{ contacts {{ nodes {{ account {{ contacts {{ nodes {{ account {{ contacts {{ nodes {{ account {{ contacts {{ nodes {{ id }} }} }} }} }} }} }} }} }} }} }} }} }}"
        ),
        format!(
            "{{ account(id: \"{a}\") {{ contacts(first: 100) {{ nodes {{ account {{ contacts(first: 100) {{ nodes {{ account {{ contacts(first: 100) {{ nodes {{ id }} }} }} }} }} }} }} }} }} }}"
        ),
        "mutation { logout { ok } } query Q { viewer { __typename } }".into(),
        format!(
            "mutation {{ {} }}",
            (0..20)
                .map(|i| format!(
                    "a{i}: createProduct(input: {{name: \"P{i} ' OR 1=1\"}}) {{ __typename }}"
                ))
                .collect::<Vec<_>>()
                .join(" ")
        ),
    ];
    let mut cases = Vec::new();
    for (i, d) in docs.iter().enumerate() {
        for (who, token) in [("admin", Some(fx.admin.as_str())), ("anonymous", None)] {
            let echoes: Vec<String> = d.lines().map(str::to_owned).collect();
            cases.push(op_case(
                format!("document {i} as {who}"),
                token,
                d,
                json!({}),
                echoes,
            ));
        }
    }
    // Operation names.
    for name in ["' OR 1=1 --", "", "B", &"N".repeat(10_000), "\u{0}"] {
        cases.push(Case {
            echoes: vec![name.to_owned()],
            ..raw_case(
                "hostile operationName",
                Some(&fx.admin),
                serde_json::to_vec(
                    &json!({ "query": "query A { viewer { __typename } }", "operationName": name }),
                )
                .unwrap(),
                Some("application/json"),
            )
        });
    }
    cases
}

fn raw_cases(fx: &Fx) -> Vec<Case> {
    let ok = r#"{ viewer { __typename } }"#;
    let tok = Some(fx.admin.as_str());
    let json_bodies: Vec<(&str, Vec<u8>)> = vec![
        ("empty body", vec![]),
        ("{", b"{".to_vec()),
        ("}", b"}".to_vec()),
        ("[", b"[".to_vec()),
        ("null", b"null".to_vec()),
        ("true", b"true".to_vec()),
        ("1", b"1".to_vec()),
        ("a string", b"\"x\"".to_vec()),
        ("truncated", b"{\"query\":".to_vec()),
        ("query is a number", br#"{"query": 1}"#.to_vec()),
        ("query is null", br#"{"query": null}"#.to_vec()),
        (
            "query is a list",
            format!(r#"{{"query": ["{ok}"]}}"#).into_bytes(),
        ),
        (
            "variables is a string",
            format!(r#"{{"query": "{ok}", "variables": "x"}}"#).into_bytes(),
        ),
        (
            "variables is a list",
            format!(r#"{{"query": "{ok}", "variables": []}}"#).into_bytes(),
        ),
        (
            "extensions is a number",
            format!(r#"{{"query": "{ok}", "extensions": 1}}"#).into_bytes(),
        ),
        (
            "operationName is a number",
            format!(r#"{{"query": "{ok}", "operationName": 5}}"#).into_bytes(),
        ),
        (
            "lone surrogate in the query",
            br#"{"query": "\ud800"}"#.to_vec(),
        ),
        (
            "lone surrogate in variables",
            format!(r#"{{"query": "{ok}", "variables": {{"a": "\ud800"}}}}"#).into_bytes(),
        ),
        (
            "reversed surrogates",
            format!(r#"{{"query": "{ok}", "variables": {{"a": "\udc00\ud800"}}}}"#).into_bytes(),
        ),
        (
            "NUL escape in the query",
            br#"{"query": "\u0000"}"#.to_vec(),
        ),
        ("raw NUL byte", b"{\"query\": \"\x00\"}".to_vec()),
        ("NaN", br#"{"query": NaN}"#.to_vec()),
        (
            "1e999",
            format!(r#"{{"query": "{ok}", "variables": {{"a": 1e999}}}}"#).into_bytes(),
        ),
        (
            "a huge integer",
            format!(r#"{{"query": "{ok}", "variables": {{"a": 123456789012345678901234567890}}}}"#)
                .into_bytes(),
        ),
        (
            "-0",
            format!(r#"{{"query": "{ok}", "variables": {{"a": -0}}}}"#).into_bytes(),
        ),
        (
            "10000 nested lists",
            format!("{}{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
        ),
        (
            "10000 nested objects",
            format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000)).into_bytes(),
        ),
        (
            "100 nested variables",
            format!(
                r#"{{"query": "{ok}", "variables": {{"a": {}1{}}}}}"#,
                "{\"a\":".repeat(100),
                "}".repeat(100)
            )
            .into_bytes(),
        ),
        (
            "1000 nested variables",
            format!(
                r#"{{"query": "{ok}", "variables": {{"a": {}1{}}}}}"#,
                "[".repeat(1000),
                "]".repeat(1000)
            )
            .into_bytes(),
        ),
        (
            "duplicate keys",
            format!(r#"{{"query": "{ok}", "query": "{{ nope }}"}}"#).into_bytes(),
        ),
        (
            "trailing garbage",
            format!(r#"{{"query": "{ok}"}} xyz"#).into_bytes(),
        ),
        (
            "byte order mark",
            format!("\u{FEFF}{{\"query\": \"{ok}\"}}").into_bytes(),
        ),
        ("invalid UTF-8", vec![0xff, 0xfe, 0x7b, 0x7d]),
        (
            "invalid UTF-8 in a string",
            b"{\"query\": \"\xff\xfe\"}".to_vec(),
        ),
        (
            "a batch (refused)",
            format!(r#"[{{"query": "{ok}"}}]"#).into_bytes(),
        ),
        ("an empty batch", b"[]".to_vec()),
        ("a batch of garbage", b"[1, \"x\", null]".to_vec()),
        (
            "1.1 MB",
            format!(
                r#"{{"query": "{ok}", "variables": {{"a": "{}"}}}}"#,
                "x".repeat(1_100_000)
            )
            .into_bytes(),
        ),
        ("10 000 variables", {
            let vars: Map<String, Value> =
                (0..10_000).map(|i| (format!("v{i}"), json!(i))).collect();
            serde_json::to_vec(&json!({ "query": ok, "variables": vars })).unwrap()
        }),
    ];
    let mut cases = Vec::new();
    for (label, body) in json_bodies {
        for accept in [None, Some("application/graphql-response+json")] {
            cases.push(Case {
                accept,
                ..raw_case(
                    &format!("raw body: {label}"),
                    tok,
                    body.clone(),
                    Some("application/json"),
                )
            });
        }
        cases.push(raw_case(
            &format!("raw body, anonymous: {label}"),
            None,
            body,
            Some("application/json"),
        ));
    }
    let good = format!(r#"{{"query": "{ok}"}}"#);
    for ct in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/graphql"),
        Some("application/json; charset=latin1"),
        Some("application/json;;;"),
        Some("application/jsonx"),
    ] {
        cases.push(raw_case(
            &format!("content type {ct:?}"),
            tok,
            good.clone(),
            ct,
        ));
    }
    for accept in [
        "text/html",
        "application/xml",
        "*/*;q=NaN",
        "application/json;q=1e999",
        "\u{7f}",
    ] {
        cases.push(Case {
            accept: Some(if accept == "\u{7f}" { "a\tb" } else { accept }),
            graphql: false,
            ..raw_case(
                &format!("Accept: {accept}"),
                tok,
                good.clone(),
                Some("application/json"),
            )
        });
    }
    for q in [
        "query=%7B%20viewer%20%7B%20__typename%20%7D%20%7D&variables=garbage",
        "query=mutation%7Blogout%7Bok%7D%7D",
        "query=%ff%fe",
        "query=%7Bviewer%7B__typename%7D%7D&variables=%7B%22a%22%3A",
        "query=a&query=b",
        "query=%7Bviewer%7B__typename%7D%7D&extensions=1",
        "query=%7Baccounts(filter%3A%7BnameContains%3A%22%27%20OR%201%3D1%20--%22%7D)%7B__typename%7D%7D",
        "variables=%7B%7D",
        "query=",
        "%%%",
    ] {
        cases.push(Case {
            req: Req::Get(q.to_owned()),
            graphql: true,
            ..raw_case(&format!("GET ?{q}"), tok, Vec::new(), None)
        });
    }
    let long = format!("query={}", "x".repeat(10_000));
    cases.push(Case {
        req: Req::Get(long),
        graphql: true,
        ..raw_case("GET with a 10 kB query", tok, Vec::new(), None)
    });
    cases
}

fn jwt(header: &Value, claims: &Value, key: &[u8]) -> String {
    use jsonwebtoken::{EncodingKey, Header, encode};
    let h: Header = serde_json::from_value(header.clone()).unwrap();
    encode(&h, claims, &EncodingKey::from_secret(key)).unwrap()
}

fn token_cases(fx: &Fx) -> Vec<Case> {
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

// ---------------------------------------------------------------------------
// Read-back: everything stored comes back without errors.

fn select_all(sdl: &Sdl, ty: &str, depth: usize) -> String {
    let mut parts = Vec::new();
    for f in &sdl.objects[ty] {
        if f.args.iter().any(|(_, t)| t.ends_with('!')) {
            continue;
        }
        let args = if f.args.iter().any(|(n, _)| n == "first") {
            "(first: 5)"
        } else {
            ""
        };
        let b = base_name(&f.ty);
        if sdl.objects.contains_key(b) {
            if depth == 0 {
                continue;
            }
            let inner = select_all(sdl, b, depth - 1);
            if !inner.is_empty() {
                parts.push(format!("{}{args} {{ {inner} }}", f.name));
            }
        } else {
            parts.push(format!("{}{args}", f.name));
        }
    }
    parts.join(" ")
}

async fn read_back(app: &TestApp, sdl: &Sdl, fx: &Fx, f: &Forbidden, tally: &mut Tally) {
    let mut queries = vec![
        (
            "users".to_owned(),
            format!(
                "{{ users(first: 100) {{ nodes {{ {} }} }} }}",
                select_all(sdl, "User", 1)
            ),
        ),
        (
            "products".to_owned(),
            format!(
                "{{ products(includeInactive: true) {{ {} }} }}",
                select_all(sdl, "Product", 1)
            ),
        ),
        (
            "viewer".to_owned(),
            format!(
                "{{ viewer {{ {} agenda(from: \"{}\", to: \"{}\") {{ {} }} }} }}",
                select_all(sdl, "Viewer", 2),
                day(-366),
                day(0),
                select_all(sdl, "Occurrence", 2)
            ),
        ),
        (
            "overdue".to_owned(),
            format!(
                "{{ overdueActions(first: 100) {{ nodes {{ {} }} }} }}",
                select_all(sdl, "Occurrence", 2)
            ),
        ),
    ];
    for (list, ty) in [("accounts", "Account"), ("plans", "Plan")] {
        let filter = if list == "accounts" {
            ", filter: {includeArchived: true}"
        } else {
            ""
        };
        let mut after: Option<String> = None;
        loop {
            let q = format!(
                "query($a: String) {{ {list}(first: 10, after: $a{filter}) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {} }} }} }}",
                select_all(sdl, ty, 2)
            );
            let r = app
                .graphql(Some(&fx.admin), &q, json!({ "a": after }))
                .await;
            let c = op_case(
                format!("read back {list}"),
                Some(&fx.admin),
                &q,
                json!({}),
                vec![],
            );
            check_read_back(&c, &r, f, tally);
            match &r.body["data"][list]["pageInfo"] {
                p if p["hasNextPage"] == json!(true) => {
                    after = p["endCursor"].as_str().map(str::to_owned)
                }
                _ => break,
            }
        }
    }
    for (label, q) in queries.drain(..) {
        let r = app.graphql(Some(&fx.admin), &q, json!({})).await;
        let c = op_case(
            format!("read back {label}"),
            Some(&fx.admin),
            &q,
            json!({}),
            vec![],
        );
        check_read_back(&c, &r, f, tally);
    }
}

/// Stored data comes back as it was stored (it may hold anything the
/// corpus sent), so only errors, headers and secrets are looked at.
fn check_read_back(c: &Case, r: &Gql, f: &Forbidden, tally: &mut Tally) {
    tally.requests += 1;
    let mut problems = Vec::new();
    if r.status != 200 {
        problems.push(format!("HTTP {}", r.status));
    }
    if let Some(e) = r.body.get("errors") {
        problems.push(format!("errors: {}", excerpt(&e.to_string())));
    }
    let errors = r
        .body
        .get("errors")
        .map(Value::to_string)
        .unwrap_or_default();
    let headers: String = r
        .headers
        .iter()
        .map(|(k, v)| format!("{k}: {v:?}\n"))
        .collect();
    for leak in f.scan(&format!("{headers}{errors}")) {
        problems.push(format!("leaks {leak:?}"));
    }
    let body = r.body.to_string();
    let secrets = Forbidden {
        words: vec!["$argon2".into()],
        exact: f.exact.iter().filter(|e| e.len() > 12).cloned().collect(),
    };
    for leak in secrets.scan(&body) {
        problems.push(format!("data holds {leak:?}"));
    }
    if !problems.is_empty() {
        tally
            .problems
            .push(format!("{}: {}", c.label, problems.join("; ")));
    }
}

// ---------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn no_internal_detail_leaks_under_hostile_input() {
    let started = Instant::now();
    let sdl = parse_sdl(SDL);
    assert!(sdl.objects.contains_key("Query") && sdl.objects.contains_key("Mutation"));
    let app = spawn_app_with(|c| {
        c.rate_limit_per_minute = 0;
        c.login_rate_limit_per_minute = 0;
        c.max_complexity = 1_000_000;
    })
    .await;
    let fx = setup(&app).await;
    let forbidden = forbidden(&app, &fx);
    let targets = targets(&sdl, &fx);

    // Every root field, and every field with arguments, is a target.
    for (parent, fields) in &sdl.objects {
        for fd in fields {
            if matches!(parent.as_str(), "Query" | "Mutation") || !fd.args.is_empty() {
                let path = format!("{parent}.{}", fd.name);
                assert!(
                    targets.iter().any(|t| t.path == path),
                    "{path} is not fuzzed"
                );
            }
        }
    }

    // The valid forms work (so hostile values get as far as they can).
    for t in targets.iter().filter(|t| t.check_base) {
        let mut base = Value::Object(t.base.clone());
        uniquify(&mut base, 0);
        let args = base.as_object().cloned().unwrap_or_default();
        let r = app
            .graphql(Some(&fx.admin), &document(t, &args), variables(t, &args))
            .await;
        assert!(
            r.body.get("errors").is_none(),
            "the valid form of {} fails: {}",
            t.path,
            r.body
        );
    }

    let mut forged = BTreeMap::new();
    let mut all_forged = Vec::new();
    for (target, real) in &fx.cursors {
        let f = forge_cursors(real);
        all_forged.extend(f.iter().cloned());
        forged.insert(target.clone(), f);
    }
    let mut g = Gen {
        sdl: &sdl,
        fx: &fx,
        turn: 0,
        covered: BTreeSet::new(),
        extra_strings: extra_strings(),
        forged,
        all_forged,
        target: String::new(),
    };
    let mut tally = Tally::default();
    let mut phases: Vec<String> = vec![format!("setup {:.1} s", started.elapsed().as_secs_f64())];
    let mut timed = |label: &str, n: usize, since: Instant| {
        phases.push(format!(
            "{label}: {n} in {:.1} s",
            since.elapsed().as_secs_f64()
        ));
    };

    let t0 = Instant::now();
    let phase1 = fuzz_cases(&mut g, &targets, false);
    let n = phase1.len();
    run(&app, phase1, &forbidden, &mut tally).await;
    timed("arguments and input fields", n, t0);
    let t0 = Instant::now();
    let mut other = document_cases(&fx);
    other.extend(raw_cases(&fx));
    other.extend(token_cases(&fx));
    let n = other.len();
    run(&app, other, &forbidden, &mut tally).await;
    timed("documents, raw requests, tokens, logins", n, t0);
    let t0 = Instant::now();
    let before = tally.requests;
    read_back(&app, &sdl, &fx, &forbidden, &mut tally).await;
    timed("read-back", tally.requests - before, t0);
    let t0 = Instant::now();
    let phase2 = fuzz_cases(&mut g, &targets, true);
    let n = phase2.len();
    // One at a time: each may change what the next one finds.
    for c in phase2 {
        run(&app, vec![c], &forbidden, &mut tally).await;
    }
    timed("destructive mutations", n, t0);
    let t0 = Instant::now();
    let before = tally.requests;
    read_back(&app, &sdl, &fx, &forbidden, &mut tally).await;
    timed("read-back", tally.requests - before, t0);

    // Every input field of every input type got hostile values.
    for (input, fields) in &sdl.inputs {
        for (fname, _) in fields {
            assert!(
                g.covered.contains(&format!("{input}.{fname}")),
                "{input}.{fname} got no hostile value"
            );
        }
    }

    eprintln!(
        "secrets: {} requests in {:.1} s ({phases:?}); HTTP {:?}; codes {:?}; {} errors echo input, e.g. {:#?}",
        tally.requests,
        started.elapsed().as_secs_f64(),
        tally.by_status,
        tally.by_code,
        tally.echoing,
        tally.echo_examples,
    );
    assert!(
        tally.problems.is_empty(),
        "{} of {} responses are unsound:\n{}",
        tally.problems.len(),
        tally.requests,
        tally
            .problems
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// A log sink for one test (on its own thread: `#[tokio::test]` runs the
/// server on the test's thread).
#[derive(Clone, Default)]
struct Logs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(b);
        Ok(b.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;

    fn make_writer(&'a self) -> Logs {
        self.clone()
    }
}

/// An internal error (here: a table gone under the running server) answers
/// `internal error` with the request id, and the log holds the detail under
/// that id.
#[tokio::test]
async fn internal_errors_log_the_detail_with_the_request_id() {
    use tracing_subscriber::util::SubscriberInitExt;
    let logs = Logs::default();
    // A second dispatcher: with a single one, tracing decides whether a
    // callsite first reached on another test's thread is enabled by asking
    // that thread's default (none), and our span would never be recorded.
    let _second = tracing::Dispatch::new(tracing_subscriber::registry());
    let _guard = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
        .finish()
        .set_default();
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let conn = sea_orm::Database::connect(&app.db_url).await.unwrap();
    sea_orm::ConnectionTrait::execute_unprepared(
        &conn,
        "ALTER TABLE products RENAME TO products_gone",
    )
    .await
    .unwrap();
    let _ = conn.close().await;

    let r = app
        .graphql(Some(&t.admin_token), "{ products { id name } }", json!({}))
        .await;
    r.assert_error("INTERNAL");
    let e = &r.body["errors"][0];
    assert_eq!(e["message"], "internal error");
    let id = e["extensions"]["requestId"].as_str().unwrap();
    assert_eq!(r.headers["x-request-id"].to_str().unwrap(), id);
    let body = r.body.to_string();
    assert!(
        [
            "products_gone",
            "no such table",
            "does not exist",
            "relation"
        ]
        .iter()
        .all(|w| !body.contains(w)),
        "{body}"
    );

    let log = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let line = log
        .lines()
        .find(|l| l.contains("request failed"))
        .unwrap_or_else(|| panic!("no error logged:\n{log}"));
    assert!(
        line.contains(&format!("request_id={id}"))
            && line.contains("INTERNAL")
            && line.contains("products"),
        "the log line lacks the request id or the detail: {line}"
    );
}
