//! An account's revenue ranking on the compiled path (`revenueRank`,
//! `isTopTwentyPercent`, `revenueRanking`): computed for the accounts of a
//! level with the service the resolvers use (`services::pareto`), read
//! once per request and level through the memo, so selecting all three
//! costs what one costs.

use super::compile::{Cc, Fs, leaf, name, no_args, sub};
use super::exec::{Bail, R};
use super::lists;
use super::rels::RANKING;
use super::simple::{self, Rendered, RowsOf, Rq, SObj};
use crate::graphql::common::json as w;
use crate::services::pareto::Ranking;
use futures::future::BoxFuture;
use persistence::entity::account;
use std::collections::HashMap;

enum Out {
    Rank,
    Top,
    Ranking(SObj<Ranking>),
}

/// Compiles one of the ranking fields of an account.
pub(super) fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    no_args(f).then_some(())?;
    let out = match name(f) {
        "revenueRank" if leaf(f) => Out::Rank,
        "isTopTwentyPercent" if leaf(f) => Out::Top,
        "revenueRanking" => Out::Ranking(simple::object(cc, &sub(f)?, &RANKING)?),
        _ => return None,
    };
    Some(Box::new(out))
}

impl RowsOf<account::Model> for Out {
    fn fetch<'a>(
        &'a self,
        rq: Rq<'a>,
        rows: &'a [&'a account::Model],
    ) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let ids = simple::account_ids(rows);
            let read = rq.read(lists::rankings, |r| r.0, &ids).await?;
            let found: Vec<&(uuid::Uuid, Ranking)> = read.iter().flat_map(|v| v.iter()).collect();
            let got = match self {
                Out::Ranking(obj) => Some(obj.fetch(rq, found.iter().map(|(_, r)| r)).await?),
                _ => None,
            };
            let mut out = HashMap::with_capacity(found.len());
            for (id, r) in found {
                let mut o = Vec::with_capacity(16);
                match self {
                    Out::Rank => w::opt(&mut o, r.rank.as_ref(), |k, o| w::int(o, *k)),
                    Out::Top => w::boolean(&mut o, r.top),
                    Out::Ranking(obj) => obj.write(&mut o, r, got.as_ref().ok_or(Bail)?)?,
                }
                out.insert(*id, o);
            }
            Ok(Rendered::of(out))
        })
    }
}
