//! Account health from evidence signals: the score, its band, its trend,
//! the drivers that moved it, and the heart, mind and wallet shares.
//!
//! # The score
//! Every signal counts with its kind's weight `w` (the tenant's health
//! model; 0 ignores the kind), decayed exponentially with its age: a
//! signal observed `a` days before the moment `t` weighs
//! `w * 2^(-a / half_life)` (default half-life 90 days: a quarter-old signal
//! counts half). With `P` the decayed weight of the positive signals and
//! `N` of the negative ones,
//!
//! `score = 100 * (P + 2) / (P + N + 4)`
//!
//! rounded to a whole number: 50 when the good and bad news balance, near
//! 100 (or 0) only when much recent evidence agrees. The `2` on each side is
//! a prior: one fresh signal cannot make an account perfect, and when the
//! evidence ages the score drifts back towards 50 (nothing recent is known).
//! An account without any signal has no score (`None`), never a made-up one.
//! Bands: `HEALTHY` from `healthy_from` (default 70), `IN_JEOPARDY` below
//! `jeopardy_below` (default 40), `WATCH` between.
//!
//! # Kept exact without a background rewrite
//! Every signal of a kind decays by the same factor over the same time, so
//! the stored state per account is, per kind, the sum of its signals'
//! decay factors at an anchor instant ([`Evidence`]). The state at any later
//! `t` is that sum times `2^(-(t - anchor) / half_life)`: one multiplication,
//! exact, whatever time has passed. Recording a signal moves the anchor to
//! now (multiplying the sums) and adds the new signal's factor; removing
//! one or changing the half-life recomputes the account's sums from its
//! signals. Weights and band thresholds apply at read time, so changing
//! them rewrites nothing.
//!
//! # Trend
//! The change of the rounded score against `d` days ago (30 and 90). The
//! state then is the state now minus the signals observed since (the
//! reader passes the last 90 days' signals), scaled back by `2^(d /
//! half_life)`; `None` when no signal existed then.
//!
//! # Drivers
//! A signal's contribution is the score now minus the score without it
//! (leave one out, in points: positive for good news); the drivers are the
//! signals with the largest contributions by size, newest first on ties.
//!
//! # Shares
//! Heart, mind and wallet share: the same formula over each dimension's
//! signals alone (`None` without any weighted signal of the dimension).

use crate::error::ValidationError;
use crate::signal::{Dimension, Polarity, SignalKind};
use crate::text_enum;
use chrono::{DateTime, Duration, Months, NaiveDate, TimeZone, Utc};

/// How many signal kinds there are (the per-kind arrays' length).
pub const KINDS: usize = 18;
/// Default half-life of a signal's weight, in days.
pub const DEFAULT_HALF_LIFE_DAYS: u16 = 90;
/// Default lowest score of `HEALTHY`.
pub const DEFAULT_HEALTHY_FROM: u8 = 70;
/// Default score below which an account is `IN_JEOPARDY`.
pub const DEFAULT_JEOPARDY_BELOW: u8 = 40;
/// The prior: weight counted on each side before any evidence.
pub const PRIOR: f64 = 2.0;
/// Shortest and longest half-life a model may set, in days.
pub const HALF_LIFE_DAYS: (u16, u16) = (7, 730);
/// Highest weight of a kind.
pub const MAX_WEIGHT: u8 = 10;
/// The windows of the trend, in days.
pub const TREND_DAYS: [i64; 2] = [30, 90];
/// Most points of a history.
pub const MAX_HISTORY_POINTS: usize = 366;

const SECONDS_PER_DAY: f64 = 86_400.0;

text_enum!(
    /// Where an account's health score stands.
    Band {
        /// At or above the healthy threshold.
        Healthy => "HEALTHY",
        /// Between the thresholds: watch it.
        Watch => "WATCH",
        /// Below the jeopardy threshold.
        InJeopardy => "IN_JEOPARDY",
    }
);

text_enum!(
    /// Where the score is heading: its change over the last 30 days.
    Trend {
        /// Up by [`TREND_POINTS`] or more.
        Rising => "RISING",
        /// Within [`TREND_POINTS`] of where it was.
        Steady => "STEADY",
        /// Down by [`TREND_POINTS`] or more.
        Falling => "FALLING",
    }
);

/// The change in points over 30 days that makes a trend rise or fall.
pub const TREND_POINTS: i16 = 5;

text_enum!(
    /// The step between the points of a health history.
    Interval {
        /// Every day.
        Day => "DAY",
        /// Every 7 days.
        Week => "WEEK",
        /// The same day of every month (the month's last day when shorter).
        Month => "MONTH",
    }
);

/// A tenant's health model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthModel {
    pub half_life_days: u16,
    /// Per kind, in [`SignalKind::ALL`] order.
    pub weights: [u8; KINDS],
    pub healthy_from: u8,
    pub jeopardy_below: u8,
}

impl Default for HealthModel {
    fn default() -> Self {
        let mut weights = [0; KINDS];
        for k in SignalKind::ALL {
            weights[k.index()] = k.info().default_weight;
        }
        HealthModel {
            half_life_days: DEFAULT_HALF_LIFE_DAYS,
            weights,
            healthy_from: DEFAULT_HEALTHY_FROM,
            jeopardy_below: DEFAULT_JEOPARDY_BELOW,
        }
    }
}

/// A change to a health model: absent values stay.
#[derive(Debug, Clone, Default)]
pub struct HealthModelPatch {
    pub half_life_days: Option<i32>,
    pub healthy_from: Option<i32>,
    pub jeopardy_below: Option<i32>,
    /// Weights to set, by kind.
    pub weights: Vec<(SignalKind, i32)>,
    /// Put every weight back to its default first.
    pub reset_weights: bool,
}

impl HealthModel {
    /// The weight of a kind.
    pub fn weight(&self, k: SignalKind) -> u8 {
        self.weights[k.index()]
    }

    /// Applies a change (nothing changes on an error). Returns whether the
    /// half-life changed (the stored evidence must then be recomputed).
    pub fn apply(&mut self, p: HealthModelPatch) -> Result<bool, ValidationError> {
        let mut n = self.clone();
        if let Some(h) = p.half_life_days {
            let (lo, hi) = HALF_LIFE_DAYS;
            n.half_life_days = u16::try_from(h)
                .ok()
                .filter(|h| (lo..=hi).contains(h))
                .ok_or_else(|| {
                    ValidationError::new(
                        "halfLifeDays",
                        format!("must be between {lo} and {hi} days"),
                    )
                })?;
        }
        let percent = |field: &str, v: i32, lo: i32| {
            u8::try_from(v)
                .ok()
                .filter(|v| i32::from(*v) >= lo && *v <= 100)
                .ok_or_else(|| ValidationError::new(field, format!("must be between {lo} and 100")))
        };
        if let Some(v) = p.healthy_from {
            n.healthy_from = percent("healthyFrom", v, 1)?;
        }
        if let Some(v) = p.jeopardy_below {
            n.jeopardy_below = percent("jeopardyBelow", v, 0)?;
        }
        if n.jeopardy_below >= n.healthy_from {
            return Err(ValidationError::new(
                "jeopardyBelow",
                "must be below healthyFrom",
            ));
        }
        if p.reset_weights {
            n.weights = HealthModel::default().weights;
        }
        let mut seen = [false; KINDS];
        for (i, (k, w)) in p.weights.into_iter().enumerate() {
            let field = format!("weights.{i}.weight");
            if std::mem::replace(&mut seen[k.index()], true) {
                return Err(ValidationError::new(
                    format!("weights.{i}.kind"),
                    "is given twice",
                ));
            }
            n.weights[k.index()] = u8::try_from(w)
                .ok()
                .filter(|w| *w <= MAX_WEIGHT)
                .ok_or_else(|| {
                    ValidationError::new(field, format!("must be between 0 and {MAX_WEIGHT}"))
                })?;
        }
        let half_life_changed = n.half_life_days != self.half_life_days;
        *self = n;
        Ok(half_life_changed)
    }

    /// The band of a score.
    pub fn band(&self, score: u8) -> Band {
        if score >= self.healthy_from {
            Band::Healthy
        } else if score < self.jeopardy_below {
            Band::InJeopardy
        } else {
            Band::Watch
        }
    }
}

/// The factor a weight has decayed by from `from` to `to`.
pub fn decay(half_life_days: u16, from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let age_days = (to - from).num_milliseconds() as f64 / 1000.0 / SECONDS_PER_DAY;
    (-age_days / f64::from(half_life_days.max(1))).exp2()
}

/// An account's stored evidence: per kind, the sum of its signals' decay
/// factors at `anchor`; how many live signals there are and the newest.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub anchor: DateTime<Utc>,
    pub sums: [f64; KINDS],
    pub count: u64,
    pub last_at: Option<DateTime<Utc>>,
}

impl Evidence {
    /// No evidence.
    pub fn empty(anchor: DateTime<Utc>) -> Self {
        Evidence {
            anchor,
            sums: [0.0; KINDS],
            count: 0,
            last_at: None,
        }
    }

    /// Adds a signal at `now`: the anchor moves to the latest of the
    /// anchor, now and the signal's time, the sums with it.
    pub fn add(
        &mut self,
        half_life_days: u16,
        kind: SignalKind,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) {
        let anchor = self.anchor.max(now).max(at);
        if anchor != self.anchor {
            let f = decay(half_life_days, self.anchor, anchor);
            for s in &mut self.sums {
                *s *= f;
            }
            self.anchor = anchor;
        }
        self.sums[kind.index()] += decay(half_life_days, at, anchor);
        self.count += 1;
        self.last_at = Some(self.last_at.map_or(at, |l| l.max(at)));
    }

    /// The evidence of these signals, anchored at `now` (or the newest
    /// signal's time when later).
    pub fn of(
        half_life_days: u16,
        signals: impl IntoIterator<Item = (SignalKind, DateTime<Utc>)>,
        now: DateTime<Utc>,
    ) -> Self {
        let mut e = Evidence::empty(now);
        for (k, at) in signals {
            e.add(half_life_days, k, at, now);
        }
        e
    }

    /// The per-kind sums decayed to `t`.
    pub fn at(&self, half_life_days: u16, t: DateTime<Utc>) -> [f64; KINDS] {
        let f = decay(half_life_days, self.anchor, t);
        self.sums.map(|s| s * f)
    }
}

/// Weighted, decayed evidence per dimension: positive and negative.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Masses {
    pub positive: [f64; 3],
    pub negative: [f64; 3],
}

impl Masses {
    /// The masses of per-kind sums under a model's weights.
    pub fn of(model: &HealthModel, sums: &[f64; KINDS]) -> Self {
        let mut m = Masses::default();
        for k in SignalKind::ALL {
            let info = k.info();
            let v = sums[k.index()].max(0.0) * f64::from(model.weight(*k));
            let side = match info.polarity {
                Polarity::Positive => &mut m.positive,
                Polarity::Negative => &mut m.negative,
            };
            side[info.dimension.index()] += v;
        }
        m
    }

    /// All positive weight.
    pub fn positive(&self) -> f64 {
        self.positive.iter().sum()
    }

    /// All negative weight.
    pub fn negative(&self) -> f64 {
        self.negative.iter().sum()
    }

    /// The score of all dimensions.
    pub fn score(&self) -> f64 {
        score(self.positive(), self.negative())
    }
}

/// The score (unrounded) of positive and negative weight.
pub fn score(positive: f64, negative: f64) -> f64 {
    100.0 * (positive + PRIOR) / (positive + negative + 2.0 * PRIOR)
}

/// A score as shown: a whole number from 0 to 100.
pub fn rounded(score: f64) -> u8 {
    // In 0..=100 by construction; clamped against rounding at the ends.
    score.round().clamp(0.0, 100.0) as u8
}

/// An account's health at a moment.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    pub score: u8,
    pub band: Band,
    /// Change of the score against 30 and 90 days before ([`TREND_DAYS`]).
    pub change: [Option<i16>; 2],
    /// The decayed weight behind the score.
    pub evidence_weight: f64,
}

impl Health {
    /// The trend: from the 30-day change (`None` without evidence then).
    pub fn trend(&self) -> Option<Trend> {
        self.change[0].map(|c| {
            if c >= TREND_POINTS {
                Trend::Rising
            } else if c <= -TREND_POINTS {
                Trend::Falling
            } else {
                Trend::Steady
            }
        })
    }
}

/// An account's health at `t` from its stored evidence and `recent`, every
/// live signal observed in the 90 days up to `t` (for the trend). `None`
/// without evidence.
pub fn health(
    model: &HealthModel,
    ev: &Evidence,
    recent: &[(SignalKind, DateTime<Utc>)],
    t: DateTime<Utc>,
) -> Option<Health> {
    if ev.count == 0 {
        return None;
    }
    let h = model.half_life_days;
    let now = ev.at(h, t);
    let masses = Masses::of(model, &now);
    let score_now = rounded(masses.score());
    let change = TREND_DAYS.map(|days| {
        let past = t - Duration::days(days);
        let mut sums = now;
        let mut since = 0u64;
        for (k, at) in recent.iter().filter(|(_, at)| *at > past && *at <= t) {
            sums[k.index()] -= decay(h, *at, t);
            since += 1;
        }
        if since >= ev.count {
            return None;
        }
        let back = decay(h, past, t).recip();
        let then = sums.map(|s| s.max(0.0) * back);
        let score_then = rounded(Masses::of(model, &then).score());
        Some(i16::from(score_now) - i16::from(score_then))
    });
    Some(Health {
        score: score_now,
        band: model.band(score_now),
        change,
        evidence_weight: masses.positive() + masses.negative(),
    })
}

/// The weights of a model as the portfolio's read applies them, per kind
/// in [`SignalKind::ALL`] order: whether the kind is good news, its weight.
pub fn signed_weights(model: &HealthModel) -> [(bool, f64); KINDS] {
    let mut out = [(true, 0.0); KINDS];
    for k in SignalKind::ALL {
        out[k.index()] = (
            k.info().polarity == Polarity::Positive,
            f64::from(model.weight(*k)),
        );
    }
    out
}

/// The score and band at `t` from the weighted masses at `anchor` (the
/// positive and negative sums of weight times decay sum, as
/// [`Masses::of`] makes them): both decay alike from the anchor, so this is
/// [`score_of`] without the per-kind sums. `None` without evidence.
pub fn score_of_masses(
    model: &HealthModel,
    (positive, negative): (f64, f64),
    anchor: DateTime<Utc>,
    count: u64,
    t: DateTime<Utc>,
) -> Option<(u8, Band)> {
    (count > 0).then(|| {
        let f = decay(model.half_life_days, anchor, t);
        let s = rounded(score(positive * f, negative * f));
        (s, model.band(s))
    })
}

/// The score and band at `t` from the stored evidence alone (no trend);
/// `None` without evidence.
pub fn score_of(model: &HealthModel, ev: &Evidence, t: DateTime<Utc>) -> Option<(u8, Band)> {
    (ev.count > 0).then(|| {
        let s = rounded(Masses::of(model, &ev.at(model.half_life_days, t)).score());
        (s, model.band(s))
    })
}

/// Heart, mind and wallet share at `t` (by [`Dimension::index`]).
pub fn shares(model: &HealthModel, ev: &Evidence, t: DateTime<Utc>) -> [Option<u8>; 3] {
    let m = Masses::of(model, &ev.at(model.half_life_days, t));
    [Dimension::Heart, Dimension::Mind, Dimension::Wallet].map(|d| {
        let (p, n) = (m.positive[d.index()], m.negative[d.index()]);
        (p + n > 0.0).then(|| rounded(score(p, n)))
    })
}

/// A signal's part in the score.
#[derive(Debug, Clone, PartialEq)]
pub struct Driver {
    /// The signal's index in the list given.
    pub index: usize,
    /// Points the score has because of it (leave one out).
    pub contribution: f64,
    /// Its weight now, decayed.
    pub weight: f64,
}

/// The `n` signals that moved the score most at `t`, from every live
/// signal of the account (signals after `t` do not count).
pub fn drivers(
    model: &HealthModel,
    signals: &[(SignalKind, DateTime<Utc>)],
    t: DateTime<Utc>,
    n: usize,
) -> Vec<Driver> {
    let h = model.half_life_days;
    let counted = || signals.iter().enumerate().filter(|(_, (_, at))| *at <= t);
    let (mut p, mut q) = (0.0, 0.0);
    let mut weights = Vec::with_capacity(signals.len());
    for (i, (k, at)) in counted() {
        let w = f64::from(model.weight(*k)) * decay(h, *at, t);
        match k.info().polarity {
            Polarity::Positive => p += w,
            Polarity::Negative => q += w,
        }
        weights.push((i, w));
    }
    let full = score(p, q);
    let mut out: Vec<Driver> = weights
        .into_iter()
        .filter(|(_, w)| *w > 0.0)
        .map(|(i, w)| {
            let without = match signals[i].0.info().polarity {
                Polarity::Positive => score((p - w).max(0.0), q),
                Polarity::Negative => score(p, (q - w).max(0.0)),
            };
            Driver {
                index: i,
                contribution: full - without,
                weight: w,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.contribution
            .abs()
            .total_cmp(&a.contribution.abs())
            .then(signals[b.index].1.cmp(&signals[a.index].1))
            .then(a.index.cmp(&b.index))
    });
    out.truncate(n);
    out
}

/// The dates of a history from `from` to `to` (inclusive), a step apart,
/// each with the moment its score is taken: the end of that day in `tz`.
pub fn history_points<Tz: TimeZone>(
    from: NaiveDate,
    to: NaiveDate,
    interval: Interval,
    tz: &Tz,
) -> Result<Vec<(NaiveDate, DateTime<Utc>)>, ValidationError> {
    if to < from {
        return Err(ValidationError::new("to", "must not be before from"));
    }
    let mut out = Vec::new();
    let mut i: u32 = 0;
    loop {
        let d = match interval {
            Interval::Day => from.checked_add_signed(Duration::days(i64::from(i))),
            Interval::Week => from.checked_add_signed(Duration::days(7 * i64::from(i))),
            Interval::Month => from.checked_add_months(Months::new(i)),
        };
        let Some(d) = d.filter(|d| *d <= to) else {
            break;
        };
        if out.len() == MAX_HISTORY_POINTS {
            return Err(ValidationError::new(
                "to",
                format!("gives more than {MAX_HISTORY_POINTS} points; choose a longer interval"),
            ));
        }
        let end = d
            .succ_opt()
            .unwrap_or(d)
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default();
        let at = tz
            .from_local_datetime(&end)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&end));
        out.push((d, at));
        i += 1;
    }
    Ok(out)
}

/// [`history_points`] in a tenant's time zone (an IANA name; UTC when
/// unknown).
pub fn history_points_in(
    from: NaiveDate,
    to: NaiveDate,
    interval: Interval,
    time_zone: &str,
) -> Result<Vec<(NaiveDate, DateTime<Utc>)>, ValidationError> {
    match time_zone.parse::<chrono_tz::Tz>() {
        Ok(tz) => history_points(from, to, interval, &tz),
        Err(_) => history_points(from, to, interval, &Utc),
    }
}

/// The score at each moment of `points` (ascending) from the signals
/// observed up to it; `None` where none was.
pub fn history(
    model: &HealthModel,
    signals: &[(SignalKind, DateTime<Utc>)],
    points: &[DateTime<Utc>],
) -> Vec<Option<u8>> {
    let h = model.half_life_days;
    let mut sorted: Vec<_> = signals.to_vec();
    sorted.sort_by_key(|(_, at)| *at);
    let mut next = 0;
    let mut ev = Evidence::empty(points.first().copied().unwrap_or_else(Utc::now));
    points
        .iter()
        .map(|t| {
            while next < sorted.len() && sorted[next].1 <= *t {
                let (k, at) = sorted[next];
                ev.add(h, k, at, at);
                next += 1;
            }
            (ev.count > 0).then(|| rounded(Masses::of(model, &ev.at(h, *t)).score()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use SignalKind::*;

    fn day(n: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap() + Duration::days(n)
    }

    #[test]
    fn a_weight_halves_every_half_life() {
        assert!((decay(90, day(0), day(90)) - 0.5).abs() < 1e-12);
        assert!((decay(90, day(0), day(180)) - 0.25).abs() < 1e-12);
        assert!((decay(30, day(0), day(0)) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn no_history_has_no_score() {
        let m = HealthModel::default();
        let ev = Evidence::empty(day(0));
        assert_eq!(health(&m, &ev, &[], day(1)), None);
        assert_eq!(shares(&m, &ev, day(1)), [None, None, None]);
        assert!(drivers(&m, &[], day(1), 5).is_empty());
        assert_eq!(history(&m, &[], &[day(1)]), vec![None]);
    }

    #[test]
    fn balanced_evidence_is_fifty_and_one_signal_is_not_perfect() {
        let m = HealthModel::default();
        // A tie: equal weight on both sides.
        let ev = Evidence::of(
            90,
            [(MeetingAccepted, day(0)), (MeetingDeclined, day(0))],
            day(0),
        );
        let h = health(&m, &ev, &[], day(0)).unwrap();
        assert_eq!((h.score, h.band), (50, Band::Watch));
        // One fresh reference (weight 5): (5 + 2) / (5 + 4) = 78.
        let ev = Evidence::of(90, [(ReferenceGiven, day(0))], day(0));
        assert_eq!(health(&m, &ev, &[], day(0)).unwrap().score, 78);
        assert_eq!(score_of(&m, &ev, day(0)), Some((78, Band::Healthy)));
        assert_eq!(score_of(&m, &Evidence::empty(day(0)), day(0)), None);
        // An escalation (4): 2 / 8 = 25, in jeopardy.
        let ev = Evidence::of(90, [(Escalation, day(0))], day(0));
        let h = health(&m, &ev, &[], day(0)).unwrap();
        assert_eq!((h.score, h.band), (25, Band::InJeopardy));
    }

    #[test]
    fn old_evidence_drifts_back_to_fifty() {
        let m = HealthModel::default();
        let ev = Evidence::of(90, [(ReferenceGiven, day(0))], day(0));
        // After one half-life the reference weighs 2.5: 4.5 / 6.5 = 69.
        assert_eq!(health(&m, &ev, &[], day(90)).unwrap().score, 69);
        assert_eq!(health(&m, &ev, &[], day(3650)).unwrap().score, 50);
    }

    #[test]
    fn the_masses_score_as_the_per_kind_sums_do() {
        let mut model = HealthModel::default();
        model.weights[SignalKind::Escalation.index()] = 9;
        let signals = [
            (SignalKind::MeetingAccepted, day(-200)),
            (SignalKind::Escalation, day(-40)),
            (SignalKind::AdviceSought, day(-3)),
            (SignalKind::ScopeReduced, day(-1)),
            (SignalKind::ReferenceGiven, day(-100)),
        ];
        let ev = Evidence::of(model.half_life_days, signals, day(0));
        let m = Masses::of(&model, &ev.sums);
        let w = signed_weights(&model);
        let (p, n) = SignalKind::ALL.iter().fold((0.0, 0.0), |(p, n), k| {
            let (good, weight) = w[k.index()];
            let v = weight * ev.sums[k.index()];
            if good { (p + v, n) } else { (p, n + v) }
        });
        assert!((p - m.positive()).abs() < 1e-9 && (n - m.negative()).abs() < 1e-9);
        for t in [day(0), day(30), day(400)] {
            assert_eq!(
                score_of_masses(&model, (p, n), ev.anchor, ev.count, t),
                score_of(&model, &ev, t)
            );
        }
        assert_eq!(score_of_masses(&model, (0.0, 0.0), day(0), 0, day(0)), None);
    }

    #[test]
    fn weights_change_the_score_and_zero_ignores_a_kind() {
        let mut m = HealthModel::default();
        let ev = Evidence::of(90, [(CallReturned, day(0)), (ScopeReduced, day(0))], day(0));
        // 1 good, 5 bad: 3 / 10 = 30.
        assert_eq!(health(&m, &ev, &[], day(0)).unwrap().score, 30);
        m.apply(HealthModelPatch {
            weights: vec![(ScopeReduced, 0), (CallReturned, 10)],
            ..Default::default()
        })
        .unwrap();
        // 10 good, nothing bad: 12 / 14 = 86.
        assert_eq!(health(&m, &ev, &[], day(0)).unwrap().score, 86);
        // No weighted wallet evidence left: no wallet share.
        assert_eq!(shares(&m, &ev, day(0))[Dimension::Wallet.index()], None);
        assert_eq!(shares(&m, &ev, day(0))[Dimension::Heart.index()], Some(86));
    }

    #[test]
    fn adding_signals_one_by_one_equals_computing_from_scratch() {
        let signals = [
            (AdviceSought, day(3)),
            (EmailIgnored, day(40)),
            (ScopeExpanded, day(10)),
            (MeetingDeclined, day(200)),
        ];
        let mut inc = Evidence::empty(day(0));
        for (i, (k, at)) in signals.iter().enumerate() {
            // Recorded at different moments, some backdated.
            inc.add(90, *k, *at, day(100 + i as i64 * 50));
        }
        let scratch = Evidence::of(90, signals, day(300));
        let (a, b) = (inc.at(90, day(400)), scratch.at(90, day(400)));
        for i in 0..KINDS {
            assert!((a[i] - b[i]).abs() < 1e-12, "{i}: {} vs {}", a[i], b[i]);
        }
        assert_eq!(inc.count, 4);
        assert_eq!(inc.last_at, Some(day(200)));
    }

    #[test]
    fn trend_compares_with_the_score_as_it_was() {
        let m = HealthModel::default();
        let old = [(ReferenceGiven, day(0))];
        let all = [
            (ReferenceGiven, day(0)),
            (Escalation, day(100)),
            (ScopeReduced, day(110)),
        ];
        let ev = Evidence::of(90, all, day(120));
        let t = day(120);
        let recent: Vec<_> = all
            .iter()
            .copied()
            .filter(|(_, at)| *at > t - Duration::days(90))
            .collect();
        let h = health(&m, &ev, &recent, t).unwrap();
        let then = |d: i64| {
            let e = Evidence::of(
                90,
                all.iter().copied().filter(|(_, at)| *at <= day(d)),
                day(d),
            );
            health(&m, &e, &[], day(d)).unwrap().score
        };
        assert_eq!(h.change[0], Some(i16::from(h.score) - i16::from(then(90))));
        assert!(h.change[0].unwrap() <= -TREND_POINTS);
        assert_eq!(h.trend(), Some(Trend::Falling));
        // 90 days before there was only the reference.
        let e = Evidence::of(90, old, day(30));
        assert_eq!(
            h.change[1],
            Some(i16::from(h.score) - i16::from(health(&m, &e, &[], day(30)).unwrap().score))
        );
        // Nothing before the window: no trend.
        let ev = Evidence::of(90, [(Escalation, day(100))], day(120));
        let h = health(&m, &ev, &[(Escalation, day(100))], day(120)).unwrap();
        assert_eq!(h.change, [None, None]);
        assert_eq!(h.trend(), None);
    }

    #[test]
    fn drivers_are_the_largest_contributions_newest_first_on_ties() {
        let m = HealthModel::default();
        let s = [
            (CallReturned, day(10)),
            (ScopeReduced, day(50)),
            (MeetingAccepted, day(60)),
            (MeetingAccepted, day(60)),
            (ReferenceGiven, day(-200)),
        ];
        let d = drivers(&m, &s, day(60), 3);
        assert_eq!(d[0].index, 1);
        assert!(d[0].contribution < 0.0);
        // The two equal meetings tie: input order.
        assert_eq!((d[1].index, d[2].index), (2, 3));
        assert!(d[1].contribution > 0.0);
        assert!((d[1].contribution - d[2].contribution).abs() < 1e-12);
        // A signal after `t` does not count.
        assert!(drivers(&m, &s, day(5), 5).iter().all(|d| d.index == 4));
    }

    #[test]
    fn history_scores_what_was_known_at_each_point() {
        let m = HealthModel::default();
        let s = [(Escalation, day(10)), (ReferenceGiven, day(100))];
        let h = history(&m, &s, &[day(5), day(10), day(60), day(100)]);
        assert_eq!(h[0], None);
        assert_eq!(h[1], Some(25));
        assert!(h[2].unwrap() > 25);
        let e = Evidence::of(90, s, day(100));
        assert_eq!(h[3], Some(health(&m, &e, &[], day(100)).unwrap().score));
        let pts = history_points(
            NaiveDate::from_ymd_opt(2026, 1, 31).unwrap(),
            NaiveDate::from_ymd_opt(2026, 4, 30).unwrap(),
            Interval::Month,
            &Utc,
        )
        .unwrap();
        let dates: Vec<_> = pts.iter().map(|p| p.0.to_string()).collect();
        assert_eq!(
            dates,
            ["2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30"]
        );
        assert_eq!(pts[0].1, Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap());
        let err = history_points(
            NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            Interval::Day,
            &Utc,
        )
        .unwrap_err();
        assert_eq!(err.field, "to");
    }

    #[test]
    fn model_changes_are_validated_and_atomic() {
        let mut m = HealthModel::default();
        let before = m.clone();
        let e = m
            .apply(HealthModelPatch {
                half_life_days: Some(30),
                weights: vec![(Escalation, 11)],
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "weights.0.weight");
        assert_eq!(m, before);
        let e = m
            .apply(HealthModelPatch {
                jeopardy_below: Some(80),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "jeopardyBelow");
        assert_eq!(
            m.apply(HealthModelPatch {
                half_life_days: Some(6),
                ..Default::default()
            })
            .unwrap_err()
            .field,
            "halfLifeDays"
        );
        let e = m
            .apply(HealthModelPatch {
                weights: vec![(Escalation, 1), (Escalation, 2)],
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "weights.1.kind");
        assert!(
            m.apply(HealthModelPatch {
                half_life_days: Some(30),
                ..Default::default()
            })
            .unwrap()
        );
        assert!(
            !m.apply(HealthModelPatch {
                weights: vec![(Escalation, 9)],
                ..Default::default()
            })
            .unwrap()
        );
        assert_eq!(m.weight(Escalation), 9);
        m.apply(HealthModelPatch {
            reset_weights: true,
            ..Default::default()
        })
        .unwrap();
        assert_eq!(m.weights, HealthModel::default().weights);
        assert_eq!(m.half_life_days, 30);
    }
}
