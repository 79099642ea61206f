//! White space: the matrix of a customer's business units × our products,
//! each cell telling whether we serve it, could, or a competitor does; the
//! products (columns) and business units (rows) it is made of. Also the
//! outcome of a plan review.

use crate::account::MoneyInput;
use crate::error::ValidationError;
use crate::text::{CurrencyCode, MAX_SHORT_TEXT, Money, RequiredText, optional_text};
use crate::text_enum;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use uuid::Uuid;

/// Longest cell note, in characters.
pub const MAX_CELL_NOTES: usize = 5000;

text_enum!(
    /// What a white-space cell (business unit × product) holds.
    CellStatus {
        /// We already sell it there.
        Serviced => "SERVICED",
        /// We could sell it there.
        Opportunity => "OPPORTUNITY",
        /// A competitor sells it there.
        CompetitorHeld => "COMPETITOR_HELD",
        /// The unit has no use for it.
        NotApplicable => "NOT_APPLICABLE",
    }
);

text_enum!(
    /// The conclusion of a plan review.
    ReviewOutcome {
        /// The plan works; carry on.
        OnTrack => "ON_TRACK",
        /// The plan needs revisions.
        NeedsAdjustment => "NEEDS_ADJUSTMENT",
        /// The plan's goals are in danger.
        AtRisk => "AT_RISK",
    }
);

text_enum!(
    /// What a row of the white space stands for.
    BusinessUnitKind {
        /// A business unit of the customer.
        BusinessUnit => "BUSINESS_UNIT",
        /// A division of the customer.
        Division => "DIVISION",
        /// A site or location of the customer.
        Location => "LOCATION",
    }
);

/// Longest product description, in characters.
pub const MAX_PRODUCT_DESCRIPTION: usize = 5000;

/// A valid new product of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewProduct {
    /// The product's name (unique in the tenant, case-insensitively).
    pub name: RequiredText,
    /// What it is.
    pub description: Option<String>,
}

impl NewProduct {
    /// A required name of at most 200 characters; a description of at most
    /// [`MAX_PRODUCT_DESCRIPTION`].
    pub fn parse(name: &str, description: Option<&str>) -> Result<Self, ValidationError> {
        Ok(Self {
            name: RequiredText::parse("name", name, MAX_SHORT_TEXT)?,
            description: optional_text("description", description, MAX_PRODUCT_DESCRIPTION)?,
        })
    }
}

/// A valid new business unit of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBusinessUnit {
    /// The unit's name (unique in the account, case-insensitively).
    pub name: RequiredText,
    /// Business unit, division or location.
    pub kind: BusinessUnitKind,
}

impl NewBusinessUnit {
    /// A required name of at most 200 characters.
    pub fn parse(name: &str, kind: BusinessUnitKind) -> Result<Self, ValidationError> {
        Ok(Self {
            name: RequiredText::parse("name", name, MAX_SHORT_TEXT)?,
            kind,
        })
    }
}

/// Only OPPORTUNITY cells are linked to a plan objective (the objective that
/// pursues the opportunity).
pub fn check_objective_link(status: CellStatus, linked: bool) -> Result<(), ValidationError> {
    if linked && status != CellStatus::Opportunity {
        return Err(ValidationError::new(
            "objectiveId",
            format!(
                "only an OPPORTUNITY cell links to an objective, not a {} one",
                status.as_str()
            ),
        ));
    }
    Ok(())
}

/// Raw content of a white-space cell.
#[derive(Debug, Clone)]
pub struct CellInput {
    /// What the cell holds.
    pub status: CellStatus,
    /// What the business is worth (a year), non-negative.
    pub estimated_value: Option<MoneyInput>,
    /// Required for COMPETITOR_HELD, refused otherwise.
    pub competitor: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
}

/// Valid content of a white-space cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhiteSpaceCell {
    /// What the cell holds.
    pub status: CellStatus,
    /// What the business is worth (a year).
    pub estimated_value: Option<Money>,
    /// `Some` exactly when the status is COMPETITOR_HELD.
    pub competitor: Option<String>,
    /// Free notes.
    pub notes: Option<String>,
}

impl WhiteSpaceCell {
    /// Validates the input: a non-negative estimated value; a competitor
    /// (at most 200 characters) exactly for COMPETITOR_HELD; notes at most
    /// [`MAX_CELL_NOTES`].
    pub fn parse(input: CellInput) -> Result<Self, ValidationError> {
        const FIELD: &str = "competitor";
        let competitor = optional_text(FIELD, input.competitor.as_deref(), MAX_SHORT_TEXT)?;
        match (input.status, &competitor) {
            (CellStatus::CompetitorHeld, None) => {
                return Err(ValidationError::new(
                    FIELD,
                    "is required when the cell is COMPETITOR_HELD",
                ));
            }
            (s, Some(_)) if s != CellStatus::CompetitorHeld => {
                return Err(ValidationError::new(
                    FIELD,
                    format!(
                        "only applies to a COMPETITOR_HELD cell, not to {}",
                        s.as_str()
                    ),
                ));
            }
            _ => {}
        }
        Ok(Self {
            status: input.status,
            estimated_value: input
                .estimated_value
                .map(|m| Money::parse_non_negative("estimatedValue", m.amount, &m.currency))
                .transpose()?,
            competitor,
            notes: optional_text("notes", input.notes.as_deref(), MAX_CELL_NOTES)?,
        })
    }
}

/// The estimated values of a white-space matrix in one currency, by status.
/// NOT_APPLICABLE cells count nowhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WhiteSpaceTotals {
    /// The currency of the amounts below.
    pub currency: CurrencyCode,
    /// Sum over SERVICED cells.
    pub serviced: Decimal,
    /// Sum over OPPORTUNITY cells.
    pub open_opportunity: Decimal,
    /// Sum over COMPETITOR_HELD cells.
    pub competitor_held: Decimal,
}

/// Sums the estimated values of cells by status, one entry per currency
/// that occurs in a counted cell (ordered by currency code). Cells without a
/// value add nothing.
pub fn totals(cells: &[(CellStatus, Option<Money>)]) -> Vec<WhiteSpaceTotals> {
    let mut by_currency: BTreeMap<&str, WhiteSpaceTotals> = BTreeMap::new();
    for (status, money) in cells {
        let Some(money) = money
            .as_ref()
            .filter(|_| *status != CellStatus::NotApplicable)
        else {
            continue;
        };
        let t = by_currency
            .entry(money.currency.as_str())
            .or_insert_with(|| WhiteSpaceTotals {
                currency: money.currency.clone(),
                serviced: Decimal::ZERO,
                open_opportunity: Decimal::ZERO,
                competitor_held: Decimal::ZERO,
            });
        let sum = match status {
            CellStatus::Serviced => &mut t.serviced,
            CellStatus::Opportunity => &mut t.open_opportunity,
            CellStatus::CompetitorHeld => &mut t.competitor_held,
            CellStatus::NotApplicable => continue,
        };
        *sum = sum.saturating_add(money.amount);
    }
    by_currency.into_values().collect()
}

/// The most levels a customer's business-unit tree has.
pub const MAX_UNIT_DEPTH: usize = crate::hierarchy::MAX_DEPTH;

/// Checks that business unit `unit` may sit under `parent`: `parent_chain`
/// is the parent's own chain up to its root (its parent first),
/// `subtree_height` the levels of `unit`'s subtree (1 without sub-units).
/// The services check that both are units of the same account.
pub fn check_unit_parent(
    unit: Uuid,
    parent: Uuid,
    parent_chain: &[Uuid],
    subtree_height: usize,
) -> Result<(), ValidationError> {
    const F: &str = "parentId";
    if parent == unit {
        return Err(ValidationError::new(F, "a unit cannot be its own parent"));
    }
    if parent_chain.contains(&unit) {
        return Err(ValidationError::new(
            F,
            "the parent is below this unit: that would make a cycle",
        ));
    }
    if parent_chain.len() + 1 + subtree_height > MAX_UNIT_DEPTH {
        return Err(ValidationError::new(
            F,
            format!("a unit tree is at most {MAX_UNIT_DEPTH} levels deep"),
        ));
    }
    Ok(())
}

/// The chain above `start` (its parent first) in a tree given as
/// (unit, parent) pairs; stops at a root, or at a unit seen before.
pub fn chain_above(start: Uuid, parents: &std::collections::HashMap<Uuid, Uuid>) -> Vec<Uuid> {
    let mut out = Vec::new();
    let mut at = start;
    while let Some(p) = parents.get(&at) {
        if out.contains(p) || *p == start {
            break;
        }
        out.push(*p);
        at = *p;
    }
    out
}

/// The levels of `root`'s subtree (1 for a leaf) in a tree given as
/// (unit, parent) pairs.
pub fn subtree_height(root: Uuid, parents: &std::collections::HashMap<Uuid, Uuid>) -> usize {
    fn height(n: Uuid, parents: &std::collections::HashMap<Uuid, Uuid>, depth: usize) -> usize {
        if depth > MAX_UNIT_DEPTH {
            return depth;
        }
        1 + parents
            .iter()
            .filter(|(_, p)| **p == n)
            .map(|(c, _)| height(*c, parents, depth + 1))
            .max()
            .unwrap_or(0)
    }
    height(root, parents, 1)
}

#[cfg(test)]
mod unit_tree_tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn unit_trees_refuse_cycles_and_depth() {
        let ids: Vec<Uuid> = (0..12).map(|_| Uuid::now_v7()).collect();
        // ids[1] under ids[0], ids[2] under ids[1].
        let parents: HashMap<Uuid, Uuid> = [(ids[1], ids[0]), (ids[2], ids[1])].into();
        assert_eq!(chain_above(ids[2], &parents), vec![ids[1], ids[0]]);
        assert_eq!(subtree_height(ids[0], &parents), 3);
        assert_eq!(subtree_height(ids[2], &parents), 1);
        assert!(check_unit_parent(ids[3], ids[2], &chain_above(ids[2], &parents), 1).is_ok());
        let e = check_unit_parent(ids[0], ids[2], &chain_above(ids[2], &parents), 3).unwrap_err();
        assert_eq!(e.field, "parentId");
        assert!(e.message.contains("cycle"));
        assert!(check_unit_parent(ids[0], ids[0], &[], 1).is_err());
        // Ten levels at most.
        let chain: Vec<Uuid> = ids[1..10].to_vec();
        assert!(check_unit_parent(ids[10], ids[0], &chain, 1).is_err());
        assert!(check_unit_parent(ids[10], ids[0], &chain[..8], 1).is_ok());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn money(amount: i64, currency: &str) -> MoneyInput {
        MoneyInput {
            amount: Decimal::from(amount),
            currency: currency.into(),
        }
    }

    fn cell(status: CellStatus) -> CellInput {
        CellInput {
            status,
            estimated_value: None,
            competitor: None,
            notes: None,
        }
    }

    #[test]
    fn competitor_held_cells_name_the_competitor() {
        let e = WhiteSpaceCell::parse(cell(CellStatus::CompetitorHeld)).unwrap_err();
        assert_eq!(e.field, "competitor");
        let e = WhiteSpaceCell::parse(CellInput {
            competitor: Some("  ".into()),
            ..cell(CellStatus::CompetitorHeld)
        })
        .unwrap_err();
        assert_eq!(e.field, "competitor", "blank is absent");
        let c = WhiteSpaceCell::parse(CellInput {
            competitor: Some(" Globex ".into()),
            ..cell(CellStatus::CompetitorHeld)
        })
        .unwrap();
        assert_eq!(c.competitor.as_deref(), Some("Globex"));
    }

    #[test]
    fn only_competitor_held_cells_take_a_competitor() {
        for status in [
            CellStatus::Serviced,
            CellStatus::Opportunity,
            CellStatus::NotApplicable,
        ] {
            let e = WhiteSpaceCell::parse(CellInput {
                competitor: Some("Globex".into()),
                ..cell(status)
            })
            .unwrap_err();
            assert_eq!(e.field, "competitor");
            assert!(e.message.contains(status.as_str()));
            let blank = CellInput {
                competitor: Some("".into()),
                ..cell(status)
            };
            assert_eq!(WhiteSpaceCell::parse(blank).unwrap().competitor, None);
        }
    }

    #[test]
    fn estimated_values_are_non_negative_money_and_notes_are_bounded() {
        let c = WhiteSpaceCell::parse(CellInput {
            estimated_value: Some(money(50_000, "EUR")),
            notes: Some(" Pilot in Q3 ".into()),
            ..cell(CellStatus::Opportunity)
        })
        .unwrap();
        assert_eq!(
            c.estimated_value.map(|m| m.minor_units()),
            Some(500_000_000)
        );
        assert_eq!(c.notes.as_deref(), Some("Pilot in Q3"));
        let e = WhiteSpaceCell::parse(CellInput {
            estimated_value: Some(money(-1, "EUR")),
            ..cell(CellStatus::Opportunity)
        })
        .unwrap_err();
        assert_eq!(e.field, "estimatedValue.amount");
        let e = WhiteSpaceCell::parse(CellInput {
            estimated_value: Some(money(1, "euro")),
            ..cell(CellStatus::Opportunity)
        })
        .unwrap_err();
        assert_eq!(e.field, "estimatedValue.currency");
        let e = WhiteSpaceCell::parse(CellInput {
            notes: Some("x".repeat(MAX_CELL_NOTES + 1)),
            ..cell(CellStatus::Serviced)
        })
        .unwrap_err();
        assert_eq!(e.field, "notes");
    }

    fn m(amount: i64, currency: &str) -> Option<Money> {
        Some(Money::parse_non_negative("v", Decimal::from(amount), currency).unwrap())
    }

    #[test]
    fn totals_sum_by_currency_and_status() {
        use CellStatus::*;
        let cells = [
            (Serviced, m(100, "EUR")),
            (Serviced, m(50, "EUR")),
            (Opportunity, m(200, "EUR")),
            (CompetitorHeld, m(70, "EUR")),
            (NotApplicable, m(999, "EUR")),
            (Opportunity, None),
            (Opportunity, m(30, "USD")),
            (Serviced, m(5, "CHF")),
        ];
        let t = totals(&cells);
        let codes: Vec<&str> = t.iter().map(|t| t.currency.as_str()).collect();
        assert_eq!(codes, ["CHF", "EUR", "USD"]);
        let eur = &t[1];
        assert_eq!(
            (eur.serviced, eur.open_opportunity, eur.competitor_held),
            (Decimal::from(150), Decimal::from(200), Decimal::from(70))
        );
        assert_eq!(t[2].open_opportunity, Decimal::from(30));
        assert_eq!(t[2].serviced, Decimal::ZERO);
        assert_eq!(t[0].serviced, Decimal::from(5));
    }

    #[test]
    fn products_and_business_units_have_names() {
        let p = NewProduct::parse(" Payroll ", Some("  ")).unwrap();
        assert_eq!((p.name.as_str(), p.description), ("Payroll", None));
        assert_eq!(NewProduct::parse(" ", None).unwrap_err().field, "name");
        let e = NewProduct::parse("P", Some(&"x".repeat(MAX_PRODUCT_DESCRIPTION + 1))).unwrap_err();
        assert_eq!(e.field, "description");
        let u = NewBusinessUnit::parse(" Retail ", BusinessUnitKind::Division).unwrap();
        assert_eq!(u.name.as_str(), "Retail");
        let e = NewBusinessUnit::parse(&"x".repeat(MAX_SHORT_TEXT + 1), BusinessUnitKind::Location)
            .unwrap_err();
        assert_eq!(e.field, "name");
        assert_eq!(
            BusinessUnitKind::from_str_opt("DIVISION"),
            Some(BusinessUnitKind::Division)
        );
    }

    #[test]
    fn only_opportunities_link_to_objectives() {
        assert!(check_objective_link(CellStatus::Opportunity, true).is_ok());
        for s in CellStatus::ALL {
            assert!(check_objective_link(*s, false).is_ok());
        }
        for s in [
            CellStatus::Serviced,
            CellStatus::CompetitorHeld,
            CellStatus::NotApplicable,
        ] {
            let e = check_objective_link(s, true).unwrap_err();
            assert_eq!(e.field, "objectiveId");
            assert!(e.message.contains(s.as_str()));
        }
    }

    #[test]
    fn totals_of_nothing_are_empty() {
        assert!(totals(&[]).is_empty());
        assert!(totals(&[(CellStatus::Opportunity, None)]).is_empty());
        assert!(totals(&[(CellStatus::NotApplicable, m(10, "EUR"))]).is_empty());
    }
}
