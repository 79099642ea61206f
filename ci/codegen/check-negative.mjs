// The checks must be able to fail: tsc must reject negative/must-fail.ts with
// exactly the errors its `// expect TSnnnn` comments announce (on the next
// line), and codegen must reject negative/unknown-field.graphql.
// Usage (from ci/codegen, after codegen of src/): node check-negative.mjs
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let failed = false;
const fail = (msg) => { console.error(`FAIL ${msg}`); failed = true; };
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
};

const file = 'negative/must-fail.ts';
const expected = new Set();
readFileSync(file, 'utf8').split('\n').forEach((line, i) => {
  const m = line.match(/\/\/ expect (TS\d+)/);
  if (m) expected.add(`${i + 2} ${m[1]}`);
});
const tsc = run('node_modules/.bin/tsc', ['-p', 'tsconfig.negative.json', '--pretty', 'false']);
const got = new Set();
for (const m of tsc.out.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+)/gm)) {
  if (m[1] !== file) fail(`unexpected error outside ${file}: ${m[0]}`);
  got.add(`${m[2]} ${m[3]}`);
}
const key = (s) => [...s].sort().join(', ');
if (tsc.status === 0) fail(`tsc accepted ${file}`);
else if (expected.size === 0 || key(got) !== key(expected)) {
  fail(`tsc errors in ${file}: expected [${key(expected)}], got [${key(got)}]\n${tsc.out}`);
} else console.log(`  ok   tsc rejects ${file} with exactly ${expected.size} expected errors (${[...new Set([...expected].map((e) => e.split(' ')[1]))].join(', ')})`);

const cg = run('node_modules/.bin/graphql-codegen', ['--config', 'codegen.negative.ts']);
const want = 'Cannot query field "revenue" on type "Account"';
if (cg.status === 0) fail('codegen accepted negative/unknown-field.graphql');
else if (!cg.out.includes(want)) fail(`codegen failed without "${want}":\n${cg.out}`);
else console.log(`  ok   codegen rejects negative/unknown-field.graphql: ${want}`);

process.exit(failed ? 1 : 0);
