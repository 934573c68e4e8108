/**
 * The person register as one long list over the full total (hundreds of thousands of rows): a DataTable
 * with virtual rows (only the rows in view exist in the DOM), fetched in pages of 200 by offset as the view
 * reaches them. The core sorts and pages (name, identity number, birth date; each has its own index), so the
 * column headers ask the core for another order. Each row shows where the person is today (unit · class),
 * withheld by the core for a protected person the clerk may not see there. CSV and print take the whole
 * list as filtered and sorted (at most EXPORT_MAX persons), logged first.
 */
import { Alert, Button, Group, NativeSelect, Text } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import type { PersonListSort } from '../../../shared/api/register';
import { PERSON_ROLES, PERSON_STATUSES } from '../../../shared/domain/register';
import { PageTitle } from '../components/common';
import { DateText } from '../components/DateText';
import { PlaceTag } from '../components/Search';
import { ProtectedTag, RoleTags, StatusTag } from '../components/Tags';
import { DataTable, useExportLog, type Column, type SortState } from '../kit';
import { useScreenAction } from '../lib/actions';
import { useApi } from '../lib/api';
import type { PersonRole, PersonStatus } from '../lib/domain';
import { formatNumber, listName } from '../lib/format';
import { useT } from '../lib/i18n';
import { PageCache } from '../lib/pageCache';
import { navigate } from '../lib/router';

type Row = MethodOutput<'person.list'>['items'][number];

const ROW_HEIGHT = 34;
const PAGE_SIZE = 200;
/** How many persons one export may hold (the audit entry names each of them). */
export const EXPORT_MAX = 50_000;
const EXPORT_PAGE = 500;
/** How long a list remembers its pages and position when you come back from a card. */
const KEEP_MS = 5 * 60_000;

interface Kept {
  cache: PageCache<Row>;
  active: number;
  scrollTop: number;
  at: number;
}
const kept = new Map<string, Kept>();
/** The order last chosen, for the way back from a card (not kept across sign-outs). */
let lastSort: SortState | null = null;

/** Drops every kept list (on sign-out: the next user must not scroll through this user's pages). */
export function forgetPersonLists(): void {
  for (const k of kept.values()) k.cache.dispose();
  kept.clear();
  lastSort = null;
}

const CORE_SORTS: readonly string[] = ['name', 'identity', 'birthDate'] satisfies PersonListSort[];
const coreSort = (s: SortState | null) => (s && CORE_SORTS.includes(s.column) ? { sort: s.column as PersonListSort, dir: s.dir } : { sort: 'name' as const, dir: 'asc' as const });

export function PersonListScreen({ role, status }: { role?: PersonRole; status?: PersonStatus }) {
  const { t, lang } = useT();
  const api = useApi();
  const [sort, setSort] = useState<SortState | null>(lastSort);
  const order = coreSort(sort);
  const filter = useMemo(() => ({ ...(role ? { role } : {}), ...(status ? { status } : {}), sort: order.sort, dir: order.dir }), [role, status, order.sort, order.dir]);
  const listKey = JSON.stringify(filter);

  const obtain = useCallback(
    (key: string): Kept => {
      const k = kept.get(key);
      if (k && Date.now() - k.at < KEEP_MS && !k.cache.error) return k;
      const input = JSON.parse(key) as typeof filter;
      const cache = new PageCache<Row>((offset, limit) => api.call('person.list', { offset, limit, ...input }), { pageSize: PAGE_SIZE });
      const fresh: Kept = { cache, active: 0, scrollTop: 0, at: Date.now() };
      kept.set(key, fresh);
      return fresh;
    },
    [api],
  );
  const [state, setState] = useState<Kept>(() => obtain(listKey));
  useEffect(() => setState(obtain(listKey)), [listKey, obtain]);

  const cache = state.cache;
  useSyncExternalStore(
    useCallback((l) => cache.subscribe(l), [cache]),
    () => cache.version,
  );
  const total = cache.total;
  // First page (gives the total), then whatever the view shows. After a failed page the list waits for
  // "Try again" (retry clears the error) instead of looping.
  useEffect(() => {
    if (cache.total === null && cache.error === null) void cache.ensure(0, 0);
  }, [cache, cache.version]);
  const onRange = useCallback(
    (first: number, last: number) => {
      if (cache.error === null) void cache.ensure(first, last);
    },
    [cache],
  );

  const open = useCallback(
    (p: Row) => {
      state.at = Date.now();
      navigate({ name: 'person', id: p.id });
    },
    [state],
  );

  // The list takes the focus when the screen opens (arrows work at once), not after the clerk chose another
  // order or filter: then the focus stays on the header or the filter that was used.
  const chose = useRef<string | null>(null);
  const changeSort = (s: SortState | null) => {
    lastSort = s;
    chose.current = (s ?? { column: 'name' }).column;
    setSort(s);
  };
  const setFilter = (next: { role?: PersonRole; status?: PersonStatus }) => {
    chose.current = '';
    navigate({ name: 'persons', ...next }, { replace: true });
  };
  // A new order is a new table (from the top): the header button that asked for it keeps the focus.
  useEffect(() => {
    if (chose.current) document.querySelector<HTMLElement>(`[data-testid="sort-${chose.current}"]`)?.focus();
  }, [listKey]);

  const reload = useCallback(() => {
    kept.get(listKey)?.cache.dispose();
    kept.delete(listKey);
    setState(obtain(listKey));
  }, [listKey, obtain]);
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'persons.reload' as const, run: reload }), [reload]));

  // Export and print take the whole list as shown (filter and order), page by page.
  const [exportProblem, setExportProblem] = useState<{ key: 'persons.exportTooMany' | 'persons.exportFailed'; count: number } | null>(null);
  const exportRows = useCallback(async (): Promise<Row[] | null> => {
    setExportProblem(null);
    const n = total ?? 0;
    if (n > EXPORT_MAX) {
      setExportProblem({ key: 'persons.exportTooMany', count: n });
      return null;
    }
    const out: Row[] = [];
    for (let offset = 0; offset < n; offset += EXPORT_PAGE) {
      const r = await api.tryCall('person.list', { offset, limit: EXPORT_PAGE, ...filter });
      if (!r.ok) {
        setExportProblem({ key: 'persons.exportFailed', count: n });
        return null;
      }
      out.push(...r.data.items);
    }
    return out;
  }, [api, filter, total]);
  const onExport = useExportLog<Row>(
    'persons',
    useCallback((r: Row) => [r.id], []),
  );

  const columns = useMemo<Column<Row>[]>(
    () => [
      {
        id: 'name',
        header: t('field.name'),
        cell: (p) => (
          <>
            <strong style={{ fontWeight: 600 }}>{listName(p)}</strong> {p.protected && <ProtectedTag />}
          </>
        ),
        text: (p) => listName(p),
        sortable: true,
        width: '22%',
      },
      {
        id: 'identity',
        header: t('field.identityNumber'),
        cell: (p) => (p.identity?.display ?? p.reserveNumber ? <span className="k-mono">{p.identity?.display ?? p.reserveNumber}</span> : <span className="k-empty">{t('identity.none')}</span>),
        text: (p) => p.identity?.display ?? p.reserveNumber ?? '',
        kind: 'code',
        sortable: true,
        width: '14%',
      },
      { id: 'birthDate', header: t('field.birthDate'), cell: (p) => <DateText value={p.birthDate} />, text: (p) => p.birthDate, kind: 'date', sortable: true, width: '13%' },
      {
        id: 'place',
        header: t('persons.col.place'),
        cell: (p) =>
          p.place ? (
            <span data-testid="person-place">
              {placeText(p.place)} {p.place.status !== 'active' && <PlaceTag place={p.place} />}
            </span>
          ) : null,
        text: (p) => (p.place ? placeText(p.place) : ''),
        optional: true,
        width: '27%',
      },
      {
        id: 'roles',
        header: t('field.roles'),
        cell: (p) => (
          <span style={{ display: 'inline-flex', gap: 4 }}>
            <RoleTags roles={p.roles} />
          </span>
        ),
        text: (p) => p.roles.map((r) => t(`role.${r}`)).join(', '),
        optional: true,
        width: '13%',
      },
      {
        id: 'status',
        header: t('field.status'),
        cell: (p) => (p.status === 'active' ? t('status.active') : <StatusTag status={p.status} />),
        text: (p) => t(`status.${p.status}`),
        optional: true,
        width: '11%',
      },
    ],
    [t],
  );

  const shownSort = sort ?? { column: 'name', dir: 'asc' as const };
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
      {exportProblem && (
        <Alert color="orange" role="alert" mb="sm" data-testid="persons-export-problem" styles={{ message: { color: '#3d2400' } }} withCloseButton onClose={() => setExportProblem(null)} closeButtonLabel={t('common.close')}>
          {t(exportProblem.key, { count: exportProblem.count, formatted: formatNumber(exportProblem.count, lang), max: formatNumber(EXPORT_MAX, lang) })}
        </Alert>
      )}
      <DataTable<Row>
        key={listKey}
        id="persons"
        caption={t('persons.listLabel')}
        columns={columns}
        rows={[]}
        rowKey={(p) => p.id}
        onOpen={open}
        sort={shownSort}
        onSortChange={changeSort}
        onExport={onExport}
        exportRows={exportRows}
        rowTestId="person-row"
        empty={total === null ? t('common.loading') : t('persons.empty')}
        virtual={{
          count: total ?? 0,
          rowAt: (i) => cache.get(i),
          onRange,
          rowHeight: ROW_HEIGHT,
          height: 'calc(100vh - 290px)',
          initialIndex: state.active,
          initialScrollTop: state.scrollTop,
          onActiveChange: (i) => {
            state.active = i;
          },
          onScrollTop: (top) => {
            state.scrollTop = top;
          },
          autoFocus: chose.current === null,
          scrollTestId: 'person-list',
        }}
      />
      <Text size="sm" c="dimmed" mt={6}>
        {t('persons.keyboardHint')} {t('persons.sortHint')}
      </Text>
    </div>
  );
}

/** Where the person is today: the unit, and the class or department. */
function placeText(p: NonNullable<Row['place']>): string {
  return p.groupName ? `${p.unitName} · ${p.groupName}` : p.unitName;
}
