//! Steward's API: GraphQL schema and resolvers, authentication, the HTTP
//! surface, and the application wiring used by the `steward` binary and the
//! end-to-end tests.

pub mod app;
pub mod auth;
pub mod client_ip;
pub mod config;
pub mod demo;
pub mod error;
pub mod fast;
pub mod field_errors;
pub mod graphql;
pub mod http;
pub mod limits;
pub mod loaders;
pub mod metrics;
pub mod rate_limit;
pub mod response_budget;
pub mod response_order;

pub mod services;

pub use app::Application;
pub use config::Config;
