//! `schema.graphql` is what the code generates.

#[test]
fn schema_graphql_is_in_sync_with_the_code() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema.graphql");
    let on_disk = std::fs::read_to_string(&path).expect("read schema.graphql");
    let generated = steward_api::graphql::sdl();
    assert!(
        on_disk == generated,
        "schema.graphql is out of date: run `cargo run -- schema > schema.graphql`"
    );
}

/// Every type, field, argument, input field and enum value of Steward's
/// schema has a description (they are the API's documentation).
#[tokio::test]
async fn every_schema_element_is_described() {
    let schema = steward_api::graphql::build_schema(
        None,
        &steward_api::config::Config {
            introspection: Some(true),
            ..steward_api::config::Config::default()
        },
    );
    let q = r#"{ __schema { types { name kind description
        fields(includeDeprecated: true) { name description args { name description } }
        inputFields { name description }
        enumValues(includeDeprecated: true) { name description } } } }"#;
    let resp = schema.execute(q).await;
    assert!(resp.errors.is_empty(), "{:?}", resp.errors);
    let v = resp.data.into_json().unwrap();
    let builtin = ["String", "Int", "Float", "Boolean", "ID"];
    let mut missing = Vec::new();
    // Missing, empty, or a library's placeholder ("Implement the ... scalar").
    let blank = |d: &serde_json::Value| {
        d.as_str()
            .is_none_or(|s| s.trim().is_empty() || s.starts_with("Implement the "))
    };
    for t in v["__schema"]["types"].as_array().unwrap() {
        let name = t["name"].as_str().unwrap();
        if name.starts_with("__") || builtin.contains(&name) {
            continue;
        }
        if blank(&t["description"]) {
            missing.push(name.to_owned());
        }
        for f in t["fields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
            for a in f["args"].as_array().into_iter().flatten() {
                if blank(&a["description"]) {
                    missing.push(format!("{name}.{}({})", f["name"], a["name"]));
                }
            }
        }
        for f in t["inputFields"].as_array().into_iter().flatten() {
            if blank(&f["description"]) {
                missing.push(format!("{name}.{}", f["name"]));
            }
        }
        for e in t["enumValues"].as_array().into_iter().flatten() {
            if blank(&e["description"]) {
                missing.push(format!("{name}.{}", e["name"]));
            }
        }
    }
    assert!(missing.is_empty(), "undescribed: {missing:#?}");
}

/// The operations of the README's `graphql` examples: one starts at a line
/// beginning with `mutation`, `query` or `{`; indented lines continue it;
/// `#` lines are comments.
fn readme_operations() -> Vec<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let text = std::fs::read_to_string(path).expect("read README.md");
    let mut ops: Vec<String> = Vec::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with("```") {
            inside = line == "```graphql";
            continue;
        }
        if !inside || line.trim_start().starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if line.starts_with("mutation") || line.starts_with("query") || line.starts_with('{') {
            ops.push(line.to_owned());
        } else if let Some(last) = ops.last_mut() {
            last.push('\n');
            last.push_str(line);
        }
    }
    ops
}

/// Every example in the README is valid against the live schema: posted
/// to the running server as an admin, none is refused by parsing or
/// validation (placeholder ids then fail as ids do, `NOT_FOUND`).
#[tokio::test]
async fn every_readme_example_is_valid_against_the_live_schema() {
    use crate::helpers::*;
    let app = spawn_app().await;
    let t = app.tenant("acme").await;
    let ops = readme_operations();
    assert!(ops.len() > 20, "{} examples found", ops.len());
    assert!(ops.iter().any(|o| o.contains("addAccountTeamMember")));
    for op in ops {
        let r = app
            .graphql(Some(&t.admin_token), &op, serde_json::json!({}))
            .await;
        for e in r.body["errors"].as_array().into_iter().flatten() {
            let code = e["extensions"]["code"].as_str().unwrap_or_default();
            assert!(
                !code.starts_with("GRAPHQL_") && code != "INTERNAL",
                "{op}\n{}",
                r.body
            );
        }
    }
}
