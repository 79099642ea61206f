//! Batched loaders of action items: the items of a page of plans, items by
//! id, their contacts and their assessments (one statement each, however
//! many items a level has), and the tenant's "today" (one statement per
//! request).

use super::{Batch, Loaders, Row, by_id};
use crate::error::ApiResult;
use chrono::NaiveDate;
use persistence::entity::{action_item, assessment, contact};
use persistence::repo::actions;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Which assessments of an item to load: occurrence dates from..=to, either
/// bound open.
pub type DateRange = (Option<NaiveDate>, Option<NaiveDate>);

/// The action-item caches of one request.
#[derive(Default)]
pub struct ActionLoaders {
    items: Batch<Uuid, (), Option<Row<action_item::Model>>>,
    plan_items: Batch<Uuid, (), Arc<Vec<Row<action_item::Model>>>>,
    item_contacts: Batch<Uuid, (), Arc<Vec<Uuid>>>,
    item_assessments: Batch<Uuid, DateRange, Arc<Vec<Row<assessment::Model>>>>,
    assessments: Batch<Uuid, (), Option<Row<assessment::Model>>>,
    today: tokio::sync::OnceCell<NaiveDate>,
}

/// Rows grouped by a parent key, shared (order kept).
fn by_parent<T>(rows: Vec<T>, parent: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Arc<Vec<Row<T>>>> {
    let mut m: HashMap<Uuid, Vec<Row<T>>> = HashMap::new();
    for r in rows {
        m.entry(parent(&r)).or_default().push(Arc::new(r));
    }
    m.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()
}

impl ActionLoaders {
    /// Seeds the action items of plans about to be returned.
    pub fn seed_plans(&self, plans: impl IntoIterator<Item = Uuid>) {
        self.plan_items.seed(plans);
    }
}

impl Loaders {
    /// Seeds the relations of action items about to be returned.
    pub fn seed_action_items<'a>(
        &self,
        rows: impl IntoIterator<Item = &'a action_item::Model> + Clone,
    ) {
        let a = &self.actions;
        self.users
            .seed(rows.clone().into_iter().map(|i| i.assignee_id));
        self.plans.seed(rows.clone().into_iter().map(|i| i.plan_id));
        self.objectives
            .seed(rows.clone().into_iter().filter_map(|i| i.objective_id));
        a.item_contacts.seed(rows.clone().into_iter().map(|i| i.id));
        a.item_assessments.seed(rows.into_iter().map(|i| i.id));
    }

    /// Stores items already at hand (the agenda's), so that asking for them costs nothing.
    pub fn prime_action_items(&self, rows: &[Row<action_item::Model>]) {
        for r in rows {
            self.actions.items.prime(r.id, (), Some(r.clone()));
        }
        self.seed_action_items(rows.iter().map(AsRef::as_ref));
    }

    /// Today in the tenant's time zone (one statement per request).
    pub async fn today(&self) -> ApiResult<NaiveDate> {
        let (db, t) = (&self.db, self.tenant);
        self.actions
            .today
            .get_or_try_init(|| async move { crate::services::actions::today(db.read(), t).await })
            .await
            .copied()
    }

    /// An assessment by id, if its action item is live (`node(id:)`).
    pub async fn assessment(&self, id: Uuid) -> ApiResult<Option<Row<assessment::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        let row = self
            .actions
            .assessments
            .get(id, (), |ids, ()| async move {
                Ok(by_id(
                    actions::assessments_by_ids(db.read(), t, &ids).await?,
                    |a| a.id,
                ))
            })
            .await?;
        match row {
            Some(a) if self.action_item(a.action_item_id).await?.is_some() => Ok(Some(a)),
            _ => Ok(None),
        }
    }

    /// A live action item by id.
    pub async fn action_item(&self, id: Uuid) -> ApiResult<Option<Row<action_item::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.actions
            .items
            .get(id, (), |ids, ()| async move {
                let rows = actions::by_ids(db.read(), t, &ids).await?;
                self.seed_action_items(rows.iter());
                Ok(by_id(rows, |i| i.id))
            })
            .await
    }

    /// The live action items of a plan, by first due date.
    pub async fn plan_action_items(
        &self,
        plan: Uuid,
    ) -> ApiResult<Arc<Vec<Row<action_item::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.actions
            .plan_items
            .get(plan, (), |ids, ()| async move {
                let rows = actions::of_plans(db.read(), t, &ids).await?;
                self.seed_action_items(rows.iter());
                Ok(by_parent(rows, |i| i.plan_id))
            })
            .await
    }

    /// The contacts involved in an action item, in name order.
    pub async fn action_item_contacts(&self, item: Uuid) -> ApiResult<Vec<Row<contact::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        let ids = self
            .actions
            .item_contacts
            .get(item, (), |ids, ()| async move {
                let mut grouped: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
                for (i, c) in actions::contacts_of(db.read(), t, &ids).await? {
                    grouped.entry(i).or_default().push(c);
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

    /// The assessments of an item with occurrence dates in `range`, by date.
    pub async fn action_item_assessments(
        &self,
        item: Uuid,
        range: DateRange,
    ) -> ApiResult<Arc<Vec<Row<assessment::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.actions
            .item_assessments
            .get(item, range, |ids, (from, to)| async move {
                let rows = actions::assessments_of(db.read(), t, &ids, from, to).await?;
                self.actions
                    .items
                    .seed(rows.iter().filter_map(|a| a.follow_up_action_id));
                self.users.seed(rows.iter().filter_map(|a| a.created_by));
                Ok(by_parent(rows, |a| a.action_item_id))
            })
            .await
    }
}
