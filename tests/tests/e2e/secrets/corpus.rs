//! The fuzzed operations: each target with each variant.

use super::*;

pub(super) fn fuzz_cases(
    g: &mut Gen<'_>,
    targets: &[Target],
    phase_destructive: bool,
) -> Vec<Case> {
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
pub(super) fn replace_strings(v: &mut Value, with: &str) {
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
