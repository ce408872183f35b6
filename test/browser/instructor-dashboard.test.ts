// The instructor's side in a real browser, beside a learner in a second browser context:
// the instructor makes a class, the learner joins by its link and fails then passes
// clusterip-basics, the matrix follows without a reload, the insight names the failed
// check, the attempt reads as the learner saw it, and the CSV download parses. Every
// page is checked with axe and screenshotted at 1280 and 390 px.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { seriousViolations } from './axe.ts';
import { launchBrowser, screenshot } from './browser.ts';

const EXERCISE = 'clusterip-basics';
const WAIT = { timeout: 45_000 };

let t: TestApp;
let base: string;
let browser: Browser;
let teacherContext: BrowserContext;
let learnerContext: BrowserContext;
let teacher: Page;
let learner: Page;
let joinUrl = '';
const problems: string[] = [];

function watch(page: Page, who: string): void {
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`${who} console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${who} page error: ${e.message}`));
}

beforeAll(async () => {
  t = await buildTestApp({ seed: 8 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  teacherContext = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  learnerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  teacher = await teacherContext.newPage();
  learner = await learnerContext.newPage();
  watch(teacher, 'instructor');
  watch(learner, 'learner');
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function shoot(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function expectAccessible(page: Page): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
}

function solutionYaml(selector?: Record<string, string>): string {
  const objects = structuredClone(t.catalog.byId(EXERCISE)!.solution.map((m) => m.object)) as Record<string, unknown>[];
  if (selector) (objects.find((o) => o.kind === 'Service') as { spec: { selector: Record<string, string> } }).spec.selector = selector;
  return objects.map((o) => stringify(o)).join('---\n');
}

async function learnerChecks(yaml: string, verdict: RegExp): Promise<void> {
  await learner.getByRole('textbox', { name: 'YAML' }).fill(yaml);
  await learner.getByRole('button', { name: 'Apply' }).click();
  await learner.getByRole('list', { name: 'Apply results' }).waitFor(WAIT);
  await learner.getByText('3 Pods on 3 nodes').waitFor(WAIT);
  await learner.getByRole('button', { name: 'Check my work' }).click();
  await learner.getByText(verdict).waitFor(WAIT);
}

const matrixRow = (name: string) => teacher.getByRole('table', { name: 'Class progress' }).getByRole('row').filter({ hasText: name });

describe('the instructor dashboard in Chromium', () => {
  it('an instructor signs in with a token, creates a class and is shown its join link once', async () => {
    const user = t.db.users.create({ externalKey: 'local:prof', displayName: 'Prof Kay', role: 'instructor' });
    const token = t.db.tokens.createToken(user.id, 'browser', []).plaintext;
    await teacher.goto(`${base}/signin?next=/instructor`);
    await teacher.getByRole('textbox', { name: 'API token' }).fill(token);
    await teacher.getByRole('button', { name: 'Sign in' }).click();
    await teacher.waitForURL(`${base}/instructor`);
    await teacher.getByText('No classes yet').waitFor();
    await expectAccessible(teacher);
    await shoot(teacher, 'instructor-classes');

    await teacher.getByRole('textbox', { name: 'Name' }).fill('Services, week 3');
    await teacher.getByRole('spinbutton', { name: 'Environment lifetime, minutes' }).fill('90');
    await teacher.getByRole('button', { name: 'Create class' }).click();
    await teacher.getByRole('heading', { name: 'Class “Services, week 3” created' }).waitFor();
    joinUrl = (await teacher.getByLabel('Join link').textContent())!.trim();
    expect(joinUrl).toMatch(new RegExp(`/join/[A-Za-z0-9_-]{12,}$`));
    await expectAccessible(teacher);
    await shoot(teacher, 'instructor-join-link');

    await teacher.getByRole('link', { name: 'Open the class dashboard' }).click();
    await teacher.getByText('No learners yet').waitFor();
    await expectAccessible(teacher);
  });

  it('the learner joins by the link; the open dashboard shows them without a reload', async () => {
    await teacher.evaluate('window.sameDashboard = true');
    await learner.goto(joinUrl.replace(/^https?:\/\/[^/]+/, base));
    await learner.getByRole('textbox', { name: 'Display name' }).fill('Lin Learner');
    await learner.getByRole('button', { name: 'Join' }).click();
    await learner.waitForURL(`${base}/`);
    await learner.goto(`${base}/exercises/${EXERCISE}`);
    await learner.getByRole('button', { name: 'Start environment' }).click();
    await learner.getByRole('link', { name: 'Download kubeconfig' }).waitFor(WAIT);
    // Opening a lab page makes the learner "active now" on the dashboard.
    await matrixRow('Lin Learner').getByText('active now').waitFor(WAIT);
    await expect(teacher.evaluate('window.sameDashboard')).resolves.toBe(true);
    // The class's lifetime (90 minutes) applies to the learner's environment.
    const env = t.db.environments.listLive().find((e) => e.exerciseId === EXERCISE)!;
    expect(env.expiresAt - env.updatedAt).toBe(90 * 60_000);
  });

  it('a failed attempt, then a passed one, reach the matrix live', async () => {
    const cell = matrixRow('Lin Learner').getByRole('cell').first();
    await learnerChecks(solutionYaml({ app: 'backnd' }), /Not there yet/);
    await cell.filter({ hasText: 'failed' }).waitFor(WAIT);
    await expect(cell.textContent()).resolves.toMatch(/1 attempt/);
    await learnerChecks(solutionYaml(), /Passed: 100 of 100 points/);
    await cell.filter({ hasText: 'passed' }).waitFor(WAIT);
    await expect(cell.textContent()).resolves.toMatch(/100 \/ 100.*2 attempts/);
    await expect(teacher.evaluate('window.sameDashboard')).resolves.toBe(true);
    await expectAccessible(teacher);
    await shoot(teacher, 'instructor-matrix');
  });

  it('sorts by a column from its header button', async () => {
    const header = teacher.getByRole('columnheader', { name: /Total/ });
    await header.getByRole('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('descending');
    await header.getByRole('button').click();
    await expect(header.getAttribute('aria-sort')).resolves.toBe('ascending');
  });

  it('the insight page names the check the class failed, with the message grouped', async () => {
    const exercise = t.catalog.byId(EXERCISE)!;
    await teacher.getByRole('link', { name: exercise.title }).click();
    await teacher.getByRole('heading', { level: 1, name: /where learners get stuck/ }).waitFor();
    const selector = exercise.checks.find((c) => c.id === 'selector')!;
    await expect(teacher.getByText(`The check failed most often is ${selector.title}`, { exact: false }).count()).resolves.toBe(1);
    const item = teacher.getByRole('listitem').filter({ has: teacher.getByRole('heading', { name: selector.title }) });
    await expect(item.textContent()).resolves.toMatch(/1 learner failed it at least once; 0 still fail/);
    await expect(item.getByRole('list').textContent()).resolves.toMatch(/1 learner:.*backnd/);
    await expectAccessible(teacher);
    await shoot(teacher, 'instructor-insight');
  });

  it("the learner's page lists attempts; an attempt shows every check as the learner saw it", async () => {
    await teacher.goBack();
    await matrixRow('Lin Learner').getByRole('link', { name: 'Lin Learner' }).click();
    await teacher.getByRole('heading', { level: 1, name: 'Lin Learner' }).waitFor();
    await expect(teacher.getByRole('button', { name: /^Extend the environment for/ }).count()).resolves.toBeGreaterThan(0);
    await expectAccessible(teacher);
    await shoot(teacher, 'instructor-learner');
    await teacher.getByRole('link', { name: /^Attempt \d+$/ }).last().click();
    const items = teacher.getByRole('list', { name: 'Check results' }).getByRole('listitem');
    await expect(items.count()).resolves.toBe(t.catalog.byId(EXERCISE)!.checks.length);
    await expect(items.filter({ hasText: /Hint( \([^)]*\))?:/ }).count()).resolves.toBeGreaterThan(0);
    await expectAccessible(teacher);
    await shoot(teacher, 'instructor-attempt');
  });

  it('the wide CSV downloads and parses: a header and the learner with full marks', async () => {
    await teacher.getByRole('link', { name: 'Services, week 3' }).click();
    const [download] = await Promise.all([
      teacher.waitForEvent('download'),
      teacher.getByRole('link', { name: 'Download CSV (one row per learner)' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Services-week-3-wide.csv');
    const text = readFileSync((await download.path())!, 'utf8');
    const [header, ...rows] = text.trimEnd().split('\r\n').map((line) => line.split(','));
    const column = header!.indexOf(`${EXERCISE} (of 100)`);
    expect(column).toBeGreaterThan(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]![1]).toBe('Lin Learner');
    expect(rows[0]![column]).toBe('100');
  });

  it('logged no console error and no uncaught exception', () => {
    expect(problems).toEqual([]);
  });

  // Last: Chromium logs the 403 of this navigation as a console error.
  it('a learner who opens the dashboard gets a 403 page, not the class', async () => {
    const response = await learner.goto(`${base}/instructor`);
    expect(response?.status()).toBe(403);
    await learner.getByRole('heading', { name: 'For instructors' }).waitFor();
  });
});
