//! Coverage of an account's buying centre: where the relationship is thin
//! or exposed, as gaps a person can read, and a score.
//!
//! A **key contact** is one with influence 4 or 5, or the buying role
//! `ECONOMIC_BUYER`, `DECISION_MAKER` or `COACH`. Contacts who left the
//! customer count only for `KEY_CONTACT_LEFT`; every other rule looks at
//! active contacts. The rules (each a pure function, mirrored by the
//! repository's SQL for `accounts(filter: {hasCoverageGap})`, which a test
//! keeps in step):
//!
//! - `DECISION_MAKER_UNOWNED`: an economic buyer or decision maker without a
//!   relationship owner.
//! - `NO_COACH`: no coach.
//! - `SINGLE_THREADED`: exactly one contact, or two and more all held by the
//!   same one user.
//! - `KEY_CONTACT_LEFT`: a key contact left and no active contact holds
//!   their buying role (the gap closes once someone does).
//! - `BLOCKER_UNADDRESSED`: a blocker or detractor with influence 4 or 5 and
//!   no relationship owner.
//! - `NO_EXECUTIVE_SPONSOR`: no team member in that role.
//! - `STALE_CONTACT`: a key contact with a preferred frequency and no
//!   activity with them within it (none at all counts as stale).
//!
//! The score starts at 100 and loses each present gap's weight once
//! ([`weight`]), never below 0.

use crate::cadence::Cadence;
use crate::contact::{Attitude, BuyingRole, ContactStatus};
use crate::team::TeamRole;
use crate::text_enum;
use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

text_enum!(
    /// A kind of coverage gap.
    GapKind {
        DecisionMakerUnowned => "DECISION_MAKER_UNOWNED",
        NoCoach => "NO_COACH",
        SingleThreaded => "SINGLE_THREADED",
        KeyContactLeft => "KEY_CONTACT_LEFT",
        BlockerUnaddressed => "BLOCKER_UNADDRESSED",
        NoExecutiveSponsor => "NO_EXECUTIVE_SPONSOR",
        StaleContact => "STALE_CONTACT",
    }
);

/// What a gap costs the coverage score.
pub fn weight(kind: GapKind) -> u8 {
    match kind {
        GapKind::DecisionMakerUnowned | GapKind::SingleThreaded => 20,
        GapKind::NoCoach | GapKind::KeyContactLeft => 15,
        GapKind::BlockerUnaddressed | GapKind::NoExecutiveSponsor | GapKind::StaleContact => 10,
    }
}

/// The days a preferred frequency allows between two activities.
pub fn frequency_days(c: Cadence) -> Option<i64> {
    match c {
        Cadence::Once => None,
        Cadence::Daily => Some(1),
        Cadence::Weekly => Some(7),
        Cadence::Monthly => Some(31),
        Cadence::Quarterly => Some(92),
        Cadence::Annually => Some(366),
    }
}

/// What the rules need to know of a contact.
#[derive(Debug, Clone)]
pub struct CoveredContact {
    pub id: Uuid,
    pub name: String,
    pub status: ContactStatus,
    pub buying_role: Option<BuyingRole>,
    pub influence: Option<i16>,
    pub attitude: Option<Attitude>,
    pub relationship_owner: Option<Uuid>,
    pub preferred_frequency: Option<Cadence>,
    /// The latest live activity that involved them.
    pub last_activity: Option<DateTime<Utc>>,
}

impl CoveredContact {
    fn active(&self) -> bool {
        self.status == ContactStatus::Active
    }

    /// Influence 4 or 5, or economic buyer, decision maker or coach.
    pub fn is_key(&self) -> bool {
        self.influence.is_some_and(|i| i >= 4)
            || matches!(
                self.buying_role,
                Some(BuyingRole::EconomicBuyer | BuyingRole::DecisionMaker | BuyingRole::Coach)
            )
    }
}

/// One gap: its kind, the contacts concerned (none for a gap of absence),
/// and an explanation a person can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub kind: GapKind,
    pub contacts: Vec<Uuid>,
    pub explanation: String,
}

/// An account's coverage: its gaps (in [`GapKind`] order) and its score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub gaps: Vec<Gap>,
    pub score: u8,
}

fn names(list: &[&CoveredContact]) -> String {
    list.iter()
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn gap(kind: GapKind, list: &[&CoveredContact], explanation: String) -> Gap {
    Gap {
        kind,
        contacts: list.iter().map(|c| c.id).collect(),
        explanation,
    }
}

/// Assesses an account's coverage from its contacts (active and departed),
/// its team's roles and the current instant.
pub fn assess(contacts: &[CoveredContact], team: &[TeamRole], now: DateTime<Utc>) -> Coverage {
    let active: Vec<&CoveredContact> = contacts.iter().filter(|c| c.active()).collect();
    let mut gaps = Vec::new();

    let unowned: Vec<&CoveredContact> = active
        .iter()
        .copied()
        .filter(|c| {
            matches!(
                c.buying_role,
                Some(BuyingRole::EconomicBuyer | BuyingRole::DecisionMaker)
            ) && c.relationship_owner.is_none()
        })
        .collect();
    if !unowned.is_empty() {
        gaps.push(gap(
            GapKind::DecisionMakerUnowned,
            &unowned,
            format!(
                "No one of ours owns the relationship with {}, who decides: give each a relationship owner.",
                names(&unowned)
            ),
        ));
    }

    if !active
        .iter()
        .any(|c| c.buying_role == Some(BuyingRole::Coach))
    {
        gaps.push(gap(
            GapKind::NoCoach,
            &[],
            "No coach: no one at the customer guides us through their organisation and buying process.".into(),
        ));
    }

    let owners: std::collections::BTreeSet<Uuid> =
        active.iter().filter_map(|c| c.relationship_owner).collect();
    let all_owned = active.iter().all(|c| c.relationship_owner.is_some());
    if active.len() == 1 {
        gaps.push(gap(
            GapKind::SingleThreaded,
            &active,
            format!(
                "The whole relationship runs through one contact, {}: if they move, we lose the account's ear.",
                names(&active)
            ),
        ));
    } else if active.len() > 1 && all_owned && owners.len() == 1 {
        gaps.push(gap(
            GapKind::SingleThreaded,
            &active,
            "Every relationship is held by the same one person of ours: the account depends on them alone.".into(),
        ));
    }

    let left: Vec<&CoveredContact> = contacts
        .iter()
        .filter(|c| !c.active() && c.is_key())
        .filter(|c| {
            !active
                .iter()
                .any(|a| a.buying_role.is_some() && a.buying_role == c.buying_role)
        })
        .collect();
    if !left.is_empty() {
        gaps.push(gap(
            GapKind::KeyContactLeft,
            &left,
            format!(
                "{} left the customer and no one active holds their role yet.",
                names(&left)
            ),
        ));
    }

    let blockers: Vec<&CoveredContact> = active
        .iter()
        .copied()
        .filter(|c| {
            (c.buying_role == Some(BuyingRole::Blocker) || c.attitude == Some(Attitude::Detractor))
                && c.influence.is_some_and(|i| i >= 4)
                && c.relationship_owner.is_none()
        })
        .collect();
    if !blockers.is_empty() {
        gaps.push(gap(
            GapKind::BlockerUnaddressed,
            &blockers,
            format!(
                "{} can block us, has influence, and no one of ours owns the relationship.",
                names(&blockers)
            ),
        ));
    }

    if !team.contains(&TeamRole::ExecutiveSponsor) {
        gaps.push(gap(
            GapKind::NoExecutiveSponsor,
            &[],
            "No executive sponsor of ours on the account team.".into(),
        ));
    }

    let stale: Vec<&CoveredContact> = active
        .iter()
        .copied()
        .filter(|c| c.is_key())
        .filter(|c| {
            let Some(days) = c.preferred_frequency.and_then(frequency_days) else {
                return false;
            };
            c.last_activity
                .is_none_or(|at| at < now - Duration::days(days))
        })
        .collect();
    if !stale.is_empty() {
        gaps.push(gap(
            GapKind::StaleContact,
            &stale,
            format!(
                "No activity with {} within their preferred frequency.",
                names(&stale)
            ),
        ));
    }

    let lost: u32 = gaps.iter().map(|g| u32::from(weight(g.kind))).sum();
    Coverage {
        score: u8::try_from(100u32.saturating_sub(lost)).unwrap_or(0),
        gaps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contact(name: &str, role: Option<BuyingRole>, influence: i16) -> CoveredContact {
        CoveredContact {
            id: Uuid::now_v7(),
            name: name.into(),
            status: ContactStatus::Active,
            buying_role: role,
            influence: Some(influence),
            attitude: None,
            relationship_owner: Some(Uuid::now_v7()),
            preferred_frequency: None,
            last_activity: None,
        }
    }

    fn kinds(c: &Coverage) -> Vec<GapKind> {
        c.gaps.iter().map(|g| g.kind).collect()
    }

    fn now() -> DateTime<Utc> {
        "2026-12-07T12:00:00Z".parse().unwrap()
    }

    /// A well-covered account: owned decision maker, a coach, two owners,
    /// a sponsor.
    fn covered() -> Vec<CoveredContact> {
        vec![
            contact("Dana", Some(BuyingRole::DecisionMaker), 5),
            contact("Elena", Some(BuyingRole::Coach), 3),
        ]
    }

    #[test]
    fn a_well_covered_account_has_no_gap_and_scores_100() {
        let c = assess(
            &covered(),
            &[TeamRole::Owner, TeamRole::ExecutiveSponsor],
            now(),
        );
        assert_eq!(
            c,
            Coverage {
                gaps: vec![],
                score: 100
            }
        );
    }

    #[test]
    fn an_empty_account_lacks_a_coach_and_a_sponsor() {
        let c = assess(&[], &[TeamRole::Owner], now());
        assert_eq!(kinds(&c), [GapKind::NoCoach, GapKind::NoExecutiveSponsor]);
        assert_eq!(c.score, 75);
        assert!(c.gaps[0].contacts.is_empty());
    }

    #[test]
    fn an_unowned_decision_maker_and_a_lone_owner_are_gaps() {
        let mut cs = covered();
        cs[0].relationship_owner = None;
        let c = assess(&cs, &[TeamRole::ExecutiveSponsor], now());
        assert_eq!(kinds(&c), [GapKind::DecisionMakerUnowned]);
        assert_eq!(c.gaps[0].contacts, [cs[0].id]);
        assert!(
            c.gaps[0].explanation.contains("Dana"),
            "{}",
            c.gaps[0].explanation
        );
        // Every contact held by one user: single-threaded.
        let mut cs = covered();
        cs[1].relationship_owner = cs[0].relationship_owner;
        let c = assess(&cs, &[TeamRole::ExecutiveSponsor], now());
        assert_eq!(kinds(&c), [GapKind::SingleThreaded]);
        assert_eq!(c.score, 80);
        // One contact alone: single-threaded through them.
        let c = assess(&cs[1..], &[TeamRole::ExecutiveSponsor], now());
        assert_eq!(kinds(&c), [GapKind::SingleThreaded]);
        assert_eq!(c.gaps[0].contacts, [cs[1].id]);
    }

    #[test]
    fn a_departed_key_contact_is_a_gap_until_someone_holds_their_role() {
        let mut cs = covered();
        let mut gone = contact("Marcus", Some(BuyingRole::EconomicBuyer), 5);
        gone.status = ContactStatus::LeftCompany;
        cs.push(gone.clone());
        let c = assess(&cs, &[TeamRole::ExecutiveSponsor], now());
        assert_eq!(kinds(&c), [GapKind::KeyContactLeft]);
        assert_eq!(c.gaps[0].contacts, [gone.id]);
        cs.push(contact("Grace", Some(BuyingRole::EconomicBuyer), 4));
        assert_eq!(
            kinds(&assess(&cs, &[TeamRole::ExecutiveSponsor], now())),
            []
        );
        // A departed contact of little influence is no gap.
        let mut minor = contact("Kenji", Some(BuyingRole::User), 2);
        minor.status = ContactStatus::LeftCompany;
        let c = assess(
            &[covered(), vec![minor]].concat(),
            &[TeamRole::ExecutiveSponsor],
            now(),
        );
        assert_eq!(kinds(&c), []);
    }

    #[test]
    fn an_influential_unowned_blocker_or_detractor_is_unaddressed() {
        let mut cs = covered();
        let mut oliver = contact("Oliver", Some(BuyingRole::Blocker), 4);
        oliver.relationship_owner = None;
        let mut priya = contact("Priya", Some(BuyingRole::Gatekeeper), 5);
        priya.attitude = Some(Attitude::Detractor);
        priya.relationship_owner = None;
        let mut weak = contact("Weak", Some(BuyingRole::Blocker), 3);
        weak.relationship_owner = None;
        cs.extend([oliver.clone(), priya.clone(), weak]);
        let c = assess(&cs, &[TeamRole::ExecutiveSponsor], now());
        assert_eq!(kinds(&c), [GapKind::BlockerUnaddressed]);
        assert_eq!(c.gaps[0].contacts, [oliver.id, priya.id]);
    }

    #[test]
    fn a_key_contact_not_met_within_their_frequency_is_stale() {
        let mut cs = covered();
        cs[0].preferred_frequency = Some(Cadence::Monthly);
        cs[0].last_activity = Some(now() - Duration::days(30));
        cs[1].preferred_frequency = Some(Cadence::Weekly);
        cs[1].last_activity = Some(now() - Duration::days(8));
        let c = assess(&cs, &[TeamRole::ExecutiveSponsor], now());
        assert_eq!(kinds(&c), [GapKind::StaleContact]);
        assert_eq!(c.gaps[0].contacts, [cs[1].id]);
        // Never met counts as stale; no preferred frequency never does.
        cs[1].last_activity = None;
        cs[0].preferred_frequency = None;
        cs[0].last_activity = None;
        let c = assess(&cs, &[TeamRole::ExecutiveSponsor], now());
        assert_eq!(c.gaps[0].contacts, [cs[1].id]);
        assert_eq!(frequency_days(Cadence::Once), None);
    }

    #[test]
    fn the_score_loses_each_gaps_weight_and_never_goes_below_zero() {
        let mut lone = contact("Dana", Some(BuyingRole::DecisionMaker), 5);
        lone.relationship_owner = None;
        lone.preferred_frequency = Some(Cadence::Weekly);
        let mut gone = contact("Marcus", Some(BuyingRole::Coach), 5);
        gone.status = ContactStatus::LeftCompany;
        let mut blocker = lone.clone();
        blocker.id = Uuid::now_v7();
        blocker.buying_role = Some(BuyingRole::Blocker);
        let c = assess(&[lone, gone, blocker], &[], now());
        let total: u32 = c.gaps.iter().map(|g| u32::from(weight(g.kind))).sum();
        assert_eq!(c.score, u8::try_from(100u32.saturating_sub(total)).unwrap());
        let every: u32 = GapKind::ALL.iter().map(|k| u32::from(weight(*k))).sum();
        assert!(every >= 100, "all gaps together cost the whole score");
    }
}
