/** The application frame: header, navigation, the routed screen, command palette, help, shortcuts. */
import { AppShell, Button, Menu, Tooltip, UnstyledButton } from '@mantine/core';
import { spotlight } from '@mantine/spotlight';
import { useEffect, useRef, type ReactNode } from 'react';
import { LANGUAGES, LANGUAGE_NAMES, type Lang } from '../../../shared/i18n';
import { getScreenAction } from '../lib/actions';
import { useAuth } from '../lib/authContext';
import { setLang, useT } from '../lib/i18n';
import { isMac, isTypingTarget, modPressed, MOD } from '../lib/platform';
import { homeRoute, linkProps, navigate, useRoute, type Route } from '../lib/router';
import { useSession } from '../lib/session';
import { helpOpen } from '../lib/store';
import { CommandPalette } from './CommandPalette';
import { HelpOverlay } from './HelpOverlay';
import { AccountMenu } from './AccountMenu';
import { IconAudit, IconCommand, IconHelp, IconLanguage, IconOrg, IconPersons, IconPlus, IconSearch, IconUsers } from './icons';
import { focusSearch, SearchBox, SearchProvider } from './Search';

export function Shell({ children }: { children: ReactNode }) {
  useGlobalShortcuts();
  const route = useRoute();
  const { t } = useT();
  return (
    <SearchProvider>
      <AppShell header={{ height: 52 }} navbar={{ width: 230, breakpoint: 0 }} padding="md">
        <AppShell.Header withBorder={false}>
          <Header onSearchScreen={route.name === 'search'} />
        </AppShell.Header>
        <AppShell.Navbar aria-label={t('nav.label')}>
          <Navbar route={route} />
        </AppShell.Navbar>
        <AppShell.Main id="main" tabIndex={-1} style={{ outline: 'none' }}>
          {children}
        </AppShell.Main>
      </AppShell>
      <CommandPalette />
      <HelpOverlay />
    </SearchProvider>
  );
}

function Header({ onSearchScreen }: { onSearchScreen: boolean }) {
  const { t, lang } = useT();
  const session = useSession();
  return (
    <div className="k-header">
      <a className="k-brand" {...linkProps(homeRoute(session.can))} style={{ textDecoration: 'none' }}>
        Kansli
        {session.municipality && <small>{session.municipality.name}</small>}
      </a>
      {onSearchScreen || !session.can('register.search') ? <div style={{ flex: 1 }} /> : <SearchBox variant="header" />}
      {session.demo && <span className="k-demo">{t('app.demo')}</span>}
      <AccountMenu />
      <Tooltip label={`${t('palette.open')} (${MOD}+K)`} withArrow>
        <Button
          variant="outline"
          className="k-header-btn"
          leftSection={<IconCommand size={16} />}
          onClick={() => spotlight.open()}
          aria-keyshortcuts={isMac ? 'Meta+K' : 'Control+K'}
          data-testid="open-palette"
        >
          {t('palette.button')}
        </Button>
      </Tooltip>
      <Menu position="bottom-end" withinPortal>
        <Menu.Target>
          <Button variant="outline" className="k-header-btn" leftSection={<IconLanguage size={16} />} aria-label={t('language.choose', { current: LANGUAGE_NAMES[lang] })} data-testid="language-menu">
            {lang.toUpperCase()}
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{t('language.title')}</Menu.Label>
          {LANGUAGES.map((l: Lang) => (
            <Menu.Item key={l} onClick={() => setLang(l)} lang={l} aria-current={l === lang ? 'true' : undefined} fw={l === lang ? 700 : undefined}>
              {LANGUAGE_NAMES[l]}
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Tooltip label={`${t('help.title')} (?)`} withArrow>
        <Button variant="outline" className="k-header-btn" px={8} onClick={() => helpOpen.set(true)} aria-label={t('help.title')} aria-keyshortcuts="?" data-testid="open-help">
          <IconHelp size={18} />
        </Button>
      </Tooltip>
    </div>
  );
}

function Navbar({ route }: { route: Route }) {
  const { t } = useT();
  const session = useSession();
  const section = sectionOf(route);
  const item = (to: Route, key: string, label: string, icon: ReactNode, hint: string) => (
    <a {...linkProps(to)} aria-current={section === key ? 'page' : undefined} data-testid={`nav-${key}`}>
      {icon}
      <span>{label}</span>
      <span className="k-kbd-hint" aria-hidden="true">
        {hint}
      </span>
    </a>
  );
  return (
    <div className="k-nav">
      {session.can('register.search') && item({ name: 'search', q: '' }, 'search', t('nav.search'), <IconSearch />, 'G S')}
      {session.can('register.read') && item({ name: 'persons' }, 'persons', t('nav.persons'), <IconPersons />, 'G P')}
      {session.can('org.read') && item({ name: 'org' }, 'org', t('nav.org'), <IconOrg />, 'G O')}
      {session.can('register.write') && (
        <>
          <div className="k-nav-section">{t('nav.actions')}</div>
          {item({ name: 'personNew' }, 'personNew', t('nav.newPerson'), <IconPlus />, `${isMac ? '⌥' : 'Alt'} N`)}
        </>
      )}
      {(session.can('access.admin') || session.can('audit.read')) && (
        <>
          <div className="k-nav-section">{t('nav.admin')}</div>
          {session.can('access.admin') && item({ name: 'users' }, 'users', t('nav.users'), <IconUsers />, '')}
          {session.can('audit.read') && item({ name: 'audit' }, 'audit', t('nav.audit'), <IconAudit />, '')}
        </>
      )}
      <div className="k-nav-section">{t('nav.help')}</div>
      <UnstyledButton className="k-nav-button" onClick={() => helpOpen.set(true)}>
        <IconHelp />
        <span>{t('help.title')}</span>
        <span className="k-kbd-hint" aria-hidden="true">
          ?
        </span>
      </UnstyledButton>
    </div>
  );
}

function sectionOf(r: Route): string {
  switch (r.name) {
    case 'search':
      return 'search';
    case 'persons':
    case 'person':
    case 'personEdit':
      return 'persons';
    case 'personNew':
      return 'personNew';
    case 'org':
    case 'unit':
    case 'unitEdit':
    case 'unitNew':
    case 'group':
      return 'org';
    case 'users':
    case 'userNew':
    case 'userEdit':
      return 'users';
    case 'audit':
      return 'audit';
    default:
      return '';
  }
}

function anyModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

/** App-wide shortcuts (see lib/shortcuts.ts for the table the help overlay shows). */
function useGlobalShortcuts(): void {
  const session = useSession();
  const auth = useAuth();
  const pendingG = useRef<number | null>(null);

  useEffect(() => {
    const clearG = () => {
      if (pendingG.current !== null) window.clearTimeout(pendingG.current);
      pendingG.current = null;
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      // Locked (or signing out): the app is hidden and none of its shortcuts may act.
      if (auth.status.get()?.state !== 'signed_in') return;
      const mod = modPressed(e);
      const typing = isTypingTarget(e.target);
      const modal = anyModalOpen();

      // Ctrl+L locks at once, from anywhere (a text field, an open dialog, the palette).
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'l') {
        e.preventDefault();
        e.stopPropagation();
        helpOpen.set(false);
        auth.lock();
        return;
      }

      // Ctrl+K works everywhere, even from a text field or with the palette already open (toggles).
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        helpOpen.set(false);
        spotlight.toggle();
        return;
      }
      if (modal) return;
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'f' && session.can('register.search')) {
        e.preventDefault();
        focusSearch();
        return;
      }
      if (mod && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'e') {
        const a = getScreenAction('edit');
        if (a) {
          e.preventDefault();
          a.run();
        }
        return;
      }
      // Alt+N: match the physical key, because Alt changes e.key on macOS (Alt+N gives "˜").
      if (e.altKey && !mod && !e.shiftKey && e.code === 'KeyN') {
        if (session.can('register.write')) {
          e.preventDefault();
          navigate({ name: 'personNew' });
        }
        return;
      }
      // Electron has no built-in Back; the browser host already has Alt+← natively.
      if (window.kansli && e.altKey && !mod && e.key === 'ArrowLeft') {
        e.preventDefault();
        window.history.back();
        return;
      }
      if (typing || mod || e.altKey) return;

      if (pendingG.current !== null) {
        const k = e.key.toLowerCase();
        clearG();
        const to: Route | null =
          k === 's' && session.can('register.search')
            ? { name: 'search', q: '' }
            : k === 'p' && session.can('register.read')
              ? { name: 'persons' }
              : k === 'o' && session.can('org.read')
                ? { name: 'org' }
                : null;
        if (to) {
          e.preventDefault();
          navigate(to);
          if (to.name === 'search') window.setTimeout(focusSearch, 0);
          return;
        }
      }
      switch (e.key) {
        case '/':
          if (!session.can('register.search')) return;
          e.preventDefault();
          focusSearch();
          return;
        case '?':
          e.preventDefault();
          helpOpen.set(true);
          return;
        case 'g':
        case 'G':
          pendingG.current = window.setTimeout(clearG, 1500);
          return;
        case 'e':
        case 'E': {
          const a = getScreenAction('edit');
          if (a) {
            e.preventDefault();
            a.run();
          }
          return;
        }
        case 'r':
        case 'R': {
          const a = getScreenAction('reveal');
          if (a) {
            e.preventDefault();
            a.run();
          }
          return;
        }
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      clearG();
    };
  }, [session, auth]);
}
