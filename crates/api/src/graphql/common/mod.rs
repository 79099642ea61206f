//! What the resolvers and the compiled read path (`crate::fast`) share:
//! global ids, cursors, accepted dates, the `Decimal` scalar, every GraphQL
//! enum, the list filters and orderings, and the small value types (money,
//! external references) with their inputs. Nothing here resolves a field
//! or reads the request's context; `fast/` imports from here only.

pub mod dates;
pub mod decimal;
pub mod enums;
pub mod filters;
pub mod ids;
pub mod pagination;
pub mod values;
