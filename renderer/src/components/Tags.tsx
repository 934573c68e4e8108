import type { ReactNode } from 'react';
import type { PersonRole, PersonStatus } from '../lib/domain';
import { useT } from '../lib/i18n';
import { IconLock } from './icons';

export function RoleTag({ role }: { role: PersonRole }) {
  const { t } = useT();
  return <span className={`k-tag k-tag-${role}`}>{t(`role.${role}`)}</span>;
}

export function RoleTags({ roles }: { roles: readonly PersonRole[] }) {
  return (
    <>
      {roles.map((r) => (
        <RoleTag key={r} role={r} />
      ))}
    </>
  );
}

/** The one marker a clerk must never miss: shown wherever a protected person appears. */
export function ProtectedTag() {
  const { t } = useT();
  return (
    <span className="k-tag k-tag-protected" data-testid="protected-badge">
      <IconLock size={12} />
      {t('protected.badge')}
    </span>
  );
}

export function StatusTag({ status }: { status: PersonStatus }) {
  const { t } = useT();
  if (status === 'active') return null;
  return <span className="k-tag k-tag-warn">{t(`status.${status}`)}</span>;
}

export function NeutralTag({ children }: { children: ReactNode }) {
  return <span className="k-tag k-tag-neutral">{children}</span>;
}
