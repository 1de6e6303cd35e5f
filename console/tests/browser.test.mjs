// Browser tests of the console (issue 26): Debian's Chromium driven by playwright-core
// against `rapport serve` on a demo workspace in a fresh SQLite file, on a free loopback port.
// Screenshots of each page, GraphQL requests per page and the customer 360's first render go
// to RAPPORT_CONSOLE_ARTIFACTS (default target/console-screenshots/); axe-core finds no
// serious or critical violation on any page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = resolve(ROOT, process.env.RAPPORT_BIN ?? 'target/debug/rapport');
const ARTIFACTS = resolve(ROOT, process.env.RAPPORT_CONSOLE_ARTIFACTS ?? 'target/console-screenshots');
const CHROMIUM = process.env.RAPPORT_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'console-tests-password-1';

let dir;
let server;
let base;
let browser;
let demo;
const metrics = { graphql_requests_per_page: {}, customer_360_first_render_ms: [], axe: {} };

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

async function waitUp(url, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${ms} ms`);
}

/**
 * A response's JSON body; anything else fails with the status, headers and body seen (a
 * stalled server worker shows as actix-web's bodiless 408: the request waited more than 5 s).
 */
async function json(response) {
  const text = await response.text();
  try {
    return JSON.parse(text);
  } catch {
    const headers = JSON.stringify(Object.fromEntries(response.headers));
    throw new Error(`${response.url} answered ${response.status} ${headers} with a body that is not JSON: ${JSON.stringify(text.slice(0, 500))}`);
  }
}

/** The API's own answer, for comparing with what the console shows. */
async function api(email, query, variables = {}) {
  const t = await json(await fetch(`${base}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  }));
  const r = await json(await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${t.access_token}` },
    body: JSON.stringify({ query, variables }),
  }));
  assert.equal(r.errors, undefined, JSON.stringify(r.errors));
  return r.data;
}

/** A signed-in tab; every CSP violation or page error fails the test that made it. */
async function signedInPage(email) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.problems = [];
  page.graphql = 0;
  page.on('console', (m) => {
    if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) page.problems.push(m.text());
  });
  page.on('pageerror', (e) => page.problems.push(String(e)));
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/graphql') page.graphql++;
  });
  await page.goto(`${base}/console/`);
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

/** Goes to a page through the app's navigation and counts its GraphQL requests. */
async function visit(page, label, ready) {
  await page.waitForLoadState('networkidle');
  page.graphql = 0;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
  await ready();
  await page.waitForLoadState('networkidle');
  metrics.graphql_requests_per_page[label] = page.graphql;
}

/** Follows an in-app address without a page load (a reload would end the in-memory session). */
async function go(page, path) {
  await page.evaluate((p) => {
    history.pushState(null, '', `/console${p}`);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

const fmt = (n) => new Intl.NumberFormat('en-GB').format(n);

async function shot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** axe-core in the page (evaluated by the driver, so the page's CSP still holds). */
async function accessible(page, name) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const found = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 3) }));
  });
  metrics.axe[name] = found.map((v) => `${v.impact}: ${v.id}`);
  const bad = found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(bad, [], `${name}: ${JSON.stringify(bad, null, 1)}`);
}

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'rapport-console-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    RAPPORT_DATABASE_URL: `sqlite://${join(dir, 'rapport.db')}`,
    RAPPORT_BIND: `127.0.0.1:${port}`,
    RAPPORT_JWT_SECRET: 'console-tests-secret-0123456789abcdef',
    RAPPORT_LOG: process.env.RAPPORT_LOG ?? 'warn',
  };
  delete env.RAPPORT_REDIS_URL;
  if (process.env.RAPPORT_CONSOLE_SEED) {
    // A shortcut while working on the console: a copy of a database `rapport demo` made
    // before (seed.db) and what it printed (seed.json). CI always makes a fresh one.
    copyFileSync(join(process.env.RAPPORT_CONSOLE_SEED, 'seed.db'), join(dir, 'rapport.db'));
    demo = JSON.parse(readFileSync(join(process.env.RAPPORT_CONSOLE_SEED, 'seed.json'), 'utf8'));
  } else {
    demo = JSON.parse(execFileSync(BIN, ['demo', '--password', PASSWORD], { env, encoding: 'utf8', maxBuffer: 1 << 24 }));
  }
  server = spawn(BIN, ['serve'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  await waitUp(`${base}/healthz`, 60_000);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
});

after(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
  writeFileSync(join(ARTIFACTS, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the console is served from the binary with a strict Content-Security-Policy, linked from /', async () => {
  const res = await fetch(`${base}/console/customers/anything`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /script-src 'self'/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  const html = await res.text();
  assert.doesNotMatch(html, /https?:\/\//, 'no outside URL');
  assert.equal((await fetch(`${base}/console/assets/nope.js`)).status, 404);
  const landing = await (await fetch(`${base}/`)).text();
  assert.match(landing, /href="\/console\/"/);
  const graphiql = await fetch(`${base}/graphql`);
  assert.doesNotMatch(graphiql.headers.get('content-security-policy') ?? '', /script-src[^;]*unsafe-inline/);
});

test('a wrong password is a sentence, not a code', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/console/`);
  await page.getByLabel('E-mail').fill(demo.owner_email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('That e-mail and password do not match an account.').waitFor();
  await accessible(page, 'sign-in');
  await shot(page, '00-sign-in-error');
  await context.close();
});

let owner;

test('sign in, the overview, search and open a customer, read their CLV', async () => {
  owner = await signedInPage(demo.owner_email);
  await page_ready_overview(owner);
  await shot(owner, '01-overview');
  await accessible(owner, 'overview');

  await visit(owner, 'Customers', () => owner.getByRole('table', { name: 'Customers' }).waitFor());
  const first = (await owner.getByRole('table', { name: 'Customers' }).getByRole('link').first().textContent()).trim();
  const term = first.split(/\s+/)[0];
  await owner.getByRole('searchbox', { name: 'Search' }).fill(term.slice(0, Math.max(3, term.length - 1)));
  await owner.waitForFunction(
    (t) => {
      const names = [...document.querySelectorAll('table[aria-label="Customers"] tbody tr td:first-child a')].map((a) => a.textContent ?? '');
      return names.length > 0 && names.every((n) => n.toLowerCase().split(/\s+/).some((w) => w.startsWith(t)));
    },
    term.slice(0, Math.max(3, term.length - 1)).toLowerCase(),
  );
  await shot(owner, '02-customers-search');
  await accessible(owner, 'customers');

  // A filter: organizations only.
  const orgs = await api(demo.owner_email, '{ accounts(first: 50, filter: { kind: "organization" }, sort: "name") { nodes { id } } }');
  await owner.getByRole('searchbox', { name: 'Search' }).fill('');
  await owner.getByRole('combobox', { name: 'Kind' }).selectOption('organization');
  await owner.waitForFunction(
    (ids) => {
      const shown = [...document.querySelectorAll('table[aria-label="Customers"] tbody tr td:first-child a')].map((a) => a.getAttribute('href'));
      return shown.length === ids.length && shown.every((h, i) => h === `/console/customers/${ids[i]}`);
    },
    orgs.accounts.nodes.map((n) => n.id),
  );
  await owner.getByRole('combobox', { name: 'Kind' }).selectOption('');

  // Infinite scroll: clearing the search and scrolling brings a second keyset page.
  await owner.getByRole('searchbox', { name: 'Search' }).fill('');
  await owner.waitForFunction(() => document.querySelectorAll('table[aria-label="Customers"] tbody tr').length === 50);
  await owner.locator('.sentinel').scrollIntoViewIfNeeded();
  await owner.waitForFunction(() => document.querySelectorAll('table[aria-label="Customers"] tbody tr').length > 50);

  // Open a buyer with a CLV: the first of the at-risk list (every one has a prediction).
  const risk = await api(demo.owner_email, '{ valueSettings { reportingCurrency } atRiskAccounts(first: 1) { nodes { accountId name clv } } }');
  const target = risk.atRiskAccounts.nodes[0];
  await owner.getByRole('searchbox', { name: 'Search' }).fill(target.name);
  await owner.locator(`a[href="/console/customers/${target.accountId}"]`).waitFor();
  await owner.waitForLoadState('networkidle');
  owner.graphql = 0;
  await owner.locator(`a[href="/console/customers/${target.accountId}"]`).click();
  await owner.getByRole('heading', { level: 1, name: target.name }).waitFor();
  const clv = (await owner.getByTestId('clv').textContent()).trim();
  const expected = new Intl.NumberFormat('en-GB', { style: 'currency', currency: risk.valueSettings.reportingCurrency }).format(target.clv / 100);
  assert.equal(clv, expected);
  const words = await owner.getByTestId('explain').textContent();
  assert.match(words, /chance that .* is still an active customer/);
  assert.match(words, new RegExp(`customer lifetime value is ${expected.replace(/[$.]/g, '\\$&')}`));
  await owner.getByRole('heading', { name: 'Offers and vouchers' }).waitFor();
  await owner.getByRole('heading', { name: 'Feedback', exact: true }).waitFor();
  await owner.waitForLoadState('networkidle');
  metrics.graphql_requests_per_page['Customer 360'] = owner.graphql;
  const render = await owner.evaluate(() => performance.getEntriesByName('customer-360').map((e) => e.duration));
  assert.equal(render.length, 1);
  metrics.customer_360_first_render_ms.push(Math.round(render[0]));
  await shot(owner, '03-customer-360');
  // The README's picture (docs/console-customer-360.png is a copy): the top of the page.
  await owner.screenshot({ path: join(ARTIFACTS, 'readme-customer-360.png'), clip: { x: 0, y: 0, width: 1280, height: 720 } });
  await accessible(owner, 'customer-360');

  // The first render again, a few times (BENCHMARKS.md takes the median): from the overview,
  // whose list of the most value at risk starts with this customer.
  for (let i = 0; i < 5; i++) {
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await owner.locator(`a[href="/console/customers/${target.accountId}"]`).waitFor();
    await owner.evaluate(() => performance.clearMeasures('customer-360'));
    await owner.locator(`a[href="/console/customers/${target.accountId}"]`).click();
    await owner.getByTestId('clv').waitFor();
    await owner.waitForFunction(() => performance.getEntriesByName('customer-360').length === 1);
    const again = await owner.evaluate(() => performance.getEntriesByName('customer-360')[0].duration);
    metrics.customer_360_first_render_ms.push(Math.round(again));
  }
});

async function page_ready_overview(page) {
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
  await page.getByText('Net revenue').waitFor();
}

test('value: the RFM grid and the at-risk list', async () => {
  await visit(owner, 'Overview', () => page_ready_overview(owner));
  await visit(owner, 'Value', () => owner.getByRole('img', { name: /^RFM grid/ }).waitFor());
  await owner.getByRole('table', { name: 'RFM segments' }).waitFor();
  await shot(owner, '04-value');
  await accessible(owner, 'value');
});

test('overview: revenue and margin per month over 12 months, as the API reports them', async () => {
  await visit(owner, 'Overview', () => page_ready_overview(owner));
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - 1);
  d.setUTCDate(1);
  const r = await api(
    demo.owner_email,
    `{ churnReport(period: "month", from: "${d.toISOString().slice(0, 10)}") { currency periods { period revenue margin } } }`,
  );
  const periods = r.churnReport.periods;
  assert.ok(periods.length >= 12, JSON.stringify(periods));
  assert.ok(periods.some((p) => Number(p.revenue) > 0), 'the demo has revenue in the last 12 months');
  const last = periods[periods.length - 1];
  const money = (minor) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: r.churnReport.currency }).format(Number(minor) / 100);
  assert.equal((await owner.getByTestId('revenue-month').textContent()).trim(), money(last.revenue));
  await owner.getByRole('img', { name: /^Revenue per month, last 12 months: / }).waitFor();
  await owner.getByRole('img', { name: /^Margin per month, last 12 months: / }).waitFor();
  await owner.getByRole('img', { name: /^NPS per month/ }).waitFor();
  await shot(owner, '01b-overview-revenue');
});

test('cohorts: the retention heatmap; loyalty: the programme and its rewards', async () => {
  await visit(owner, 'Cohorts', () => owner.getByRole('img', { name: /^Monthly retention of \d+ cohorts/ }).waitFor());
  await shot(owner, '04b-cohorts');
  await accessible(owner, 'cohorts');
  await visit(owner, 'Loyalty', () => owner.getByRole('heading', { name: 'Tiers' }).waitFor());
  await owner.getByRole('heading', { name: 'Rewards' }).waitFor();
  await shot(owner, '04c-loyalty');
  await accessible(owner, 'loyalty');
});

test('build a segment and see the count the API gives', async () => {
  await visit(owner, 'Segments', () => owner.getByRole('heading', { name: 'Build a segment' }).waitFor());
  const cond = owner.getByRole('group', { name: 'Condition 1' });
  await cond.getByLabel('Field').selectOption('orders_count');
  await cond.getByLabel('Comparison').selectOption('>=');
  await cond.getByLabel('Value').fill('6');
  await owner.getByRole('button', { name: 'Add a condition' }).click();
  const second = owner.getByRole('group', { name: 'Condition 2' });
  await second.getByLabel('Field').selectOption('risk_band');
  await second.getByLabel('Value').selectOption('healthy');
  const rule = { all: [{ field: 'orders_count', op: '>=', value: 6 }, { field: 'risk_band', op: '=', value: 'healthy' }] };
  const want = (await api(demo.owner_email, 'query($r: JSON!) { previewSegment(rule: $r) { count } }', { r: rule })).previewSegment.count;
  assert.ok(want > 0, 'the demo has such customers');
  await owner.getByTestId('preview-count').getByText(`${new Intl.NumberFormat('en-GB').format(want)} customers match now`).waitFor();
  await owner.getByLabel('Segment name').fill('Frequent and healthy');
  await owner.getByRole('button', { name: 'Save segment' }).click();
  await owner.getByText('Saved “Frequent and healthy”.').waitFor();
  await owner.getByRole('heading', { name: 'Saved segments' }).locator('..').getByText('Frequent and healthy').waitFor();
  await shot(owner, '05-segments');
  await accessible(owner, 'segments');
});

test('move a deal on the board; the other tab that moved it second is told in a sentence', async () => {
  await visit(owner, 'Pipeline', () => owner.locator('.deal').first().waitFor());
  const other = await signedInPage(demo.users.find((u) => u.role === 'manager').email);
  await other.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pipeline' }).click();
  await other.locator('.deal').first().waitFor();

  // A deal in an open stage whose next stage is open too (so it stays on the board).
  const columns = await owner.locator('section.column').evaluateAll((cs) =>
    cs.map((c) => ({ name: c.getAttribute('data-stage'), kind: c.getAttribute('data-kind'), deals: c.querySelectorAll('.deal').length })),
  );
  const at = columns.findIndex((c, i) => c.kind === 'open' && c.deals > 0 && columns[i + 1]?.kind === 'open');
  assert.ok(at >= 0, JSON.stringify(columns));
  const stage = columns[at].name;
  const next = columns[at + 1].name;
  const after = columns.find((c) => c.kind === 'open' && c.name !== stage && c.name !== next).name;
  const card = owner.locator(`section.column[data-stage="${stage}"] .deal`).first();
  const title = await card.getAttribute('data-deal');

  // This tab drags it to the next stage.
  await card.dragTo(owner.locator(`section.column[data-stage="${next}"]`));
  await owner.getByTestId('board-notice').getByText(`“${title}” moved to ${next}.`).waitFor();
  await owner.locator(`section.column[data-stage="${next}"] .deal[data-deal="${title}"]`).first().waitFor();
  await shot(owner, '06-pipeline');
  await accessible(owner, 'pipeline');

  // The other tab still shows it where it was and moves it elsewhere: refused, explained.
  const stale = other.locator(`section.column[data-stage="${stage}"] .deal[data-deal="${title}"]`).first();
  await stale.getByRole('combobox').selectOption({ label: after });
  const notice = other.getByTestId('board-notice');
  await notice.getByText(`“${title}” was moved by someone else (perhaps in another tab) before your move`).waitFor();
  assert.match(await notice.textContent(), new RegExp(`It is now in ${next}\\.`));
  await shot(other, '07-pipeline-conflict');
  assert.deepEqual(other.problems, []);
  await other.context().close();
});

test('create and launch a campaign; a past one shows its uplift with an interval', async () => {
  await visit(owner, 'Campaigns', () => owner.getByRole('heading', { name: 'All campaigns' }).waitFor());
  await owner.getByLabel('Name', { exact: true }).fill('Console spring push');
  await owner.locator('select[name="campaign-segment"]').selectOption({ label: 'Frequent and healthy' });
  await owner.getByRole('button', { name: 'Create draft' }).click();
  await owner.getByText('Draft “Console spring push” created.').waitFor();
  await owner.getByRole('button', { name: 'Launch “Console spring push”' }).click();
  await owner.getByTestId('campaign-notice').getByText(/“Console spring push” launched: \d+ customers treated/).waitFor();
  const past = demo.campaigns[0];
  await owner.getByRole('link', { name: past.name }).click();
  await owner.getByTestId('results').getByText(/percentage points/).first().waitFor();
  await owner.getByRole('img', { name: /Conversion uplift/ }).waitFor();
  await shot(owner, '08-campaigns');
  await accessible(owner, 'campaigns');
  assert.deepEqual(owner.problems, []);
});

test('offers: create one paused, activate it, issue it to a segment; counts as the API has them', async () => {
  await visit(owner, 'Offers', () => owner.getByRole('heading', { name: 'All offers' }).waitFor());
  const name = 'Console comeback 15';
  await owner.getByLabel('Offer name').fill(name);
  await owner.locator('select[name="offer-kind"]').selectOption('percent_discount');
  await owner.locator('input[name="offer-percent"]').fill('15');
  await owner.locator('select[name="offer-campaign"]').selectOption({ label: 'Console spring push' });
  await owner.getByRole('button', { name: 'Create offer' }).click();
  const notice = owner.getByTestId('offer-notice');
  await notice.getByText(`Offer “${name}” created (paused: activate it when ready).`).waitFor();
  await owner.getByRole('button', { name: `Activate “${name}”` }).click();
  await notice.getByText(`“${name}” is active`).waitFor();
  await owner.locator('select[name="issue-offer"]').selectOption({ label: name });
  await owner.locator('select[name="issue-segment"]').selectOption({ label: 'Frequent and healthy' });
  await owner.getByRole('button', { name: 'Issue vouchers' }).click();
  await notice.getByText(new RegExp(`“${name}” issued to [\\d,]+ members of “Frequent and healthy”`)).waitFor();
  const issued = Number((await notice.textContent()).match(/issued to ([\d,]+)/)[1].replace(/,/g, ''));
  assert.ok(issued > 0);
  const o = (await api(demo.owner_email, '{ offers(first: 200) { nodes { name status issued redemptions campaignId } } }')).offers.nodes.find((x) => x.name === name);
  assert.equal(o.status, 'active');
  assert.equal(o.issued, issued);
  assert.ok(o.campaignId);
  const row = owner.locator(`tr[data-offer="${name}"]`);
  await row.getByRole('cell', { name: fmt(issued), exact: true }).waitFor();
  await row.getByRole('link', { name: 'Console spring push' }).waitFor();
  await row.getByText('Active', { exact: true }).waitFor();
  await shot(owner, '11-offers');
  await accessible(owner, 'offers');

  // A member of the segment now holds a voucher, shown on their 360 with their feedback.
  const seg = (await api(demo.owner_email, '{ segments(first: 100) { nodes { id name } } }')).segments.nodes.find((x) => x.name === 'Frequent and healthy');
  const member = (await api(demo.owner_email, 'query($s: ID!) { accounts(first: 1, filter: { segmentId: $s }) { nodes { id name } } }', { s: seg.id })).accounts.nodes[0];
  await go(owner, `/customers/${member.id}`);
  await owner.getByRole('heading', { level: 1, name: member.name }).waitFor();
  await owner.getByRole('list', { name: 'Vouchers' }).getByText(name, { exact: false }).waitFor();
  await shot(owner, '03b-customer-360-offers-feedback');
  await accessible(owner, 'customer-360-offers');
  assert.deepEqual(owner.problems, []);
});

test('feedback: NPS over time and by touchpoint; resolve a complaint with points', async () => {
  await visit(owner, 'Feedback', () => owner.getByRole('img', { name: /^NPS per month with its 95 % interval/ }).waitFor());
  await owner.getByRole('table', { name: 'Complaints' }).waitFor();
  const rep = await api(demo.owner_email, '{ satisfactionReport(period: "month") { overall { nps } } }');
  assert.notEqual(rep.satisfactionReport.overall.nps, null, 'the demo has NPS answers');
  assert.equal((await owner.getByTestId('nps').textContent()).trim(), String(Math.round(rep.satisfactionReport.overall.nps)));
  await owner.getByRole('img', { name: /^NPS by touchpoint/ }).waitFor();
  await owner.getByRole('img', { name: /^Average CSAT per month/ }).waitFor();
  await shot(owner, '12-feedback');
  await accessible(owner, 'feedback');

  // A complaint still being worked on: filter by its status, open it, resolve it.
  const all = (await api(demo.owner_email, '{ complaints(first: 200) { nodes { id subject status } } }')).complaints.nodes;
  const target = all.find((c) => ['open', 'in_progress', 'waiting_for_customer', 'reopened'].includes(c.status));
  assert.ok(target, 'the demo has an active complaint');
  await owner.locator('select[name="complaint-status"]').selectOption(target.status);
  await owner.waitForFunction(
    (s) => {
      const rows = [...document.querySelectorAll('table[aria-label="Complaints"] tbody tr')];
      return rows.length > 0 && rows.every((r) => r.getAttribute('data-status') === s);
    },
    target.status,
  );
  await owner.waitForLoadState('networkidle');
  owner.graphql = 0;
  await owner.locator(`a[href="/console/feedback/complaints/${target.id}"]`).first().click();
  await owner.getByRole('heading', { level: 1, name: target.subject }).waitFor();
  await owner.getByRole('list', { name: 'Complaint history' }).waitFor();
  await owner.waitForLoadState('networkidle');
  metrics.graphql_requests_per_page['Complaint'] = owner.graphql;
  await owner.getByLabel('What was done (outcome)').fill('Replaced the parcel and apologised');
  await owner.getByLabel('Loyalty points as compensation (optional)').fill('250');
  await owner.getByRole('button', { name: 'Resolve complaint' }).click();
  await owner.getByTestId('complaint-notice').getByText('Complaint resolved: 250 points credited.').waitFor();
  await owner.getByTestId('complaint-status').getByText('Resolved').waitFor();
  await owner.getByRole('list', { name: 'Complaint history' }).getByText('Compensation').waitFor();
  assert.equal(await owner.getByRole('button', { name: 'Resolve complaint' }).count(), 0);
  const after = (await api(demo.owner_email, 'query($id: ID!) { complaint(id: $id) { status outcome } }', { id: target.id })).complaint;
  assert.deepEqual(after, { status: 'resolved', outcome: 'Replaced the parcel and apologised' });
  await shot(owner, '13-complaint-resolved');
  await accessible(owner, 'complaint');
  assert.deepEqual(owner.problems, []);
});

test('an expired access token is renewed once through the refresh rotation, unseen', async () => {
  let refreshes = 0;
  owner.on('request', (r) => {
    if (new URL(r.url()).pathname === '/v1/auth/refresh') refreshes++;
  });
  // The next GraphQL answer says the token expired, as the API does after 15 minutes.
  let expired = false;
  await owner.route('**/graphql', async (route) => {
    if (expired) return route.continue();
    expired = true;
    await route.fulfill({
      status: 200,
      contentType: 'application/json',
      body: JSON.stringify({ data: null, errors: [{ message: 'the access token has expired', extensions: { code: 'token_expired' } }] }),
    });
  });
  await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Value' }).click();
  await owner.getByRole('table', { name: 'RFM segments' }).waitFor();
  await owner.unroute('**/graphql');
  assert.ok(expired);
  assert.equal(refreshes, 1);
  // The rotated tokens keep working; the old refresh token was used once only.
  await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cohorts' }).click();
  await owner.getByRole('img', { name: /^Monthly retention/ }).waitFor();
  assert.equal(refreshes, 1);
});

test('settings: the team, the API keys and the webhooks (admins only)', async () => {
  await visit(owner, 'Settings', () => owner.getByRole('table', { name: 'Users' }).waitFor());
  for (const u of demo.users) await owner.getByRole('cell', { name: u.email, exact: true }).waitFor();
  const prefix = demo.api_key.split('_')[1];
  await owner.getByRole('table', { name: 'API keys' }).getByText(`rk_${prefix}`, { exact: false }).waitFor();
  await shot(owner, '10-settings');
  await accessible(owner, 'settings');

  // A key with two scopes: its secret is shown once, works, and carries those scopes only.
  await owner.getByLabel('Key name').fill('Console reporting key');
  await owner.getByLabel('orders:read', { exact: true }).check();
  await owner.getByRole('button', { name: 'Create key' }).click();
  await owner.getByTestId('settings-notice').getByText('The key “Console reporting key” was created with accounts:read, orders:read.', { exact: false }).waitFor();
  const secret = (await owner.getByTestId('secret').locator('code').textContent()).trim();
  assert.match(secret, /^rk_/);
  await owner.getByRole('table', { name: 'API keys' }).getByRole('cell', { name: 'Console reporting key', exact: true }).waitFor();
  const ask = async (query) =>
    json(await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ query }),
    }));
  assert.equal((await ask('{ accounts(first: 1) { nodes { id } } }')).errors, undefined);
  assert.ok((await ask('{ campaigns(first: 1) { nodes { id } } }')).errors?.length > 0, 'no campaigns:read');
  await shot(owner, '10b-settings-key-created');
  await accessible(owner, 'settings-key-created');
  await owner.getByRole('button', { name: 'I have kept it' }).click();
  assert.equal(await owner.getByTestId('secret').count(), 0);

  // A new agent, then disabled: the API then refuses their sign-in.
  const email = 'console.tester@rapport.example.com';
  await owner.locator('input[name="user-name"]').fill('Console Tester');
  await owner.locator('input[name="user-email"]').fill(email);
  await owner.locator('input[name="user-password"]').fill('a-long-enough-password-1');
  await owner.locator('select[name="user-role"]').selectOption('agent');
  await owner.getByRole('button', { name: 'Add user' }).click();
  const notice = owner.getByTestId('settings-notice');
  await notice.getByText('Console Tester was added as agent; give them their password yourself.').waitFor();
  await owner.getByRole('cell', { name: email, exact: true }).waitFor();
  const signIn = () =>
    fetch(`${base}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'a-long-enough-password-1' }),
    });
  assert.equal((await signIn()).status, 200);
  await owner.getByRole('button', { name: 'Disable Console Tester' }).click();
  await notice.getByText('Console Tester is disabled: their sessions have ended.').waitFor();
  await owner.getByRole('button', { name: 'Enable Console Tester' }).waitFor();
  assert.ok((await signIn()).status >= 400);
  assert.deepEqual(owner.problems, []);
});

test('economics: profit by decile, most and least profitable, CLV by segment, acquisition by channel, as the API reports them', async () => {
  await visit(owner, 'Economics', () => owner.getByRole('img', { name: /^Profit by decile of customers/ }).waitFor());
  const r = await api(
    demo.owner_email,
    `{ profitabilityReport(limit: 10) { currency customers totals { profit } leastProfitable { accountId name } }
       acquisitionReport { currency channels { acquisitionChannel customers clvToCac averageClv36Months } } }`,
  );
  const p = r.profitabilityReport;
  const money = (minor) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: p.currency }).format(Number(minor) / 100);
  assert.ok(p.customers > 0, 'the demo has customers');
  assert.equal((await owner.getByTestId('economics-profit').textContent()).trim(), money(p.totals.profit));
  assert.equal((await owner.getByTestId('economics-customers').textContent()).trim(), fmt(p.customers));
  assert.equal(await owner.getByRole('table', { name: 'Profit by decile' }).getByRole('row').count(), 11);
  await owner.getByRole('table', { name: 'CLV by RFM segment' }).waitFor();
  const channels = owner.getByRole('table', { name: 'Acquisition by channel' });
  const costed = r.acquisitionReport.channels.find((c) => c.customers > 0 && c.clvToCac != null);
  assert.ok(costed, 'the demo has a channel with a CAC');
  const label = costed.acquisitionChannel.charAt(0).toUpperCase() + costed.acquisitionChannel.slice(1).replace(/_/g, ' ');
  const row = channels.getByRole('row').filter({ has: owner.getByRole('cell', { name: label, exact: true }) });
  await row.getByText(`${costed.clvToCac.toFixed(1)} : 1`).waitFor();
  await row.getByText(money(costed.averageClv36Months)).waitFor();
  await owner.getByRole('img', { name: /^Customers by revenue to date/ }).waitFor();
  await owner.getByRole('img', { name: /^Customers by 12-month CLV/ }).waitFor();
  await shot(owner, '04d-economics');
  await accessible(owner, 'economics');
  const least = p.leastProfitable[0];
  const link = owner.getByRole('table', { name: 'Least profitable customers' }).getByRole('link').first();
  assert.equal((await link.textContent()).trim(), least.name);
  await link.click();
  await owner.getByRole('heading', { level: 1, name: least.name }).waitFor();
  assert.match(new URL(owner.url()).pathname, new RegExp(`/console/customers/${least.accountId}$`));
  assert.deepEqual(owner.problems, []);
});

test('data: an import job with its row counts and the possible duplicates, as the API has them', async () => {
  const t = await json(await fetch(`${base}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demo.owner_email, password: PASSWORD }),
  }));
  const auth = { authorization: `Bearer ${t.access_token}` };
  const csv = 'external_id,kind,name\nconsole-import-1,person,Ada Import\nconsole-import-2,organization,Import Works\nconsole-import-3,nobody,Bad Kind\n';
  const res = await fetch(`${base}/v1/imports?type=accounts&dry_run=true`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv });
  assert.equal(res.status, 202, await res.clone().text());
  const { id } = await json(res);
  let job;
  for (let i = 0; i < 150; i++) {
    job = await json(await fetch(`${base}/v1/imports/${id}`, { headers: auth }));
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(job.status, 'succeeded', JSON.stringify(job));
  assert.equal(job.rows_read, 3);

  await visit(owner, 'Data', () => owner.getByRole('table', { name: 'Import jobs' }).waitFor());
  const row = owner.getByTestId(`import-${id}`);
  const cells = (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
  assert.match(cells[0], /^Accounts \(csv, dry run\)$/);
  assert.equal(cells[1], 'Succeeded');
  assert.deepEqual(cells.slice(2, 7), [job.rows_read, job.rows_created, job.rows_updated, job.rows_unchanged, job.rows_failed].map((n) => fmt(n)));
  const d = (await api(demo.owner_email, '{ accountDuplicates(first: 50) { nodes { accountId accountName duplicateId duplicateName score } } }')).accountDuplicates.nodes;
  const table = owner.getByRole('table', { name: 'Possible duplicates' });
  if (d.length === 0) {
    await owner.getByText('No two live accounts look like the same customer.').waitFor();
  } else {
    assert.equal(await table.getByRole('row').count(), d.length + 1);
    const first = table.getByRole('row').nth(1);
    const links = first.getByRole('link');
    assert.equal(await links.nth(0).getAttribute('href'), `/console/customers/${d[0].accountId}`);
    assert.equal(await links.nth(1).getAttribute('href'), `/console/customers/${d[0].duplicateId}`);
    assert.equal((await links.nth(1).textContent()).trim(), d[0].duplicateName);
    assert.equal((await first.getByRole('cell').nth(2).textContent()).trim(), `${(d[0].score * 100).toFixed(0)} %`);
  }
  await shot(owner, '04e-data');
  await accessible(owner, 'data');
  assert.deepEqual(owner.problems, []);
});

/** A bearer token of the demo's owner, for the API's own answers over REST. */
async function ownerAuth() {
  const t = await json(await fetch(`${base}/v1/auth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: demo.owner_email, password: PASSWORD }),
  }));
  return { authorization: `Bearer ${t.access_token}` };
}

/** Records of a CSV file (quoted fields may hold commas, quotes and line breaks). */
function csvRecords(text) {
  let records = 0;
  let quoted = false;
  let filled = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') {
      quoted = true;
      filled = true;
    } else if (c === '\n') {
      if (filled) records++;
      filled = false;
    } else if (c !== '\r') {
      filled = true;
    }
  }
  return records + (filled ? 1 : 0);
}

test('data: start an accounts CSV export, wait for it, download it with the token in a header', async () => {
  await visit(owner, 'Data', () => owner.getByRole('heading', { name: 'Exports' }).waitFor());
  await owner.getByLabel('What').selectOption('accounts');
  await owner.getByLabel('Format').selectOption('csv');
  await owner.getByRole('button', { name: 'Start export' }).click();
  await owner.getByTestId('export-notice').getByText(/^The accounts export \(csv\) is (queued|running|succeeded)/).waitFor();
  const newest = (await api(demo.owner_email, '{ exportJobs(first: 1) { nodes { id type format } } }')).exportJobs.nodes[0];
  assert.deepEqual([newest.type, newest.format], ['accounts', 'csv']);
  const auth = await ownerAuth();
  let job;
  for (let i = 0; i < 300; i++) {
    job = await json(await fetch(`${base}/v1/exports/${newest.id}`, { headers: auth }));
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(job.status, 'succeeded', JSON.stringify(job));
  const listed = (await api(demo.owner_email, '{ exportJobs(first: 50) { nodes { id rowsWritten bytesWritten downloadUrl } } }')).exportJobs.nodes.find((j) => j.id === newest.id);
  assert.equal(listed.rowsWritten, job.rows_written);
  assert.ok(listed.rowsWritten > 0);
  assert.equal(listed.downloadUrl, `/v1/exports/${newest.id}/download`);

  // A fresh view of the page shows the finished job (one GraphQL request, as before).
  await visit(owner, 'Overview', () => page_ready_overview(owner));
  await visit(owner, 'Data', () => owner.getByTestId(`export-${newest.id}`).waitFor());
  assert.equal(metrics.graphql_requests_per_page.Data, 1);
  const row = owner.getByTestId(`export-${newest.id}`);
  assert.equal(await row.getAttribute('data-status'), 'succeeded');
  const cells = (await row.getByRole('cell').allTextContents()).map((c) => c.trim());
  assert.equal(cells[0], 'Accounts (csv)');
  assert.equal(cells[1], 'Succeeded');
  assert.equal(cells[2], fmt(listed.rowsWritten));
  const downloads = [];
  owner.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('/download')) downloads.push(r);
  });
  const [file] = await Promise.all([owner.waitForEvent('download'), row.getByRole('button', { name: 'Download accounts csv' }).click()]);
  assert.match(file.url(), /^blob:/);
  assert.equal(file.suggestedFilename(), `accounts-${newest.id}.csv`);
  const text = readFileSync(await file.path(), 'utf8');
  assert.equal(Buffer.byteLength(text), listed.bytesWritten);
  assert.equal(csvRecords(text) - 1, listed.rowsWritten, 'the header and one record a row');
  assert.equal(downloads.length, 1);
  assert.equal(new URL(downloads[0].url()).search, '', 'no token in the address');
  assert.match((await downloads[0].allHeaders()).authorization ?? '', /^Bearer /);
  await owner.getByTestId('export-notice').getByText(/^The accounts export was downloaded/).waitFor();
  await shot(owner, '04f-data-exports');
  await accessible(owner, 'data-exports');
  assert.deepEqual(owner.problems, []);
});

test('customer 360: an admin downloads a person\'s data and erases them with a typed confirmation', async () => {
  const auth = await ownerAuth();
  const email = `erase-me-${Date.now()}@example.org`;
  const created = await fetch(`${base}/v1/accounts`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'person', name: 'Console Erasable', emails: [email] }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = await json(created);

  await owner.waitForLoadState('networkidle');
  const before = owner.graphql;
  await go(owner, `/customers/${id}`);
  await owner.getByRole('heading', { level: 1, name: 'Console Erasable' }).waitFor();
  await owner.getByRole('heading', { name: 'Privacy' }).waitFor();
  await owner.waitForLoadState('networkidle');
  assert.equal(owner.graphql - before, 1, 'the privacy card adds no request to the page view');

  const [file] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Download personal data' }).click()]);
  assert.match(file.url(), /^blob:/);
  assert.equal(file.suggestedFilename(), `personal-data-${id}.json`);
  const held = JSON.parse(readFileSync(await file.path(), 'utf8'));
  assert.equal(held.account_id, id);
  assert.equal(held.erased_at, null);
  assert.match(JSON.stringify(held.tables), new RegExp(email.replace(/[.]/g, '\\.')));
  await owner.getByTestId('privacy-notice').getByText(/^Everything held about Console Erasable was downloaded as JSON/).waitFor();

  await owner.getByRole('button', { name: 'Erase…' }).click();
  const erase = owner.getByRole('button', { name: 'Erase Console Erasable' });
  await owner.getByLabel('Account id').fill('not-the-id');
  assert.equal(await erase.isDisabled(), true, 'the wrong confirmation cannot be sent');
  await owner.getByLabel('Account id').fill(id);
  await shot(owner, '03c-customer-360-erase-confirm');
  await accessible(owner, 'customer-360-privacy');
  await erase.click();
  await owner.getByTestId('privacy-notice').getByText(/^Console Erasable was erased on .*: \d+ stored rows were cleared or rewritten\./).waitFor();

  assert.equal((await fetch(`${base}/v1/accounts/${id}`, { headers: auth })).status, 404);
  const after = await json(await fetch(`${base}/v1/accounts/${id}/personal-data`, { headers: auth }));
  assert.ok(after.erased_at, JSON.stringify(after).slice(0, 300));
  assert.doesNotMatch(JSON.stringify(after.tables), new RegExp(email.replace(/[.]/g, '\\.')));
  assert.doesNotMatch(JSON.stringify(after.tables), /Console Erasable/);
  await shot(owner, '03d-customer-360-erased');
  assert.deepEqual(owner.problems, []);
});

test('a viewer sees no write buttons', async () => {
  const viewer = await signedInPage(demo.users.find((u) => u.role === 'viewer').email);
  await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Pipeline' }).click();
  await viewer.locator('.deal').first().waitFor();
  assert.equal(await viewer.locator('.deal[draggable="true"]').count(), 0);
  assert.equal(await viewer.getByText('Move to').count(), 0);
  await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' }).click();
  await viewer.getByRole('heading', { name: 'All campaigns' }).waitFor();
  assert.equal(await viewer.getByRole('button', { name: /^Launch/ }).count(), 0);
  assert.equal(await viewer.getByRole('heading', { name: 'New campaign' }).count(), 0);
  await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Segments' }).click();
  await viewer.getByRole('heading', { name: 'Build a segment' }).waitFor();
  assert.equal(await viewer.getByRole('button', { name: 'Save segment' }).count(), 0);
  assert.equal(await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count(), 0);
  assert.equal(await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data' }).count(), 0);
  assert.equal(await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Economics' }).count(), 1);
  await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Offers' }).click();
  await viewer.getByRole('heading', { name: 'All offers' }).waitFor();
  assert.equal(await viewer.getByRole('button', { name: /^(Activate|Pause|Create offer|Issue vouchers)/ }).count(), 0);
  assert.equal(await viewer.getByRole('heading', { name: 'New offer' }).count(), 0);
  await viewer.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Feedback' }).click();
  await viewer.getByRole('table', { name: 'Complaints' }).waitFor();
  const active = (await api(demo.owner_email, '{ complaints(first: 200) { nodes { id status } } }')).complaints.nodes.find((c) =>
    ['open', 'in_progress', 'waiting_for_customer', 'reopened'].includes(c.status),
  );
  await go(viewer, `/feedback/complaints/${active.id}`);
  await viewer.getByRole('list', { name: 'Complaint history' }).waitFor();
  assert.equal(await viewer.getByRole('button', { name: 'Resolve complaint' }).count(), 0);
  await shot(viewer, '09-viewer-campaigns');
  assert.deepEqual(viewer.problems, []);
  await viewer.context().close();
});
