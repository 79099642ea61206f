//! `account.coverage`: the gaps in an account's coverage of its buying
//! centre, each with the contacts concerned and an explanation, and a
//! score (rules and weights: `domain::coverage`).

use crate::graphql::common::enums::CoverageGapKind;
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::contact::Contact;
use crate::graphql::loaders;
use async_graphql::{Context, Object, Result};
use domain::coverage::{Coverage as DomainCoverage, Gap};
use std::sync::Arc;

/// How well the account's buying centre is covered.
pub struct Coverage(pub Arc<DomainCoverage>);

/// How well an account's buying centre is covered: its gaps and a score.
#[Object]
impl Coverage {
    /// 100 minus the weight of each gap present (never below 0):
    /// DECISION_MAKER_UNOWNED and SINGLE_THREADED 20, NO_COACH and
    /// KEY_CONTACT_LEFT 15, BLOCKER_UNADDRESSED, NO_EXECUTIVE_SPONSOR and
    /// STALE_CONTACT 10.
    async fn score(&self) -> i32 {
        i32::from(self.0.score)
    }
    /// The gaps, in the order of `CoverageGapKind`; empty when covered.
    async fn gaps(&self) -> Vec<CoverageGap> {
        (0..self.0.gaps.len())
            .map(|i| CoverageGap(self.0.clone(), i))
            .collect()
    }
}

/// One gap in an account's coverage.
pub struct CoverageGap(Arc<DomainCoverage>, usize);

impl CoverageGap {
    fn gap(&self) -> &Gap {
        &self.0.gaps[self.1]
    }
}

/// One gap in an account's coverage.
#[Object]
impl CoverageGap {
    /// What kind of gap.
    async fn kind(&self) -> CoverageGapKind {
        self.gap().kind.into()
    }
    /// What is wrong, for a person to read.
    async fn explanation(&self) -> &str {
        &self.gap().explanation
    }
    /// The contacts concerned (none for a gap of absence, such as NO_COACH).
    async fn contact_ids(&self) -> Vec<GlobalId> {
        self.gap()
            .contacts
            .iter()
            .map(|c| GlobalId(Kind::Contact, *c))
            .collect()
    }
    /// The contacts concerned (departed ones too, for KEY_CONTACT_LEFT).
    async fn contacts(&self, ctx: &Context<'_>) -> Result<Vec<Contact>> {
        let l = loaders(ctx)?;
        let mut out = Vec::with_capacity(self.gap().contacts.len());
        for id in &self.gap().contacts {
            if let Some(c) = l.contact(*id).await? {
                out.push(Contact(c));
            }
        }
        Ok(out)
    }
}
