//! The `Contract` object.

use crate::error::ApiError;
use crate::graphql::account::Account;
use crate::graphql::common::enums::{ContractRisk, ContractStage};
use crate::graphql::common::ids::{GlobalId, Kind};
use crate::graphql::common::object::object;
use crate::graphql::common::values::{ExternalRef, Money, external, money_of};
use crate::graphql::count::TotalCount;
use crate::graphql::loaders;
use crate::loaders::Row;
use async_graphql::connection::Connection;
use async_graphql::{Context, Object, Result};
use chrono::{DateTime, NaiveDate, Utc};
use persistence::entity::contract;

/// A contract with the customer.
#[derive(Clone)]
pub struct Contract(pub Row<contract::Model>);

/// Contracts, in the requested order.
pub type ContractConnection = Connection<String, Contract, TotalCount>;

object! {
    /// A contract with the customer: its value, term, renewal date, where
    /// the renewal stands and how much it is at risk.
    #[Object]
    impl Contract(contract::Model) fields contract_fields {
        /// The global id.
        pub(crate) leaf "id" id(c) -> GlobalId {
            GlobalId(Kind::Contract, c.id)
        }
        /// The account's id (no lookup; select `account` for the account).
        leaf "accountId" account_id(c) -> GlobalId {
            GlobalId(Kind::Account, c.account_id)
        }
        /// The account the contract is with.
        async fn account(&self, ctx: &Context<'_>) -> Result<Account> {
            let a = loaders(ctx)?
                .account(self.0.account_id)
                .await?
                .ok_or_else(|| ApiError::not_found("account"))?;
            Ok(Account(a))
        }
        /// The contract's name.
        leaf "name" name(c) -> &str {
            &c.name
        }
        /// What the contract is worth (over its term).
        value "value" value(c) [value_minor, value_currency] -> Money {
            money_of(c.value_minor, &c.value_currency)
        }
        /// The first day of the term.
        leaf "startDate" start_date(c) -> NaiveDate {
            c.start_date
        }
        /// The last day of the term (`null`: open-ended).
        leaf "endDate" end_date(c) -> Option<NaiveDate> {
            c.end_date
        }
        /// When the renewal is due (within the term).
        leaf "renewalDate" renewal_date(c) -> Option<NaiveDate> {
            c.renewal_date
        }
        /// Where the renewal stands.
        leaf "stage" stage(c) -> ContractStage {
            ContractStage::from_db(&c.stage)
        }
        /// How likely the contract is not to be renewed.
        leaf "risk" risk(c) -> ContractRisk {
            ContractRisk::from_db(&c.risk)
        }
        /// Why the risk is what it is (required for MEDIUM and HIGH).
        leaf "riskReason" risk_reason(c) -> Option<&str> {
            c.risk_reason.as_deref()
        }
        /// The same contract in another system (a CRM).
        value "externalRef" external_ref(c) [source, external_id] -> Option<ExternalRef> {
            external(&c.source, &c.external_id)
        }
        /// When the contract was created.
        leaf "createdAt" created_at(c) -> DateTime<Utc> {
            c.created_at
        }
        /// When the contract last changed.
        leaf "updatedAt" updated_at(c) -> DateTime<Utc> {
            c.updated_at
        }
        /// Increases by one with every change.
        leaf "version" version(c) -> i64 {
            c.version
        }
    }
}
