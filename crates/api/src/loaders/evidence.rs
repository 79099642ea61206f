//! Batched loaders of relationship evidence: signal pages and counts per
//! account or contact, each account's health, every live signal of an
//! account (drivers, history), and the tenant's health model (once per
//! request). One statement per relation for every seeded parent.

use super::{Batch, Loaders, Row, empty_page, grouped, shared_pages};
use crate::error::ApiResult;
use crate::services::signals::{HealthView, health_views, model_view};
use domain::health::HealthModel;
use persistence::entity::account_signal as signal;
use persistence::repo::page::{Page, PageArgs};
use persistence::repo::signals::{self, SignalFilter, SignalsOf};
use std::sync::Arc;
use uuid::Uuid;

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
    time_zone: tokio::sync::OnceCell<Arc<str>>,
}

impl EvidenceLoaders {
    /// Seeds the evidence of accounts about to be returned.
    pub fn seed_accounts(&self, ids: &[Uuid]) {
        self.account_pages.seed(ids.iter().copied());
        self.account_counts.seed(ids.iter().copied());
        self.health.seed(ids.iter().copied());
        self.all.seed(ids.iter().copied());
    }

    /// Seeds the signal lists of contacts about to be returned.
    pub fn seed_contacts(&self, ids: &[Uuid]) {
        self.contact_pages.seed(ids.iter().copied());
        self.contact_counts.seed(ids.iter().copied());
    }
}

impl Loaders {
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

    /// The tenant's time zone (read once per request).
    pub async fn time_zone(&self) -> ApiResult<Arc<str>> {
        let (db, t) = (&self.db, self.tenant);
        self.evidence()
            .time_zone
            .get_or_try_init(|| async move {
                let t = persistence::repo::tenants::get(db.read(), t)
                    .await?
                    .ok_or_else(|| crate::error::ApiError::not_found("tenant"))?;
                Ok::<_, crate::error::ApiError>(Arc::from(t.time_zone.as_str()))
            })
            .await
            .cloned()
    }
}
