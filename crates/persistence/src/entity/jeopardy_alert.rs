use sea_orm::entity::prelude::*;

/// A jeopardy alert (`domain::jeopardy`): raised for an account by a rule,
/// with its evidence; acknowledged and resolved with notes.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "jeopardy_alerts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    /// `domain::jeopardy::AlertRule` as stored.
    pub rule: String,
    /// `domain::jeopardy::AlertStatus` as stored.
    pub status: String,
    pub evidence: String,
    pub raised_at: ChronoDateTimeUtc,
    pub acknowledged_at: Option<ChronoDateTimeUtc>,
    pub acknowledged_by: Option<Uuid>,
    pub acknowledgement_note: Option<String>,
    pub resolved_at: Option<ChronoDateTimeUtc>,
    pub resolved_by: Option<Uuid>,
    pub resolution_note: Option<String>,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
