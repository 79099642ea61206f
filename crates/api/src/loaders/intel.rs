//! Batched loaders of account intelligence: each account's team, its
//! subsidiaries (a page per parent), its chain of parents and its revenue
//! rolled up over its subtree (one statement per relation for every account
//! of a level, seeded by the list that returned the accounts).

use super::{Batch, Loaders, Row, empty_page, grouped, shared_pages};
use crate::error::ApiResult;
use persistence::entity::{account, account_team_member as member, contract};
use persistence::repo::page::{Page, PageArgs};
use persistence::repo::{contracts, hierarchy, team};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// One row of `hierarchy::revenue_rollup`: (account, currency, total in
/// ten-thousandths, accounts with revenue).
pub type Rollup = (Uuid, String, i64, i64);

/// The account-intelligence caches of one request.
#[derive(Default)]
pub struct IntelLoaders {
    account_team: Batch<Uuid, (), Arc<Vec<Row<member::Model>>>>,
    children: Batch<Uuid, PageArgs, Option<Arc<Page<Row<account::Model>>>>>,
    children_counts: Batch<Uuid, (), i64>,
    ancestors: Batch<Uuid, (), Arc<Vec<Uuid>>>,
    account_contracts: Batch<Uuid, (), Arc<Vec<Row<contract::Model>>>>,
    account_opportunities: Batch<Uuid, (), Arc<Vec<Row<persistence::entity::opportunity::Model>>>>,
    contracts: Batch<Uuid, (), Option<Row<contract::Model>>>,
    coverage: Batch<Uuid, (), Option<Arc<domain::coverage::Coverage>>>,
    maps: Batch<Uuid, (), Option<Arc<crate::services::influences::AccountMap>>>,
    /// `hierarchy::revenue_rollup`'s rows per account.
    revenue: Batch<Uuid, (), Arc<Vec<Rollup>>>,
    account_insights: Batch<Uuid, (), Arc<Vec<Row<persistence::entity::account_insight::Model>>>>,
    account_profiles: Batch<Uuid, (), Option<Row<persistence::entity::account_profile::Model>>>,
    account_financials:
        Batch<Uuid, (), Arc<Vec<Row<persistence::entity::account_financial::Model>>>>,
    account_competitors:
        Batch<Uuid, (), Arc<Vec<Row<persistence::entity::account_competitor::Model>>>>,
    competitors: Batch<Uuid, (), Option<Row<persistence::entity::account_competitor::Model>>>,
    account_criteria: Batch<Uuid, (), Arc<Vec<Row<persistence::entity::success_criterion::Model>>>>,
    account_links: Batch<Uuid, (), Arc<Vec<Row<persistence::entity::value_chain_link::Model>>>>,
    criteria: Batch<Uuid, (), Option<Row<persistence::entity::success_criterion::Model>>>,
    preferred: Batch<Uuid, (), Arc<Vec<Uuid>>>,
    /// Each account's place in the revenue ranking (`services::pareto`).
    rankings: Batch<Uuid, (), Option<Arc<crate::services::pareto::Ranking>>>,
}

impl IntelLoaders {
    /// Seeds success criteria about to be asked for by id (objectives' and
    /// value-chain entries' links).
    pub fn seed_criteria(&self, ids: impl IntoIterator<Item = Uuid>) {
        self.criteria.seed(ids);
    }

    /// Seeds contacts whose preferred colleagues may be asked for.
    pub fn seed_preferred(&self, ids: impl IntoIterator<Item = Uuid>) {
        self.preferred.seed(ids);
    }

    /// Seeds competitors about to be asked for by id (white-space cells').
    pub fn seed_competitors(&self, ids: impl IntoIterator<Item = Uuid>) {
        self.competitors.seed(ids);
    }

    /// Seeds the relations of accounts about to be returned.
    pub fn seed_accounts(&self, ids: impl IntoIterator<Item = Uuid>) {
        let ids: Vec<Uuid> = ids.into_iter().collect();
        self.account_team.seed(ids.iter().copied());
        self.account_contracts.seed(ids.iter().copied());
        self.account_opportunities.seed(ids.iter().copied());
        self.coverage.seed(ids.iter().copied());
        self.maps.seed(ids.iter().copied());
        self.children.seed(ids.iter().copied());
        self.children_counts.seed(ids.iter().copied());
        self.ancestors.seed(ids.iter().copied());
        self.rankings.seed(ids.iter().copied());
        self.account_insights.seed(ids.iter().copied());
        self.account_profiles.seed(ids.iter().copied());
        self.account_financials.seed(ids.iter().copied());
        self.account_competitors.seed(ids.iter().copied());
        self.account_criteria.seed(ids.iter().copied());
        self.account_links.seed(ids.iter().copied());
        self.revenue.seed(ids);
    }
}

impl Loaders {
    /// An account's team, owner first (see `persistence::repo::team`).
    pub async fn account_team(&self, account: Uuid) -> ApiResult<Arc<Vec<Row<member::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .account_team
            .get(account, (), |ids, ()| async move {
                let rows = team::of_accounts(db.read(), t, &ids).await?;
                self.users.seed(rows.iter().map(|m| m.user_id));
                Ok(grouped(rows, |r| r.account_id))
            })
            .await
    }

    /// An account's live contracts (`contracts::of_accounts`' order).
    pub async fn account_contracts(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<contract::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .account_contracts
            .get(account, (), |ids, ()| async move {
                let rows = contracts::of_accounts(db.read(), t, &ids).await?;
                Ok(grouped(rows, |r| r.account_id))
            })
            .await
    }

    /// An account's coverage (three statements for every seeded account);
    /// the contacts its gaps name are then at hand.
    pub async fn account_coverage(
        &self,
        account: Uuid,
    ) -> ApiResult<Option<Arc<domain::coverage::Coverage>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .coverage
            .get(account, (), |ids, ()| async move {
                let a = crate::services::coverage::assess_accounts(db, t, &ids).await?;
                for (id, c) in a.contacts {
                    self.contacts.prime(id, (), Some(Arc::new(c)));
                }
                Ok(a.by_account
                    .into_iter()
                    .map(|(k, v)| (k, Some(v)))
                    .collect())
            })
            .await
    }

    /// An account's key contact map (two statements for every seeded
    /// account); its contacts are then at hand.
    pub async fn account_contact_map(
        &self,
        account: Uuid,
    ) -> ApiResult<Option<Arc<crate::services::influences::AccountMap>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .maps
            .get(account, (), |ids, ()| async move {
                let maps = crate::services::influences::maps_of(db, t, &ids).await?;
                for m in maps.values() {
                    self.seed_contacts(m.contacts.iter().map(|c| &**c));
                }
                Ok(maps.into_iter().map(|(k, v)| (k, Some(v))).collect())
            })
            .await
    }

    /// An account's place in the revenue ranking (two statements for every
    /// seeded account: the tenant's date and currency, then the ranking).
    pub async fn account_ranking(
        &self,
        account: Uuid,
    ) -> ApiResult<Option<Arc<crate::services::pareto::Ranking>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .rankings
            .get(account, (), |ids, ()| async move {
                let r = crate::services::pareto::rankings(db, t, &ids).await?;
                Ok(r.into_iter().map(|(k, v)| (k, Some(Arc::new(v)))).collect())
            })
            .await
    }

    /// An account's live insights, as recorded.
    pub async fn account_insights(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<persistence::entity::account_insight::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .account_insights
            .get(account, (), |ids, ()| async move {
                let rows = persistence::repo::profiles::insights_of(db.read(), t, &ids).await?;
                Ok(grouped(rows, |r| r.account_id))
            })
            .await
    }

    /// An account's financial years, newest first.
    pub async fn account_financials(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<persistence::entity::account_financial::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .account_financials
            .get(account, (), |ids, ()| async move {
                let rows = persistence::repo::profiles::financials_of(db.read(), t, &ids).await?;
                Ok(grouped(rows, |r| r.account_id))
            })
            .await
    }

    /// An account's live competitors, by name.
    pub async fn account_competitors(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<persistence::entity::account_competitor::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .account_competitors
            .get(account, (), |ids, ()| async move {
                let rows = persistence::repo::profiles::competitors_of(db.read(), t, &ids).await?;
                Ok(grouped(rows, |r| r.account_id))
            })
            .await
    }

    /// The competitor a white-space cell of `account` points to: the
    /// competitors of the cells of every account whose cells were read come
    /// in one statement.
    pub async fn cell_competitor(
        &self,
        account: Uuid,
        id: Uuid,
    ) -> ApiResult<Option<Row<persistence::entity::account_competitor::Model>>> {
        let cells = self.white_space().account_cells(account).await?;
        self.intel
            .seed_competitors(cells.iter().filter_map(|c| c.competitor_id));
        self.competitor(id).await
    }

    /// The users a contact prefers, in its order (the users themselves
    /// are then seeded: one statement for them all).
    pub async fn contact_preferred(&self, contact: Uuid) -> ApiResult<Arc<Vec<Uuid>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .preferred
            .get(contact, (), |ids, ()| async move {
                let pairs = persistence::repo::success::preferred_of(db.read(), t, &ids).await?;
                self.users.seed(pairs.iter().map(|(_, u)| *u));
                let mut m: HashMap<Uuid, Vec<Uuid>> = ids.iter().map(|i| (*i, vec![])).collect();
                for (c, u) in pairs {
                    m.entry(c).or_default().push(u);
                }
                Ok(m.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            })
            .await
    }

    /// A live competitor by id.
    pub async fn competitor(
        &self,
        id: Uuid,
    ) -> ApiResult<Option<Row<persistence::entity::account_competitor::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .competitors
            .get(id, (), |ids, ()| async move {
                let rows =
                    persistence::repo::profiles::competitors_by_ids(db.read(), t, &ids).await?;
                Ok(super::by_id(rows, |c| c.id))
            })
            .await
    }

    /// An account's live success criteria, by due date.
    pub async fn account_criteria(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<persistence::entity::success_criterion::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .account_criteria
            .get(account, (), |ids, ()| async move {
                let rows = persistence::repo::success::criteria_of(db.read(), t, &ids).await?;
                Ok(grouped(rows, |r| r.account_id))
            })
            .await
    }

    /// An account's live value-chain entries, as recorded.
    pub async fn account_value_chain(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<persistence::entity::value_chain_link::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .account_links
            .get(account, (), |ids, ()| async move {
                let rows = persistence::repo::success::links_of(db.read(), t, &ids).await?;
                self.intel
                    .seed_criteria(rows.iter().filter_map(|l| l.success_criterion_id));
                Ok(grouped(rows, |r| r.account_id))
            })
            .await
    }

    /// A live success criterion by id.
    pub async fn criterion(
        &self,
        id: Uuid,
    ) -> ApiResult<Option<Row<persistence::entity::success_criterion::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .criteria
            .get(id, (), |ids, ()| async move {
                let rows = persistence::repo::success::criteria_by_ids(db.read(), t, &ids).await?;
                Ok(super::by_id(rows, |c| c.id))
            })
            .await
    }

    /// An account's strategic profile, if written.
    pub async fn account_profile(
        &self,
        account: Uuid,
    ) -> ApiResult<Option<Row<persistence::entity::account_profile::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .account_profiles
            .get(account, (), |ids, ()| async move {
                let rows = persistence::repo::profiles::profiles_of(db.read(), t, &ids).await?;
                Ok(super::by_id(rows, |p| p.account_id))
            })
            .await
    }

    /// An account's live opportunities, by expected close.
    pub async fn account_opportunities(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<persistence::entity::opportunity::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .account_opportunities
            .get(account, (), |ids, ()| async move {
                let rows =
                    persistence::repo::opportunities::of_accounts(db.read(), t, &ids).await?;
                Ok(grouped(rows, |r| r.account_id))
            })
            .await
    }

    /// Seeds the relations of contracts about to be returned.
    pub fn seed_contracts<'a>(&self, rows: impl IntoIterator<Item = &'a contract::Model>) {
        self.accounts.seed(rows.into_iter().map(|c| c.account_id));
    }

    /// A live contract by id.
    pub async fn contract(&self, id: Uuid) -> ApiResult<Option<Row<contract::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .contracts
            .get(id, (), |ids, ()| async move {
                let rows = contracts::by_ids(db.read(), t, &ids).await?;
                self.seed_contracts(rows.iter());
                Ok(super::by_id(rows, |c| c.id))
            })
            .await
    }

    /// A page of an account's live subsidiaries, by name.
    pub async fn account_children(
        &self,
        account: Uuid,
        args: PageArgs,
    ) -> ApiResult<Arc<Page<Row<account::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        let page = self
            .intel
            .children
            .get(account, args, |ids, args| async move {
                let pages = hierarchy::children_pages(db.read(), t, &ids, &args).await?;
                self.seed_accounts(pages.values().flat_map(|p| p.rows.iter()));
                Ok(shared_pages(pages))
            })
            .await?;
        Ok(page.unwrap_or_else(empty_page))
    }

    /// How many live subsidiaries the account has.
    pub async fn account_children_count(&self, account: Uuid) -> ApiResult<i64> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .children_counts
            .get(account, (), |ids, ()| async move {
                Ok(hierarchy::children_counts(db.read(), t, &ids).await?)
            })
            .await
    }

    /// The ids above an account, its parent first; the accounts themselves
    /// are seeded, so reading them costs one statement for the level.
    pub async fn account_ancestors(&self, account: Uuid) -> ApiResult<Arc<Vec<Uuid>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .ancestors
            .get(account, (), |ids, ()| async move {
                let pairs = hierarchy::ancestor_pairs(db.read(), t, &ids).await?;
                self.accounts.seed(pairs.iter().map(|(_, a)| *a));
                let mut m: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
                for (start, a) in pairs {
                    m.entry(start).or_default().push(a);
                }
                Ok(m.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            })
            .await
    }

    /// The account's annual revenue summed over its subtree, per currency.
    pub async fn account_subtree_revenue(&self, account: Uuid) -> ApiResult<Arc<Vec<Rollup>>> {
        let (db, t) = (&self.db, self.tenant);
        self.intel
            .revenue
            .get(account, (), |ids, ()| async move {
                let rows = hierarchy::revenue_rollup(db.read(), t, &ids).await?;
                let mut m: HashMap<Uuid, Vec<Rollup>> = HashMap::new();
                for r in rows {
                    m.entry(r.0).or_default().push(r);
                }
                Ok(m.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            })
            .await
    }
}
