//! Variants: one hostile value at one place, the rest valid.

use super::*;

/// Every string inside a JSON value (what the server may echo).
pub(super) fn strings_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings_in(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings_in(x, out)),
        _ => {}
    }
}

pub(super) fn forge_cursors(real: &[String]) -> Vec<String> {
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
    pub(super) fn rotate<T: Clone>(&mut self, list: &[T], n: usize) -> Vec<T> {
        let start = self.turn;
        self.turn += n;
        (0..n.min(list.len()))
            .map(|i| list[(start + i) % list.len()].clone())
            .collect()
    }

    /// The first `core` values, and `more` of the others in turn.
    pub(super) fn some(&mut self, all: Vec<Value>, core: usize, more: usize) -> Vec<Value> {
        let (head, tail) = all.split_at(core.min(all.len()));
        let mut out = head.to_vec();
        out.extend(self.rotate(tail, more));
        out
    }

    pub(super) fn ids(&mut self) -> Vec<Value> {
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

    pub(super) fn strings(&mut self, path: &str) -> Vec<Value> {
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

    pub(super) fn variants(
        &mut self,
        ty: &str,
        base: Option<&Value>,
        path: &str,
        out: &mut Vec<Variant>,
    ) {
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
