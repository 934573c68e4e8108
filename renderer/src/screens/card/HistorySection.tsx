/**
 * The person card's change history: who changed what and when, one row per user action, and when the
 * person's data last changed (care records included). The core names the users and the fields; this
 * section only translates them (shared/i18n/history-labels.ts).
 */
import { Empty, Section } from '../../components/common';
import type { PersonCard } from '../../lib/domain';
import { formatDateTime } from '../../lib/format';
import { useT, type TFn, type TKey } from '../../lib/i18n';
import { historyFieldKey, systemActorKey } from '../../../../shared/i18n/history-labels';

export function HistorySection({ p }: { p: PersonCard }) {
  const { t, lang } = useT();
  return (
    <Section title={t('person.section.history')} id="sec-history" testId="history-section">
      {p.history.length === 0 ? (
        <Empty>{t('person.noHistory')}</Empty>
      ) : (
        <table className="k-table" data-testid="history-table">
          <thead>
            <tr>
              <th scope="col">{t('history.at')}</th>
              <th scope="col">{t('history.actor')}</th>
              <th scope="col">{t('history.op')}</th>
              <th scope="col">{t('history.fields')}</th>
            </tr>
          </thead>
          <tbody>
            {p.history.map((h, i) => (
              <tr key={`${h.at}-${i}`} data-testid="history-row">
                <td className="k-num k-nowrap">{formatDateTime(h.at, lang)}</td>
                <td>{actorLabel(h.actor, h.actorName, t)}</td>
                <td>{t(`history.op.${h.op}`)}</td>
                <td>{h.fields.map((f) => fieldLabel(f, t)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
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
