use sea_orm::entity::prelude::*;

/// An account's strategic profile (`domain::profile::Profile`), one per
/// account; lists as JSON text.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_profiles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub mission: Option<String>,
    pub vision: Option<String>,
    /// A JSON array of strings.
    pub core_values: String,
    pub market_positioning: Option<String>,
    /// A JSON array of strings.
    pub buying_steps: String,
    pub buying_cycle_days: Option<i32>,
    /// A JSON array of `{"minor", "currency", "signedBy"}`.
    pub approval_thresholds: String,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
