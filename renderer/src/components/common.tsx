/** Small building blocks shared by the screens. */
import { Alert, Button, Group, Loader } from '@mantine/core';
import { Component, useEffect, useRef, type ErrorInfo, type ReactNode } from 'react';
import type { ApiError } from '../../../shared/api/transport';
import { useT, type TKey } from '../lib/i18n';
import { linkProps, type Route } from '../lib/router';

export function errorKey(e: ApiError): TKey {
  switch (e.code) {
    case 'not_found':
      return 'error.not_found';
    case 'forbidden':
      return 'error.forbidden';
    case 'unauthenticated':
      return 'error.unauthenticated';
    case 'conflict':
      return 'error.conflict';
    case 'duplicate':
      return 'error.duplicate';
    case 'validation':
      return 'error.validation';
    case 'session_locked':
      return 'error.session_locked';
    case 'busy':
      return 'error.busy';
    case 'cancelled':
      return 'error.cancelled';
    case 'offline':
      return 'error.offline';
    case 'unavailable':
      return 'error.unavailable';
    default:
      return 'error.internal';
  }
}

export function ErrorState({ error, onRetry }: { error: ApiError; onRetry?: () => void }) {
  const { t } = useT();
  return (
    <Alert color="red" variant="light" title={t(error.code === 'forbidden' ? 'error.forbidden.title' : 'error.title')} role="alert" data-testid="error-state" styles={{ message: { color: '#3b0d0d' }, title: { color: '#7d1212' } }}>
      <p style={{ margin: 0 }}>{t(errorKey(error))}</p>
      {onRetry && error.code !== 'not_found' && error.code !== 'forbidden' && (
        <Button mt="sm" variant="default" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}

export function Loading({ label }: { label?: string }) {
  const { t } = useT();
  return (
    <Group gap="xs" role="status" aria-live="polite" p="md">
      <Loader size="sm" />
      <span>{label ?? t('common.loading')}</span>
    </Group>
  );
}

export function Link({ to, children, className, testId }: { to: Route; children: ReactNode; className?: string; testId?: string }) {
  return (
    <a {...linkProps(to)} className={className ?? 'k-link'} data-testid={testId}>
      {children}
    </a>
  );
}

export function Section({ title, children, actions, testId, id, className }: { title: string; children: ReactNode; actions?: ReactNode; testId?: string; id?: string; className?: string }) {
  const headingId = id ? `${id}-title` : undefined;
  return (
    <section className={className ? `k-section ${className}` : 'k-section'} aria-labelledby={headingId} data-testid={testId}>
      <Group justify="space-between" align="center" mb={8} wrap="nowrap">
        <h2 className="k-section-title" id={headingId} style={{ margin: 0, outline: 'none' }} tabIndex={headingId ? -1 : undefined}>
          {title}
        </h2>
        {actions}
      </Group>
      {children}
    </section>
  );
}

/** A definition list row; an empty value shows a quiet dash that screen readers read as "not stated". */
export function Field({ label, children }: { label: string; children: ReactNode }) {
  const { t } = useT();
  const empty = children === null || children === undefined || children === '' || children === false;
  return (
    <>
      <dt>{label}</dt>
      <dd>{empty ? <span className="k-empty" aria-label={t('common.notStated')}>—</span> : children}</dd>
    </>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="k-empty" style={{ margin: 0 }}>{children}</p>;
}

/** Moves focus to the page heading when a screen opens, so screen readers announce where they are. */
export function PageTitle({ children, extra }: { children: ReactNode; extra?: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    // Keep focus if the user is already somewhere meaningful (e.g. typed into the header search).
    if (!active || active === document.body || active.closest('[data-k-nav-origin]') || active.closest('.k-nav')) ref.current?.focus({ preventScroll: true });
  }, []);
  return (
    <div className="k-page-title">
      <h1 ref={ref} tabIndex={-1} style={{ margin: 0, fontSize: 22, fontWeight: 650, outline: 'none' }}>
        {children}
      </h1>
      {extra}
    </div>
  );
}

/** The "Protected" block that replaces addresses and contact details of a protected person. */
export function ProtectedBlock({ testId }: { testId?: string }) {
  const { t } = useT();
  return (
    <div className="k-protected-block" role="note" data-testid={testId ?? 'protected-block'}>
      <svg width="22" height="22" style={{ flex: 'none' }} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true" focusable="false">
        <rect x="5" y="11" width="14" height="10" rx="2" />
        <path d="M8 11V8a4 4 0 018 0v3" />
      </svg>
      <div>
        <strong>{t('protected.title')}</strong>
        <p style={{ margin: '4px 0 0' }}>{t('protected.text')}</p>
      </div>
    </div>
  );
}

/**
 * A screen that throws while rendering shows an error with "Try again" instead of taking the whole
 * window down (the header, the navigation and any other open work stay usable).
 */
export class ScreenBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('screen failed', error, info.componentStack);
  }
  override render(): ReactNode {
    if (!this.state.failed) return this.props.children;
    return <ErrorState error={{ code: 'internal', message: 'render failed' }} onRetry={() => this.setState({ failed: false })} />;
  }
}
