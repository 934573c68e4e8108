/**
 * A new application for a place in preschool (or pedagogisk omsorg / barnehage): the child, the form,
 * the dates, hours, one to five preferred units in the family's order, and a note. Enter or Ctrl+S
 * registers, Esc cancels. The choices are reordered with their own buttons (focus follows the moved row).
 */
import { Button, Fieldset, Group, NativeSelect, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { CARE_LIMITS } from '../../../../shared/domain/care';
import { DateField } from '../../components/DateField';
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
} from '../../lib/office';
import { useSession } from '../../lib/session';
import type { PlacementForm } from '../../../../shared/domain/care';
import { ChildPicker } from './ChildPicker';
import { FormDialog, useForm } from '../../kit';

const focusLater = (id: string) => window.setTimeout(() => document.getElementById(id)?.focus(), 0);

export function ApplicationDialog({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const f = useForm<ApplicationValues>(emptyApplication(session.today, session.country), {
    validate: validateApplication,
    mapError: (e, x) => {
      const m = serverErrors(e, (p) => applicationField(p, x));
      return { fields: m.fields, top: m.other };
    },
  });
  const { v, set } = f;
  const forms = queueFormsFor(session.country);
  const setChoices = (next: ApplicationValues['choices']) => {
    set('choices', next);
    // Errors are per position: after a reorder they would point at the wrong row.
    f.dropServerErrors(...v.choices.map((_, i) => `choices.${i}`));
  };

  const submit = async () => {
    const r = await f.submit(() => api.tryCall('application.create', toApplicationInput(v)));
    if (r) onDone();
  };

  return (
    <FormDialog form={f} title={t('queue.create.title')} size="lg" testId="application-dialog" onSubmit={() => void submit()} onClose={onClose} submitLabel={t('queue.create.submit')} submitTestId="app-submit">
        <Stack gap="sm">
          <ChildPicker label={t('queue.create.child')} description={t('queue.create.childHint')} value={v.child} onChange={(c) => set('child', c)} {...f.field('child')} autoFocus id="app-child" testId="app-child" />
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
              {...f.field('schoolForm')}
              data-testid="app-form"
            />
            <DateField id="app-appliedOn" label={t('queue.create.appliedOn')} value={v.appliedOn} onChange={(x) => set('appliedOn', x)} {...f.field('appliedOn')} required testId="app-applied-on" />
            <DateField id="app-wishedStart" label={t('queue.create.wishedStart')} value={v.wishedStart} onChange={(x) => set('wishedStart', x)} {...f.field('wishedStart')} required testId="app-wished-start" />
            <TextInput
              id="app-weeklyHours"
              label={t('queue.hours')}
              description={t('queue.hoursHint')}
              value={v.weeklyHours}
              onChange={(e) => set('weeklyHours', e.currentTarget.value)}
              {...f.field('weeklyHours')}
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
              {f.errors.choices && (
                <span role="alert" style={{ color: '#a61b1b', fontSize: 14 }}>
                  {f.err('choices')}
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
                        {...f.field(`choices.${i}`)}
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
            {...f.field('note')}
            autosize
            minRows={2}
            maxRows={5}
            maxLength={CARE_LIMITS.note + 20}
            data-testid="app-note"
          />
        </Stack>
    </FormDialog>
  );
}

/** The element to focus for the first field with an error, in screen order. */
