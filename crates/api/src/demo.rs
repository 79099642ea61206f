//! `steward demo`: a `demo` tenant with a small, realistic portfolio.

mod evidence;

use crate::error::{ApiError, ApiResult};
use crate::services::{accounts, contacts, tenants, users};
use domain::account::{AccountInput, MoneyInput};
use domain::contact::{Attitude, BuyingRole, ContactInput};
use domain::user::Role;
use domain::{AccountId, ContactId, Principal, TenantId, UserId};
use persistence::Db;
use rust_decimal::Decimal;

/// Password of the demo users unless `STEWARD_ADMIN_PASSWORD` is set.
pub const DEMO_PASSWORD: &str = "steward-demo-2026";

/// Slug of the demo tenant.
pub const DEMO_TENANT: &str = "demo";

pub struct DemoLogin {
    pub email: &'static str,
    pub role: &'static str,
}

/// Who can sign in to the demo tenant (all with the same password).
pub const DEMO_USERS: &[DemoLogin] = &[
    DemoLogin {
        email: "admin@demo.example",
        role: "ADMIN",
    },
    DemoLogin {
        email: "sam.sales@demo.example",
        role: "SALES_MANAGER",
    },
    DemoLogin {
        email: "alex.am@demo.example",
        role: "ACCOUNT_MANAGER",
    },
    DemoLogin {
        email: "riley.am@demo.example",
        role: "ACCOUNT_MANAGER",
    },
    DemoLogin {
        email: "vic.viewer@demo.example",
        role: "VIEWER",
    },
];

struct DemoAccount {
    name: &'static str,
    industry: &'static str,
    website: &'static str,
    region: &'static str,
    tier: domain::account::Tier,
    status: domain::account::AccountStatus,
    revenue: i64,
    wallet: i64,
    owner: usize,
}

const ACCOUNTS: &[DemoAccount] = {
    use domain::account::AccountStatus::*;
    use domain::account::Tier::*;
    &[
        DemoAccount {
            name: "Northwind Logistics",
            industry: "Logistics",
            website: "https://northwind.example",
            region: "EMEA",
            tier: Strategic,
            status: Active,
            revenue: 4_200_000,
            wallet: 12_000_000,
            owner: 2,
        },
        DemoAccount {
            name: "Contoso Pharma",
            industry: "Life sciences",
            website: "https://contoso-pharma.example",
            region: "EMEA",
            tier: Strategic,
            status: AtRisk,
            revenue: 3_100_000,
            wallet: 9_500_000,
            owner: 2,
        },
        DemoAccount {
            name: "Fabrikam Manufacturing",
            industry: "Industrial",
            website: "https://fabrikam.example",
            region: "North America",
            tier: Key,
            status: Active,
            revenue: 1_800_000,
            wallet: 4_000_000,
            owner: 3,
        },
        DemoAccount {
            name: "Tailspin Airways",
            industry: "Aviation",
            website: "https://tailspin.example",
            region: "North America",
            tier: Key,
            status: Active,
            revenue: 1_250_000,
            wallet: 6_000_000,
            owner: 3,
        },
        DemoAccount {
            name: "Wide World Importers",
            industry: "Retail",
            website: "https://wideworld.example",
            region: "APAC",
            tier: Growth,
            status: Active,
            revenue: 640_000,
            wallet: 2_500_000,
            owner: 2,
        },
        DemoAccount {
            name: "Adventure Works Cycles",
            industry: "Consumer goods",
            website: "https://adventure-works.example",
            region: "EMEA",
            tier: Growth,
            status: Prospect,
            revenue: 0,
            wallet: 1_200_000,
            owner: 3,
        },
        DemoAccount {
            name: "Litware Insurance",
            industry: "Financial services",
            website: "https://litware.example",
            region: "North America",
            tier: Strategic,
            status: Active,
            revenue: 5_600_000,
            wallet: 15_000_000,
            owner: 1,
        },
        DemoAccount {
            name: "Proseware Health",
            industry: "Healthcare",
            website: "https://proseware.example",
            region: "EMEA",
            tier: Maintain,
            status: Active,
            revenue: 210_000,
            wallet: 400_000,
            owner: 3,
        },
        DemoAccount {
            name: "Blue Yonder Energy",
            industry: "Energy",
            website: "https://blueyonder-energy.example",
            region: "LATAM",
            tier: Key,
            status: Active,
            revenue: 2_050_000,
            wallet: 5_300_000,
            owner: 2,
        },
        DemoAccount {
            name: "Coho Vineyards",
            industry: "Food & beverage",
            website: "https://coho.example",
            region: "EMEA",
            tier: Maintain,
            status: Churned,
            revenue: 0,
            wallet: 300_000,
            owner: 3,
        },
        DemoAccount {
            name: "Margie's Travel",
            industry: "Travel",
            website: "https://margies.example",
            region: "APAC",
            tier: Growth,
            status: Active,
            revenue: 380_000,
            wallet: 1_100_000,
            owner: 2,
        },
        DemoAccount {
            name: "Trey Research",
            industry: "Technology",
            website: "https://treyresearch.example",
            region: "North America",
            tier: Key,
            status: Active,
            revenue: 1_420_000,
            wallet: 3_800_000,
            owner: 3,
        },
    ]
};

/// (first, last, title, department, role, influence, attitude, reports to index)
type DemoContact = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    BuyingRole,
    i32,
    Attitude,
    Option<usize>,
);

const CONTACTS: &[DemoContact] = &[
    (
        "Dana",
        "Whitfield",
        "Chief Executive Officer",
        "Executive",
        BuyingRole::EconomicBuyer,
        5,
        Attitude::Neutral,
        None,
    ),
    (
        "Marcus",
        "Okafor",
        "Chief Operating Officer",
        "Operations",
        BuyingRole::DecisionMaker,
        5,
        Attitude::Supporter,
        Some(0),
    ),
    (
        "Priya",
        "Raman",
        "VP Procurement",
        "Procurement",
        BuyingRole::Gatekeeper,
        4,
        Attitude::Skeptic,
        Some(1),
    ),
    (
        "Tom",
        "Lindqvist",
        "Head of IT Architecture",
        "IT",
        BuyingRole::TechnicalEvaluator,
        3,
        Attitude::Supporter,
        Some(1),
    ),
    (
        "Elena",
        "García",
        "Operations Manager",
        "Operations",
        BuyingRole::Coach,
        3,
        Attitude::Champion,
        Some(1),
    ),
    (
        "Kenji",
        "Sato",
        "Team Lead",
        "Operations",
        BuyingRole::User,
        2,
        Attitude::Supporter,
        Some(4),
    ),
    (
        "Grace",
        "Mensah",
        "Finance Director",
        "Finance",
        BuyingRole::Influencer,
        4,
        Attitude::Neutral,
        Some(0),
    ),
    (
        "Oliver",
        "Brandt",
        "Security Officer",
        "IT",
        BuyingRole::Blocker,
        3,
        Attitude::Detractor,
        Some(3),
    ),
];

fn money(units: i64) -> Option<MoneyInput> {
    (units > 0).then(|| MoneyInput {
        amount: Decimal::from(units),
        currency: "EUR".into(),
    })
}

/// Creates the demo tenant; returns false when it already exists.
pub async fn create_demo(db: &Db, password: &str) -> ApiResult<bool> {
    if persistence::repo::tenants::find_by_slug(db.system().read(), DEMO_TENANT)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    let (tenant, admin) = tenants::create_tenant(
        db,
        tenants::NewTenant {
            slug: DEMO_TENANT,
            name: "Demo Supplier Ltd",
            time_zone: "Europe/Berlin",
            fiscal_year_start_month: 4,
            currency: "EUR",
            admin_email: DEMO_USERS[0].email,
            admin_name: "Ada Admin",
            admin_password: password,
        },
    )
    .await?;
    let admin_p = Principal {
        tenant_id: TenantId(tenant.tenant_id),
        user_id: UserId(admin.id),
        role: Role::Admin,
        request: None,
    };
    // The rest goes through the services as the demo admin, in the demo
    // tenant's scope (as a request would, row-level security included).
    persistence::rls::with_tenant(Some(tenant.tenant_id), fill_demo(db, admin_p, password)).await?;
    Ok(true)
}

/// The demo tenant's users, products, accounts, contacts, plans and white
/// space, created by its admin.
async fn fill_demo(db: &Db, admin_p: Principal, password: &str) -> ApiResult<()> {
    let admin = admin_p.user_id;
    let names = [
        "Ada Admin",
        "Sam Sales",
        "Alex Morgan",
        "Riley Chen",
        "Vic Viewer",
    ];
    let mut ids = vec![admin];
    for (i, u) in DEMO_USERS.iter().enumerate().skip(1) {
        let role =
            Role::from_str_opt(u.role).ok_or_else(|| ApiError::Internal("demo role".into()))?;
        let m = users::create_user(db, &admin_p, u.email, names[i], role, password).await?;
        ids.push(UserId(m.id));
    }
    let mut products = Vec::new();
    for (name, desc) in [
        ("Freight", "Road and rail freight"),
        ("Warehousing", "Contract warehousing"),
        ("Customs brokerage", "Import and export clearance"),
        ("Analytics", "Supply-chain analytics"),
    ] {
        products.push(
            crate::services::whitespace::create_product(db, &admin_p, name, Some(desc))
                .await?
                .id,
        );
    }
    let mut created_accounts = Vec::with_capacity(ACCOUNTS.len());
    for (n, a) in ACCOUNTS.iter().enumerate() {
        let acc = accounts::create(
            db,
            &admin_p,
            AccountInput {
                name: a.name.into(),
                industry: Some(a.industry.into()),
                website: Some(a.website.into()),
                region: Some(a.region.into()),
                status: Some(a.status),
                tier: Some(a.tier),
                owner_id: Some(ids[a.owner]),
                parent_id: None,
                annual_revenue: money(a.revenue),
                wallet_estimate: money(a.wallet),
                external_ref: Some(domain::account::ExternalRefInput {
                    source: "salesforce".into(),
                    external_id: format!("001DEMO{n:04}"),
                }),
            },
        )
        .await?;
        demo_team(db, &admin_p, &acc, a.tier, &ids).await?;
        demo_contract(db, &admin_p, &acc, n, a).await?;
        demo_opportunities(db, &admin_p, &acc, n, a).await?;
        created_accounts.push(acc.id);
        // Bigger accounts get the fuller buying centre.
        let count = 3 + (a.revenue / 1_000_000).clamp(0, 5) as usize;
        let mut created: Vec<ContactId> = Vec::new();
        for (i, c) in CONTACTS.iter().take(count).enumerate() {
            let (first, last, title, dept, role, influence, attitude, reports) = *c;
            let domain_part = a.website.trim_start_matches("https://");
            // Coverage to find: on some accounts the COO has left, on others
            // the security officer blocks with influence and no owner of ours.
            let departed = role == BuyingRole::DecisionMaker && n % 4 == 2;
            let loose_blocker = role == BuyingRole::Blocker && n % 2 == 0;
            let key = matches!(
                role,
                BuyingRole::EconomicBuyer | BuyingRole::DecisionMaker | BuyingRole::Coach
            );
            let m = contacts::create(
                db,
                &admin_p,
                AccountId(acc.id),
                ContactInput {
                    first_name: first.into(),
                    last_name: last.into(),
                    title: Some(title.into()),
                    department: Some(dept.into()),
                    email: Some(format!(
                        "{}.{}@{domain_part}",
                        first.to_lowercase(),
                        last.to_lowercase().replace('í', "i")
                    )),
                    phone: Some(format!("+49 30 5550 {n:02}{i:02}")),
                    status: departed.then_some(domain::contact::ContactStatus::LeftCompany),
                    buying_role: Some(role),
                    influence: Some(if loose_blocker { 4 } else { influence }),
                    attitude: Some(attitude),
                    reports_to_id: reports.and_then(|r| created.get(r).copied()),
                    relationship_owner_id: (!loose_blocker)
                        .then_some(ids[if i % 2 == 0 { a.owner } else { 1 }]),
                    preferred_channel: Some(if key {
                        domain::contact::ContactChannel::InPerson
                    } else {
                        domain::contact::ContactChannel::Email
                    }),
                    preferred_frequency: key.then_some(if role == BuyingRole::Coach {
                        domain::cadence::Cadence::Weekly
                    } else {
                        domain::cadence::Cadence::Quarterly
                    }),
                    external_ref: None,
                },
            )
            .await?;
            created.push(ContactId(m.id));
        }
        demo_influences(db, &admin_p, &created).await?;
        evidence::demo_evidence(db, &admin_p, AccountId(acc.id), n, &created).await?;
        // Every contact prefers the account's owner; the economic buyer
        // (the first) also the sales manager.
        for (i, c) in created.iter().enumerate() {
            let mut preferred = vec![ids[a.owner]];
            if i == 0 && a.owner != 1 {
                preferred.push(ids[1]);
            }
            contacts::set_preferred_colleagues(db, &admin_p, *c, preferred).await?;
        }
        if a.tier == domain::account::Tier::Strategic {
            let criterion =
                demo_profile(db, &admin_p, AccountId(acc.id), a.industry, &products).await?;
            let objective = demo_plan(
                db,
                &admin_p,
                AccountId(acc.id),
                ids[a.owner],
                a.revenue,
                Some(criterion),
            )
            .await?;
            demo_white_space(
                db,
                &admin_p,
                AccountId(acc.id),
                &products,
                objective,
                a.revenue,
            )
            .await?;
        }
    }
    demo_subsidiaries(db, &admin_p, &created_accounts, &ids).await?;
    // Every jeopardy rule once, as the schedule would.
    crate::services::alerts::evaluate(
        db,
        admin_p.tenant_id,
        None,
        domain::jeopardy::AlertRule::ALL,
        Some(admin.0),
    )
    .await?;
    Ok(())
}

/// The account's team beyond its owner: on strategic accounts the sales
/// manager (or the admin) sponsors and the other account manager co-manages; on key
/// accounts the other account manager is the specialist.
async fn demo_team(
    db: &Db,
    p: &Principal,
    acc: &persistence::entity::account::Model,
    tier: domain::account::Tier,
    ids: &[UserId],
) -> ApiResult<()> {
    use domain::account::Tier;
    use domain::team::{MemberInput, TeamRole};
    let owner = UserId(acc.owner_id);
    let colleague = if owner == ids[2] { ids[3] } else { ids[2] };
    // The sales manager sponsors, or the admin where he owns the account.
    let sponsor = if owner == ids[1] { ids[0] } else { ids[1] };
    let members: &[(UserId, TeamRole, &str)] = match tier {
        Tier::Strategic => &[
            (
                sponsor,
                TeamRole::ExecutiveSponsor,
                "Meets the customer's COO each quarter",
            ),
            (
                colleague,
                TeamRole::AccountManager,
                "Operations reviews and the renewal",
            ),
        ],
        Tier::Key => &[(colleague, TeamRole::Specialist, "Warehousing solutions")],
        _ => &[],
    };
    for (user, role, text) in members {
        if *user == owner {
            continue;
        }
        crate::services::team::add_member(
            db,
            p,
            AccountId(acc.id),
            *user,
            MemberInput {
                role: *role,
                responsibility: Some((*text).into()),
            },
        )
        .await?;
    }
    Ok(())
}

/// A master services agreement for strategic and key accounts, renewing
/// between a month and a year from today, some of them at risk.
async fn demo_contract(
    db: &Db,
    p: &Principal,
    acc: &persistence::entity::account::Model,
    n: usize,
    a: &DemoAccount,
) -> ApiResult<()> {
    use domain::account::Tier;
    use domain::contract::{ContractInput, ContractRisk};
    if !matches!(a.tier, Tier::Strategic | Tier::Key) {
        return Ok(());
    }
    let today = chrono::Utc::now().date_naive();
    let days = |d: u64| today + chrono::Days::new(d);
    let end = days(60 + (n as u64 * 37) % 330);
    let (risk, reason) = match n % 4 {
        1 => (
            ContractRisk::Medium,
            Some("Procurement is benchmarking our rates"),
        ),
        3 => (
            ContractRisk::High,
            Some("A competitor is piloting at two sites"),
        ),
        _ => (ContractRisk::Low, None),
    };
    crate::services::contracts::create(
        db,
        p,
        AccountId(acc.id),
        ContractInput {
            name: "Master services agreement".into(),
            value: MoneyInput {
                amount: Decimal::from(a.revenue * 2),
                currency: "EUR".into(),
            },
            start_date: today - chrono::Days::new(700),
            end_date: Some(end),
            renewal_date: Some(end - chrono::Days::new(30)),
            stage: None,
            risk: Some(risk),
            risk_reason: reason.map(Into::into),
            external_ref: Some(domain::account::ExternalRefInput {
                source: "salesforce".into(),
                external_id: format!("800DEMO{n:04}"),
            }),
        },
    )
    .await?;
    Ok(())
}

/// The key contact map's links: the coach has the CEO's ear, the finance
/// director backs the COO, the security officer opposes the architect.
async fn demo_influences(db: &Db, p: &Principal, created: &[ContactId]) -> ApiResult<()> {
    use domain::contact_map::{InfluenceKind, InfluenceStrength};
    for (from, to, kind, strength) in [
        (4, 0, InfluenceKind::Influences, InfluenceStrength::Strong),
        (6, 1, InfluenceKind::Ally, InfluenceStrength::Medium),
        (7, 3, InfluenceKind::Rival, InfluenceStrength::Strong),
    ] {
        if let (Some(f), Some(t)) = (created.get(from), created.get(to)) {
            crate::services::influences::add(db, p, (*f, *t), kind, strength, None).await?;
        }
    }
    Ok(())
}

/// Two open opportunities per strategic and key account (synced from the
/// CRM), and a won one.
async fn demo_opportunities(
    db: &Db,
    p: &Principal,
    acc: &persistence::entity::account::Model,
    n: usize,
    a: &DemoAccount,
) -> ApiResult<()> {
    use domain::account::Tier;
    use domain::opportunity::{OpportunityInput, OpportunityStage};
    if !matches!(a.tier, Tier::Strategic | Tier::Key) {
        return Ok(());
    }
    let today = chrono::Utc::now().date_naive();
    for (k, (name, share, stage, days)) in [
        (
            "Warehousing expansion",
            10,
            OpportunityStage::Proposal,
            75u64,
        ),
        ("Customs brokerage", 5, OpportunityStage::Qualification, 150),
        ("Peak-season capacity", 3, OpportunityStage::ClosedWon, 0),
    ]
    .into_iter()
    .enumerate()
    {
        crate::services::opportunities::create(
            db,
            p,
            AccountId(acc.id),
            OpportunityInput {
                name: name.into(),
                value: MoneyInput {
                    amount: Decimal::from(a.revenue * share / 100),
                    currency: "EUR".into(),
                },
                stage: Some(stage),
                expected_close: today + chrono::Days::new(days),
                probability: None,
                product_id: None,
                white_space_cell_id: None,
                objective_id: None,
                external_ref: Some(domain::account::ExternalRefInput {
                    source: "salesforce".into(),
                    external_id: format!("006DEMO{n:03}{k}"),
                }),
            },
        )
        .await?;
    }
    Ok(())
}

/// Subsidiaries of the demo's global accounts: (name, parent's index in
/// `ACCOUNTS`, region, annual revenue in EUR).
/// Subsidiaries: name, the global account (index in `ACCOUNTS`), region,
/// revenue and its currency (the demo keeps no SEK rate: that one is not
/// ranked, and says why).
const SUBSIDIARIES: &[(&str, usize, &str, i64, &str)] = &[
    ("Northwind Logistics Iberia", 0, "EMEA", 900_000, "EUR"),
    ("Northwind Logistics Nordics", 0, "EMEA", 7_000_000, "SEK"),
    ("Contoso Pharma Deutschland", 1, "EMEA", 1_100_000, "EUR"),
    ("Contoso Pharma UK", 1, "EMEA", 850_000, "GBP"),
    ("Contoso Pharma Inc.", 1, "NA", 2_400_000, "USD"),
];

/// Exchange rates to EUR the demo tenant keeps (currency, rate, from).
const RATES: &[(&str, &str, (i32, u32, u32))] = &[
    ("GBP", "1.15", (2025, 1, 1)),
    ("GBP", "1.17", (2026, 1, 1)),
    ("USD", "0.92", (2026, 1, 1)),
];

/// A strategic account's profile: goals, a trend, needs and pains, SWOT,
/// mission, values and the buying process with its approval thresholds.
async fn demo_profile(
    db: &Db,
    p: &Principal,
    account: AccountId,
    industry: &str,
    products: &[uuid::Uuid],
) -> ApiResult<uuid::Uuid> {
    use domain::Patch;
    use domain::profile::{
        Horizon, InsightInput, InsightKind as K, Priority, ProfilePatch, ThresholdInput,
    };
    type Row = (
        K,
        String,
        Option<&'static str>,
        Option<Horizon>,
        Option<Priority>,
    );
    let insights: [Row; 8] = [
        (
            K::Goal,
            "Cut cost to serve by 10%".into(),
            Some("Board target for the next fiscal year"),
            Some(Horizon::ShortTerm),
            None,
        ),
        (
            K::Initiative,
            "Nearshoring of production".into(),
            None,
            Some(Horizon::MediumTerm),
            None,
        ),
        (
            K::IndustryTrend,
            format!("Consolidation in {industry}"),
            None,
            None,
            None,
        ),
        (
            K::Need,
            "Real-time shipment visibility".into(),
            None,
            None,
            Some(Priority::Critical),
        ),
        (
            K::Pain,
            "Late inbound deliveries stop lines".into(),
            Some("Three stoppages last quarter"),
            None,
            Some(Priority::High),
        ),
        (
            K::Strength,
            "Strong brand in its home market".into(),
            None,
            None,
            None,
        ),
        (
            K::Weakness,
            "Fragmented IT landscape".into(),
            Some("Four ERPs after acquisitions"),
            None,
            None,
        ),
        (
            K::Threat,
            "Low-cost entrants".into(),
            Some("Lost two tenders on price"),
            None,
            None,
        ),
    ];
    for (kind, title, detail, horizon, priority) in insights {
        crate::services::profiles::add_insight(
            db,
            p,
            account,
            InsightInput {
                kind,
                title,
                detail: detail.map(Into::into),
                horizon,
                priority,
            },
        )
        .await?;
    }
    let t = |amount: i64, who: &str| ThresholdInput {
        from: MoneyInput {
            amount: Decimal::from(amount),
            currency: "EUR".into(),
        },
        signed_by: who.into(),
    };
    // Three fiscal years of figures: growing.
    for (fy, units, margin) in [
        (2023, 900_000_000i64, "8.5"),
        (2024, 960_000_000, "9.1"),
        (2025, 1_040_000_000, "9.8"),
    ] {
        crate::services::financials::set_year(
            db,
            p,
            account,
            domain::financials::FinancialYearInput {
                fiscal_year: fy,
                revenue: MoneyInput {
                    amount: Decimal::from(units),
                    currency: "EUR".into(),
                },
                margin_percent: margin.parse().ok(),
                notes: (fy == 2024).then(|| "Two plants acquired in Poland".into()),
            },
        )
        .await?;
    }
    crate::services::profiles::update_profile(
        db,
        p,
        account,
        ProfilePatch {
            mission: Patch::Set("Make everyday products affordable and reliable".into()),
            vision: Patch::Set("The most trusted name in its category by 2030".into()),
            values: Patch::Set(vec![
                "Safety".into(),
                "Customer first".into(),
                "Sustainability".into(),
            ]),
            market_positioning: Patch::Set("Premium quality at a fair price".into()),
            buying_steps: Patch::Set(vec![
                "Needs analysis".into(),
                "RFI".into(),
                "RFP and shortlist".into(),
                "Pilot".into(),
                "Negotiation".into(),
                "Board approval".into(),
            ]),
            buying_cycle_days: Patch::Set(150),
            approval_thresholds: Patch::Set(vec![
                t(0, "Head of Procurement"),
                t(250_000, "COO"),
                t(1_000_000, "Board"),
            ]),
        },
    )
    .await?;
    // The customer's own measure of success, and how our products serve it.
    let criterion = crate::services::success::add_criterion(
        db,
        p,
        account,
        domain::success::CriterionInput {
            metric: "Sites with real-time tracking".into(),
            unit: Some("sites".into()),
            baseline: Some(Decimal::ZERO),
            target: Decimal::from(12),
            due_date: Some(date(2027, 3, 31)?),
            notes: Some("The COO's measure of the network programme".into()),
        },
    )
    .await?;
    for (product, outcome, linked) in [
        (0, "Fewer line stoppages from late inbound freight", false),
        (3, "Real-time visibility of every shipment", true),
    ] {
        crate::services::success::add_link(
            db,
            p,
            account,
            domain::success::ValueLinkInput {
                product_id: products[product],
                business_outcome: outcome.into(),
                criterion_id: linked.then_some(criterion.id),
                notes: None,
            },
        )
        .await?;
    }
    Ok(criterion.id)
}

/// A global account's subsidiaries, owned by the global account's owner.
async fn demo_subsidiaries(
    db: &Db,
    p: &Principal,
    created: &[uuid::Uuid],
    ids: &[UserId],
) -> ApiResult<()> {
    for (currency, rate, (y, m, d)) in RATES {
        let rate = rate
            .parse()
            .map_err(|_| ApiError::Internal("demo rate".into()))?;
        crate::services::pareto::set_rate(db, p, currency, rate, date(*y, *m, *d)?).await?;
    }
    for (name, parent, region, revenue, currency) in SUBSIDIARIES {
        let head = &ACCOUNTS[*parent];
        let in_currency = |units: i64| {
            money(units).map(|m| MoneyInput {
                currency: (*currency).into(),
                ..m
            })
        };
        let sub = accounts::create(
            db,
            p,
            AccountInput {
                name: (*name).into(),
                industry: Some(head.industry.into()),
                website: None,
                region: Some((*region).into()),
                status: Some(head.status),
                tier: Some(domain::account::Tier::Key),
                owner_id: Some(ids[head.owner]),
                parent_id: Some(AccountId(created[*parent])),
                annual_revenue: in_currency(*revenue),
                wallet_estimate: in_currency(revenue * 3),
                external_ref: None,
            },
        )
        .await?;
        // The country manager decides locally; the site lead is our coach.
        let mut manager = None;
        for (first, last, title, role, attitude) in [
            (
                "Lucía",
                "Ferrer",
                "Country Manager",
                BuyingRole::DecisionMaker,
                Attitude::Supporter,
            ),
            (
                "Jonas",
                "Berg",
                "Site Lead",
                BuyingRole::Coach,
                Attitude::Champion,
            ),
        ] {
            let c = contacts::create(
                db,
                p,
                AccountId(sub.id),
                ContactInput {
                    first_name: first.into(),
                    last_name: last.into(),
                    title: Some(title.into()),
                    department: Some("Operations".into()),
                    email: None,
                    phone: None,
                    status: None,
                    buying_role: Some(role),
                    influence: Some(4),
                    attitude: Some(attitude),
                    reports_to_id: manager,
                    relationship_owner_id: Some(ids[head.owner]),
                    preferred_channel: None,
                    preferred_frequency: None,
                    external_ref: None,
                },
            )
            .await?;
            manager.get_or_insert(ContactId(c.id));
        }
    }
    Ok(())
}

fn date(y: i32, m: u32, d: u32) -> ApiResult<chrono::NaiveDate> {
    chrono::NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| ApiError::Internal("demo date".into()))
}

/// The white space of a strategic account: three business units by four
/// products, with serviced, open and competitor-held cells; the warehousing
/// opportunity is pursued by the plan's objective.
async fn demo_white_space(
    db: &Db,
    p: &Principal,
    account: AccountId,
    products: &[uuid::Uuid],
    objective: uuid::Uuid,
    revenue: i64,
) -> ApiResult<()> {
    use crate::services::whitespace::{CellTarget, add_business_unit, set_cell};
    use domain::whitespace::{BusinessUnitKind, CellInput, CellStatus};
    // The competitor in the held cells, as a record of the account.
    let rival = crate::services::competitors::add(
        db,
        p,
        account,
        domain::competitor::CompetitorInput {
            name: "FastFreight AG".into(),
            position: domain::competitor::CompetitorPosition::Incumbent,
            offering: Some("Road freight and cross-docking at lower rates".into()),
            notes: Some("Five-year framework agreement, renewal in 2027".into()),
        },
    )
    .await?;
    crate::services::competitors::add(
        db,
        p,
        account,
        domain::competitor::CompetitorInput {
            name: "DataLog Analytics".into(),
            position: domain::competitor::CompetitorPosition::Niche,
            offering: Some("Supply-chain dashboards".into()),
            notes: None,
        },
    )
    .await?;
    let mut first_unit: Option<uuid::Uuid> = None;
    let units = [
        ("Northern region", BusinessUnitKind::Division),
        ("Southern region", BusinessUnitKind::Division),
        ("Rotterdam hub", BusinessUnitKind::Location),
    ];
    for (u, (name, kind)) in units.into_iter().enumerate() {
        // The hub belongs to the northern region.
        let parent = (kind == BusinessUnitKind::Location)
            .then_some(first_unit)
            .flatten();
        let unit = add_business_unit(db, p, account, name, kind, parent).await?;
        first_unit.get_or_insert(unit.id);
        for (c, product) in products.iter().enumerate() {
            let (status, competitor) = match (u + c) % 4 {
                0 => (CellStatus::Serviced, None),
                1 => (CellStatus::Opportunity, None),
                2 => (
                    CellStatus::CompetitorHeld,
                    Some("FastFreight AG".to_owned()),
                ),
                _ => (CellStatus::NotApplicable, None),
            };
            let value = (status != CellStatus::NotApplicable).then(|| MoneyInput {
                amount: Decimal::from(revenue / 10 * (c as i64 + 1) / 4),
                currency: "EUR".into(),
            });
            let objective_id = (status == CellStatus::Opportunity && c == 1).then_some(objective);
            set_cell(
                db,
                p,
                CellTarget {
                    account_id: account,
                    business_unit_id: unit.id,
                    product_id: *product,
                    objective_id,
                    competitor_id: (status == CellStatus::CompetitorHeld).then_some(rival.id),
                },
                CellInput {
                    status,
                    estimated_value: value,
                    competitor,
                    notes: None,
                },
            )
            .await?;
        }
    }
    Ok(())
}

/// An active FY plan (April to March, the demo tenant's fiscal year) with
/// SMART objectives and their progress, growth targets, a review and a
/// contingency. Returns the warehousing-pilot objective.
async fn demo_plan(
    db: &Db,
    p: &Principal,
    account: AccountId,
    owner: UserId,
    revenue: i64,
    criterion: Option<uuid::Uuid>,
) -> ApiResult<uuid::Uuid> {
    use crate::services::plans;
    use domain::objective::ObjectiveInput;
    let plan = plans::create_plan(
        db,
        p,
        account,
        domain::plan::PlanInput {
            title: "FY2026 account plan".into(),
            strategy_summary: Some(
                "Protect the core freight business, expand into warehousing, and build executive access beyond procurement."
                    .into(),
            ),
            period_start: date(2026, 4, 1)?,
            period_end: date(2027, 3, 31)?,
            owner_id: Some(owner),
        },
    )
    .await?;
    plans::change_status(db, p, plan.id, domain::plan::PlanStatus::Active).await?;
    let objectives = [
        (
            "Grow wallet share",
            "wallet share",
            "%",
            18,
            30,
            [(2026, 6, 30, 21), (2026, 9, 30, 24)],
            70,
        ),
        (
            "Win the warehousing pilot",
            "sites live",
            "sites",
            0,
            3,
            [(2026, 7, 31, 1), (2026, 10, 31, 1)],
            55,
        ),
        (
            "Executive sponsor meetings",
            "meetings held",
            "meetings",
            0,
            4,
            [(2026, 6, 30, 1), (2026, 9, 30, 2)],
            80,
        ),
    ];
    let mut pilot = None;
    for (title, metric, unit, baseline, target, points, confidence) in objectives {
        let o = plans::add_objective(
            db,
            p,
            plan.id,
            ObjectiveInput {
                title: title.into(),
                description: Some(format!("{title} by the end of the fiscal year")),
                metric: Some(metric.into()),
                unit: Some(unit.into()),
                baseline: Some(Decimal::from(baseline)),
                target: Some(Decimal::from(target)),
                current: None,
                confidence: Some(confidence),
                due_date: Some(date(2027, 3, 31)?),
                owner_id: Some(owner),
                status: None,
            },
            (metric == "sites live").then_some(criterion).flatten(),
        )
        .await?;
        for (y, m, d, v) in points {
            plans::record_progress(db, p, o.id, Decimal::from(v), Some(date(y, m, d)?), None)
                .await?;
        }
        if metric == "sites live" {
            pilot = Some(o.id);
        }
    }
    for (line, share, actual) in [("Freight", 70, Some(35)), ("Warehousing", 30, None)] {
        plans::add_growth_target(
            db,
            p,
            plan.id,
            plans::GrowthTargetInput {
                kind: "REVENUE".into(),
                product_line: line.into(),
                period_start: date(2026, 4, 1)?,
                period_end: date(2027, 3, 31)?,
                target: MoneyInput {
                    amount: Decimal::from(revenue * 11 / 10 * share / 100),
                    currency: "EUR".into(),
                },
                actual: actual.map(|a: i64| Decimal::from(revenue * a / 100)),
            },
        )
        .await?;
    }
    plans::add_review(
        db,
        p,
        plan.id,
        domain::plan::ReviewInput {
            review_date: date(2026, 10, 15)?,
            outcome: domain::whitespace::ReviewOutcome::NeedsAdjustment,
            notes: Some("Freight on track; warehousing pilot slipping by a quarter.".into()),
            revisions: Some("Moved the second pilot site to Q4\nAdded a QBR with the COO".into()),
            contingency: None,
            is_final: false,
        },
        vec![owner],
        None,
    )
    .await?;
    plans::add_contingency(
        db,
        p,
        plan.id,
        "Our coach leaves the company",
        Some("Coach announces departure"),
        "Introduce the executive sponsor to the COO within two weeks",
        Some(owner),
    )
    .await?;
    demo_cadence(db, p, plan.id, owner).await?;
    pilot.ok_or_else(|| ApiError::Internal("demo objective".into()))
}

/// The call and visit schedule of a plan: a monthly call, quarterly visits
/// and QBRs, the annual executive meeting; past occurrences assessed.
async fn demo_cadence(db: &Db, p: &Principal, plan: uuid::Uuid, owner: UserId) -> ApiResult<()> {
    use crate::services::actions::{complete_occurrence, create};
    use domain::cadence::{ActionItemInput, AssessmentInput, Cadence};
    let today = chrono::Utc::now().date_naive();
    let schedule = [
        (
            "Monthly call with the COO",
            Cadence::Monthly,
            date(2026, 4, 30)?,
        ),
        ("Site visit", Cadence::Quarterly, date(2026, 5, 15)?),
        (
            "Quarterly business review",
            Cadence::Quarterly,
            date(2026, 6, 30)?,
        ),
        (
            "Annual executive meeting",
            Cadence::Annually,
            date(2026, 11, 20)?,
        ),
    ];
    for (n, (title, cadence, first)) in schedule.into_iter().enumerate() {
        let item = create(
            db,
            p,
            plan,
            None,
            &[],
            ActionItemInput {
                title: title.into(),
                notes: None,
                assignee_id: Some(owner),
                due_date: first,
                cadence: Some(cadence),
                repeat_until: Some(date(2027, 3, 31)?),
                status: None,
            },
        )
        .await?;
        // Assess the first two occurrences when they are past.
        for (k, due) in
            domain::cadence::occurrences(cadence, first, None, first, date(2027, 3, 31)?)
                .into_iter()
                .take(2)
                .enumerate()
        {
            if due >= today {
                break;
            }
            let happened = (n + k) % 3 != 1;
            complete_occurrence(
                db,
                p,
                item.id,
                due,
                AssessmentInput {
                    happened,
                    date: due,
                    value_delivered: happened.then_some(3 + ((n + k) % 3) as i32),
                    learned: happened
                        .then(|| "The COO wants fewer, shorter updates with numbers first.".into()),
                    revise: (!happened).then(|| "Book visits a month ahead.".into()),
                },
                None,
            )
            .await?;
        }
    }
    Ok(())
}
