//! Portfolio views for managers: the accounts in scope (the tenant's; an
//! account manager's: the accounts on whose team they are) grouped by tier,
//! health band, region and owner, with counts and revenue; the accounts in
//! jeopardy; the high performers.
//!
//! Rules:
//! - the accounts are the live, unarchived ones in scope; revenue is the
//!   annual revenue converted to the default currency with the rate in
//!   effect (as the revenue ranking does); an account whose revenue cannot
//!   be converted counts in its group but adds no revenue;
//! - groups are ordered by revenue (highest first), then by count, then by
//!   key; the band group of accounts without evidence has no band;
//! - **in jeopardy**: band `IN_JEOPARDY`, or an open (or acknowledged)
//!   alert; the lowest score first (no score after the scored), then the
//!   most open alerts, then the highest revenue;
//! - **high performers**: band `HEALTHY` and no open alert; the highest
//!   score first, then the highest revenue.

use crate::health::Band;
use std::cmp::Reverse;
use uuid::Uuid;

/// An account as the portfolio views see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortfolioAccount {
    pub id: Uuid,
    pub tier: String,
    pub region: Option<String>,
    pub owner: Uuid,
    /// Converted annual revenue (ten-thousandths of the default currency).
    pub revenue: Option<i64>,
    pub score: Option<u8>,
    pub band: Option<Band>,
    pub open_alerts: u32,
}

/// One group: its key, how many accounts, their converted revenue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group<K> {
    pub key: K,
    pub accounts: u64,
    pub revenue: i64,
}

/// The accounts grouped by `key` (which may borrow from the account: no
/// copy per account).
pub fn groups<'a, K: Ord + Clone>(
    accounts: &'a [PortfolioAccount],
    key: impl Fn(&'a PortfolioAccount) -> K,
) -> Vec<Group<K>> {
    let mut map: std::collections::BTreeMap<K, Group<K>> = std::collections::BTreeMap::new();
    for a in accounts {
        let k = key(a);
        let g = map.entry(k.clone()).or_insert(Group {
            key: k,
            accounts: 0,
            revenue: 0,
        });
        g.accounts += 1;
        g.revenue = g.revenue.saturating_add(a.revenue.unwrap_or(0));
    }
    let mut out: Vec<Group<K>> = map.into_values().collect();
    out.sort_by(|a, b| {
        b.revenue
            .cmp(&a.revenue)
            .then(b.accounts.cmp(&a.accounts))
            .then(a.key.cmp(&b.key))
    });
    out
}

/// The accounts in jeopardy, most endangered first, at most `n`.
pub fn in_jeopardy(accounts: &[PortfolioAccount], n: usize) -> Vec<&PortfolioAccount> {
    let mut out: Vec<&PortfolioAccount> = accounts
        .iter()
        .filter(|a| a.band == Some(Band::InJeopardy) || a.open_alerts > 0)
        .collect();
    out.sort_by_key(|a| {
        (
            a.score.is_none(),
            a.score,
            Reverse(a.open_alerts),
            Reverse(a.revenue.unwrap_or(0)),
            a.id,
        )
    });
    out.truncate(n);
    out
}

/// The high performers, best first, at most `n`.
pub fn high_performers(accounts: &[PortfolioAccount], n: usize) -> Vec<&PortfolioAccount> {
    let mut out: Vec<&PortfolioAccount> = accounts
        .iter()
        .filter(|a| a.band == Some(Band::Healthy) && a.open_alerts == 0)
        .collect();
    out.sort_by_key(|a| (Reverse(a.score), Reverse(a.revenue.unwrap_or(0)), a.id));
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acc(
        n: u128,
        tier: &str,
        revenue: Option<i64>,
        score: Option<u8>,
        alerts: u32,
    ) -> PortfolioAccount {
        let band = score.map(|s| {
            if s >= 70 {
                Band::Healthy
            } else if s < 40 {
                Band::InJeopardy
            } else {
                Band::Watch
            }
        });
        PortfolioAccount {
            id: Uuid::from_u128(n),
            tier: tier.into(),
            region: None,
            owner: Uuid::from_u128(100),
            revenue,
            score,
            band,
            open_alerts: alerts,
        }
    }

    #[test]
    fn groups_count_and_sum_by_key_biggest_first() {
        let a = [
            acc(1, "KEY", Some(100), None, 0),
            acc(2, "STRATEGIC", Some(500), None, 0),
            acc(3, "KEY", None, None, 0),
            acc(4, "KEY", Some(50), None, 0),
        ];
        let g = groups(&a, |a| a.tier.as_str());
        assert_eq!(
            g,
            vec![
                Group {
                    key: "STRATEGIC",
                    accounts: 1,
                    revenue: 500
                },
                Group {
                    key: "KEY",
                    accounts: 3,
                    revenue: 150
                },
            ]
        );
        assert!(groups(&[], |a| a.tier.as_str()).is_empty());
    }

    #[test]
    fn jeopardy_lists_the_lowest_scores_and_alerted_accounts_first() {
        let a = [
            acc(1, "KEY", Some(100), Some(35), 0),
            acc(2, "KEY", Some(100), Some(20), 1),
            acc(3, "KEY", Some(100), Some(80), 2),
            acc(4, "KEY", Some(100), None, 1),
            acc(5, "KEY", Some(100), Some(60), 0),
        ];
        let ids: Vec<u128> = in_jeopardy(&a, 10).iter().map(|a| a.id.as_u128()).collect();
        assert_eq!(ids, vec![2, 1, 3, 4]);
        assert_eq!(in_jeopardy(&a, 1).len(), 1);
    }

    #[test]
    fn high_performers_are_healthy_without_alerts() {
        let a = [
            acc(1, "KEY", Some(100), Some(90), 0),
            acc(2, "KEY", Some(900), Some(75), 0),
            acc(3, "KEY", Some(100), Some(95), 1),
            acc(4, "KEY", Some(500), Some(90), 0),
            acc(5, "KEY", Some(100), Some(50), 0),
        ];
        let ids: Vec<u128> = high_performers(&a, 10)
            .iter()
            .map(|a| a.id.as_u128())
            .collect();
        assert_eq!(ids, vec![4, 1, 2]);
    }
}
