/**
 * The link to the central server in the header (issue 11): online or offline (since the last sync), how
 * many of the clerk's changes wait, conflict or were refused; one button to the sync screen, and the palette's
 * "Synkronisering". A standalone workstation only says so, quietly, and offers no sync screen.
 *
 * It follows the core's `sync` event and asks `sync.status` every 10 s as well (an event can be missed
 * while the page reconnects). A screen reader hears a new conflict or refusal once, through a live region
 * whose text changes only when the count grows: a poll that repeats the same counts says nothing.
 */
import './sync.css';
import { Button } from '@mantine/core';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useScreenAction } from '../lib/actions';
import { useApi } from '../lib/api';
import { useAuth } from '../lib/authContext';
import { useCoreEvents } from '../lib/events';
import { useT } from '../lib/i18n';
import { linkProps, navigate } from '../lib/router';
import { useSession } from '../lib/session';
import { announcement, statusParts, type SyncCounts, type SyncStatus } from '../lib/sync';

/** The fallback poll: an event lost in a reconnect shows within this long. */
export const SYNC_POLL_MS = 10_000;

export function SyncStatusIndicator() {
  const { t, lang } = useT();
  const api = useApi();
  const auth = useAuth();
  const session = useSession();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [said, setSaid] = useState('');
  const last = useRef<SyncCounts | null>(null);

  const take = useCallback(
    (next: SyncCounts) => {
      const msg = announcement(last.current, next, t);
      if (msg) setSaid(msg);
      // All settled: the next conflict is news again (the same words would not be read out otherwise).
      else if (next.conflicts === 0 && next.rejected === 0) setSaid('');
      last.current = { online: next.online, pending: next.pending, conflicts: next.conflicts, rejected: next.rejected };
    },
    [t],
  );

  useEffect(() => {
    let live = true;
    const poll = () => {
      // Locked or signing out: the app is hidden and a call would only wait for the unlock.
      if (auth.status.get()?.state !== 'signed_in') return;
      void api.tryCall('sync.status', {}).then((r) => {
        if (!live || !r.ok) return;
        setStatus(r.data);
        if (r.data.mode === 'joined') take(r.data);
      });
    };
    poll();
    const timer = window.setInterval(poll, SYNC_POLL_MS);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [api, auth, take]);

  useCoreEvents((e) => {
    if (e.type !== 'sync') return;
    setStatus((s) => (s ? { ...s, online: e.online, pending: e.pending, conflicts: e.conflicts, rejected: e.rejected } : s));
    if (status?.mode === 'joined') take(e);
  });

  const joined = status?.mode === 'joined';
  useScreenAction(useMemo(() => (joined ? { id: 'goSync' as const, label: 'sync.palette.go' as const, run: () => navigate({ name: 'sync' }), group: 'navigate' as const } : null), [joined]));

  const region = (
    <span role="status" aria-live="polite" data-testid="sync-announce" style={HIDDEN}>
      {said}
    </span>
  );
  if (!status) return region;
  if (!joined) {
    return (
      <>
        <span className="k-sync-standalone" data-testid="sync-status" data-mode="standalone" title={t('sync.status.standaloneHint')}>
          {t('sync.status.standalone')}
        </span>
        {region}
      </>
    );
  }
  const parts = statusParts(status, t, lang, session.today);
  const spoken = [parts.full, ...parts.counts.map((c) => c.text)].join(', ');
  return (
    <>
      <Button
        component="a"
        {...linkProps({ name: 'sync' })}
        variant="outline"
        className="k-header-btn k-sync-btn"
        aria-label={t('sync.status.button', { state: spoken })}
        title={spoken}
        data-testid="sync-status"
        data-mode="joined"
        data-online={String(status.online)}
        data-pending={status.pending}
        data-conflicts={status.conflicts}
        data-rejected={status.rejected}
      >
        <span className="k-sync-parts" aria-hidden="true">
          <span className="k-sync-dot" data-online={String(status.online)} />
          <span>{parts.link}</span>
          {parts.counts.map((c) => (
            <span key={c.kind} className="k-sync-count" data-kind={c.kind}>
              {c.text}
            </span>
          ))}
        </span>
      </Button>
      {region}
    </>
  );
}

// Visually hidden but read out (Mantine's VisuallyHidden would do; a plain span keeps the live region stable).
const HIDDEN = { position: 'absolute', width: 1, height: 1, padding: 0, margin: -1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap', border: 0 } as const;
