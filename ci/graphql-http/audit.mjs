// GraphQL-over-HTTP conformance audit: runs the `serverAudits` of the pinned
// npm `graphql-http` package against a running Steward.
//
//   node audit.mjs [URL]        (default: $AUDIT_URL or http://127.0.0.1:18765/graphql)
//   AUDIT_AUTH='Bearer <accessToken>'   sent as `Authorization` on every request
//
// One line per audit: `PASS|WARN|FAIL <id> <name>` (a failed MAY prints WARN
// and is reported only). Exit 1 when a MUST fails, a SHOULD warns or an
// audit cannot run at all.

// `graphql-http/lib/audits/server` is not in the package's `exports` map
// (ERR_PACKAGE_PATH_NOT_EXPORTED); the package root re-exports the same
// `serverAudits` from lib/audits/server.mjs.
import { serverAudits } from 'graphql-http';

const url =
  process.argv[2] || process.env.AUDIT_URL || 'http://127.0.0.1:18765/graphql';
const auth = process.env.AUDIT_AUTH || '';

/** `fetch` with the caller's Authorization header added. */
function fetchFn(input, init = {}) {
  const headers = new Headers(init.headers);
  if (auth && !headers.has('authorization')) {
    headers.set('authorization', auth);
  }
  return fetch(input, { ...init, headers });
}

/** The requirement level an audit name starts with (MUST, SHOULD, MAY). */
const level = (name) => name.split(' ', 1)[0];

let failed = 0;
const counts = { PASS: 0, WARN: 0, FAIL: 0 };
for (const audit of serverAudits({ url, fetchFn })) {
  let result;
  try {
    result = await audit.fn();
  } catch (err) {
    // graphql-http throws only on fatal problems (e.g. the server is unreachable).
    result = {
      id: audit.id,
      name: audit.name,
      status: 'fatal',
      reason: `${err}${err?.cause ? ` (${err.cause})` : ''}`,
    };
  }
  let word;
  if (result.status === 'ok') {
    word = 'PASS';
  } else if (result.status === 'error' || result.status === 'fatal') {
    word = 'FAIL';
  } else {
    // 'warn' (a SHOULD) or 'notice' (a MAY).
    word = 'WARN';
  }
  const blocking =
    result.status !== 'ok' &&
    (result.status === 'error' ||
      result.status === 'warn' ||
      result.status === 'fatal' ||
      level(result.name) !== 'MAY');
  if (blocking) failed++;
  counts[word]++;
  let line = `${word} ${result.id} ${result.name}`;
  if (result.status !== 'ok') {
    let detail = result.reason;
    if (result.response) {
      const body = await result.response.text().catch(() => '');
      detail += ` (HTTP ${result.response.status}${body ? `: ${body.slice(0, 200)}` : ''})`;
    }
    line += ` -- ${detail.replace(/\s+/g, ' ')}${blocking ? '' : ' [MAY: not required]'}`;
  }
  console.log(line);
}

console.log(
  `graphql-http audit of ${url}: ${counts.PASS} pass, ${counts.WARN} warn, ${counts.FAIL} fail; ${failed} blocking (MUST/SHOULD)`,
);
process.exit(failed > 0 ? 1 : 0);
