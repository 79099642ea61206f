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
pub(crate) use object::{
    GrowthRollup, contingency_fields, growth_of, growth_rollup_fields, growth_target_fields,
    plan_fields, plan_review_fields,
};
pub use objective::Objective;
pub(crate) use objective::{objective_fields, progress_fields};
pub use query::PlanQuery;
