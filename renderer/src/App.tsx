/** Providers, the session gate and the route table. */
import { Button, MantineProvider, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { KansliClient } from '../../shared/api/client';
import { ErrorState, Loading, PageTitle } from './components/common';
import { Shell } from './components/Shell';
import { ApiProvider, toApiError } from './lib/api';
import { useT } from './lib/i18n';
import { linkProps, useRoute, type Route } from './lib/router';
import { makeSession, SessionProvider, type Session } from './lib/session';
import { createStore, useStore } from './lib/store';
import type { ApiError } from '../../shared/api/transport';
import { GroupCardScreen } from './screens/GroupCard';
import { OrgLayout, OrgOverview, UnitCardScreen } from './screens/Org';
import { PersonCardScreen } from './screens/PersonCard';
import { PersonFormScreen } from './screens/PersonForm';
import { PersonListScreen } from './screens/PersonList';
import { SearchScreen } from './screens/SearchScreen';
import { UnitFormScreen } from './screens/UnitForm';
import { cssVariablesResolver, theme } from './theme';

export function App({ client }: { client: KansliClient }) {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light" forceColorScheme="light">
      <ApiProvider client={client}>
        <SessionGate client={client} />
      </ApiProvider>
    </MantineProvider>
  );
}

function SessionGate({ client }: { client: KansliClient }) {
  const { t } = useT();
  const [session, setSession] = useState<Session | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let live = true;
    client.call('session.info', {}).then(
      (info) => live && setSession(makeSession(info)),
      (e: unknown) => live && setError(toApiError(e)),
    );
    return () => {
      live = false;
    };
  }, [client, attempt]);

  if (error) {
    return (
      <Stack maw={560} mx="auto" mt={80} p="md">
        <Title order={1} size="h2">
          Kansli
        </Title>
        {error.code === 'unauthenticated' ? (
          <>
            <Text>{t('session.expired')}</Text>
            <Button onClick={() => window.location.reload()}>{t('session.reload')}</Button>
          </>
        ) : (
          <ErrorState
            error={error}
            onRetry={() => {
              setError(null);
              setAttempt((n) => n + 1);
            }}
          />
        )}
      </Stack>
    );
  }
  if (!session) return <Loading label={t('session.starting')} />;
  return (
    <SessionProvider session={session}>
      <Shell>
        <RouteView />
      </Shell>
      <LockCurtain />
    </SessionProvider>
  );
}

function RouteView() {
  const route = useRoute();
  const key = routeKey(route);
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
    case 'notFound':
      return <NotFound />;
  }
}

function routeKey(r: Route): string {
  return 'id' in r ? `${r.name}-${r.id}` : r.name;
}

function NotFound() {
  const { t } = useT();
  return (
    <div className="k-page">
      <PageTitle>{t('notFound.title')}</PageTitle>
      <p>{t('notFound.text')}</p>
      <a className="k-link" {...linkProps({ name: 'search', q: '' })}>
        {t('notFound.back')}
      </a>
    </div>
  );
}

// ---- privacy curtain: when the OS locks or sleeps, personal data leaves the screen
const locked = createStore(false);
function LockCurtain() {
  const { t } = useT();
  const isLocked = useStore(locked);
  useEffect(() => window.kansliEvents?.onOsLock(() => locked.set(true)), []);
  useEffect(() => {
    if (!isLocked) return;
    const off = () => locked.set(false);
    const id = window.setTimeout(() => {
      window.addEventListener('keydown', off, { once: true });
      window.addEventListener('pointerdown', off, { once: true });
    }, 300);
    return () => {
      window.clearTimeout(id);
      window.removeEventListener('keydown', off);
      window.removeEventListener('pointerdown', off);
    };
  }, [isLocked]);
  if (!isLocked) return null;
  return (
    <div className="k-curtain" role="dialog" aria-modal="true" aria-label={t('lock.title')}>
      <strong>Kansli</strong>
      <span>{t('lock.text')}</span>
    </div>
  );
}
