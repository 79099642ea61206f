//! The field tables of the row-backed types as the generic part of the
//! compiled path sees them (`simple::Table`): the leaves and embedded
//! values from `graphql::fields` (made by `object!`), and each type's
//! relations to other row-backed types: the key a row carries and the batch
//! read of the related rows (`lists`, the loaders' own reads). A selection
//! made of these compiles at any depth, one statement per relation and
//! level (`simple::SObj`). Relations with arguments or computed from more
//! than rows (`occurrences`, `nextOccurrence`, connections) are not here:
//! documents selecting them under these types give way to async-graphql.

use super::lists;
use super::simple::{self, Kids, Relation, Table, To, table};
use crate::graphql::fields;
use persistence::entity::{
    account, account_competitor, account_insight, account_plan, account_profile, account_signal,
    account_team_member, action_item, activity, assessment, business_unit, contact, contingency,
    contract, exchange_rate, growth_target, jeopardy_alert, objective, objective_progress,
    opportunity, plan_review, product, success_criterion, tenant, user, value_chain_link,
    white_space_cell,
};

pub(super) const USER: Table<user::Model> = table!("User", fields::user, user_rel);
pub(super) const ROTI: Table<crate::services::roti::RotiView> = table!("Roti", fields::roti);
pub(super) const TENANT: Table<tenant::Model> = table!("Tenant", fields::tenant, tenant_rel);
pub(super) const EXCHANGE_RATE: Table<exchange_rate::Model> =
    table!("ExchangeRate", fields::exchange_rate);
pub(super) const RANKING: Table<crate::services::pareto::Ranking> =
    table!("RevenueRanking", fields::revenue_ranking);
pub(super) const HEALTH: Table<crate::services::signals::HealthView> =
    table!("AccountHealth", fields::account_health, health_rel);
pub(super) const DRIVER: Table<crate::services::signals::DriverView> =
    table!("HealthDriver", fields::health_driver, driver_rel);
pub(super) const HEALTH_POINT: Table<crate::graphql::health::HealthPoint> =
    table!("HealthPoint", fields::health_point);
pub(super) const SHARE: Table<crate::graphql::health::RelationshipShare> =
    table!("RelationshipShare", fields::relationship_share);
pub(super) const INSIGHT: Table<account_insight::Model> = table!("AccountInsight", fields::insight);
pub(super) const PROFILE: Table<account_profile::Model> =
    table!("AccountProfile", fields::profile, profile_rel);
pub(super) const THRESHOLD: Table<crate::services::profiles::StoredThreshold> =
    table!("ApprovalThreshold", fields::threshold);
pub(super) const FINANCIAL_YEAR: Table<crate::services::financials::YearView> =
    table!("FinancialYear", fields::financial_year);
pub(super) const COMPETITOR: Table<account_competitor::Model> =
    table!("Competitor", fields::competitor);
pub(super) const CRITERION: Table<success_criterion::Model> =
    table!("SuccessCriterion", fields::criterion);
pub(super) const VALUE_LINK: Table<value_chain_link::Model> =
    table!("ValueChainLink", fields::value_link, value_link_rel);
pub(super) const PORTFOLIO: Table<fields::Portfolio> = table!("Portfolio", fields::portfolio);
pub(super) const ACTIVITY: Table<activity::Model> = table!("Activity", fields::activity, activity);
pub(super) const SIGNAL: Table<account_signal::Model> = table!("Signal", fields::signal, signal);
pub(super) const ALERT: Table<jeopardy_alert::Model> =
    table!("JeopardyAlert", fields::jeopardy_alert, alert);
pub(super) const ACCOUNT: Table<account::Model> = table!("Account", fields::account, account);
pub(super) const CONTACT: Table<contact::Model> = table!("Contact", fields::contact, contact);
pub(super) const PLAN: Table<account_plan::Model> = table!("Plan", fields::plan, plan);
pub(super) const OBJECTIVE: Table<objective::Model> =
    table!("Objective", fields::objective, objective);
pub(super) const PROGRESS: Table<objective_progress::Model> =
    table!("ProgressPoint", fields::progress);
pub(super) const GROWTH_ROLLUP: Table<fields::GrowthRollup> =
    table!("GrowthRollup", fields::growth_rollup);
pub(super) const GROWTH_TARGET: Table<growth_target::Model> =
    table!("GrowthTarget", fields::growth_target);
pub(super) const REVIEW: Table<plan_review::Model> =
    table!("PlanReview", fields::plan_review, plan_review);
pub(super) const CONTINGENCY: Table<contingency::Model> =
    table!("Contingency", fields::contingency, contingency);
pub(super) const ACTION_ITEM: Table<action_item::Model> =
    table!("ActionItem", fields::action_item, action_item);
pub(super) const ASSESSMENT: Table<assessment::Model> =
    table!("Assessment", fields::assessment, assessment);
pub(super) const UNIT: Table<business_unit::Model> =
    table!("BusinessUnit", fields::business_unit, business_unit);
pub(super) const PRODUCT: Table<product::Model> = table!("Product", fields::product);
pub(super) const CELL: Table<white_space_cell::Model> =
    table!("WhiteSpaceCell", fields::white_space_cell, cell);
pub(super) const CONTRACT: Table<contract::Model> =
    table!("Contract", fields::contract, contract_rel);
pub(super) const OPPORTUNITY: Table<opportunity::Model> =
    table!("Opportunity", fields::opportunity, opportunity_rel);
pub(super) const PIPELINE: Table<fields::PipelineTotal> =
    table!("PipelineTotal", fields::pipeline_total);
pub(super) const MONEY: Table<fields::Money> = table!("Money", fields::money);
pub(super) const TEAM_MEMBER: Table<account_team_member::Model> =
    table!("AccountTeamMember", fields::team_member, team_member);

/// `rel!(to, |row| key, |cc, f| children)`: one relation read by key;
/// `rel!(rows to, |row| key, |cc, f| computed)`: one computed from the rows.
macro_rules! rel {
    (rows $to:ident, $key:expr, $compile:expr) => {
        Some(Relation {
            key: $key,
            to: To::$to,
            kids: Kids::ByRow($compile),
        })
    };
    ($to:ident, $key:expr, $compile:expr) => {
        Some(Relation {
            key: $key,
            to: To::$to,
            kids: Kids::ByKey($compile),
        })
    };
}

/// One of an account's insight lists, computed by `fields::$group`.
macro_rules! insights {
    ($group:ident) => {
        rel!(Many, |a| Some(a.id), |cc, f| {
            simple::computed(
                cc,
                f,
                &INSIGHT,
                (lists::insights_of, |i| i.account_id),
                fields::$group,
            )
        })
    };
}

fn account(n: &str) -> Option<Relation<account::Model>> {
    match n {
        "owner" => rel!(Required, |a| Some(a.owner_id), |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        "team" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::list(cc, f, &TEAM_MEMBER, lists::teams, |m| m.account_id)
        }),
        "coverage" => rel!(rows Required, |a| Some(a.id), super::coverage::compile),
        "contactMap" => rel!(rows Required, |a| Some(a.id), super::contact_map::compile),
        "opportunities" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::list(cc, f, &OPPORTUNITY, lists::opportunities_of, |o| {
                o.account_id
            })
        }),
        "pipeline" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::computed(
                cc,
                f,
                &PIPELINE,
                (lists::opportunities_of, |o| o.account_id),
                fields::pipeline_of,
            )
        }),
        "contracts" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::list(cc, f, &CONTRACT, lists::contracts_of, |c| c.account_id)
        }),
        "parent" => rel!(One, |a| a.parent_id, |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        "ancestors" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::linked(
                cc,
                f,
                &ACCOUNT,
                (lists::ancestor_pairs, lists::accounts, |a| a.id),
                None,
            )
        }),
        "financials" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::computed(
                cc,
                f,
                &FINANCIAL_YEAR,
                (lists::financials_of, |y| y.account_id),
                crate::services::financials::years_of,
            )
        }),
        "trajectory" => rel!(rows One, |a| Some(a.id), super::trajectory::compile),
        "health" | "share" => rel!(rows Required, |a| Some(a.id), super::health::compile),
        "signals" => rel!(rows Required, |a| Some(a.id), super::signals::of_accounts),
        "alerts" => rel!(rows Required, |a| Some(a.id), super::alerts::compile),
        "healthHistory" => rel!(rows Required, |a| Some(a.id), super::history::compile),
        "roti" => rel!(rows Required, |a| Some(a.id), super::roti::of_accounts),
        // With a filter (`compile.rs` reads the unfiltered list itself).
        "activities" => rel!(rows Required, |a| Some(a.id), super::activities::of_accounts),
        "successCriteria" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::list(cc, f, &CRITERION, lists::criteria_of, |c| c.account_id)
        }),
        "valueChain" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::list(cc, f, &VALUE_LINK, lists::value_links_of, |l| l.account_id)
        }),
        "competitors" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::list(cc, f, &COMPETITOR, lists::competitors_of, |c| c.account_id)
        }),
        "profile" => rel!(One, |a| Some(a.id), |cc, f| {
            simple::one(cc, f, &PROFILE, lists::profiles_of, |p| p.account_id)
        }),
        // The four insight lists share one read per level (the memo).
        "goals" => insights!(goals_of),
        "industryTrends" => insights!(trends_of),
        "needs" => insights!(needs_of),
        "swot" => insights!(swot_of),
        "revenueRank" | "isTopTwentyPercent" => {
            rel!(rows Required, |a| Some(a.id), super::ranking::compile)
        }
        "revenueRanking" => rel!(rows Required, |a| Some(a.id), super::ranking::compile),
        "subtreeRevenue" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::computed(
                cc,
                f,
                &MONEY,
                (lists::revenue_rollup, |r| r.0),
                fields::subtree_revenue,
            )
        }),
        _ => None,
    }
}

fn value_link_rel(n: &str) -> Option<Relation<value_chain_link::Model>> {
    match n {
        "product" => rel!(One, |l| Some(l.product_id), |cc, f| {
            simple::one(cc, f, &PRODUCT, lists::products, |p| p.id)
        }),
        "successCriterion" => rel!(One, |l| l.success_criterion_id, |cc, f| {
            simple::one(cc, f, &CRITERION, lists::criteria, |c| c.id)
        }),
        _ => None,
    }
}

fn profile_rel(n: &str) -> Option<Relation<account_profile::Model>> {
    match n {
        "approvalThresholds" => rel!(rows Many, |p| Some(p.id), |cc, f| {
            simple::derived(cc, f, &THRESHOLD, |p| p.id, fields::thresholds_of)
        }),
        _ => None,
    }
}

fn tenant_rel(n: &str) -> Option<Relation<tenant::Model>> {
    match n {
        "exchangeRates" => rel!(Many, |t| Some(t.tenant_id), |cc, f| {
            simple::list(cc, f, &EXCHANGE_RATE, lists::exchange_rates, |r| {
                r.tenant_id
            })
        }),
        _ => None,
    }
}

fn opportunity_rel(n: &str) -> Option<Relation<opportunity::Model>> {
    match n {
        "account" => rel!(Required, |o| Some(o.account_id), |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        _ => None,
    }
}

fn contract_rel(n: &str) -> Option<Relation<contract::Model>> {
    match n {
        "account" => rel!(Required, |c| Some(c.account_id), |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        _ => None,
    }
}

fn team_member(n: &str) -> Option<Relation<account_team_member::Model>> {
    match n {
        "account" => rel!(Required, |m| Some(m.account_id), |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        "user" => rel!(Required, |m| Some(m.user_id), |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        _ => None,
    }
}

fn activity(n: &str) -> Option<Relation<activity::Model>> {
    match n {
        "account" => rel!(Required, |a| Some(a.account_id), |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        "loggedBy" => rel!(One, |a| a.created_by, |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        "contacts" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::linked(
                cc,
                f,
                &CONTACT,
                (lists::activity_contacts, lists::contacts, |c| c.id),
                Some(|a, b| (&a.name_key, a.id).cmp(&(&b.name_key, b.id))),
            )
        }),
        "participants" => rel!(Many, |a| Some(a.id), |cc, f| {
            simple::linked(
                cc,
                f,
                &USER,
                (lists::activity_participants, lists::users, |u| u.id),
                None,
            )
        }),
        "actionItem" => rel!(One, |a| a.action_item_id, |cc, f| {
            simple::one(cc, f, &ACTION_ITEM, lists::action_items_by_ids, |i| i.id)
        }),
        _ => None,
    }
}

fn health_rel(n: &str) -> Option<Relation<crate::services::signals::HealthView>> {
    match n {
        "drivers" => rel!(rows Required, |h| Some(h.account), super::drivers::compile),
        _ => None,
    }
}

fn driver_rel(n: &str) -> Option<Relation<crate::services::signals::DriverView>> {
    match n {
        "signal" => rel!(rows Required, |d| Some(d.signal.id), super::drivers::signal_of),
        _ => None,
    }
}

fn user_rel(n: &str) -> Option<Relation<user::Model>> {
    match n {
        "roti" => rel!(rows Required, |u| Some(u.id), super::roti::of_users),
        _ => None,
    }
}

fn alert(n: &str) -> Option<Relation<jeopardy_alert::Model>> {
    match n {
        "account" => rel!(Required, |a| Some(a.account_id), |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        "acknowledgedBy" => rel!(One, |a| a.acknowledged_by, |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        "resolvedBy" => rel!(One, |a| a.resolved_by, |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        _ => None,
    }
}

fn signal(n: &str) -> Option<Relation<account_signal::Model>> {
    match n {
        "account" => rel!(Required, |s| Some(s.account_id), |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        "contact" => rel!(One, |s| s.contact_id, |cc, f| {
            simple::one(cc, f, &CONTACT, lists::contacts, |c| c.id)
        }),
        "activity" => rel!(One, |s| s.activity_id, |cc, f| {
            simple::one(cc, f, &ACTIVITY, lists::activities, |a| a.id)
        }),
        "recordedBy" => rel!(One, |s| s.created_by, |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        _ => None,
    }
}

fn contact(n: &str) -> Option<Relation<contact::Model>> {
    match n {
        "signals" => rel!(rows Required, |c| Some(c.id), super::signals::of_contacts),
        "activities" => rel!(rows Required, |c| Some(c.id), super::activities::of_contacts),
        "preferredColleagues" => rel!(Many, |c| Some(c.id), |cc, f| {
            simple::linked(
                cc,
                f,
                &USER,
                (lists::preferred_pairs, lists::users, |u| u.id),
                None,
            )
        }),
        "account" => rel!(Required, |c| Some(c.account_id), |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        "reportsTo" => rel!(One, |c| c.reports_to_id, |cc, f| {
            simple::one(cc, f, &CONTACT, lists::contacts, |c| c.id)
        }),
        "directReports" => rel!(Many, |c| Some(c.id), |cc, f| {
            simple::list(cc, f, &CONTACT, lists::direct_reports, |c| {
                c.reports_to_id.unwrap_or_default()
            })
        }),
        "relationshipOwner" => rel!(One, |c| c.relationship_owner_id, |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        _ => None,
    }
}

fn plan(n: &str) -> Option<Relation<account_plan::Model>> {
    match n {
        "account" => rel!(Required, |p| Some(p.account_id), |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        "owner" => rel!(Required, |p| Some(p.owner_id), |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        "objectives" => rel!(Many, |p| Some(p.id), |cc, f| {
            simple::list(cc, f, &OBJECTIVE, lists::objectives_of, |o| o.plan_id)
        }),
        "growthTargets" => rel!(Many, |p| Some(p.id), |cc, f| {
            simple::list(cc, f, &GROWTH_TARGET, lists::growth_targets, |g| g.plan_id)
        }),
        "growth" => rel!(Many, |p| Some(p.id), |cc, f| {
            simple::computed(
                cc,
                f,
                &GROWTH_ROLLUP,
                (lists::growth_targets, |g| g.plan_id),
                |targets| fields::growth_of(targets.iter().copied()),
            )
        }),
        "reviews" => rel!(Many, |p| Some(p.id), |cc, f| {
            simple::list(cc, f, &REVIEW, lists::reviews, |r| r.plan_id)
        }),
        "contingencies" => rel!(Many, |p| Some(p.id), |cc, f| {
            simple::list(cc, f, &CONTINGENCY, lists::contingencies, |c| c.plan_id)
        }),
        "actionItems" => rel!(Many, |p| Some(p.id), |cc, f| {
            simple::list(cc, f, &ACTION_ITEM, lists::action_items, |i| i.plan_id)
        }),
        _ => None,
    }
}

fn objective(n: &str) -> Option<Relation<objective::Model>> {
    match n {
        "plan" => rel!(Required, |o| Some(o.plan_id), |cc, f| {
            simple::one(cc, f, &PLAN, lists::plans, |p| p.id)
        }),
        "owner" => rel!(One, |o| o.owner_id, |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        "successCriterion" => rel!(One, |o| o.success_criterion_id, |cc, f| {
            simple::one(cc, f, &CRITERION, lists::criteria, |c| c.id)
        }),
        "progress" => rel!(Many, |o| Some(o.id), |cc, f| {
            simple::list(cc, f, &PROGRESS, lists::progress, |p| p.objective_id)
        }),
        _ => None,
    }
}

fn plan_review(n: &str) -> Option<Relation<plan_review::Model>> {
    match n {
        "reviewers" => rel!(Many, |r| Some(r.id), |cc, f| {
            simple::linked(
                cc,
                f,
                &USER,
                (lists::reviewers, lists::users, |u| u.id),
                None,
            )
        }),
        _ => None,
    }
}

fn contingency(n: &str) -> Option<Relation<contingency::Model>> {
    match n {
        "owner" => rel!(One, |c| c.owner_id, |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        _ => None,
    }
}

fn action_item(n: &str) -> Option<Relation<action_item::Model>> {
    match n {
        "plan" => rel!(Required, |i| Some(i.plan_id), |cc, f| {
            simple::one(cc, f, &PLAN, lists::plans, |p| p.id)
        }),
        "objective" => rel!(One, |i| i.objective_id, |cc, f| {
            simple::one(cc, f, &OBJECTIVE, lists::objectives, |o| o.id)
        }),
        "assignee" => rel!(Required, |i| Some(i.assignee_id), |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        "contacts" => rel!(Many, |i| Some(i.id), |cc, f| {
            simple::linked(
                cc,
                f,
                &CONTACT,
                (lists::item_contacts, lists::contacts, |c| c.id),
                Some(|a, b| (&a.name_key, a.id).cmp(&(&b.name_key, b.id))),
            )
        }),
        "assessments" => rel!(Many, |i| Some(i.id), |cc, f| {
            simple::list(cc, f, &ASSESSMENT, lists::assessments, |a| a.action_item_id)
        }),
        // Computed with the services' functions (`occurrences.rs`).
        "nextOccurrence" => rel!(rows One, |i| Some(i.id), super::occurrences::next),
        "occurrences" => rel!(rows Many, |i| Some(i.id), super::occurrences::window),
        _ => None,
    }
}

fn assessment(n: &str) -> Option<Relation<assessment::Model>> {
    match n {
        "actionItem" => rel!(Required, |a| Some(a.action_item_id), |cc, f| {
            simple::one(cc, f, &ACTION_ITEM, lists::action_items_by_ids, |i| i.id)
        }),
        "followUp" => rel!(One, |a| a.follow_up_action_id, |cc, f| {
            simple::one(cc, f, &ACTION_ITEM, lists::action_items_by_ids, |i| i.id)
        }),
        "assessedBy" => rel!(One, |a| a.created_by, |cc, f| {
            simple::one(cc, f, &USER, lists::users, |u| u.id)
        }),
        _ => None,
    }
}

fn business_unit(n: &str) -> Option<Relation<business_unit::Model>> {
    match n {
        "parent" => rel!(One, |u| u.parent_id, |cc, f| {
            simple::one(cc, f, &UNIT, lists::units, |u| u.id)
        }),
        "account" => rel!(Required, |u| Some(u.account_id), |cc, f| {
            simple::one(cc, f, &ACCOUNT, lists::accounts, |a| a.id)
        }),
        _ => None,
    }
}

fn cell(n: &str) -> Option<Relation<white_space_cell::Model>> {
    match n {
        "businessUnit" => rel!(Required, |c| Some(c.business_unit_id), |cc, f| {
            simple::one(cc, f, &UNIT, lists::units, |u| u.id)
        }),
        "product" => rel!(Required, |c| Some(c.product_id), |cc, f| {
            simple::one(cc, f, &PRODUCT, lists::products, |p| p.id)
        }),
        "objective" => rel!(One, |c| c.objective_id, |cc, f| {
            simple::one(cc, f, &OBJECTIVE, lists::objectives, |o| o.id)
        }),
        "competitorDetails" => rel!(One, |c| c.competitor_id, |cc, f| {
            simple::one(cc, f, &COMPETITOR, lists::competitors, |c| c.id)
        }),
        _ => None,
    }
}
