//! `account.alerts(statuses:)` on the compiled path: the statuses resolved
//! as the resolver does, one read of the alerts of every account of the
//! level (the loaders' read, newest first), the nodes' relations
//! (`account`, `acknowledgedBy`, `resolvedBy`) one statement each, and each
//! account's list written in that order.

use super::compile::{Cc, Fs, sub};
use super::exec::R;
use super::rels::ALERT;
use super::simple::{self, Rendered, RowsOf, Rq, SObj};
use crate::graphql::alerts::statuses_of;
use crate::graphql::common::enums::AlertStatus;
use futures::future::BoxFuture;
use persistence::entity::{account, jeopardy_alert as alert};
use persistence::repo::alerts;
use std::collections::HashMap;
use uuid::Uuid;

/// A compiled `alerts` list of accounts.
pub(super) struct Alerts {
    statuses: Option<Vec<String>>,
    obj: SObj<alert::Model>,
}

/// Compiles `account.alerts`.
pub(super) fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    let statuses: Option<Vec<AlertStatus>> = cc.arg_or_absent(f, "statuses")?;
    Some(Box::new(Alerts {
        statuses: statuses.map(statuses_of),
        obj: simple::object(cc, &sub(f)?, &ALERT)?,
    }))
}

impl RowsOf<account::Model> for Alerts {
    fn fetch<'a>(
        &'a self,
        rq: Rq<'a>,
        rows: &'a [&'a account::Model],
    ) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let ids: Vec<Uuid> = rows.iter().map(|a| a.id).collect();
            let found =
                alerts::of_accounts(rq.db.read(), rq.tenant, &ids, self.statuses.as_deref())
                    .await?;
            let got = self.obj.fetch(rq, found.iter()).await?;
            let mut by_account: HashMap<Uuid, Vec<&alert::Model>> = HashMap::new();
            for a in &found {
                by_account.entry(a.account_id).or_default().push(a);
            }
            let mut out = HashMap::with_capacity(ids.len());
            for id in ids {
                let mine = by_account.get(&id).map(Vec::as_slice).unwrap_or_default();
                let mut o = Vec::with_capacity(64 * (mine.len() + 1));
                self.obj.write_list(&mut o, mine.iter().copied(), &got)?;
                out.insert(id, o);
            }
            Ok(Rendered::of(out))
        })
    }
}
