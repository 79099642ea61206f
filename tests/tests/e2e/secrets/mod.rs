//! Nothing internal in any response, under any input: no SQL, driver text,
//! file path, stack trace or secret, no 5xx, no `INTERNAL`, and always a
//! well-formed GraphQL response.
//!
//! The corpus is generated from `schema.graphql` (`sdl.rs`): every
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

const SDL: &str = include_str!("../../../../schema.graphql");

/// Another user's password, to look for in responses.
const OTHER_PASSWORD: &str = "another password for fuzzed users";

mod check;
mod corpus;
mod documents;
mod fixture;
mod raw;
mod read_back;
mod requests;
mod sdl;
mod targets;
mod tokens;
mod values;
mod variants;

use check::*;
use corpus::*;
use documents::*;
use fixture::*;
use raw::*;
use read_back::*;
use requests::*;
use sdl::*;
use targets::*;
use tokens::*;
use values::*;
use variants::*;

// ---------------------------------------------------------------------------
// The types the parts share.

/// A variable the text around a target uses: name, type, value.
type WrapVar = (&'static str, &'static str, Value);

/// A field of an object type or interface.
#[derive(Debug, Clone)]
struct FieldDef {
    name: String,
    args: Vec<(String, String)>,
    ty: String,
}

/// What the corpus needs of the schema.
#[derive(Debug, Default)]
struct Sdl {
    /// Object types and interfaces.
    objects: BTreeMap<String, Vec<FieldDef>>,
    inputs: BTreeMap<String, Vec<(String, String)>>,
    enums: BTreeMap<String, Vec<String>>,
}

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

struct Forbidden {
    /// Compared case-insensitively.
    words: Vec<String>,
    /// Compared exactly.
    exact: Vec<String>,
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
