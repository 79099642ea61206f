//! Account health from evidence signals (`domain::health`):
//! `account.health` (score, band, trend, drivers), `account.share` (heart,
//! mind and wallet share), `account.healthHistory`, the tenant's health
//! model and `setHealthModel`.

use crate::graphql::common::enums::{HealthBand, HealthTrend, HistoryInterval, SignalKind};
use crate::graphql::common::object::object;
use crate::graphql::evidence::Signal;
use crate::graphql::{in_input, loaders, principal, state};
use crate::services::signals::{self as svc, HealthView};
use async_graphql::{Context, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use domain::health::HealthModelPatch;
use std::sync::Arc;

/// An account's health now.
#[derive(Clone)]
pub struct AccountHealth(pub Arc<HealthView>);

fn round_to(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

object! {
    /// An account's health now, from the evidence signals recorded for it
    /// (see the README's "Relationship evidence" for the formula): a score
    /// from 0 to 100, its band, where it is heading and why.
    #[Object]
    impl AccountHealth(HealthView) fields account_health_fields {
        /// Whether any signal was recorded: without evidence there is no
        /// score (never a made-up one).
        leaf "hasEvidence" has_evidence(h) [signal_count] -> bool {
            h.signal_count > 0
        }
        /// The score, 0 to 100 (50: the good and bad news balance);
        /// `null` without evidence.
        leaf "score" score(h) [health] -> Option<i32> {
            h.health.as_ref().map(|x| i32::from(x.score))
        }
        /// The score's band under the tenant's thresholds.
        leaf "band" band(h) [health] -> Option<HealthBand> {
            h.health.as_ref().map(|x| x.band.into())
        }
        /// Where the score is heading: its change over 30 days (5 points
        /// or more is a rise or a fall); `null` without evidence 30 days
        /// ago.
        leaf "trend" trend(h) [health] -> Option<HealthTrend> {
            h.health.as_ref().and_then(|x| x.trend()).map(Into::into)
        }
        /// The score now minus the score 30 days ago (`null` without
        /// evidence then).
        leaf "change30Days" change_30_days(h) [health] -> Option<i32> {
            h.health.as_ref().and_then(|x| x.change[0]).map(i32::from)
        }
        /// The score now minus the score 90 days ago (`null` without
        /// evidence then).
        leaf "change90Days" change_90_days(h) [health] -> Option<i32> {
            h.health.as_ref().and_then(|x| x.change[1]).map(i32::from)
        }
        /// The decayed weight of the evidence behind the score (2
        /// decimals): how much is known, recently.
        leaf "evidenceWeight" evidence_weight(h) [health] -> f64 {
            round_to(h.health.as_ref().map_or(0.0, |x| x.evidence_weight), 2)
        }
        /// How many live signals the account has.
        leaf "signalCount" signal_count(h) -> i64 {
            i64::try_from(h.signal_count).unwrap_or(i64::MAX)
        }
        /// When the newest signal was observed.
        leaf "lastSignalAt" last_signal_at(h) -> Option<DateTime<Utc>> {
            h.last_signal_at
        }
        /// The health in words.
        leaf "explanation" explanation(h) [health, signal_count] -> String {
            explain(h)
        }
        /// The signals that moved the score most, largest first: each with
        /// the points the score has because of it.
        #[graphql(complexity = "first.unwrap_or(5).clamp(0, 20) as usize * child_complexity + 1")]
        async fn drivers(
            &self,
            ctx: &Context<'_>,
            #[graphql(desc = "How many (0 to 20; default 5).")] first: Option<i32>,
        ) -> Result<Vec<HealthDriver>> {
            let n = first.unwrap_or(5);
            if !(0..=20).contains(&n) {
                return Err(crate::error::ApiError::validation("first", "must be between 0 and 20").into());
            }
            let l = loaders(ctx)?;
            let model = l.health_model().await?;
            let rows = l.account_all_signals(self.0.account).await?;
            Ok(svc::drivers_of(&model, &rows, usize::try_from(n).unwrap_or(0))
                .into_iter()
                .map(|d| HealthDriver(Arc::new(d)))
                .collect())
        }
    }
}

fn explain(h: &HealthView) -> String {
    let Some(x) = &h.health else {
        return "No evidence yet: record what the customer does (recordSignal) to score this \
                account."
            .into();
    };
    let trend = match x.change[0] {
        Some(c) if c > 0 => format!("up {c} points over 30 days"),
        Some(c) if c < 0 => format!("down {} points over 30 days", -c),
        Some(_) => "unchanged over 30 days".into(),
        None => "no evidence 30 days ago to compare with".into(),
    };
    format!(
        "{} ({}) from {} signal{}, {}.",
        x.score,
        x.band.as_str(),
        h.signal_count,
        if h.signal_count == 1 { "" } else { "s" },
        trend
    )
}

/// A signal's part in the score.
#[derive(Clone)]
pub struct HealthDriver(pub Arc<svc::DriverView>);

object! {
    /// A signal's part in the score.
    #[Object]
    impl HealthDriver(svc::DriverView) fields health_driver_fields {
        /// The signal.
        async fn signal(&self) -> Signal {
            Signal(self.0.signal.clone())
        }
        /// Points the score has because of it (the score now minus the score
        /// without it; negative for bad news), 1 decimal.
        leaf "contribution" contribution(d) -> f64 {
            round_to(d.contribution, 1)
        }
        /// Its weight now, decayed (2 decimals).
        leaf "weight" weight(d) -> f64 {
            round_to(d.weight, 2)
        }
    }
}

/// Heart, mind and wallet share of an account.
#[derive(Clone)]
pub struct RelationshipShare {
    pub health: Arc<HealthView>,
    /// Annual revenue over the wallet estimate, when both are known in one
    /// currency.
    pub revenue_share: Option<f64>,
}

object! {
    /// How much of the customer's heart, mind and wallet the supplier
    /// holds, from each dimension's signals (0 to 100, 50 balanced;
    /// `null` without weighted evidence of the dimension) and, for the
    /// wallet, from revenue.
    #[Object]
    impl RelationshipShare(self) fields relationship_share_fields {
        /// Trust and access (meetings, calls, e-mails, introductions,
        /// references, escalations).
        leaf "heart" heart(s) -> Option<i32> {
            s.health.shares[0].map(i32::from)
        }
        /// Being the advisor (advice sought, invited early or late, inside
        /// information).
        leaf "mind" mind(s) -> Option<i32> {
            s.health.shares[1].map(i32::from)
        }
        /// The business (scope expanded or reduced, buying accelerated or
        /// slowed).
        leaf "wallet" wallet(s) -> Option<i32> {
            s.health.shares[2].map(i32::from)
        }
        /// Our annual revenue with the account over the estimated wallet
        /// (4 decimals), when both are known in the same currency.
        leaf "walletRevenueShare" wallet_revenue_share(s) -> Option<f64> {
            s.revenue_share.map(|v| round_to(v, 4))
        }
    }
}

/// The revenue share of an account: annual revenue over the wallet
/// estimate, in one currency, with a positive wallet.
pub fn revenue_share(a: &persistence::entity::account::Model) -> Option<f64> {
    match (
        a.annual_revenue_minor,
        &a.annual_revenue_currency,
        a.wallet_estimate_minor,
        &a.wallet_estimate_currency,
    ) {
        (Some(r), Some(rc), Some(w), Some(wc)) if rc == wc && w > 0 => Some(r as f64 / w as f64),
        _ => None,
    }
}

/// A point of a health history as computed.
#[derive(Clone)]
pub struct HealthPoint {
    pub date: NaiveDate,
    pub score: Option<u8>,
    pub band: Option<domain::health::Band>,
}

object! {
    /// One point of a health history.
    #[Object]
    impl HealthPoint(self) fields health_point_fields {
        /// The day (the score as at its end, in the tenant's time zone).
        leaf "date" date(p) -> NaiveDate {
            p.date
        }
        /// The score then (`null` before any evidence).
        leaf "score" score(p) -> Option<i32> {
            p.score.map(i32::from)
        }
        /// Its band under today's thresholds.
        leaf "band" band(p) -> Option<HealthBand> {
            p.band.map(Into::into)
        }
    }
}

/// The points of a history from an account's signals (both read paths).
pub(crate) fn points_of(
    model: &domain::health::HealthModel,
    signals: &[(domain::signal::SignalKind, DateTime<Utc>)],
    points: Vec<(NaiveDate, DateTime<Utc>)>,
) -> Vec<HealthPoint> {
    let at: Vec<DateTime<Utc>> = points.iter().map(|p| p.1).collect();
    let scores = domain::health::history(model, signals, &at);
    points
        .into_iter()
        .zip(scores)
        .map(|((date, _), score)| HealthPoint {
            date,
            score,
            band: score.map(|s| model.band(s)),
        })
        .collect()
}

/// The history of an account's score.
pub(crate) async fn health_history(
    ctx: &Context<'_>,
    account: uuid::Uuid,
    from: NaiveDate,
    to: NaiveDate,
    interval: HistoryInterval,
) -> Result<Vec<HealthPoint>> {
    let l = loaders(ctx)?;
    let tz = l.time_zone().await?;
    let points = domain::health::history_points_in(from, to, interval.into(), &tz)
        .map_err(crate::error::ApiError::from)?;
    let model = l.health_model().await?;
    let rows = l.account_all_signals(account).await?;
    let signals: Vec<_> = rows
        .iter()
        .filter_map(|s| {
            Some((
                domain::signal::SignalKind::from_str_opt(&s.kind)?,
                s.observed_at,
            ))
        })
        .collect();
    Ok(points_of(&model, &signals, points))
}

/// A tenant's health model.
pub struct HealthModel(pub svc::ModelView);

/// A kind's weight in the model.
#[derive(SimpleObject)]
pub struct SignalWeight {
    /// The kind.
    kind: SignalKind,
    /// Its weight (0 to 10; 0 ignores the kind).
    weight: i32,
    /// Whether it is the kind's default weight.
    is_default: bool,
}

/// How a tenant scores its accounts from evidence signals: the half-life
/// of a signal's weight, the band thresholds and each kind's weight.
#[Object]
impl HealthModel {
    /// Days after which a signal counts half (7 to 730; default 90).
    async fn half_life_days(&self) -> i32 {
        i32::from(self.0.model.half_life_days)
    }
    /// Lowest score of `HEALTHY` (default 70).
    async fn healthy_from(&self) -> i32 {
        i32::from(self.0.model.healthy_from)
    }
    /// Scores below this are `IN_JEOPARDY` (default 40).
    async fn jeopardy_below(&self) -> i32 {
        i32::from(self.0.model.jeopardy_below)
    }
    /// Each kind's weight, in catalogue order.
    async fn weights(&self) -> Vec<SignalWeight> {
        domain::signal::SignalKind::ALL
            .iter()
            .map(|k| SignalWeight {
                kind: (*k).into(),
                weight: i32::from(self.0.model.weight(*k)),
                is_default: self.0.model.weight(*k) == k.info().default_weight,
            })
            .collect()
    }
    /// Whether the documented defaults hold (no admin changed them).
    async fn is_default(&self) -> bool {
        self.0.version == 0
    }
    /// When an admin last changed it.
    async fn updated_at(&self) -> Option<DateTime<Utc>> {
        self.0.updated_at
    }
    /// Increases by one with every change (0 while the defaults hold).
    async fn version(&self) -> i64 {
        self.0.version
    }
}

/// A kind's new weight.
#[derive(InputObject)]
pub struct SignalWeightInput {
    /// The kind.
    kind: SignalKind,
    /// Its weight (0 to 10; 0 ignores the kind).
    weight: i32,
}

/// Input of `setHealthModel`: absent values stay.
#[derive(InputObject)]
pub struct SetHealthModelInput {
    /// Days after which a signal counts half (7 to 730). Changing it
    /// recomputes every account's stored evidence.
    half_life_days: Option<i32>,
    /// Lowest score of `HEALTHY` (1 to 100).
    healthy_from: Option<i32>,
    /// Scores below this are `IN_JEOPARDY` (0 to 100, below
    /// `healthyFrom`).
    jeopardy_below: Option<i32>,
    /// Weights to set (each kind at most once).
    weights: Option<Vec<SignalWeightInput>>,
    /// Put every weight back to its default first (default false).
    reset_weights: Option<bool>,
}

/// Result of `setHealthModel`.
#[derive(SimpleObject)]
pub struct HealthModelPayload {
    /// The model as it is now.
    health_model: HealthModel,
}

#[derive(Default)]
pub struct HealthMutation;

/// The tenant's health model (admins).
#[Object]
impl HealthMutation {
    /// Changes the tenant's health model (admins): the half-life, the
    /// band thresholds and the weights of the signal kinds.
    async fn set_health_model(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do; see the input type.")] input: SetHealthModelInput,
    ) -> Result<HealthModelPayload> {
        let p = principal(ctx)?;
        let patch = HealthModelPatch {
            half_life_days: input.half_life_days,
            healthy_from: input.healthy_from,
            jeopardy_below: input.jeopardy_below,
            weights: input
                .weights
                .unwrap_or_default()
                .into_iter()
                .map(|w| (w.kind.into(), w.weight))
                .collect(),
            reset_weights: input.reset_weights.unwrap_or(false),
        };
        let v = svc::set_model(&state(ctx)?.db, p, patch)
            .await
            .map_err(in_input)?;
        Ok(HealthModelPayload {
            health_model: HealthModel(v),
        })
    }
}
