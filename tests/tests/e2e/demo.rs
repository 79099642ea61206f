//! The demo tenant a fresh development server creates: a new user signs in
//! and finds a realistic portfolio.

use crate::helpers::*;
use serde_json::{Value, json};

#[tokio::test]
async fn a_fresh_development_server_has_a_demo_tenant_to_sign_in_to() {
    let app = spawn_app_with(|c| c.seed_demo = Some(true)).await;
    let admin = app
        .login(
            "demo",
            "admin@demo.example",
            steward_api::demo::DEMO_PASSWORD,
        )
        .await;
    let r = app
        .graphql(
            Some(&admin.token),
            "{ accounts(first: 5) { pageInfo { hasNextPage } nodes { name contacts(first: 3) { nodes { fullName reportsTo { fullName } } } } } }",
            json!({}),
        )
        .await;
    assert_eq!(r.data("accounts.pageInfo.hasNextPage"), &json!(true));
    let nodes = r.data("accounts.nodes").as_array().unwrap();
    assert_eq!(nodes.len(), 5);
    assert!(
        nodes
            .iter()
            .all(|n| !n["contacts"]["nodes"].as_array().unwrap().is_empty())
    );

    // Strategic accounts carry an active plan with objectives, a white space and a cadence.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ accounts(first: 20, filter: {tiers: [STRATEGIC]}) { nodes { name
                plans { nodes { status objectives { progressPercent progress { value } } reviews { outcome } actionItems { title cadence } } }
                whiteSpace { cells { status } totals { currency serviced openOpportunity competitorHeld } } } } }",
            json!({}),
        )
        .await;
    let strategic = r.data("accounts.nodes").as_array().unwrap();
    assert_eq!(strategic.len(), 3);
    for a in strategic {
        let plan = &a["plans"]["nodes"][0];
        assert_eq!(plan["status"], "ACTIVE", "{a}");
        assert_eq!(plan["objectives"].as_array().unwrap().len(), 3);
        assert!(
            !plan["objectives"][0]["progress"]
                .as_array()
                .unwrap()
                .is_empty()
        );
        assert_eq!(plan["reviews"][0]["outcome"], "NEEDS_ADJUSTMENT");
        assert_eq!(plan["actionItems"].as_array().unwrap().len(), 4);
        assert_eq!(a["whiteSpace"]["cells"].as_array().unwrap().len(), 12);
        assert_eq!(a["whiteSpace"]["totals"][0]["currency"], "EUR");
    }
    // Each account has its team: the owner first; strategic accounts an
    // executive sponsor too; account managers find their accounts.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ accounts(first: 20, filter: {tiers: [STRATEGIC]}) { nodes { owner { id } team { role user { id } responsibility } } } }",
            json!({}),
        )
        .await;
    for a in r.data("accounts.nodes").as_array().unwrap() {
        let team = a["team"].as_array().unwrap();
        assert_eq!(team[0]["role"], "OWNER", "{a}");
        assert_eq!(team[0]["user"]["id"], a["owner"]["id"]);
        assert!(
            team.iter()
                .any(|m| m["role"] == "EXECUTIVE_SPONSOR" && m["responsibility"].is_string()),
            "{a}"
        );
    }
    let alex = app
        .login(
            "demo",
            "alex.am@demo.example",
            steward_api::demo::DEMO_PASSWORD,
        )
        .await;
    let r = app
        .graphql(
            Some(&alex.token),
            "{ viewer { accounts(first: 50) { totalCount nodes { team { role user { id } } } } } }",
            json!({}),
        )
        .await;
    let mine = r.data("viewer.accounts.nodes").as_array().unwrap();
    assert!(mine.len() > 3, "{}", r.body);
    for a in mine {
        assert!(
            a["team"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m["user"]["id"] == json!(alex.id)),
            "{a}"
        );
    }
    // A global account with its subsidiaries and the group's revenue.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ accounts(first: 30, filter: {nameContains: \"Northwind\"}) { nodes { name parent { name } \
                children(first: 5) { totalCount nodes { name ancestors { name } } } subtreeRevenue { amount currency } } } }",
            json!({}),
        )
        .await;
    let nodes = r.data("accounts.nodes").as_array().unwrap().clone();
    let head = nodes
        .iter()
        .find(|n| n["name"] == "Northwind Logistics")
        .unwrap_or_else(|| panic!("{}", r.body));
    assert_eq!(head["children"]["totalCount"], json!(2), "{head}");
    assert_eq!(
        head["children"]["nodes"][0]["ancestors"],
        json!([{ "name": "Northwind Logistics" }])
    );
    assert_eq!(head["subtreeRevenue"][0]["currency"], "EUR");
    // Strategic accounts come with their profile.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ accounts(first: 50, filter: {tiers: [STRATEGIC]}) { nodes { goals { kind } needs { priority } \
               swot { kind } industryTrends { title } profile { mission buyingSteps approvalThresholds { signedBy } } \
               trajectory financials { growthPercent } competitors { name } \
               successCriteria { metric } valueChain { successCriterion { metric } } \
               plans(first: 1) { nodes { objectives { successCriterion { metric } } } } \
               whiteSpace { rows { kind parent { name } } } \
               contacts(first: 1) { nodes { preferredColleagues { displayName } } } \
               whiteSpace { cells { status competitorDetails { name } } } } } }",
            json!({}),
        )
        .await;
    let strategic = r.data("accounts.nodes").as_array().unwrap().clone();
    assert!(!strategic.is_empty());
    for a in &strategic {
        assert_eq!(a["goals"][0]["kind"], "GOAL", "{a}");
        assert_eq!(a["needs"][0]["priority"], "CRITICAL", "{a}");
        assert_eq!(a["swot"].as_array().unwrap().len(), 3, "{a}");
        assert_eq!(a["profile"]["approvalThresholds"][2]["signedBy"], "Board");
        assert_eq!(a["trajectory"], "GROWING", "{a}");
        assert_eq!(a["successCriteria"].as_array().unwrap().len(), 1, "{a}");
        assert_eq!(
            a["valueChain"][1]["successCriterion"]["metric"],
            "Sites with real-time tracking"
        );
        let served = a["plans"]["nodes"][0]["objectives"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| !o["successCriterion"].is_null())
            .count();
        assert_eq!(served, 1, "{a}");
        for u in a["whiteSpace"]["rows"].as_array().unwrap() {
            assert_eq!(u["kind"] == "LOCATION", !u["parent"].is_null(), "{u}");
        }
        assert!(
            !a["contacts"]["nodes"][0]["preferredColleagues"]
                .as_array()
                .unwrap()
                .is_empty(),
            "{a}"
        );
        assert_eq!(a["financials"].as_array().unwrap().len(), 3, "{a}");
        assert_eq!(a["competitors"].as_array().unwrap().len(), 2, "{a}");
        for c in a["whiteSpace"]["cells"].as_array().unwrap() {
            assert_eq!(
                c["status"] == "COMPETITOR_HELD",
                c["competitorDetails"]["name"] == "FastFreight AG",
                "{c}"
            );
        }
    }
    // The top 20%: subsidiaries in GBP and USD are ranked through the
    // tenant's rates; the Nordic one (SEK, no rate) says why it is not.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ portfolio { rankedAccounts unrankedAccounts topTwentyPercentAccounts paretoRevenueShare }                viewer { tenant { exchangeRates { currency } } }                accounts(first: 50, filter: {nameContains: \"Pharma\"}) { nodes { name revenueRank                revenueRanking { unrankedReason convertedRevenue { currency } } } }                nordics: accounts(first: 5, filter: {nameContains: \"Nordics\"}) { nodes { revenueRanking { unrankedReason } } }                top: accounts(first: 50, filter: {topTwentyPercent: true}) { totalCount } }",
            json!({}),
        )
        .await;
    let p = r.data("portfolio");
    assert!(p["rankedAccounts"].as_i64().unwrap() >= 5, "{p}");
    assert!(p["unrankedAccounts"].as_i64().unwrap() >= 1, "{p}");
    assert!(p["paretoRevenueShare"].as_f64().unwrap() > 0.2, "{p}");
    assert_eq!(
        r.data("top.totalCount"),
        &p["topTwentyPercentAccounts"],
        "{}",
        r.body
    );
    assert_eq!(
        r.data("viewer.tenant.exchangeRates")
            .as_array()
            .unwrap()
            .len(),
        3
    );
    for n in r.data("accounts.nodes").as_array().unwrap() {
        assert!(n["revenueRank"].as_i64().is_some(), "{n}");
        assert_eq!(n["revenueRanking"]["convertedRevenue"]["currency"], "EUR");
    }
    assert_eq!(
        r.data("nordics.nodes")[0]["revenueRanking"]["unrankedReason"],
        "NO_EXCHANGE_RATE"
    );
    // Renewals coming up, some at risk.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ upcomingRenewals(withinDays: 120, first: 20) { totalCount nodes { risk riskReason account { name } } } }",
            json!({}),
        )
        .await;
    assert!(
        r.data("upcomingRenewals.totalCount").as_i64().unwrap() >= 2,
        "{}",
        r.body
    );
    let all = r.data("upcomingRenewals.nodes").as_array().unwrap().clone();
    let r = app
        .graphql(
            Some(&admin.token),
            "{ upcomingRenewals(withinDays: 400, first: 50) { nodes { risk riskReason } } }",
            json!({}),
        )
        .await;
    let year = r.data("upcomingRenewals.nodes").as_array().unwrap().clone();
    assert!(year.len() >= all.len());
    assert!(
        year.iter()
            .any(|c| c["risk"] == "HIGH" && c["riskReason"].is_string()),
        "{}",
        r.body
    );
    // Gaps in coverage to find: a departed key contact, an unaddressed
    // blocker; the database finds the same accounts.
    for kind in ["KEY_CONTACT_LEFT", "BLOCKER_UNADDRESSED"] {
        let r = app
            .graphql(
                Some(&admin.token),
                "query($k: CoverageGapKind!) { accounts(first: 50, filter: {hasCoverageGap: $k}) { totalCount \
                    nodes { coverage { score gaps { kind contacts { fullName status } } } } } }",
                json!({ "k": kind }),
            )
            .await;
        let nodes = r.data("accounts.nodes").as_array().unwrap().clone();
        assert!(!nodes.is_empty(), "{kind}: {}", r.body);
        for n in &nodes {
            let gaps = n["coverage"]["gaps"].as_array().unwrap();
            assert!(gaps.iter().any(|g| g["kind"] == kind), "{kind}: {n}");
            assert!(n["coverage"]["score"].as_i64().unwrap() < 100);
        }
    }
    // The key contact map of the fullest account: a coach, a blocker,
    // influence links of every kind, both renderings.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ accounts(first: 50) { nodes { name contactMap { nodes { buyingRole status } \
                edges { kind strength } mermaid dot } } } }",
            json!({}),
        )
        .await;
    let maps: Vec<Value> = r
        .data("accounts.nodes")
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["contactMap"].clone())
        .collect();
    let full = maps
        .iter()
        .find(|m| {
            let roles: Vec<&str> = m["nodes"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|n| n["buyingRole"].as_str())
                .collect();
            let kinds: Vec<&str> = m["edges"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| e["kind"].as_str().unwrap())
                .collect();
            roles.contains(&"COACH")
                && roles.contains(&"BLOCKER")
                && ["REPORTS_TO", "INFLUENCES", "ALLY", "RIVAL"]
                    .iter()
                    .all(|k| kinds.contains(k))
        })
        .unwrap_or_else(|| panic!("no full map: {}", r.body));
    assert!(full["dot"].as_str().unwrap().starts_with("digraph"));
    assert!(full["mermaid"].as_str().unwrap().starts_with("flowchart"));
    // Opportunities and the open pipeline.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ accounts(first: 50, filter: {tiers: [STRATEGIC]}) { nodes { opportunities { stage } pipeline { currency open weighted count } } } }",
            json!({}),
        )
        .await;
    for n in r.data("accounts.nodes").as_array().unwrap() {
        assert_eq!(n["opportunities"].as_array().unwrap().len(), 3, "{n}");
        assert_eq!(n["pipeline"][0]["count"], json!(2), "{n}");
    }
    // A year of evidence: health differs visibly between accounts.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ accounts(first: 50) { nodes { name activities(first: 20) { totalCount } health { score band trend signalCount } share { heart mind wallet } } } }",
            json!({}),
        )
        .await;
    let nodes = r.data("accounts.nodes").as_array().unwrap();
    let bands: Vec<&Value> = nodes.iter().map(|n| &n["health"]["band"]).collect();
    for band in ["HEALTHY", "WATCH", "IN_JEOPARDY"] {
        assert!(bands.iter().any(|b| *b == band), "{band}: {bands:?}");
    }
    assert!(
        nodes.iter().any(|n| n["health"]["trend"] == "FALLING"),
        "{nodes:?}"
    );
    // The portfolio's accounts (not the subsidiaries added to them).
    let with: Vec<&Value> = nodes
        .iter()
        .filter(|n| n["health"]["signalCount"] != 0)
        .collect();
    assert!(with.len() >= 12, "{}", with.len());
    for n in with {
        assert_eq!(n["health"]["signalCount"], 24, "{n}");
        assert_eq!(n["activities"]["totalCount"], 12, "{n}");
    }
    // Accounts in jeopardy show as alerts.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ alerts(first: 50, filter: {statuses: [OPEN]}) { totalCount nodes { rule evidence account { name } } } }",
            json!({}),
        )
        .await;
    let rules: Vec<&str> = r
        .data("alerts.nodes")
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["rule"].as_str().unwrap())
        .collect();
    assert!(rules.contains(&"LOW_HEALTH"), "{rules:?}");
    assert!(rules.contains(&"DECISION_MAKER_LEFT"), "{rules:?}");
    // ROTI differs between accounts: the strategic ones have revenue
    // actuals this fiscal year, every account a year of hours.
    let r = app
        .graphql(
            Some(&admin.token),
            "{ rotiLeaderboard(by: ACCOUNT, first: 50) { rank account { name } roti { hoursInvested perHour { amount } basis } } }",
            json!({}),
        )
        .await;
    let board = r.data("rotiLeaderboard").as_array().unwrap().clone();
    let ratios: Vec<&Value> = board
        .iter()
        .map(|e| &e["roti"]["perHour"])
        .filter(|p| !p.is_null())
        .collect();
    assert!(ratios.len() >= 3, "{board:?}");
    assert_ne!(ratios[0], ratios[ratios.len() - 1]);
    assert!(
        board.len() >= 12,
        "every account with hours: {}",
        board.len()
    );
    // Every demo user can sign in.
    for u in steward_api::demo::DEMO_USERS {
        app.login("demo", u.email, steward_api::demo::DEMO_PASSWORD)
            .await;
    }
}
