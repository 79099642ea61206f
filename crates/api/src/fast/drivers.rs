//! `health { drivers(first:) }` on the compiled path: for the whole level
//! the health model and every live signal of the accounts (two statements,
//! as the resolvers' loaders), the drivers computed with the services' own
//! function, and each driver's `signal` written from the row it carries
//! (its own relations one statement each).

use super::compile::{Cc, Fs, sub};
use super::exec::R;
use super::rels::{DRIVER, SIGNAL};
use super::simple::{self, Rendered, RowsOf, Rq, SObj};
use crate::services::signals::{DriverView, HealthView, drivers_of, model_read};
use futures::future::BoxFuture;
use persistence::entity::account_signal as signal;
use persistence::repo::signals;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// A compiled `drivers` list.
pub(super) struct Drivers {
    first: usize,
    obj: SObj<DriverView>,
}

/// Compiles `drivers(first:)` (0 to 20, default 5; anything else gives way
/// to async-graphql, which reports it).
pub(super) fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<HealthView>>> {
    let first: Option<i32> = cc.arg_or_absent(f, "first")?;
    let first = first.unwrap_or(5);
    if !(0..=20).contains(&first) {
        return None;
    }
    Some(Box::new(Drivers {
        first: usize::try_from(first).ok()?,
        obj: simple::object(cc, &sub(f)?, &DRIVER)?,
    }))
}

impl RowsOf<HealthView> for Drivers {
    fn fetch<'a>(&'a self, rq: Rq<'a>, rows: &'a [&'a HealthView]) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let (db, t) = (rq.db, rq.tenant);
            let ids: Vec<Uuid> = rows.iter().map(|h| h.account).collect();
            let model = model_read(db, t).await?;
            let mut by_account: HashMap<Uuid, Vec<Arc<signal::Model>>> = HashMap::new();
            for s in signals::all_of(db.read(), t, &ids).await? {
                by_account
                    .entry(s.account_id)
                    .or_default()
                    .push(Arc::new(s));
            }
            let lists: Vec<(Uuid, Vec<DriverView>)> = ids
                .iter()
                .map(|id| {
                    let mine = by_account.get(id).map(Vec::as_slice).unwrap_or_default();
                    (*id, drivers_of(&model, mine, self.first))
                })
                .collect();
            let got = self
                .obj
                .fetch(rq, lists.iter().flat_map(|(_, d)| d.iter()))
                .await?;
            let mut out = HashMap::with_capacity(lists.len());
            for (id, list) in &lists {
                let mut o = Vec::with_capacity(128 * (list.len() + 1));
                self.obj.write_list(&mut o, list.iter(), &got)?;
                out.insert(*id, o);
            }
            Ok(Rendered::of(out))
        })
    }
}

/// A driver's `signal`, written from the row the driver carries.
pub(super) struct SignalOf(SObj<signal::Model>);

/// Compiles a driver's `signal`.
pub(super) fn signal_of<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<DriverView>>> {
    Some(Box::new(SignalOf(simple::object(cc, &sub(f)?, &SIGNAL)?)))
}

impl RowsOf<DriverView> for SignalOf {
    fn fetch<'a>(&'a self, rq: Rq<'a>, rows: &'a [&'a DriverView]) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let got = self.0.fetch(rq, rows.iter().map(|d| &*d.signal)).await?;
            let mut out = HashMap::with_capacity(rows.len());
            for d in rows {
                let mut o = Vec::with_capacity(128);
                self.0.write(&mut o, &d.signal, &got)?;
                out.insert(d.signal.id, o);
            }
            Ok(Rendered::of(out))
        })
    }
}
