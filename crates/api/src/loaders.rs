//! Deterministic batching of nested relations.
//!
//! async-graphql's `DataLoader` gathers keys for a 1 ms timer, which splits
//! batches when the machine is busy. Here, the resolver that produces a list
//! of records *seeds* the loaders of their relations with the keys the
//! children will ask for (seeding is free: no query). The first child that
//! asks loads every seeded key not loaded yet, in one statement; its
//! siblings then find their value in the cache. A query of depth N thus costs
//! at most one statement per relation and level, however many rows a level
//! has and however loaded the machine is.

pub mod actions;
pub mod evidence;
pub mod intel;
pub mod whitespace;

use crate::error::ApiResult;
use domain::TenantId;
use persistence::Db;
use persistence::entity::{
    account, account_plan, activity, contact, contingency, growth_target, objective,
    objective_progress, plan_review, user,
};
use persistence::repo::page::{Page, PageArgs};
use persistence::repo::{accounts, activities, contacts, plans, users};
use std::collections::{HashMap, HashSet};
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

/// A cache of one relation for one request: values by (arguments, key).
pub struct Batch<K, A, V> {
    seeded: Mutex<(Vec<K>, HashSet<K>)>,
    done: tokio::sync::Mutex<HashMap<(A, K), V>>,
}

impl<K, A, V> Default for Batch<K, A, V> {
    fn default() -> Self {
        Self {
            seeded: Mutex::new((Vec::new(), HashSet::new())),
            done: tokio::sync::Mutex::new(HashMap::new()),
        }
    }
}

impl<K, A, V> Batch<K, A, V>
where
    K: Copy + Eq + Hash,
    A: Clone + Eq + Hash,
    V: Clone + Default,
{
    /// Notes keys that children are about to ask for.
    pub fn seed(&self, keys: impl IntoIterator<Item = K>) {
        if let Ok(mut s) = self.seeded.lock() {
            let (list, set) = &mut *s;
            for k in keys {
                if set.insert(k) {
                    list.push(k);
                }
            }
        }
    }

    /// Stores a value already at hand (e.g. the rows of a list), so that a
    /// child asking for it costs nothing. Skipped if a load is in flight.
    pub fn prime(&self, key: K, args: A, value: V) {
        if let Ok(mut done) = self.done.try_lock() {
            done.entry((args, key)).or_insert(value);
        }
    }

    /// The value for `key`, loading it together with every seeded key that
    /// has no value for `args` yet.
    pub async fn get<F, Fut>(&self, key: K, args: A, load: F) -> ApiResult<V>
    where
        F: FnOnce(Vec<K>, A) -> Fut,
        Fut: Future<Output = ApiResult<HashMap<K, V>>>,
    {
        let mut done = self.done.lock().await;
        if let Some(v) = done.get(&(args.clone(), key)) {
            return Ok(v.clone());
        }
        let mut keys: Vec<K> = self
            .seeded
            .lock()
            .map(|s| {
                s.0.iter()
                    .copied()
                    .filter(|k| !done.contains_key(&(args.clone(), *k)))
                    .collect()
            })
            .unwrap_or_default();
        if !keys.contains(&key) {
            keys.push(key);
        }
        let mut loaded = load(keys.clone(), args.clone()).await?;
        for k in keys {
            let v = loaded.remove(&k).unwrap_or_default();
            done.insert((args.clone(), k), v);
        }
        Ok(done.get(&(args, key)).cloned().unwrap_or_default())
    }
}

pub type Row<T> = Arc<T>;

/// The loaders of one request, scoped to the caller's tenant.
pub struct Loaders {
    db: Db,
    tenant: TenantId,
    users: Batch<Uuid, (), Option<Row<user::Model>>>,
    accounts: Batch<Uuid, (), Option<Row<account::Model>>>,
    contacts: Batch<Uuid, (), Option<Row<contact::Model>>>,
    direct_reports: Batch<Uuid, (), Arc<Vec<Row<contact::Model>>>>,
    account_contacts: Batch<Uuid, PageArgs, Option<Arc<Page<Row<contact::Model>>>>>,
    account_activities: Batch<Uuid, PageArgs, Option<Arc<Page<Row<activity::Model>>>>>,
    activity_contacts: Batch<Uuid, (), Arc<Vec<Uuid>>>,
    activities: Batch<Uuid, (), Option<Row<activity::Model>>>,
    white_space: whitespace::WhiteSpaceLoaders,
    intel: intel::IntelLoaders,
    evidence: evidence::EvidenceLoaders,
    actions: actions::ActionLoaders,
    account_plans: Batch<Uuid, PageArgs, Option<Arc<Page<Row<account_plan::Model>>>>>,
    plans: Batch<Uuid, (), Option<Row<account_plan::Model>>>,
    plan_objectives: Batch<Uuid, (), Arc<Vec<Row<objective::Model>>>>,
    objectives: Batch<Uuid, (), Option<Row<objective::Model>>>,
    objective_progress: Batch<Uuid, (), Arc<Vec<Row<objective_progress::Model>>>>,
    plan_growth: Batch<Uuid, (), Arc<Vec<Row<growth_target::Model>>>>,
    plan_reviews: Batch<Uuid, (), Arc<Vec<Row<plan_review::Model>>>>,
    review_reviewers: Batch<Uuid, (), Arc<Vec<Uuid>>>,
    plan_contingencies: Batch<Uuid, (), Arc<Vec<Row<contingency::Model>>>>,
    growth_targets: Batch<Uuid, (), Option<Row<growth_target::Model>>>,
    reviews: Batch<Uuid, (), Option<Row<plan_review::Model>>>,
    contingencies: Batch<Uuid, (), Option<Row<contingency::Model>>>,
    contact_counts: Batch<Uuid, (), i64>,
    plan_counts: Batch<Uuid, (), i64>,
    activity_counts: Batch<Uuid, (), i64>,
}

/// Rows grouped by a parent key, shared.
fn grouped<T>(rows: Vec<T>, key: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Arc<Vec<Row<T>>>> {
    let mut m: HashMap<Uuid, Vec<Row<T>>> = HashMap::new();
    for r in rows {
        m.entry(key(&r)).or_default().push(Arc::new(r));
    }
    m.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()
}

/// An empty page, for a parent without children.
pub(crate) fn empty_page<T>() -> Arc<Page<T>> {
    Arc::new(Page {
        rows: vec![],
        has_next: false,
        has_previous: false,
    })
}

pub(crate) fn shared_pages<T>(
    pages: HashMap<Uuid, Page<T>>,
) -> HashMap<Uuid, Option<Arc<Page<Row<T>>>>> {
    pages
        .into_iter()
        .map(|(k, p)| {
            let page = Page {
                rows: p.rows.into_iter().map(Arc::new).collect(),
                has_next: p.has_next,
                has_previous: p.has_previous,
            };
            (k, Some(Arc::new(page)))
        })
        .collect()
}

fn by_id<T>(rows: Vec<T>, id: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Option<Arc<T>>> {
    rows.into_iter()
        .map(|r| (id(&r), Some(Arc::new(r))))
        .collect()
}

impl Loaders {
    pub fn new(db: Db, tenant: TenantId) -> Self {
        Self {
            white_space: whitespace::WhiteSpaceLoaders::new(db.clone(), tenant),
            actions: actions::ActionLoaders::default(),
            intel: intel::IntelLoaders::default(),
            evidence: evidence::EvidenceLoaders::default(),
            db,
            tenant,
            users: Batch::default(),
            accounts: Batch::default(),
            contacts: Batch::default(),
            direct_reports: Batch::default(),
            account_contacts: Batch::default(),
            account_activities: Batch::default(),
            activity_contacts: Batch::default(),
            activities: Batch::default(),
            account_plans: Batch::default(),
            plans: Batch::default(),
            plan_objectives: Batch::default(),
            objectives: Batch::default(),
            objective_progress: Batch::default(),
            plan_growth: Batch::default(),
            plan_reviews: Batch::default(),
            review_reviewers: Batch::default(),
            plan_contingencies: Batch::default(),
            growth_targets: Batch::default(),
            reviews: Batch::default(),
            contingencies: Batch::default(),
            contact_counts: Batch::default(),
            plan_counts: Batch::default(),
            activity_counts: Batch::default(),
        }
    }

    /// Seeds the relations of accounts about to be returned.
    pub fn seed_accounts<'a>(&self, rows: impl IntoIterator<Item = &'a account::Model> + Clone) {
        self.users
            .seed(rows.clone().into_iter().map(|a| a.owner_id));
        self.accounts
            .seed(rows.clone().into_iter().filter_map(|a| a.parent_id));
        self.white_space
            .seed_accounts(rows.clone().into_iter().map(|a| a.id));
        self.intel
            .seed_accounts(rows.clone().into_iter().map(|a| a.id));
        self.evidence
            .seed_accounts(&rows.clone().into_iter().map(|a| a.id).collect::<Vec<_>>());
        self.account_contacts
            .seed(rows.clone().into_iter().map(|a| a.id));
        self.account_activities
            .seed(rows.clone().into_iter().map(|a| a.id));
        self.contact_counts
            .seed(rows.clone().into_iter().map(|a| a.id));
        self.plan_counts
            .seed(rows.clone().into_iter().map(|a| a.id));
        self.activity_counts
            .seed(rows.clone().into_iter().map(|a| a.id));
        self.account_plans.seed(rows.into_iter().map(|a| a.id));
    }

    /// How many live contacts the account has (batched across a page).
    pub async fn account_contact_count(&self, account: Uuid) -> ApiResult<i64> {
        let (db, t) = (&self.db, self.tenant);
        self.contact_counts
            .get(account, (), |ids, ()| async move {
                Ok(contacts::counts_by_account(db.read(), t, &ids).await?)
            })
            .await
    }

    /// How many live activities the account has (batched across a page).
    pub async fn account_activity_count(&self, account: Uuid) -> ApiResult<i64> {
        let (db, t) = (&self.db, self.tenant);
        self.activity_counts
            .get(account, (), |ids, ()| async move {
                Ok(activities::counts_by_account(db.read(), t, &ids).await?)
            })
            .await
    }

    /// How many live plans the account has (batched across a page).
    pub async fn account_plan_count(&self, account: Uuid) -> ApiResult<i64> {
        let (db, t) = (&self.db, self.tenant);
        self.plan_counts
            .get(account, (), |ids, ()| async move {
                Ok(plans::counts_by_account(db.read(), t, &ids).await?)
            })
            .await
    }

    /// The white-space loaders (catalogue, business units, cells).
    pub fn white_space(&self) -> &whitespace::WhiteSpaceLoaders {
        &self.white_space
    }

    /// Seeds the relations of contacts about to be returned.
    pub fn seed_contacts<'a>(&self, rows: impl IntoIterator<Item = &'a contact::Model> + Clone) {
        self.users.seed(
            rows.clone()
                .into_iter()
                .filter_map(|c| c.relationship_owner_id),
        );
        self.contacts
            .seed(rows.clone().into_iter().filter_map(|c| c.reports_to_id));
        self.accounts
            .seed(rows.clone().into_iter().map(|c| c.account_id));
        self.intel
            .seed_preferred(rows.clone().into_iter().map(|c| c.id));
        self.evidence
            .seed_contacts(&rows.clone().into_iter().map(|c| c.id).collect::<Vec<_>>());
        self.direct_reports.seed(rows.into_iter().map(|c| c.id));
    }

    pub async fn user(&self, id: Uuid) -> ApiResult<Option<Row<user::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.users
            .get(id, (), |ids, ()| async move {
                Ok(by_id(users::by_ids(db.read(), t, &ids).await?, |u| u.id))
            })
            .await
    }

    pub async fn account(&self, id: Uuid) -> ApiResult<Option<Row<account::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.accounts
            .get(id, (), |ids, ()| async move {
                let rows = accounts::by_ids(db.read(), t, &ids).await?;
                self.seed_accounts(rows.iter());
                Ok(by_id(rows, |a| a.id))
            })
            .await
    }

    pub async fn contact(&self, id: Uuid) -> ApiResult<Option<Row<contact::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.contacts
            .get(id, (), |ids, ()| async move {
                let rows = contacts::by_ids(db.read(), t, &ids).await?;
                self.seed_contacts(rows.iter());
                Ok(by_id(rows, |c| c.id))
            })
            .await
    }

    pub async fn direct_reports(&self, manager: Uuid) -> ApiResult<Arc<Vec<Row<contact::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.direct_reports
            .get(manager, (), |ids, ()| async move {
                let rows = contacts::direct_reports(db.read(), t, &ids).await?;
                self.seed_contacts(rows.iter());
                let mut grouped: HashMap<Uuid, Vec<Row<contact::Model>>> = HashMap::new();
                for c in rows {
                    if let Some(m) = c.reports_to_id {
                        grouped.entry(m).or_default().push(Arc::new(c));
                    }
                }
                Ok(grouped.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            })
            .await
    }

    pub async fn account_contacts(
        &self,
        account: Uuid,
        args: PageArgs,
    ) -> ApiResult<Arc<Page<Row<contact::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        let page = self
            .account_contacts
            .get(account, args, |ids, args| async move {
                let pages = contacts::pages_by_account(db.read(), t, &ids, &args).await?;
                self.seed_contacts(pages.values().flat_map(|p| p.rows.iter()));
                Ok(shared_pages(pages))
            })
            .await?;
        Ok(page.unwrap_or_else(empty_page))
    }

    /// Seeds the relations of activities about to be returned.
    pub fn seed_activities<'a>(&self, rows: impl IntoIterator<Item = &'a activity::Model>) {
        let ids: Vec<Uuid> = rows.into_iter().map(|a| a.id).collect();
        self.activity_contacts.seed(ids.iter().copied());
        self.evidence.seed_activities(ids);
    }

    pub async fn account_activities(
        &self,
        account: Uuid,
        args: PageArgs,
    ) -> ApiResult<Arc<Page<Row<activity::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        let page = self
            .account_activities
            .get(account, args, |ids, args| async move {
                let pages = activities::pages_by_account(db.read(), t, &ids, &args).await?;
                self.seed_activities(pages.values().flat_map(|p| p.rows.iter()));
                Ok(shared_pages(pages))
            })
            .await?;
        Ok(page.unwrap_or_else(empty_page))
    }

    pub async fn activity(&self, id: Uuid) -> ApiResult<Option<Row<activity::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.activities
            .get(id, (), |ids, ()| async move {
                let rows = activities::by_ids(db.read(), t, &ids).await?;
                self.seed_activities(rows.iter());
                Ok(by_id(rows, |a| a.id))
            })
            .await
    }

    /// The contacts involved in an activity, in name order.
    pub async fn activity_contacts(&self, activity: Uuid) -> ApiResult<Vec<Row<contact::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        let ids = self
            .activity_contacts
            .get(activity, (), |ids, ()| async move {
                let mut grouped: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
                for (a, c) in activities::contacts_of(db.read(), t, &ids).await? {
                    grouped.entry(a).or_default().push(c);
                }
                self.contacts.seed(grouped.values().flatten().copied());
                Ok(grouped.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            })
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids.iter() {
            if let Some(c) = self.contact(*id).await? {
                out.push(c);
            }
        }
        out.sort_by(|a, b| (&a.name_key, a.id).cmp(&(&b.name_key, b.id)));
        Ok(out)
    }

    /// Seeds the relations of plans about to be returned.
    pub fn seed_plans<'a>(&self, rows: impl IntoIterator<Item = &'a account_plan::Model> + Clone) {
        self.users
            .seed(rows.clone().into_iter().map(|p| p.owner_id));
        self.accounts
            .seed(rows.clone().into_iter().map(|p| p.account_id));
        let ids = rows.into_iter().map(|p| p.id);
        let ids: Vec<Uuid> = ids.collect();
        self.plan_objectives.seed(ids.iter().copied());
        self.plan_growth.seed(ids.iter().copied());
        self.plan_reviews.seed(ids.iter().copied());
        self.actions.seed_plans(ids.iter().copied());
        self.plan_contingencies.seed(ids);
    }

    pub async fn account_plans(
        &self,
        account: Uuid,
        args: PageArgs,
    ) -> ApiResult<Arc<Page<Row<account_plan::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        let page = self
            .account_plans
            .get(account, args, |ids, args| async move {
                let pages = plans::pages_by_account(db.read(), t, &ids, &args).await?;
                self.seed_plans(pages.values().flat_map(|p| p.rows.iter()));
                Ok(shared_pages(pages))
            })
            .await?;
        Ok(page.unwrap_or_else(empty_page))
    }

    pub async fn plan(&self, id: Uuid) -> ApiResult<Option<Row<account_plan::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.plans
            .get(id, (), |ids, ()| async move {
                let rows = plans::by_ids(db.read(), t, &ids).await?;
                self.seed_plans(rows.iter());
                Ok(by_id(rows, |p| p.id))
            })
            .await
    }

    pub async fn plan_objectives(&self, plan: Uuid) -> ApiResult<Arc<Vec<Row<objective::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.plan_objectives
            .get(plan, (), |ids, ()| async move {
                let rows = plans::objectives_of(db.read(), t, &ids).await?;
                self.objective_progress.seed(rows.iter().map(|o| o.id));
                self.users.seed(rows.iter().filter_map(|o| o.owner_id));
                self.intel
                    .seed_criteria(rows.iter().filter_map(|o| o.success_criterion_id));
                Ok(grouped(rows, |o| o.plan_id))
            })
            .await
    }

    /// A growth target by id, if its plan is live (`node(id:)`).
    pub async fn growth_target(&self, id: Uuid) -> ApiResult<Option<Row<growth_target::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        let row = self
            .growth_targets
            .get(id, (), |ids, ()| async move {
                Ok(by_id(
                    plans::growth_targets_by_ids(db.read(), t, &ids).await?,
                    |g| g.id,
                ))
            })
            .await?;
        self.with_live_plan(row, |g| g.plan_id).await
    }

    /// A plan review by id, if its plan is live (`node(id:)`).
    pub async fn review(&self, id: Uuid) -> ApiResult<Option<Row<plan_review::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        let row = self
            .reviews
            .get(id, (), |ids, ()| async move {
                Ok(by_id(
                    plans::reviews_by_ids(db.read(), t, &ids).await?,
                    |r| r.id,
                ))
            })
            .await?;
        self.with_live_plan(row, |r| r.plan_id).await
    }

    /// A live contingency by id, if its plan is live (`node(id:)`).
    pub async fn contingency(&self, id: Uuid) -> ApiResult<Option<Row<contingency::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        let row = self
            .contingencies
            .get(id, (), |ids, ()| async move {
                Ok(by_id(
                    plans::contingencies_by_ids(db.read(), t, &ids).await?,
                    |c| c.id,
                ))
            })
            .await?;
        self.with_live_plan(row, |c| c.plan_id).await
    }

    /// `row` if the plan it belongs to is live (a deleted account's plans are
    /// tombstoned; their children answer no query).
    async fn with_live_plan<T>(
        &self,
        row: Option<Row<T>>,
        plan: impl Fn(&T) -> Uuid,
    ) -> ApiResult<Option<Row<T>>> {
        match row {
            Some(r) if self.plan(plan(&r)).await?.is_some() => Ok(Some(r)),
            _ => Ok(None),
        }
    }

    pub async fn objective(&self, id: Uuid) -> ApiResult<Option<Row<objective::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.objectives
            .get(id, (), |ids, ()| async move {
                let rows = plans::objectives_by_ids(db.read(), t, &ids).await?;
                self.objective_progress.seed(rows.iter().map(|o| o.id));
                Ok(by_id(rows, |o| o.id))
            })
            .await
    }

    pub async fn objective_progress(
        &self,
        objective: Uuid,
    ) -> ApiResult<Arc<Vec<Row<objective_progress::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.objective_progress
            .get(objective, (), |ids, ()| async move {
                Ok(grouped(
                    plans::progress_of(db.read(), t, &ids).await?,
                    |p| p.objective_id,
                ))
            })
            .await
    }

    pub async fn plan_growth(&self, plan: Uuid) -> ApiResult<Arc<Vec<Row<growth_target::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.plan_growth
            .get(plan, (), |ids, ()| async move {
                Ok(grouped(plans::growth_of(db.read(), t, &ids).await?, |g| {
                    g.plan_id
                }))
            })
            .await
    }

    pub async fn plan_reviews(&self, plan: Uuid) -> ApiResult<Arc<Vec<Row<plan_review::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.plan_reviews
            .get(plan, (), |ids, ()| async move {
                let rows = plans::reviews_of(db.read(), t, &ids).await?;
                self.review_reviewers.seed(rows.iter().map(|r| r.id));
                Ok(grouped(rows, |r| r.plan_id))
            })
            .await
    }

    /// The reviewers (user ids) of a review.
    pub async fn review_reviewers(&self, review: Uuid) -> ApiResult<Arc<Vec<Uuid>>> {
        let (db, t) = (&self.db, self.tenant);
        self.review_reviewers
            .get(review, (), |ids, ()| async move {
                let mut m: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
                for (r, u) in plans::reviewers_of(db.read(), t, &ids).await? {
                    m.entry(r).or_default().push(u);
                }
                self.users.seed(m.values().flatten().copied());
                Ok(m.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            })
            .await
    }

    pub async fn plan_contingencies(
        &self,
        plan: Uuid,
    ) -> ApiResult<Arc<Vec<Row<contingency::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.plan_contingencies
            .get(plan, (), |ids, ()| async move {
                Ok(grouped(
                    plans::contingencies_of(db.read(), t, &ids).await?,
                    |c| c.plan_id,
                ))
            })
            .await
    }
}
