/**
 * Leak test, renderer side: nothing of a protected person's address or contact details may stay behind in
 * the browser profile (Local Storage, IndexedDB, Session Storage, the HTTP cache, Code Cache, session
 * restore files, …) after a session that showed the person — not even after the protected-identity
 * handler revealed the details on screen.
 *
 * The host's database gets unique markers in every address and contact of every shielded person (the
 * core's own `isShielded` rule). Chromium runs with a profile folder of our own (a persistent context), a
 * clerk signs in through the UI, searches, lists and opens the cards of those persons, signs out; the
 * protected-identity handler signs in, opens a card and reveals its details with a reason (the marker is
 * then on screen, proving the path works). After the browser has closed, every file of the profile is
 * searched byte by byte for the marker prefix in UTF-8 and UTF-16LE; so is the host's data folder (logs).
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fixedClock, type CoreContext } from '../../core/context';
import { isShielded, refreshShielding } from '../../core/register/shielding';
import type { ProtectionLevel } from '../../shared/api/schemas';
import { E2E_TODAY, expect, test } from './fixtures';
import { KansliApp } from './pages';
import config from './playwright.config';

const PREFIX = 'LKM7Q';
const MARKER_RE = /LKM7Q-[A-Za-z0-9@._-]*/gi;
const needlesOf = (prefix: string) => [prefix, prefix.toLowerCase()].flatMap((t) => [Buffer.from(t, 'utf8'), Buffer.from(t, 'utf16le')]);
const NEEDLES = needlesOf(PREFIX);
/**
 * Positive control: a different marker the test itself puts into Local Storage, Session Storage and
 * IndexedDB of the app's origin. The scan must find it, which proves the profile was flushed to disk and
 * that the byte search sees what those stores write.
 */
const CONTROL = 'LKM9Z';

interface Target {
  id: string;
  name: string;
  given: string;
  family: string;
  idCanonical: string | null;
  isProtected: boolean;
  /** The street of the current registered address: what the card shows after a reveal. */
  street: string | null;
}

/** Plants markers into the running host's database (WAL: a second writer is fine). Returns the shielded persons. */
function plantMarkers(dbPath: string): Target[] {
  const db = new Database(dbPath);
  try {
    db.pragma('busy_timeout = 5000');
    const ctx = { sqlite: db, clock: fixedClock(E2E_TODAY) } as unknown as CoreContext;
    // The demo generator protects whole households; unprotect the guardians and siblings of one protected
    // child so that some persons are shielded only through the link (the rule the UI must follow too).
    const kid = db
      .prepare(`SELECT p.id FROM person p JOIN guardianship g ON g.child_id = p.id AND g.deleted_at IS NULL WHERE p.protection <> 'none' ORDER BY p.birth_date LIMIT 1`)
      .pluck()
      .get() as string;
    db.prepare(
      `UPDATE person SET protection = 'none' WHERE id <> @kid AND (
         id IN (SELECT guardian_id FROM guardianship WHERE child_id = @kid AND deleted_at IS NULL)
         OR id IN (SELECT child_id FROM guardianship WHERE deleted_at IS NULL AND guardian_id IN (SELECT guardian_id FROM guardianship WHERE child_id = @kid AND deleted_at IS NULL)))`,
    ).run({ kid });
    // Written behind the core's back, so the stored flag is brought up to date the way every write does it.
    refreshShielding(ctx, [kid]);
    const people = db
      .prepare(`SELECT id, given_name, family_name, id_canonical, protection FROM person WHERE deleted_at IS NULL ORDER BY protection = 'none', family_name, given_name`)
      .all() as { id: string; given_name: string; family_name: string; id_canonical: string | null; protection: ProtectionLevel }[];
    const shielded = people.filter((p) => isShielded(ctx, p.id));
    const now = `${E2E_TODAY}T12:00:00.000Z`;
    const addrRows = db.prepare(`SELECT id, kind, valid_to FROM person_address WHERE person_id = ? ORDER BY valid_from`);
    const contactRows = db.prepare(`SELECT id, kind FROM person_contact WHERE person_id = ? ORDER BY valid_from`);
    const setAddr = db.prepare(`UPDATE person_address SET street = ?, care_of = ?, city = ?, postal_code = ? WHERE id = ?`);
    const setContact = db.prepare(`UPDATE person_contact SET value = ? WHERE id = ?`);
    const insContact = db.prepare(
      `INSERT INTO person_contact (id, person_id, kind, value, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
       VALUES (?,?,?,?,?,NULL,1,?,'leak-test',?,'leak-test')`,
    );
    const out: Target[] = [];
    db.transaction(() => {
      shielded.forEach((p, n) => {
        // Children have no contacts in the demo data; give every shielded person one, so contacts are covered.
        if ((contactRows.all(p.id) as unknown[]).length === 0) insContact.run(randomUUID(), p.id, 'mobile', 'x', '2024-01-01', now, now);
        let street: string | null = null;
        (addrRows.all(p.id) as { id: string; kind: string; valid_to: string | null }[]).forEach((a, i) => {
          const m = (f: string) => `${PREFIX}-${n}-${i}-${f}`;
          setAddr.run(m('street'), m('careof'), m('city'), m('postal'), a.id);
          if (a.valid_to === null && (street === null || a.kind === 'registered')) street = m('street');
        });
        (contactRows.all(p.id) as { id: string; kind: string }[]).forEach((c, i) => {
          setContact.run(c.kind === 'email' ? `${PREFIX}-${n}-${i}-email@example.invalid` : `${PREFIX}-${n}-${i}-${c.kind}`, c.id);
        });
        out.push({
          id: p.id,
          name: `${p.given_name} ${p.family_name}`,
          given: p.given_name,
          family: p.family_name,
          idCanonical: p.id_canonical,
          isProtected: p.protection !== 'none',
          street,
        });
      });
    })();
    return out;
  } finally {
    db.close();
  }
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue; // a socket or a link that vanished
    }
    if (st.isDirectory()) out.push(...filesUnder(p));
    else if (st.isFile()) out.push(p);
  }
  return out;
}

function scan(dir: string, skip: (path: string) => boolean = () => false, needles = NEEDLES): { files: number; bytes: number; hits: string[] } {
  let files = 0;
  let bytes = 0;
  const hits: string[] = [];
  for (const f of filesUnder(dir)) {
    if (skip(f)) continue;
    const buf = readFileSync(f);
    files++;
    bytes += buf.length;
    for (const n of needles) {
      const at = buf.indexOf(n);
      if (at >= 0) hits.push(`${relative(dir, f)} @${at}: ${JSON.stringify(buf.subarray(Math.max(0, at - 30), at + 50).toString(n.length === 5 ? 'utf8' : 'utf16le'))}`);
    }
  }
  return { files, bytes, hits };
}

/** What the page shows right now must not contain a marker (the card of a shielded person says "Protected"). */
async function expectNoMarkerOnScreen(page: Page, where: string): Promise<void> {
  const html = await page.content();
  expect(html.match(MARKER_RE) ?? [], `markers in the DOM on ${where}`).toEqual([]);
}

/**
 * Signs out through the account menu with the mouse. (KansliApp.signOut walks the menu with the keyboard;
 * at the time of writing its End key did not focus "Logga ut", and this test is about storage, not keys.)
 */
async function signOut(page: Page): Promise<void> {
  await page.getByTestId('account-menu').click();
  await page.getByTestId('menu-sign-out').click();
  await expect(page.getByTestId('sign-in-screen')).toBeVisible();
}

test.describe('renderer storage', () => {
  test('a protected person’s details leave no trace in the browser profile', async ({ host }) => {
    test.setTimeout(240_000);
    const targets = plantMarkers(join(host.dataDir, 'kansli.sqlite'));
    const prot = targets.filter((t) => t.isProtected);
    expect(prot.length, 'protected persons in the seeded municipality').toBeGreaterThanOrEqual(3);
    expect(targets.length).toBeGreaterThan(prot.length);

    const profile = mkdtempSync(join(tmpdir(), 'kansli-leak-profile-'));
    const use = config.use ?? {};
    let context: BrowserContext | null = null;
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: use.launchOptions?.executablePath ?? '/usr/bin/chromium',
        args: use.launchOptions?.args ?? [],
        viewport: use.viewport ?? { width: 1366, height: 850 },
        locale: use.locale ?? 'sv-SE',
        timezoneId: use.timezoneId ?? 'Europe/Stockholm',
      });
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(host.url);
      const app = new KansliApp(page);

      // ---- a clerk for the whole municipality: search, list, cards
      await app.signInAs('clerk.all');
      for (const t of prot.slice(0, 6)) {
        const hits = await app.search(t.name);
        await expect(hits.filter({ hasText: t.family }).first()).toBeVisible();
        await expectNoMarkerOnScreen(page, `search "${t.name}"`);
        if (t.idCanonical) {
          await app.search(t.idCanonical);
          await expectNoMarkerOnScreen(page, `search by number of ${t.name}`);
        }
        await page.keyboard.press('Escape');
      }
      for (const hash of ['#/persons', '#/persons?role=child', '#/persons?role=guardian']) {
        await app.goto(hash);
        await expect(page.getByTestId('person-row').first()).toBeVisible();
        // Scroll through the list so every page of it is fetched and rendered.
        const list = page.getByTestId('person-list');
        for (let i = 0; i < 30; i++) {
          const done = await list.evaluate((el) => {
            el.scrollTop += el.clientHeight;
            return el.scrollTop + el.clientHeight >= el.scrollHeight - 2;
          });
          await page.waitForTimeout(60);
          await expectNoMarkerOnScreen(page, hash);
          if (done) break;
        }
      }
      const card = app.card();
      for (const t of targets) {
        await app.goto(`#/person/${t.id}`);
        await card.visible();
        await expect(card.heading()).toContainText(t.family);
        await expect(card.protectedBlock()).toBeVisible();
        await expectNoMarkerOnScreen(page, `card of ${t.name}`);
      }
      await signOut(page);

      // ---- the protected-identity handler: reveal with a reason; the marker must be on screen
      await app.signInAs('protected');
      const revealed = [prot.find((t) => t.street)!, targets.find((t) => !t.isProtected && t.street)!].filter(Boolean);
      expect(revealed.length).toBe(2);
      for (const t of revealed) {
        await app.goto(`#/person/${t.id}`);
        await card.visible();
        await expect(card.protectedBlock()).toBeVisible();
        await expectNoMarkerOnScreen(page, `card of ${t.name} before the reveal`);
        await page.getByTestId('reveal-button').click();
        const dialog = page.getByTestId('reveal-dialog');
        await expect(dialog).toBeVisible();
        await dialog.getByTestId('reveal-reason').fill('Leak test: checking the address for a court letter');
        await dialog.getByTestId('reveal-submit').click();
        await expect(page.getByTestId('revealed-mark').first()).toBeVisible();
        await expect(page.getByTestId('addresses-section'), 'the revealed address is on screen').toContainText(t.street!);
        await expect(page.getByTestId('contacts-section')).toContainText(PREFIX);
      }
      await signOut(page);
      await expectNoMarkerOnScreen(page, 'the sign-in screen after sign-out');
      await page.evaluate(async (c) => {
        localStorage.setItem('leak-test-control', `${c}-local-storage`);
        sessionStorage.setItem('leak-test-control', `${c}-session-storage`);
        await new Promise<void>((ok, fail) => {
          const open = indexedDB.open('leak-test-control', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('s');
          open.onerror = () => fail(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('s', 'readwrite');
            tx.objectStore('s').put(`${c}-indexeddb`, 'k');
            tx.oncomplete = () => {
              open.result.close();
              ok();
            };
            tx.onerror = () => fail(tx.error);
          };
        });
      }, CONTROL);
    } finally {
      await context?.close();
    }

    try {
      const profileScan = scan(profile);
      const control = scan(profile, () => false, needlesOf(CONTROL));
      // The host's own files (logs, key) too; the database and its backups hold the markers by design.
      const hostScan = scan(host.dataDir, (p) => basename(p).startsWith('kansli.sqlite'));
      console.log(
        `[leak e2e] ${targets.length} shielded persons (${prot.length} protected); profile: ${profileScan.files} files, ${(profileScan.bytes / 1024 / 1024).toFixed(1)} MiB; ` +
          `host data folder: ${hostScan.files} files, ${(hostScan.bytes / 1024).toFixed(0)} KiB`,
      );
      expect(profileScan.files, 'the profile was written').toBeGreaterThan(20);
      const controlFiles = control.hits.map((h) => h.split(' @')[0]!);
      expect(controlFiles.some((f) => f.includes('Local Storage')), `control marker found in Local Storage: ${control.hits.join(' | ')}`).toBe(true);
      expect(controlFiles.some((f) => f.includes('IndexedDB')), `control marker found in IndexedDB: ${control.hits.join(' | ')}`).toBe(true);
      expect(profileScan.hits, 'markers in the browser profile').toEqual([]);
      expect(hostScan.hits, 'markers in the host data folder').toEqual([]);
    } finally {
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
