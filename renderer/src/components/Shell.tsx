/** The application frame: header, navigation, the routed screen, command palette, help, shortcuts. */
import { AppShell, Button, Menu, Tooltip, UnstyledButton } from '@mantine/core';
import { spotlight } from '@mantine/spotlight';
import { useEffect, useMemo, useRef, type ReactNode, type SVGProps } from 'react';
import { LANGUAGES, LANGUAGE_NAMES, type Lang } from '../../../shared/i18n';
import { getScreenAction, newApplicationRequested, useScreenAction } from '../lib/actions';
import { useAuth } from '../lib/authContext';
import { setLang, useT } from '../lib/i18n';
import { wideGrant } from '../lib/imports';
import { isMac, isTypingTarget, modPressed, MOD } from '../lib/platform';
import { homeRoute, linkProps, navigate, useRoute, whenLeaveAllowed, type Route } from '../lib/router';
import { useSession } from '../lib/session';
import { helpOpen } from '../lib/store';
import { CommandPalette } from './CommandPalette';
import { HelpOverlay } from './HelpOverlay';
import { AccountMenu } from './AccountMenu';
import { IconAudit, IconCommand, IconHelp, IconLanguage, IconOrg, IconPersons, IconPlus, IconSearch, IconUsers } from './icons';
import { focusSearch, SearchBox, SearchProvider } from './Search';
import { SyncStatusIndicator } from './SyncStatus';

export function Shell({ children }: { children: ReactNode }) {
  useGlobalShortcuts();
  useOfficeActions();
  useImportActions();
  useFeeActions();
  useFoiActions();
  const route = useRoute();
  const { t } = useT();
  return (
    <SearchProvider>
      <AppShell header={{ height: 52 }} navbar={{ width: 230, breakpoint: 0 }} padding="md">
        {/* Above the navbar (Mantine puts it one above the shell): the search popup opens over it, unclipped. */}
        <AppShell.Header withBorder={false} zIndex={102}>
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
      <SyncStatusIndicator />
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
  const imports = wideGrant(session.roles, 'register.import');
  const worklist = wideGrant(session.roles, 'worklist.handle');
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
      {session.can('placement.read') && (
        <>
          <div className="k-nav-section">{t('office.nav.section')}</div>
          {item({ name: 'queue' }, 'queue', t('office.nav.queue'), <IconQueue />, 'G Q')}
          {item({ name: 'lists' }, 'lists', t('office.nav.lists'), <IconLists />, 'G L')}
          {session.can('placement.rollover') && item({ name: 'rollover' }, 'rollover', t('office.nav.rollover'), <IconRollover />, '')}
          {item({ name: 'placementRules' }, 'placementRules', t('rules.nav'), <IconRules />, '')}
        </>
      )}
      {(imports || worklist) && (
        <>
          <div className="k-nav-section">{t('imports.nav.section')}</div>
          {imports && item({ name: 'imports' }, 'imports', t('imports.nav.imports'), <IconImport />, 'G I')}
          {worklist && item({ name: 'worklist' }, 'worklist', t('imports.nav.worklist'), <IconWorklist />, 'G W')}
          {imports && item({ name: 'intake' }, 'intake', t('imports.nav.intake'), <IconIntake />, '')}
        </>
      )}
      {session.can('fee.read') && (
        <>
          <div className="k-nav-section">{t('fees.nav.section')}</div>
          {item({ name: 'fees' }, 'fees', t('fees.nav.fees'), <IconFees />, 'G A')}
          {item({ name: 'feeRules' }, 'feeRules', t('feeRules.nav'), <IconRules />, '')}
        </>
      )}
      {session.can('foi.read') && (
        <>
          <div className="k-nav-section">{t('foi.nav.section')}</div>
          {item({ name: 'foi' }, 'foi', t('foi.nav.requests'), <IconFoi />, 'G F')}
          {item({ name: 'foiSettings' }, 'foiSettings', t('foi.settings.nav'), <IconRules />, '')}
        </>
      )}
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
    case 'queue':
      return 'queue';
    case 'lists':
      return 'lists';
    case 'rollover':
      return 'rollover';
    case 'placementRules':
      return 'placementRules';
    case 'imports':
    case 'importRun':
    case 'csvMappings':
    case 'csvMapping':
    case 'csvMappingNew':
      return 'imports';
    case 'worklist':
      return 'worklist';
    case 'intake':
      return 'intake';
    case 'fees':
    case 'feeRun':
      return 'fees';
    case 'feeRules':
      return 'feeRules';
    case 'foi':
    case 'foiRequest':
      return 'foi';
    case 'foiSettings':
      return 'foiSettings';
    default:
      return '';
  }
}

// The office screens' icons (decorative, like those in icons.tsx).
const officeIcon = (p: SVGProps<SVGSVGElement>) =>
  ({ width: 18, height: 18, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.8, strokeLinecap: 'round', strokeLinejoin: 'round', 'aria-hidden': true, focusable: false, ...p }) as const;
const IconQueue = () => (
  <svg {...officeIcon({})}>
    <path d="M4 6h10M4 12h10M4 18h6" />
    <circle cx="18" cy="16" r="3.5" />
    <path d="M18 14.5V16l1 1" />
  </svg>
);
const IconLists = () => (
  <svg {...officeIcon({})}>
    <path d="M8 4h8v3H8z" />
    <path d="M16 5h3v16H5V5h3" />
    <path d="M9 11h6M9 15h6M9 19h3" />
  </svg>
);
const IconRollover = () => (
  <svg {...officeIcon({})}>
    <path d="M4 20h5v-5h5v-5h5V5" />
    <path d="M16 5h3v3" />
  </svg>
);
const IconRules = () => (
  <svg {...officeIcon({})}>
    <path d="M4 7h9M17 7h3M4 17h3M11 17h9" />
    <circle cx="15" cy="7" r="2" />
    <circle cx="9" cy="17" r="2" />
  </svg>
);

const IconImport = () => (
  <svg {...officeIcon({})}>
    <path d="M12 3v11M7.5 9.5 12 14l4.5-4.5" />
    <path d="M4 15v4a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-4" />
  </svg>
);
const IconWorklist = () => (
  <svg {...officeIcon({})}>
    <path d="M9 6h11M9 12h11M9 18h11" />
    <path d="m3.5 6 1.2 1.2L7 5M3.5 12l1.2 1.2L7 11" />
    <circle cx="5" cy="18" r="1.3" />
  </svg>
);
const IconFees = () => (
  <svg {...officeIcon({})}>
    <rect x="3" y="6" width="18" height="12" rx="2" />
    <circle cx="12" cy="12" r="2.5" />
    <path d="M6 9.5v5M18 9.5v5" />
  </svg>
);
const IconFoi = () => (
  <svg {...officeIcon({})}>
    <path d="M6 3h8l4 4v14H6z" />
    <path d="M14 3v4h4" />
    <circle cx="11.5" cy="13.5" r="2.5" />
    <path d="m13.3 15.3 2.2 2.2" />
  </svg>
);
const IconIntake = () => (
  <svg {...officeIcon({})}>
    <path d="M4 10 12 5l8 5" />
    <path d="M6 10v9h12v-9" />
    <path d="M10 19v-5h4v5" />
  </svg>
);

/**
 * The folkbokföring screens in the palette from every screen. Only for a municipality-wide grant: the core
 * opens them to no one else, so a unit clerk is not offered a screen that would only say "forbidden".
 */
function useImportActions(): void {
  const session = useSession();
  const imports = wideGrant(session.roles, 'register.import');
  const worklist = wideGrant(session.roles, 'worklist.handle');
  useScreenAction(useMemo(() => (imports ? { id: 'goImports' as const, label: 'imports.palette.go' as const, run: () => navigate({ name: 'imports' }), group: 'navigate' as const, hint: 'G I' } : null), [imports]));
  useScreenAction(useMemo(() => (worklist ? { id: 'goWorklist' as const, label: 'worklist.palette.go' as const, run: () => navigate({ name: 'worklist' }), group: 'navigate' as const, hint: 'G W' } : null), [worklist]));
  useScreenAction(useMemo(() => (imports ? { id: 'goIntake' as const, label: 'intake.palette.go' as const, run: () => navigate({ name: 'intake' }), group: 'navigate' as const } : null), [imports]));
  useScreenAction(useMemo(() => (imports ? { id: 'goCsvMappings' as const, label: 'csvMapping.palette.go' as const, run: () => navigate({ name: 'csvMappings' }), group: 'navigate' as const } : null), [imports]));
}

/** Fees in the palette from every screen, for those who may read them (G A does the same). */
function useFeeActions(): void {
  const session = useSession();
  const fees = session.can('fee.read');
  useScreenAction(useMemo(() => (fees ? { id: 'goFees' as const, label: 'fees.palette.go' as const, run: () => navigate({ name: 'fees' }), group: 'navigate' as const, hint: 'G A' } : null), [fees]));
  useScreenAction(useMemo(() => (fees ? { id: 'goFeeRules' as const, label: 'feeRules.palette.go' as const, run: () => navigate({ name: 'feeRules' }), group: 'navigate' as const } : null), [fees]));
}

/** The request register and its settings in the palette from every screen, for those who may read them (G F does the same). */
function useFoiActions(): void {
  const session = useSession();
  const foi = session.can('foi.read');
  useScreenAction(useMemo(() => (foi ? { id: 'goFoi' as const, label: 'foi.palette.go' as const, run: () => navigate({ name: 'foi' }), group: 'navigate' as const, hint: 'G F' } : null), [foi]));
  useScreenAction(useMemo(() => (foi ? { id: 'goFoiSettings' as const, label: 'foi.settings.palette.go' as const, run: () => navigate({ name: 'foiSettings' }), group: 'navigate' as const } : null), [foi]));
}

/**
 * The office screens in the command palette from every screen: go to the queue, the lists and the
 * rollover and the placement rules, and register a new application (the queue opens its dialog).
 */
function useOfficeActions(): void {
  const session = useSession();
  const read = session.can('placement.read');
  const write = session.can('placement.write');
  const rollover = session.can('placement.rollover');
  useScreenAction(useMemo(() => (read ? { id: 'goQueue' as const, label: 'office.palette.goQueue' as const, run: () => navigate({ name: 'queue' }), group: 'navigate' as const, hint: 'G Q' } : null), [read]));
  useScreenAction(useMemo(() => (read ? { id: 'goLists' as const, label: 'office.palette.goLists' as const, run: () => navigate({ name: 'lists' }), group: 'navigate' as const, hint: 'G L' } : null), [read]));
  useScreenAction(useMemo(() => (read ? { id: 'goPlacementRules' as const, label: 'rules.palette.go' as const, run: () => navigate({ name: 'placementRules' }), group: 'navigate' as const } : null), [read]));
  useScreenAction(useMemo(() => (rollover ? { id: 'goRollover' as const, label: 'office.palette.goRollover' as const, run: () => navigate({ name: 'rollover' }), group: 'navigate' as const } : null), [rollover]));
  useScreenAction(
    useMemo(
      () =>
        write
          ? {
              id: 'newApplication' as const,
              label: 'office.palette.newApplication' as const,
              // Asked only once leaving is allowed, so a kept half-filled form never leaves a request behind.
              run: () =>
                whenLeaveAllowed(() => {
                  newApplicationRequested.set(true);
                  if (!window.location.hash.startsWith('#/queue')) navigate({ name: 'queue' }, { force: true });
                }),
              group: 'create' as const,
            }
          : null,
      [write],
    ),
  );
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
                : k === 'q' && session.can('placement.read')
                  ? { name: 'queue' }
                  : k === 'l' && session.can('placement.read')
                    ? { name: 'lists' }
                    : k === 'i' && wideGrant(session.roles, 'register.import')
                      ? { name: 'imports' }
                      : k === 'w' && wideGrant(session.roles, 'worklist.handle')
                        ? { name: 'worklist' }
                        : k === 'a' && session.can('fee.read')
                          ? { name: 'fees' }
                          : k === 'f' && session.can('foi.read')
                            ? { name: 'foi' }
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
