use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contacts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub name_key: String,
    pub title: Option<String>,
    pub department: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub status: String,
    pub buying_role: Option<String>,
    pub influence: Option<i16>,
    pub attitude: Option<String>,
    pub reports_to_id: Option<Uuid>,
    pub relationship_owner_id: Option<Uuid>,
    /// `domain::contact::ContactChannel` as stored.
    pub preferred_channel: Option<String>,
    /// `domain::cadence::Cadence` as stored (never `ONCE`).
    pub preferred_frequency: Option<String>,
    pub source: Option<String>,
    pub external_id: Option<String>,
    pub erased_at: Option<ChronoDateTimeUtc>,
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
