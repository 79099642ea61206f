// The sample front-end: signs in to the demo tenant, loads a dashboard page,
// creates an account and reads it back, every result typed by the generated
// documents (tsc --strict). Usage: node dist/main.js GRAPHQL_URL
import { createClient, GraphQLRequestError } from './client.js';
import type { DashboardQuery, Tier } from './generated/graphql.js';
import {
  createAccountMutation,
  dashboardQuery,
  loginMutation,
  nodeByIdQuery,
} from './operations.js';

const url = process.argv[2];
if (!url) {
  console.error('usage: node dist/main.js GRAPHQL_URL');
  process.exit(2);
}

let failures = 0;
function check(what: string, ok: boolean, detail?: unknown): void {
  if (ok) {
    console.log(`  ok   ${what}`);
  } else {
    failures += 1;
    console.error(`  FAIL ${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
  }
}

// Exhaustive over the generated Tier union: a tier added to the schema makes
// this object fail to compile until the front-end handles it.
const tierLabel: Record<Tier, string> = {
  STRATEGIC: 'Strategic',
  KEY: 'Key',
  GROWTH: 'Growth',
  MAINTAIN: 'Maintain',
};

type AccountRow = DashboardQuery['accounts']['nodes'][number];

function describe(a: AccountRow): string {
  const revenue = a.annualRevenue ? `${a.annualRevenue.amount} ${a.annualRevenue.currency}` : 'n/a';
  const buyers = a.contacts.nodes
    .filter((c) => c.buyingRole === 'ECONOMIC_BUYER')
    .map((c) => `${c.firstName} ${c.lastName}`);
  return `${a.name} [${tierLabel[a.tier]}] owner ${a.owner.displayName}, revenue ${revenue}, economic buyer ${buyers.join(', ') || 'none'}`;
}

const client = createClient(url);

// Signed out: the server refuses with a typed error code, and no data.
try {
  await client.execute(dashboardQuery, { first: 1 });
  check('signed-out query is refused', false, 'got data');
} catch (e) {
  check('signed-out query is refused with UNAUTHENTICATED', e instanceof GraphQLRequestError && e.code === 'UNAUTHENTICATED', String(e));
}

try {
  await client.execute(loginMutation, {
    input: { tenant: 'demo', email: 'admin@demo.example', password: 'wrong-password-123' },
  });
  check('wrong password is refused', false, 'got a token');
} catch (e) {
  check('wrong password is refused with a code', e instanceof GraphQLRequestError && typeof e.code === 'string', String(e));
}

const { login } = await client.execute(loginMutation, {
  input: { tenant: 'demo', email: 'admin@demo.example', password: 'steward-demo-2026' },
});
check('login returns tokens', login.accessToken.length > 20 && login.refreshToken.length > 20);
check('login expiresAt is a future RFC 3339 time', Date.parse(login.expiresAt) > Date.now(), login.expiresAt);
check('login user is the demo admin', login.user.role === 'ADMIN', login.user);
client.setToken(login.accessToken);

const page1 = await client.execute(dashboardQuery, { first: 5 });
const rows = page1.accounts.nodes;
check(`viewer is ${page1.viewer.user.displayName} in ${page1.viewer.tenant.name}`, page1.viewer.user.role === 'ADMIN');
check('first page has 1..5 accounts', rows.length > 0 && rows.length <= 5, rows.length);
check('accounts are ordered by name', rows.every((a, i) => i === 0 || rows[i - 1]!.name.toLowerCase() <= a.name.toLowerCase()), rows.map((a) => a.name));
check('every account has id, name, tier, owner', rows.every((a) => a.id !== '' && a.name !== '' && a.tier in tierLabel && a.owner.displayName !== ''));
check('some account has contacts with first and last names', rows.some((a) => a.contacts.nodes.some((c) => c.firstName !== '' && c.lastName !== '')));
const withRevenue = rows.find((a) => a.annualRevenue !== null);
// Decimal is a JSON string: exact, parse it only for display or arithmetic.
check('annualRevenue.amount is a decimal string', withRevenue !== undefined && /^-?\d+(\.\d+)?$/.test(withRevenue.annualRevenue?.amount ?? ''), withRevenue?.annualRevenue);
for (const a of rows) console.log(`       ${describe(a)}`);

check('pageInfo says there is a next page', page1.accounts.pageInfo.hasNextPage && page1.accounts.pageInfo.endCursor !== null, page1.accounts.pageInfo);
const page2 = await client.execute(dashboardQuery, { first: 5, after: page1.accounts.pageInfo.endCursor });
const seen = new Set(rows.map((a) => a.id));
check('second page continues without overlap', page2.accounts.nodes.length > 0 && page2.accounts.nodes.every((a) => !seen.has(a.id)), page2.accounts.nodes.map((a) => a.name));

const name = `Codegen Sample ${Date.now()}`;
const { createAccount } = await client.execute(createAccountMutation, {
  input: { name, tier: 'KEY', status: 'PROSPECT', annualRevenue: { amount: '1234.50', currency: 'EUR' } },
});
const created = createAccount.account;
check('createAccount returns the account', created.name === name && created.tier === 'KEY' && created.version === 1, created);
check('createAccount keeps the decimal value', created.annualRevenue !== null && Number(created.annualRevenue.amount) === 1234.5 && created.annualRevenue.currency === 'EUR', created.annualRevenue);
check('createdAt is an RFC 3339 time', !Number.isNaN(Date.parse(created.createdAt)), created.createdAt);
check('the creator owns it', created.owner.displayName === login.user.displayName, created.owner);

const filtered = await client.execute(dashboardQuery, { first: 10, filter: { nameContains: 'Codegen Sample' } });
check('the filtered dashboard lists the new account', filtered.accounts.nodes.some((a) => a.id === created.id), filtered.accounts.nodes.map((a) => a.name));

const { node } = await client.execute(nodeByIdQuery, { id: created.id });
// node is the Node interface: __typename narrows it to the Account fields.
if (node?.__typename === 'Account') {
  check('node(id) resolves to the Account', node.name === name && node.tier === 'KEY', node);
} else {
  check('node(id) resolves to an Account', false, node);
}

if (failures > 0) {
  console.error(`FAIL typed client: ${failures} check(s) failed`);
  process.exit(1);
}
console.log('PASS typed client (GraphQL Code Generator) compiled with tsc --strict and ran against Steward');
