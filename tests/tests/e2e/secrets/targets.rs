//! Targets: every field that takes arguments, with valid arguments to start from.

use super::*;

pub(super) fn base_args(fx: &Fx, path: &str) -> Value {
    let id = |k: &str| json!(fx.ids[k]);
    let admin = json!(fx.admin_id);
    let money = |a: &str| json!({ "amount": a, "currency": "EUR" });
    let xref = |x: &str| json!({ "source": "crm", "externalId": x });
    match path {
        "Query.account" | "Query.node" => json!({ "id": id("account") }),
        "Query.contact" => json!({ "id": id("contact") }),
        "Query.user" => json!({ "id": id("user") }),
        "Query.plan" => json!({ "id": id("plan") }),
        "Query.actionItem" => json!({ "id": id("actionItem") }),
        "Query.contract" => json!({ "id": id("contract") }),
        "Query.upcomingRenewals" => json!({ "withinDays": 365 }),
        "Query.accounts" | "Viewer.accounts" => json!({
            "filter": { "tiers": ["KEY", "STRATEGIC"], "statuses": ["ACTIVE", "PROSPECT"], "ownerId": admin,
                "teamMemberId": admin, "nameContains": "Acme", "includeArchived": true,
                "topTwentyPercent": true },
            "orderBy": "NAME_ASC",
        }),
        "Query.plans" => json!({
            "filter": { "status": ["ACTIVE", "DRAFT"], "ownerId": admin, "accountId": id("account"), "periodContains": day(0) },
        }),
        "Query.products" => json!({ "includeInactive": true }),
        "Query.viewer"
        | "Query.portfolio"
        | "Query.signalKinds"
        | "Mutation.runJeopardyRules"
        | "Query.users"
        | "Query.overdueActions"
        | "Account.contacts"
        | "Account.plans"
        | "Account.children" => json!({}),
        "Account.signals" | "Contact.signals" => json!({ "filter": {
            "kinds": ["ADVICE_SOUGHT", "ESCALATION"], "polarity": "POSITIVE", "horizon": "LEADING",
            "dimension": "MIND", "observedFrom": format!("{}T00:00:00Z", day(-30)),
            "observedBefore": format!("{}T00:00:00Z", day(1)) } }),
        "Account.healthHistory" => json!({ "from": day(-60), "to": day(0), "interval": "WEEK" }),
        "AccountHealth.drivers" => json!({ "first": 3 }),
        "Mutation.recordSignal" => json!({ "input": {
            "accountId": id("account"), "kind": "INSIDE_INFORMATION_SHARED",
            "observedAt": format!("{}T09:00:00Z", day(-2)), "contactId": id("contact"),
            "activityId": id("activity"), "note": "n #" } }),
        "Mutation.removeSignal" => json!({ "input": { "id": id("signal"), "reason": "r #" } }),
        "Query.alerts" => {
            json!({ "filter": { "statuses": ["OPEN", "ACKNOWLEDGED"], "rules": ["LOW_HEALTH"],
            "ownerId": admin, "accountId": id("account") }, "first": 10 })
        }
        "Account.alerts" => json!({ "statuses": ["OPEN"] }),
        "Portfolio.inJeopardy" | "Portfolio.highPerformers" => json!({ "first": 5 }),
        "Account.roti" | "User.roti" => json!({ "period": { "from": day(-60), "to": day(0) } }),
        "Query.rotiLeaderboard" => {
            json!({ "period": { "named": "LAST_90_DAYS" }, "by": "ACCOUNT", "first": 5 })
        }
        "Mutation.acknowledgeAlert" => json!({ "input": { "id": id("alert"), "note": "n #" } }),
        "Mutation.resolveAlert" => json!({ "input": { "id": id("alert"), "note": "n #" } }),
        "Mutation.setAlertSettings" => json!({ "input": { "healthBelow": 35, "dropPoints": 12,
            "renewalWindowDays": 60, "renewalSignalDays": 30, "cadences": [{ "tier": "KEY", "days": 20 }] } }),
        "Mutation.setHealthModel" => json!({ "input": {
            "halfLifeDays": 60, "healthyFrom": 75, "jeopardyBelow": 35,
            "weights": [{ "kind": "ESCALATION", "weight": 6 }], "resetWeights": false } }),
        "ActionItem.occurrences" | "Viewer.agenda" => json!({ "from": day(-30), "to": day(30) }),
        "Mutation.login" => {
            json!({ "input": { "tenant": "acme", "email": "admin@acme.example", "password": PASSWORD } })
        }
        "Mutation.refreshToken" => json!({ "input": { "refreshToken": fx.refresh["refresh"] } }),
        "Mutation.logout" => json!({ "input": { "refreshToken": fx.refresh["logout"] } }),
        "Mutation.createAccount" => json!({ "input": {
            "name": "Fuzz #", "industry": "Logistics", "website": "https://fuzz.example", "region": "EMEA",
            "status": "ACTIVE", "tier": "KEY", "ownerId": admin, "annualRevenue": money("1000"),
            "walletEstimate": money("5000"), "externalRef": xref("acc-#") } }),
        "Mutation.updateAccount" => json!({ "input": {
            "id": id("account"), "name": "Acme Corp", "industry": "Logistics", "website": "https://acme.example",
            "region": "EMEA", "status": "ACTIVE", "tier": "KEY", "ownerId": admin, "annualRevenue": money("1000"),
            "walletEstimate": money("5000"), "externalRef": xref("acme") } }),
        "Mutation.addAccountTeamMember" => json!({ "input": {
            "accountId": id("account"), "userId": id("viewer"), "role": "SPECIALIST", "responsibility": "r #" } }),
        "Mutation.updateAccountTeamMember" => json!({ "input": {
            "accountId": id("account"), "userId": id("user"), "role": "ACCOUNT_MANAGER", "responsibility": "r #" } }),
        "Mutation.removeAccountTeamMember" => {
            json!({ "input": { "accountId": id("account"), "userId": id("user") } })
        }
        "Mutation.createContract" => json!({ "input": {
            "accountId": id("account"), "name": "Contract #", "value": money("1000"), "startDate": day(-30),
            "endDate": day(700), "renewalDate": day(300), "stage": "OPEN", "risk": "MEDIUM", "riskReason": "r",
            "externalRef": xref("k-#") } }),
        "Mutation.updateContract" => json!({ "input": {
            "id": id("contract"), "name": "MSA", "value": money("2000"), "startDate": day(-30), "endDate": day(700),
            "renewalDate": day(200), "stage": "IN_NEGOTIATION", "risk": "HIGH", "riskReason": "r",
            "externalRef": xref("msa") } }),
        "Mutation.deleteContract" => json!({ "input": { "id": id("contract") } }),
        "Mutation.addContactInfluence" => json!({ "input": {
            "fromContactId": id("contact"), "toContactId": id("contact2"), "kind": "INFLUENCES", "strength": "STRONG",
            "note": "n #" } }),
        "Mutation.removeContactInfluence" => json!({ "input": { "id": id("influence") } }),
        "Mutation.createOpportunity" => json!({ "input": {
            "accountId": id("account"), "name": "Opp #", "value": money("100"), "stage": "PROPOSAL",
            "expectedClose": day(90), "probability": 40, "productId": id("product"), "objectiveId": id("objective"),
            "externalRef": xref("o-#") } }),
        "Mutation.updateOpportunity" => json!({ "input": {
            "id": id("opportunity"), "name": "Opp", "value": money("200"), "stage": "NEGOTIATION",
            "expectedClose": day(60), "probability": 70, "productId": id("product"), "objectiveId": id("objective"),
            "externalRef": xref("opp") } }),
        "Mutation.deleteOpportunity" => json!({ "input": { "id": id("opportunity") } }),
        "Mutation.addAccountInsight" => json!({ "input": {
            "accountId": id("account"), "kind": "GOAL", "title": "Goal #", "detail": "d", "horizon": "LONG_TERM" } }),
        "Mutation.updateAccountInsight" => json!({ "input": {
            "id": id("insight"), "title": "Need #", "detail": "d", "priority": "HIGH" } }),
        "Mutation.removeAccountInsight" => json!({ "input": { "id": id("insight") } }),
        "Mutation.updateAccountProfile" => json!({ "input": {
            "accountId": id("account"), "mission": "m #", "vision": "v", "values": ["a", "b"],
            "marketPositioning": "p", "buyingSteps": ["RFI", "RFP"], "buyingCycleDays": 90,
            "approvalThresholds": [{ "from": money("0"), "signedBy": "CFO" }, { "from": money("1000"), "signedBy": "CEO" }] } }),
        "Mutation.setFinancialYear" => json!({ "input": {
            "accountId": id("account"), "fiscalYear": 2025, "revenue": money("1000"), "marginPercent": "10.5", "notes": "n #" } }),
        "Mutation.removeFinancialYear" => {
            json!({ "input": { "accountId": id("account"), "fiscalYear": 2025 } })
        }
        "Mutation.addCompetitor" => json!({ "input": {
            "accountId": id("account"), "name": "Rival #", "position": "CHALLENGER", "offering": "o", "notes": "n" } }),
        "Mutation.updateCompetitor" => json!({ "input": {
            "id": id("competitor"), "name": "Rival #", "position": "NICHE", "offering": "o", "notes": "n" } }),
        "Mutation.removeCompetitor" => json!({ "input": { "id": id("competitor") } }),
        "Mutation.addSuccessCriterion" => json!({ "input": {
            "accountId": id("account"), "metric": "Metric #", "unit": "%", "baseline": "1.5", "target": "9",
            "dueDate": day(90), "notes": "n" } }),
        "Mutation.updateSuccessCriterion" => json!({ "input": {
            "id": id("successCriterion"), "metric": "Metric #", "unit": "%", "baseline": "2", "target": "10",
            "dueDate": day(90), "notes": "n" } }),
        "Mutation.removeSuccessCriterion" => json!({ "input": { "id": id("successCriterion") } }),
        "Mutation.addValueChainLink" => json!({ "input": {
            "accountId": id("account"), "productId": id("product"), "businessOutcome": "Outcome #",
            "successCriterionId": id("successCriterion"), "notes": "n" } }),
        "Mutation.updateValueChainLink" => json!({ "input": {
            "id": id("valueChainLink"), "productId": id("product"), "businessOutcome": "Outcome #",
            "successCriterionId": id("successCriterion"), "notes": "n" } }),
        "Mutation.removeValueChainLink" => json!({ "input": { "id": id("valueChainLink") } }),
        "Mutation.setBusinessUnitParent" => {
            json!({ "input": { "id": id("businessUnit"), "parentId": null } })
        }
        "Mutation.setContactPreferredColleagues" => json!({ "input": {
            "contactId": id("contact"), "userIds": [admin.clone(), id("user")] } }),
        "Mutation.setExchangeRate" => json!({ "input": {
            "currency": "USD", "rate": "0.92", "validFrom": day(-1) } }),
        "Mutation.deleteExchangeRate" => {
            json!({ "input": { "currency": "USD", "validFrom": day(-1) } })
        }
        "Mutation.archiveAccount" | "Mutation.restoreAccount" | "Mutation.deleteAccount" => {
            json!({ "input": { "id": id("account") } })
        }
        "Mutation.createContact" => json!({ "input": {
            "accountId": id("account"), "firstName": "Fuzz", "lastName": "Contact #", "title": "CTO",
            "department": "IT", "email": "fuzz#@client.example", "phone": "+49 30 1234", "status": "ACTIVE",
            "buyingRole": "COACH", "influence": 3, "attitude": "NEUTRAL", "reportsToId": id("contact"),
            "relationshipOwnerId": admin, "externalRef": xref("c-#") } }),
        "Mutation.updateContact" => json!({ "input": {
            "id": id("contact2"), "firstName": "Bob", "lastName": "Ray", "title": "CFO", "department": "Finance",
            "email": "bob@client.example", "phone": "+49 30 5678", "status": "ACTIVE", "buyingRole": "INFLUENCER",
            "influence": 2, "attitude": "SUPPORTER", "reportsToId": id("contact"), "relationshipOwnerId": admin,
            "externalRef": xref("bob") } }),
        "Mutation.deleteContact" | "Mutation.eraseContactPersonalData" => {
            json!({ "input": { "id": id("contact") } })
        }
        "Mutation.logActivity" => json!({ "input": {
            "accountId": id("account"), "kind": "CALL",
            "occurredAt": (chrono::Utc::now() - chrono::Duration::hours(2)).to_rfc3339(),
            "hoursSpent": "1.5", "summary": "Fuzz call", "contactIds": [id("contact")], "externalRef": xref("act-#"),
            "participantIds": [id("user")] } }),
        "Mutation.updateActivity" => json!({ "input": {
            "id": id("activity"), "kind": "EXECUTIVE_BRIEFING",
            "occurredAt": (chrono::Utc::now() - chrono::Duration::hours(3)).to_rfc3339(),
            "hoursSpent": "2", "summary": "Fuzz briefing #", "contactIds": [id("contact")],
            "participantIds": [id("user")] } }),
        "Mutation.deleteActivity" => json!({ "input": { "id": id("activity") } }),
        "Account.activities" | "Contact.activities" => json!({ "filter": {
            "kinds": ["CALL", "MEETING"], "occurredFrom": format!("{}T00:00:00Z", day(-30)),
            "occurredBefore": format!("{}T00:00:00Z", day(1)), "contactId": id("contact") } }),
        "Mutation.createPlan" => json!({ "input": {
            "accountId": id("account"), "title": "Fuzz plan #", "strategySummary": "Grow",
            "periodStart": day(-30), "periodEnd": day(200), "ownerId": admin } }),
        "Mutation.updatePlan" => json!({ "input": {
            "id": id("plan"), "title": "Plan", "strategySummary": "Grow", "periodStart": day(-60),
            "periodEnd": day(300), "ownerId": admin } }),
        "Mutation.changePlanStatus" => json!({ "input": { "id": id("plan"), "status": "ACTIVE" } }),
        "Mutation.addObjective" => json!({ "input": {
            "planId": id("plan"), "title": "Objective #", "description": "d", "metric": "share", "unit": "%",
            "baseline": "1", "target": "10", "currentValue": "2", "confidence": 50, "dueDate": day(100),
            "ownerId": admin, "status": "ON_TRACK" } }),
        "Mutation.updateObjective" => json!({ "input": {
            "id": id("objective"), "title": "Share", "description": "d", "metric": "share", "unit": "%",
            "baseline": "1", "target": "10", "currentValue": "2", "confidence": 50, "dueDate": day(200),
            "ownerId": admin, "status": "ON_TRACK" } }),
        "Mutation.recordObjectiveProgress" => json!({ "input": {
            "objectiveId": id("objective"), "value": "3", "recordedOn": day(-1), "note": "n" } }),
        "Mutation.addGrowthTarget" => json!({ "input": {
            "planId": id("plan"), "kind": "REVENUE", "productLine": "Line #", "periodStart": day(-30),
            "periodEnd": day(60), "target": money("100"), "actual": "50" } }),
        "Mutation.setGrowthTargetActual" => {
            json!({ "input": { "id": id("growthTarget"), "actual": "10" } })
        }
        "Mutation.addPlanReview" => json!({ "input": {
            "planId": id("plan"), "reviewDate": day(-1), "outcome": "ON_TRACK", "notes": "n", "revisions": ["r"],
            "reviewerIds": [admin], "contingency": "c", "isFinal": false, "moveTo": null } }),
        "Mutation.addContingency" => json!({ "input": {
            "planId": id("plan"), "risk": "Risk #", "trigger": "t", "response": "r", "ownerId": admin } }),
        "Mutation.createProduct" => json!({ "input": { "name": "Product #", "description": "d" } }),
        "Mutation.updateProduct" => json!({ "input": {
            "id": id("product"), "name": "Freight", "description": "d", "active": true } }),
        "Mutation.addBusinessUnit" => json!({ "input": {
            "accountId": id("account"), "name": "Unit #", "kind": "DIVISION", "parentId": id("businessUnit") } }),
        "Mutation.setWhiteSpaceCell" => json!({ "input": {
            "accountId": id("account"), "businessUnitId": id("businessUnit"), "productId": id("product"),
            "status": "COMPETITOR_HELD", "estimatedValue": money("100"), "competitor": "Rival", "notes": "n",
            "competitorId": id("competitor"),
            "objectiveId": null } }),
        "Mutation.createActionItem" => json!({ "input": {
            "planId": id("plan"), "objectiveId": id("objective"), "title": "Item #", "notes": "n",
            "assigneeId": admin, "contactIds": [id("contact")], "cadence": "WEEKLY", "firstDueDate": day(3),
            "repeatUntil": day(60) } }),
        "Mutation.updateActionItem" => json!({ "input": {
            "id": id("actionItem"), "objectiveId": id("objective"), "title": "Weekly call", "notes": "n",
            "assigneeId": admin, "contactIds": [id("contact")], "cadence": "WEEKLY", "firstDueDate": day(-14),
            "repeatUntil": null, "status": "OPEN" } }),
        "Mutation.completeOccurrence" => json!({ "input": {
            "actionItemId": id("actionItem"), "dueDate": day(-14), "happened": true, "date": day(-14),
            "valueDelivered": 3, "learned": "l", "revise": "r",
            "followUp": { "title": "Follow-up #", "dueDate": day(10), "assigneeId": admin, "cadence": "ONCE" } } }),
        "Mutation.createUser" => json!({ "input": {
            "email": "fuzz#@acme.example", "displayName": "Fuzz", "role": "VIEWER", "password": OTHER_PASSWORD } }),
        "Mutation.updateUserRole" => {
            json!({ "input": { "id": id("user"), "role": "ACCOUNT_MANAGER" } })
        }
        "Mutation.deactivateUser" => json!({ "input": { "id": id("user") } }),
        other => panic!("no valid arguments for {other}: add them to secrets.rs"),
    }
}

pub(super) fn targets(sdl: &Sdl, fx: &Fx) -> Vec<Target> {
    let destructive = [
        "Mutation.archiveAccount",
        "Mutation.restoreAccount",
        "Mutation.deleteAccount",
        "Mutation.removeAccountTeamMember",
        "Mutation.deleteContract",
        "Mutation.removeContactInfluence",
        "Mutation.deleteOpportunity",
        "Mutation.deleteExchangeRate",
        "Mutation.removeAccountInsight",
        "Mutation.removeFinancialYear",
        "Mutation.removeSuccessCriterion",
        "Mutation.removeValueChainLink",
        "Mutation.removeCompetitor",
        "Mutation.removeSignal",
        "Mutation.acknowledgeAlert",
        "Mutation.resolveAlert",
        "Mutation.deleteActivity",
        "Mutation.deleteContact",
        "Mutation.eraseContactPersonalData",
        "Mutation.deactivateUser",
        "Mutation.updateUserRole",
        "Mutation.logout",
        "Mutation.refreshToken",
    ];
    let unchecked = ["Mutation.changePlanStatus", "Mutation.completeOccurrence"];
    let mut out = Vec::new();
    for (parent, fields) in &sdl.objects {
        for f in fields {
            let (kind, wrap, wrap_vars): (_, (String, String), Vec<WrapVar>) = match parent.as_str()
            {
                "Query" => ("query", Default::default(), vec![]),
                "Mutation" => ("mutation", Default::default(), vec![]),
                _ if f.args.is_empty() => continue,
                "Account" => (
                    "query",
                    ("account(id: $_p) {".into(), "}".into()),
                    vec![("_p", "ID!", json!(fx.ids["account"]))],
                ),
                "ActionItem" => (
                    "query",
                    ("actionItem(id: $_p) {".into(), "}".into()),
                    vec![("_p", "ID!", json!(fx.ids["actionItem"]))],
                ),
                "Viewer" => ("query", ("viewer {".into(), "}".into()), vec![]),
                "Contact" => (
                    "query",
                    ("contact(id: $_p) {".into(), "}".into()),
                    vec![("_p", "ID!", json!(fx.ids["contact"]))],
                ),
                "Portfolio" => ("query", ("portfolio {".into(), "}".into()), vec![]),
                "User" => (
                    "query",
                    ("user(id: $_p) {".into(), "}".into()),
                    vec![("_p", "ID!", json!(fx.ids["user"]))],
                ),
                "AccountHealth" => (
                    "query",
                    ("account(id: $_p) { health {".into(), "} }".into()),
                    vec![("_p", "ID!", json!(fx.ids["account"]))],
                ),
                other => panic!("{other}.{} takes arguments: add a way to reach it", f.name),
            };
            let path = format!("{parent}.{}", f.name);
            let base = match base_args(fx, &path) {
                Value::Object(m) => m,
                _ => unreachable!(),
            };
            out.push(Target {
                destructive: destructive.contains(&path.as_str()),
                check_base: !destructive.contains(&path.as_str())
                    && !unchecked.contains(&path.as_str()),
                path,
                kind,
                field: f.name.clone(),
                wrap,
                wrap_vars,
                args: f.args.clone(),
                selection: if sdl.objects.contains_key(base_name(&f.ty)) {
                    "{ __typename }"
                } else {
                    ""
                },
                base,
            });
        }
    }
    out
}
