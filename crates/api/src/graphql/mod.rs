//! The GraphQL schema: one module per aggregate, merged into the roots.
//! Resolvers are thin: decode input, call a service or loader, map the result.
//!
//! - `common/`: what the resolvers and the compiled read path (`crate::fast`)
//!   share: global ids, cursors, accepted dates, the `Decimal` scalar, every
//!   enum, the list filters and orderings, `Money` and `ExternalRef` with
//!   their inputs. It resolves no field and reads no request context;
//!   `fast/` imports from it only.
//! - One folder per aggregate (`account`, `contact`, `user` with `Tenant` and
//!   `Viewer`, `plan`, `actions`, `activity`, `whitespace`), by role:
//!   `object.rs` (the output types and their field resolvers), `input.rs`
//!   (input objects and payloads), `query.rs`, `mutation.rs`; its `mod.rs`
//!   re-exports what other modules use. `auth` (sign-in) and `node` (the
//!   `Node` interface and `node(id:)`) are one file each.
//! - `count.rs`: `totalCount` on connections.
//! - Here: the process and request state, the merged `Query` and `Mutation`
//!   roots, schema building, and the context helpers the resolvers use.
//!
//! The SDL lists fields in the order of the merged roots and of the resolver
//! methods: moving code must keep both (`schema.graphql` is checked).

pub mod account;
pub mod actions;
pub mod activity;
pub mod alerts;
pub mod auth;
pub mod common;
pub mod contact;
pub mod contact_map;
pub mod contract;
pub mod count;
pub mod coverage;
pub mod evidence;
pub(crate) mod fields;
pub mod financials;
pub mod health;
pub mod node;
pub mod opportunity;
pub mod pareto;
pub mod plan;
pub mod portfolio;
pub mod profile;
pub mod roti;
pub mod success;
pub mod team;
pub mod user;
pub mod whitespace;

use crate::auth::{TokenService, UserStatusCache};
use crate::config::Config;
use crate::error::{ApiError, ApiResult};
use crate::loaders::Loaders;
use async_graphql::{Context, EmptySubscription, MergedObject, Schema};
use domain::{Action, Principal, Record, authorize};
use persistence::Db;
use std::sync::Arc;

/// Process-wide state, in the schema's data.
pub struct AppState {
    pub db: Db,
    pub tokens: TokenService,
    pub user_status: UserStatusCache,
    pub rate_limits: crate::rate_limit::RateLimits,
    /// Bytes of the responses being built (see `response_budget`).
    pub responses: Arc<crate::response_budget::InFlight>,
    pub config: Config,
}

/// Per-request data: the verified caller (if any) and their loaders.
pub struct RequestData {
    pub principal: Option<Principal>,
    pub loaders: Option<Loaders>,
    /// The client's address (for login rate limits).
    pub client_ip: Option<std::net::IpAddr>,
}

/// The queries of Steward's API.
#[derive(MergedObject, Default)]
pub struct Query(
    account::AccountQuery,
    contact::ContactQuery,
    user::UserQuery,
    node::NodeQuery,
    plan::PlanQuery,
    whitespace::WhiteSpaceQuery,
    actions::ActionQuery,
    contract::ContractQuery,
    pareto::ParetoQuery,
    evidence::EvidenceQuery,
    alerts::AlertQuery,
    roti::RotiQuery,
);

/// The mutations of Steward's API; each takes one `input` and returns a payload.
#[derive(MergedObject, Default)]
pub struct Mutation(
    auth::AuthMutation,
    account::AccountMutation,
    team::TeamMutation,
    contact_map::ContactMapMutation,
    opportunity::OpportunityMutation,
    pareto::ParetoMutation,
    profile::ProfileMutation,
    financials::FinancialsMutation,
    success::SuccessMutation,
    evidence::EvidenceMutation,
    health::HealthMutation,
    alerts::AlertMutation,
    contract::ContractMutation,
    contact::ContactMutation,
    activity::ActivityMutation,
    plan::PlanMutation,
    whitespace::WhiteSpaceMutation,
    actions::ActionMutation,
    user::UserMutation,
);

pub type AppSchema = Schema<Query, Mutation, EmptySubscription>;

/// Builds the schema with the configured limits.
pub fn build_schema(state: Option<Arc<AppState>>, config: &Config) -> AppSchema {
    build_schema_with(state, config, async_graphql::ValidationMode::Strict)
}

/// The same schema with only the checks that depend on the request
/// (complexity, depth, fragment cycles): for documents that already passed
/// full validation (see `http::DocumentCache`).
pub fn build_prevalidated_schema(state: Option<Arc<AppState>>, config: &Config) -> AppSchema {
    build_schema_with(state, config, async_graphql::ValidationMode::Fast)
}

fn build_schema_with(
    state: Option<Arc<AppState>>,
    config: &Config,
    mode: async_graphql::ValidationMode,
) -> AppSchema {
    let mut b = Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .validation_mode(mode)
        .limit_depth(config.max_depth)
        .limit_complexity(config.max_complexity)
        .limit_recursive_depth(config.max_depth.max(32))
        .limit_directives(10);
    b = describe_library_types(b);
    if !config.introspection_enabled() {
        b = b.disable_introspection();
    }
    if config.mode == crate::config::Mode::Production {
        b = b.disable_suggestions();
    }
    let in_flight = state.as_ref().map_or_else(
        || crate::response_budget::InFlight::new(config.max_response_bytes_in_flight),
        |s| s.responses.clone(),
    );
    b = b.extension(crate::response_budget::ResponseBudget {
        max_bytes: config.max_response_bytes,
        in_flight,
    });
    if let Some(s) = state {
        b = b.data(s);
    }
    b.finish()
}

/// Descriptions for the types async-graphql defines (the Relay connection
/// wrappers and the scalars), whose own are missing or say nothing to a
/// client: every type in the schema is described.
fn describe_library_types(
    b: async_graphql::SchemaBuilder<Query, Mutation, EmptySubscription>,
) -> async_graphql::SchemaBuilder<Query, Mutation, EmptySubscription> {
    macro_rules! page {
        ($b:expr, $t:ty, $what:literal) => {
            $b.override_output_type_description::<$t>(concat!(
                "A page of ",
                $what,
                " (a Relay connection): `edges` with cursors, `nodes`, and `pageInfo`; ",
                "pass `pageInfo.endCursor` as `after` for the next page."
            ))
        };
    }
    let b = page!(b, account::AccountConnection, "accounts");
    let b = page!(b, activity::ActivityConnection, "activities");
    let b = page!(b, contact::ContactConnection, "contacts");
    let b = page!(b, contract::ContractConnection, "contracts");
    let b = page!(b, actions::OccurrenceConnection, "action-item occurrences");
    let b = page!(b, plan::PlanConnection, "account plans");
    let b = page!(b, user::UserConnection, "users");
    let b = page!(b, evidence::SignalConnection, "evidence signals");
    let b = page!(b, alerts::AlertConnection, "jeopardy alerts");
    b.override_output_type_description::<chrono::DateTime<chrono::Utc>>(
        "An instant, as an RFC 3339 string with a UTC offset (`2026-03-01T09:30:00Z`; \
         input may use any offset and is stored in UTC).",
    )
    .override_output_type_description::<chrono::NaiveDate>(
        "A calendar date without time or zone, as an ISO 8601 string `YYYY-MM-DD` \
         (`2026-03-01`).",
    )
}

/// The SDL of the schema (what `steward schema` prints).
pub fn sdl() -> String {
    let cfg = Config {
        introspection: Some(true),
        ..Config::default()
    };
    build_schema(None, &cfg).sdl()
}

pub(crate) fn state<'a>(ctx: &Context<'a>) -> ApiResult<&'a Arc<AppState>> {
    ctx.data::<Arc<AppState>>()
        .map_err(|_| ApiError::Internal("application state missing".into()))
}

pub(crate) fn client_ip(ctx: &Context<'_>) -> Option<std::net::IpAddr> {
    request(ctx).ok().and_then(|r| r.client_ip)
}

fn request<'a>(ctx: &Context<'a>) -> ApiResult<&'a RequestData> {
    ctx.data::<RequestData>()
        .map_err(|_| ApiError::Internal("request data missing".into()))
}

/// The verified caller, or UNAUTHENTICATED.
pub(crate) fn principal<'a>(ctx: &Context<'a>) -> ApiResult<&'a Principal> {
    request(ctx)?.principal.as_ref().ok_or_else(|| {
        ApiError::Unauthenticated("sign in: send `Authorization: Bearer <accessToken>`".into())
    })
}

/// The caller, authorised to read the tenant.
pub(crate) fn reader<'a>(ctx: &Context<'a>) -> ApiResult<&'a Principal> {
    let p = principal(ctx)?;
    authorize(p, Action::Read, Record::Tenant)?;
    Ok(p)
}

pub(crate) fn loaders<'a>(ctx: &Context<'a>) -> ApiResult<&'a Loaders> {
    reader(ctx)?;
    request(ctx)?
        .loaders
        .as_ref()
        .ok_or_else(|| ApiError::Internal("loaders missing".into()))
}

/// Prefixes the field of an input error with `input.`.
pub(crate) fn in_input(e: ApiError) -> ApiError {
    match e {
        ApiError::Validation(v) => ApiError::Validation(v.under("input")),
        ApiError::NotFound {
            what,
            field: Some(f),
        } => ApiError::NotFound {
            what,
            field: Some(format!("input.{f}")),
        },
        ApiError::Conflict {
            message,
            field: Some(f),
        } => ApiError::Conflict {
            message,
            field: Some(format!("input.{f}")),
        },
        other => other,
    }
}
