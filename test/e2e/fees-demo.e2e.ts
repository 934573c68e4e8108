/**
 * The fee run in the demo as `npm start` makes it (issue 12), in a Norwegian municipality: households have
 * declared incomes, so the month's run shows SFO/AKS prices by income band and barnehage at the maximum price
 * or under the income cap, not every household at the top. The fee administrator computes the preview by
 * keyboard (G A, Tab to "Beregn forhåndsvisning", Enter) and reads the totals per unit, form and rule: the
 * Norwegian steps' totals are named in Norwegian. Looked at (screenshot) and axe-checked.
 */
import { expect, expectNoAxeViolations, screenshot, startHost, test } from './fixtures';
import { FeeRunPage, FeesPage, KansliApp, OfficeKeyboard } from './pages';

test.describe('the demo with incomes, in a Norwegian municipality', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ country: 'no', persons: 600, incomes: true });
  });
  test.afterAll(async () => {
    await host.stop();
  });

  test('a month’s preview shows the range of prices and the Norwegian rules’ totals, by keyboard', async ({ page }) => {
    await page.goto(host.info.url);
    const app = new KansliApp(page);
    await app.signInAs('fee');
    // Out of the search box (where the focus starts), so G A is a shortcut and not text.
    await new OfficeKeyboard(page).leaveSearchBox();
    const fees = new FeesPage(app);
    await fees.open();
    await app.pressUntilFocused('Tab', 'Beregn forhåndsvisning');
    await page.keyboard.press('Enter');
    const run = new FeeRunPage(app);
    await expect(run.root).toBeVisible();
    await run.state('ready');
    const view = await app.api('fee.runGet', { id: run.id() });
    expect(view.summary!.total).toBeGreaterThan(0);
    // Most households declared an income: the warning concerns a few, not all of them.
    const notDeclared = view.summary!.warnings.find((w) => w.code === 'income_not_declared')?.count ?? 0;
    const households = new Set<string>();
    const amounts = new Set<number>();
    for (let offset = 0; offset < view.lineCount; offset += 500) {
      for (const l of (await app.api('fee.runLines', { id: run.id(), offset, limit: 500 })).items) {
        households.add(l.householdId);
        if (l.kind === 'charge') amounts.add(l.amount);
      }
    }
    expect(notDeclared).toBeLessThan(households.size / 2);
    // Prices by band and form, parts of months, shares: many different amounts, not one maximum.
    expect(amounts.size).toBeGreaterThan(8);
    // The totals per rule: the rule set by its administrator's name, the Norwegian steps in Norwegian.
    const byRule = run.root.getByTestId('fee-by-rule');
    await expect(byRule.locator('tbody tr').first()).toBeVisible();
    const steps = view.summary!.byRule.filter((r) => r.id.startsWith('no:'));
    expect(steps.length).toBeGreaterThan(0);
    await expect(byRule).not.toContainText('Free month');
    await expect(byRule).not.toContainText('Sibling discount');
    await byRule.scrollIntoViewIfNeeded();
    await screenshot(page, 'fees-demo-no-run-summary');
    await expectNoAxeViolations(page, 'fee run summary, Norwegian demo with incomes');
  });
});
