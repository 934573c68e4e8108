/**
 * The placement rules screen: the registrar changes a notice period and an age limit by keyboard, a wrong
 * age range is refused inline without saving, and a clerk sees the same rules read-only.
 */
import { expect, expectNoAxeViolations, screenshot, test } from './fixtures';
import { KansliApp } from './pages';

test('the registrar sets the preschool notice period by keyboard; min above max is refused inline', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('registrar');
  const before = await app.api('placementRules.get', {});
  await app.openPalette();
  await page.keyboard.type('Placeringsregler');
  await page.keyboard.press('Enter');
  const screen = page.getByTestId('placement-rules');
  await expect(screen).toBeVisible();
  await expect(screen.getByTestId('rules-read-only')).toHaveCount(0);
  await screenshot(page, 'rules');
  await expectNoAxeViolations(page, 'placement rules');

  // Tab to the preschool's notice period, type 3; then its maximum age, type 0 (below its minimum of 1).
  await page.keyboard.press('Tab');
  await app.pressUntilFocused('Tab', 'Uppsägningstid i månader, Förskola');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('3');
  await app.pressUntilFocused('Tab', 'Högsta ålder i år, Förskola');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('0');
  await page.keyboard.press('Control+s');
  await expect(screen.getByTestId('rule-ageLimits.FS.max')).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'rules-error');
  await expectNoAxeViolations(page, 'placement rules with an error');
  expect((await app.api('placementRules.get', {})).noticeMonths.FS).toBe(before.noticeMonths.FS);

  // Shift+Tab is not needed: the field with the error is fixed where the cursor is.
  await page.keyboard.press('Control+a');
  await page.keyboard.type(String(before.ageLimits.FS.max));
  await page.keyboard.press('Control+s');
  await expect(screen.getByTestId('rules-saved')).toBeVisible();
  await screenshot(page, 'rules-saved');
  const after = await app.api('placementRules.get', {});
  expect(after.noticeMonths.FS).toBe(3);
  expect(after.ageLimits.FS).toEqual(before.ageLimits.FS);
  expect(after.noticeMonths.FTH).toBe(before.noticeMonths.FTH);
});

test('a clerk sees the placement rules read-only', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  await app.goto('#/settings/placement-rules');
  const screen = page.getByTestId('placement-rules');
  await expect(screen.getByTestId('rules-read-only')).toBeVisible();
  await expect(screen.getByTestId('rule-noticeMonths.FS')).toBeDisabled();
  await expect(screen.getByRole('button', { name: 'Spara' })).toHaveCount(0);
  await screenshot(page, 'rules-read-only');
  await expectNoAxeViolations(page, 'placement rules, read-only');
});
