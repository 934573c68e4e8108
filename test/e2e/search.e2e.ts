/**
 * Search and the palette through a clerk's day (issue 10), by keyboard: result rows show the unit, class and
 * status; the search screen's start page lists the persons this clerk opened last (never a protected person
 * they may not see); the header's popup is not clipped by the navigation; the palette finds persons and
 * ranks a screen whose name starts with the query first. Screens at 1440×900, axe on each.
 */
import type { Page } from '@playwright/test';
import { E2E_TODAY, expect, expectNoAxeViolations, openHostDb, screenshot, test } from './fixtures';
import { KansliApp } from './pages';

interface Pupil {
  id: string;
  given: string;
  family: string;
  unit: string;
  grp: string;
}

async function openHit(page: Page, app: KansliApp, p: { given: string; family: string }, mark: string): Promise<void> {
  const hits = await app.search(`${p.given} ${p.family}`);
  const texts = await hits.allInnerTexts();
  const index = texts.findIndex((t) => t.includes(mark));
  expect(index, `hit with ${mark} among ${texts.join(' | ')}`).toBeGreaterThanOrEqual(0);
  for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await app.card().visible();
}

test('result rows show unit, class and status; the start page lists the persons opened last; the header popup is whole', async ({ app: page, host }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new KansliApp(page);
  const db = openHostDb(host);
  const pupil = db
    .prepare(
      `SELECT p.id, p.given_name AS given, p.family_name AS family, u.name AS unit, g.name AS grp FROM enrolment e
       JOIN person p ON p.id = e.pupil_id JOIN org_unit u ON u.id = e.unit_id JOIN school_group g ON g.id = e.group_id
       WHERE e.deleted_at IS NULL AND e.valid_from <= @t AND (e.valid_to IS NULL OR e.valid_to >= @t) AND p.protection = 'none' AND p.id_canonical IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM placement pl WHERE pl.child_id = p.id AND pl.deleted_at IS NULL AND pl.state = 'offered')
       ORDER BY p.id LIMIT 1`,
    )
    .get({ t: E2E_TODAY }) as Pupil;
  const child = db
    .prepare(
      `SELECT p.id, p.given_name AS given, p.family_name AS family, u.name AS unit, g.name AS grp FROM placement pl
       JOIN person p ON p.id = pl.child_id JOIN org_unit u ON u.id = pl.unit_id JOIN school_group g ON g.id = pl.group_id
       WHERE pl.deleted_at IS NULL AND pl.state = 'accepted' AND pl.school_form = 'FS' AND pl.valid_from <= @t AND (pl.valid_to IS NULL OR pl.valid_to >= @t)
         AND p.protection = 'none' AND p.id_canonical IS NOT NULL AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.pupil_id = p.id AND e.deleted_at IS NULL)
       ORDER BY p.id LIMIT 1`,
    )
    .get({ t: E2E_TODAY }) as Pupil;
  const prot = db.prepare(`SELECT id, given_name AS given, family_name AS family FROM person WHERE protection <> 'none' ORDER BY id LIMIT 1`).get() as Pupil;
  db.close();
  expect(pupil && child && prot).toBeTruthy();

  await app.signInAs('clerk.all');
  // The start page before anything was opened here.
  await app.goto('#/search');
  await expect(page.getByTestId('recent-persons')).toContainText('Du har inte öppnat någon person på den här datorn ännu.');

  // A pupil's row names the school and the class; a preschool child's the preschool and the department.
  const pupilCard = await app.api('person.get', { id: pupil.id });
  const hits = await app.search(`${pupil.given} ${pupil.family}`);
  const row = hits.filter({ hasText: pupilCard.identity!.display });
  await expect(row.getByTestId('hit-place')).toHaveText(`${pupil.unit} · ${pupil.grp}`);
  await expect(row).toContainText('Inskriven');
  await screenshot(page, 'search-result-places');
  await expectNoAxeViolations(page, 'search results with places');
  await openHit(page, app, pupil, pupilCard.identity!.display);

  const childCard = await app.api('person.get', { id: child.id });
  await openHit(page, app, child, childCard.identity!.display);
  // The header's popup over the navigation: its status line starts on screen, not under the sidebar.
  await page.keyboard.press('Control+f');
  await page.keyboard.type(childCard.identity!.display);
  const popup = page.getByTestId('search-popup');
  await expect(popup.getByTestId('search-hit')).toHaveCount(1);
  await expect(popup.getByTestId('hit-place')).toHaveText(`${child.unit} · ${child.grp}`);
  await expect(popup.getByRole('status')).toHaveText('1 träff');
  const box = (await popup.getByRole('status').boundingBox())!;
  const onTop = await page.evaluate(([x, y]) => !!document.elementFromPoint(x!, y!)?.closest('[data-testid="search-popup"]'), [box.x + 4, box.y + box.height / 2]);
  expect(onTop, 'the popup is drawn above the navigation').toBe(true);
  await screenshot(page, 'search-header-popup');
  await expectNoAxeViolations(page, 'header search popup');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  // A protected person's card opened by a clerk without protected.reveal: never on the start page.
  await app.goto(`#/person/${prot.id}`);
  await app.card().visible();

  // G then S: the start page, the last opened first, ↓ and Enter open it.
  await page.locator('#main').focus();
  await page.keyboard.press('g');
  await page.keyboard.press('s');
  const recent = page.getByTestId('search-screen').getByTestId('search-hit');
  await expect(recent).toHaveCount(2);
  await expect(recent.nth(0)).toContainText(child.family);
  await expect(recent.nth(0).getByTestId('hit-place')).toHaveText(`${child.unit} · ${child.grp}`);
  await expect(recent.nth(1)).toContainText(pupil.family);
  await expect(page.getByTestId('search-screen')).not.toContainText(prot.family);
  await expect(page.locator('#global-search')).toBeFocused();
  await screenshot(page, 'search-start-recent');
  await expectNoAxeViolations(page, 'search start page');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await app.card().visible();
  await expect(app.card().heading()).toContainText(pupil.family);
});

test('the palette ranks the screen named by the query first and finds persons by name and number', async ({ app: page, host }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const app = new KansliApp(page);
  const db = openHostDb(host);
  const p = db.prepare(`SELECT id, given_name AS given, family_name AS family FROM person WHERE protection = 'none' AND is_child = 1 AND id_canonical IS NOT NULL ORDER BY id LIMIT 1`).get() as Pupil;
  db.close();
  await app.signInAs('clerk.all');

  await app.openPalette();
  await page.keyboard.type('läsår');
  const dialog = page.getByRole('dialog');
  const options = dialog.locator('.mantine-Spotlight-action');
  await expect(options.first()).toHaveText(/Gå till Läsårsskifte/);
  await expect(dialog).toContainText('Placeringsregler');
  await screenshot(page, 'palette-lasar');
  await expectNoAxeViolations(page, 'palette ranked');
  // The best match is already chosen: Enter opens it.
  await expect(options.first()).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Läsårsskifte');

  // A name: persons from the same search as the search box, under their own heading.
  const card = await app.api('person.get', { id: p.id });
  await app.openPalette();
  await page.keyboard.type(`${p.given} ${p.family}`);
  const persons = dialog.getByTestId('palette-person');
  await expect(persons.first()).toBeVisible();
  // The group's heading is drawn from a CSS variable (Mantine's Spotlight).
  await expect(dialog.locator('.mantine-Spotlight-actionsGroup').first()).toHaveAttribute('style', /Personer/);
  await screenshot(page, 'palette-person-name');
  await expectNoAxeViolations(page, 'palette with persons');
  await page.keyboard.press('Escape');

  // An identity number names one person: ↓ Enter opens the card.
  await app.openPalette();
  await page.keyboard.type(card.identity!.display);
  await expect(persons).toHaveCount(1);
  await expect(persons.first()).toContainText(p.family);
  await expect(persons.first()).toHaveAttribute('data-selected', 'true');
  await page.keyboard.press('Enter');
  await app.card().visible();
  await expect(app.card().heading()).toContainText(p.family);
});
