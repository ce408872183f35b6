// The learner portal in a real browser (Debian's Chromium) against the production app on
// the embedded cluster: join by link, work through clusterip-basics with the page alone,
// watch the checks stream in and the live view follow the namespace; reset, make the
// classic selector mistake, read why it fails. Every page is checked with axe and
// screenshotted at 1280 and 390 px (test-artifacts/browser/).
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { seriousViolations } from './axe.ts';
import { launchBrowser, screenshot } from './browser.ts';

const EXERCISE = 'clusterip-basics';
const WAIT = { timeout: 45_000 };

let t: TestApp;
let base: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let joinUrl: string;
const problems: string[] = [];

beforeAll(async () => {
  t = await buildTestApp({ seed: 5 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const teacher = t.db.users.create({ externalKey: 'local:teacher', displayName: 'Teacher', role: 'instructor' });
  const { joinCode } = t.db.classes.create({ name: 'Services, week 3', ownerUserId: teacher.id, exerciseIds: t.catalog.exercises.map((e) => e.id) });
  joinUrl = `${base}/join/${joinCode}`;
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  // Any console error or uncaught exception fails the suite at the end.
  page.on('console', (m) => {
    // Chromium logs every 4xx fetch; the one 422 is the bad manifest the test applies on purpose.
    if (m.type() === 'error' && !m.text().includes('status of 422')) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Screenshots at both widths, whole page, then back to the desktop size. */
async function shoot(name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

async function expectAccessible(): Promise<void> {
  const violations = await seriousViolations(page);
  expect(violations.map((v) => `${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)).toEqual([]);
}

function solutionYaml(mutate?: (objects: Record<string, unknown>[]) => void): string {
  const objects = structuredClone(t.catalog.byId(EXERCISE)!.solution.map((m) => m.object)) as Record<string, unknown>[];
  mutate?.(objects);
  return objects.map((o) => stringify(o)).join('---\n');
}

async function applyYaml(yaml: string): Promise<void> {
  await page.getByRole('textbox', { name: 'YAML' }).fill(yaml);
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.getByRole('list', { name: 'Apply results' }).waitFor(WAIT);
}

function checkItem(title: string) {
  return page.getByRole('list', { name: 'Check results' }).getByRole('listitem').filter({ hasText: title });
}

describe('the learner portal in Chromium', () => {
  it('sends a signed-out visitor to sign in, and the sign-in page is accessible', async () => {
    await page.goto(`${base}/exercises/${EXERCISE}`);
    expect(new URL(page.url()).pathname).toBe('/signin');
    await expect(page.getByRole('textbox', { name: 'API token' }).isVisible()).resolves.toBe(true);
    await expectAccessible();
    await shoot('signin');
  });

  it('joins a class by link with a display name and lands on the catalog', async () => {
    await page.goto(joinUrl);
    await expectAccessible();
    await shoot('join');
    await page.getByRole('textbox', { name: 'Display name' }).fill('Grace Hopper');
    await page.getByRole('button', { name: 'Join' }).click();
    await page.waitForURL(`${base}/`);
    await expect(page.getByText('Signed in as').textContent()).resolves.toContain('Grace Hopper');
    const cards = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2 }) });
    await expect(cards.count()).resolves.toBe(t.catalog.exercises.length);
    await expect(cards.first().textContent()).resolves.toContain('not started');
    await expectAccessible();
    await shoot('catalog');
  });

  it('starts an environment, applies the solution, and sees every check pass as it streams in', async () => {
    const exercise = t.catalog.byId(EXERCISE)!;
    await page.getByRole('link', { name: exercise.title }).click();
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(exercise.title);
    await page.getByRole('button', { name: 'Start environment' }).click();
    await page.getByRole('link', { name: 'Download kubeconfig' }).waitFor(WAIT);
    const namespace = t.db.environments.listLiveForUser(t.db.users.list().find((u) => u.displayName === 'Grace Hopper')!.id)[0]!.namespace;
    await expect(page.getByText(namespace, { exact: true }).count()).resolves.toBeGreaterThan(0);

    await applyYaml(solutionYaml());
    await expect(page.getByRole('list', { name: 'Apply results' }).textContent()).resolves.toMatch(/Deployment\/backend created/);
    // The live view follows the namespace: three Pods, three ready endpoints.
    await page.getByText('3 endpoints: 3 ready, 0 not ready').waitFor(WAIT);
    await page.getByText(/^3 Pods on 3 nodes/).waitFor(WAIT);

    await page.getByRole('button', { name: 'Check my work' }).click();
    for (const check of exercise.checks) {
      await checkItem(check.title).filter({ hasText: /\bpass\b/i }).waitFor(WAIT);
    }
    await page.getByText(/Passed: 100 of 100 points/).waitFor(WAIT);
    await expect(page.getByRole('list', { name: 'Attempts' }).getByRole('listitem').count()).resolves.toBe(1);
    await expectAccessible();
    await shoot('exercise-passed');
  });

  it('resets after confirming, says the old kubeconfig is void, and shows a selector typo failing with its message and hint', async () => {
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Reset environment' }).click();
    await page.getByText('The kubeconfig you downloaded before no longer works').waitFor(WAIT);
    await page.getByText('0 Pods on 3 nodes').waitFor(WAIT);

    // A manifest the cluster cannot take: nothing is applied, and the page says where.
    await page.getByRole('textbox', { name: 'YAML' }).fill('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ok\n---\n# a typo in the kind\napiVersion: v1\nkind: Servic\nmetadata:\n  name: web\n');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'Nothing was applied' }).textContent()).resolves.toMatch(/Document 2 \(from line 6\), kind: .*Servic/);

    await applyYaml(
      solutionYaml((objects) => {
        const service = objects.find((o) => o.kind === 'Service') as { spec: { selector: Record<string, string> } };
        service.spec.selector = { app: 'backnd' };
      }),
    );
    await page.getByText('3 Pods on 3 nodes').waitFor(WAIT);
    await page.getByText('0 endpoints: 0 ready, 0 not ready').waitFor(WAIT);
    await page.getByText('(no Pod has this label)').waitFor(WAIT);

    await page.getByRole('button', { name: 'Check my work' }).click();
    await page.getByText(/Not there yet/).waitFor(WAIT);
    const failing = page.getByRole('list', { name: 'Check results' }).getByRole('listitem').filter({ hasText: /\bfail\b/i });
    expect(await failing.count()).toBeGreaterThan(0);
    const text = (await failing.first().textContent()) ?? '';
    expect(text).toContain('backnd');
    expect(text).toMatch(/Hint \(label typo\):/);
    await expectAccessible();
    await shoot('exercise-failed');
  });

  it('opens an earlier attempt from the history, with every check as it was', async () => {
    await page.getByRole('list', { name: 'Attempts' }).getByRole('link').last().click();
    await page.waitForURL(/\/attempts\/\d+$/);
    const items = page.getByRole('list', { name: 'Check results' }).getByRole('listitem');
    await expect(items.count()).resolves.toBe(t.catalog.byId(EXERCISE)!.checks.length);
    await expect(page.getByText(/passed, 100 of 100 points/).count()).resolves.toBe(1);
    await expectAccessible();
    await shoot('attempt');
  });

  it('works by keyboard alone: Tab reaches Check my work on the exercise page with a visible focus ring', async () => {
    await page.goto(`${base}/exercises/${EXERCISE}`);
    await page.getByRole('button', { name: 'Check my work' }).waitFor(WAIT);
    let reached = false;
    for (let i = 0; i < 80 && !reached; i++) {
      // In the YAML box Tab indents; Escape first hands Tab back to the page, as its help says.
      if (await page.evaluate('document.activeElement?.id === "yaml"')) await page.keyboard.press('Escape');
      await page.keyboard.press('Tab');
      reached = await page.evaluate('document.activeElement?.textContent === "Check my work"');
    }
    expect(reached).toBe(true);
    const outline = await page.evaluate('getComputedStyle(document.activeElement).outlineStyle');
    expect(outline).not.toBe('none');
  });

  it('signs out, and the session no longer opens pages', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/signin$/);
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/signin');
  });

  it('logged no console error and no uncaught exception', () => {
    expect(problems).toEqual([]);
  });
});
