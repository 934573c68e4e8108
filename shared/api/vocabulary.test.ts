/**
 * The contract's enumerations are built from shared/domain (the renderer's only source of these values):
 * this checks the wiring, so a schema that goes back to a list of its own fails here rather than as a
 * select that offers a value the core refuses.
 */
import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, PERMISSIONS, REVEAL_REASON_MAX, ROLES, SESSION_STATES } from '../domain/access';
import * as care from '../domain/care';
import { DUTY_ROLES, GROUP_KINDS, SCHOOL_FORMS, UNIT_KINDS } from '../domain/org';
import * as reg from '../domain/register';
import { applicationView, careCard, householdMemberView, listKind, placementView, rolloverRow } from './care';
import { contract } from './contract';
import { addressInput, contactView, dutyView, historyEntry, identityView, personCard, personSummary, unitSummary } from './schemas';

describe('the contract’s enumerations are shared/domain’s lists', () => {
  it('persons and the organisation', () => {
    expect(personSummary.shape.status.options).toEqual(reg.PERSON_STATUSES);
    expect(personSummary.shape.roles.element.options).toEqual(reg.PERSON_ROLES);
    expect(personSummary.shape.sex.unwrap().options).toEqual(reg.SEXES);
    expect(personCard.shape.protection.options).toEqual(reg.PROTECTION_LEVELS);
    expect(personCard.shape.maalform.unwrap().options).toEqual(reg.MAALFORMS);
    expect(identityView.shape.kind.options).toEqual(reg.ID_KINDS);
    expect(identityView.shape.country.options).toEqual(reg.COUNTRIES);
    expect(addressInput.shape.kind.options).toEqual(reg.ADDRESS_KINDS);
    expect(contactView.shape.kind.options).toEqual(reg.CONTACT_KINDS);
    expect(historyEntry.shape.op.options).toEqual(reg.HISTORY_OPS);
    expect(dutyView.shape.role.options).toEqual(DUTY_ROLES);
    expect(unitSummary.shape.kind.options).toEqual(UNIT_KINDS);
    expect(unitSummary.shape.schoolForms.element.options).toEqual(SCHOOL_FORMS);
    expect(personCard.shape.memberships.element.shape.groupKind.options).toEqual(GROUP_KINDS);
  });

  it('care', () => {
    expect(placementView.shape.schoolForm.options).toEqual(care.PLACEMENT_FORMS);
    expect(placementView.shape.reason.options).toEqual(care.PLACEMENT_REASONS);
    expect(placementView.shape.state.options).toEqual(care.PLACEMENT_STATES);
    expect(placementView.shape.status.options).toEqual(care.PLACEMENT_STATUSES);
    expect(applicationView.shape.status.options).toEqual(care.APPLICATION_STATUSES);
    expect(careCard.shape.enrolments.element.shape.schoolForm.options).toEqual(care.ENROLMENT_FORMS);
    expect(careCard.shape.guardianships.element.shape.kind.options).toEqual(care.GUARDIANSHIP_KINDS);
    expect(careCard.shape.guardianships.element.shape.contacts.element.shape.kind.options).toEqual(reg.CONTACT_KINDS);
    expect(householdMemberView.shape.role.options).toEqual(care.HOUSEHOLD_ROLES);
    expect(rolloverRow.shape.action.options).toEqual(care.ROLLOVER_ACTIONS);
    expect(listKind.options).toEqual(care.LIST_KINDS);
  });

  it('access', () => {
    const session = contract['session.info'].output.shape;
    expect(session.permissions.element.options).toEqual(PERMISSIONS);
    expect(session.roles.element.shape.role.options).toEqual(ROLES);
    expect(contract['auth.status'].output.shape.state.options).toEqual(SESSION_STATES);
    expect(contract['audit.query'].input.shape.action.unwrap().options).toEqual(AUDIT_ACTIONS);
  });

  it('takes the bounds the forms say (reason lengths)', () => {
    const notice = contract['placement.notice'].input;
    const base = { id: '0123abcd-0000-4000-8000-000000000001', version: 1, noticeDate: '2026-08-17' };
    expect(notice.safeParse({ ...base, overrideReason: 'x'.repeat(care.CARE_LIMITS.reason.min) }).success).toBe(true);
    expect(notice.safeParse({ ...base, overrideReason: 'x'.repeat(care.CARE_LIMITS.reason.min - 1) }).success).toBe(false);
    const reveal = contract['person.reveal'].input;
    expect(reveal.safeParse({ id: base.id, reason: 'x'.repeat(REVEAL_REASON_MAX + 1) }).success).toBe(false);
    expect(reveal.safeParse({ id: base.id, reason: 'x'.repeat(REVEAL_REASON_MAX) }).success).toBe(true);
  });
});
