/**
 * The care part of a person's card: guardians, children, households, placements, enrolments and
 * applications on one screen (shared/api/care.ts `careCard`).
 *
 * A card is about one person the caller may open, so names of protected relatives are shown (marked
 * protected), unlike lists. Contact details are another matter: a guardian's phone and e-mail reveal the
 * child's home when either of them, or anyone sharing that home, is protected (domain.md §2), and a
 * guardian from whom the child is shielded is not someone to contact about the child at all.
 */
import type { CareCard, CareSummary } from '../../shared/api/care';
import { DomainError } from '../../shared/api/errors';
import type { ProtectionLevel } from '../../shared/api/schemas';
import type { Actor, CoreContext } from '../context';
import { applicationsOfChild } from '../placements/applications';
import { enrolmentViews, placementViews } from '../placements/views';
import { stmt } from './guardianships';
import { membershipsOf, type MemberRow } from './households';

type GuardianshipView = CareCard['guardianships'][number];
type MemberView = CareCard['householdHistory'][number];

interface PersonFacts {
  id: string;
  given_name: string;
  family_name: string;
  protection: ProtectionLevel;
  /** The stored shielding flag (core/register/shielding.ts). */
  shielded: number;
  preferred_language: string | null;
  messages_allowed: number;
}

const displayName = (p: { given_name: string; family_name: string }) => `${p.family_name}, ${p.given_name}`;

function personFacts(ctx: CoreContext, id: string): PersonFacts | undefined {
  return stmt(ctx, 'SELECT id, given_name, family_name, protection, shielded, preferred_language, messages_allowed FROM person WHERE id = ? AND deleted_at IS NULL').get(id) as
    | PersonFacts
    | undefined;
}

function contactsAt(ctx: CoreContext, personId: string, date: string): GuardianshipView['contacts'] {
  return stmt(
    ctx,
    `SELECT kind, value FROM person_contact WHERE person_id = ? AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?)
     AND kind IN ('phone', 'mobile', 'email') ORDER BY kind, valid_from`,
  ).all(personId, date, date) as GuardianshipView['contacts'];
}

interface GuardianshipRecord {
  id: string;
  version: number;
  child_id: string;
  guardian_id: string;
  kind: GuardianshipView['kind'];
  lives_with: number;
  invoice_share: number;
  shielded: number;
  valid_from: string;
  valid_to: string | null;
}

function guardianshipRows(ctx: CoreContext, side: 'child_id' | 'guardian_id', personId: string): GuardianshipRecord[] {
  return stmt(
    ctx,
    `SELECT id, version, child_id, guardian_id, kind, lives_with, invoice_share, shielded, valid_from, valid_to
     FROM guardianship WHERE ${side} = ? AND deleted_at IS NULL ORDER BY valid_to IS NOT NULL, valid_from DESC, id`,
  ).all(personId) as GuardianshipRecord[];
}

function shieldedPair(ctx: CoreContext, childId: string, guardianId: string, date: string): boolean {
  return (
    stmt(
      ctx,
      `SELECT 1 FROM guardianship WHERE child_id = ? AND guardian_id = ? AND shielded = 1 AND deleted_at IS NULL AND (valid_to IS NULL OR valid_to >= ?) LIMIT 1`,
    ).get(childId, guardianId, date) !== undefined
  );
}

/**
 * One guardianship as a card shows it: `other` is the party the card is not about (its name is shown);
 * contacts, language and the message consent always belong to the guardian.
 */
function guardianshipView(ctx: CoreContext, g: GuardianshipRecord, other: PersonFacts, guardian: PersonFacts, date: string): GuardianshipView {
  // The guardian's stored flag covers their own protection and every link to a protected person (the child,
  // siblings, a co-parent, anyone in a shared household, also former ones: core/register/shielding.ts).
  // A court's shielding decided from a date hides the guardian's contacts on the older rows of the pair too:
  // the card must not offer a way to reach a guardian the child is shielded from now or later.
  const hide = g.shielded === 1 || shieldedPair(ctx, g.child_id, g.guardian_id, date) || guardian.shielded === 1;
  return {
    id: g.id,
    version: g.version,
    childId: g.child_id,
    guardianId: g.guardian_id,
    name: displayName(other),
    protected: other.protection !== 'none',
    kind: g.kind,
    livesWith: g.lives_with === 1,
    invoiceShare: g.invoice_share,
    shielded: g.shielded === 1,
    validFrom: g.valid_from,
    validTo: g.valid_to,
    contacts: hide ? [] : contactsAt(ctx, guardian.id, date),
    preferredLanguage: guardian.preferred_language,
    messagesAllowed: guardian.messages_allowed === 1,
  };
}

function memberView(ctx: CoreContext, m: MemberRow): MemberView {
  const p = personFacts(ctx, m.personId)!;
  return {
    id: m.id,
    version: m.version,
    householdId: m.householdId,
    person: { id: p.id, name: displayName(p), protected: p.protection !== 'none' },
    role: m.role,
    shared: m.shared,
    validFrom: m.validFrom,
    validTo: m.validTo,
  };
}

const validAt = (m: { validFrom: string; validTo: string | null }, date: string) => m.validFrom <= date && (m.validTo === null || m.validTo >= date);

function householdsAt(ctx: CoreContext, own: MemberRow[], date: string): CareCard['households'] {
  const ids = [...new Set(own.filter((m) => validAt(m, date)).map((m) => m.householdId))];
  return ids.map((id) => {
    const rows = stmt(
      ctx,
      `SELECT m.id, m.version, m.household_id AS householdId, m.person_id AS personId, m.role, m.shared, m.valid_from AS validFrom, m.valid_to AS validTo
       FROM household_member m JOIN person p ON p.id = m.person_id
       WHERE m.household_id = ? AND m.deleted_at IS NULL AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?)
       ORDER BY m.role, p.birth_date, p.sort_key`,
    ).all(id, date, date) as Record<string, unknown>[];
    return { id, members: rows.map((r) => memberView(ctx, { ...(r as unknown as MemberRow), shared: r.shared === 1 })) };
  });
}

const SUMMARY_STATUSES = new Set(['offered', 'accepted', 'active', 'notice_given']);

/**
 * The card's summary header (shared/api/care.ts careSummary): the places that hold at the date or start
 * later (an ended or declined placement, an ended enrolment is history), soonest first, and the guardians
 * in force at the date with their registered address where the card may show it. The address follows
 * the same rule as the guardian's contacts in `guardianshipView`: withheld for a protected guardian, one
 * the child is shielded from, and one linked to a protected person (the stored flag covers the child
 * itself being protected). Nobody sees it here then, whatever their permissions: a permitted user reveals
 * with a stated reason on the guardian's own card.
 */
function summaryOf(
  ctx: CoreContext,
  personId: string,
  guardianships: GuardianshipView[],
  placements: CareCard['placements'],
  enrolments: CareCard['enrolments'],
  date: string,
): CareSummary {
  const groupKind = (id: string | null): CareSummary['places'][number]['groupKind'] =>
    id ? ((stmt(ctx, 'SELECT kind FROM school_group WHERE id = ?').pluck().get(id) as CareSummary['places'][number]['groupKind'] | undefined) ?? null) : null;
  const places: CareSummary['places'] = [
    ...placements
      .filter((p) => SUMMARY_STATUSES.has(p.status))
      .map((p) => ({
        kind: 'placement' as const,
        id: p.id,
        unitId: p.unitId,
        unitName: p.unitName,
        groupId: p.groupId,
        groupName: p.groupName,
        groupKind: groupKind(p.groupId),
        schoolForm: p.schoolForm,
        grade: null,
        weeklyHours: p.weeklyHours,
        status: p.status,
        validFrom: p.validFrom,
        validTo: p.validTo,
      })),
    ...enrolments
      .filter((e) => e.validTo === null || e.validTo >= date)
      .map((e) => ({
        kind: 'enrolment' as const,
        id: e.id,
        unitId: e.unitId,
        unitName: e.unitName,
        groupId: e.groupId,
        groupName: e.groupName,
        groupKind: groupKind(e.groupId),
        schoolForm: e.schoolForm,
        grade: e.grade,
        weeklyHours: null,
        status: null,
        validFrom: e.validFrom,
        validTo: e.validTo,
      })),
  ].sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));

  const seen = new Set<string>();
  const guardians: CareSummary['guardians'] = [];
  for (const g of guardianships) {
    if (g.childId !== personId || !validAt(g, date) || seen.has(g.guardianId)) continue;
    seen.add(g.guardianId);
    const facts = personFacts(ctx, g.guardianId)!;
    const shieldedFrom = g.shielded || shieldedPair(ctx, personId, g.guardianId, date);
    const withheld = shieldedFrom || facts.protection !== 'none' || facts.shielded === 1;
    guardians.push({
      guardianId: g.guardianId,
      name: g.name,
      kind: g.kind,
      protected: g.protected,
      shieldedFrom,
      livesWith: g.livesWith,
      address: withheld ? null : registeredAddressAt(ctx, g.guardianId, date),
      addressWithheld: withheld,
    });
  }
  return { places, guardians };
}

function registeredAddressAt(ctx: CoreContext, personId: string, date: string): CareSummary['guardians'][number]['address'] {
  const a = stmt(
    ctx,
    `SELECT care_of AS careOf, street, postal_code AS postalCode, city, country FROM person_address
     WHERE person_id = ? AND kind = 'registered' AND valid_from <= ? AND (valid_to IS NULL OR valid_to >= ?) ORDER BY valid_from DESC LIMIT 1`,
  ).get(personId, date, date) as CareSummary['guardians'][number]['address'] | undefined;
  return a ?? null;
}

/** `actor` decides whether protected siblings on an application may be named. */
export function careCard(ctx: CoreContext, actor: Actor, personId: string, date: string): CareCard {
  const self = personFacts(ctx, personId);
  if (!self) throw new DomainError('not_found', 'No such person', 'personId');
  const guardianships = guardianshipRows(ctx, 'child_id', personId).map((g) => {
    const guardian = personFacts(ctx, g.guardian_id)!;
    return guardianshipView(ctx, g, guardian, guardian, date);
  });
  const childrenOf = guardianshipRows(ctx, 'guardian_id', personId).map((g) => guardianshipView(ctx, g, personFacts(ctx, g.child_id)!, self, date));
  const own = membershipsOf(ctx, personId);
  const placements = placementViews(ctx, personId, date);
  const enrolments = enrolmentViews(ctx, personId);
  return {
    summary: summaryOf(ctx, personId, guardianships, placements, enrolments, date),
    guardianships,
    childrenOf,
    households: householdsAt(ctx, own, date),
    householdHistory: own.map((m) => memberView(ctx, m)),
    placements,
    enrolments,
    // The queue is about today (guarantee dates, overdue), whatever date the card is opened at.
    applications: applicationsOfChild(ctx, personId, ctx.clock.today(), actor),
  };
}

/** Every person whose details the card shows, for the audit entry. */
export function personsOnCard(personId: string, card: CareCard): string[] {
  const ids = new Set<string>([personId]);
  for (const g of card.guardianships) ids.add(g.guardianId);
  for (const g of card.childrenOf) ids.add(g.childId);
  for (const h of card.households) for (const m of h.members) ids.add(m.person.id);
  for (const p of card.placements) for (const o of p.owners) ids.add(o.id);
  for (const a of card.applications) {
    ids.add(a.child.id);
    for (const s of a.siblings) ids.add(s.person.id);
  }
  return [...ids];
}
