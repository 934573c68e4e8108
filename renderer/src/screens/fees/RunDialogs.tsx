/** A fee run's dialogs: lock (a job), discard, post, and the export of a locked run. */
import { NativeSelect, Radio, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import type { JobView } from '../../../../shared/domain/events';
import { jobEnded, JobProgress, useJob } from '../../components/JobProgress';
import { FormDialog, useForm, type FieldErrors } from '../../kit';
import { useApi, useQuery } from '../../lib/api';
import { FEE_EXPORT_FORMATS, type FeeExportFormat, type FeeRunView } from '../../lib/domain';
import { downloadName } from '../../lib/download';
import { feeErrorMsg, mapFeeError, type Msg } from '../../lib/fees';
import { saveExport } from '../../lib/files';
import { formatMonth, formatNumber } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { Money, useMoney } from './common';

/** What the page says after a dialog's action (null: nothing, the page itself shows what happened). */
export type Notice = { msg: Msg; tone: 'ok' | 'warn' } | null;

// ---------------------------------------------------------------------------------------------
// Dialogs
// ---------------------------------------------------------------------------------------------

/**
 * Confirms, then follows the lock job in the dialog: the month is computed again in one transaction and
 * written as records only when it is what the preview showed. A refusal (`fee_preview_stale`) closes the
 * dialog; the page then says why and offers to compute the month again.
 */
export function LockDialog(props: { run: FeeRunView; onClose: () => void; onEnded: (n: Notice) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const f = useForm({}, { mapError: (e) => mapFeeError(e, () => null) });
  const [jobId, setJobId] = useState<string | null>(null);
  const { job } = useJob(jobId);
  const { onEnded } = props;
  useEffect(() => {
    if (!job || !jobEnded(job)) return;
    onEnded(lockOutcome(job));
  }, [job, onEnded]);
  const submit = async () => {
    if (jobId) return;
    const r = await f.submit(() => api.tryCall('fee.runLock', { id: props.run.id }));
    if (r) setJobId(r.jobId);
  };
  return (
    <FormDialog
      form={f}
      title={t('fees.lock.title')}
      testId="fee-lock-dialog"
      onSubmit={() => void submit()}
      onClose={props.onClose}
      submitLabel={t('fees.lock.submit')}
      submitTestId="fee-lock-submit"
      disabled={jobId !== null}
      focusSubmit
      centered
    >
      <Stack gap="xs" mb="sm">
        <Text>{t('fees.lock.text', { month: formatMonth(props.run.month, lang), count: props.run.lineCount, lines: formatNumber(props.run.lineCount, lang) })}</Text>
        <Text>
          {t('fees.lock.total')} <Money ore={props.run.total} strong />
        </Text>
        {jobId ? (
          <>
            <Text size="sm">{t('fees.lock.running')}</Text>
            {job && <JobProgress job={job} testId="fee-lock-job" />}
          </>
        ) : (
          <Text size="sm" fw={600}>
            {t('fees.lock.warning')}
          </Text>
        )}
      </Stack>
    </FormDialog>
  );
}

function lockOutcome(job: JobView): Notice {
  if (job.state === 'succeeded') return { msg: { key: 'fees.lock.done' }, tone: 'ok' };
  // Stale: the run is ready again with the reason; the page shows it with "compute again".
  if (job.error?.rule === 'fee_preview_stale') return null;
  if (job.state === 'cancelled') return { msg: { key: 'fees.lock.cancelled' }, tone: 'warn' };
  const rule = job.error?.rule;
  if (rule === 'fee_run_exists' || rule === 'fee_run_state') return { msg: { key: `fees.rule.${rule}` }, tone: 'warn' };
  return { msg: job.error?.code === 'busy' ? { key: 'error.busy' } : { key: 'fees.lock.failed' }, tone: 'warn' };
}

/** Discard a preview, or post a locked run: a confirmation with nothing to fill in. */
export function SimpleActionDialog({ kind, run, onClose, onDone }: { kind: 'discard' | 'post'; run: FeeRunView; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const f = useForm({}, { mapError: (e) => mapFeeError(e, () => null) });
  const submit = async () => {
    const r = await f.submit(() => api.tryCall(kind === 'discard' ? 'fee.runDiscard' : 'fee.runPost', { id: run.id }));
    if (r) onDone();
  };
  return (
    <FormDialog
      form={f}
      title={t(`fees.${kind}.title`)}
      testId={`fee-${kind}-dialog`}
      onSubmit={() => void submit()}
      onClose={onClose}
      submitLabel={t(`fees.${kind}.submit`)}
      submitTestId={`fee-${kind}-submit`}
      danger={kind === 'discard'}
      // Throwing away is not undone: the focus starts on Cancel; posting is the step asked for.
      focusCancel={kind === 'discard'}
      focusSubmit={kind === 'post'}
      centered
    >
      <Stack gap="xs" mb="sm">
        <Text>{t(`fees.${kind}.text`, { month: formatMonth(run.month, lang), lines: formatNumber(run.lineCount, lang) })}</Text>
        <Text>
          {t('fees.lock.total')} <Money ore={run.total} strong />
        </Text>
      </Stack>
    </FormDialog>
  );
}

interface ExportValues {
  format: FeeExportFormat;
  layout: string;
}

/** The file for finance: a format, and for the CSV one of the municipality's saved layouts. */
export function ExportDialog({ run, onClose, onDone }: { run: FeeRunView; onClose: () => void; onDone: (n: Notice) => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const money = useMoney();
  const rules = useQuery('fee.rules', {});
  const layouts = rules.data?.settings.csvLayouts ?? [];
  const f = useForm<ExportValues>(
    { format: 'csv', layout: '' },
    {
      validate: (v): FieldErrors => (v.format === 'csv' && rules.data && !v.layout && layouts.length === 0 ? { layout: { key: 'validation.required' } } : {}),
      mapError: (e) => mapFeeError(e, (p) => (p === 'layout' ? 'layout' : p === 'format' ? 'format' : null)),
    },
  );
  const { v } = f;
  const layout = v.layout || layouts[0]?.id || '';
  const submit = async () => {
    const input = { id: run.id, format: v.format, ...(v.format === 'csv' && layout ? { layout } : {}) };
    const r = await f.submit(() => api.tryCall('fee.runExport', input));
    if (!r) return;
    const ext = v.format === 'ubl' ? 'zip' : 'csv';
    const name = downloadName(r.file.name, `kansli-avgifter-${run.month}`, ext);
    const saved = await saveExport({ fileId: r.file.fileId, name });
    if (!saved.ok) {
      f.setServerErrors({}, [feeErrorMsg(saved.error)]);
      return;
    }
    if (!saved.saved) return;
    const vars = { file: name, lines: formatNumber(r.lines, lang), total: money(r.total), documents: formatNumber(r.documents, lang), skipped: formatNumber(r.skipped, lang), withheld: formatNumber(r.withheld, lang) };
    onDone({ msg: { key: v.format === 'csv' ? 'fees.export.doneCsv' : v.format === 'ubl' ? 'fees.export.doneUbl' : 'fees.export.donePayment', vars }, tone: r.skipped > 0 || r.withheld > 0 ? 'warn' : 'ok' });
  };
  return (
    <FormDialog form={f} title={t('fees.export.title')} testId="fee-export-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('fees.export.submit')} submitTestId="fee-export-submit" centered>
      <Stack gap="md" mb="sm">
        <Text size="sm">{t('fees.export.text', { month: formatMonth(run.month, lang) })}</Text>
        <Radio.Group label={t('fees.export.format')} value={v.format} onChange={(x) => f.set('format', x as FeeExportFormat)} {...f.field('format')} data-testid="fee-export-format">
          <Stack gap={8} mt={6}>
            {FEE_EXPORT_FORMATS.map((x) => (
              <Radio key={x} value={x} label={t(`fees.export.format.${x}`)} description={t(`fees.export.formatHint.${x}`)} data-autofocus={x === v.format ? true : undefined} data-testid={`fee-export-format-${x}`} />
            ))}
          </Stack>
        </Radio.Group>
        {v.format === 'csv' && (
          <NativeSelect
            id="fee-export-layout"
            label={t('fees.export.layout')}
            description={rules.data?.defaults ? t('fees.export.layoutDefaults') : t('fees.export.layoutHint')}
            value={layout}
            onChange={(e) => f.set('layout', e.currentTarget.value)}
            data={layouts.length ? layouts.map((l) => ({ value: l.id, label: l.name })) : [{ value: '', label: rules.error ? t('fees.export.layoutsFailed') : t('common.loading') }]}
            disabled={!rules.data}
            inputWrapperOrder={['label', 'input', 'description', 'error']}
            {...f.field('layout')}
            data-testid="fee-export-layout"
          />
        )}
      </Stack>
    </FormDialog>
  );
}
