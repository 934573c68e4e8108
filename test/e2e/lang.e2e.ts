/**
 * Languages (issue 10): a workstation where nobody has chosen a language follows the municipality's country
 * from the very first screen (a Norwegian municipality's sign-in is in bokmål), a user's own choice wins
 * after that, and the labels that depend on the country and the school form read as the clerk's words.
 */
import { expect, expectNoAxeViolations, openHostDb, screenshot, startHost, test } from './fixtures';
import { KansliApp } from './pages';

test.describe('a Norwegian municipality', () => {
  let host: Awaited<ReturnType<typeof startHost>>;
  test.beforeAll(async () => {
    host = await startHost({ country: 'no', persons: 400 });
  });
  test.afterAll(async () => {
    await host.stop();
  });

  test('the sign-in screen opens in bokmål, the card names the number, and a chosen language is kept', async ({ page }) => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(host.info.url);
    const screen = page.getByTestId('sign-in-screen');
    await expect(screen).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
    await expect(screen.getByRole('heading', { level: 1 })).toHaveText('Logg inn');
    await expect(screen.getByLabel(/^Brukernavn/)).toBeFocused();
    await expect(page.getByRole('button', { name: 'Norsk bokmål' })).toHaveAttribute('aria-pressed', 'true');
    await screenshot(page, 'lang-signin-nb');
    await expectNoAxeViolations(page, 'sign-in in bokmål');

    // Signed in, the app speaks bokmål too, and a Norwegian number is a "Fødselsnummer" (the demo's synthetic
    // test numbers stand in for one; a Swedish number would say "Personnummer (SE)").
    const db = openHostDb(host.info);
    const { id: person, kind } = db
      .prepare(`SELECT id, id_kind AS kind FROM person WHERE id_country = 'NO' AND protection = 'none' AND birth_date > '2015-01-01' AND deleted_at IS NULL ORDER BY id LIMIT 1`)
      .get() as { id: string; kind: string };
    const klass = db
      .prepare(`SELECT g.id FROM school_group g WHERE g.kind = 'class' AND g.school_form = 'GSK' AND g.grade = 3 AND g.school_year = 2026 AND g.deleted_at IS NULL ORDER BY g.name LIMIT 1`)
      .pluck()
      .get() as string;
    db.close();
    const app = new KansliApp(page);
    await page.keyboard.type('clerk.all');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kansli-demo-2026');
    await page.keyboard.press('Enter');
    await app.ready();
    await app.goto(`#/person/${person}`);
    const identity = page.locator('section[aria-labelledby="sec-identity-title"]');
    await expect(identity.getByRole('term').first()).toHaveText('Fødselsnummer');
    if (kind === 'no_synthetic') await expect(identity).toContainText('Syntetisk testnummer');
    await expect(identity.getByTestId('identity-display')).toBeVisible();
    await identity.scrollIntoViewIfNeeded();
    await screenshot(page, 'lang-card-nb');
    await expectNoAxeViolations(page, 'person card in bokmål');

    // A class: its grade in Norwegian words, the member list's number column named for Norway.
    await app.goto(`#/group/${klass}`);
    const facts = page.locator('section[aria-labelledby="sec-group-title"]');
    await expect(facts).toContainText('3. trinn');
    await expect(facts).toContainText('Grunnskole');
    await expect(page.getByTestId('group-members').getByRole('columnheader', { name: 'Fødselsnummer' })).toBeVisible();
    await screenshot(page, 'lang-group-nb');
    await expectNoAxeViolations(page, 'group card in bokmål');

    // Signing out: still bokmål. Choosing Svenska on the sign-in screen is this workstation's choice from now on.
    // (pages.ts signs out in Swedish; here the menu speaks bokmål.)
    await page.getByTestId('account-menu').focus();
    await page.keyboard.press('Enter');
    const signOut = page.getByRole('menuitem', { name: 'Logg ut' });
    await expect(signOut).toBeVisible();
    for (let i = 0; i < 8 && !(await signOut.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('ArrowDown');
    await expect(signOut).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('sign-in-screen')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
    const svenska = page.getByRole('button', { name: 'Svenska' });
    await svenska.focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
    await expect(page.getByTestId('sign-in-screen').getByRole('heading', { level: 1 })).toHaveText('Logga in');
    await page.reload();
    await expect(page.getByTestId('sign-in-screen').getByRole('heading', { level: 1 })).toHaveText('Logga in');
    await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  });
});

test('a Swedish municipality opens in Swedish, and förskoleklass is named, never "Årskurs 0"', async ({ app: page, host }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const screen = page.getByTestId('sign-in-screen');
  await expect(screen).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'sv');
  await expect(screen.getByRole('heading', { level: 1 })).toHaveText('Logga in');
  const db = openHostDb(host);
  const fklass = db
    .prepare(`SELECT g.id FROM school_group g WHERE g.kind = 'class' AND g.school_form = 'FKLASS' AND g.school_year = 2026 AND g.deleted_at IS NULL ORDER BY g.name LIMIT 1`)
    .pluck()
    .get() as string | undefined;
  db.close();
  expect(fklass, 'the demo has a förskoleklass').toBeTruthy();
  const app = new KansliApp(page);
  await app.signInAs('clerk.all');
  await app.goto(`#/group/${fklass}`);
  const facts = page.locator('section[aria-labelledby="sec-group-title"]');
  await expect(facts).toContainText('Förskoleklass');
  await expect(facts).not.toContainText('Årskurs 0');
  await expect(page.getByTestId('group-members').getByRole('columnheader', { name: 'Personnummer' })).toBeVisible();
  await screenshot(page, 'lang-group-fklass-sv');
  await expectNoAxeViolations(page, 'förskoleklass group card');
});
