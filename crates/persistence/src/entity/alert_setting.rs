use sea_orm::entity::prelude::*;

/// A tenant's jeopardy thresholds (`domain::jeopardy::AlertSettings`), one
/// row per tenant once an admin changed the defaults.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "alert_settings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub health_below: i32,
    pub drop_points: i32,
    pub renewal_window_days: i32,
    pub renewal_signal_days: i32,
    /// A JSON object: tier -> days.
    pub cadence_days: String,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
