/**
 * The person card's change history: who changed what and when, one row per user action, and when the
 * person's data last changed (care records included). The core names the users and the fields; this
 * section only translates them (shared/i18n/history-labels.ts). On a joined workstation the card's own
 * history holds only the changes made there (the feed carries records, not the change log): the section
 * asks the central server for the register's (`person.history`) and, when it cannot be reached, shows this
 * workstation's and says so.
 */
import { useEffect, useRef } from 'react';
import { Empty, Section } from '../../components/common';
import { useQuery } from '../../lib/api';
import type { PersonCard } from '../../lib/domain';
import { formatDateTime } from '../../lib/format';
import { useT, type TFn, type TKey } from '../../lib/i18n';
import { historyFieldKey, systemActorKey } from '../../../../shared/i18n/history-labels';
import { DataTable } from '../../kit';

type Entry = PersonCard['history'][number] & { key: string };

export function HistorySection({ p }: { p: PersonCard }) {
  const { t, lang } = useT();
  const joined = p.historyScope === 'workstation';
  const central = useQuery('person.history', joined ? { id: p.id } : null);
  // A save here or a change pulled from the server moves the card on: the server's history again.
  const seen = useRef(p.updatedAt);
  const { reload } = central;
  useEffect(() => {
    if (seen.current === p.updatedAt) return;
    seen.current = p.updatedAt;
    if (joined) reload();
  }, [joined, p.updatedAt, reload]);
  const history = joined && central.data ? central.data.entries : p.history;
  const onlyHere = joined && !central.loading && (central.error !== null || central.data?.scope === 'workstation');
  return (
    <Section title={t('person.section.history')} id="sec-history" testId="history-section">
      {onlyHere && (
        <p className="k-empty" style={{ margin: '0 0 8px', fontStyle: 'normal', fontSize: 13 }} role="note" data-testid="history-scope">
          {t('history.workstationOnly')}
        </p>
      )}
      {history.length === 0 ? (
        <Empty>{t('person.noHistory')}</Empty>
      ) : (
        <DataTable<Entry>
          id="card-history"
          caption={t('person.section.history')}
          columns={[
            { id: 'at', header: t('history.at'), cell: (h) => <span className="k-num">{formatDateTime(h.at, lang)}</span>, text: (h) => h.at, kind: 'date' },
            { id: 'actor', header: t('history.actor'), cell: (h) => actorLabel(h.actor, h.actorName, t), text: (h) => actorLabel(h.actor, h.actorName, t) },
            { id: 'op', header: t('history.op'), cell: (h) => t(`history.op.${h.op}`), text: (h) => t(`history.op.${h.op}`) },
            { id: 'fields', header: t('history.fields'), cell: (h) => h.fields.map((f) => fieldLabel(f, t)).join(', '), sortable: false },
          ]}
          rows={history.map((h, i) => ({ ...h, key: `${h.at}-${i}` }))}
          rowKey={(h) => h.key}
          rowTestId="history-row"
          testId="history-table"
          exportable={false}
          dense
        />
      )}
      <p className="k-empty" style={{ margin: '8px 0 0', fontStyle: 'normal', fontSize: 13 }} data-testid="history-updated">
        {t('history.updated', { at: formatDateTime(p.updatedAt, lang), by: actorLabel(p.updatedBy, p.updatedByName, t) })}
      </p>
    </Section>
  );
}

/** A user's display name, or the translated name of a system actor (the demo seed, the command line). */
export function actorLabel(id: string, name: string | null, t: TFn): string {
  return name ?? t(systemActorKey(id));
}

/** A field as the history names it, translated; a field without a label (added later) keeps its name. */
export function fieldLabel(f: string, t: (k: TKey) => string): string {
  const key = historyFieldKey(f);
  return key ? t(key) : f;
}
