use sea_orm::entity::prelude::*;

/// An opportunity with the customer of an account.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "opportunities")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    /// Ten-thousandths of `value_currency`.
    pub value_minor: i64,
    pub value_currency: String,
    /// `domain::opportunity::OpportunityStage` as stored.
    pub stage: String,
    pub expected_close: Date,
    /// 0 to 100.
    pub probability: i16,
    pub product_id: Option<Uuid>,
    pub white_space_cell_id: Option<Uuid>,
    pub objective_id: Option<Uuid>,
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub deleted_at: Option<ChronoDateTimeUtc>,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
