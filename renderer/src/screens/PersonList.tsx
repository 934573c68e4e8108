/**
 * The person register as one long list over the full total (hundreds of thousands of rows):
 * only the visible rows exist in the DOM (@tanstack/react-virtual), and rows arrive in pages of 200
 * fetched by offset as the viewport reaches them. A listbox with aria-activedescendant: focus stays on
 * the list, arrows move the active row, Enter opens the card.
 */
import { Alert, Button, Group, NativeSelect, Text } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type KeyboardEvent } from 'react';
import { useApi } from '../lib/api';
import { PERSON_ROLES, PERSON_STATUSES } from '../../../shared/domain/register';
import type { PersonRole, PersonStatus, PersonSummary } from '../lib/domain';
import { formatDate, formatNumber, listName } from '../lib/format';
import { useT } from '../lib/i18n';
import { PageCache } from '../lib/pageCache';
import { navigate } from '../lib/router';
import { PageTitle } from '../components/common';
import { ProtectedTag, RoleTags, StatusTag } from '../components/Tags';
import { useScreenAction } from '../lib/actions';

const ROW_HEIGHT = 34;
const PAGE_SIZE = 200;
/** How long a list remembers its pages and position when you come back from a card. */
const KEEP_MS = 5 * 60_000;

interface Kept {
  cache: PageCache<PersonSummary>;
  active: number;
  scrollTop: number;
  at: number;
}
const kept = new Map<string, Kept>();

/** Drops every kept list (on sign-out: the next user must not scroll through this user's pages). */
export function forgetPersonLists(): void {
  for (const k of kept.values()) k.cache.dispose();
  kept.clear();
}

export function PersonListScreen({ role, status }: { role?: PersonRole; status?: PersonStatus }) {
  const { t, lang } = useT();
  const api = useApi();
  const filterKey = `${role ?? ''}|${status ?? ''}`;

  const [state, setState] = useState<Kept>(() => obtain(filterKey));
  function obtain(key: string): Kept {
    const k = kept.get(key);
    if (k && Date.now() - k.at < KEEP_MS && !k.cache.error) return k;
    const cache = new PageCache<PersonSummary>((offset, limit) => api.call('person.list', { offset, limit, ...(role ? { role } : {}), ...(status ? { status } : {}) }), { pageSize: PAGE_SIZE });
    const fresh: Kept = { cache, active: 0, scrollTop: 0, at: Date.now() };
    kept.set(key, fresh);
    return fresh;
  }
  useEffect(() => {
    setState(obtain(filterKey));
  }, [filterKey]);

  const cache = state.cache;
  useSyncExternalStore(
    useCallback((l) => cache.subscribe(l), [cache]),
    () => cache.version,
  );
  const total = cache.total;
  const [active, setActiveState] = useState(state.active);
  useEffect(() => setActiveState(state.active), [state]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: total ?? 0,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const rows = virtualizer.getVirtualItems();
  const firstRow = rows[0]?.index ?? 0;
  const lastRow = rows[rows.length - 1]?.index ?? 0;

  // First page (gives the total), then whatever the viewport shows.
  // After a failed page the list waits for "Try again" (retry clears the error) instead of looping.
  useEffect(() => {
    if (cache.error === null) void cache.ensure(firstRow, Math.max(lastRow, firstRow));
  }, [cache, firstRow, lastRow, cache.version]);

  // Restore the scroll position when coming back to the list.
  useEffect(() => {
    if (scrollRef.current && state.scrollTop) scrollRef.current.scrollTop = state.scrollTop;
  }, [state, total !== null]);

  useEffect(() => {
    scrollRef.current?.focus({ preventScroll: true });
  }, []);

  const setActive = (i: number) => {
    if (total === null || total === 0) return;
    const clamped = Math.max(0, Math.min(total - 1, i));
    setActiveState(clamped);
    state.active = clamped;
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };
  const open = (i: number) => {
    const p = cache.get(i);
    if (!p) return;
    state.active = i;
    state.scrollTop = scrollRef.current?.scrollTop ?? 0;
    state.at = Date.now();
    navigate({ name: 'person', id: p.id });
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const visible = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const map: Record<string, () => void> = {
      ArrowDown: () => setActive(active + 1),
      ArrowUp: () => setActive(active - 1),
      PageDown: () => setActive(active + visible),
      PageUp: () => setActive(active - visible),
      Home: () => setActive(0),
      End: () => setActive((total ?? 1) - 1),
      Enter: () => open(active),
    };
    const fn = map[e.key];
    if (fn && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      fn();
    }
  };

  const setFilter = (next: { role?: PersonRole; status?: PersonStatus }) => navigate({ name: 'persons', ...next }, { replace: true });

  const reload = useCallback(() => {
    kept.delete(filterKey);
    setState(obtain(filterKey));
  }, [filterKey]);
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'persons.reload' as const, run: reload }), [reload]));

  const listLabel = t('persons.listLabel');
  return (
    <div className="k-page" data-testid="person-list-screen">
      <PageTitle
        extra={
          <Text c="dimmed" aria-live="polite" data-testid="person-total">
            {total === null ? t('common.loading') : t('persons.total', { count: total, formatted: formatNumber(total, lang) })}
          </Text>
        }
      >
        {t('persons.title')}
      </PageTitle>
      <Group gap="md" mb="sm" align="end">
        <NativeSelect
          label={t('persons.filter.role')}
          value={role ?? ''}
          onChange={(e) => setFilter({ role: (e.currentTarget.value || undefined) as PersonRole | undefined, status })}
          data={[{ value: '', label: t('persons.filter.allRoles') }, ...PERSON_ROLES.map((r) => ({ value: r, label: t(`role.${r}.plural`) }))]}
          w={200}
        />
        <NativeSelect
          label={t('persons.filter.status')}
          value={status ?? ''}
          onChange={(e) => setFilter({ role, status: (e.currentTarget.value || undefined) as PersonStatus | undefined })}
          data={[{ value: '', label: t('persons.filter.allStatuses') }, ...PERSON_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
          w={200}
        />
        <Button variant="default" onClick={reload}>
          {t('common.reload')}
        </Button>
      </Group>
      {cache.error !== null && (
        <Alert color="red" role="alert" mb="sm" title={t('error.title')}>
          {t('error.internal')}{' '}
          <Button size="xs" variant="default" onClick={() => cache.retry()}>
            {t('common.retry')}
          </Button>
        </Alert>
      )}
      <div className="k-list-frame">
        <div className="k-vlist-head" aria-hidden="true">
          <span>{t('field.name')}</span>
          <span>{t('field.identityNumber')}</span>
          <span>{t('field.birthDate')}</span>
          <span>{t('field.roles')}</span>
          <span>{t('field.status')}</span>
        </div>
        <div
          ref={scrollRef}
          className="k-vlist"
          style={{ height: 'calc(100vh - 260px)', minHeight: 240 }}
          role="listbox"
          tabIndex={0}
          aria-label={listLabel}
          aria-activedescendant={total ? `prow-${active}` : undefined}
          onKeyDown={onKeyDown}
          onScroll={() => {
            state.scrollTop = scrollRef.current?.scrollTop ?? 0;
          }}
          data-testid="person-list"
        >
          {total === 0 && (
            <div role="option" aria-selected="false" aria-disabled="true" className="k-vrow" style={{ position: 'static', cursor: 'default' }}>
              <span className="k-empty">{t('persons.empty')}</span>
            </div>
          )}
          <div role="presentation" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {rows.map((row) => {
              const p = cache.get(row.index);
              const isActive = row.index === active;
              return (
                <div
                  key={row.key}
                  id={`prow-${row.index}`}
                  role="option"
                  aria-selected={isActive}
                  aria-setsize={total ?? -1}
                  aria-posinset={row.index + 1}
                  className={p ? 'k-vrow' : 'k-vrow k-vrow-loading'}
                  style={{ transform: `translateY(${row.start}px)` }}
                  onClick={() => {
                    setActiveState(row.index);
                    open(row.index);
                  }}
                  data-testid="person-row"
                >
                  {p ? (
                    <>
                      <span>
                        <strong style={{ fontWeight: 600 }}>{listName(p)}</strong> {p.protected && <ProtectedTag />}
                      </span>
                      <span className="k-mono">{p.identity?.display ?? p.reserveNumber ?? <span className="k-empty">{t('identity.none')}</span>}</span>
                      <span className="k-num">{formatDate(p.birthDate, lang)}</span>
                      <span style={{ display: 'flex', gap: 4 }}>
                        <RoleTags roles={p.roles} />
                      </span>
                      <span>{p.status === 'active' ? t('status.active') : <StatusTag status={p.status} />}</span>
                    </>
                  ) : (
                    <span>{t('common.loading')}</span>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <Text size="sm" c="dimmed" mt={6}>
        {t('persons.keyboardHint')}
      </Text>
    </div>
  );
}
