// The terminal tab in a real browser (Debian's Chromium): a learner opens it beside the
// instructions, types `kubectl get pods` into xterm.js, and sees their own Pods from the
// real kubectl in their workspace Pod. Checked with axe; screenshots at 1280 and 390 px.
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../helpers/app.ts';
import { seriousViolations } from './axe.ts';
import { launchBrowser, screenshot } from './browser.ts';

const EXERCISE = 'clusterip-basics';
const WAIT = { timeout: 45_000 };

let t: TestApp;
let base: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  t = await buildTestApp({ seed: 6 });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  const teacher = t.db.users.create({ externalKey: 'local:teacher', displayName: 'Teacher', role: 'instructor' });
  const { joinCode } = t.db.classes.create({ name: 'Terminal class', ownerUserId: teacher.id, exerciseIds: [EXERCISE] });
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await page.goto(`${base}/join/${joinCode}`);
  await page.getByRole('textbox', { name: 'Display name' }).fill('Ada Lovelace');
  await page.getByRole('button', { name: 'Join' }).click();
  await page.waitForURL(`${base}/`);
});

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function shoot(name: string): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 900 });
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, `${name}-390`);
  await page.setViewportSize({ width: 1280, height: 900 });
}

describe('the terminal tab', () => {
  it('asks for an environment first, then runs kubectl in the workspace and shows the Pods', async () => {
    await page.goto(`${base}/exercises/${EXERCISE}`);
    const terminalTab = page.getByRole('tab', { name: 'Terminal' });
    await terminalTab.click();
    await expect(terminalTab.getAttribute('aria-selected')).resolves.toBe('true');
    await expect(page.getByRole('tabpanel', { name: 'Terminal' }).getByRole('status').textContent()).resolves.toContain('Start your environment first');
    await expect(page.getByRole('article', { name: 'Instructions' }).isHidden()).resolves.toBe(true);

    await page.getByRole('button', { name: 'Start environment' }).click();
    const status = page.getByRole('tabpanel', { name: 'Terminal' }).getByRole('status');
    await page.waitForFunction((el) => el?.textContent?.startsWith('Connected'), await status.elementHandle(), WAIT);
    await page.locator('.xterm-rows').getByText('root@kubelab-workspace').first().waitFor(WAIT);

    await page.keyboard.type('kubectl get pods\n');
    await page.locator('.xterm-rows').getByText(/kubelab-workspace\s+1\/1\s+Running/).waitFor(WAIT);
    const violations = await seriousViolations(page);
    expect(violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await shoot('terminal');

    await page.getByRole('tab', { name: 'Instructions' }).click();
    await expect(page.getByRole('article', { name: 'Instructions' }).isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
  });
});
