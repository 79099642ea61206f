//! `account.trajectory` on the compiled path: computed for the accounts of
//! a level from their financial years (the read `account.financials`
//! makes, shared through the memo) with the service's own rule.

use super::compile::{Cc, Fs, leaf, no_args};
use super::exec::R;
use super::lists;
use super::simple::{self, Rendered, RowsOf, Rq};
use crate::graphql::common::enums::Trajectory;
use crate::graphql::common::json as w;
use futures::future::BoxFuture;
use persistence::entity::account;
use std::collections::HashMap;

struct TrajectoryF;

/// Compiles `trajectory` (a leaf without arguments).
pub(super) fn compile<'d>(_: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    (no_args(f) && leaf(f)).then_some(())?;
    Some(Box::new(TrajectoryF))
}

impl RowsOf<account::Model> for TrajectoryF {
    fn fetch<'a>(
        &'a self,
        rq: Rq<'a>,
        rows: &'a [&'a account::Model],
    ) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let ids = simple::account_ids(rows);
            let read = rq
                .read(lists::financials_of, |y| y.account_id, &ids)
                .await?;
            let mut out = HashMap::with_capacity(ids.len());
            for (id, years) in ids.iter().zip(&read) {
                let years: Vec<_> = years.iter().collect();
                let mut o = Vec::with_capacity(12);
                match crate::services::financials::trajectory_of(&years) {
                    Some(t) => w::enumeration(&mut o, Trajectory::from(t)),
                    None => o.extend_from_slice(b"null"),
                }
                out.insert(*id, o);
            }
            Ok(Rendered::of(out))
        })
    }
}
