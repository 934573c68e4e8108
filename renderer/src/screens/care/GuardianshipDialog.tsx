/**
 * Add a guardianship (a guardian to a child, or a child to an adult) or edit one. Editing asks, like the
 * person form, whether this is a change from a date (the old row ends the day before and stays in the
 * history) or a correction of a typing error (the row is fixed in place, logged as a correction).
 */
import { Checkbox, NativeSelect, Radio, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { GUARDIANSHIP_KINDS_BY_COUNTRY } from '../../../../shared/domain/care';
import { useApi } from '../../lib/api';
import { checkDates, parseShare, type GuardianshipView } from '../../lib/care';
import type { GuardianshipKind } from '../../lib/domain';
import { useT } from '../../lib/i18n';
import type { FieldErrors } from '../../kit';
import { useSession } from '../../lib/session';
import { DateField } from '../../components/DateField';
import { PersonPicker } from './PersonPicker';
import { FormDialog, useForm } from '../../kit';

interface Values {
  personId: string | null;
  kind: GuardianshipKind;
  validFrom: string;
  validTo: string;
  livesWith: boolean;
  share: string;
  shielded: boolean;
  mode: 'change' | 'correction';
  effectiveFrom: string;
}

const KNOWN = new Set(['guardianId', 'childId', 'kind', 'validFrom', 'validTo', 'livesWith', 'invoiceShare', 'shielded', 'mode', 'effectiveFrom']);
const known = (f: string) => KNOWN.has(f);

export interface GuardianshipDialogProps {
  /** The card's person. */
  personId: string;
  /** On a child's card the dialog adds a guardian; on an adult's card, a child. */
  side: 'guardians' | 'children';
  /** Edit this one; absent: add a new one. */
  edit?: GuardianshipView;
  /** Persons already linked (not offered again). */
  exclude: readonly string[];
  onClose: () => void;
  onSaved: () => void;
}

export function GuardianshipDialog({ personId, side, edit, exclude, onClose, onSaved }: GuardianshipDialogProps) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const f = useForm<Values>({
    personId: null,
    kind: edit?.kind ?? GUARDIANSHIP_KINDS_BY_COUNTRY[session.country][0]!,
    validFrom: edit?.validFrom ?? session.today,
    validTo: edit?.validTo ?? '',
    livesWith: edit?.livesWith ?? false,
    share: String(edit?.invoiceShare ?? 0),
    shielded: edit?.shielded ?? false,
    mode: 'change',
    effectiveFrom: session.today,
  }, { validate: () => check(), known: known });
  const { v, set, err } = f;
  const personField = side === 'guardians' ? 'guardianId' : 'childId';
  const kinds = GUARDIANSHIP_KINDS_BY_COUNTRY[session.country].includes(v.kind) ? GUARDIANSHIP_KINDS_BY_COUNTRY[session.country] : [...GUARDIANSHIP_KINDS_BY_COUNTRY[session.country], v.kind];
  const correcting = !!edit && v.mode === 'correction';

  const check = (): FieldErrors => {
    const e: FieldErrors = checkDates(
      [
        { field: 'validFrom', value: v.validFrom, required: !edit || correcting },
        { field: 'validTo', value: v.validTo, required: false },
        { field: 'effectiveFrom', value: v.effectiveFrom, required: !!edit && !correcting },
      ],
      { from: 'validFrom', to: 'validTo' },
    );
    if (!edit && !v.personId) e[personField] = { key: 'validation.required' };
    if (parseShare(v.share) === 'invalid') e.invoiceShare = { key: 'care.issue.share_range' };
    return e;
  };

  const save = async () => {
    const share = parseShare(v.share);
    const invoiceShare = share === 'invalid' ? 0 : share;
    const validTo = v.validTo.trim() || null;
    const r = await f.submit(() => {
        if (!edit) {
          const other = v.personId ?? '';
          return api.tryCall('guardianship.create', {
            childId: side === 'guardians' ? personId : other,
            guardianId: side === 'guardians' ? other : personId,
            kind: v.kind,
            livesWith: v.livesWith,
            invoiceShare,
            shielded: v.shielded,
            validFrom: v.validFrom,
            validTo,
          });
        }
        // Only what changed goes to the core, so the change log names the facts that moved.
        const changed = {
          ...(v.kind !== edit.kind ? { kind: v.kind } : {}),
          ...(v.livesWith !== edit.livesWith ? { livesWith: v.livesWith } : {}),
          ...(invoiceShare !== edit.invoiceShare ? { invoiceShare } : {}),
          ...(v.shielded !== edit.shielded ? { shielded: v.shielded } : {}),
          ...(validTo !== edit.validTo ? { validTo } : {}),
        };
        return api.tryCall('guardianship.update', {
          id: edit.id,
          version: edit.version,
          mode: v.mode,
          ...(correcting ? { ...(v.validFrom !== edit.validFrom ? { validFrom: v.validFrom } : {}) } : { effectiveFrom: v.effectiveFrom }),
          ...changed,
        });
      });
    if (r) onSaved();
  };

  const title = edit ? t('care.guardianship.editTitle', { name: edit.name }) : t(side === 'guardians' ? 'care.guardianship.addGuardian' : 'care.guardianship.addChild');
  return (
    <FormDialog form={f} title={title} testId="guardianship-dialog" onSubmit={() => void save()} onClose={onClose} returnFocusId="sec-guardians-title">
      <Stack gap="sm">
        {edit && (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Radio.Group label={t('personForm.mode')} value={v.mode} onChange={(x) => set('mode', x as Values['mode'])}>
              <Stack gap={6} mt={6}>
                <Radio value="change" label={t('care.mode.change')} description={t('care.mode.change.hint')} data-autofocus data-testid="mode-change" />
                <Radio value="correction" label={t('personForm.mode.correction')} description={t('care.mode.correction.hint')} data-testid="mode-correction" />
              </Stack>
            </Radio.Group>
            {!correcting && <DateField label={t('field.effectiveFrom')} value={v.effectiveFrom} onChange={(x) => set('effectiveFrom', x)} required {...f.field('effectiveFrom')} testId="effective-from" />}
          </SimpleGrid>
        )}
        {!edit && (
          <PersonPicker
            label={t(side === 'guardians' ? 'care.guardianship.guardian' : 'care.guardianship.child')}
            value={v.personId}
            onChange={(id) => set('personId', id)}
            exclude={[personId, ...exclude]}
            required
            autoFocus
            error={err('guardianId') ?? err('childId')}
            testId="guardianship-person"
          />
        )}
        <div className="k-form-grid">
          <NativeSelect label={t('care.guardianship.kind')} value={v.kind} onChange={(e) => set('kind', e.currentTarget.value as GuardianshipKind)} data={kinds.map((k) => ({ value: k, label: t(`guardianship.${k}`) }))} {...f.field('kind')} data-testid="guardianship-kind" />
          {(!edit || correcting) && <DateField label={t('care.field.validFrom')} value={v.validFrom} onChange={(x) => set('validFrom', x)} required {...f.field('validFrom')} testId="valid-from" />}
          <DateField label={t('care.field.validTo')} value={v.validTo} onChange={(x) => set('validTo', x)} {...f.field('validTo')} description={t('care.field.validTo.hint')} testId="valid-to" />
          <TextInput
            label={t('care.guardian.invoiceShare')}
            description={t('care.guardian.invoiceShare.hint')}
            value={v.share}
            onChange={(e) => set('share', e.currentTarget.value)}
            {...f.field('invoiceShare')}
            rightSection="%"
            inputMode="numeric"
            autoComplete="off"
            maxLength={4}
            data-testid="invoice-share"
          />
        </div>
        <Checkbox label={t('care.guardian.livesWith.label')} checked={v.livesWith} onChange={(e) => set('livesWith', e.currentTarget.checked)} {...f.field('livesWith')} data-testid="lives-with" />
        <Checkbox
          label={t('care.guardian.shielded.label')}
          description={t('care.guardian.shielded.hint')}
          checked={v.shielded}
          onChange={(e) => set('shielded', e.currentTarget.checked)}
          {...f.field('shielded')}
          data-testid="shielded"
        />
      </Stack>
    </FormDialog>
  );
}
