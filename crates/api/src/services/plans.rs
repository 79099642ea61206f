//! Account plans: plans and their lifecycle, SMART objectives and their
//! progress, growth targets, reviews and contingencies. Every write is
//! authorised through the plan's account with the one `authorize` rule
//! (the account's owner, sales managers and admins write; viewers read).

use super::team::authorize_account;
use super::writer;
use crate::error::{ApiError, ApiResult};
use chrono::{NaiveDate, Utc};
use domain::objective::{
    NewObjective, ObjectiveChanges, ObjectiveInput, ObjectivePatchInput, ObjectiveStatus,
};
use domain::plan::{
    NewPlan, NewReview, PlanChanges, PlanInput, PlanPatchInput, PlanPeriod, PlanStatus,
    ReviewInput, check_covers_due_dates, check_single_active, transition,
};
use domain::text::Money;
use domain::{AccountId, Action, Principal, UserId};
use persistence::entity::{
    account, account_plan, contingency, growth_target, objective, objective_progress, plan_review,
    plan_review_reviewer,
};
use persistence::repo::{accounts, plans, users};
use persistence::write::{Op, Writer};
use persistence::{ConnectionTrait, Db, Set};
use rust_decimal::Decimal;
use uuid::Uuid;

/// Exact decimals (objective values) are stored as ten-thousandths.
pub fn to_e4(d: Decimal) -> i64 {
    i64::try_from((d * Decimal::from(10_000)).trunc().mantissa()).unwrap_or(i64::MAX)
}

pub fn from_e4(v: i64) -> Decimal {
    Decimal::new(v, 4).normalize()
}

/// A user referenced by an input must exist in the caller's tenant.
pub(crate) async fn check_user(
    conn: &impl ConnectionTrait,
    p: &Principal,
    id: UserId,
    field: &str,
) -> ApiResult<()> {
    match users::get(conn, p.tenant_id, id).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::not_found_in("user", field)),
    }
}

/// Loads a plan and its account for a write (the plan row locked on
/// Postgres) and authorises the caller through the account. `field` names
/// the input field that carried the plan id.
pub async fn load_plan_for_write(
    conn: &impl ConnectionTrait,
    p: &Principal,
    plan_id: Uuid,
    field: &str,
) -> ApiResult<(account_plan::Model, account::Model)> {
    let (plan, account) = load_plan(conn, p, plan_id, field).await?;
    authorize_account(conn, p, Action::Update, account.id).await?;
    Ok((plan, account))
}

/// [`load_plan_for_write`] without the authorisation, for writes that the
/// rule judges otherwise (completing an occurrence).
pub(crate) async fn load_plan(
    conn: &impl ConnectionTrait,
    p: &Principal,
    plan_id: Uuid,
    field: &str,
) -> ApiResult<(account_plan::Model, account::Model)> {
    let plan = plans::get_for_update(conn, p.tenant_id, plan_id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("plan", field))?;
    let account = accounts::get(conn, p.tenant_id, AccountId(plan.account_id))
        .await?
        .ok_or_else(|| ApiError::not_found_in("plan", field))?;
    Ok((plan, account))
}

fn period_of(plan: &account_plan::Model) -> ApiResult<PlanPeriod> {
    Ok(PlanPeriod::parse(plan.period_start, plan.period_end)?)
}

fn status_of(plan: &account_plan::Model) -> PlanStatus {
    PlanStatus::from_str_opt(&plan.status).unwrap_or(PlanStatus::Draft)
}

pub async fn create_plan(
    db: &Db,
    p: &Principal,
    account_id: AccountId,
    input: PlanInput,
) -> ApiResult<account_plan::Model> {
    let new = NewPlan::parse(input)?;
    let w = writer(db, p).await?;
    let account = accounts::get_for_update(w.conn(), p.tenant_id, account_id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("account", "accountId"))?;
    authorize_account(w.conn(), p, Action::Update, account.id).await?;
    let owner = new.owner_id.unwrap_or(p.user_id);
    check_user(w.conn(), p, owner, "ownerId").await?;
    let m = account_plan::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        account_id: Set(account.id),
        title: Set(new.title.into_inner()),
        strategy_summary: Set(new.strategy_summary),
        period_start: Set(new.period.start()),
        period_end: Set(new.period.end()),
        owner_id: Set(owner.0),
        status: Set(PlanStatus::INITIAL.as_str().into()),
        deleted_at: Set(None),
        ..Default::default()
    };
    let m = w.insert::<account_plan::Entity>(m).await?;
    w.commit().await?;
    Ok(m)
}

async fn save_plan(w: &Writer, m: &mut account_plan::Model) -> ApiResult<()> {
    *m = w
        .update::<account_plan::Entity>(m.clone(), Op::Updated)
        .await?;
    Ok(())
}

/// Checks the one-ACTIVE-plan rule for `plan` becoming or staying active.
async fn check_active_rule(
    conn: &impl ConnectionTrait,
    p: &Principal,
    plan: &account_plan::Model,
    period: &PlanPeriod,
) -> ApiResult<()> {
    let others = plans::active_periods(conn, p.tenant_id, plan.account_id, plan.id).await?;
    let others: Vec<PlanPeriod> = others
        .into_iter()
        .filter_map(|(s, e)| PlanPeriod::parse(s, e).ok())
        .collect();
    Ok(check_single_active(period, &others)?)
}

pub async fn update_plan(
    db: &Db,
    p: &Principal,
    id: Uuid,
    patch: PlanPatchInput,
) -> ApiResult<account_plan::Model> {
    let w = writer(db, p).await?;
    let (mut m, _account) = load_plan_for_write(w.conn(), p, id, "id").await?;
    let changes = PlanChanges::parse(patch, &period_of(&m)?)?;
    if let Some(t) = changes.title {
        m.title = t.into_inner();
    }
    changes.strategy_summary.apply_to(&mut m.strategy_summary);
    if let Some(period) = changes.period {
        let due = plans::objective_due_dates(w.conn(), p.tenant_id, m.id).await?;
        check_covers_due_dates(&period, &due)?;
        if status_of(&m) == PlanStatus::Active {
            check_active_rule(w.conn(), p, &m, &period).await?;
        }
        m.period_start = period.start();
        m.period_end = period.end();
    }
    if let Some(o) = changes.owner_id {
        check_user(w.conn(), p, o, "ownerId").await?;
        m.owner_id = o.0;
    }
    save_plan(&w, &mut m).await?;
    w.commit().await?;
    Ok(m)
}

/// Moves a plan to another status (the state machine is in `domain::plan`).
pub async fn change_status(
    db: &Db,
    p: &Principal,
    id: Uuid,
    to: PlanStatus,
) -> ApiResult<account_plan::Model> {
    let w = writer(db, p).await?;
    let (mut m, _) = load_plan_for_write(w.conn(), p, id, "id").await?;
    move_plan(&w, p, &mut m, to).await?;
    w.commit().await?;
    Ok(m)
}

async fn move_plan(
    w: &Writer,
    p: &Principal,
    m: &mut account_plan::Model,
    to: PlanStatus,
) -> ApiResult<()> {
    let from = status_of(m);
    if from == to {
        return Ok(());
    }
    let final_review =
        to == PlanStatus::Closed && plans::has_final_review(w.conn(), p.tenant_id, m.id).await?;
    transition(from, to, final_review)?;
    if to == PlanStatus::Active {
        check_active_rule(w.conn(), p, m, &period_of(m)?).await?;
    }
    m.status = to.as_str().into();
    save_plan(w, m).await
}

pub async fn add_objective(
    db: &Db,
    p: &Principal,
    plan_id: Uuid,
    input: ObjectiveInput,
    criterion: Option<Uuid>,
) -> ApiResult<objective::Model> {
    let w = writer(db, p).await?;
    let (plan, _) = load_plan_for_write(w.conn(), p, plan_id, "planId").await?;
    let new = NewObjective::parse(input, &period_of(&plan)?)?;
    if let Some(o) = new.owner_id {
        check_user(w.conn(), p, o, "ownerId").await?;
    }
    if let Some(c) = criterion {
        super::success::criterion_of_account(&w, p, plan.account_id, c, "successCriterionId")
            .await?;
    }
    let m = objective::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        plan_id: Set(plan.id),
        title: Set(new.title.into_inner()),
        description: Set(new.description),
        metric: Set(new.metric.into_inner()),
        unit: Set(new.unit),
        baseline_e4: Set(to_e4(new.baseline)),
        target_e4: Set(to_e4(new.target)),
        current_e4: Set(to_e4(new.current)),
        confidence: Set(new.confidence.map(|c| i16::from(c.get()))),
        due_date: Set(new.due_date),
        owner_id: Set(new.owner_id.map(|u| u.0)),
        success_criterion_id: Set(criterion),
        status: Set(new.status.as_str().into()),
        deleted_at: Set(None),
        ..Default::default()
    };
    let m = w.insert::<objective::Entity>(m).await?;
    w.commit().await?;
    Ok(m)
}

/// The objective as the domain sees it, to re-validate a patch.
fn snapshot(o: &objective::Model) -> ApiResult<NewObjective> {
    let d = |v: i64| from_e4(v);
    Ok(NewObjective {
        title: domain::text::RequiredText::parse("title", &o.title, 10_000)?,
        description: o.description.clone(),
        metric: domain::text::RequiredText::parse("metric", &o.metric, 10_000)?,
        unit: o.unit.clone(),
        baseline: d(o.baseline_e4),
        target: d(o.target_e4),
        current: d(o.current_e4),
        confidence: o
            .confidence
            .map(|c| domain::objective::Confidence::parse("confidence", i32::from(c)))
            .transpose()?,
        due_date: o.due_date,
        owner_id: o.owner_id.map(UserId),
        status: ObjectiveStatus::from_str_opt(&o.status).unwrap_or(ObjectiveStatus::OnTrack),
    })
}

async fn load_objective(
    conn: &impl ConnectionTrait,
    p: &Principal,
    id: Uuid,
    field: &str,
) -> ApiResult<(objective::Model, account_plan::Model)> {
    let o = plans::objective(conn, p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("objective", field))?;
    let (plan, _) = load_plan_for_write(conn, p, o.plan_id, field).await?;
    Ok((o, plan))
}

fn apply_objective(m: &mut objective::Model, n: &NewObjective) {
    m.title = n.title.as_str().to_owned();
    m.description = n.description.clone();
    m.metric = n.metric.as_str().to_owned();
    m.unit = n.unit.clone();
    m.baseline_e4 = to_e4(n.baseline);
    m.target_e4 = to_e4(n.target);
    m.current_e4 = to_e4(n.current);
    m.confidence = n.confidence.map(|c| i16::from(c.get()));
    m.due_date = n.due_date;
    m.owner_id = n.owner_id.map(|u| u.0);
    m.status = n.status.as_str().into();
}

async fn save_objective(w: &Writer, m: &mut objective::Model) -> ApiResult<()> {
    *m = w
        .update::<objective::Entity>(m.clone(), Op::Updated)
        .await?;
    Ok(())
}

pub async fn update_objective(
    db: &Db,
    p: &Principal,
    id: Uuid,
    patch: ObjectivePatchInput,
    criterion: domain::Patch<Uuid>,
) -> ApiResult<objective::Model> {
    let w = writer(db, p).await?;
    let (mut m, plan) = load_objective(w.conn(), p, id, "id").await?;
    let changes = ObjectiveChanges::parse(patch, &snapshot(&m)?, &period_of(&plan)?)?;
    if let domain::Patch::Set(o) = changes.owner_id {
        check_user(w.conn(), p, o, "ownerId").await?;
    }
    if let domain::Patch::Set(c) = criterion {
        super::success::criterion_of_account(&w, p, plan.account_id, c, "successCriterionId")
            .await?;
    }
    criterion.apply_to(&mut m.success_criterion_id);
    let current_changed = changes.current.is_some();
    apply_objective(&mut m, &changes.updated);
    save_objective(&w, &mut m).await?;
    if current_changed {
        record(&w, p, &m, Utc::now().date_naive(), None).await?;
    }
    w.commit().await?;
    Ok(m)
}

async fn record(
    w: &Writer,
    p: &Principal,
    o: &objective::Model,
    on: NaiveDate,
    note: Option<String>,
) -> ApiResult<()> {
    w.insert::<objective_progress::Entity>(objective_progress::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        objective_id: Set(o.id),
        value_e4: Set(o.current_e4),
        recorded_on: Set(on),
        note: Set(note),
        ..Default::default()
    })
    .await?;
    Ok(())
}

/// Records a new current value: the objective's value changes and the
/// history keeps a dated point.
pub async fn record_progress(
    db: &Db,
    p: &Principal,
    id: Uuid,
    value: Decimal,
    on: Option<NaiveDate>,
    note: Option<String>,
) -> ApiResult<objective::Model> {
    let note = domain::text::optional_text("note", note.as_deref(), domain::plan::MAX_LONG_TEXT)?;
    let on = on.unwrap_or_else(|| Utc::now().date_naive());
    if on > Utc::now().date_naive() + chrono::Duration::days(1) {
        return Err(ApiError::validation(
            "recordedOn",
            "must not be in the future",
        ));
    }
    let w = writer(db, p).await?;
    let (mut m, plan) = load_objective(w.conn(), p, id, "objectiveId").await?;
    let patch = ObjectivePatchInput {
        current: domain::Patch::Set(value),
        ..Default::default()
    };
    let changes =
        ObjectiveChanges::parse(patch, &snapshot(&m)?, &period_of(&plan)?).map_err(|e| {
            if e.field == "current" {
                domain::ValidationError::new("value", e.message)
            } else {
                e
            }
        })?;
    apply_objective(&mut m, &changes.updated);
    save_objective(&w, &mut m).await?;
    record(&w, p, &m, on, note).await?;
    w.commit().await?;
    Ok(m)
}

/// Revenue or margin target of a plan for a period and product line.
pub struct GrowthTargetInput {
    pub kind: String,
    pub product_line: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub target: domain::account::MoneyInput,
    pub actual: Option<Decimal>,
}

pub async fn add_growth_target(
    db: &Db,
    p: &Principal,
    plan_id: Uuid,
    input: GrowthTargetInput,
) -> ApiResult<growth_target::Model> {
    let product_line = domain::text::RequiredText::parse("productLine", &input.product_line, 200)?;
    let period = PlanPeriod::parse(input.period_start, input.period_end)?;
    let target = Money::parse_non_negative("target", input.target.amount, &input.target.currency)?;
    let actual = input
        .actual
        .map(|a| Money::parse_non_negative("actual", a, target.currency.as_str()))
        .transpose()
        .map_err(|e| domain::ValidationError::new("actual", e.message))?;
    let w = writer(db, p).await?;
    let (plan, _) = load_plan_for_write(w.conn(), p, plan_id, "planId").await?;
    let m = growth_target::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        plan_id: Set(plan.id),
        kind: Set(input.kind),
        product_line: Set(product_line.into_inner()),
        period_start: Set(period.start()),
        period_end: Set(period.end()),
        target_minor: Set(target.minor_units()),
        actual_minor: Set(actual.map(|a| a.minor_units())),
        currency: Set(target.currency.as_str().to_owned()),
        ..Default::default()
    };
    let m = w.insert::<growth_target::Entity>(m).await?;
    w.commit().await?;
    Ok(m)
}

/// Sets (or clears) the actual value of a growth target.
pub async fn set_growth_actual(
    db: &Db,
    p: &Principal,
    id: Uuid,
    actual: Option<Decimal>,
) -> ApiResult<growth_target::Model> {
    let w = writer(db, p).await?;
    let mut m = plans::growth_target(w.conn(), p.tenant_id, id)
        .await?
        .ok_or_else(|| ApiError::not_found_in("growth target", "id"))?;
    load_plan_for_write(w.conn(), p, m.plan_id, "id").await?;
    let actual = actual
        .map(|a| Money::parse_non_negative("actual", a, &m.currency))
        .transpose()
        .map_err(|e| domain::ValidationError::new("actual", e.message))?;
    m.actual_minor = actual.map(|a| a.minor_units());
    let m = w.update::<growth_target::Entity>(m, Op::Updated).await?;
    w.commit().await?;
    Ok(m)
}

/// Records a review; it may move the plan (to UNDER_REVIEW, back to ACTIVE,
/// or, being final, to CLOSED) in the same transaction.
pub async fn add_review(
    db: &Db,
    p: &Principal,
    plan_id: Uuid,
    input: ReviewInput,
    reviewers: Vec<UserId>,
    move_to: Option<PlanStatus>,
) -> ApiResult<(plan_review::Model, account_plan::Model)> {
    let new = NewReview::parse(input)?;
    let w = writer(db, p).await?;
    let (mut plan, _) = load_plan_for_write(w.conn(), p, plan_id, "planId").await?;
    let mut reviewers = reviewers;
    reviewers.sort();
    reviewers.dedup();
    for r in &reviewers {
        check_user(w.conn(), p, *r, "reviewerIds").await?;
    }
    let revisions: Vec<String> = new
        .revisions
        .as_deref()
        .map(|r| {
            r.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    let m = plan_review::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        plan_id: Set(plan.id),
        review_date: Set(new.review_date),
        outcome: Set(new.outcome.as_str().into()),
        notes: Set(new.notes),
        revisions: Set(serde_json::to_string(&revisions).unwrap_or_else(|_| "[]".into())),
        is_final: Set(new.is_final),
        ..Default::default()
    };
    let m = w.insert::<plan_review::Entity>(m).await?;
    for r in reviewers {
        w.insert::<plan_review_reviewer::Entity>(plan_review_reviewer::ActiveModel {
            tenant_id: Set(p.tenant_id.0),
            review_id: Set(m.id),
            user_id: Set(r.0),
            ..Default::default()
        })
        .await?;
    }
    if let Some(c) = new.contingency {
        insert_contingency(&w, p, plan.id, c, None, String::new(), None).await?;
    }
    if let Some(to) = move_to {
        move_plan(&w, p, &mut plan, to).await.map_err(|e| match e {
            ApiError::Validation(v) => {
                ApiError::Validation(domain::ValidationError::new("moveTo", v.message))
            }
            other => other,
        })?;
    }
    w.commit().await?;
    Ok((m, plan))
}

async fn insert_contingency(
    w: &Writer,
    p: &Principal,
    plan: Uuid,
    risk: String,
    trigger: Option<String>,
    response: String,
    owner: Option<UserId>,
) -> ApiResult<contingency::Model> {
    let m = contingency::ActiveModel {
        tenant_id: Set(p.tenant_id.0),
        id: Set(Uuid::now_v7()),
        plan_id: Set(plan),
        risk: Set(risk),
        trigger_event: Set(trigger),
        response: Set(response),
        owner_id: Set(owner.map(|u| u.0)),
        deleted_at: Set(None),
        ..Default::default()
    };
    Ok(w.insert::<contingency::Entity>(m).await?)
}

/// Adds a contingency: a risk, what would trigger it, the planned response.
pub async fn add_contingency(
    db: &Db,
    p: &Principal,
    plan_id: Uuid,
    risk: &str,
    trigger: Option<&str>,
    response: &str,
    owner: Option<UserId>,
) -> ApiResult<contingency::Model> {
    let max = domain::plan::MAX_LONG_TEXT;
    let risk = domain::text::RequiredText::parse("risk", risk, max)?;
    let trigger = domain::text::optional_text("trigger", trigger, max)?;
    let response = domain::text::RequiredText::parse("response", response, max)?;
    let w = writer(db, p).await?;
    let (plan, _) = load_plan_for_write(w.conn(), p, plan_id, "planId").await?;
    if let Some(o) = owner {
        check_user(w.conn(), p, o, "ownerId").await?;
    }
    let m = insert_contingency(
        &w,
        p,
        plan.id,
        risk.into_inner(),
        trigger,
        response.into_inner(),
        owner,
    )
    .await?;
    w.commit().await?;
    Ok(m)
}
