//! The field tables that `object!` makes for every object type backed by a
//! row: per type, a function per field computed from the row alone, a
//! leaf writer by GraphQL name, and the columns each field reads; and the
//! pure functions over loaded rows that both paths compute fields with
//! (white-space columns and totals). The
//! resolvers are made from the same description, so the compiled read path
//! (`crate::fast`) reaches the fields through here and writes nothing twice.

// Tables of types that the compiled path does not cover yet are used by
// the tests only.
#![allow(unused_imports)]

pub(crate) use super::account::{account_fields as account, subtree_revenue};
pub(crate) use super::actions::{
    action_item_fields as action_item, assessment_fields as assessment,
};
pub(crate) use super::activity::activity_fields as activity;
pub(crate) use super::alerts::jeopardy_alert_fields as jeopardy_alert;
pub(crate) use super::common::values::Money;
pub(crate) use super::common::values::{external_fields as external_ref, money_fields as money};
pub(crate) use super::contact::contact_fields as contact;
pub(crate) use super::contract::contract_fields as contract;
pub(crate) use super::evidence::signal_fields as signal;
pub(crate) use super::financials::{
    competitor_fields as competitor, financial_year_fields as financial_year,
};
pub(crate) use super::health::{
    account_health_fields as account_health, health_driver_fields as health_driver,
    health_point_fields as health_point, relationship_share_fields as relationship_share,
};
pub(crate) use super::opportunity::{
    PipelineTotal, opportunity_fields as opportunity, pipeline_of,
    pipeline_total_fields as pipeline_total,
};
pub(crate) use super::pareto::{
    Portfolio, exchange_rate_fields as exchange_rate, portfolio_fields as portfolio,
    revenue_ranking_fields as revenue_ranking,
};
pub(crate) use super::plan::{
    GrowthRollup, contingency_fields as contingency, growth_of,
    growth_rollup_fields as growth_rollup, growth_target_fields as growth_target,
    objective_fields as objective, plan_fields as plan, plan_review_fields as plan_review,
    progress_fields as progress,
};
pub(crate) use super::profile::{
    goals_of, insight_fields as insight, needs_of, profile_fields as profile, swot_of,
    threshold_fields as threshold, thresholds_of, trends_of,
};
pub(crate) use super::roti::roti_fields as roti;
pub(crate) use super::success::{criterion_fields as criterion, value_link_fields as value_link};
pub(crate) use super::team::team_member_fields as team_member;
pub(crate) use super::user::{tenant_fields as tenant, user_fields as user};
pub(crate) use super::whitespace::{
    WhiteSpaceTotals, business_unit_fields as business_unit, needs_cells_for_columns,
    product_fields as product, totals_of, visible_products,
    white_space_cell_fields as white_space_cell, white_space_totals_fields as white_space_totals,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every name in a field table is a field of its type in the schema
    /// (async-graphql names the resolvers after the functions; a name
    /// written differently would never be asked for).
    #[test]
    fn every_described_field_is_in_the_schema() {
        let sdl = crate::graphql::sdl();
        let doc = async_graphql::parser::parse_schema(&sdl).expect("schema parses");
        let fields_of = |ty: &str| -> Vec<String> {
            use async_graphql::parser::types::{TypeKind, TypeSystemDefinition};
            doc.definitions
                .iter()
                .find_map(|d| match d {
                    TypeSystemDefinition::Type(t) if t.node.name.node == ty => match &t.node.kind {
                        TypeKind::Object(o) => Some(
                            o.fields
                                .iter()
                                .map(|f| f.node.name.node.to_string())
                                .collect(),
                        ),
                        _ => None,
                    },
                    _ => None,
                })
                .unwrap_or_else(|| panic!("no object type {ty}"))
        };
        let tables: &[(&str, &[&str])] = &[
            ("Account", account::NAMES),
            ("ActionItem", action_item::NAMES),
            ("Assessment", assessment::NAMES),
            ("Activity", activity::NAMES),
            ("ExternalRef", external_ref::NAMES),
            ("Money", money::NAMES),
            ("Contact", contact::NAMES),
            ("Contingency", contingency::NAMES),
            ("GrowthTarget", growth_target::NAMES),
            ("Objective", objective::NAMES),
            ("Plan", plan::NAMES),
            ("PlanReview", plan_review::NAMES),
            ("ProgressPoint", progress::NAMES),
            ("Tenant", tenant::NAMES),
            ("User", user::NAMES),
            ("BusinessUnit", business_unit::NAMES),
            ("Product", product::NAMES),
            ("WhiteSpaceCell", white_space_cell::NAMES),
            ("WhiteSpaceTotals", white_space_totals::NAMES),
            ("GrowthRollup", growth_rollup::NAMES),
            ("ExchangeRate", exchange_rate::NAMES),
            ("RevenueRanking", revenue_ranking::NAMES),
            ("Portfolio", portfolio::NAMES),
            ("AccountInsight", insight::NAMES),
            ("AccountProfile", profile::NAMES),
            ("ApprovalThreshold", threshold::NAMES),
            ("FinancialYear", financial_year::NAMES),
            ("Competitor", competitor::NAMES),
            ("SuccessCriterion", criterion::NAMES),
            ("ValueChainLink", value_link::NAMES),
            ("Signal", signal::NAMES),
            ("JeopardyAlert", jeopardy_alert::NAMES),
            ("AccountHealth", account_health::NAMES),
            ("RelationshipShare", relationship_share::NAMES),
        ];
        for (ty, names) in tables {
            let fields = fields_of(ty);
            assert!(!names.is_empty(), "{ty}");
            for n in *names {
                assert!(
                    fields.iter().any(|f| f == n),
                    "{ty}.{n} is not in the schema"
                );
            }
        }
    }
}
