//! `account.health` and `account.share` on the compiled path: computed for
//! the accounts of a level by the service the resolvers use
//! (`services::signals::health_views`: the model, the stored evidence,
//! the last 90 days' signals), read once per request and level through the
//! memo, so selecting both costs what one costs. `health { drivers }` is
//! a relation of `AccountHealth` (`drivers.rs`).

use super::compile::{Cc, Fs, name, no_args, sub};
use super::exec::{Bail, R};
use super::lists;
use super::rels::{HEALTH, SHARE};
use super::simple::{self, Rendered, RowsOf, Rq, SObj};
use crate::graphql::health::{RelationshipShare, revenue_share};
use crate::services::signals::HealthView;
use futures::future::BoxFuture;
use persistence::entity::account;
use std::collections::HashMap;
use std::sync::Arc;

enum Out {
    Health(SObj<HealthView>),
    Share(SObj<RelationshipShare>),
}

/// Compiles `health` or `share` of an account.
pub(super) fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    no_args(f).then_some(())?;
    let out = match name(f) {
        "health" => Out::Health(simple::object(cc, &sub(f)?, &HEALTH)?),
        "share" => Out::Share(simple::object(cc, &sub(f)?, &SHARE)?),
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
            let read = rq.read(lists::healths, |h| h.account, &ids).await?;
            let views: Vec<Arc<HealthView>> = read
                .iter()
                .flat_map(|v| v.iter())
                .map(|h| Arc::new(h.clone()))
                .collect();
            let mut out = HashMap::with_capacity(views.len());
            match self {
                Out::Health(obj) => {
                    let got = obj.fetch(rq, views.iter().map(|v| &**v)).await?;
                    for v in &views {
                        let mut o = Vec::with_capacity(128);
                        obj.write(&mut o, v, &got)?;
                        out.insert(v.account, o);
                    }
                }
                Out::Share(obj) => {
                    let by_id: HashMap<uuid::Uuid, &account::Model> =
                        rows.iter().map(|a| (a.id, *a)).collect();
                    let shares: Vec<RelationshipShare> = views
                        .iter()
                        .map(|v| RelationshipShare {
                            health: v.clone(),
                            revenue_share: by_id.get(&v.account).and_then(|a| revenue_share(a)),
                        })
                        .collect();
                    let got = obj.fetch(rq, shares.iter()).await?;
                    for s in &shares {
                        let mut o = Vec::with_capacity(64);
                        obj.write(&mut o, s, &got)?;
                        out.insert(s.health.account, o);
                    }
                }
            }
            if out.len() != ids.len() {
                return Err(Bail);
            }
            Ok(Rendered::of(out))
        })
    }
}
