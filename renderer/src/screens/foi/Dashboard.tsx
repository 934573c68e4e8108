/**
 * The request register's dashboard (`#/foi`, G F): the tabs by deadline and by work (due today, overdue,
 * counts as refused, review, decision, open, all), each with its count; "Mine only"; the requests of the
 * tab in the core's order (the nearest deadline first), paged. Enter on a row opens the request; Alt+N (or
 * the button, or the palette) registers a new one in a dialog. The tab and the switch live in the address.
 */
import { Button, Group, Switch, Tabs, Text, Tooltip } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { FoiRequestSummary } from '../../../../shared/api/foi';
import type { FoiFilter } from '../../../../shared/domain/foi';
import { ErrorState, Link, Loading, PageTitle } from '../../components/common';
import { IconPlus, IconReload } from '../../components/icons';
import { DataTable, useExportLog, type Column } from '../../kit';
import { useScreenAction } from '../../lib/actions';
import { useQuery } from '../../lib/api';
import { useAuth } from '../../lib/authContext';
import { formatDate, formatNumber } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { ALT, modPressed } from '../../lib/platform';
import { linkProps, navigate } from '../../lib/router';
import { useSession } from '../../lib/session';
import type { MethodOutput } from '../../../../shared/api/contract';
import { KeyHint } from '../care/Badges';
import { Dash, Pager } from '../office/common';
import { DeadlineTag, deadlineText, FoiPerson, StatusTag } from './common';
import { FOI_PAGE_SIZE, personText, requesterText, shownPersons, visibleFilters } from './logic';
import { RequestDialog } from './RequestDialog';

type Data = MethodOutput<'foi.requests'>;

function anyModalOpen(): boolean {
  return document.querySelector('[role="dialog"][aria-modal="true"]') !== null;
}

export function FoiScreen({ filter = 'open', mine = false }: { filter?: FoiFilter; mine?: boolean }) {
  const { t, lang } = useT();
  const session = useSession();
  const auth = useAuth();
  const canWrite = session.can('foi.write');
  const [offset, setOffset] = useState(0);
  const q = useQuery('foi.requests', { filter, mine, offset, limit: FOI_PAGE_SIZE });
  const last = useRef<Data | null>(null);
  if (q.data) last.current = q.data;
  const data = q.data ?? last.current;
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => setOffset(0), [filter, mine]);

  const go = (next: { filter?: FoiFilter; mine?: boolean }) => {
    const f = next.filter ?? filter;
    const m = next.mine ?? mine;
    navigate({ name: 'foi', ...(f !== 'open' ? { filter: f } : {}), ...(m ? { mine: true } : {}) }, { replace: true });
  };

  const openNew = useCallback(() => {
    setNotice(null);
    setCreating(true);
  }, []);
  useScreenAction(useMemo(() => (canWrite ? { id: 'newFoiRequest' as const, label: 'foi.new' as const, run: openNew, group: 'create' as const, hint: `${ALT}+N` } : null), [canWrite, openNew]));
  useScreenAction(useMemo(() => ({ id: 'reload' as const, label: 'common.reload' as const, run: q.reload }), [q.reload]));

  // Alt+N: a new request (the shell's Alt+N, a new person, is not this screen's).
  useEffect(() => {
    if (!canWrite) return;
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || modPressed(e) || e.shiftKey || e.code !== 'KeyN' || e.defaultPrevented) return;
      if (auth.status.get()?.state !== 'signed_in' || anyModalOpen()) return;
      e.preventDefault();
      openNew();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [canWrite, auth.status, openNew]);

  const country = session.country;
  const tabs = visibleFilters(country, data?.counts ?? null, filter);
  const exportLog = useExportLog<FoiRequestSummary>('foi.requests', foiExportIds);
  const columns = useColumns();

  return (
    <div className="k-page k-page-wide" data-testid="foi-screen">
      <PageTitle>{t('foi.title')}</PageTitle>
      <p className="k-lead">{t('foi.intro')}</p>
      <div aria-live="polite">
        {notice && (
          <div role="status" className="k-flash" data-testid="foi-notice">
            {notice}
          </div>
        )}
      </div>

      <Group gap="md" align="center" mb="sm" wrap="wrap">
        <Tooltip label={t('foi.mineHint')} withArrow>
          <Switch label={t('foi.mine')} checked={mine} onChange={(e) => go({ mine: e.currentTarget.checked })} data-testid="foi-mine" />
        </Tooltip>
        <div style={{ flex: 1 }} />
        <Button component="a" {...linkProps({ name: 'foiSettings' })} variant="default" aria-label={t('foi.settings.dashboardLinkAria')} data-testid="foi-settings-link">
          {t('foi.settings.dashboardLink')}
        </Button>
        <Button variant="default" leftSection={<IconReload size={16} />} onClick={q.reload}>
          {t('common.reload')}
        </Button>
        {canWrite && (
          <Button
            id="foi-new"
            leftSection={<IconPlus size={16} />}
            rightSection={<KeyHint keys={[ALT, 'N']} />}
            onClick={openNew}
            aria-keyshortcuts="Alt+N"
            aria-label={t('foi.new')}
            data-testid="foi-new"
          >
            {t('foi.new')}
          </Button>
        )}
      </Group>

      <section className="k-section" aria-labelledby="foi-list-title" aria-busy={q.loading}>
        <Group justify="space-between" mb={8} wrap="nowrap">
          <h2 className="k-section-title" id="foi-list-title" style={{ margin: 0 }} tabIndex={-1}>
            {t('foi.list.title')}
          </h2>
          {data && data.total > 0 && <Pager offset={offset} count={data.items.length} total={data.total} pageSize={FOI_PAGE_SIZE} onOffset={setOffset} testId="foi" />}
        </Group>
        <Tabs value={filter} onChange={(x) => x && go({ filter: x as FoiFilter })} keepMounted={false} className="k-foi-tabs">
          <Tabs.List aria-label={t('foi.tabs.label')} data-testid="foi-tabs">
            {tabs.map((f) => {
              const count = data?.counts[f];
              const alert = (f === 'overdue' || f === 'deemed_refused' || f === 'due_today') && (count ?? 0) > 0;
              return (
                <Tabs.Tab key={f} value={f} data-testid={`foi-tab-${f}`} data-count={count ?? ''}>
                  {t(`foi.filter.${f}`)}{' '}
                  <span className="k-tab-count" data-alert={alert ? 'true' : undefined}>
                    {count === undefined ? '·' : formatNumber(count, lang)}
                  </span>
                </Tabs.Tab>
              );
            })}
          </Tabs.List>
          {tabs.map((f) => (
            <Tabs.Panel key={f} value={f} pt="sm">
              {f !== filter ? null : q.error ? (
                <ErrorState error={q.error} onRetry={q.reload} />
              ) : !data ? (
                <Loading />
              ) : data.items.length === 0 ? (
                <p className="k-empty" style={{ margin: 0 }} data-testid="foi-empty">
                  {t(mine ? 'foi.empty.mine' : `foi.empty.${f}`)}
                </p>
              ) : (
                <>
                  <DataTable<FoiRequestSummary>
                    id="foi-requests"
                    caption={`${t('foi.list.caption')}: ${t(`foi.filter.${f}`)}`}
                    columns={columns}
                    rows={data.items}
                    rowKey={(r) => r.id}
                    onOpen={(r) => navigate({ name: 'foiRequest', id: r.id })}
                    testId="foi-table"
                    rowTestId="foi-row"
                    rowProps={(r) => ({ 'data-request-id': r.id, 'data-kind': r.kind, 'data-status': r.status, 'data-state': r.deadlines.state })}
                    onExport={exportLog}
                    // The core's order (the nearest deadline first) is the one that matters; sorting a page would mislead.
                    sort={null}
                    onSortChange={() => undefined}
                    dense
                  />
                  <Text size="sm" c="dimmed" mt={6}>
                    {t('table.keysHint')}
                  </Text>
                </>
              )}
            </Tabs.Panel>
          ))}
        </Tabs>
      </section>

      {creating && (
        <RequestDialog
          returnFocusId="foi-new"
          onClose={() => setCreating(false)}
          onSaved={() => {
            setCreating(false);
            setNotice(t('foi.request.created'));
            q.reload();
          }}
        />
      )}
    </div>
  );
}

const foiExportIds = (r: FoiRequestSummary) => r.persons.map((p) => p.id);

function useColumns(): Column<FoiRequestSummary>[] {
  const { t, lang } = useT();
  return useMemo<Column<FoiRequestSummary>[]>(
    () => [
      {
        id: 'received',
        header: t('foi.col.received'),
        kind: 'date',
        cell: (r) => (
          <span className="k-nowrap">
            <Link to={{ name: 'foiRequest', id: r.id }} testId="foi-open">
              {formatDate(r.receivedOn, lang)}
            </Link>
            {r.registryNumber && <span className="k-sub" style={{ display: 'block' }}>{r.registryNumber}</span>}
          </span>
        ),
        text: (r) => r.receivedOn,
        rowHeader: true,
      },
      { id: 'kind', header: t('foi.col.kind'), cell: (r) => (
          <span className="k-nowrap" data-testid="foi-kind">
            {t(`foi.kind.${r.kind}`)}
          </span>
        ), text: (r) => t(`foi.kind.${r.kind}`) },
      {
        id: 'requester',
        header: t('foi.col.requester'),
        cell: (r) => (
          <span>
            <span className={r.requesterName === null ? 'k-foi-withheld' : undefined} data-testid="foi-requester">
              {requesterText(r, t)}
            </span>
            {r.requesterKind !== 'anonymous' && r.requesterKind !== 'named' && (
              <span className="k-sub" style={{ display: 'block' }}>
                {t(`foi.requesterKind.${r.requesterKind}`)}
              </span>
            )}
          </span>
        ),
        text: (r) => requesterText(r, t),
      },
      {
        id: 'persons',
        header: t('foi.col.persons'),
        cell: (r) => {
          if (r.persons.length === 0) return <Dash />;
          const { shown, more } = shownPersons(r.persons);
          return (
            <span data-testid="foi-persons">
              {shown.map((p, i) => (
                <span key={p.id}>
                  {i > 0 && ', '}
                  <FoiPerson person={p} testId="foi-person" />
                </span>
              ))}
              {more > 0 && <span className="k-sub">{` ${t('foi.morePersons', { count: more })}`}</span>}
            </span>
          );
        },
        text: (r) => r.persons.map((p) => personText(p, t)).join(', '),
      },
      { id: 'assignee', header: t('foi.col.assignee'), cell: (r) => (r.assigneeName ? <span className="k-nowrap">{r.assigneeName}</span> : <Dash />), text: (r) => r.assigneeName ?? '' },
      { id: 'status', header: t('foi.col.status'), cell: (r) => <StatusTag status={r.status} />, text: (r) => t(`foi.status.${r.status}`) },
      { id: 'deadline', header: t('foi.col.deadline'), cell: (r) => <DeadlineTag request={r} />, text: (r) => deadlineText(r, t, lang) },
    ],
    [t, lang],
  );
}
