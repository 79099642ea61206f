//! Batched loaders of account intelligence: each account's team (one
//! statement for every account of a level, seeded by the list that
//! returned the accounts).

use super::{Batch, Loaders, Row};
use crate::error::ApiResult;
use persistence::entity::account_team_member as member;
use persistence::repo::team;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// The account-intelligence caches of one request.
#[derive(Default)]
pub struct IntelLoaders {
    account_team: Batch<Uuid, (), Arc<Vec<Row<member::Model>>>>,
}

impl IntelLoaders {
    /// Seeds the relations of accounts about to be returned.
    pub fn seed_accounts(&self, ids: impl IntoIterator<Item = Uuid>) {
        self.account_team.seed(ids);
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
                let mut m: HashMap<Uuid, Vec<Row<member::Model>>> = HashMap::new();
                for r in rows {
                    m.entry(r.account_id).or_default().push(Arc::new(r));
                }
                Ok(m.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            })
            .await
    }
}
