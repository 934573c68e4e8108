/**
 * For component tests (vitest with jsdom): the providers a kit component needs — Mantine, the language,
 * a session — and the browser APIs jsdom lacks (matchMedia, ResizeObserver, object URLs).
 */
import { MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Country, SessionInfo } from '../lib/domain';
import { initI18n, setLang } from '../lib/i18n';
import { makeSession, SessionProvider } from '../lib/session';
import type { Lang } from '../../../shared/i18n';

let ready = false;
export function setUpDom(): void {
  if (ready) return;
  ready = true;
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener: () => undefined,
    removeListener: () => undefined,
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  window.ResizeObserver ??= class {
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {}
  } as unknown as typeof ResizeObserver;
  Element.prototype.scrollIntoView ??= function scrollIntoView() {};
  initI18n();
}

export function sessionInfo(country: Country = 'SE'): SessionInfo {
  return {
    user: { id: 'u1', name: 'Test Clerk', username: 'clerk' },
    permissions: ['register.read'],
    roles: [],
    idleMinutes: 15,
    totpEnabled: false,
    totpRequired: false,
    municipality: { name: country === 'SE' ? 'Demo kommun' : 'Demo kommune', country },
    today: '2026-11-23',
    demo: true,
  } as SessionInfo;
}

export function Providers({ children, country = 'SE', lang = 'sv' }: { children: ReactNode; country?: Country; lang?: Lang }) {
  setLang(lang);
  return (
    <MantineProvider>
      <SessionProvider session={makeSession(sessionInfo(country))}>{children}</SessionProvider>
    </MantineProvider>
  );
}
