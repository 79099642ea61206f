//! Steward end to end: each test starts the real server on a random port
//! with its own database (a temporary SQLite file, or, with
//! `TEST_DATABASE_URL`, a fresh Postgres database cloned from a migrated
//! template) and talks GraphQL over HTTP.

// Tests may panic: that is how they fail.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod hierarchy;

mod accounts;
mod actions;
mod activities;
mod activity_changes;
mod alerts;
mod auth;
mod batching;
mod client_ip;
mod coalesce;
mod compiled;
mod compiled_lists;
mod compiled_relations;
mod contact_map;
mod contacts;
mod contracts;
mod coverage;
mod demo;
mod evidence;
mod field_errors;
mod financials;
mod http;
mod logs;
mod nodes;
mod opportunities;
mod pagination;
mod pareto;
mod permissions;
mod plans;
mod portfolio;
mod profile;
mod queries;
mod rls;
mod roti;
mod scalars;
mod schema;
mod secrets;
mod security;
mod signal_writes;
mod structure;
mod success;
mod team;
mod tenancy;
mod validation;
mod warm;
mod whitespace;
mod writes;
