// axe-core run inside the page. @axe-core/playwright needs Node 22, so the engine is
// injected by hand; page.evaluate runs over the DevTools protocol, so the page's CSP
// (no inline script) does not stop it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { z } from 'zod';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const AxeViolations = z.array(
  z.object({
    id: z.string(),
    impact: z.string().nullable(),
    help: z.string(),
    nodes: z.array(z.object({ target: z.array(z.unknown()), failureSummary: z.string().optional() })),
  }),
);
export type AxeViolation = z.infer<typeof AxeViolations>[number];

/** Violations of impact serious or critical (WCAG 2.1 A/AA rules and best practices). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page: this file is type-checked without the DOM library.
  const raw: unknown = await page.evaluate(
    `axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
  );
  return AxeViolations.parse(raw).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
