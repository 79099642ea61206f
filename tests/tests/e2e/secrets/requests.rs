//! Requests: operations with variables or inlined literals, and raw bodies.

use super::*;

pub(super) fn bearer(token: Option<&str>) -> Option<Vec<u8>> {
    token.map(|t| format!("Bearer {t}").into_bytes())
}

pub(super) fn op_case(
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

pub(super) fn raw_case(
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

pub(super) fn document(t: &Target, present: &Map<String, Value>) -> String {
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
pub(super) fn uniquify(v: &mut Value, n: usize) {
    match v {
        Value::String(s) if s.contains('#') => *s = s.replace('#', &n.to_string()),
        Value::Array(a) => a.iter_mut().for_each(|x| uniquify(x, n)),
        Value::Object(o) => o.values_mut().for_each(|x| uniquify(x, n)),
        _ => {}
    }
}

pub(super) fn variables(t: &Target, args: &Map<String, Value>) -> Value {
    let mut v = args.clone();
    for (n, _, val) in &t.wrap_vars {
        v.insert((*n).to_owned(), val.clone());
    }
    Value::Object(v)
}

/// A GraphQL literal for a JSON value of type `ty`.
pub(super) fn literal(sdl: &Sdl, ty: &str, v: &Value) -> String {
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
