//! sea-orm entities: the tables as the database sees them. These types never
//! reach the GraphQL schema; the API maps them to its own types.

pub mod account;
pub mod account_competitor;
pub mod account_financial;
pub mod account_health;
pub mod account_insight;
pub mod account_plan;
pub mod account_profile;
pub mod account_signal;
pub mod account_team_member;
pub mod action_item;
pub mod action_item_contact;
pub mod activity;
pub mod activity_contact;
pub mod assessment;
pub mod business_unit;
pub mod contact;
pub mod contact_influence;
pub mod contact_preferred_user;
pub mod contingency;
pub mod contract;
pub mod exchange_rate;
pub mod growth_target;
pub mod health_model;
pub mod objective;
pub mod objective_progress;
pub mod opportunity;
pub mod plan_review;
pub mod plan_review_reviewer;
pub mod product;
pub mod refresh_token;
pub mod success_criterion;
pub mod tenant;
pub mod user;
pub mod value_chain_link;
pub mod white_space_cell;
