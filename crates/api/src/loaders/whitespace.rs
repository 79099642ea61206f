//! Batched loaders of the white space: the tenant's catalogue (one
//! statement per request), and the business units and cells of every
//! account seeded by the list that returned the accounts (one statement
//! each, whatever the number of accounts).

use super::{Batch, Row, by_id};
use crate::error::ApiResult;
use domain::TenantId;
use persistence::Db;
use persistence::entity::{business_unit, product, white_space_cell};
use persistence::repo::whitespace;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Rows grouped by a parent key, shared (order kept).
fn by_parent<T>(rows: Vec<T>, parent: impl Fn(&T) -> Uuid) -> HashMap<Uuid, Arc<Vec<Row<T>>>> {
    let mut m: HashMap<Uuid, Vec<Row<T>>> = HashMap::new();
    for r in rows {
        m.entry(parent(&r)).or_default().push(Arc::new(r));
    }
    m.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()
}

/// The tenant's products (active and inactive), by name, and by id.
#[derive(Default)]
pub struct Catalogue {
    /// Every product, by name.
    pub products: Vec<Row<product::Model>>,
    by_id: HashMap<Uuid, Row<product::Model>>,
}

impl Catalogue {
    /// A product by id.
    pub fn get(&self, id: Uuid) -> Option<Row<product::Model>> {
        self.by_id.get(&id).cloned()
    }
}

/// The white-space loaders of one request, scoped to the caller's tenant.
pub struct WhiteSpaceLoaders {
    db: Db,
    tenant: TenantId,
    catalogue: Batch<(), (), Arc<Catalogue>>,
    account_units: Batch<Uuid, (), Arc<Vec<Row<business_unit::Model>>>>,
    account_cells: Batch<Uuid, (), Arc<Vec<Row<white_space_cell::Model>>>>,
    units: Batch<Uuid, (), Option<Row<business_unit::Model>>>,
    cells: Batch<Uuid, (), Option<Row<white_space_cell::Model>>>,
}

impl WhiteSpaceLoaders {
    pub fn new(db: Db, tenant: TenantId) -> Self {
        Self {
            db,
            tenant,
            catalogue: Batch::default(),
            account_units: Batch::default(),
            account_cells: Batch::default(),
            units: Batch::default(),
            cells: Batch::default(),
        }
    }

    /// Seeds the white space of accounts about to be returned.
    pub fn seed_accounts(&self, ids: impl IntoIterator<Item = Uuid>) {
        let ids: Vec<Uuid> = ids.into_iter().collect();
        self.account_units.seed(ids.iter().copied());
        self.account_cells.seed(ids);
    }

    /// The tenant's catalogue, loaded once per request.
    pub async fn catalogue(&self) -> ApiResult<Arc<Catalogue>> {
        let (db, t) = (&self.db, self.tenant);
        self.catalogue
            .get((), (), |_, ()| async move {
                let products: Vec<Row<product::Model>> = whitespace::products(db.read(), t, true)
                    .await?
                    .into_iter()
                    .map(Arc::new)
                    .collect();
                let by_id = products.iter().map(|p| (p.id, p.clone())).collect();
                Ok(HashMap::from([(
                    (),
                    Arc::new(Catalogue { products, by_id }),
                )]))
            })
            .await
    }

    /// The business units of an account, by name.
    pub async fn account_units(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<business_unit::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.account_units
            .get(account, (), |ids, ()| async move {
                let rows = whitespace::business_units_of(db.read(), t, &ids).await?;
                // Their parents are asked for together (`businessUnit.parent`).
                self.units.seed(rows.iter().filter_map(|u| u.parent_id));
                Ok(by_parent(rows, |u| u.account_id))
            })
            .await
    }

    /// The cells of an account, by business unit name, then product name.
    pub async fn account_cells(
        &self,
        account: Uuid,
    ) -> ApiResult<Arc<Vec<Row<white_space_cell::Model>>>> {
        let (db, t) = (&self.db, self.tenant);
        self.account_cells
            .get(account, (), |ids, ()| async move {
                let rows = whitespace::cells_of(db.read(), t, &ids).await?;
                Ok(by_parent(rows, |c| c.account_id))
            })
            .await
    }

    /// A business unit by id.
    pub async fn unit(&self, id: Uuid) -> ApiResult<Option<Row<business_unit::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.units
            .get(id, (), |ids, ()| async move {
                Ok(by_id(
                    whitespace::business_units_by_ids(db.read(), t, &ids).await?,
                    |u| u.id,
                ))
            })
            .await
    }

    /// The business unit of a cell: found among its account's units, which
    /// the matrix loads anyway.
    pub async fn unit_of(
        &self,
        cell: &white_space_cell::Model,
    ) -> ApiResult<Option<Row<business_unit::Model>>> {
        let units = self.account_units(cell.account_id).await?;
        Ok(units
            .iter()
            .find(|u| u.id == cell.business_unit_id)
            .cloned())
    }

    /// A cell by id.
    pub async fn cell(&self, id: Uuid) -> ApiResult<Option<Row<white_space_cell::Model>>> {
        let (db, t) = (&self.db, self.tenant);
        self.cells
            .get(id, (), |ids, ()| async move {
                let rows = whitespace::cells_by_ids(db.read(), t, &ids).await?;
                self.account_units.seed(rows.iter().map(|c| c.account_id));
                Ok(by_id(rows, |c| c.id))
            })
            .await
    }
}
