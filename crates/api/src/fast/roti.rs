//! `account.roti(period:)` and `user.roti(period:)` on the compiled path:
//! the period checked at plan time as the resolver checks it, then for the
//! whole level the tenant's row (its fiscal year and time zone name the
//! period) and the services' own ROTI read (`services::roti`), written with
//! `Roti`'s field table.

use super::compile::{Cc, Fs, sub};
use super::exec::{Bail, R};
use super::rels::ROTI;
use super::simple::{self, Rendered, RowsOf, Rq, SObj};
use crate::graphql::roti::{PeriodAsked, RotiPeriodInput, period_asked};
use crate::services::roti::{self as svc, RotiView};
use futures::future::BoxFuture;
use persistence::entity::{account, user};
use persistence::repo::tenants;
use std::collections::HashMap;
use uuid::Uuid;

/// A compiled `roti` of accounts or users.
pub(super) struct RotiOf {
    by_user: bool,
    asked: PeriodAsked,
    obj: SObj<RotiView>,
}

fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>, by_user: bool) -> Option<RotiOf> {
    let period: Option<RotiPeriodInput> = cc.arg_or_absent(f, "period")?;
    Some(RotiOf {
        by_user,
        asked: period_asked(period).ok()?,
        obj: simple::object(cc, &sub(f)?, &ROTI)?,
    })
}

/// Compiles `account.roti`.
pub(super) fn of_accounts<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    Some(Box::new(compile(cc, f, false)?))
}

/// Compiles `user.roti`.
pub(super) fn of_users<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<user::Model>>> {
    Some(Box::new(compile(cc, f, true)?))
}

impl RotiOf {
    async fn render(&self, rq: Rq<'_>, ids: Vec<Uuid>) -> R<Rendered> {
        let (db, t) = (rq.db, rq.tenant);
        let tenant = tenants::get(db.read(), t).await?.ok_or(Bail)?;
        let (named, custom) = self.asked;
        let period = svc::period_of(&tenant, named, custom).map_err(|_| Bail)?;
        let mut found = if self.by_user {
            svc::of_users(db, &tenant, Some(&ids), period).await?
        } else {
            svc::of_accounts(db, &tenant, Some(&ids), period).await?
        };
        // Without a row: no hours, no revenue (as the loader answers).
        let views: Vec<(Uuid, RotiView)> = ids
            .iter()
            .map(|id| {
                let v = found.remove(id).unwrap_or_else(|| RotiView {
                    subject: *id,
                    period,
                    currency: tenant.default_currency.clone(),
                    roti: domain::roti::roti(domain::roti::RotiInputs::default()),
                });
                (*id, v)
            })
            .collect();
        let got = self.obj.fetch(rq, views.iter().map(|(_, v)| v)).await?;
        let mut out = HashMap::with_capacity(views.len());
        for (id, v) in &views {
            let mut o = Vec::with_capacity(256);
            self.obj.write(&mut o, v, &got)?;
            out.insert(*id, o);
        }
        Ok(Rendered::of(out))
    }
}

impl RowsOf<account::Model> for RotiOf {
    fn fetch<'a>(
        &'a self,
        rq: Rq<'a>,
        rows: &'a [&'a account::Model],
    ) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(self.render(rq, rows.iter().map(|a| a.id).collect()))
    }
}

impl RowsOf<user::Model> for RotiOf {
    fn fetch<'a>(&'a self, rq: Rq<'a>, rows: &'a [&'a user::Model]) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(self.render(rq, rows.iter().map(|u| u.id).collect()))
    }
}
