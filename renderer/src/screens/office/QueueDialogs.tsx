/**
 * The queue's row dialogs: offer a place, record the family's answer, withdraw the application.
 * Each is a form: Enter or Ctrl+S submits, Esc cancels; the core's errors land on their fields
 * (a `rule_violation` shows the rule's own message) or in the box at the top. The offer shows how full the
 * chosen unit's departments are on the start date (application.places: counts from the core).
 */
import { Checkbox, Radio, Stack, Text, TextInput, VisuallyHidden } from '@mantine/core';
import type { ApiError } from '../../../../shared/api/transport';
import { DateField } from '../../components/DateField';
import { GroupPicker } from '../../components/GroupPicker';
import { UnitPicker } from '../../components/UnitPicker';
import { useApi, useQuery } from '../../lib/api';
import { formatDate, formatNumber, isValidIsoDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import {
  emptyAnswer,
  msgText,
  noRightMsg,
  offerDefaults,
  offerField,
  rankedChoices,
  serverErrors,
  toAnswerInput,
  toOfferInput,
  validateAnswer,
  validateOffer,
  type AnswerValues,
  type ApplicationView,
  type Msg,
  type MsgFields,
  type OfferValues,
} from '../../lib/office';
import { useSession } from '../../lib/session';
import type { TKey } from '../../lib/i18n';
import { FormDialog, useForm, type MappedError } from '../../kit';

export interface RowDialogProps {
  app: ApplicationView;
  onClose: () => void;
  /** Done: the message to show (the list is read again). */
  onDone: (message: TKey) => void;
  /** The application changed under us (conflict): the dialog closes and the list is read again. */
  onStale: () => void;
}

function ApplicationFacts({ app }: { app: ApplicationView }) {
  const { t, lang } = useT();
  const day = (iso: string) => formatDate(iso, lang);
  const date = day(app.wishedStart);
  const why = noRightMsg(app, day);
  // Sweden: the guarantee date; Norway: the right to a place and the last day it may start, or why there is none.
  const wished = why
    ? t('queue.no.facts.noRight', { date, reason: msgText(why, t) })
    : app.guarantee.rule === 'no_right_to_place'
      ? t('queue.no.facts.wished', { date, guarantee: day(app.guaranteeDate ?? ''), dueBy: day(app.guarantee.dueBy ?? '') })
      : t('queue.facts.wished', { date, guarantee: day(app.guaranteeDate ?? '') });
  return (
    <Text size="sm" c="dimmed" component="div" data-testid="offer-facts">
      <div>{wished}</div>
      <div>{t('queue.facts.choices', { choices: rankedChoices(app).map((c) => `${c.rank}. ${c.unitName}`).join(', ') })}</div>
    </Text>
  );
}

export function OfferDialog({ app, onClose, onDone, onStale }: RowDialogProps) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const f = useForm<OfferValues>(offerDefaults(app, session.today), { validate: validateOffer, mapError: (e) => toMapped(serverErrors(e, offerField)) });
  const { v, set } = f;

  const submit = async () => {
    const r = await f.submit(() => api.tryCall('application.offer', toOfferInput(v, app)), { onError: staleOn(onStale) });
    if (r) onDone('queue.offer.done');
  };

  return (
    <FormDialog form={f} title={t('queue.offer.title', { name: app.child.name })} size="lg" testId="offer-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('queue.offer.submit')} submitTestId="offer-submit">
      <Stack gap="sm">
        <ApplicationFacts app={app} />
        <UnitPicker label={t('queue.offer.unit')} value={v.unitId} onChange={(x) => set('unitId', x)} schoolForm={app.schoolForm} {...f.field('unitId')} required id="offer-unit" testId="offer-unit" />
        <GroupPicker
          label={t('queue.offer.group')}
          unitId={v.unitId}
          value={v.groupId}
          onChange={(x) => set('groupId', x)}
          date={v.start}
          schoolForm={app.schoolForm}
          kind="department"
          {...f.field('groupId')}
          id="offer-group"
          testId="offer-group"
        />
        <div className="k-form-grid">
          {/* Focus starts on the date: the unit is the family's first choice already, and an open unit list would hide the form. */}
          <DateField label={t('queue.offer.start')} value={v.start} onChange={(x) => set('start', x)} {...f.field('start')} required autoFocus testId="offer-start" />
          <DateField label={t('queue.offer.answerBy')} value={v.answerBy} onChange={(x) => set('answerBy', x)} {...f.field('answerBy')} required testId="offer-answer-by" />
          <TextInput
            label={t('queue.hours')}
            description={t('queue.hoursHint')}
            value={v.weeklyHours}
            onChange={(e) => set('weeklyHours', e.currentTarget.value)}
            {...f.field('weeklyHours')}
            inputMode="numeric"
            autoComplete="off"
            maxLength={3}
            data-testid="offer-hours"
          />
        </div>
        <DepartmentPlaces unitId={v.unitId} date={v.start} app={app} />
      </Stack>
    </FormDialog>
  );
}

/** A conflict means the application changed under us: the dialog closes and the list is read again. */
const staleOn = (onStale: () => void) => (e: ApiError) => {
  if (e.code !== 'conflict') return false;
  onStale();
  return true;
};
const toMapped = (m: { fields: MsgFields; other: Msg[] }): MappedError => ({ fields: m.fields, top: m.other });

/**
 * How full the chosen unit's departments are on the start date: placed and offered per department, and
 * free places where a capacity is known (none is recorded yet, which the note says). Read again when the
 * unit or a valid date changes; a half-typed date keeps the last table.
 */
function DepartmentPlaces({ unitId, date, app }: { unitId: string | null; date: string; app: ApplicationView }) {
  const { t, lang } = useT();
  const valid = isValidIsoDate(date);
  const q = useQuery('application.places', unitId && valid ? { unitId, date, schoolForm: app.schoolForm } : null);
  const unitName = app.choices.find((c) => c.unitId === unitId)?.unitName ?? app.offer?.unitName ?? '';
  const n = (x: number | null) => (x === null ? '–' : formatNumber(x, lang));
  if (!unitId || !valid) {
    return (
      <Text size="sm" c="dimmed" data-testid="offer-places-choose">
        {t('queue.places.choose')}
      </Text>
    );
  }
  if (q.error) {
    return (
      <Text size="sm" c="#8a1c1c" data-testid="offer-places-failed">
        {t('queue.places.failed')}
      </Text>
    );
  }
  const d = q.data;
  return (
    <section aria-labelledby="offer-places-title" aria-busy={q.loading} data-testid="offer-places">
      <Text fw={600} size="sm" id="offer-places-title" mb={4}>
        {t('queue.places.title', { date: formatDate(date, lang) })}
      </Text>
      {d && d.departments.length === 0 && d.withoutDepartment.accepted + d.withoutDepartment.offered === 0 ? (
        <Text size="sm" c="dimmed" data-testid="offer-places-none">
          {t('queue.places.none')}
        </Text>
      ) : (
        d && (
          <table className="k-table k-table-dense" style={{ width: 'auto', minWidth: 360 }} data-testid="offer-places-table">
            <caption>
              <VisuallyHidden>{t('queue.places.caption', { unit: unitName, date: formatDate(date, lang) })}</VisuallyHidden>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('queue.places.col.department')}</th>
                <th scope="col" className="k-num" style={{ textAlign: 'right' }}>
                  {t('queue.places.col.accepted')}
                </th>
                <th scope="col" className="k-num" style={{ textAlign: 'right' }}>
                  {t('queue.places.col.offered')}
                </th>
                {d.capacityKnown && (
                  <th scope="col" className="k-num" style={{ textAlign: 'right' }}>
                    {t('queue.places.col.free')}
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {d.departments.map((g) => (
                <tr key={g.groupId} data-testid="offer-places-row">
                  <th scope="row" style={{ fontWeight: 500 }}>
                    {g.name}
                  </th>
                  <td className="k-num" style={{ textAlign: 'right' }}>{n(g.accepted)}</td>
                  <td className="k-num" style={{ textAlign: 'right' }}>{n(g.offered)}</td>
                  {d.capacityKnown && <td className="k-num" style={{ textAlign: 'right' }}>{n(g.free)}</td>}
                </tr>
              ))}
              {d.withoutDepartment.accepted + d.withoutDepartment.offered > 0 && (
                <tr data-testid="offer-places-rest">
                  <th scope="row" style={{ fontWeight: 500 }}>
                    {t('queue.places.withoutDepartment')}
                  </th>
                  <td className="k-num" style={{ textAlign: 'right' }}>{n(d.withoutDepartment.accepted)}</td>
                  <td className="k-num" style={{ textAlign: 'right' }}>{n(d.withoutDepartment.offered)}</td>
                  {d.capacityKnown && <td className="k-num" style={{ textAlign: 'right' }}>–</td>}
                </tr>
              )}
            </tbody>
          </table>
        )
      )}
      {d && !d.capacityKnown && (
        <Text size="xs" c="dimmed" mt={4} data-testid="offer-places-no-capacity">
          {t('queue.places.noCapacity')}
        </Text>
      )}
    </section>
  );
}

export function AnswerDialog({ app, onClose, onDone, onStale }: RowDialogProps) {
  const { t, lang } = useT();
  const api = useApi();
  const f = useForm<AnswerValues>(emptyAnswer(), { validate: validateAnswer, mapError: (e) => toMapped(serverErrors(e, (p) => (p === 'accept' || p === 'keepInQueue' ? p : null))) });
  const { v } = f;
  const offer = app.offer;
  const submit = async () => {
    const r = await f.submit(() => api.tryCall('application.answer', toAnswerInput(v, app)), { onError: staleOn(onStale) });
    if (r) onDone(v.accept ? 'queue.answer.accepted' : v.keepInQueue ? 'queue.answer.declinedKept' : 'queue.answer.declinedWithdrawn');
  };
  return (
    <FormDialog form={f} title={t('queue.answer.title', { name: app.child.name })} testId="answer-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('queue.answer.submit')} submitTestId="answer-submit">
      <Stack gap="sm">
        {offer && (
          <Text size="sm">
            {t('queue.answer.offer', { unit: offer.unitName, start: formatDate(offer.start, lang) })}
            {offer.groupName ? ` (${offer.groupName})` : ''}
            {offer.answerBy ? ` · ${t('queue.offer.answerByShort', { date: formatDate(offer.answerBy, lang) })}` : ''}
          </Text>
        )}
        <Radio.Group label={t('queue.answer.choice')} value={v.accept === null ? '' : v.accept ? 'yes' : 'no'} onChange={(x) => f.set('accept', x === 'yes')} {...f.field('accept')} required>
          <Stack gap={6} mt={6}>
            <Radio value="yes" label={t('queue.answer.accept')} data-autofocus data-testid="answer-accept" />
            <Radio value="no" label={t('queue.answer.decline')} data-testid="answer-decline" />
          </Stack>
        </Radio.Group>
        {v.accept === true && (
          <Text size="sm" c="dimmed" data-testid="answer-holders">
            {t('queue.answer.holders')}
          </Text>
        )}
        {v.accept === false && (
          <Checkbox label={t('queue.answer.keepInQueue')} description={t('queue.answer.keepHint')} checked={v.keepInQueue} onChange={(e) => f.set('keepInQueue', e.currentTarget.checked)} data-testid="answer-keep" />
        )}
      </Stack>
    </FormDialog>
  );
}

export function WithdrawDialog({ app, onClose, onDone, onStale }: RowDialogProps) {
  const { t } = useT();
  const api = useApi();
  const f = useForm({}, { mapError: (e) => toMapped(serverErrors(e, () => null)) });
  const submit = async () => {
    const r = await f.submit(() => api.tryCall('application.withdraw', { id: app.id, version: app.version }), { onError: staleOn(onStale) });
    if (r) onDone('queue.withdraw.done');
  };
  return (
    <FormDialog form={f} title={t('queue.withdraw.title')} centered size="md" testId="withdraw-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('queue.withdraw.submit')} submitTestId="withdraw-confirm" danger focusCancel>
      <p style={{ marginTop: 0 }}>{t('queue.withdraw.text', { name: app.child.name })}</p>
    </FormDialog>
  );
}
