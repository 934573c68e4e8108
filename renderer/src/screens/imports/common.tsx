/**
 * Building blocks the folkbokföring screens share: a person as a dry run, the work list and the intake name
 * them (and its text for sorting and CSV), a masked value, a run's state. Tables are the kit's DataTable; rows a
 * clerk selects use kit/selection.tsx.
 */
import { VisuallyHidden } from '@mantine/core';
import { Link } from '../../components/common';
import { IconLock } from '../../components/icons';
import { NeutralTag, ProtectedTag } from '../../components/Tags';
import { useT, type TFn } from '../../lib/i18n';
import type { ImportRun } from '../../lib/imports';
import { useSession } from '../../lib/session';

/**
 * A person of a row: the name (a link to the card for those who may open it; a person the register does not
 * hold yet has no card), the Protected marker, and the identity number on a second line.
 */
export function PersonCell({ person, isNew, testId }: { person: { id: string | null; name: string; identity: string | null; protected: boolean }; isNew?: boolean; testId?: string }) {
  const { t } = useT();
  const session = useSession();
  return (
    <div data-testid={testId}>
      <span className="k-nowrap">
        {person.id && session.can('register.read') ? (
          <Link to={{ name: 'person', id: person.id }} testId={testId ? `${testId}-link` : undefined}>
            {person.name}
          </Link>
        ) : (
          person.name
        )}
        {person.protected && (
          <>
            {' '}
            <ProtectedTag />
          </>
        )}
      </span>
      {(person.identity || isNew) && (
        <div className="k-sub">
          {person.identity && <span className="k-mono">{person.identity}</span>}
          {isNew && <span>{person.identity ? ' · ' : ''}{t('imports.newInRegister')}</span>}
        </div>
      )}
    </div>
  );
}

/** A person cell as plain text (sorting, CSV, print): the name and the identity number the reader may see. */
export const personText = (person: { name: string; identity: string | null }): string => (person.identity ? `${person.name} (${person.identity})` : person.name);

/** A value this reader may not see: said, never left blank (a blank cell reads as "nothing changes"). */
export function Masked() {
  const { t } = useT();
  return (
    <span className="k-masked" data-testid="masked-value">
      <IconLock size={12} />
      {t('imports.masked')}
      <VisuallyHidden>{` (${t('imports.maskedLabel')})`}</VisuallyHidden>
    </span>
  );
}

/** A run's state as words (sorting, CSV), as the tag says it. */
export function runStateText(run: Pick<ImportRun, 'state' | 'blocked'>, t: TFn): string {
  if (run.state === 'ready' && run.blocked) return t('imports.state.blocked');
  return t(`imports.state.${run.state}`);
}

/** A run's state; a dry run that cannot be applied says so instead of "to review". */
export function RunStateTag({ run }: { run: Pick<ImportRun, 'state' | 'blocked'> }) {
  const { t } = useT();
  if (run.state === 'ready' && run.blocked) return <span className="k-tag k-tag-warn">{t('imports.state.blocked')}</span>;
  if (run.state === 'failed') return <span className="k-tag k-tag-warn">{t('imports.state.failed')}</span>;
  if (run.state === 'applied') return <span className="k-tag k-tag-ok">{t('imports.state.applied')}</span>;
  return <NeutralTag>{t(`imports.state.${run.state}`)}</NeutralTag>;
}
