/** Status marks of the care sections, in the card's tag style. Each colour pair clears WCAG AA. */
import type { CSSProperties, ReactNode } from 'react';
import { IconLock } from '../../components/icons';
import { APPLICATION_STATUS_TONE, PLACEMENT_STATUS_TONE, type ApplicationStatus, type PlacementStatus, type Tone } from '../../lib/care';
import { useT } from '../../lib/i18n';

const TONES: Record<Tone, CSSProperties> = {
  ok: { background: '#e6f4ef', color: '#0b5c45', borderColor: '#b9dfd0' },
  info: { background: '#e7f0fb', color: '#174a7c', borderColor: '#bcd3ee' },
  warn: { background: '#fff4d6', color: '#6d4d00', borderColor: '#ecd28a' },
  neutral: { background: '#eef1f4', color: '#3b434b', borderColor: '#d5dbe1' },
  danger: { background: '#fdecec', color: '#8a1c1c', borderColor: '#f1bcbc' },
};

export function ToneTag({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  return (
    <span className="k-tag" style={TONES[tone]} data-testid={testId}>
      {children}
    </span>
  );
}

export function PlacementStatusTag({ status }: { status: PlacementStatus }) {
  const { t } = useT();
  return (
    <ToneTag tone={PLACEMENT_STATUS_TONE[status]} testId="placement-status">
      {t(`care.placementStatus.${status}`)}
    </ToneTag>
  );
}

export function ApplicationStatusTag({ status }: { status: ApplicationStatus }) {
  const { t } = useT();
  return (
    <ToneTag tone={APPLICATION_STATUS_TONE[status]} testId="application-status">
      {t(`care.applicationStatus.${status}`)}
    </ToneTag>
  );
}

/** The child is shielded from this guardian (a court decision): nothing about the child reaches them. */
export function ShieldedTag() {
  const { t } = useT();
  return (
    <span className="k-tag" style={{ ...TONES.danger, fontWeight: 700 }} data-testid="shielded-badge">
      <IconLock size={12} />
      {t('care.guardian.shielded')}
    </span>
  );
}

/** "Alt+N" as key caps, next to the action it starts. */
export function KeyHint({ keys }: { keys: string[] }) {
  return (
    <span aria-hidden="true" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
      {keys.map((k, i) => (
        <span key={i}>
          {i > 0 && '+'}
          <kbd>{k}</kbd>
        </span>
      ))}
    </span>
  );
}
