//! `account.healthHistory(from, to, interval)` on the compiled path: the
//! arguments checked at compile time as the resolver checks them (a range
//! it refuses gives way to async-graphql, which reports it), then for the
//! whole level the tenant's time zone, the health model and every signal
//! of the accounts (three statements, as the resolvers' loaders), and the
//! points computed with the resolver's own function.

use super::compile::{Cc, Fs, sub};
use super::exec::{Bail, R};
use super::rels::HEALTH_POINT;
use super::simple::{self, Rendered, RowsOf, Rq, SObj};
use crate::graphql::common::enums::HistoryInterval;
use crate::graphql::health::{HealthPoint, points_of};
use chrono::{DateTime, NaiveDate, Utc};
use domain::signal::SignalKind;
use futures::future::BoxFuture;
use persistence::entity::account;
use persistence::repo::{signals, tenants};
use std::collections::HashMap;
use uuid::Uuid;

/// A compiled `healthHistory`.
pub(super) struct History {
    from: NaiveDate,
    to: NaiveDate,
    interval: domain::health::Interval,
    obj: SObj<HealthPoint>,
}

/// Compiles `account.healthHistory`.
pub(super) fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    let from: NaiveDate = cc.arg_or_absent(f, "from")?;
    let to: NaiveDate = cc.arg_or_absent(f, "to")?;
    let interval: Option<HistoryInterval> = cc.arg_or_absent(f, "interval")?;
    let interval = interval.unwrap_or(HistoryInterval::Week).into();
    // The checks do not depend on the time zone.
    domain::health::history_points_in(from, to, interval, "UTC").ok()?;
    Some(Box::new(History {
        from,
        to,
        interval,
        obj: simple::object(cc, &sub(f)?, &HEALTH_POINT)?,
    }))
}

impl RowsOf<account::Model> for History {
    fn fetch<'a>(
        &'a self,
        rq: Rq<'a>,
        rows: &'a [&'a account::Model],
    ) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let (db, t) = (rq.db, rq.tenant);
            let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
            let tenant = tenants::get(db.read(), t).await?.ok_or(Bail)?;
            let points = domain::health::history_points_in(
                self.from,
                self.to,
                self.interval,
                &tenant.time_zone,
            )
            .map_err(|_| Bail)?;
            let model = crate::services::signals::model_read(db, t).await?;
            let mut by_account: HashMap<Uuid, Vec<(SignalKind, DateTime<Utc>)>> = HashMap::new();
            for s in signals::all_of(db.read(), t, &ids).await? {
                if let Some(k) = SignalKind::from_str_opt(&s.kind) {
                    by_account
                        .entry(s.account_id)
                        .or_default()
                        .push((k, s.observed_at));
                }
            }
            let lists: Vec<(Uuid, Vec<HealthPoint>)> = ids
                .iter()
                .map(|id| {
                    let mine = by_account.get(id).map(Vec::as_slice).unwrap_or_default();
                    (*id, points_of(&model, mine, points.clone()))
                })
                .collect();
            let got = self
                .obj
                .fetch(rq, lists.iter().flat_map(|(_, p)| p.iter()))
                .await?;
            let mut out = HashMap::with_capacity(lists.len());
            for (id, list) in &lists {
                let mut o = Vec::with_capacity(48 * (list.len() + 1));
                self.obj.write_list(&mut o, list.iter(), &got)?;
                out.insert(*id, o);
            }
            Ok(Rendered::of(out))
        })
    }
}
