//! Compiled reads: the hot read shapes of the schema without async-graphql's
//! per-field execution.
//!
//! A dashboard page (`accounts` with owners, contacts, plans and objectives)
//! has ~5,000 leaf fields. async-graphql resolves each one as a future,
//! builds a tree of `Value`s and then serialises it; that costs several times
//! what the database needs for the same page (see `bench/README.md`). Here a
//! document that has passed full validation once is *compiled*: when every
//! field it selects is on a supported path (accounts, their owner, contacts
//! and plans connections, plans' owner and objectives, objectives' owner,
//! embedded money and external references, `pageInfo`, `edges`, `nodes`,
//! `__typename`, aliases), the selection becomes a [`Plan`]: per level, which
//! rows to fetch (the same one-statement-per-relation-and-level queries as the
//! loaders) and, per field, a function that writes its JSON straight into the
//! response buffer.
//!
//! Anything else (fragments, directives, other fields, filters, arguments that
//! do not resolve, missing rows, errors of any kind) is not compiled or makes
//! execution give up, and the request goes through async-graphql as usual, so
//! errors, their codes and paths are always async-graphql's. async-graphql
//! keeps parsing, validation (including the complexity limit, recomputed here
//! for the request's variables), the schema and introspection.
//!
//! The output is byte for byte what async-graphql produces for the same
//! document and variables: a differential test (`tests/e2e/compiled.rs`) runs
//! every supported field, with aliases, variables and pagination, through both.

mod compile;
mod exec;
mod write;

pub use compile::{Plan, compile};
pub use exec::execute;
