//! Action items of account plans: their cadence and occurrences, the
//! assessment of each occurrence, the caller's agenda and the tenant's
//! overdue occurrences.

mod input;
mod mutation;
mod object;
mod query;

pub use mutation::ActionMutation;
pub use object::{ActionItem, Assessment, Occurrence, OccurrenceConnection};
pub(crate) use object::{action_item_fields, assessment_fields};
pub(crate) use object::{agenda, occurrence, plan_action_items};
pub use query::ActionQuery;
