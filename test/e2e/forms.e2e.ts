/**
 * Form behaviour a clerk relies on: Esc asks before throwing away changes, a failed save keeps every value,
 * a school unit is created with the keyboard and refused with a specific message per wrong field.
 */
import { expect, expectNoAxeViolations, screenshot, test } from './fixtures';
import { KansliApp } from './pages';

test('Esc on a changed form asks first; staying keeps the input, discarding leaves it unsaved', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  const { items } = await app.api('person.list', { limit: 20, role: 'guardian' });
  const person = items.find((p) => !p.protected)!;
  await app.goto(`#/person/${person.id}`);
  await app.card().visible();
  await page.keyboard.press('e');
  const form = app.form();
  await form.visible();
  await app.pressUntilFocused('Tab', 'Tilltalsnamn');
  await page.keyboard.type('Lotta');
  await expect(page.getByTestId('unsaved')).toBeVisible();

  await page.keyboard.press('Escape');
  const dialog = page.getByRole('dialog', { name: 'Släng ändringarna?' });
  await expect(dialog).toBeVisible();
  await screenshot(page, 'person-form-discard-confirm');
  await expectNoAxeViolations(page, 'discard confirmation');
  // Esc in the dialog means "keep editing": the typed value is still there.
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(form.field('Tilltalsnamn')).toHaveValue('Lotta');

  await page.keyboard.press('Escape');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Släng ändringarna' }).press('Enter');
  await app.card().visible();
  expect((await app.api('person.get', { id: person.id })).preferredName).toBeNull();
});

test('a school unit is created with the keyboard; wrong codes get a message per field', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('registrar');
  const tree = await app.api('org.tree', {});
  const admin = tree.administrations[0]!;
  await app.goto(`#/new/unit?parent=${admin.id}`);
  const form = page.getByTestId('unit-form');
  await expect(form).toBeVisible();
  await expectNoAxeViolations(page, 'unit form');

  await form.getByLabel(/^Namn på skolenheten/).fill('Testgläntans förskola');
  await form.getByLabel(/^Skolenhetskod/).fill('1234');
  await form.getByLabel(/^Organisationsnummer/).fill('212000-0000');
  await form.getByLabel(/^Förskola/).check();
  await page.keyboard.press('Control+s');
  await expect(form.getByTestId('form-errors')).toBeVisible();
  await expect(form.getByLabel(/^Skolenhetskod/)).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'unit-form-errors');
  await expectNoAxeViolations(page, 'unit form with errors');
  // Nothing was lost, nothing was written.
  await expect(form.getByLabel(/^Namn på skolenheten/)).toHaveValue('Testgläntans förskola');
  const before = (await app.api('org.tree', {})).administrations.flatMap((a) => a.units).length;

  await form.getByLabel(/^Skolenhetskod/).fill('87654321');
  await page.keyboard.press('Control+s');
  // The organisation number's check digit is wrong: the core says so on that field.
  await expect(form.getByLabel(/^Organisationsnummer/)).toHaveAttribute('aria-invalid', 'true');
  expect((await app.api('org.tree', {})).administrations.flatMap((a) => a.units).length).toBe(before);

  await form.getByLabel(/^Organisationsnummer/).fill('');
  await page.keyboard.press('Control+s');
  await expect(page.getByTestId('unit-card')).toBeVisible();
  await expect(page.getByTestId('unit-card')).toContainText('87654321');
  expect((await app.api('org.tree', {})).administrations.flatMap((a) => a.units).length).toBe(before + 1);
});

test('a newly arrived child without a number is registered with a reserve number and birth date', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  await page.keyboard.press('Alt+n');
  const form = app.form();
  await form.visible();
  await form.root.getByLabel(/^Personen saknar personnummer/).check();
  await form.field('Reservnummer').fill('r-2026-0777');
  await form.field('Födelsedatum').fill('2019-04-02');
  await form.field('Förnamn').fill('Amir');
  await form.field('Efternamn').fill('Haddad');
  await screenshot(page, 'person-form-reserve-number');
  await expectNoAxeViolations(page, 'person form without identity number');
  await form.saveWithKeyboard();
  const card = app.card();
  await card.visible();
  await expect(card.root.getByTestId('reserve-number-display')).toHaveText('R-2026-0777');
  const hits = await app.search('R-2026-0777');
  await expect(hits.first()).toContainText('Haddad, Amir');
});

test('the form kit: a wrong number speaks when the field is left, the banner only after a save; the page does not jump', async ({ app: page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  await app.goto('#/new/person');
  const form = app.form();
  await form.visible();
  const id = form.identityNumber();
  await expect(id).toBeFocused();
  // A Swedish number with a wrong check digit.
  // Typed to the end, with a separator on the way: nothing is said while typing.
  await page.keyboard.type('20150315-2381');
  await expect(page.getByTestId('person-form').getByTestId('field-error')).toHaveCount(0);
  const before = await page.evaluate(() => window.scrollY);
  await page.keyboard.press('Tab');
  await expect.poll(() => form.errorOf(id)).toMatch(/Kontrollsiffran stämmer inte/);
  // Leaving a wrong field is not a failed save: no banner, and nothing moved.
  await expect(page.getByTestId('form-errors')).toHaveCount(0);
  expect(await page.evaluate(() => window.scrollY)).toBe(before);
  await screenshot(page, 'kit-person-form-blur-error');

  await form.saveWithKeyboard();
  const banner = page.getByTestId('form-errors');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('behöver rättas');
  // The first field in error has focus; required fields not yet visited now speak too.
  await expect(id).toBeFocused();
  await expect.poll(() => form.errorOf(form.field('Förnamn'))).toMatch(/måste fyllas i/);
  await screenshot(page, 'kit-person-form-after-save');
  await expectNoAxeViolations(page, 'person form after a failed save');

  // Order of the action bar: Save, Cancel, the hint.
  const bar = page.locator('.k-form-actions');
  await expect(bar.locator(':scope > *').nth(0)).toHaveAttribute('data-testid', 'save');
  await expect(bar.locator(':scope > *').nth(1)).toHaveAttribute('data-testid', 'cancel');
  await expect(bar.getByTestId('keys-hint')).toContainText('Esc');
});
