/**
 * Notice of termination (uppsägning / oppsigelse). As the notice date is typed, the core computes the last
 * day from the form's notice period (placement.noticePreview) and the dialog shows it. The clerk may type
 * another last day: a later one is the guardian's wish; an earlier one cuts the period short and needs a
 * reason, which is logged (notice_too_short). A placement already ending sooner keeps its end.
 */
import { Alert, Stack, Text, Textarea } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { CARE_LIMITS } from '../../../../shared/domain/care';
import { DateField } from '../../components/DateField';
import { useApi } from '../../lib/api';
import { checkDates, noticeLastDayKind, type PlacementView } from '../../lib/care';
import { formatDate, isValidIsoDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import type { FieldErrors } from '../../kit';
import { useSession } from '../../lib/session';
import { FormDialog, useForm } from '../../kit';

type Preview = { state: 'idle' } | { state: 'loading' } | { state: 'ready'; noticeDate: string; computedLastDay: string; noticeMonths: number } | { state: 'failed' };

export function NoticeDialog({ placement, onClose, onSaved }: { placement: PlacementView; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const f = useForm({ noticeDate: session.today, lastDay: '', overrideReason: '' }, { validate: () => check(), known: (p) => p === 'noticeDate' || p === 'lastDay' || p === 'overrideReason' });
  const { v, set } = f;
  const [preview, setPreview] = useState<Preview>({ state: 'idle' });
  const seq = useRef(0);

  useEffect(() => {
    const mine = ++seq.current;
    if (!isValidIsoDate(v.noticeDate)) {
      setPreview({ state: 'idle' });
      return;
    }
    setPreview({ state: 'loading' });
    const timer = window.setTimeout(() => {
      void api.tryCall('placement.noticePreview', { id: placement.id, noticeDate: v.noticeDate }).then((r) => {
        if (mine !== seq.current) return;
        setPreview(r.ok ? { state: 'ready', noticeDate: v.noticeDate, ...r.data } : { state: 'failed' });
      });
    }, 150);
    return () => window.clearTimeout(timer);
  }, [api, placement.id, v.noticeDate]);

  const computed = preview.state === 'ready' ? preview.computedLastDay : null;
  // Where the placement already ends before the notice period would, that end is the last day.
  const allowed = computed && placement.validTo !== null && placement.validTo < computed ? placement.validTo : computed;
  const kind = noticeLastDayKind(allowed, v.lastDay);
  const needsReason = kind === 'earlier';

  const check = (): FieldErrors => {
    const e = checkDates([
      { field: 'noticeDate', value: v.noticeDate, required: true },
      { field: 'lastDay', value: v.lastDay, required: false },
    ]);
    if (!e.lastDay && v.lastDay.trim() && v.lastDay < v.noticeDate) e.lastDay = { key: 'rule.notice_too_short' };
    if (needsReason && v.overrideReason.trim().length < CARE_LIMITS.reason.min) e.overrideReason = { key: 'care.issue.reason_too_short' };
    return e;
  };
  const save = async () => {
    const typed = v.lastDay.trim();
    const r = await f.submit(() =>
        api.tryCall('placement.notice', {
          id: placement.id,
          version: placement.version,
          noticeDate: v.noticeDate,
          ...(typed && typed !== allowed ? { lastDay: typed } : {}),
          ...(needsReason ? { overrideReason: v.overrideReason.trim() } : {}),
        }));
    if (r) onSaved();
  };

  const lastDayDescription =
    preview.state === 'ready' && allowed
      ? allowed !== preview.computedLastDay
        ? t('care.notice.endsAlready', { date: formatDate(allowed, lang) })
        : t('care.notice.computed', { date: formatDate(allowed, lang), count: preview.noticeMonths })
      : preview.state === 'loading'
        ? t('care.notice.computing')
        : preview.state === 'failed'
          ? t('care.notice.previewFailed')
          : t('care.notice.typeDate');

  return (
    <FormDialog form={f} title={t('care.notice.title', { unit: placement.unitName })} testId="notice-dialog" onSubmit={() => void save()} onClose={onClose} returnFocusId="sec-placements-title">
      <Stack gap="sm">
        <DateField label={t('care.notice.date')} value={v.noticeDate} onChange={(x) => set('noticeDate', x)} required {...f.field('noticeDate')} autoFocus testId="notice-date" />
        <div aria-live="polite" data-testid="notice-computed">
          <Text size="sm" fw={600}>
            {lastDayDescription}
          </Text>
        </div>
        <DateField
          label={t('care.notice.lastDay')}
          value={v.lastDay}
          onChange={(x) => set('lastDay', x)}
          {...f.field('lastDay')}
          description={allowed ? t('care.notice.lastDay.hint', { date: formatDate(allowed, lang) }) : undefined}
          testId="notice-last-day"
        />
        {kind === 'later' && (
          <Text size="sm" data-testid="notice-later">
            {t('care.notice.later')}
          </Text>
        )}
        {needsReason && (
          <Alert color="orange" variant="light" data-testid="notice-earlier" styles={{ message: { color: '#3d2400' } }}>
            {t('care.notice.earlier', { date: formatDate(allowed ?? '', lang) })}
          </Alert>
        )}
        {needsReason && (
          <Textarea
            label={t('care.notice.overrideReason')}
            description={t('care.notice.overrideReason.hint', { min: CARE_LIMITS.reason.min })}
            value={v.overrideReason}
            onChange={(e) => set('overrideReason', e.currentTarget.value)}
            {...f.field('overrideReason')}
            required
            autosize
            minRows={2}
            maxLength={500}
            data-testid="notice-reason"
          />
        )}
      </Stack>
    </FormDialog>
  );
}
