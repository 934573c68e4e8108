/**
 * A job's progress where the user started it: what it does now, how far it is, and Cancel. The bar
 * follows the core's events and re-reads the job every few seconds as well, so a missed event (a
 * reconnecting stream, a reloaded window) only delays it.
 */
import { Button, Group, Progress, Stack, Text } from '@mantine/core';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { JobView } from '../../../shared/domain/events';
import type { ApiError } from '../../../shared/api/transport';
import { toApiError, useApi } from '../lib/api';
import { useCoreEvents } from '../lib/events';
import { useT, type TKey } from '../lib/i18n';
import { formatNumber } from '../lib/format';

const POLL_MS = 2000;
export const jobEnded = (j: JobView | null): boolean => j !== null && j.state !== 'queued' && j.state !== 'running';

/** The job with this id, kept current; null until it is first read. */
export function useJob(jobId: string | null): { job: JobView | null; error: ApiError | null } {
  const api = useApi();
  const [job, setJob] = useState<JobView | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const current = useRef<string | null>(jobId);
  current.current = jobId;

  useCoreEvents((e) => {
    if (e.type === 'job' && e.job.id === current.current) setJob(e.job);
  });

  useEffect(() => {
    setJob(null);
    setError(null);
    if (!jobId) return;
    let stop = false;
    let timer: number | undefined;
    const read = async () => {
      try {
        const j = await api.call('job.get', { id: jobId });
        if (stop) return;
        // An event may have brought a newer state meanwhile; never step back from an end state.
        setJob((prev) => (jobEnded(prev) && prev?.id === j.id ? prev : j));
        if (!jobEnded(j)) timer = window.setTimeout(() => void read(), POLL_MS);
      } catch (e) {
        if (!stop) setError(toApiError(e));
      }
    };
    void read();
    return () => {
      stop = true;
      window.clearTimeout(timer);
    };
  }, [api, jobId]);
  return { job, error };
}

/**
 * `formatCount` shows the counts in the job's own unit where a phase counts something else than rows (an
 * import's read phase counts bytes of the file); by default they are plain numbers.
 */
export function JobProgress({ job, testId = 'job-progress', formatCount }: { job: JobView; testId?: string; formatCount?: (n: number, phase: string) => string }) {
  const { t, lang } = useT();
  const api = useApi();
  const [cancelling, setCancelling] = useState(false);
  const cancel = useCallback(async () => {
    setCancelling(true);
    try {
      await api.call('job.cancel', { id: job.id });
    } catch {
      setCancelling(false);
    }
  }, [api, job.id]);
  const known = job.total !== null && job.total > 0;
  // A job that succeeded is done to its end, whatever its last phase counted when it began.
  const done = job.state === 'succeeded' && known ? job.total! : job.done;
  const percent = known ? Math.min(100, Math.round((done / job.total!) * 100)) : 100;
  const phaseKey = `job.phase.${job.phase}` as TKey;
  const phase = t(phaseKey) === phaseKey ? job.phase : t(phaseKey);
  const running = !jobEnded(job);
  const fmt = (n: number) => (formatCount ? formatCount(n, job.phase) : formatNumber(n, lang));
  return (
    <Stack gap={6} data-testid={testId} data-state={job.state}>
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" fw={600} aria-live="polite">
          {phase}
        </Text>
        <Text size="sm" c="dimmed" className="k-num">
          {known
            ? t('job.progress.count', { done: fmt(done), total: fmt(job.total!) })
            : done > 0
              ? t('job.progress.countOpen', { done: fmt(done) })
              : ''}
        </Text>
      </Group>
      <Progress.Root size="lg" aria-label={t('job.progress.label')}>
        <Progress.Section value={percent} animated={running && !known} striped={running} aria-label={t('job.progress.label')} />
      </Progress.Root>
      {running && job.cancellable && (
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void cancel()} loading={cancelling} data-testid={`${testId}-cancel`}>
            {cancelling ? t('job.cancelling') : t('job.cancel')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
