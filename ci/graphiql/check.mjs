// Opens GraphiQL (served by Steward, no CDN) in headless Chromium, signs in to
// the demo tenant, runs a query for accounts with contacts and checks the
// result shown. Usage: node check.mjs URL SCREENSHOT_PATH
import { chromium } from 'playwright-core';

const [url, shot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const fail = async (msg) => {
  console.error(`FAIL ${msg}`);
  await browser.close();
  process.exit(1);
};
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const external = [];
  page.on('request', (r) => { if (!r.url().startsWith(new URL(url).origin)) external.push(r.url()); });
  // Sign in the way a user would (the login mutation), then start GraphiQL
  // with the token in its headers and a query in its editor.
  const login = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'mutation { login(input: {tenant: "demo", email: "admin@demo.example", password: "steward-demo-2026"}) { accessToken } }' }) });
  const token = (await login.json()).data.login.accessToken;
  await page.addInitScript(([t]) => {
    localStorage.clear();
    localStorage.setItem('graphiql:headers', JSON.stringify({ Authorization: `Bearer ${t}` }));
    localStorage.setItem('graphiql:query', '{ accounts(first: 3) { nodes { name contacts(first: 2) { nodes { fullName } } } } }');
  }, [token]);
  await page.goto(url);
  await page.waitForSelector('.graphiql-container', { timeout: 30000 });
  await page.waitForFunction(() => document.querySelector('.graphiql-query-editor')?.textContent?.includes('accounts'), null, { timeout: 30000 });
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(() => document.querySelector('.result-window')?.textContent?.includes('fullName'), null, { timeout: 30000 });
  const text = await page.textContent('.result-window');
  if (!text.includes('"accounts"') || text.includes('"errors"')) await fail(`unexpected result: ${text.slice(0, 300)}`);
  if (external.length) await fail(`requests outside Steward: ${external.join(', ')}`);
  if (shot) await page.screenshot({ path: shot });
  console.log('PASS GraphiQL loaded, signed in and ran a query; no external requests');
  await browser.close();
} catch (e) {
  await fail(e.message);
}
