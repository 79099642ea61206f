//! Accounts in jeopardy: the rules that raise alerts, with each tenant's
//! thresholds (documented defaults below), and the alert's life (open,
//! acknowledged, resolved; one open alert per account and rule).
//!
//! The rules, evaluated for active and at-risk accounts (not prospects,
//! churned or archived ones):
//!
//! - `LOW_HEALTH`: the health score is below `healthBelow` (default 40).
//! - `HEALTH_DROP`: the score fell by `dropPoints` or more over 30 days
//!   (default 15).
//! - `NO_COACH`: no active contact is a coach (the evidence names a coach
//!   who left the company).
//! - `DECISION_MAKER_LEFT`: an economic buyer or decision maker left the
//!   company and no active contact holds that buying role.
//! - `RENEWAL_AT_RISK`: an undecided contract (`OPEN`, `IN_NEGOTIATION`)
//!   renews within `renewalWindowDays` (default 90) and the signals of the
//!   last `renewalSignalDays` (default 60) are net negative (their
//!   weights, undecayed, bad news outweighing good).
//! - `NO_RECENT_ACTIVITY`: no activity for longer than the tier's cadence
//!   (defaults: `STRATEGIC` 30 days, `KEY` 45, `GROWTH` 60, `MAINTAIN` 90);
//!   an account younger than its cadence is not judged.

use crate::account::Tier;
use crate::contact::{BuyingRole, ContactStatus};
use crate::error::ValidationError;
use crate::health::Health;
use crate::text_enum;
use chrono::{DateTime, Duration, NaiveDate, Utc};

text_enum!(
    /// Why an account is in jeopardy.
    AlertRule {
        /// The health score is below the threshold.
        LowHealth => "LOW_HEALTH",
        /// The health score fell sharply over 30 days.
        HealthDrop => "HEALTH_DROP",
        /// No active coach.
        NoCoach => "NO_COACH",
        /// A key decision maker left and was not replaced.
        DecisionMakerLeft => "DECISION_MAKER_LEFT",
        /// A renewal is near and recent signals are net negative.
        RenewalAtRisk => "RENEWAL_AT_RISK",
        /// No activity for longer than the tier's cadence.
        NoRecentActivity => "NO_RECENT_ACTIVITY",
    }
);

text_enum!(
    /// Where an alert stands.
    AlertStatus {
        /// Raised, nobody has taken it yet.
        Open => "OPEN",
        /// Someone is on it.
        Acknowledged => "ACKNOWLEDGED",
        /// Handled; the rule may raise a new alert if it still holds.
        Resolved => "RESOLVED",
    }
);

impl AlertRule {
    /// The rules that read the evidence signals (run when signals change).
    pub const SIGNALS: &'static [AlertRule] = &[
        AlertRule::LowHealth,
        AlertRule::HealthDrop,
        AlertRule::RenewalAtRisk,
    ];
    /// The rules that read the contacts (run when contacts change).
    pub const CONTACTS: &'static [AlertRule] = &[AlertRule::NoCoach, AlertRule::DecisionMakerLeft];
}

/// A tenant's thresholds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertSettings {
    pub health_below: u8,
    pub drop_points: u8,
    pub renewal_window_days: u16,
    pub renewal_signal_days: u16,
    /// Days without activity per tier, in [`Tier`] declaration order.
    pub cadence_days: [u16; 4],
}

impl Default for AlertSettings {
    fn default() -> Self {
        AlertSettings {
            health_below: 40,
            drop_points: 15,
            renewal_window_days: 90,
            renewal_signal_days: 60,
            cadence_days: [30, 45, 60, 90],
        }
    }
}

fn tier_index(t: Tier) -> usize {
    Tier::ALL.iter().position(|x| *x == t).unwrap_or(0)
}

/// A change to the thresholds: absent values stay.
#[derive(Debug, Clone, Default)]
pub struct AlertSettingsPatch {
    pub health_below: Option<i32>,
    pub drop_points: Option<i32>,
    pub renewal_window_days: Option<i32>,
    pub renewal_signal_days: Option<i32>,
    pub cadence_days: Vec<(Tier, i32)>,
}

impl AlertSettings {
    /// The cadence of a tier, in days.
    pub fn cadence(&self, t: Tier) -> u16 {
        self.cadence_days[tier_index(t)]
    }

    /// Applies a change (nothing changes on an error).
    pub fn apply(&mut self, p: AlertSettingsPatch) -> Result<(), ValidationError> {
        let mut n = self.clone();
        let range = |field: &str, v: i32, lo: i32, hi: i32| {
            if (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(ValidationError::new(
                    field,
                    format!("must be between {lo} and {hi}"),
                ))
            }
        };
        // The ranges keep each value in its type.
        if let Some(v) = p.health_below {
            n.health_below = range("healthBelow", v, 1, 100)? as u8;
        }
        if let Some(v) = p.drop_points {
            n.drop_points = range("dropPoints", v, 1, 100)? as u8;
        }
        if let Some(v) = p.renewal_window_days {
            n.renewal_window_days = range("renewalWindowDays", v, 1, 730)? as u16;
        }
        if let Some(v) = p.renewal_signal_days {
            n.renewal_signal_days = range("renewalSignalDays", v, 1, 90)? as u16;
        }
        let mut seen = [false; 4];
        for (i, (t, d)) in p.cadence_days.into_iter().enumerate() {
            if std::mem::replace(&mut seen[tier_index(t)], true) {
                return Err(ValidationError::new(
                    format!("cadences.{i}.tier"),
                    "is given twice",
                ));
            }
            n.cadence_days[tier_index(t)] = range(&format!("cadences.{i}.days"), d, 1, 730)? as u16;
        }
        *self = n;
        Ok(())
    }
}

/// A contact as the rules see it.
#[derive(Debug, Clone)]
pub struct KeyContact {
    pub name: String,
    pub role: Option<BuyingRole>,
    pub status: ContactStatus,
}

/// An undecided contract renewal.
#[derive(Debug, Clone)]
pub struct Renewal {
    pub contract: String,
    pub date: NaiveDate,
}

/// What the rules know of one account.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Its health now (`None` without evidence).
    pub health: Option<Health>,
    pub contacts: Vec<KeyContact>,
    /// Undecided renewals.
    pub renewals: Vec<Renewal>,
    /// The signals of the recent window: (weight, positive).
    pub recent_signals: Vec<(u8, bool)>,
    /// The newest live activity.
    pub last_activity: Option<DateTime<Utc>>,
    pub tier: Option<Tier>,
    pub created_at: Option<DateTime<Utc>>,
}

/// The rules of `rules` that hold for an account, each with its evidence
/// in words, on `today` (the tenant's date) at `now`.
pub fn evaluate(
    s: &AlertSettings,
    f: &Facts,
    rules: &[AlertRule],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<(AlertRule, String)> {
    let mut out = Vec::new();
    for rule in rules {
        let fired = match rule {
            AlertRule::LowHealth => f.health.as_ref().and_then(|h| {
                (h.score < s.health_below).then(|| {
                    format!(
                        "Health score {} is below {} ({}).",
                        h.score,
                        s.health_below,
                        h.band.as_str()
                    )
                })
            }),
            AlertRule::HealthDrop => f.health.as_ref().and_then(|h| {
                h.change[0]
                    .filter(|c| *c <= -i16::from(s.drop_points))
                    .map(|c| {
                        format!(
                            "Health score fell {} points in 30 days, to {}.",
                            -c, h.score
                        )
                    })
            }),
            AlertRule::NoCoach => {
                let active = |c: &&KeyContact| c.status == ContactStatus::Active;
                let coaches: Vec<&KeyContact> = f
                    .contacts
                    .iter()
                    .filter(|c| c.role == Some(BuyingRole::Coach))
                    .collect();
                if coaches.iter().any(active) {
                    None
                } else if let Some(left) = coaches.first() {
                    Some(format!(
                        "The coach {} left the company; no other coach.",
                        left.name
                    ))
                } else {
                    Some("No contact is a coach.".to_owned())
                }
            }
            AlertRule::DecisionMakerLeft => {
                let left: Vec<&KeyContact> = f
                    .contacts
                    .iter()
                    .filter(|c| {
                        c.status == ContactStatus::LeftCompany
                            && matches!(
                                c.role,
                                Some(BuyingRole::EconomicBuyer | BuyingRole::DecisionMaker)
                            )
                            && !f
                                .contacts
                                .iter()
                                .any(|o| o.status == ContactStatus::Active && o.role == c.role)
                    })
                    .collect();
                (!left.is_empty()).then(|| {
                    let names: Vec<String> = left
                        .iter()
                        .map(|c| {
                            format!(
                                "{} ({})",
                                c.name,
                                c.role.map(BuyingRole::as_str).unwrap_or_default()
                            )
                        })
                        .collect();
                    format!("Left the company, not replaced: {}.", names.join(", "))
                })
            }
            AlertRule::RenewalAtRisk => {
                let until = today + Duration::days(i64::from(s.renewal_window_days));
                let near = f
                    .renewals
                    .iter()
                    .filter(|r| r.date >= today && r.date <= until)
                    .min_by_key(|r| r.date);
                let net: i64 = f
                    .recent_signals
                    .iter()
                    .map(|(w, good)| if *good { i64::from(*w) } else { -i64::from(*w) })
                    .sum();
                near.filter(|_| net < 0).map(|r| {
                    format!(
                        "{} renews on {} and the signals of the last {} days are net negative ({net}).",
                        r.contract, r.date, s.renewal_signal_days
                    )
                })
            }
            AlertRule::NoRecentActivity => f.tier.and_then(|t| {
                let days = i64::from(s.cadence(t));
                let limit = now - Duration::days(days);
                let young = f.created_at.is_some_and(|c| c > limit);
                match f.last_activity {
                    Some(at) if at >= limit => None,
                    _ if young => None,
                    Some(at) => Some(format!(
                        "No activity for {} days (the {} cadence is {days} days).",
                        (now - at).num_days(),
                        t.as_str()
                    )),
                    None => Some(format!(
                        "No activity logged (the {} cadence is {days} days).",
                        t.as_str()
                    )),
                }
            }),
        };
        if let Some(evidence) = fired {
            out.push((*rule, evidence));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::health::Band;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 6, 1, 12, 0, 0).unwrap()
    }

    fn health(score: u8, change30: Option<i16>) -> Health {
        Health {
            score,
            band: Band::Watch,
            change: [change30, None],
            evidence_weight: 1.0,
        }
    }

    fn contact(name: &str, role: BuyingRole, status: ContactStatus) -> KeyContact {
        KeyContact {
            name: name.into(),
            role: Some(role),
            status,
        }
    }

    fn fired(f: &Facts) -> Vec<AlertRule> {
        evaluate(
            &AlertSettings::default(),
            f,
            AlertRule::ALL,
            now().date_naive(),
            now(),
        )
        .into_iter()
        .map(|(r, _)| r)
        .collect()
    }

    fn healthy() -> Facts {
        Facts {
            health: Some(health(60, Some(-3))),
            contacts: vec![contact(
                "Cat Coach",
                BuyingRole::Coach,
                ContactStatus::Active,
            )],
            last_activity: Some(now() - Duration::days(3)),
            tier: Some(Tier::Strategic),
            created_at: Some(now() - Duration::days(400)),
            ..Default::default()
        }
    }

    #[test]
    fn a_healthy_account_raises_nothing_and_no_evidence_is_not_low_health() {
        assert!(fired(&healthy()).is_empty());
        let f = Facts {
            health: None,
            ..healthy()
        };
        assert!(fired(&f).is_empty());
    }

    #[test]
    fn health_rules_use_the_thresholds() {
        let f = Facts {
            health: Some(health(39, Some(-15))),
            ..healthy()
        };
        assert_eq!(fired(&f), vec![AlertRule::LowHealth, AlertRule::HealthDrop]);
        let f = Facts {
            health: Some(health(40, Some(-14))),
            ..healthy()
        };
        assert!(fired(&f).is_empty());
    }

    #[test]
    fn coaches_and_decision_makers() {
        let mut f = healthy();
        f.contacts = vec![
            contact("Cat Coach", BuyingRole::Coach, ContactStatus::LeftCompany),
            contact(
                "Dan Decider",
                BuyingRole::DecisionMaker,
                ContactStatus::LeftCompany,
            ),
        ];
        let got = evaluate(
            &AlertSettings::default(),
            &f,
            AlertRule::CONTACTS,
            now().date_naive(),
            now(),
        );
        assert_eq!(got[0].0, AlertRule::NoCoach);
        assert!(got[0].1.contains("Cat Coach left"));
        assert_eq!(got[1].0, AlertRule::DecisionMakerLeft);
        assert!(got[1].1.contains("Dan Decider (DECISION_MAKER)"));
        // Replaced: no alert.
        f.contacts.push(contact(
            "Dee New",
            BuyingRole::DecisionMaker,
            ContactStatus::Active,
        ));
        assert_eq!(fired(&f), vec![AlertRule::NoCoach]);
    }

    #[test]
    fn a_near_renewal_with_net_negative_signals() {
        let mut f = healthy();
        f.renewals = vec![Renewal {
            contract: "Freight 2026".into(),
            date: now().date_naive() + Duration::days(80),
        }];
        f.recent_signals = vec![(5, true), (4, false), (2, false)];
        assert_eq!(fired(&f), vec![AlertRule::RenewalAtRisk]);
        f.recent_signals.push((1, true));
        assert!(fired(&f).is_empty(), "net zero is not negative");
        f.recent_signals.push((2, false));
        f.renewals[0].date = now().date_naive() + Duration::days(91);
        assert!(fired(&f).is_empty(), "beyond the window");
    }

    #[test]
    fn no_recent_activity_follows_the_tier_cadence() {
        let mut f = healthy();
        f.last_activity = Some(now() - Duration::days(31));
        assert_eq!(fired(&f), vec![AlertRule::NoRecentActivity]);
        f.tier = Some(Tier::Maintain);
        assert!(fired(&f).is_empty());
        f.last_activity = None;
        assert_eq!(fired(&f), vec![AlertRule::NoRecentActivity]);
        f.created_at = Some(now() - Duration::days(10));
        assert!(fired(&f).is_empty(), "too young to judge");
    }

    #[test]
    fn settings_are_validated_and_atomic() {
        let mut s = AlertSettings::default();
        let e = s
            .apply(AlertSettingsPatch {
                health_below: Some(50),
                cadence_days: vec![(Tier::Key, 0)],
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "cadences.0.days");
        assert_eq!(s, AlertSettings::default());
        let e = s
            .apply(AlertSettingsPatch {
                cadence_days: vec![(Tier::Key, 10), (Tier::Key, 20)],
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(e.field, "cadences.1.tier");
        s.apply(AlertSettingsPatch {
            drop_points: Some(10),
            cadence_days: vec![(Tier::Key, 14)],
            ..Default::default()
        })
        .unwrap();
        assert_eq!((s.drop_points, s.cadence(Tier::Key)), (10, 14));
    }
}
