/**
 * Household dialogs: start a household (the card's person and whoever lives with them), add someone to
 * a household, end a membership (moving out). A child who lives in two homes (shared residence,
 * växelvis boende / delt bosted) is a member of both, marked "shared" in each: the core allows two
 * memberships at once only then (household_overlap).
 */
import { Button, Checkbox, Group, NativeSelect, Stack, Text } from '@mantine/core';
import { HOUSEHOLD_ROLES, type HouseholdRole } from '../../../../shared/domain/care';
import { DateField } from '../../components/DateField';
import { IconPlus } from '../../components/icons';
import { useApi } from '../../lib/api';
import { checkDates, type HouseholdMemberView, type HouseholdView } from '../../lib/care';
import { formatDate } from '../../lib/format';
import { useT } from '../../lib/i18n';
import type { FieldErrors } from '../../kit';
import { newKey } from '../../lib/personForm';
import { useSession } from '../../lib/session';
import { PersonPicker } from './PersonPicker';
import { FormDialog, useForm } from '../../kit';

type Role = HouseholdRole;
interface MemberValues {
  key: string;
  personId: string | null;
  role: Role;
  shared: boolean;
}

function RoleAndShared({ role, shared, onRole, onShared, idPrefix }: { role: Role; shared: boolean; onRole: (r: Role) => void; onShared: (s: boolean) => void; idPrefix: string }) {
  const { t } = useT();
  return (
    <>
      <NativeSelect
        label={t('care.household.role')}
        value={role}
        onChange={(e) => onRole(e.currentTarget.value as Role)}
        data={HOUSEHOLD_ROLES.map((r) => ({ value: r, label: t(`care.household.role.${r}`) }))}
        w={160}
        id={`${idPrefix}-role`}
      />
      {role === 'child' && (
        <Checkbox mt={30} label={t('care.household.sharedLabel')} checked={shared} onChange={(e) => onShared(e.currentTarget.checked)} data-testid="household-shared" />
      )}
    </>
  );
}

// ---------- create ----------

export function HouseholdCreateDialog({ personId, personName, isChild, onClose, onSaved }: { personId: string; personName: string; isChild: boolean; onClose: () => void; onSaved: () => void }) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const f = useForm<{ validFrom: string; members: MemberValues[] }>({
    validFrom: session.today,
    members: [{ key: 'self', personId, role: isChild ? 'child' : 'adult', shared: false }],
  }, { validate: () => check(), known: (p) => known(p) });
  const { v } = f;
  const setMember = (i: number, patch: Partial<MemberValues>) => f.set('members', v.members.map((m, j) => (j === i ? { ...m, ...patch } : m)));
  const known = (p: string) => p === 'validFrom' || p === 'members' || /^members\.\d+$/.test(p);

  const check = (): FieldErrors => {
    const e = checkDates([{ field: 'validFrom', value: v.validFrom, required: true }]);
    v.members.forEach((m, i) => {
      if (!m.personId) e[`members.${i}`] = { key: 'validation.required' };
    });
    return e;
  };
  const save = async () => {
    const r = await f.submit(() =>
        api.tryCall('household.create', {
          validFrom: v.validFrom,
          members: v.members.map((m) => ({ personId: m.personId ?? '', role: m.role, shared: m.role === 'child' && m.shared })),
        }));
    if (r) onSaved();
  };

  return (
    <FormDialog form={f} title={t('care.household.createTitle')} testId="household-create-dialog" onSubmit={() => void save()} onClose={onClose} returnFocusId="sec-households-title">
      <Stack gap="sm">
        <DateField label={t('care.household.movedIn')} value={v.validFrom} onChange={(x) => f.set('validFrom', x)} required {...f.field('validFrom')} autoFocus testId="household-from" w={240} />
        {v.members.map((m, i) => (
          <fieldset key={m.key} className="k-list-item" style={{ margin: 0 }} data-testid="household-member-row">
            <legend style={{ fontWeight: 600, padding: '0 4px' }}>{t('care.household.memberN', { n: i + 1 })}</legend>
            <Group align="flex-start" gap="sm">
              {i === 0 ? (
                <div style={{ flex: 1, minWidth: 220 }}>
                  <Text size="sm" fw={500} mb={4}>
                    {t('field.name')}
                  </Text>
                  <Text data-k-error={f.err('members.0') ? 'true' : undefined}>{personName}</Text>
                  {f.err('members.0') && (
                    <Text size="sm" c="#a61b1b" role="alert">
                      {f.err('members.0')}
                    </Text>
                  )}
                </div>
              ) : (
                <div style={{ flex: 1, minWidth: 220 }}>
                  <PersonPicker
                    label={t('care.household.person')}
                    value={m.personId}
                    onChange={(id, hit) => setMember(i, { personId: id, ...(hit ? { role: hit.roles.includes('child') && !hit.roles.includes('guardian') ? 'child' : 'adult' } : {}) })}
                    exclude={v.members.filter((_, j) => j !== i).flatMap((x) => (x.personId ? [x.personId] : []))}
                    required
                    {...f.field(`members.${i}`)}
                    id={`household-member-${m.key}`}
                    testId="household-person"
                  />
                </div>
              )}
              <RoleAndShared role={m.role} shared={m.shared} onRole={(r) => setMember(i, { role: r })} onShared={(s) => setMember(i, { shared: s })} idPrefix={`hm-${m.key}`} />
            </Group>
            {i > 0 && (
              <Group justify="flex-end" mt="xs">
                <Button
                  variant="subtle"
                  color="red"
                  c="#a61b1b"
                  size="xs"
                  onClick={() => {
                    f.set(
                      'members',
                      v.members.filter((_, j) => j !== i),
                    );
                    window.setTimeout(() => document.getElementById('household-add-row')?.focus(), 0);
                  }}
                >
                  {t('care.household.removeRow', { n: i + 1 })}
                </Button>
              </Group>
            )}
          </fieldset>
        ))}
        <div>
          <Button
            id="household-add-row"
            variant="default"
            leftSection={<IconPlus size={16} />}
            disabled={v.members.length >= 20}
            onClick={() => {
              const key = newKey();
              f.set('members', [...v.members, { key, personId: null, role: 'adult', shared: false }]);
              window.setTimeout(() => document.getElementById(`household-member-${key}`)?.focus(), 0);
            }}
            data-testid="household-add-row"
          >
            {t('care.household.addRow')}
          </Button>
        </div>
      </Stack>
    </FormDialog>
  );
}

// ---------- add a member ----------

export function HouseholdAddMemberDialog({ household, onClose, onSaved }: { household: HouseholdView; onClose: () => void; onSaved: () => void }) {
  const { t } = useT();
  const api = useApi();
  const session = useSession();
  const f = useForm<{ personId: string | null; role: Role; shared: boolean; validFrom: string; validTo: string }>({ personId: null, role: 'adult', shared: false, validFrom: session.today, validTo: '' }, { validate: () => check(), known: (p) => known(p) });
  const { v } = f;
  const known = (p: string) => ['personId', 'role', 'shared', 'validFrom', 'validTo'].includes(p);
  const check = (): FieldErrors => {
    const e = checkDates(
      [
        { field: 'validFrom', value: v.validFrom, required: true },
        { field: 'validTo', value: v.validTo, required: false },
      ],
      { from: 'validFrom', to: 'validTo' },
    );
    if (!v.personId) e.personId = { key: 'validation.required' };
    return e;
  };
  const save = async () => {
    const r = await f.submit(() =>
        api.tryCall('household.addMember', {
          householdId: household.id,
          personId: v.personId ?? '',
          role: v.role,
          shared: v.role === 'child' && v.shared,
          validFrom: v.validFrom,
          validTo: v.validTo.trim() || null,
        }));
    if (r) onSaved();
  };
  return (
    <FormDialog form={f} title={t('care.household.addMember')} testId="household-add-dialog" onSubmit={() => void save()} onClose={onClose} returnFocusId="sec-households-title">
      <Stack gap="sm">
        <Text size="sm">{t('care.household.members', { names: household.members.map((m) => m.person.name).join('; ') })}</Text>
        <PersonPicker
          label={t('care.household.person')}
          value={v.personId}
          onChange={(id, hit) => f.setMany({ personId: id, ...(hit ? { role: hit.roles.includes('child') && !hit.roles.includes('guardian') ? 'child' : 'adult' } : {}) })}
          exclude={household.members.map((m) => m.person.id)}
          required
          autoFocus
          {...f.field('personId')}
          testId="household-person"
        />
        <Group align="flex-start" gap="sm">
          <RoleAndShared role={v.role} shared={v.shared} onRole={(r) => f.set('role', r)} onShared={(s) => f.set('shared', s)} idPrefix="ham" />
        </Group>
        <div className="k-form-grid">
          <DateField label={t('care.household.movedIn')} value={v.validFrom} onChange={(x) => f.set('validFrom', x)} required {...f.field('validFrom')} testId="household-from" />
          <DateField label={t('care.household.movedOut')} value={v.validTo} onChange={(x) => f.set('validTo', x)} {...f.field('validTo')} description={t('care.field.validTo.hint')} testId="household-to" />
        </div>
      </Stack>
    </FormDialog>
  );
}

// ---------- end a membership ----------

export function HouseholdEndMemberDialog({ member, onClose, onSaved }: { member: HouseholdMemberView; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useT();
  const api = useApi();
  const session = useSession();
  const f = useForm({ validTo: member.validTo ?? session.today }, { validate: () => check(), known: (p) => p === 'validTo' });
  const { v } = f;
  const check = (): FieldErrors => {
    const e = checkDates([{ field: 'validTo', value: v.validTo, required: true }]);
    if (!e.validTo && v.validTo < member.validFrom) e.validTo = { key: 'rule.end_before_start' };
    return e;
  };
  const save = async () => {
    const r = await f.submit(() => api.tryCall('household.endMember', { id: member.id, version: member.version, validTo: v.validTo }));
    if (r) onSaved();
  };
  return (
    <FormDialog form={f} title={t('care.household.endTitle', { name: member.person.name })} testId="household-end-dialog" onSubmit={() => void save()} onClose={onClose} returnFocusId="sec-households-title">
      <Stack gap="sm">
        <Text size="sm">{t('care.household.endText', { from: formatDate(member.validFrom, lang) })}</Text>
        <DateField label={t('care.household.lastDay')} value={v.validTo} onChange={(x) => f.set('validTo', x)} required {...f.field('validTo')} autoFocus testId="household-last-day" w={260} />
      </Stack>
    </FormDialog>
  );
}
