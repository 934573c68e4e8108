/**
 * Once a request is decided: the disclosure log (every time the extract was handed out: the day, the channel,
 * to whom, its pages and parts, the decision it follows, who recorded it, the extract's SHA-256 shortened
 * with the whole in a title) and the dialog that records a disclosure (the day, today to begin with; the
 * channel, the request's own to begin with).
 */
import { NativeSelect, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import type { MethodOutput } from '../../../../shared/api/contract';
import type { FoiRequestView } from '../../../../shared/api/foi';
import { FOI_CHANNELS, type FoiChannel } from '../../../../shared/domain/foi';
import { ErrorState, Loading, Section } from '../../components/common';
import { DateField } from '../../components/DateField';
import { DataTable, FormDialog, useForm, type Column } from '../../kit';
import { useApi, type QueryState } from '../../lib/api';
import { formatDate, formatNumber } from '../../lib/format';
import { useT } from '../../lib/i18n';
import { useSession } from '../../lib/session';
import { Dash } from '../office/common';
import { mapDiscloseError, shortHash, validateDisclosure } from './disclosure';

type Disclosure = MethodOutput<'foi.disclosures'>['items'][number];

export function DisclosuresSection({ q }: { q: QueryState<MethodOutput<'foi.disclosures'>> }) {
  const { t, lang } = useT();
  const columns = useMemo<Column<Disclosure>[]>(
    () => [
      { id: 'on', header: t('foi.disclosures.col.on'), kind: 'date', cell: (d) => formatDate(d.disclosedOn, lang), text: (d) => d.disclosedOn, rowHeader: true },
      { id: 'channel', header: t('foi.disclosures.col.channel'), cell: (d) => t(`foi.channel.${d.channel}`), text: (d) => t(`foi.channel.${d.channel}`) },
      { id: 'recipient', header: t('foi.disclosures.col.recipient'), cell: (d) => t(`foi.requesterKind.${d.recipientKind}`), text: (d) => t(`foi.requesterKind.${d.recipientKind}`) },
      { id: 'pages', header: t('foi.disclosures.col.pages'), kind: 'number', cell: (d) => formatNumber(d.pages, lang), text: (d) => d.pages },
      { id: 'masked', header: t('foi.disclosures.col.masked'), kind: 'number', cell: (d) => formatNumber(d.masked, lang), text: (d) => d.masked },
      { id: 'withheld', header: t('foi.disclosures.col.withheld'), kind: 'number', cell: (d) => formatNumber(d.withheld, lang), text: (d) => d.withheld },
      { id: 'decidedOn', header: t('foi.disclosures.col.decidedOn'), kind: 'date', cell: (d) => formatDate(d.decidedOn, lang), text: (d) => d.decidedOn },
      { id: 'by', header: t('foi.disclosures.col.by'), cell: (d) => d.createdByName ?? <Dash />, text: (d) => d.createdByName },
      {
        id: 'hash',
        header: t('foi.disclosures.col.hash'),
        kind: 'code',
        cell: (d) => (
          <span className="k-num" title={t('foi.disclosures.hashTitle', { sha: d.extractSha256 })} data-testid="foi-disclosure-hash">
            {shortHash(d.extractSha256)}
          </span>
        ),
        text: (d) => d.extractSha256,
      },
    ],
    [t, lang],
  );
  const rows = q.data?.items ?? [];
  return (
    <Section title={t('foi.disclosures.title')} id="sec-foi-disclosures" testId="foi-disclosures">
      {q.error && !q.data ? (
        <ErrorState error={q.error} onRetry={q.reload} />
      ) : !q.data ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="k-empty" style={{ margin: 0 }} data-testid="foi-disclosures-none">
          {t('foi.disclosures.none')}
        </p>
      ) : (
        <DataTable<Disclosure>
          id="foi-request-disclosures"
          caption={t('foi.disclosures.caption')}
          columns={columns}
          rows={rows}
          rowKey={(d) => d.id}
          rowTestId="foi-disclosure-row"
          rowProps={(d) => ({ 'data-disclosure-id': d.id, 'data-channel': d.channel })}
          testId="foi-disclosures-table"
          exportable={false}
          dense
        />
      )}
    </Section>
  );
}

/** Records a disclosure: the day (from the decision to today) and the channel; saved with the request's version. */
export function DiscloseDialog({ request, onClose, onDone, onStale, returnFocusId }: { request: FoiRequestView; onClose: () => void; onDone: () => void; onStale: () => void; returnFocusId?: string }) {
  const { t } = useT();
  const api = useApi();
  const { today } = useSession();
  const f = useForm<{ disclosedOn: string; channel: FoiChannel }>(
    { disclosedOn: today, channel: request.channel },
    { validate: (v) => validateDisclosure(v, today, request.decidedOn), mapError: (e) => mapDiscloseError(e, request.decidedOn) },
  );
  const save = async () => {
    const r = await f.submit(() => api.tryCall('foi.disclose', { requestId: request.id, version: request.version, disclosedOn: f.v.disclosedOn.trim(), channel: f.v.channel }), {
      onError: (e) => {
        if (e.code === 'conflict') onStale();
        return false;
      },
    });
    if (r) onDone();
  };
  return (
    <FormDialog form={f} title={t('foi.disclose.title')} testId="foi-disclose-dialog" onSubmit={() => void save()} onClose={onClose} submitLabel={t('foi.disclose.submit')} submitTestId="foi-disclose-submit" returnFocusId={returnFocusId} centered>
      <Stack gap="sm">
        <Text size="sm">{t('foi.disclose.text')}</Text>
        <DateField label={t('foi.disclose.on')} value={f.v.disclosedOn} onChange={(x) => f.set('disclosedOn', x)} required autoFocus {...f.field('disclosedOn')} testId="foi-disclose-on" />
        <NativeSelect
          label={t('foi.disclose.channel')}
          value={f.v.channel}
          onChange={(e) => f.set('channel', e.currentTarget.value as FoiChannel)}
          data={FOI_CHANNELS.map((c) => ({ value: c, label: t(`foi.channel.${c}`) }))}
          {...f.field('channel')}
          data-testid="foi-disclose-channel"
        />
      </Stack>
    </FormDialog>
  );
}
