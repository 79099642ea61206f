//! Read-back: everything stored comes back without errors.

use super::*;

pub(super) fn select_all(sdl: &Sdl, ty: &str, depth: usize) -> String {
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

pub(super) async fn read_back(app: &TestApp, sdl: &Sdl, fx: &Fx, f: &Forbidden, tally: &mut Tally) {
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
pub(super) fn check_read_back(c: &Case, r: &Gql, f: &Forbidden, tally: &mut Tally) {
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
