/**
 * A new application for a place in preschool (or pedagogisk omsorg / barnehage): the child, the form,
 * the dates, hours, one to five preferred units in the family's order, and a note. Enter or Ctrl+S
 * registers, Esc cancels. The choices are reordered with their own buttons (focus follows the moved row).
 */
import { Button, Fieldset, Group, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { CARE_LIMITS } from '../../../../shared/domain/care';
import { DateField } from '../../components/DateField';
import { Dialog } from '../../components/Dialog';
import { IconPlus } from '../../components/icons';
import { UnitPicker } from '../../components/UnitPicker';
import { useApi } from '../../lib/api';
import { useT } from '../../lib/i18n';
import {
  applicationField,
  emptyApplication,
  emptyChoice,
  moveItem,
  queueFormsFor,
  serverErrors,
  toApplicationInput,
  validateApplication,
  type ApplicationValues,
  type Msg,
  type MsgFields,
} from '../../lib/office';
import { useSession } from '../../lib/session';
import type { PlacementForm } from '../../../../shared/domain/care';
import { ChildPicker } from './ChildPicker';
import { DialogButtons, ErrorBox, hasKey, saveKeys, useMsg } from './common';

const focusLater = (id: string) => window.setTimeout(() => document.getElementById(id)?.focus(), 0);

export function ApplicationDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const msg = useMsg();
  const [v, setV] = useState<ApplicationValues>(() => emptyApplication(session.today, session.country));
  const [errors, setErrors] = useState<MsgFields>({});
  const [other, setOther] = useState<Msg[]>([]);
  const [busy, setBusy] = useState(false);
  const forms = queueFormsFor(session.country);

  const set = <K extends keyof ApplicationValues>(k: K, value: ApplicationValues[K]) => {
    setV((cur) => ({ ...cur, [k]: value }));
    setErrors(({ [k]: _, ...rest }) => rest);
  };
  const setChoices = (next: ApplicationValues['choices']) => {
    setV((cur) => ({ ...cur, choices: next }));
    // Errors are per position: after a reorder they would point at the wrong row.
    setErrors(({ choices: _c, ...rest }) => Object.fromEntries(Object.entries(rest).filter(([k]) => !k.startsWith('choices.'))));
  };

  const submit = async () => {
    if (busy) return;
    const e = validateApplication(v);
    setErrors(e);
    setOther([]);
    if (Object.keys(e).length) {
      focusLater(firstErrorId(e, v));
      return;
    }
    setBusy(true);
    const r = await api.tryCall('application.create', toApplicationInput(v));
    setBusy(false);
    if (r.ok) return onDone();
    const mapped = serverErrors(r.error, (p) => applicationField(p, v), hasKey);
    setErrors(mapped.fields);
    setOther(mapped.other);
    if (Object.keys(mapped.fields).length) focusLater(firstErrorId(mapped.fields, v));
  };

  return (
    <Dialog opened onClose={onClose} title={t('queue.create.title')} size="lg" testId="application-dialog">
      <form
        noValidate
        onKeyDown={saveKeys(() => void submit())}
        onSubmit={(e) => {
          e.preventDefault();
          e.stopPropagation();
          void submit();
        }}
      >
        <Stack gap="sm">
          <ErrorBox messages={other} />
          <ChildPicker label={t('queue.create.child')} description={t('queue.create.childHint')} value={v.child} onChange={(c) => set('child', c)} error={msg(errors.child)} autoFocus id="app-child" testId="app-child" />
          <div className="k-form-grid">
            <NativeSelect
              id="app-schoolForm"
              label={t('queue.create.form')}
              value={v.schoolForm}
              onChange={(e) => {
                const f = e.currentTarget.value as PlacementForm;
                set('schoolForm', f);
              }}
              data={forms.map((f) => ({ value: f, label: t(`schoolForm.${f}`) }))}
              error={msg(errors.schoolForm)}
              data-testid="app-form"
            />
            <DateField id="app-appliedOn" label={t('queue.create.appliedOn')} value={v.appliedOn} onChange={(x) => set('appliedOn', x)} error={msg(errors.appliedOn)} required testId="app-applied-on" />
            <DateField id="app-wishedStart" label={t('queue.create.wishedStart')} value={v.wishedStart} onChange={(x) => set('wishedStart', x)} error={msg(errors.wishedStart)} required testId="app-wished-start" />
            <TextInput
              id="app-weeklyHours"
              label={t('queue.hours')}
              description={t('queue.hoursHint')}
              value={v.weeklyHours}
              onChange={(e) => set('weeklyHours', e.currentTarget.value)}
              error={msg(errors.weeklyHours)}
              inputMode="numeric"
              autoComplete="off"
              maxLength={3}
              data-testid="app-hours"
            />
          </div>
          <Fieldset legend={t('queue.create.choices')} variant="unstyled" data-testid="app-choices" styles={{ legend: { fontWeight: 600, fontSize: 14, padding: 0 } }}>
            <Stack gap="xs">
              <Text size="sm" c="dimmed">
                {t('queue.create.choicesHint', { max: CARE_LIMITS.applicationChoices })}
              </Text>
              {errors.choices && (
                <span role="alert" style={{ color: '#a61b1b', fontSize: 14 }}>
                  {msg(errors.choices)}
                </span>
              )}
              {v.choices.map((c, i) => {
                const n = i + 1;
                return (
                  <Group key={c.key} gap="xs" align="flex-start" wrap="nowrap" data-testid="app-choice">
                    <div style={{ flex: 1 }}>
                      <UnitPicker
                        id={`choice-${c.key}`}
                        label={t('queue.create.choice', { n })}
                        value={c.unitId}
                        onChange={(x) => setChoices(v.choices.map((r, j) => (j === i ? { ...r, unitId: x } : r)))}
                        schoolForm={v.schoolForm}
                        error={msg(errors[`choices.${i}`])}
                        required
                        testId="app-choice-unit"
                      />
                    </div>
                    <Group gap={4} mt={25} wrap="nowrap">
                      <Button
                        id={`choice-${c.key}-up`}
                        size="xs"
                        variant="default"
                        disabled={i === 0}
                        aria-label={t('queue.create.moveUp', { n })}
                        onClick={() => {
                          setChoices(moveItem(v.choices, i, -1));
                          focusLater(i - 1 === 0 ? `choice-${c.key}-down` : `choice-${c.key}-up`);
                        }}
                      >
                        ↑
                      </Button>
                      <Button
                        id={`choice-${c.key}-down`}
                        size="xs"
                        variant="default"
                        disabled={i === v.choices.length - 1}
                        aria-label={t('queue.create.moveDown', { n })}
                        onClick={() => {
                          setChoices(moveItem(v.choices, i, 1));
                          focusLater(i + 1 === v.choices.length - 1 ? `choice-${c.key}-up` : `choice-${c.key}-down`);
                        }}
                      >
                        ↓
                      </Button>
                      <Button
                        size="xs"
                        variant="subtle"
                        color="red"
                        c="#a61b1b"
                        disabled={v.choices.length === 1}
                        onClick={() => {
                          setChoices(v.choices.filter((_, j) => j !== i));
                          focusLater('app-add-choice');
                        }}
                        data-testid="app-choice-remove"
                      >
                        {t('queue.create.removeChoice', { n })}
                      </Button>
                    </Group>
                  </Group>
                );
              })}
              <div>
                <Button
                  id="app-add-choice"
                  variant="default"
                  size="xs"
                  leftSection={<IconPlus size={14} />}
                  disabled={v.choices.length >= CARE_LIMITS.applicationChoices}
                  onClick={() => {
                    const row = emptyChoice();
                    setChoices([...v.choices, row]);
                    focusLater(`choice-${row.key}`);
                  }}
                  data-testid="app-add-choice"
                >
                  {t('queue.create.addChoice')}
                </Button>
              </div>
            </Stack>
          </Fieldset>
          <Textarea
            id="app-note"
            label={t('queue.create.note')}
            value={v.note}
            onChange={(e) => set('note', e.currentTarget.value)}
            error={msg(errors.note)}
            autosize
            minRows={2}
            maxRows={5}
            maxLength={CARE_LIMITS.note + 20}
            data-testid="app-note"
          />
        </Stack>
        <DialogButtons onCancel={onClose} submitLabel={t('queue.create.submit')} busy={busy} testId="app-submit" />
      </form>
    </Dialog>
  );
}

/** The element to focus for the first field with an error, in screen order. */
function firstErrorId(e: MsgFields, v: ApplicationValues): string {
  const order = ['child', 'schoolForm', 'appliedOn', 'wishedStart', 'weeklyHours', 'choices', ...v.choices.map((_, i) => `choices.${i}`), 'note'];
  const first = order.find((k) => e[k]);
  if (!first) return 'app-child';
  const m = /^choices\.(\d+)$/.exec(first);
  if (m) return `choice-${v.choices[Number(m[1])]?.key ?? ''}`;
  if (first === 'choices') return 'app-add-choice';
  return `app-${first}`;
}
