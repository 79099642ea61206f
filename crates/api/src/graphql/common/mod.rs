//! What the resolvers and the compiled read path (`crate::fast`) share:
//! global ids, cursors, accepted dates, the `Decimal` scalar, every GraphQL
//! enum, the list filters and orderings, the small value types (money,
//! external references) with their inputs, the JSON writers of leaf values,
//! and `object!`, the one description of a type's fields from which its
//! resolvers and its compiled leaf table are both made. Nothing here
//! resolves a relation or reads the request's context. `fast/` imports from
//! here, and the `fields` tables that `object!` makes in each aggregate.

pub mod dates;
pub mod decimal;
pub mod enums;
pub mod filters;
pub mod ids;
pub mod json;
pub mod object;
pub mod pagination;
pub mod values;
