//! Batched loaders of relationship evidence: signal pages and counts per
//! account or contact, each account's health, every live signal of an
//! account (drivers, history), the tenant's health model (once per
//! request), filtered activity pages per account and activity pages per
//! contact, and each activity's participants. One statement per relation
//! for every seeded parent.

use super::{Batch, Loaders, Row, empty_page, grouped, shared_pages};
use crate::error::ApiResult;
use crate::services::roti::RotiView;
use crate::services::signals::{HealthView, health_views, model_view};
use domain::health::HealthModel;
use persistence::entity::{account_signal as signal, activity, jeopardy_alert};
use persistence::repo::activities::{self, ActivityFilter};
use persistence::repo::page::{Page, PageArgs};
use persistence::repo::signals::{self, SignalFilter, SignalsOf};
use std::sync::Arc;
use uuid::Uuid;

type ActivityPages =
    Batch<Uuid, (ActivityFilter, PageArgs), Option<Arc<Page<Row<activity::Model>>>>>;
type Alerts = Arc<Vec<Row<jeopardy_alert::Model>>>;
type Pages = Batch<Uuid, (SignalFilter, PageArgs), Option<Arc<Page<Row<signal::Model>>>>>;

/// The relationship-evidence caches of one request.
#[derive(Default)]
pub struct EvidenceLoaders {
    account_pages: Pages,
    contact_pages: Pages,
    account_counts: Batch<Uuid, SignalFilter, i64>,
    contact_counts: Batch<Uuid, SignalFilter, i64>,
    health: Batch<Uuid, (), Option<Arc<HealthView>>>,
    all: Batch<Uuid, (), Arc<Vec<Row<signal::Model>>>>,
    model: tokio::sync::OnceCell<Arc<HealthModel>>,
    filtered_activities: ActivityPages,
    contact_activities: ActivityPages,
    filtered_activity_counts: Batch<Uuid, ActivityFilter, i64>,
    contact_activity_counts: Batch<Uuid, ActivityFilter, i64>,
    participants: Batch<Uuid, (), Arc<Vec<Uuid>>>,
    alerts: Batch<Uuid, Option<Vec<String>>, Alerts>,
    tenant: tokio::sync::OnceCell<Arc<persistence::entity::tenant::Model>>,
    portfolio: tokio::sync::OnceCell<Arc<crate::services::portfolio::Facts>>,
    account_roti: Batch<Uuid, domain::roti::Period, Option<Arc<RotiView>>>,
    user_roti: Batch<Uuid, domain::roti::Period, Option<Arc<RotiView>>>,
}

impl EvidenceLoaders {
    /// Seeds the evidence of accounts about to be returned.
    pub fn seed_accounts(&self, ids: &[Uuid]) {
        self.account_pages.seed(ids.iter().copied());
        self.account_counts.seed(ids.iter().copied());
        self.health.seed(ids.iter().copied());
        self.all.seed(ids.iter().copied());
        self.filtered_activities.seed(ids.iter().copied());
        self.filtered_activity_counts.seed(ids.iter().copied());
        self.alerts.seed(ids.iter().copied());
        self.account_roti.seed(ids.iter().copied());
    }

    /// Seeds the ROTI of users about to be returned.
    pub fn seed_users(&self, ids: impl IntoIterator<Item = Uuid>) {
        self.user_roti.seed(ids);
    }

    /// Seeds the participants of activities about to be returned.
    pub fn seed_activities(&self, ids: impl IntoIterator<Item = Uuid>) {
        self.participants.seed(ids);
    }

    /// Seeds the signal lists of contacts about to be returned.
    pub fn seed_contacts(&self, ids: &[Uuid]) {
        self.contact_pages.seed(ids.iter().copied());
        self.contact_counts.seed(ids.iter().copied());
        self.contact_activities.seed(ids.iter().copied());
        self.contact_activity_counts.seed(ids.iter().copied());
    }
}

impl Loaders {
    /// Seeds accounts about to be asked for by id, with their evidence.
    pub fn seed_account_ids(&self, ids: impl IntoIterator<Item = Uuid>) {
        let ids: Vec<Uuid> = ids.into_iter().collect();
        self.accounts.seed(ids.iter().copied());
        self.evidence.seed_accounts(&ids);
    }

    /// Seeds the ROTI of users about to be returned.
    pub fn seed_users(&self, ids: impl IntoIterator<Item = Uuid>) {
        self.evidence.seed_users(ids);
    }

    /// Seeds users about to be asked for by id.
    pub fn seed_user_ids(&self, ids: impl IntoIterator<Item = Uuid>) {
        self.users.seed(ids);
    }

    /// The evidence loaders.
    fn evidence(&self) -> &EvidenceLoaders {
        &self.evidence
    }

    /// A page of an account's or a contact's live signals, newest first.
    pub async fn signal_page(
        &self,
        of: SignalsOf,
        parent: Uuid,
        filter: SignalFilter,
        args: PageArgs,
    ) -> ApiResult<Arc<Page<Row<signal::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        let batch = match of {
            SignalsOf::Account => &self.evidence().account_pages,
            SignalsOf::Contact => &self.evidence().contact_pages,
        };
        let page = batch
            .get(parent, (filter, args), |ids, (filter, args)| async move {
                let pages = signals::pages(db.read(), t, of, &ids, &filter, &args).await?;
                Ok(shared_pages(pages))
            })
            .await?;
        Ok(page.unwrap_or_else(empty_page))
    }

    /// How many live signals an account or a contact has under `filter`.
    pub async fn signal_count(
        &self,
        of: SignalsOf,
        parent: Uuid,
        filter: SignalFilter,
    ) -> ApiResult<i64> {
        let (db, t) = (&self.db, self.tenant);
        let batch = match of {
            SignalsOf::Account => &self.evidence().account_counts,
            SignalsOf::Contact => &self.evidence().contact_counts,
        };
        batch
            .get(parent, filter, |ids, filter| async move {
                Ok(signals::counts(db.read(), t, of, &ids, &filter).await?)
            })
            .await
    }

    /// An account's health now (`services::signals::health_views`).
    pub async fn account_health(&self, account: Uuid) -> ApiResult<Arc<HealthView>> {
        let (db, t) = (&self.db, self.tenant);
        let v = self
            .evidence()
            .health
            .get(account, (), |ids, ()| async move {
                let views = health_views(db, t, &ids).await?;
                Ok(views
                    .into_iter()
                    .map(|(k, v)| (k, Some(Arc::new(v))))
                    .collect())
            })
            .await?;
        Ok(v.unwrap_or_else(|| {
            Arc::new(HealthView {
                account,
                health: None,
                shares: [None; 3],
                signal_count: 0,
                last_signal_at: None,
            })
        }))
    }

    /// Every live signal of an account, oldest first.
    pub async fn account_all_signals(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<signal::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.evidence()
            .all
            .get(account, (), |ids, ()| async move {
                let rows = signals::all_of(db.read(), t, &ids).await?;
                Ok(grouped(rows, |s| s.account_id))
            })
            .await
    }

    /// The tenant's health model (read once per request).
    pub async fn health_model(&self) -> ApiResult<Arc<HealthModel>> {
        let (db, t) = (&self.db, self.tenant);
        self.evidence()
            .model
            .get_or_try_init(|| async move { Ok(Arc::new(model_view(db, t).await?.model)) })
            .await
            .cloned()
    }

    /// The caller's tenant (read once per request).
    pub async fn tenant_row(&self) -> ApiResult<Arc<persistence::entity::tenant::Model>> {
        let (db, t) = (&self.db, self.tenant);
        self.evidence()
            .tenant
            .get_or_try_init(|| async move {
                let t = persistence::repo::tenants::get(db.read(), t)
                    .await?
                    .ok_or_else(|| crate::error::ApiError::not_found("tenant"))?;
                Ok::<_, crate::error::ApiError>(Arc::new(t))
            })
            .await
            .cloned()
    }

    /// The caller's portfolio facts (read once per request).
    pub async fn portfolio(
        &self,
        p: &domain::Principal,
    ) -> ApiResult<Arc<crate::services::portfolio::Facts>> {
        let db = &self.db;
        self.evidence()
            .portfolio
            .get_or_try_init(|| async move {
                Ok::<_, crate::error::ApiError>(Arc::new(
                    crate::services::portfolio::facts(db, p).await?,
                ))
            })
            .await
            .cloned()
    }

    /// The tenant's time zone.
    pub async fn time_zone(&self) -> ApiResult<Arc<str>> {
        Ok(Arc::from(self.tenant_row().await?.time_zone.as_str()))
    }

    /// The ROTI of an account (`by_user` false) or a user in a period.
    pub async fn roti(
        &self,
        by_user: bool,
        subject: Uuid,
        period: domain::roti::Period,
    ) -> ApiResult<Arc<RotiView>> {
        let t = self.tenant_row().await?;
        let db = &self.db;
        let batch = if by_user {
            &self.evidence().user_roti
        } else {
            &self.evidence().account_roti
        };
        let t2 = t.clone();
        let v = batch
            .get(subject, period, |ids, period| async move {
                let m = if by_user {
                    crate::services::roti::of_users(db, &t2, Some(&ids), period).await?
                } else {
                    crate::services::roti::of_accounts(db, &t2, Some(&ids), period).await?
                };
                Ok(m.into_iter().map(|(k, v)| (k, Some(Arc::new(v)))).collect())
            })
            .await?;
        Ok(v.unwrap_or_else(|| {
            Arc::new(RotiView {
                subject,
                period,
                currency: t.default_currency.clone(),
                roti: domain::roti::roti(domain::roti::RotiInputs::default()),
            })
        }))
    }

    /// A page of an account's (`by_contact` false) or a contact's live
    /// activities under a filter, newest first.
    pub async fn activity_page(
        &self,
        by_contact: bool,
        parent: Uuid,
        filter: ActivityFilter,
        args: PageArgs,
    ) -> ApiResult<Arc<Page<Row<activity::Model>>>> {
        if !by_contact && filter.is_empty() {
            return self.account_activities(parent, args).await;
        }
        let (db, t) = (&self.db, self.tenant);
        let batch = if by_contact {
            &self.evidence().contact_activities
        } else {
            &self.evidence().filtered_activities
        };
        let page = batch
            .get(parent, (filter, args), |ids, (filter, args)| async move {
                let pages = if by_contact {
                    activities::pages_by_contact(db.read(), t, &ids, &filter, &args).await?
                } else {
                    activities::filtered_pages_by_account(db.read(), t, &ids, &filter, &args)
                        .await?
                };
                self.seed_activities(pages.values().flat_map(|p| p.rows.iter()));
                Ok(shared_pages(pages))
            })
            .await?;
        Ok(page.unwrap_or_else(empty_page))
    }

    /// How many live activities an account or a contact has under a filter.
    pub async fn activity_count(
        &self,
        by_contact: bool,
        parent: Uuid,
        filter: ActivityFilter,
    ) -> ApiResult<i64> {
        if !by_contact && filter.is_empty() {
            return self.account_activity_count(parent).await;
        }
        let (db, t) = (&self.db, self.tenant);
        let batch = if by_contact {
            &self.evidence().contact_activity_counts
        } else {
            &self.evidence().filtered_activity_counts
        };
        batch
            .get(parent, filter, |ids, filter| async move {
                Ok(if by_contact {
                    activities::counts_by_contact(db.read(), t, &ids, &filter).await?
                } else {
                    activities::filtered_counts_by_account(db.read(), t, &ids, &filter).await?
                })
            })
            .await
    }

    /// The users who took part in an activity.
    pub async fn activity_participants(&self, activity: Uuid) -> ApiResult<Arc<Vec<Uuid>>> {
        let (db, t) = (&self.db, self.tenant);
        self.evidence()
            .participants
            .get(activity, (), |ids, ()| async move {
                let pairs = activities::participants_of(db.read(), t, &ids).await?;
                self.users.seed(pairs.iter().map(|(_, u)| *u));
                let mut out: std::collections::HashMap<Uuid, Vec<Uuid>> =
                    std::collections::HashMap::new();
                for (a, u) in pairs {
                    out.entry(a).or_default().push(u);
                }
                Ok(out.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            })
            .await
    }

    /// An account's alerts of these statuses (all when `None`), newest
    /// first.
    pub async fn account_alerts(
        &self,
        account: Uuid,
        statuses: Option<Vec<String>>,
    ) -> ApiResult<Arc<Vec<Row<jeopardy_alert::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.evidence()
            .alerts
            .get(account, statuses, |ids, statuses| async move {
                let rows =
                    persistence::repo::alerts::of_accounts(db.read(), t, &ids, statuses.as_deref())
                        .await?;
                Ok(grouped(rows, |a| a.account_id))
            })
            .await
    }
}
