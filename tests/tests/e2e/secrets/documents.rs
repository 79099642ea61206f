//! Hostile documents: deep nesting, huge aliases, broken syntax.

use super::*;

pub(super) fn document_cases(fx: &Fx) -> Vec<Case> {
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
