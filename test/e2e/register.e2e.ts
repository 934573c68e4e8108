/**
 * The clerk's first capability end to end, through the browser host in Debian Chromium:
 * find a person, open the card, correct it with the keyboard, see it survive a reload; refuse an invalid
 * identity number without saving anything; protected persons show "Protected"; every screen is axe-clean
 * and screenshotted.
 */
import { expect, expectNoAxeViolations, screenshot, test } from './fixtures';
import { KansliApp } from './pages';

test('search → open card → edit → save → reload shows the change, all by keyboard', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  const { items } = await app.api('person.list', { limit: 50, role: 'child' });
  const child = items.find((p) => !p.protected && p.identity)!;

  // Search by name fragment and open the first hit with the keyboard.
  const hits = await app.search(`${child.givenName} ${child.familyName}`);
  await expect(hits.first()).toContainText(child.familyName);
  await screenshot(page, 'search-results');
  await expectNoAxeViolations(page, 'search results');
  // Namesakes are common: walk down to the hit with this child's identity number, then open it.
  const texts = await hits.allInnerTexts();
  const index = texts.findIndex((t) => t.includes(child.identity!.display));
  expect(index, `hit for ${child.identity!.display} among ${texts.length}`).toBeGreaterThanOrEqual(0);
  for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const card = app.card();
  await card.visible();
  await expect(card.heading()).toContainText(child.familyName);
  await expect(card.identity()).toHaveText(child.identity!.display);
  await screenshot(page, 'person-card');
  await expectNoAxeViolations(page, 'person card');

  // Edit: E opens the form; Tab to the preferred name; type; Ctrl+S saves.
  await page.keyboard.press('e');
  const form = app.form();
  await form.visible();
  await screenshot(page, 'person-form');
  await expectNoAxeViolations(page, 'person form');
  await app.pressUntilFocused('Tab', 'Tilltalsnamn');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Kajsa');
  // This is a correction of a wrong entry: Tab reaches the radio group, an arrow key picks the second choice.
  await app.pressUntilFocused('Tab', 'Ny uppgift från ett visst datum');
  await page.keyboard.press('ArrowDown');
  await expect(form.root.getByLabel('Rättelse av felaktig uppgift')).toBeChecked();
  await form.saveWithKeyboard();
  await card.visible();
  await expect(card.root).toContainText('Kajsa');

  await page.reload();
  await card.visible();
  await expect(card.root).toContainText('Kajsa');
  const saved = await app.api('person.get', { id: child.id });
  expect(saved.preferredName).toBe('Kajsa');
  expect(saved.history[0]).toMatchObject({ op: 'correction', fields: ['preferredName'] });
});

test('an invalid identity number shows the field error and saves nothing', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  const before = (await app.api('person.list', { limit: 1 })).total;
  await page.keyboard.press('Alt+n');
  const form = app.form();
  await form.visible();
  await form.identityNumber().fill('19121212-1213');
  await form.field('Förnamn').fill('Tolvan');
  await form.field('Efternamn').fill('Tolvansson');
  await form.saveWithKeyboard();
  await expect.poll(() => form.errorOf(form.identityNumber())).toMatch(/kontrollsiffra/i);
  await expect(form.identityNumber()).toHaveAttribute('aria-invalid', 'true');
  await screenshot(page, 'person-form-invalid-identity');
  await expectNoAxeViolations(page, 'person form with errors');
  // Nothing was lost in the form, and nothing was written.
  await expect(form.field('Förnamn')).toHaveValue('Tolvan');
  expect((await app.api('person.list', { limit: 1 })).total).toBe(before);

  // Correcting the number saves and opens the new card.
  await form.identityNumber().fill('19121212-1212');
  await form.saveWithKeyboard();
  await app.card().visible();
  await expect(app.card().identity()).toHaveText('19121212-1212');
  expect((await app.api('person.list', { limit: 1 })).total).toBe(before + 1);
});

test('a protected person is found by name but the card shows "Skyddad" and no address', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  const all = await app.api('person.list', { limit: 500, role: 'child' });
  const prot = all.items.find((p) => p.protected)!;
  expect(prot, 'the demo data has protected children').toBeTruthy();
  const hits = await app.search(`${prot.givenName} ${prot.familyName}`);
  await expect(hits.filter({ hasText: prot.identity!.display }).getByTestId('protected-badge')).toBeVisible();
  await app.goto(`#/person/${prot.id}`);
  const card = app.card();
  await card.visible();
  await expect(card.protectedBlock()).toBeVisible();
  await expect(card.root).toContainText('Skyddad');
  // The core sent no address: nothing of one can be on the page.
  const data = await app.api('person.get', { id: prot.id });
  expect(data.addresses).toEqual([]);
  await expect(card.root.getByText('Folkbokföringsadress')).toHaveCount(0);
  await screenshot(page, 'person-card-protected');
  await expectNoAxeViolations(page, 'protected person card');
});

test('person list, organisation, unit and group screens, help and palette are axe-clean', async ({ app: page }) => {
  // Seven screens, each scanned by axe and photographed: past the default minute on a loaded CI machine
  // (CI reached the last scan at 60 s).
  test.setTimeout(150_000);
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  await screenshot(page, 'start');
  await expectNoAxeViolations(page, 'start');

  // Letter shortcuts act outside text fields; the start screen puts the cursor in the search box, and
  // Escape there leaves it (a second Escape when it is empty).
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await page.keyboard.press('g');
  await page.keyboard.press('p');
  await expect(page.getByTestId('person-list-screen')).toBeVisible();
  await expect(page.getByTestId('person-row').first()).toBeVisible();
  await screenshot(page, 'person-list');
  await expectNoAxeViolations(page, 'person list');

  await page.keyboard.press('Escape');
  await page.keyboard.press('g');
  await page.keyboard.press('o');
  await expect(page.getByTestId('org-screen')).toBeVisible();
  await screenshot(page, 'organisation');
  await expectNoAxeViolations(page, 'organisation');

  const tree = await app.api('org.tree', {});
  const unit = tree.administrations.flatMap((a) => a.units).find((u) => u.groupCount > 0)!;
  await app.goto(`#/unit/${unit.id}`);
  await expect(page.getByTestId('unit-card')).toBeVisible();
  await screenshot(page, 'unit-card');
  await expectNoAxeViolations(page, 'unit card');

  const card = await app.api('unit.get', { id: unit.id });
  await app.goto(`#/group/${card.groups[0]!.id}`);
  await expect(page.getByTestId('group-card')).toBeVisible();
  await expect(page.getByTestId('group-member').first()).toBeVisible();
  await screenshot(page, 'group-card');
  await expectNoAxeViolations(page, 'group card');

  // "/" from anywhere outside a field moves to the search box without typing itself.
  await page.keyboard.press('/');
  const box = page.getByRole('combobox').first();
  await expect(box).toBeFocused();
  await expect(box).toHaveValue('');
  await page.keyboard.press('Escape');

  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toBeVisible();
  await screenshot(page, 'help-overlay');
  await expectNoAxeViolations(page, 'help overlay');
  await page.keyboard.press('Escape');

  await page.keyboard.press('Control+k');
  await expect(page.getByPlaceholder('Skriv ett kommando …')).toBeVisible();
  await screenshot(page, 'command-palette');
  await expectNoAxeViolations(page, 'command palette');
});

test('the language switches at runtime to English and Norwegian bokmål', async ({ app: page }) => {
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  // Typed straight after Ctrl+K, as a fast clerk does: no keystroke may be lost.
  await new KansliApp(page).openPalette();
  await page.keyboard.type('English');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByTestId('nav-search')).toContainText('Search');
  await screenshot(page, 'start-en');
  await new KansliApp(page).openPalette();
  await page.keyboard.type('Norwegian');
  await page.keyboard.press('Enter');
  await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
  await expect(page.getByTestId('nav-search')).toContainText('Søk');
  await expectNoAxeViolations(page, 'start in bokmål');
});

test('the person register: sorted by the core from the keyboard, the unit/class column, CSV of what is shown (logged)', async ({ app: page }) => {
  const app = new KansliApp(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.signInAs('clerk.all');
  await app.goto('#/persons?role=child');
  const list = page.getByTestId('person-list');
  await expect(page.getByTestId('person-row').first()).toContainText(/\S/);
  // The list has the focus: the first row is the one tab stop.
  await expect(page.locator('[data-testid="person-row"][tabindex="0"]')).toBeFocused();
  // Only the rows in view exist, however long the list.
  const total = (await app.api('person.list', { limit: 1, role: 'child' })).total;
  expect(await page.getByTestId('person-row').count()).toBeLessThan(Math.min(total, 80));
  // A pupil's row says where they are today; a protected child's place is withheld.
  await expect(list.getByTestId('person-place').first()).toContainText(/\S · \S|\S/);
  const hidden = await app.api('person.list', { limit: 500, role: 'child' });
  expect(hidden.items.filter((p) => p.protected).every((p) => p.place === null)).toBe(true);
  await screenshot(page, 'person-list-children');
  await expectNoAxeViolations(page, 'person list');

  // Sort by birth date with the keyboard: Shift+Tab from the rows reaches the headers; Enter asks the core.
  const born = page.getByTestId('sort-birthDate');
  await born.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('columnheader', { name: /Födelsedatum/ })).toHaveAttribute('aria-sort', 'ascending');
  await expect(born).toBeFocused();
  const asc = await app.api('person.list', { limit: 3, role: 'child', sort: 'birthDate' });
  await expect(page.getByTestId('person-row').first()).toContainText(asc.items[0]!.familyName);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('columnheader', { name: /Födelsedatum/ })).toHaveAttribute('aria-sort', 'descending');
  const desc = await app.api('person.list', { limit: 3, role: 'child', sort: 'birthDate', dir: 'desc' });
  await expect(page.getByTestId('person-row').first()).toContainText(desc.items[0]!.familyName);
  await screenshot(page, 'person-list-sorted-born-desc');

  // The rows by keyboard: Tab into the list, End goes to the last child, Enter opens the card, Back returns there.
  await page.locator('[data-testid="person-row"][tabindex="0"]').focus();
  await page.keyboard.press('End');
  const last = await app.api('person.list', { offset: total - 1, limit: 1, role: 'child', sort: 'birthDate', dir: 'desc' });
  await expect(page.locator('[data-testid="person-row"]:focus')).toContainText(last.items[0]!.familyName);
  await page.keyboard.press('Enter');
  await app.card().visible();
  await expect(app.card().heading()).toContainText(last.items[0]!.familyName);
  await page.goBack();
  await expect(page.getByRole('columnheader', { name: /Födelsedatum/ })).toHaveAttribute('aria-sort', 'descending');

  // CSV of what is shown: the whole filtered list in the shown order, logged in the audit log first.
  const download = page.waitForEvent('download');
  await page.getByTestId('persons-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  const text = Buffer.concat(await (await file.createReadStream()).toArray()).toString('utf8').replace(/^\ufeff/, '');
  const lines = text.trim().split('\r\n');
  expect(lines[0]).toContain('Enhet / klass i dag');
  expect(lines).toHaveLength(total + 1);
  expect(lines[1]).toContain(desc.items[0]!.familyName);
});

test('organisation: Tab from the heading reaches the tree; unit tables and the group members on the data table', async ({ app: page }) => {
  const app = new KansliApp(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.signInAs('clerk.all');
  const tree = await app.api('org.tree', {});
  const unit = tree.administrations.flatMap((a) => a.units).find((u) => u.groupCount > 0)!;
  await app.goto(`#/unit/${unit.id}`);
  await expect(page.getByTestId('unit-card')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toBeFocused();
  // The tree stands before the record in the page; Tab from the heading goes there first, then on.
  await page.keyboard.press('Tab');
  const item = page.locator('[data-testid="org-tree"] [role="treeitem"]:focus');
  await expect(item).toHaveAttribute('aria-selected', 'true');
  await expect(item).toContainText(unit.name);
  await page.keyboard.press('Tab');
  await expect(page.locator('[data-testid="unit-card"] :focus')).toHaveCount(1);

  // The groups: counts right-aligned, sortable by keyboard, Enter on a row opens the group.
  const groups = page.getByTestId('unit-groups');
  await expect(groups.locator('td.k-num-col').first()).toHaveCSS('text-align', 'right');
  await groups.getByTestId('sort-members').focus();
  await page.keyboard.press('Enter');
  await expect(groups.getByRole('columnheader', { name: /Antal|Medlemmar/ })).toHaveAttribute('aria-sort', 'ascending');
  const counts = (await groups.locator('tbody td.k-num-col:last-child').allInnerTexts()).map(Number);
  expect(counts).toEqual([...counts].sort((a, b) => a - b));
  await screenshot(page, 'unit-card-tables');
  await expectNoAxeViolations(page, 'unit card');
  await groups.locator('tbody tr').first().focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('group-card')).toBeVisible();
  await expect(page.getByTestId('group-member').first()).toBeVisible();
  // A protected member is shown by name only.
  const group = await app.api('group.get', { id: page.url().split('/group/')[1]!.split('?')[0]! });
  for (const m of group.members.filter((x) => x.person.protected)) {
    await expect(page.getByTestId('group-member').filter({ hasText: m.person.familyName })).not.toContainText(m.person.birthDate ?? '∅');
  }
  await screenshot(page, 'group-card-members');
  await expectNoAxeViolations(page, 'group card');

  await app.goto('#/org');
  await expect(page.getByTestId('org-administrations')).toBeVisible();
  await screenshot(page, 'organisation-overview');
  await expectNoAxeViolations(page, 'organisation');
});

test('rollover preview: counts right-aligned, the totals under the units, change badges coloured by kind', async ({ app: page }) => {
  const app = new KansliApp(page);
  await page.setViewportSize({ width: 1440, height: 900 });
  await app.signInAs('clerk.all');
  await app.goto('#/rollover');
  const screen = page.getByTestId('rollover-screen');
  await app.pressUntilFocused('Tab', 'Första dagen i det nya läsåret');
  await page.keyboard.press('Control+a');
  await page.keyboard.type('2027-08-16');
  await page.keyboard.press('Enter');
  const summary = screen.getByTestId('rollover-summary');
  await expect(summary.getByTestId('rollover-totals')).toBeVisible();
  await expect(summary.locator('tbody td.k-num-col').first()).toHaveCSS('text-align', 'right');
  // The leavers and the starters look different from those moving up.
  const badge = (action: string) => screen.locator(`[data-testid="rollover-row"][data-action="${action}"] .k-change`).first();
  await expect(badge('promote')).toBeVisible();
  const colours = new Set<string>();
  for (const action of ['promote', 'leave']) colours.add(await badge(action).evaluate((el) => getComputedStyle(el).backgroundColor));
  expect(colours.size).toBe(2);
  await screen.getByTestId('rollover-rows').scrollIntoViewIfNeeded();
  await screenshot(page, 'rollover-rows-badges');
  await expectNoAxeViolations(page, 'rollover preview');
});
