//! `account.coverage` on the compiled path (a relation of `rels.rs`
//! computed from the rows): the accounts of a level are assessed together
//! with the service the resolvers use (`services::coverage`, three
//! statements), and each gap's `contacts` are written from the rows that
//! assessment read, their own relations fetched once for the level.

use super::compile::{Cc, Fs, Key, leaf, name, no_args, sub};
use super::exec::{Bail, R};
use super::rels::CONTACT;
use super::render::comma;
use super::simple::{self, Rendered, RowsOf, Rq, SObj};
use crate::graphql::common::enums::CoverageGapKind;
use crate::graphql::common::ids::Kind;
use crate::graphql::common::json as w;
use futures::future::BoxFuture;
use persistence::entity::{account, contact};
use std::collections::HashMap;

enum CoverageF {
    Typename,
    Score,
    Gaps(Vec<(Key, GapF)>),
}

enum GapF {
    Typename,
    Kind,
    Explanation,
    ContactIds,
    Contacts(SObj<contact::Model>),
}

struct Coverage(Vec<(Key, CoverageF)>);

/// Compiles `coverage { ... }`.
pub(super) fn compile<'d>(cc: &Cc<'d>, f: &Fs<'d>) -> Option<Box<dyn RowsOf<account::Model>>> {
    no_args(f).then_some(())?;
    let mut out = Vec::new();
    for (key, f) in cc.fields(&sub(f)?, "Coverage")? {
        let field = match name(&f) {
            "__typename" if leaf(&f) => CoverageF::Typename,
            "score" if leaf(&f) => CoverageF::Score,
            "gaps" if no_args(&f) => {
                let mut gap = Vec::new();
                for (key, g) in cc.fields(&sub(&f)?, "CoverageGap")? {
                    gap.push((
                        key,
                        match name(&g) {
                            "__typename" if leaf(&g) => GapF::Typename,
                            "kind" if leaf(&g) => GapF::Kind,
                            "explanation" if leaf(&g) => GapF::Explanation,
                            "contactIds" if leaf(&g) => GapF::ContactIds,
                            "contacts" if no_args(&g) => {
                                GapF::Contacts(simple::object(cc, &sub(&g)?, &CONTACT)?)
                            }
                            _ => return None,
                        },
                    ));
                }
                CoverageF::Gaps(gap)
            }
            _ => return None,
        };
        out.push((key, field));
    }
    Some(Box::new(Coverage(out)))
}

impl RowsOf<account::Model> for Coverage {
    fn fetch<'a>(
        &'a self,
        rq: Rq<'a>,
        rows: &'a [&'a account::Model],
    ) -> BoxFuture<'a, R<Rendered>> {
        Box::pin(async move {
            let ids = simple::account_ids(rows);
            let assessed = crate::services::coverage::assess_accounts(rq.db, rq.tenant, &ids)
                .await
                .map_err(|_| Bail)?;
            // The contacts the gaps name, and their relations, per
            // `contacts` selection.
            let mut named: Vec<&contact::Model> = Vec::new();
            for c in assessed.by_account.values() {
                for g in &c.gaps {
                    named.extend(g.contacts.iter().filter_map(|id| assessed.contacts.get(id)));
                }
            }
            let mut got: HashMap<(usize, usize), simple::Got> = HashMap::new();
            for (i, (_, f)) in self.0.iter().enumerate() {
                if let CoverageF::Gaps(gap) = f {
                    for (j, (_, g)) in gap.iter().enumerate() {
                        if let GapF::Contacts(obj) = g {
                            got.insert((i, j), obj.fetch(rq, named.iter().copied()).await?);
                        }
                    }
                }
            }
            let mut out = HashMap::with_capacity(ids.len());
            for (account, cov) in &assessed.by_account {
                let mut o = Vec::with_capacity(256);
                o.push(b'{');
                for (i, (key, f)) in self.0.iter().enumerate() {
                    comma(&mut o, i, key);
                    match f {
                        CoverageF::Typename => w::name(&mut o, "Coverage"),
                        CoverageF::Score => w::int(&mut o, i64::from(cov.score)),
                        CoverageF::Gaps(gap) => {
                            o.push(b'[');
                            for (n, g) in cov.gaps.iter().enumerate() {
                                if n > 0 {
                                    o.push(b',');
                                }
                                o.push(b'{');
                                for (j, (key, f)) in gap.iter().enumerate() {
                                    comma(&mut o, j, key);
                                    match f {
                                        GapF::Typename => w::name(&mut o, "CoverageGap"),
                                        GapF::Kind => {
                                            w::enumeration(&mut o, CoverageGapKind::from(g.kind))
                                        }
                                        GapF::Explanation => w::str(&mut o, &g.explanation),
                                        GapF::ContactIds => {
                                            o.push(b'[');
                                            for (k, c) in g.contacts.iter().enumerate() {
                                                if k > 0 {
                                                    o.push(b',');
                                                }
                                                w::id(&mut o, Kind::Contact, *c);
                                            }
                                            o.push(b']');
                                        }
                                        GapF::Contacts(obj) => {
                                            let found = g
                                                .contacts
                                                .iter()
                                                .filter_map(|id| assessed.contacts.get(id));
                                            let g = got.get(&(i, j)).ok_or(Bail)?;
                                            obj.write_list(&mut o, found, g)?;
                                        }
                                    }
                                }
                                o.push(b'}');
                            }
                            o.push(b']');
                        }
                    }
                }
                o.push(b'}');
                out.insert(*account, o);
            }
            Ok(Rendered::of(out))
        })
    }
}
