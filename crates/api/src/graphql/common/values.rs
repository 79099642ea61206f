//! Small value types of the schema, shared by the resolvers and the
//! compiled read path: money and external references (as output objects
//! and as inputs), and `patch` (absent / null / value of an update input).

use super::decimal::Dec;
use super::object::object;
use async_graphql::{InputObject, MaybeUndefined, Object};
use domain::Patch;
use domain::account::{ExternalRefInput, MoneyInput};
use domain::text::Money as DomainMoney;

/// An exact amount of money.
#[derive(Clone)]
pub struct Money {
    pub amount: Dec,
    pub currency: String,
}

object! {
    /// An exact amount of money.
    #[Object]
    impl Money(self) fields money_fields {
        /// The amount, exact (up to 4 decimal places), as a decimal string.
        leaf "amount" amount(m) -> Dec {
            m.amount
        }
        /// ISO 4217 currency code.
        leaf "currency" currency(m) -> &str {
            &m.currency
        }
    }
}

/// An amount stored as ten-thousandths of `currency`, at the currency's
/// scale.
pub(crate) fn money_of(minor: i64, currency: &str) -> Money {
    Money {
        amount: Dec(domain::text::currency_scaled(
            rust_decimal::Decimal::new(minor, 4),
            currency,
        )),
        currency: currency.to_owned(),
    }
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
#[derive(Clone)]
pub struct ExternalRef {
    pub source: String,
    pub external_id: String,
}

object! {
    /// The same record in another system (a CRM), unique per tenant.
    #[Object]
    impl ExternalRef(self) fields external_fields {
        /// The other system, e.g. `salesforce`.
        leaf "source" source(e) -> &str {
            &e.source
        }
        /// The record's id there.
        leaf "externalId" external_id(e) -> &str {
            &e.external_id
        }
    }
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
