use sea_orm::ActiveValue::Set;
use sea_orm::entity::prelude::*;

/// An account's stored evidence (`domain::health::Evidence`), one row per
/// account with signals: per kind, the sum of its signals' decay factors at
/// `anchor_at` (one column per kind, in `SignalKind::ALL` order), computed
/// with `half_life_days`.
#[derive(Clone, Debug, Default, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "account_health")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub tenant_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub account_id: Uuid,
    pub anchor_at: ChronoDateTimeUtc,
    pub sum_meeting_accepted: f64,
    pub sum_meeting_declined: f64,
    pub sum_call_returned: f64,
    pub sum_call_unreturned: f64,
    pub sum_email_answered: f64,
    pub sum_email_ignored: f64,
    pub sum_introduction_unsolicited: f64,
    pub sum_introduction_solicited: f64,
    pub sum_advice_sought: f64,
    pub sum_invited_early_to_buying_process: f64,
    pub sum_invited_late_to_buying_process: f64,
    pub sum_inside_information_shared: f64,
    pub sum_scope_expanded: f64,
    pub sum_scope_reduced: f64,
    pub sum_buying_process_accelerated: f64,
    pub sum_buying_process_decelerated: f64,
    pub sum_reference_given: f64,
    pub sum_escalation: f64,
    pub signal_count: i64,
    pub last_signal_at: Option<ChronoDateTimeUtc>,
    pub half_life_days: i32,
    pub created_at: ChronoDateTimeUtc,
    pub created_by: Option<Uuid>,
    pub updated_at: ChronoDateTimeUtc,
    pub updated_by: Option<Uuid>,
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// How many kinds (sum columns) there are.
pub const KINDS: usize = 18;

/// The sum columns' names, in `SignalKind::ALL` order: `sum_` and the
/// kind in lower case.
pub const SUM_COLUMNS: [&str; KINDS] = [
    "sum_meeting_accepted",
    "sum_meeting_declined",
    "sum_call_returned",
    "sum_call_unreturned",
    "sum_email_answered",
    "sum_email_ignored",
    "sum_introduction_unsolicited",
    "sum_introduction_solicited",
    "sum_advice_sought",
    "sum_invited_early_to_buying_process",
    "sum_invited_late_to_buying_process",
    "sum_inside_information_shared",
    "sum_scope_expanded",
    "sum_scope_reduced",
    "sum_buying_process_accelerated",
    "sum_buying_process_decelerated",
    "sum_reference_given",
    "sum_escalation",
];

/// The sum columns, in `SignalKind::ALL` order.
pub const SUMS: [Column; KINDS] = [
    Column::SumMeetingAccepted,
    Column::SumMeetingDeclined,
    Column::SumCallReturned,
    Column::SumCallUnreturned,
    Column::SumEmailAnswered,
    Column::SumEmailIgnored,
    Column::SumIntroductionUnsolicited,
    Column::SumIntroductionSolicited,
    Column::SumAdviceSought,
    Column::SumInvitedEarlyToBuyingProcess,
    Column::SumInvitedLateToBuyingProcess,
    Column::SumInsideInformationShared,
    Column::SumScopeExpanded,
    Column::SumScopeReduced,
    Column::SumBuyingProcessAccelerated,
    Column::SumBuyingProcessDecelerated,
    Column::SumReferenceGiven,
    Column::SumEscalation,
];

impl Model {
    /// The per-kind sums, in `SignalKind::ALL` order.
    pub fn sums(&self) -> [f64; KINDS] {
        [
            self.sum_meeting_accepted,
            self.sum_meeting_declined,
            self.sum_call_returned,
            self.sum_call_unreturned,
            self.sum_email_answered,
            self.sum_email_ignored,
            self.sum_introduction_unsolicited,
            self.sum_introduction_solicited,
            self.sum_advice_sought,
            self.sum_invited_early_to_buying_process,
            self.sum_invited_late_to_buying_process,
            self.sum_inside_information_shared,
            self.sum_scope_expanded,
            self.sum_scope_reduced,
            self.sum_buying_process_accelerated,
            self.sum_buying_process_decelerated,
            self.sum_reference_given,
            self.sum_escalation,
        ]
    }

    /// Sets the per-kind sums.
    pub fn set_sums(&mut self, s: &[f64; KINDS]) {
        self.sum_meeting_accepted = s[0];
        self.sum_meeting_declined = s[1];
        self.sum_call_returned = s[2];
        self.sum_call_unreturned = s[3];
        self.sum_email_answered = s[4];
        self.sum_email_ignored = s[5];
        self.sum_introduction_unsolicited = s[6];
        self.sum_introduction_solicited = s[7];
        self.sum_advice_sought = s[8];
        self.sum_invited_early_to_buying_process = s[9];
        self.sum_invited_late_to_buying_process = s[10];
        self.sum_inside_information_shared = s[11];
        self.sum_scope_expanded = s[12];
        self.sum_scope_reduced = s[13];
        self.sum_buying_process_accelerated = s[14];
        self.sum_buying_process_decelerated = s[15];
        self.sum_reference_given = s[16];
        self.sum_escalation = s[17];
    }
}

/// Sets the per-kind sums of a row to insert.
pub fn set_sums(am: &mut ActiveModel, s: &[f64; KINDS]) {
    am.sum_meeting_accepted = Set(s[0]);
    am.sum_meeting_declined = Set(s[1]);
    am.sum_call_returned = Set(s[2]);
    am.sum_call_unreturned = Set(s[3]);
    am.sum_email_answered = Set(s[4]);
    am.sum_email_ignored = Set(s[5]);
    am.sum_introduction_unsolicited = Set(s[6]);
    am.sum_introduction_solicited = Set(s[7]);
    am.sum_advice_sought = Set(s[8]);
    am.sum_invited_early_to_buying_process = Set(s[9]);
    am.sum_invited_late_to_buying_process = Set(s[10]);
    am.sum_inside_information_shared = Set(s[11]);
    am.sum_scope_expanded = Set(s[12]);
    am.sum_scope_reduced = Set(s[13]);
    am.sum_buying_process_accelerated = Set(s[14]);
    am.sum_buying_process_decelerated = Set(s[15]);
    am.sum_reference_given = Set(s[16]);
    am.sum_escalation = Set(s[17]);
}
