// @vitest-environment jsdom
/**
 * The FOI settings screen in a DOM over a fake transport: read-only without foi.write (the values, no
 * actions, said why); the rules saved as a whole with the version read and the other country's figures as
 * read; someone else's change in between (`conflict`) said with Reload, which takes their version; in the
 * ground dialog the same, keeping what was typed and saving on top of their table; a Norwegian office sees
 * its own kinds and no closed eves.
 */
import { MantineProvider } from '@mantine/core';
import { cleanup, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { MethodInput, MethodOutput } from '../../../../shared/api/contract';
import type { ApiError } from '../../../../shared/api/transport';
import { DEFAULT_FOI_GROUNDS } from '../../../../shared/domain/foi';
import { sessionInfo, setUpDom } from '../../kit/testing';
import { ApiProvider } from '../../lib/api';
import type { AuthStatus } from '../../lib/auth';
import { AuthProvider } from '../../lib/authContext';
import type { Country } from '../../lib/domain';
import { EventsProvider } from '../../lib/events';
import { fakeEvents, fakeTransport, type FakeHandlers } from '../../lib/fakeTransport';
import { setLang } from '../../lib/i18n';
import type { FoiSettingsTab } from '../../lib/router';
import { makeSession, SessionProvider } from '../../lib/session';
import { createStore } from '../../lib/store';
import { FoiSettingsScreen } from './Settings';
import { LAW_RULES } from './settings';

beforeAll(() => {
  setUpDom();
  globalThis.CSS ??= { escape: (s: string) => s.replace(/["\\]/g, '\\$&') } as typeof CSS;
  // The source's autosized text area listens for web fonts, which jsdom does not have.
  if (!('fonts' in document)) Object.defineProperty(document, 'fonts', { value: { addEventListener: () => undefined, removeEventListener: () => undefined } });
});
afterEach(cleanup);

type Rules = MethodOutput<'foi.rules'>;
type Grounds = MethodOutput<'foi.grounds'>;
const rules: Rules = { rules: LAW_RULES, calendar: { closedDays: ['2026-12-28'], closedEves: true }, defaults: true, version: 'r1' };
const grounds: Grounds = { grounds: [...DEFAULT_FOI_GROUNDS], defaults: true, version: 'g1' };
const conflict: ApiError = { code: 'conflict', message: 'changed', field: 'version' };

function mount(tab: FoiSettingsTab, permissions: string[], h: FakeHandlers, country: Country = 'SE') {
  const t = fakeTransport(h);
  setLang('sv');
  const session = makeSession({ ...sessionInfo(country), permissions } as Parameters<typeof makeSession>[0]);
  const auth = createStore<AuthStatus | null>({ state: 'signed_in' } as AuthStatus);
  const wrap = (ui: ReactNode) => (
    <MantineProvider>
      <SessionProvider session={session}>
        <ApiProvider client={t.client}>
          <EventsProvider source={fakeEvents()}>
            <AuthProvider value={{ status: auth, lock: () => undefined, signOut: () => undefined, setStatus: (x) => auth.set(x), passwordMinLength: 12 }}>{ui}</AuthProvider>
          </EventsProvider>
        </ApiProvider>
      </SessionProvider>
    </MantineProvider>
  );
  render(wrap(<FoiSettingsScreen tab={tab} />));
  return t;
}

describe('the FOI settings screen', () => {
  it('without foi.write: the rules and the grounds as read, no actions, and a note saying why', async () => {
    mount('rules', ['foi.read'], { 'foi.rules': () => rules });
    const root = await screen.findByTestId('foi-settings');
    expect(within(root).getByTestId('foi-settings-read-only').textContent).toMatch(/Du kan läsa inställningarna/);
    const overdue = (await within(root).findByTestId('foi-rule-seOverdue')) as HTMLInputElement;
    expect(overdue.value).toBe('3');
    expect(overdue.readOnly).toBe(true);
    expect(within(root).getByTestId('foi-rules-state').dataset.state).toBe('defaults');
    expect(within(root).queryByTestId('save')).toBeNull();
    expect(within(root).queryByTestId('foi-rules-law')).toBeNull();
    expect(within(root).queryByTestId('foi-rules-new-day')).toBeNull();
    expect(within(root).queryAllByTestId('foi-closed-day-remove')).toHaveLength(0);
    expect(within(root).getAllByTestId('foi-closed-day')).toHaveLength(1);
    cleanup();

    mount('grounds', ['foi.read'], { 'foi.grounds': () => grounds });
    const rows = await screen.findAllByTestId('foi-ground-row');
    // Sweden's grounds and GDPR's; Norway's on request.
    expect(rows.map((r) => r.dataset.code)).toEqual(DEFAULT_FOI_GROUNDS.filter((g) => g.country !== 'NO').map((g) => g.code));
    expect(screen.queryByTestId('foi-grounds-new')).toBeNull();
    expect(screen.queryAllByTestId('foi-ground-edit')).toHaveLength(0);
    rows[0]!.focus();
    await userEvent.setup().keyboard('{Enter}');
    expect(screen.queryByTestId('foi-ground-dialog')).toBeNull();
    await userEvent.setup().click(screen.getByLabelText('Visa även Norges grunder (2)'));
    expect(screen.getAllByTestId('foi-ground-row')).toHaveLength(DEFAULT_FOI_GROUNDS.length);
  });

  it('saves the rules as a whole with the version read; a change in between is said, and Reload takes the other version', async () => {
    const user = userEvent.setup();
    let version = 'r1';
    let theirs: Rules | null = null;
    const t = mount('rules', ['foi.read', 'foi.write'], {
      'foi.rules': () => theirs ?? rules,
      'foi.rulesUpdate': (i): Rules | { error: ApiError } => (i.version !== version ? { error: conflict } : { rules: i.rules, calendar: i.calendar, defaults: false, version: 'r3' }),
    });
    const overdue = (await screen.findByTestId('foi-rule-seOverdue')) as HTMLInputElement;
    // Someone else saves meanwhile.
    version = 'r2';
    theirs = { ...rules, rules: { ...LAW_RULES, gdpr_access: { months: 1, extensionMonths: 0 } }, defaults: false, version: 'r2' };
    await user.clear(overdue);
    await user.type(overdue, '4');
    await user.keyboard('{Control>}s{/Control}');
    const alert = await screen.findByTestId('foi-rules-conflict');
    expect(alert.textContent).toContain('Någon annan har ändrat tidsfristerna sedan du öppnade dem.');
    const sent = t.callsOf('foi.rulesUpdate')[0]!.input as MethodInput<'foi.rulesUpdate'>;
    expect(sent.version).toBe('r1');
    expect(sent.rules.se_public_document.overdueAfterWorkingDays).toBe(4);
    // Norway's figures go back as read.
    expect(sent.rules.no_innsyn).toEqual(LAW_RULES.no_innsyn);
    await waitFor(() => expect(document.activeElement).toBe(within(alert).getByTestId('foi-rules-conflict-reload')));

    await user.click(within(alert).getByTestId('foi-rules-conflict-reload'));
    await waitFor(() => expect(screen.queryByTestId('foi-rules-conflict')).toBeNull());
    expect(((await screen.findByTestId('foi-rule-gdprExtension')) as HTMLInputElement).value).toBe('0');
    expect((screen.getByTestId('foi-rule-seOverdue') as HTMLInputElement).value).toBe('3');
    expect(screen.getByTestId('foi-rules-notice').textContent).toBe('Tidsfristerna är inlästa på nytt.');
    // Reload went with the question: the clerk goes on from the first figure.
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('foi-rule-seTarget')));
    expect(screen.getByTestId('foi-rules-state').dataset.state).toBe('own');

    await user.clear(screen.getByTestId('foi-rule-seOverdue'));
    await user.type(screen.getByTestId('foi-rule-seOverdue'), '4');
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(screen.getByTestId('foi-rules-notice').textContent).toBe('Tidsfristerna är sparade. De gäller nu för alla pågående begäranden.'));
    const second = t.callsOf('foi.rulesUpdate')[1]!.input as MethodInput<'foi.rulesUpdate'>;
    expect(second.version).toBe('r2');
    expect(second.rules.gdpr_access).toEqual({ months: 1, extensionMonths: 0 });
    expect(second.calendar).toEqual({ closedDays: ['2026-12-28'], closedEves: true });
  });

  it('a new ground: a change of the table in between is said in the dialog; Reload keeps what was typed and it is saved on top of their table', async () => {
    const user = userEvent.setup();
    let current: Grounds = grounds;
    const t = mount('grounds', ['foi.read', 'foi.write'], {
      'foi.grounds': () => current,
      'foi.groundsUpdate': (i): Grounds | { error: ApiError } => (i.version !== current.version ? { error: conflict } : (current = { grounds: i.grounds, defaults: false, version: `${current.version}+` })),
    });
    await user.click(await screen.findByTestId('foi-grounds-new'));
    const dialog = await screen.findByTestId('foi-ground-dialog');
    await user.type(within(dialog).getByTestId('foi-ground-code'), 'se_osl_39_3');
    await user.type(within(dialog).getByTestId('foi-ground-citation'), 'OSL 39:3');
    await user.type(within(dialog).getByTestId('foi-ground-titleSv'), 'Personaladministration');
    await user.type(within(dialog).getByTestId('foi-ground-titleNb'), 'Personaladministrasjon');
    await user.type(within(dialog).getByTestId('foi-ground-titleEn'), 'Personnel administration');
    // Someone else ends OSL 21:1 meanwhile.
    const theirs = grounds.grounds.map((g) => (g.code === 'se_osl_21_1' ? { ...g, validTo: '2026-12-31' } : g));
    current = { grounds: theirs, defaults: false, version: 'g2' };
    await user.keyboard('{Control>}s{/Control}');
    const alert = await within(dialog).findByTestId('foi-ground-dialog-conflict');
    expect(alert.textContent).toContain('Någon annan har ändrat tabellen sedan du öppnade den.');
    expect((within(dialog).getByTestId('foi-ground-submit') as HTMLButtonElement).disabled).toBe(true);

    await user.click(within(alert).getByTestId('foi-ground-dialog-conflict-reload'));
    await within(dialog).findByTestId('foi-ground-dialog-reloaded');
    expect((within(dialog).getByTestId('foi-ground-code') as HTMLInputElement).value).toBe('se_osl_39_3');
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByTestId('foi-ground-code')));
    await user.keyboard('{Control>}s{/Control}');
    await waitFor(() => expect(screen.queryByTestId('foi-ground-dialog')).toBeNull());
    expect(screen.getByTestId('foi-grounds-notice').textContent).toBe('Grunden OSL 39:3 är tillagd.');
    const saved = t.callsOf('foi.groundsUpdate')[1]!.input as MethodInput<'foi.groundsUpdate'>;
    expect(saved.version).toBe('g2');
    expect(saved.grounds.find((g) => g.code === 'se_osl_21_1')?.validTo).toBe('2026-12-31');
    expect(saved.grounds.at(-1)).toEqual({
      code: 'se_osl_39_3',
      country: 'SE',
      citation: 'OSL 39:3',
      title: { sv: 'Personaladministration', nb: 'Personaladministrasjon', en: 'Personnel administration' },
      optional: false,
      validFrom: '2026-11-23',
      validTo: null,
    });
    expect(screen.getAllByTestId('foi-ground-row').some((r) => r.dataset.code === 'se_osl_39_3')).toBe(true);
  });

  it('a changed ground keeps its code; a last day before the first is named at the field', async () => {
    const user = userEvent.setup();
    const t = mount('grounds', ['foi.read', 'foi.write'], { 'foi.grounds': () => grounds, 'foi.groundsUpdate': (i) => ({ grounds: i.grounds, defaults: false, version: 'g2' }) });
    const row = (await screen.findAllByTestId('foi-ground-row')).find((r) => r.dataset.code === 'se_osl_23_1')!;
    await user.click(within(row).getByTestId('foi-ground-edit'));
    const dialog = await screen.findByTestId('foi-ground-dialog');
    expect((within(dialog).getByTestId('foi-ground-code') as HTMLInputElement).readOnly).toBe(true);
    await user.type(within(dialog).getByTestId('foi-ground-valid-to'), '2009-01-01');
    await user.keyboard('{Control>}s{/Control}');
    expect(await within(dialog).findByText('Sista dagen ligger före första dagen (2009-06-30).')).toBeTruthy();
    expect(t.callsOf('foi.groundsUpdate')).toHaveLength(0);
  });

  it('a Norwegian office: innsyn’s figures and GDPR’s, no closed eves; Sweden’s grounds on request', async () => {
    mount('rules', ['foi.read', 'foi.write'], { 'foi.rules': () => rules }, 'NO');
    expect(await screen.findByTestId('foi-rule-noRefused')).toBeTruthy();
    expect(screen.queryByTestId('foi-rule-seOverdue')).toBeNull();
    expect(screen.queryByTestId('foi-rule-closed-eves')).toBeNull();
    cleanup();
    mount('grounds', ['foi.read', 'foi.write'], { 'foi.grounds': () => grounds }, 'NO');
    const rows = await screen.findAllByTestId('foi-ground-row');
    expect(rows.map((r) => r.dataset.code)).toEqual(['no_offl_13_fvl_13', 'no_offl_14', 'gdpr_15_4']);
    expect(screen.getByLabelText(/Visa även Sveriges grunder \(6\)/)).toBeTruthy();
  });
});
