//! Account plans: plans, SMART objectives with progress, growth targets,
//! reviews and contingencies.

mod input;
mod mutation;
mod object;
mod objective;
mod query;

pub use mutation::PlanMutation;
pub(crate) use object::account_plans;
pub use object::{Contingency, GrowthTarget, Plan, PlanConnection, PlanReview};
pub use objective::Objective;
pub use query::PlanQuery;
