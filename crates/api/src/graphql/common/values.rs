//! Small value types of the schema, shared by the resolvers and the
//! compiled read path: money and external references (as output objects
//! and as inputs), and `patch` (absent / null / value of an update input).

use super::decimal::Dec;
use async_graphql::{InputObject, MaybeUndefined, SimpleObject};
use domain::Patch;
use domain::account::{ExternalRefInput, MoneyInput};
use domain::text::Money as DomainMoney;

/// An exact amount of money.
#[derive(SimpleObject, Clone)]
pub struct Money {
    /// The amount, exact (up to 4 decimal places), as a decimal string.
    pub amount: Dec,
    /// ISO 4217 currency code.
    pub currency: String,
}

pub(crate) fn money(minor: Option<i64>, currency: &Option<String>) -> Option<Money> {
    match (minor, currency) {
        (Some(m), Some(c)) => {
            let d = DomainMoney::from_minor_units(m, c);
            Some(Money {
                amount: Dec(d.amount),
                currency: c.clone(),
            })
        }
        _ => None,
    }
}

/// The same record in another system (a CRM), unique per tenant.
#[derive(SimpleObject, Clone)]
pub struct ExternalRef {
    /// The other system, e.g. `salesforce`.
    pub source: String,
    /// The record's id there.
    pub external_id: String,
}

pub(crate) fn external(source: &Option<String>, id: &Option<String>) -> Option<ExternalRef> {
    match (source, id) {
        (Some(s), Some(i)) => Some(ExternalRef {
            source: s.clone(),
            external_id: i.clone(),
        }),
        _ => None,
    }
}

/// An exact amount of money.
#[derive(InputObject)]
#[graphql(name = "MoneyInput")]
pub struct MoneyInputGql {
    /// Amount, non-negative, at most 4 decimal places (a decimal string or number).
    amount: Dec,
    /// ISO 4217 currency code, e.g. EUR.
    currency: String,
}

/// A reference to the same record in another system.
#[derive(InputObject)]
#[graphql(name = "ExternalRefInput")]
pub struct ExternalRefInputGql {
    /// The other system, e.g. `salesforce`.
    source: String,
    /// The record's id there.
    external_id: String,
}

impl From<MoneyInputGql> for MoneyInput {
    fn from(m: MoneyInputGql) -> Self {
        MoneyInput {
            amount: m.amount.0,
            currency: m.currency,
        }
    }
}

impl From<ExternalRefInputGql> for ExternalRefInput {
    fn from(e: ExternalRefInputGql) -> Self {
        ExternalRefInput {
            source: e.source,
            external_id: e.external_id,
        }
    }
}

/// Converts GraphQL's absent / null / value into a domain patch.
pub(crate) fn patch<T, U>(v: MaybeUndefined<T>, f: impl FnOnce(T) -> U) -> Patch<U> {
    match v {
        MaybeUndefined::Undefined => Patch::Unchanged,
        MaybeUndefined::Null => Patch::Clear,
        MaybeUndefined::Value(v) => Patch::Set(f(v)),
    }
}
