// Must NOT compile (ci/codegen/run.sh checks that tsc reports exactly these
// errors), so the strict compile of src/ cannot pass vacuously, e.g. with
// result types that degraded to `any`.
import type { DashboardQuery, DashboardQueryVariables, Tier } from '../src/generated/graphql.js';

declare const data: DashboardQuery;
const account = data.accounts.nodes[0];
if (account) {
  // expect TS2339: `industry` is in the schema but not selected by Dashboard.
  console.log(account.industry);
  // expect TS18047: annualRevenue is nullable (Money, not Money!).
  console.log(account.annualRevenue.amount);
}
// expect TS2322: not a Tier.
export const tier: Tier = 'PLATINUM';
// expect TS2741: `first` is a required variable (Int!).
export const vars: DashboardQueryVariables = { after: null };
