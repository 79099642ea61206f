use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "objectives")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub plan_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub metric: String,
    pub unit: Option<String>,
    pub baseline_e4: i64,
    pub target_e4: i64,
    pub current_e4: i64,
    pub confidence: Option<i16>,
    pub due_date: Date,
    pub owner_id: Option<Uuid>,
    /// The customer's success criterion it serves (same account).
    pub success_criterion_id: Option<Uuid>,
    pub status: String,
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
