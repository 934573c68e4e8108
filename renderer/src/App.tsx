/** Providers, the session gate (sign-in, lock, idle lock) and the route table. */
import { Button, MantineProvider, Stack, Text, Title } from '@mantine/core';
import { spotlight } from '@mantine/spotlight';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type ComponentType } from 'react';
import type { KansliClient } from '../../shared/api/client';
import { ErrorState, Loading, PageTitle, ScreenBoundary } from './components/common';
import { rememberFocus, type FocusMemory } from './kit/focus';
import { newApplicationRequested } from './lib/actions';
import { lastSavedMapping } from './lib/csvmapping';
import { ApiProvider, useApi } from './lib/api';
import { defaultEventSource, EventsProvider, useCoreEvents, type CoreEventSource } from './lib/events';
import { createAuthAwareClient, keepsApp, screenFor, type AuthStatus } from './lib/auth';
import { AuthProvider, type AuthActions } from './lib/authContext';
import { ACTIVITY_EVENTS, createIdleTimer } from './lib/idle';
import { followCountry, useT } from './lib/i18n';
import { homeRoute, linkProps, navigate, routePermission, setLeaveGuard, useRoute, whenLeaveAllowed, type Route } from './lib/router';
import { makeSession, SessionProvider, useSession, type Session } from './lib/session';
import { createStore, flash, helpOpen, useStore, type Store } from './lib/store';
import type { ApiError } from '../../shared/api/transport';
import { ChangePasswordScreen, EnrolTotpScreen, LockScreen, SetupScreen, SignInScreen, TotpScreen } from './screens/Auth';
import { cssVariablesResolver, theme } from './theme';

/**
 * One chunk per screen, loaded when it is first shown: the sign-in path (this module, the auth screens,
 * Mantine and the catalogs) stays small, and the shell with the register's screens follows after sign-in.
 * `pick` names the export a screen module provides (the screens export named components).
 */
function screen<M, K extends keyof M>(load: () => Promise<M>, pick: K): M[K] {
  // The lazy component takes exactly the props of the export it stands for.
  return lazy(() => load().then((m) => ({ default: m[pick] as ComponentType<unknown> }))) as unknown as M[K];
}
// The person list keeps its pages between visits; signing out must drop them, if the list was ever loaded.
let personListModule: typeof import('./screens/PersonList') | null = null;
const loadPersonList = () =>
  import('./screens/PersonList').then((m) => {
    personListModule = m;
    return m;
  });
const Shell = screen(() => import('./components/Shell'), 'Shell');
const AuditScreen = screen(() => import('./screens/Audit'), 'AuditScreen');
const GroupCardScreen = screen(() => import('./screens/GroupCard'), 'GroupCardScreen');
const CsvMappingFormScreen = screen(() => import('./screens/CsvMappings'), 'CsvMappingFormScreen');
const CsvMappingsScreen = screen(() => import('./screens/CsvMappings'), 'CsvMappingsScreen');
const FeeRunScreen = screen(() => import('./screens/FeeRun'), 'FeeRunScreen');
const FeesScreen = screen(() => import('./screens/Fees'), 'FeesScreen');
const FeeRulesScreen = screen(() => import('./screens/fees/Rules'), 'FeeRulesScreen');
const FoiScreen = screen(() => import('./screens/foi/Dashboard'), 'FoiScreen');
const FoiRequestScreen = screen(() => import('./screens/foi/RequestPage'), 'FoiRequestScreen');
const FoiSettingsScreen = screen(() => import('./screens/foi/Settings'), 'FoiSettingsScreen');
const ImportRunScreen = screen(() => import('./screens/ImportRun'), 'ImportRunScreen');
const ImportsScreen = screen(() => import('./screens/Imports'), 'ImportsScreen');
const IntakeScreen = screen(() => import('./screens/Intake'), 'IntakeScreen');
const ListsScreen = screen(() => import('./screens/Lists'), 'ListsScreen');
const OrgLayout = screen(() => import('./screens/Org'), 'OrgLayout');
const OrgOverview = screen(() => import('./screens/Org'), 'OrgOverview');
const UnitCardScreen = screen(() => import('./screens/Org'), 'UnitCardScreen');
const PersonCardScreen = screen(() => import('./screens/PersonCard'), 'PersonCardScreen');
const PersonFormScreen = screen(() => import('./screens/PersonForm'), 'PersonFormScreen');
const PersonListScreen = screen(loadPersonList, 'PersonListScreen');
const PlacementRulesScreen = screen(() => import('./screens/PlacementRules'), 'PlacementRulesScreen');
const QueueScreen = screen(() => import('./screens/Queue'), 'QueueScreen');
const RolloverScreen = screen(() => import('./screens/Rollover'), 'RolloverScreen');
const SearchScreen = screen(() => import('./screens/SearchScreen'), 'SearchScreen');
const SyncScreen = screen(() => import('./screens/Sync'), 'SyncScreen');
const UnitFormScreen = screen(() => import('./screens/UnitForm'), 'UnitFormScreen');
const UserFormScreen = screen(() => import('./screens/UserForm'), 'UserFormScreen');
const UsersScreen = screen(() => import('./screens/Users'), 'UsersScreen');
const WorklistScreen = screen(() => import('./screens/Worklist'), 'WorklistScreen');

export function App({ client, events }: { client: KansliClient; events?: CoreEventSource }) {
  // Every call goes through the auth-aware client: a `session_locked` answer anywhere shows the lock
  // screen and repeats the call after unlock; `unauthenticated` returns to sign-in.
  const [status] = useState(() => createStore<AuthStatus | null>(null));
  const wrapped = useMemo(() => createAuthAwareClient(client, status), [client, status]);
  const source = useMemo(() => events ?? defaultEventSource(), [events]);
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light" forceColorScheme="light">
      <ApiProvider client={wrapped}>
        <EventsProvider source={source}>
          <SessionGate statusStore={status} />
        </EventsProvider>
      </ApiProvider>
    </MantineProvider>
  );
}

/** Forgets everything a signed-in user left in memory, before the next user signs in. */
function forgetUserData(): void {
  setLeaveGuard(null);
  personListModule?.forgetPersonLists();
  flash.set(null);
  newApplicationRequested.set(false);
  lastSavedMapping.set(null);
  helpOpen.set(false);
  spotlight.close();
}

/**
 * Hides Mantine's portals (open dialogs, menus, the palette live outside the app's element) while
 * locked, and makes them inert; restores them on unlock.
 */
function usePortalsHidden(hidden: boolean): void {
  useEffect(() => {
    if (!hidden) return;
    document.documentElement.dataset.kLocked = 'true';
    const touched: HTMLElement[] = [];
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('body > [data-portal]'))) {
      if (el.inert) continue;
      el.inert = true;
      touched.push(el);
    }
    return () => {
      delete document.documentElement.dataset.kLocked;
      for (const el of touched) el.inert = false;
    };
  }, [hidden]);
}

function SessionGate({ statusStore }: { statusStore: Store<AuthStatus | null> }) {
  const { t } = useT();
  const api = useApi();
  const status = useStore(statusStore);
  const [bootError, setBootError] = useState<ApiError | null>(null);
  const [sessionError, setSessionError] = useState<ApiError | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const [attempt, setAttempt] = useState(0);
  const state = status?.state ?? null;
  const lastFocus = useRef<FocusMemory | null>(null);
  // Whatever locks the session (Ctrl+L, the idle timer, the OS, a call the core refused as locked), the
  // control that had focus is remembered before the app is hidden; unlocking puts focus back there.
  useEffect(() => {
    let prev = statusStore.get()?.state;
    return statusStore.subscribe(() => {
      const next = statusStore.get()?.state;
      if (next === 'locked' && prev !== 'locked' && !lastFocus.current) lastFocus.current = rememberFocus();
      else if (next !== 'locked' && next !== 'signed_in') lastFocus.current = null;
      prev = next;
    });
  }, [statusStore]);

  // 1. Where does this window stand?
  useEffect(() => {
    let live = true;
    api.tryCall('auth.status', {}).then((r) => {
      if (!live) return;
      if (r.ok) {
        // Before the first screen renders, so that it opens in the municipality's language.
        followCountry(r.data.country);
        statusStore.set(r.data);
      } else setBootError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, statusStore, attempt]);

  // 2. Signed in: load the session (user, permissions, municipality) once.
  useEffect(() => {
    if (state !== 'signed_in' || session) return;
    let live = true;
    setSessionError(null);
    api.tryCall('session.info', {}).then((r) => {
      if (!live) return;
      if (r.ok) setSession(makeSession(r.data));
      else if (r.error.code !== 'session_locked' && r.error.code !== 'unauthenticated') setSessionError(r.error);
    });
    return () => {
      live = false;
    };
  }, [api, state, session, attempt]);

  // 3. The session ended (signed out, expired, another user): drop the app and what it held.
  const sessionUserId = session?.user.id ?? null;
  useEffect(() => {
    if (!status || !sessionUserId) return;
    const sameUser = !status.user || status.user.id === sessionUserId;
    if (!keepsApp(status.state) || !sameUser) {
      setSession(null);
      forgetUserData();
    }
  }, [status, sessionUserId]);

  const setStatus = useCallback((s: AuthStatus) => statusStore.set(s), [statusStore]);

  // Where nobody on this workstation has chosen a language, the municipality's country decides it.
  const country = status?.country ?? session?.country ?? null;
  useEffect(() => followCountry(country), [country]);

  const lock = useCallback(() => {
    const cur = statusStore.get();
    if (!cur || cur.state !== 'signed_in') return;
    // Before the palette closes (it would hand focus on).
    lastFocus.current = rememberFocus();
    spotlight.close();
    statusStore.set({ ...cur, state: 'locked' });
    void api.tryCall('auth.lock', {}).then((r) => {
      // The core may answer that the session is gone altogether.
      if (r.ok && r.data.state !== 'locked' && r.data.state !== 'signed_in') statusStore.set(r.data);
    });
  }, [api, statusStore]);

  const doSignOut = useCallback(async () => {
    const cur = statusStore.get();
    const r = await api.tryCall('auth.signOut', {});
    statusStore.set(r.ok ? r.data : { ...(cur ?? { demo: false, idleMinutes: 10, passwordMinLength: 12 }), state: 'signed_out', user: null });
    // The next user starts on their own home screen, not on this user's last record.
    navigate('#/', { replace: true, force: true });
  }, [api, statusStore]);
  const signOut = useCallback(() => whenLeaveAllowed(() => void doSignOut()), [doSignOut]);

  // Back from the lock screen: focus returns to where it was (the half-filled field).
  const prevState = useRef(state);
  useEffect(() => {
    if (prevState.current === 'locked' && state === 'signed_in') {
      const memory = lastFocus.current;
      lastFocus.current = null;
      memory?.restore();
    }
    prevState.current = state;
  }, [state]);

  // Idle lock: minutes without keyboard or pointer input (policy), counted in the renderer too so
  // the screen hides even while nothing calls the core.
  const idleMinutes = status?.idleMinutes ?? session?.idleMinutes ?? 10;
  useEffect(() => {
    if (!session || state !== 'signed_in') return;
    const timer = createIdleTimer(idleMinutes * 60_000, lock);
    // The core locks on its own clock, which only calls move: tell it (at most once a minute) that someone
    // is typing, so a long form is not met by a locked session when it is finally saved.
    let lastBeat = Date.now();
    const onActivity = () => {
      timer.activity();
      if (Date.now() - lastBeat > 60_000) {
        lastBeat = Date.now();
        void api.tryCall('auth.activity', {});
      }
    };
    for (const ev of ACTIVITY_EVENTS) window.addEventListener(ev, onActivity, { capture: true, passive: true });
    return () => {
      timer.stop();
      for (const ev of ACTIVITY_EVENTS) window.removeEventListener(ev, onActivity, { capture: true });
    };
  }, [session, state, idleMinutes, lock, api]);

  // The operating system locked or went to sleep: lock Kansli too.
  useEffect(() => window.kansliEvents?.onOsLock(() => lock()), [lock]);
  // The core locked this session itself (the OS lock reached it first, or another path): show the lock now.
  useCoreEvents((e) => {
    if (e.type === 'session' && e.state === 'locked' && state === 'signed_in') lock();
  });

  const locked = state === 'locked';
  usePortalsHidden(locked && session !== null);

  const actions = useMemo<AuthActions>(
    () => ({ status: statusStore, lock, signOut, setStatus, passwordMinLength: status?.passwordMinLength ?? 12 }),
    [statusStore, lock, signOut, setStatus, status?.passwordMinLength],
  );

  // While the sign-in screens wait for the user, the shell and the search screen (the start screen) load in
  // the background: right after sign-in the search box is there at once, and keys typed then are not lost.
  const waiting = state ? screenFor(state) : null;
  const early = waiting === 'signIn' || waiting === 'totp' || waiting === 'enrolTotp';
  useEffect(() => {
    if (!early) return;
    const timer = window.setTimeout(() => {
      void import('./components/Shell');
      void import('./screens/SearchScreen');
    }, 300);
    return () => window.clearTimeout(timer);
  }, [early]);

  if (bootError) {
    return (
      <Stack maw={560} mx="auto" mt={80} p="md" component="main">
        <Title order={1} size="h2">
          Kansli
        </Title>
        {bootError.code === 'unauthenticated' ? (
          <>
            <Text>{t('session.expired')}</Text>
            <Button onClick={() => window.location.reload()}>{t('session.reload')}</Button>
          </>
        ) : (
          <ErrorState
            error={bootError}
            onRetry={() => {
              setBootError(null);
              setAttempt((n) => n + 1);
            }}
          />
        )}
      </Stack>
    );
  }
  if (!status || !state) return <Loading label={t('session.starting')} />;

  const screen = screenFor(state);
  const showApp = session !== null && keepsApp(state);
  return (
    <AuthProvider value={actions}>
      {showApp && (
        // Locked: the app stays mounted (a half-filled form is kept) but is hidden and inert, so
        // nothing of it is visible, focusable or read out.
        <div hidden={locked} inert={locked} className="k-app-root" data-testid="app-root">
          <SessionProvider session={session}>
            <Suspense fallback={<Loading label={t('session.starting')} />}>
              <Shell>
                <RoutedScreen />
              </Shell>
            </Suspense>
          </SessionProvider>
        </div>
      )}
      {screen === 'lock' && <LockScreen status={status} onStatus={setStatus} onSignOut={() => void doSignOut()} />}
      {screen === 'app' && !session &&
        (sessionError ? (
          <Stack maw={560} mx="auto" mt={80} p="md" component="main">
            <ErrorState error={sessionError} onRetry={() => setAttempt((n) => n + 1)} />
          </Stack>
        ) : (
          <Loading label={t('session.starting')} />
        ))}
      {screen === 'setup' && <SetupScreen status={status} onStatus={setStatus} />}
      {screen === 'signIn' && <SignInScreen key={attempt} status={status} onStatus={setStatus} />}
      {screen === 'totp' && <TotpScreen onStatus={setStatus} onSignOut={() => void doSignOut()} />}
      {screen === 'enrolTotp' && <EnrolTotpScreen onStatus={setStatus} onSignOut={() => void doSignOut()} />}
      {screen === 'changePassword' && <ChangePasswordScreen status={status} onStatus={setStatus} onSignOut={() => void doSignOut()} />}
    </AuthProvider>
  );
}

function RoutedScreen() {
  const route = useRoute();
  return (
    <ScreenBoundary key={routeKey(route)}>
      <Suspense fallback={<ScreenLoading />}>
        <RouteView />
      </Suspense>
    </ScreenBoundary>
  );
}

/** While a screen's chunk loads (the first visit only; a few milliseconds from disk). */
function ScreenLoading() {
  const { t } = useT();
  return <Loading label={t('common.loading')} />;
}

function RouteView() {
  const route = useRoute();
  const session = useSession();
  const key = routeKey(route);
  const needed = routePermission(route);
  const allowed = needed === null || session.can(needed);
  const home = homeRoute(session.can);
  // The start address (#/ or #/search) leads each role to its own first screen.
  const redirect = !allowed && route.name === 'search' && home.name !== 'search';
  useEffect(() => {
    if (redirect) navigate(home, { replace: true, force: true });
    // `home` follows the session, which is fixed while this screen lives.
  }, [redirect]);
  if (redirect) return null;
  if (!allowed) return <Forbidden />;
  switch (route.name) {
    case 'search':
      return <SearchScreen />;
    case 'persons':
      return <PersonListScreen key="persons" role={route.role} status={route.status} />;
    case 'person':
      return <PersonCardScreen key={key} id={route.id} />;
    case 'personEdit':
      return <PersonFormScreen key={key} id={route.id} />;
    case 'personNew':
      return <PersonFormScreen key={key} />;
    case 'org':
      return (
        <OrgLayout selectedId={null}>
          <OrgOverview />
        </OrgLayout>
      );
    case 'unit':
      return (
        <OrgLayout selectedId={route.id}>
          <UnitCardScreen key={key} id={route.id} />
        </OrgLayout>
      );
    case 'group':
      return (
        <OrgLayout selectedId={null}>
          <GroupCardScreen key={`group-${route.id}`} id={route.id} date={route.date} />
        </OrgLayout>
      );
    case 'unitEdit':
      return (
        <OrgLayout selectedId={route.id}>
          <UnitFormScreen key={key} id={route.id} />
        </OrgLayout>
      );
    case 'unitNew':
      return (
        <OrgLayout selectedId={route.parentId ?? null}>
          <UnitFormScreen key={key} parentId={route.parentId} />
        </OrgLayout>
      );
    case 'users':
      return <UsersScreen />;
    case 'userNew':
      return <UserFormScreen key="new-user" />;
    case 'userEdit':
      return <UserFormScreen key={key} id={route.id} />;
    case 'audit':
      return <AuditScreen />;
    case 'queue':
      return <QueueScreen filter={route.filter} unitId={route.unitId} />;
    case 'lists':
      return <ListsScreen unitId={route.unitId} groupId={route.groupId} date={route.date} kind={route.kind} contacts={route.contacts} />;
    case 'rollover':
      return <RolloverScreen />;
    case 'placementRules':
      return <PlacementRulesScreen />;
    case 'imports':
      return <ImportsScreen />;
    case 'importRun':
      return <ImportRunScreen key={key} id={route.id} />;
    case 'csvMappings':
      return <CsvMappingsScreen />;
    case 'csvMapping':
      return <CsvMappingFormScreen key={key} name={route.mapping} />;
    case 'csvMappingNew':
      return <CsvMappingFormScreen key="new-csv-mapping" />;
    case 'worklist':
      return <WorklistScreen state={route.state} kind={route.kind} />;
    case 'intake':
      return <IntakeScreen year={route.year} unitId={route.unitId} />;
    case 'sync':
      return <SyncScreen />;
    case 'fees':
      return <FeesScreen />;
    case 'feeRun':
      return <FeeRunScreen key={key} id={route.id} />;
    case 'feeRules':
      return <FeeRulesScreen />;
    case 'foi':
      return <FoiScreen filter={route.filter} mine={route.mine} />;
    case 'foiRequest':
      return <FoiRequestScreen key={key} id={route.id} />;
    case 'foiSettings':
      return <FoiSettingsScreen tab={route.tab ?? 'rules'} />;
    case 'notFound':
      return <NotFound />;
  }
}

function Forbidden() {
  const { t } = useT();
  return (
    <div className="k-page">
      <PageTitle>{t('error.title')}</PageTitle>
      <ErrorState error={{ code: 'forbidden', message: 'forbidden' }} />
    </div>
  );
}

function routeKey(r: Route): string {
  return 'id' in r ? `${r.name}-${r.id}` : 'mapping' in r ? `${r.name}-${r.mapping}` : r.name;
}

function NotFound() {
  const { t } = useT();
  const session = useSession();
  return (
    <div className="k-page">
      <PageTitle>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.text')}</p>
      <a className="k-link" {...linkProps(homeRoute(session.can))}>
        {t('notFound.back')}
      </a>
    </div>
  );
}
