//! `steward seed --profile bench`: a large, deterministic data set for
//! benchmarks (the same shapes as `../shared/bench-peers`): 1 tenant, 50
//! users, 10,000 accounts, 100,000 contacts with reporting lines (1 to 34 per
//! account), 20,000 plans, 60,000 objectives, 500,000 activities, times
//! `--scale`. Rows are generated from a
//! fixed seed and written with multi-row inserts in one transaction per
//! table.

use chrono::{DateTime, Duration, TimeZone, Utc};
use indicatif::{ProgressBar, ProgressStyle};
use persistence::Db;
use persistence::StoreError;
use persistence::entity::{
    account, account_health, account_plan, account_signal, account_team_member, activity,
    activity_contact, contact, objective, tenant, user,
};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{EntityTrait, IntoActiveModel, TransactionTrait};
use std::io::Write;
use uuid::Uuid;

/// The bench tenant's slug, and its users' password.
pub const BENCH_TENANT: &str = "bench";
pub const BENCH_PASSWORD: &str = "bench-password-2026";

/// What `seed` made, for the caller to print.
pub struct Seeded {
    pub accounts: usize,
    pub contacts: usize,
    pub activities: usize,
    pub signals: usize,
    pub plans: usize,
    pub objectives: usize,
    /// (account id, its head contact's id, its owner's id), one per account.
    pub ids: Vec<(Uuid, Uuid, Uuid)>,
}

const FIRST: &[&str] = &[
    "Ada", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hiro", "Ines", "Jon", "Kemi", "Lars",
    "Mia", "Nils", "Omar", "Pia", "Quinn", "Rosa", "Sven", "Tara",
];
const LAST: &[&str] = &[
    "Adams",
    "Berg",
    "Chen",
    "Diaz",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jones",
    "Kowalski",
    "Lindqvist",
    "Martin",
    "Nakamura",
    "Okafor",
    "Patel",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Walsh",
];
const WORDS: &[&str] = &[
    "Logistics",
    "Pharma",
    "Energy",
    "Foods",
    "Systems",
    "Retail",
    "Capital",
    "Motors",
    "Health",
    "Labs",
];
const TITLES: &[&str] = &[
    "CEO",
    "CFO",
    "COO",
    "VP Procurement",
    "Head of IT",
    "Operations Manager",
    "Buyer",
    "Engineer",
];
const ROLES: &[&str] = &[
    "ECONOMIC_BUYER",
    "DECISION_MAKER",
    "INFLUENCER",
    "COACH",
    "TECHNICAL_EVALUATOR",
    "USER",
    "GATEKEEPER",
    "BLOCKER",
];
const ATTITUDES: &[&str] = &["CHAMPION", "SUPPORTER", "NEUTRAL", "SKEPTIC", "DETRACTOR"];
const TIERS: &[&str] = &["STRATEGIC", "KEY", "GROWTH", "MAINTAIN"];
const STATUSES: &[&str] = &["PROSPECT", "ACTIVE", "AT_RISK", "CHURNED"];
const KINDS: &[&str] = &["MEETING", "CALL", "EMAIL", "VISIT", "QBR", "OTHER"];

/// A deterministic time-ordered id.
fn uuid7(rng: &mut StdRng, at: DateTime<Utc>) -> Uuid {
    let mut rand_bytes = [0u8; 10];
    rng.fill(&mut rand_bytes);
    uuid::Builder::from_unix_timestamp_millis(
        u64::try_from(at.timestamp_millis()).unwrap_or(0),
        &rand_bytes,
    )
    .into_uuid()
}

fn pick<'a>(rng: &mut StdRng, from: &[&'a str]) -> &'a str {
    from[rng.random_range(0..from.len())]
}

fn bar(len: usize, what: &str) -> ProgressBar {
    let b = ProgressBar::new(len as u64);
    if let Ok(style) = ProgressStyle::with_template("{msg:>12} [{bar:40}] {pos}/{len} {per_sec}") {
        b.set_style(style.progress_chars("=> "));
    }
    b.set_message(what.to_owned());
    b
}

/// Inserts `rows` in chunks inside one transaction, with a progress bar.
async fn insert_all<E, A>(
    db: &Db,
    what: &str,
    rows: Vec<A>,
    columns: usize,
) -> Result<(), StoreError>
where
    E: EntityTrait,
    A: sea_orm::ActiveModelTrait<Entity = E> + Send,
{
    // Stay below the bind parameters a statement may have: 65,535 on
    // Postgres, 32,766 on SQLite.
    let max_params = if db.is_postgres() { 60_000 } else { 30_000 };
    let chunk = (max_params / columns.max(1)).max(1);
    let b = bar(rows.len(), what);
    let tx = db.write().begin().await.map_err(StoreError::from)?;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let part: Vec<A> = rows.by_ref().take(chunk).collect();
        let n = part.len();
        E::insert_many(part)
            .exec_without_returning(&tx)
            .await
            .map_err(StoreError::from)?;
        b.inc(n as u64);
    }
    tx.commit().await.map_err(StoreError::from)?;
    b.finish();
    Ok(())
}

/// Seeds the bench profile; refuses if the bench tenant exists already.
/// `password_hash` is the (argon2) hash given to every user.
pub async fn seed_bench(db: &Db, scale: usize, password_hash: &str) -> Result<Seeded, StoreError> {
    // Bulk loading is the owner's job, outside row-level security.
    let db = db.system();
    if persistence::repo::tenants::find_by_slug(db.read(), BENCH_TENANT)
        .await?
        .is_some()
    {
        return Err(StoreError::Internal(
            "the bench tenant exists already: seed an empty database".into(),
        ));
    }
    let scale = scale.max(1);
    let mut rng = StdRng::seed_from_u64(20_261_125);
    let base: DateTime<Utc> = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let tenant_id = uuid7(&mut rng, base);
    let audit = |t: DateTime<Utc>| (t, None::<Uuid>, t, None::<Uuid>, 1_i64);

    let (ca, cb, ua, ub, v) = audit(base);
    tenant::Entity::insert(
        tenant::Model {
            tenant_id,
            slug: BENCH_TENANT.into(),
            name: "Bench Supplier".into(),
            time_zone: "Europe/Berlin".into(),
            fiscal_year_start_month: 1,
            default_currency: "EUR".into(),
            created_at: ca,
            created_by: cb,
            updated_at: ua,
            updated_by: ub,
            version: v,
        }
        .into_active_model(),
    )
    .exec_without_returning(db.write())
    .await
    .map_err(StoreError::from)?;

    let hash = password_hash.to_owned();
    let mut users = Vec::with_capacity(50);
    for i in 0..50 {
        let email = format!("user{i:02}@bench.example");
        let role = match i {
            0 => "ADMIN",
            1..=4 => "SALES_MANAGER",
            _ => "ACCOUNT_MANAGER",
        };
        users.push(user::Model {
            tenant_id,
            id: uuid7(&mut rng, base),
            email_key: email.clone(),
            email,
            display_name: format!("{} {}", FIRST[i % FIRST.len()], LAST[(i * 7) % LAST.len()]),
            role: role.into(),
            active: true,
            password_hash: hash.clone(),
            created_at: ca,
            created_by: cb,
            updated_at: ua,
            updated_by: ub,
            version: v,
        });
    }
    let user_ids: Vec<Uuid> = users.iter().map(|u| u.id).collect();
    insert_all(
        db,
        "users",
        users
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        30,
    )
    .await?;

    let n_accounts = 10_000 * scale;
    let mut accounts: Vec<account::Model> = Vec::with_capacity(n_accounts);
    for i in 0..n_accounts {
        let name = format!(
            "{} {} {:05}",
            pick(&mut rng, WORDS),
            pick(&mut rng, LAST),
            i + 1
        );
        let revenue: i64 = rng.random_range(0..50_000_000);
        accounts.push(account::Model {
            tenant_id,
            id: uuid7(&mut rng, base),
            name_key: domain::text::sort_key(&name),
            name,
            industry: Some(pick(&mut rng, WORDS).into()),
            website: Some(format!("https://account{}.example", i + 1)),
            region: Some(pick(&mut rng, &["EMEA", "APAC", "North America", "LATAM"]).into()),
            status: pick(&mut rng, STATUSES).into(),
            tier: pick(&mut rng, TIERS).into(),
            owner_id: user_ids[i % user_ids.len()],
            // Every 20th account heads a group of itself and 3 subsidiaries.
            parent_id: (i % 20 != 0 && i % 20 <= 3).then(|| accounts[i - i % 20].id),
            annual_revenue_minor: Some(revenue * 10_000),
            annual_revenue_currency: Some("EUR".into()),
            wallet_estimate_minor: Some(revenue * 30_000),
            wallet_estimate_currency: Some("EUR".into()),
            source: Some("bench".into()),
            external_id: Some(format!("A{:07}", i + 1)),
            archived_at: None,
            deleted_at: None,
            created_at: ca,
            created_by: cb,
            updated_at: ua,
            updated_by: ub,
            version: v,
        });
    }
    let account_ids: Vec<Uuid> = accounts.iter().map(|a| a.id).collect();
    let owner_ids: Vec<Uuid> = accounts.iter().map(|a| a.owner_id).collect();
    insert_all(
        db,
        "accounts",
        accounts
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        24,
    )
    .await?;

    // Each account's team: its owner, and on every other account a second
    // user as specialist (the services keep the owner's row so).
    let mut team = Vec::with_capacity(account_ids.len() * 3 / 2);
    for (i, (a, o)) in account_ids.iter().zip(&owner_ids).enumerate() {
        let (ca, cb, ua, ub, v) = audit(base);
        let member = |user_id: Uuid, role: &str, id: Uuid| account_team_member::Model {
            tenant_id,
            id,
            account_id: *a,
            user_id,
            role: role.into(),
            responsibility: None,
            created_at: ca,
            created_by: cb,
            updated_at: ua,
            updated_by: ub,
            version: v,
        };
        team.push(member(*o, "OWNER", uuid7(&mut rng, base)));
        let other = user_ids[(i + 1) % user_ids.len()];
        if i % 2 == 0 && other != *o {
            team.push(member(other, "SPECIALIST", uuid7(&mut rng, base)));
        }
    }
    insert_all(
        db,
        "account team members",
        team.into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        11,
    )
    .await?;

    // 1..=34 contacts per account, skewed (most accounts have a few, some
    // many), adjusted to exactly 10 per account on average.
    let n_contacts = 100_000 * scale;
    let mut counts: Vec<usize> = (0..n_accounts)
        .map(|_| 1 + (rng.random::<f64>().powf(2.67) * 33.0) as usize)
        .collect();
    let mut total: usize = counts.iter().sum();
    while total != n_contacts {
        let i = rng.random_range(0..n_accounts);
        if total < n_contacts && counts[i] < 34 {
            counts[i] += 1;
            total += 1;
        } else if total > n_contacts && counts[i] > 1 {
            counts[i] -= 1;
            total -= 1;
        }
    }
    let mut contacts = Vec::with_capacity(n_contacts);
    let mut heads = Vec::with_capacity(n_accounts);
    let mut by_account: Vec<Vec<Uuid>> = Vec::with_capacity(n_accounts);
    for (a, &count) in account_ids.iter().zip(&counts) {
        let mut ids: Vec<Uuid> = Vec::with_capacity(count);
        for j in 0..count {
            let id = uuid7(&mut rng, base);
            let (first, last) = (pick(&mut rng, FIRST), pick(&mut rng, LAST));
            // The first contact heads the account; the others report to an earlier one.
            let reports_to = (j > 0).then(|| ids[rng.random_range(0..j)]);
            contacts.push(contact::Model {
                tenant_id,
                id,
                account_id: *a,
                first_name: first.into(),
                last_name: last.into(),
                name_key: format!("{}\u{1}{}", last.to_lowercase(), first.to_lowercase()),
                title: Some(pick(&mut rng, TITLES).into()),
                department: Some(
                    pick(
                        &mut rng,
                        &["Executive", "Operations", "IT", "Finance", "Procurement"],
                    )
                    .into(),
                ),
                email: Some(format!(
                    "{}.{}{}@account.example",
                    first.to_lowercase(),
                    last.to_lowercase(),
                    contacts.len()
                )),
                phone: Some(format!("+49 30 {:07}", contacts.len())),
                status: if rng.random_range(0..20) == 0 {
                    "LEFT_COMPANY"
                } else {
                    "ACTIVE"
                }
                .into(),
                buying_role: Some(pick(&mut rng, ROLES).into()),
                influence: Some(rng.random_range(1..=5)),
                attitude: Some(pick(&mut rng, ATTITUDES).into()),
                reports_to_id: reports_to,
                relationship_owner_id: Some(user_ids[rng.random_range(0..user_ids.len())]),
                preferred_channel: None,
                preferred_frequency: (j % 3 == 0).then(|| "MONTHLY".to_owned()),
                source: None,
                external_id: None,
                erased_at: None,
                deleted_at: None,
                created_at: ca,
                created_by: cb,
                updated_at: ua,
                updated_by: ub,
                version: v,
            });
            ids.push(id);
        }
        heads.push(ids[0]);
        by_account.push(ids);
    }
    insert_all(
        db,
        "contacts",
        contacts
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        26,
    )
    .await?;

    // Two plans per account (FY2024 closed, FY2025 active), three objectives each.
    let mut plans = Vec::with_capacity(2 * n_accounts);
    let mut objectives = Vec::with_capacity(6 * n_accounts);
    let day = |y: i32, m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default();
    for (k, a) in account_ids.iter().enumerate() {
        for (year, status) in [(2024, "CLOSED"), (2025, "ACTIVE")] {
            let plan_id = uuid7(&mut rng, base);
            let owner = user_ids[k % user_ids.len()];
            plans.push(account_plan::Model {
                tenant_id,
                id: plan_id,
                account_id: *a,
                title: format!("FY{year} account plan"),
                strategy_summary: Some(
                    "Protect the core, grow adjacent lines, widen executive access.".into(),
                ),
                period_start: day(year, 1, 1),
                period_end: day(year, 12, 31),
                owner_id: owner,
                status: status.into(),
                deleted_at: None,
                created_at: ca,
                created_by: cb,
                updated_at: ua,
                updated_by: ub,
                version: v,
            });
            for (j, (title, metric)) in [
                ("Grow wallet share", "wallet share"),
                ("Expand to new sites", "sites"),
                ("Executive meetings", "meetings"),
            ]
            .into_iter()
            .enumerate()
            {
                let target: i64 = rng.random_range(5..50);
                objectives.push(objective::Model {
                    tenant_id,
                    id: uuid7(&mut rng, base),
                    plan_id,
                    title: title.into(),
                    description: None,
                    metric: metric.into(),
                    unit: None,
                    baseline_e4: 0,
                    target_e4: target * 10_000,
                    current_e4: rng.random_range(0..=target) * 10_000,
                    confidence: Some(rng.random_range(30..=90)),
                    due_date: day(year, 3 + 3 * j as u32, 30),
                    owner_id: Some(owner),
                    success_criterion_id: None,
                    status: "ON_TRACK".into(),
                    deleted_at: None,
                    created_at: ca,
                    created_by: cb,
                    updated_at: ua,
                    updated_by: ub,
                    version: v,
                });
            }
        }
    }
    let (n_plans, n_objectives) = (plans.len(), objectives.len());
    insert_all(
        db,
        "plans",
        plans
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        15,
    )
    .await?;
    insert_all(
        db,
        "objectives",
        objectives
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        20,
    )
    .await?;

    let n_activities = 500_000 * scale;
    let mut acts = Vec::with_capacity(n_activities);
    let mut links = Vec::with_capacity(n_activities);
    for _ in 0..n_activities {
        let k = rng.random_range(0..n_accounts);
        let at = base - Duration::minutes(rng.random_range(0..2 * 365 * 24 * 60));
        let id = uuid7(&mut rng, at);
        let c = by_account[k][rng.random_range(0..by_account[k].len())];
        acts.push(activity::Model {
            tenant_id,
            id,
            account_id: account_ids[k],
            kind: pick(&mut rng, KINDS).into(),
            occurred_at: at,
            hours_hundredths: rng.random_range(25..=400),
            summary: format!(
                "{} with {}",
                pick(&mut rng, KINDS).to_lowercase(),
                pick(&mut rng, TITLES)
            ),
            source: None,
            external_id: None,
            action_item_id: None,
            action_due_date: None,
            deleted_at: None,
            created_at: at,
            created_by: Some(user_ids[k % user_ids.len()]),
            updated_at: at,
            updated_by: Some(user_ids[k % user_ids.len()]),
            version: 1,
        });
        links.push(activity_contact::Model {
            tenant_id,
            activity_id: id,
            account_id: account_ids[k],
            contact_id: c,
            created_at: at,
            created_by: None,
            updated_at: at,
            updated_by: None,
            version: 1,
        });
    }
    insert_all(
        db,
        "activities",
        acts.into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        17,
    )
    .await?;
    insert_all(
        db,
        "links",
        links
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        9,
    )
    .await?;

    // Evidence signals over the two years up to now, each account leaning
    // good or bad, half of them naming a contact; each account's stored
    // evidence computed as the services keep it (`domain::health`).
    let n_signals = 500_000 * scale;
    let now = domain::time::to_millis(Utc::now());
    let good =
        domain::signal::SignalKind::matching(Some(domain::signal::Polarity::Positive), None, None);
    let bad =
        domain::signal::SignalKind::matching(Some(domain::signal::Polarity::Negative), None, None);
    let lean: Vec<f64> = (0..n_accounts)
        .map(|_| rng.random_range(0.15..0.9))
        .collect();
    let mut evidence: Vec<Vec<(domain::signal::SignalKind, DateTime<Utc>)>> =
        vec![Vec::new(); n_accounts];
    let mut sigs = Vec::with_capacity(n_signals);
    for _ in 0..n_signals {
        let k = rng.random_range(0..n_accounts);
        let at = now - Duration::milliseconds(rng.random_range(0..2 * 365 * 24 * 3_600_000_i64));
        let kind = if rng.random_bool(lean[k]) {
            good[rng.random_range(0..good.len())]
        } else {
            bad[rng.random_range(0..bad.len())]
        };
        let contact = rng
            .random_bool(0.5)
            .then(|| by_account[k][rng.random_range(0..by_account[k].len())]);
        let owner = Some(user_ids[k % user_ids.len()]);
        sigs.push(account_signal::Model {
            tenant_id,
            id: uuid7(&mut rng, at),
            account_id: account_ids[k],
            contact_id: contact,
            activity_id: None,
            kind: kind.as_str().into(),
            observed_at: at,
            note: None,
            removal_reason: None,
            deleted_at: None,
            created_at: at,
            created_by: owner,
            updated_at: at,
            updated_by: owner,
            version: 1,
        });
        evidence[k].push((kind, at));
    }
    insert_all(
        db,
        "signals",
        sigs.into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        15,
    )
    .await?;
    let half_life = domain::health::DEFAULT_HALF_LIFE_DAYS;
    let health: Vec<account_health::Model> = evidence
        .into_iter()
        .enumerate()
        .filter(|(_, e)| !e.is_empty())
        .map(|(k, e)| {
            let ev = domain::health::Evidence::of(half_life, e, now);
            let mut m = account_health::Model {
                tenant_id,
                id: uuid7(&mut rng, now),
                account_id: account_ids[k],
                anchor_at: ev.anchor,
                signal_count: i64::try_from(ev.count).unwrap_or(i64::MAX),
                last_signal_at: ev.last_at,
                half_life_days: i32::from(half_life),
                created_at: now,
                created_by: None,
                updated_at: now,
                updated_by: None,
                version: 1,
                ..Default::default()
            };
            m.set_sums(&ev.sums);
            m
        })
        .collect();
    insert_all(
        db,
        "health",
        health
            .into_iter()
            .map(IntoActiveModel::into_active_model)
            .collect(),
        30,
    )
    .await?;

    // Fresh planner statistics, as after any bulk load.
    let analyze = if db.is_postgres() {
        "VACUUM ANALYZE"
    } else {
        "ANALYZE"
    };
    sea_orm::ConnectionTrait::execute_unprepared(db.write(), analyze).await?;
    let ids = account_ids
        .iter()
        .zip(&heads)
        .zip(&owner_ids)
        .map(|((a, c), o)| (*a, *c, *o))
        .collect();
    Ok(Seeded {
        accounts: n_accounts,
        contacts: n_contacts,
        activities: n_activities,
        signals: n_signals,
        plans: n_plans,
        objectives: n_objectives,
        ids,
    })
}

/// Writes the ids file for `../shared/bench-peers/load.sh` (`IDS_FILE`):
/// account, head contact, owner.
pub fn write_ids_file(
    path: &std::path::Path,
    ids: &[(String, String, String)],
) -> std::io::Result<()> {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    for (a, c, o) in ids {
        writeln!(f, "{a}\t{c}\t{o}")?;
    }
    f.flush()
}
