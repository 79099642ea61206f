//! The computed fields of action items on the compiled path: `nextOccurrence`
//! and `occurrences(from:, to:)` (relations of `rels.rs`), and `node(id:)`
//! of an occurrence. Each reads, for a whole level of items (the rows at
//! hand), the tenant's today and the assessments in the window (one
//! statement each), and computes with the services' own functions
//! (`occurrences_of`, `next_occurrence`, `overdue`), so both paths agree.

use super::compile::{Cc, Fs, Obj, sub};
use super::exec::{Bail, R};
use super::overdue::{self, OccurrenceF};
use super::simple::{Rendered, RowsOf, Rq};
use crate::graphql::common::json::{self as w};
use crate::services::actions::{self as svc, Occurrence};
use chrono::{Datelike, NaiveDate};
use domain::cadence::check_window;
use futures::future::BoxFuture;
use persistence::entity::{action_item, assessment};
use persistence::repo::actions;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

/// Assessments by action item.
type Assessed = HashMap<Uuid, Vec<Arc<assessment::Model>>>;

/// The tenant's today and the items' assessments in `window(today)` (as
/// the resolvers' `action_item_assessments` reads them), by item.
async fn assessed(
    rq: Rq<'_>,
    items: &[&action_item::Model],
    window: impl FnOnce(NaiveDate) -> (Option<NaiveDate>, Option<NaiveDate>),
) -> R<(NaiveDate, Assessed)> {
    let mut ids: Vec<Uuid> = items.iter().map(|i| i.id).collect();
    ids.sort_unstable();
    ids.dedup();
    let (db, tenant) = (rq.db, rq.tenant);
    let today = svc::today(db.read(), tenant).await.map_err(|_| Bail)?;
    let (from, to) = window(today);
    let mut out: Assessed = HashMap::new();
    for a in actions::assessments_of(db.read(), tenant, &ids, from, to).await? {
        out.entry(a.action_item_id).or_default().push(Arc::new(a));
    }
    Ok((today, out))
}

/// `nextOccurrence` of a level of items.
struct Next;

impl RowsOf<action_item::Model> for Next {
    fn fetch<'a>(
        &'a self,
        rq: Rq<'a>,
        items: &'a [&'a action_item::Model],
    ) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let mut out = HashMap::new();
            if items.is_empty() {
                return Ok(Rendered::of(out));
            }
            let (today, assessed) = assessed(rq, items, |t| (Some(t), None)).await?;
            for item in items {
                let done: HashSet<NaiveDate> = assessed
                    .get(&item.id)
                    .map_or(&[][..], |v| v)
                    .iter()
                    .map(|a| a.occurrence_date)
                    .collect();
                if let Some(next) = svc::next_occurrence(item, &done, today) {
                    let mut json = Vec::new();
                    w::date(&mut json, next);
                    out.insert(item.id, json);
                }
            }
            Ok(Rendered::of(out))
        })
    }
}

/// `nextOccurrence` (a date, or null).
pub(super) fn next<'d>(_: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<action_item::Model>>> {
    super::compile::leaf(f).then(|| Box::new(Next) as Box<dyn RowsOf<action_item::Model>>)
}

/// `occurrences(from:, to:)` of a level of items.
struct Window {
    from: NaiveDate,
    to: NaiveDate,
    obj: Obj<OccurrenceF>,
}

impl RowsOf<action_item::Model> for Window {
    fn fetch<'a>(
        &'a self,
        rq: Rq<'a>,
        items: &'a [&'a action_item::Model],
    ) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let mut out = HashMap::new();
            if items.is_empty() {
                return Ok(Rendered::of(out));
            }
            let window = (Some(self.from), Some(self.to));
            let (today, assessed) = assessed(rq, items, |_| window).await?;
            let mut lists: Vec<(Uuid, Vec<Occurrence>)> = Vec::with_capacity(items.len());
            let mut seen = HashSet::new();
            for item in items {
                if !seen.insert(item.id) {
                    continue;
                }
                let item = Arc::new((*item).clone());
                let mine = assessed.get(&item.id).map_or(&[][..], |v| v);
                let list = svc::occurrences_of(&item, self.from, self.to)
                    .into_iter()
                    .map(|due| {
                        let assessment = mine.iter().find(|a| a.occurrence_date == due).cloned();
                        Occurrence {
                            overdue: svc::overdue(&item, due, assessment.is_some(), today),
                            item: item.clone(),
                            due,
                            assessment,
                        }
                    })
                    .collect();
                lists.push((item.id, list));
            }
            let all: Vec<&Occurrence> = lists.iter().flat_map(|(_, l)| l.iter()).collect();
            let got = overdue::fetch(rq, &self.obj, &all).await?;
            drop(all);
            for (id, list) in &lists {
                let mut json = vec![b'['];
                for (i, occ) in list.iter().enumerate() {
                    if i > 0 {
                        json.push(b',');
                    }
                    overdue::write(&mut json, &self.obj, &got, occ)?;
                }
                json.push(b']');
                out.insert(*id, json);
            }
            Ok(Rendered::of(out))
        })
    }
}

/// A date argument as the resolver accepts it (years 1 to 9999).
fn supported(d: NaiveDate) -> Option<NaiveDate> {
    (1..=9999).contains(&d.year()).then_some(d)
}

/// `occurrences(from:, to:)`: the window is known when the plan is made
/// (literals, or the request's variables: then the plan is per request); a
/// window the resolver would refuse is not compiled.
pub(super) fn window<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<action_item::Model>>> {
    let from = supported(cc.arg_now::<NaiveDate>(f, "from")?)?;
    let to = supported(cc.arg_now::<NaiveDate>(f, "to")?)?;
    check_window(from, to, "to").ok()?;
    let (obj, _) = overdue::object(cc, &sub(f)?)?;
    Some(Box::new(Window { from, to, obj }))
}

/// `node(id:)` of an occurrence: the item as the resolver finds it, the day
/// one of its occurrences, with its assessment (`None`: not found).
pub(super) async fn node(
    l: &crate::loaders::Loaders,
    rq: Rq<'_>,
    (item, due): (Uuid, NaiveDate),
    obj: &Obj<OccurrenceF>,
) -> R<Option<Vec<u8>>> {
    let Some(item) = l.action_item(item).await.map_err(|_| Bail)? else {
        return Ok(None);
    };
    if !svc::occurrences_of(&item, due, due).contains(&due) {
        return Ok(None);
    }
    let (db, tenant) = (rq.db, rq.tenant);
    let today = svc::today(db.read(), tenant).await.map_err(|_| Bail)?;
    let assessment = actions::assessments_of(db.read(), tenant, &[item.id], Some(due), Some(due))
        .await?
        .into_iter()
        .find(|a| a.occurrence_date == due)
        .map(Arc::new);
    let occ = Occurrence {
        overdue: svc::overdue(&item, due, assessment.is_some(), today),
        item,
        due,
        assessment,
    };
    let got = overdue::fetch(rq, obj, &[&occ]).await?;
    let mut o = Vec::new();
    overdue::write(&mut o, obj, &got, &occ)?;
    Ok(Some(o))
}
