use sea_orm::entity::prelude::*;

/// A cell of an account's white space: one business unit × one product.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "white_space_cells")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub business_unit_id: Uuid,
    pub product_id: Uuid,
    pub status: String,
    pub estimated_value_minor: Option<i64>,
    pub estimated_value_currency: Option<String>,
    pub competitor: Option<String>,
    pub notes: Option<String>,
    pub objective_id: Option<Uuid>,
    /// A competitor of the same account (`account_competitors`).
    pub competitor_id: Option<Uuid>,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
    /// Set when the account was deleted: the row answers no query.
    pub deleted_at: Option<ChronoDateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
