/**
 * The FOI decision-maker (issue 13; role foi_decider, demo account `beslut`): reads the requests and decides
 * one waiting for its decision, by keyboard, and can change nothing else. On the demo's adult subject-access
 * request waiting for its decision: the page offers "back to review" and the decision, the extract and no
 * editing, gathering or persons; the decision is registered with its day and names the decision-maker. axe
 * and a screenshot of the page before and after.
 */
import type { Page } from '@playwright/test';
import { expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test } from './fixtures';
import { FoiPage, FoiRequestPage, KansliApp } from './pages';

const TODAY = '2026-11-23';

test.describe('the FOI decision-maker', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ persons: 300, foi: true });
  });
  test.afterAll(async () => {
    await host?.stop();
  });

  test('decides the request waiting for its decision by keyboard; no other change is offered', async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 850 }, locale: 'sv-SE', timezoneId: 'Europe/Stockholm' });
    const page: Page = await context.newPage();
    await page.goto(host.info.url);
    const app = new KansliApp(page);
    await app.signInAs('beslut');
    const db = openHostDb(host.info);
    let id: string;
    try {
      id = db.prepare(`SELECT id FROM foi_request WHERE status = 'decision' ORDER BY received_on LIMIT 1`).pluck().get() as string;
    } finally {
      db.close();
    }
    expect(id, 'the demo has a request waiting for its decision').toBeTruthy();

    // G F: the dashboard, without "Ny begäran" (registering is the officer's).
    const foi = new FoiPage(app);
    await foi.open();
    await expect(page.getByTestId('foi-new')).toHaveCount(0);
    await app.goto(`#/foi/${id}`);
    const req = new FoiRequestPage(app);
    await req.visible(id);
    await req.status('decision');
    // What the decision-maker may do: send it back or decide; read the extract. Nothing else.
    await expect(req.move('review')).toBeVisible();
    await expect(req.move('decided')).toBeVisible();
    for (const other of ['foi-edit', 'foi-gather', 'foi-disclose', 'foi-extend', 'foi-person-add']) await expect(req.root.getByTestId(other)).toHaveCount(0);
    await screenshot(page, 'foi-decider-request-sv');
    await expectNoAxeViolations(page, 'the request as the decision-maker sees it');

    await req.decide('Tab');
    await expect(req.root.getByTestId('foi-decided-by')).toContainText('Bo Beslut (demo)');
    // Decided: closing it is the officer's; the decision-maker is offered no further move.
    await expect(req.root.locator('[data-testid^="foi-move-"]')).toHaveCount(0);
    const stored = await app.api('foi.request', { id });
    expect([stored.status, stored.decidedOn, stored.decidedByName]).toEqual(['decided', TODAY, 'Bo Beslut (demo)']);
    await screenshot(page, 'foi-decider-decided-sv');
    await expectNoAxeViolations(page, 'the request decided by the decision-maker');
    await context.close();
  });
});
