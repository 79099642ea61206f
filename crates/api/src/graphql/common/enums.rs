//! Every enum of the schema, with its reading of the stored spelling: the
//! resolvers and the compiled read path write the same values.

use async_graphql::Enum;
use persistence::repo::accounts::AccountOrder;

macro_rules! mirror_enum {
    ($(#[$m:meta])* $name:ident => $remote:literal as $rpath:path { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
        #[graphql(remote = $remote)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Parses the stored spelling (unknown values map to the first variant).
            pub fn from_db(s: &str) -> Self {
                use $rpath as R;
                R::from_str_opt(s).map(Into::into).unwrap_or(mirror_enum!(@first $($v),+))
            }
        }
    };
    (@first $first:ident $(, $rest:ident)*) => { Self::$first };
}

mirror_enum!(
    /// What a user may do in the tenant (see the permission matrix in the README).
    Role => "domain::user::Role" as domain::user::Role {
        /// Manages users; writes and deletes anything in the tenant.
        Admin,
        /// Writes any account of the tenant.
        SalesManager,
        /// Reads the tenant; writes the accounts on whose team they are
        /// `OWNER` or `ACCOUNT_MANAGER`, and all under them.
        AccountManager,
        /// Reads only.
        Viewer,
    }
);

mirror_enum!(
    /// A user's part in the team of one account. `OWNER` and
    /// `ACCOUNT_MANAGER` write the account and everything under it (when
    /// the user's own role is `ACCOUNT_MANAGER`; sales managers and admins
    /// write every account).
    AccountTeamRole => "domain::team::TeamRole" as domain::team::TeamRole {
        /// Owns the account (its `ownerId`); changed only with `updateAccount`.
        Owner,
        /// Runs the account day to day beside the owner.
        AccountManager,
        /// The executive of ours who sponsors the relationship.
        ExecutiveSponsor,
        /// A product or solution specialist.
        Specialist,
        /// Service and support.
        Support,
    }
);

mirror_enum!(
    /// How a contact prefers to be reached.
    ContactChannel => "domain::contact::ContactChannel" as domain::contact::ContactChannel {
        /// E-mail.
        Email,
        /// A phone call.
        Phone,
        /// A video call.
        VideoCall,
        /// A meeting in person.
        InPerson,
        /// Chat or text messages.
        Messaging,
    }
);

mirror_enum!(
    /// A kind of coverage gap of an account (see `account.coverage`).
    CoverageGapKind => "domain::coverage::GapKind" as domain::coverage::GapKind {
        /// An economic buyer or decision maker without a relationship owner.
        DecisionMakerUnowned,
        /// No coach at the customer.
        NoCoach,
        /// One contact only, or every relationship held by one user of ours.
        SingleThreaded,
        /// A key contact left and no active contact holds their role.
        KeyContactLeft,
        /// An influential blocker or detractor without a relationship owner.
        BlockerUnaddressed,
        /// No executive sponsor on the account team.
        NoExecutiveSponsor,
        /// A key contact not met within their preferred frequency.
        StaleContact,
    }
);

mirror_enum!(
    /// How one contact bears on another.
    InfluenceKind => "domain::contact_map::InfluenceKind" as domain::contact_map::InfluenceKind {
        /// `from` sways `to`'s decisions.
        Influences,
        /// The two work together.
        Ally,
        /// The two work against each other.
        Rival,
    }
);

mirror_enum!(
    /// How strong an influence link is.
    InfluenceStrength => "domain::contact_map::InfluenceStrength" as domain::contact_map::InfluenceStrength {
        /// Weak.
        Weak,
        /// Medium.
        Medium,
        /// Strong.
        Strong,
    }
);

/// What a line on the contact map is.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum ContactMapEdgeKind {
    /// `from` reports to `to`.
    ReportsTo,
    /// `from` sways `to`'s decisions.
    Influences,
    /// The two work together.
    Ally,
    /// The two work against each other.
    Rival,
}

impl From<InfluenceKind> for ContactMapEdgeKind {
    fn from(k: InfluenceKind) -> Self {
        match k {
            InfluenceKind::Influences => ContactMapEdgeKind::Influences,
            InfluenceKind::Ally => ContactMapEdgeKind::Ally,
            InfluenceKind::Rival => ContactMapEdgeKind::Rival,
        }
    }
}

mirror_enum!(
    /// Where an opportunity stands.
    OpportunityStage => "domain::opportunity::OpportunityStage" as domain::opportunity::OpportunityStage {
        /// Identified, not qualified yet (default probability 10).
        Prospecting,
        /// Qualified (25).
        Qualification,
        /// Proposal made (50).
        Proposal,
        /// Negotiating terms (75).
        Negotiation,
        /// Won (100).
        ClosedWon,
        /// Lost (0).
        ClosedLost,
    }
);

mirror_enum!(
    /// Where a contract's renewal stands.
    ContractStage => "domain::contract::ContractStage" as domain::contract::ContractStage {
        /// Running; the renewal is not being negotiated yet.
        Open,
        /// The renewal is being negotiated.
        InNegotiation,
        /// Renewed.
        Renewed,
        /// Not renewed: the business is lost.
        Lost,
    }
);

mirror_enum!(
    /// How likely a contract is not to be renewed.
    ContractRisk => "domain::contract::ContractRisk" as domain::contract::ContractRisk {
        /// Renewal expected.
        Low,
        /// Renewal in doubt (a reason is given).
        Medium,
        /// Renewal unlikely without action (a reason is given).
        High,
    }
);

mirror_enum!(
    /// Where an account is in its lifecycle.
    AccountStatus => "domain::account::AccountStatus" as domain::account::AccountStatus {
        /// Not a customer yet.
        Prospect,
        /// A customer.
        Active,
        /// A customer showing signs of leaving.
        AtRisk,
        /// A former customer.
        Churned,
    }
);

mirror_enum!(
    /// Segmentation tier of an account.
    Tier => "domain::account::Tier" as domain::account::Tier {
        /// The few accounts that shape the business.
        Strategic,
        /// Important accounts with a dedicated plan.
        Key,
        /// Accounts with growth potential.
        Growth,
        /// Accounts kept with little investment.
        Maintain,
    }
);

mirror_enum!(
    /// Whether a contact is still at the customer.
    ContactStatus => "domain::contact::ContactStatus" as domain::contact::ContactStatus {
        /// Works at the customer.
        Active,
        /// Has left the customer.
        LeftCompany,
    }
);

mirror_enum!(
    /// The part a contact plays in the customer's buying decisions.
    BuyingRole => "domain::contact::BuyingRole" as domain::contact::BuyingRole {
        /// Owns the budget and signs.
        EconomicBuyer,
        /// Decides among the options.
        DecisionMaker,
        /// Shapes the decision without making it.
        Influencer,
        /// A champion inside the customer who gives insight.
        Coach,
        /// Judges technical fit.
        TechnicalEvaluator,
        /// Uses what we deliver.
        User,
        /// Controls access to others.
        Gatekeeper,
        /// Works against us.
        Blocker,
    }
);

mirror_enum!(
    /// A contact's attitude towards us.
    Attitude => "domain::contact::Attitude" as domain::contact::Attitude {
        /// Actively promotes us.
        Champion,
        /// Favours us.
        Supporter,
        /// Neither for nor against.
        Neutral,
        /// Doubts us.
        Skeptic,
        /// Opposes us.
        Detractor,
    }
);

/// Orderings of the account list.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug, Default)]
pub enum AccountOrderBy {
    /// By name, A to Z (case-insensitive, bytewise on the lowercase name).
    #[default]
    NameAsc,
    /// By name, Z to A.
    NameDesc,
    /// Oldest first.
    CreatedAtAsc,
    /// Newest first.
    CreatedAtDesc,
}

impl AccountOrderBy {
    pub(crate) fn repo(self) -> AccountOrder {
        match self {
            AccountOrderBy::NameAsc => AccountOrder::NameAsc,
            AccountOrderBy::NameDesc => AccountOrder::NameDesc,
            AccountOrderBy::CreatedAtAsc => AccountOrder::CreatedAsc,
            AccountOrderBy::CreatedAtDesc => AccountOrder::CreatedDesc,
        }
    }

    pub(crate) fn code(self) -> &'static str {
        match self {
            AccountOrderBy::NameAsc => "ACCOUNT_NAME_ASC",
            AccountOrderBy::NameDesc => "ACCOUNT_NAME_DESC",
            AccountOrderBy::CreatedAtAsc => "ACCOUNT_CREATED_ASC",
            AccountOrderBy::CreatedAtDesc => "ACCOUNT_CREATED_DESC",
        }
    }
}

/// Where a plan is in its lifecycle: DRAFT → ACTIVE ⇄ UNDER_REVIEW → CLOSED.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::plan::PlanStatus")]
pub enum PlanStatus {
    /// Being written; not yet in force.
    Draft,
    /// In force: the team executes it (at most one per account and period).
    Active,
    /// Being reviewed; goes back to ACTIVE or, after a final review, to CLOSED.
    UnderReview,
    /// Finished.
    Closed,
}

/// How an objective is going.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::objective::ObjectiveStatus")]
pub enum ObjectiveStatus {
    /// On course to meet the target.
    OnTrack,
    /// Could miss the target without action.
    AtRisk,
    /// Will miss the target without a change of plan.
    OffTrack,
    /// Target met.
    Achieved,
    /// Due date passed, target not met.
    Missed,
}

/// The outcome of a plan review.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::whitespace::ReviewOutcome")]
pub enum ReviewOutcome {
    /// The plan works as written.
    OnTrack,
    /// The plan needs changes.
    NeedsAdjustment,
    /// The account or the plan is at risk.
    AtRisk,
}

/// What a growth target measures.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum GrowthKind {
    /// Revenue with the customer.
    Revenue,
    /// Margin earned with the customer.
    Margin,
}

impl GrowthKind {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            GrowthKind::Revenue => "REVENUE",
            GrowthKind::Margin => "MARGIN",
        }
    }

    pub(crate) fn from_db(s: &str) -> Self {
        if s == "MARGIN" {
            GrowthKind::Margin
        } else {
            GrowthKind::Revenue
        }
    }
}

/// Reads a plan's stored status (unknown values read as DRAFT).
pub(crate) fn plan_status_of(s: &str) -> PlanStatus {
    domain::plan::PlanStatus::from_str_opt(s)
        .unwrap_or(domain::plan::PlanStatus::Draft)
        .into()
}

/// How often an action item recurs. Months count from the first due date:
/// its day of month is kept where the month has it, else the month's last
/// day is used (Jan 31 → Feb 28/29 → Mar 31).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::cadence::Cadence")]
pub enum Cadence {
    /// Only on the first due date.
    Once,
    /// Every day.
    Daily,
    /// Every 7 days.
    Weekly,
    /// Every month (e.g. the account call).
    Monthly,
    /// Every 3 months (e.g. the quarterly business review).
    Quarterly,
    /// Every 12 months (e.g. the annual executive meeting); Feb 29 falls on
    /// Feb 28 in common years.
    Annually,
}

/// Where an action item stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::cadence::ActionStatus")]
pub enum ActionStatus {
    /// To do (a recurring item stays OPEN while it recurs).
    Open,
    /// Done (a ONCE item becomes DONE when its occurrence is assessed).
    Done,
    /// Will not be done; its occurrences are no longer overdue.
    Cancelled,
}

/// What kind of interaction took place.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::activity::ActivityKind")]
pub enum ActivityKind {
    /// A meeting.
    Meeting,
    /// A telephone or video call.
    Call,
    /// An e-mail exchange.
    Email,
    /// A visit at the customer's site.
    Visit,
    /// A quarterly business review.
    Qbr,
    /// A briefing with the customer's executives.
    ExecutiveBriefing,
    /// Anything else.
    Other,
}

/// What a row of the white space stands for.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::whitespace::BusinessUnitKind")]
pub enum BusinessUnitKind {
    /// A business unit of the customer.
    BusinessUnit,
    /// A division of the customer.
    Division,
    /// A site or location of the customer.
    Location,
}

mirror_enum!(
    /// What an insight about the customer is (see `account.goals`,
    /// `industryTrends`, `needs`, `swot`).
    InsightKind => "domain::profile::InsightKind" as domain::profile::InsightKind {
        /// A goal the customer pursues.
        Goal,
        /// An initiative (a programme or project) of the customer.
        Initiative,
        /// A trend in the customer's industry.
        IndustryTrend,
        /// Something the customer needs.
        Need,
        /// Something that hurts the customer.
        Pain,
        /// SWOT: a strength of the customer.
        Strength,
        /// SWOT: a weakness of the customer.
        Weakness,
        /// SWOT: an opportunity before the customer.
        Opportunity,
        /// SWOT: a threat to the customer.
        Threat,
    }
);

mirror_enum!(
    /// When a goal or initiative is meant to pay off.
    Horizon => "domain::profile::Horizon" as domain::profile::Horizon {
        /// Within the year.
        ShortTerm,
        /// One to three years.
        MediumTerm,
        /// Beyond three years.
        LongTerm,
    }
);

mirror_enum!(
    /// How pressing a need or pain is for the customer.
    Priority => "domain::profile::Priority" as domain::profile::Priority {
        /// Low.
        Low,
        /// Medium (the default of a need or pain).
        Medium,
        /// High.
        High,
        /// Critical.
        Critical,
    }
);

mirror_enum!(
    /// Where a competitor stands in the account.
    CompetitorPosition => "domain::competitor::CompetitorPosition" as domain::competitor::CompetitorPosition {
        /// Holds the business today.
        Incumbent,
        /// Trying to win it.
        Challenger,
        /// Serves a niche of it.
        Niche,
    }
);

mirror_enum!(
    /// Where the customer's revenue is heading (see `account.trajectory`).
    Trajectory => "domain::financials::Trajectory" as domain::financials::Trajectory {
        /// Compound growth of 3% a year or more.
        Growing,
        /// Between -3% and +3% a year.
        Static,
        /// -3% a year or less.
        Declining,
    }
);

/// Why an account has no revenue rank (see `account.revenueRanking`).
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::pareto::Unranked")]
pub enum UnrankedReason {
    /// Archived accounts are not ranked.
    Archived,
    /// The account has no annual revenue.
    NoRevenue,
    /// The revenue's currency has no exchange rate in effect today.
    NoExchangeRate,
}

/// What a white-space cell holds.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(remote = "domain::whitespace::CellStatus")]
pub enum WhiteSpaceCellStatus {
    /// We already sell the product to the unit.
    Serviced,
    /// We could sell the product to the unit.
    Opportunity,
    /// A competitor sells the product to the unit (the cell names it).
    CompetitorHeld,
    /// The unit has no use for the product.
    NotApplicable,
}

mirror_enum!(
    /// What the customer did: the evidence signals (`signalKinds` gives
    /// each one's polarity, horizon, dimension and weight).
    SignalKind => "domain::signal::SignalKind" as domain::signal::SignalKind {
        /// Accepted a meeting we asked for.
        MeetingAccepted,
        /// Declined (or kept postponing) a meeting we asked for.
        MeetingDeclined,
        /// Returned a call.
        CallReturned,
        /// Left a call unreturned.
        CallUnreturned,
        /// Answered an e-mail.
        EmailAnswered,
        /// Left an e-mail unanswered.
        EmailIgnored,
        /// Introduced us to someone new without being asked.
        IntroductionUnsolicited,
        /// Introduced us to someone new when we asked.
        IntroductionSolicited,
        /// Sought our advice.
        AdviceSought,
        /// Asked us in early in a buying process.
        InvitedEarlyToBuyingProcess,
        /// Asked us in late in a buying process.
        InvitedLateToBuyingProcess,
        /// Shared inside information.
        InsideInformationShared,
        /// Expanded the scope of our business.
        ScopeExpanded,
        /// Reduced the scope of our business.
        ScopeReduced,
        /// Accelerated a buying process with us.
        BuyingProcessAccelerated,
        /// Slowed a buying process with us down.
        BuyingProcessDecelerated,
        /// Gave a reference for us.
        ReferenceGiven,
        /// Escalated a complaint about us.
        Escalation,
    }
);

mirror_enum!(
    /// Good or bad news for the relationship.
    SignalPolarity => "domain::signal::Polarity" as domain::signal::Polarity {
        /// Good news.
        Positive,
        /// Bad news.
        Negative,
    }
);

mirror_enum!(
    /// When a signal speaks: before revenue moves (leading), or after.
    SignalHorizon => "domain::signal::Horizon" as domain::signal::Horizon {
        /// Shows where the relationship is heading, before revenue moves.
        Leading,
        /// Shows what already happened to the business.
        Lagging,
    }
);

mirror_enum!(
    /// The share of the customer a signal speaks to.
    ShareDimension => "domain::signal::Dimension" as domain::signal::Dimension {
        /// Trust and access: they take our calls and open doors.
        Heart,
        /// Being thought of as the advisor: they ask, they tell, early.
        Mind,
        /// The business itself: scope and pace of buying.
        Wallet,
    }
);

mirror_enum!(
    /// Where an account's health score stands (thresholds in the tenant's
    /// health model).
    HealthBand => "domain::health::Band" as domain::health::Band {
        /// At or above `healthyFrom`.
        Healthy,
        /// Between the thresholds: watch it.
        Watch,
        /// Below `jeopardyBelow`.
        InJeopardy,
    }
);

mirror_enum!(
    /// Where the health score is heading: its change over the last 30 days.
    HealthTrend => "domain::health::Trend" as domain::health::Trend {
        /// Up by 5 points or more.
        Rising,
        /// Within 5 points of where it was.
        Steady,
        /// Down by 5 points or more.
        Falling,
    }
);

mirror_enum!(
    /// The step between the points of `account.healthHistory`.
    HistoryInterval => "domain::health::Interval" as domain::health::Interval {
        /// Every day.
        Day,
        /// Every 7 days.
        Week,
        /// The same day of every month (the month's last day when shorter).
        Month,
    }
);

mirror_enum!(
    /// Why an account is in jeopardy (thresholds in `viewer.tenant.alertSettings`).
    AlertRule => "domain::jeopardy::AlertRule" as domain::jeopardy::AlertRule {
        /// The health score is below `healthBelow`.
        LowHealth,
        /// The health score fell by `dropPoints` or more over 30 days.
        HealthDrop,
        /// No active contact is a coach.
        NoCoach,
        /// An economic buyer or decision maker left and was not replaced.
        DecisionMakerLeft,
        /// An undecided renewal is near and recent signals are net negative.
        RenewalAtRisk,
        /// No activity for longer than the tier's cadence.
        NoRecentActivity,
    }
);

mirror_enum!(
    /// Where an alert stands.
    AlertStatus => "domain::jeopardy::AlertStatus" as domain::jeopardy::AlertStatus {
        /// Raised; nobody has taken it yet.
        Open,
        /// Someone is on it.
        Acknowledged,
        /// Handled (a new alert is raised if the rule still holds later).
        Resolved,
    }
);

mirror_enum!(
    /// A period named relative to today (the tenant's date and fiscal year).
    RotiPeriod => "domain::roti::NamedPeriod" as domain::roti::NamedPeriod {
        /// The fiscal year that holds today (from `fiscalYearStartMonth`).
        CurrentFiscalYear,
        /// The fiscal year before it.
        LastFiscalYear,
        /// The 90 days up to today.
        Last90Days,
        /// The 365 days up to today.
        Last365Days,
    }
);

mirror_enum!(
    /// What a ROTI divides by the hours invested.
    RotiBasis => "domain::roti::RotiBasis" as domain::roti::RotiBasis {
        /// Revenue growth against the period of the same length before.
        Growth,
        /// Revenue (no revenue figure for the period before).
        Revenue,
    }
);

/// Who a ROTI leaderboard ranks.
#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
pub enum RotiSubject {
    /// Accounts.
    Account,
    /// Users (their hours; the accounts they own).
    User,
}

super::json::json_enums!(
    RotiPeriod,
    RotiBasis,
    RotiSubject,
    AlertRule,
    AlertStatus,
    SignalKind,
    SignalPolarity,
    SignalHorizon,
    ShareDimension,
    HealthBand,
    HealthTrend,
    HistoryInterval,
    UnrankedReason,
    CompetitorPosition,
    Trajectory,
    InsightKind,
    Horizon,
    Priority,
    AccountTeamRole,
    OpportunityStage,
    InfluenceKind,
    InfluenceStrength,
    ContactMapEdgeKind,
    ContactChannel,
    CoverageGapKind,
    ContractStage,
    ContractRisk,
    AccountStatus,
    Tier,
    Role,
    ContactStatus,
    BuyingRole,
    Attitude,
    PlanStatus,
    ObjectiveStatus,
    ReviewOutcome,
    GrowthKind,
    Cadence,
    ActionStatus,
    ActivityKind,
    BusinessUnitKind,
    WhiteSpaceCellStatus,
);
