/**
 * The demo's FOI requests (issue 13), so an FOI officer trying the demo sees a working dashboard: a request
 * due today, one overdue (Norway: one that counts as refused), a guardian's subject-access request in review,
 * an adult's own request extended and waiting for the decision, one decided and closed, one withdrawn; and two
 * documents about the guardian's child (an open decision and a confidential one: documents.ts). Every
 * requester is synthetic: the persons are the demo register's, the typed names are invented organisations.
 * Dates are counted back from the demo's today in working days, so the states hold whatever day it is.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { addDays } from '../dates';
import { isWorkingDay } from '../foi/holidays';
import { seedDemoDocuments } from './documents';
import type { FoiKind, FoiStatus } from '../../shared/domain/foi';

const ACTOR = 'demo-seed';

/** The working day `n` working days before `date` (0: `date` itself, or the working day before it). */
function workingDaysBack(date: string, n: number, country: 'SE' | 'NO'): string {
  let d = date;
  while (!isWorkingDay(d, country)) d = addDays(d, -1);
  for (let i = 0; i < n; i++) {
    d = addDays(d, -1);
    while (!isWorkingDay(d, country)) d = addDays(d, -1);
  }
  return d;
}

interface Seeded {
  kind: FoiKind;
  receivedOn: string;
  channel: 'email' | 'letter' | 'counter' | 'phone' | 'web_form';
  requesterKind: 'anonymous' | 'named' | 'subject' | 'guardian';
  requesterName?: string;
  requesterContact?: string;
  requesterPersonId?: string;
  verified?: 'e_id' | 'id_document' | 'register_custody';
  askedFor: string;
  status: FoiStatus;
  assigned?: boolean;
  extensionNoticeOn?: string;
  decidedOn?: string;
  closedOn?: string;
  persons: { id: string; role: 'subject' | 'listed' | 'other' }[];
}

/** Seeds the requests (inside the caller's transaction); returns how many. */
export function seedDemoFoiRequests(sqlite: Database.Database, opts: { country: 'SE' | 'NO'; today: string; now: string }): number {
  const { country, today } = opts;
  // The demo's FOI officer takes the requests in work and decided the closed one.
  const officer = sqlite.prepare(`SELECT id FROM user_account WHERE username = 'foi'`).pluck().get() as string | undefined;
  if (!officer) return 0;
  const sv = country === 'SE';
  const publicKind: FoiKind = sv ? 'se_public_document' : 'no_innsyn';
  const language = sv ? 'sv' : 'nb';
  // The class with the most current pupils; a protected pupil is left off (their name is not the demo's to list).
  const group = sqlite
    .prepare(
      `SELECT g.id, g.name, u.name AS unit FROM school_group g JOIN org_unit u ON u.id = g.unit_id JOIN group_membership m ON m.group_id = g.id
       WHERE g.kind = 'class' AND g.deleted_at IS NULL AND m.deleted_at IS NULL AND m.valid_from <= @today AND (m.valid_to IS NULL OR m.valid_to >= @today)
       GROUP BY g.id ORDER BY count(*) DESC, u.sort_key, g.name, g.id LIMIT 1`,
    )
    .get({ today }) as { id: string; name: string; unit: string } | undefined;
  const pupils = group
    ? (sqlite
        .prepare(
          `SELECT p.id FROM group_membership m JOIN person p ON p.id = m.person_id
           WHERE m.group_id = ? AND m.deleted_at IS NULL AND m.valid_from <= ? AND (m.valid_to IS NULL OR m.valid_to >= ?) AND p.protection = 'none' AND p.shielded = 0 AND p.deleted_at IS NULL
           ORDER BY p.sort_key`,
        )
        .pluck()
        .all(group.id, today, today) as string[])
    : [];
  // A child with a guardian in custody, neither protected nor shielded, and another adult guardian.
  const family = sqlite
    .prepare(
      `SELECT g.child_id, g.guardian_id FROM guardianship g JOIN person c ON c.id = g.child_id JOIN person a ON a.id = g.guardian_id
       WHERE g.deleted_at IS NULL AND g.shielded = 0 AND g.kind <> 'annan_ansvarig' AND g.valid_from <= ? AND (g.valid_to IS NULL OR g.valid_to >= ?)
         AND c.protection = 'none' AND c.shielded = 0 AND a.protection = 'none' AND a.shielded = 0 AND c.deleted_at IS NULL AND a.deleted_at IS NULL
       ORDER BY c.sort_key, a.sort_key LIMIT 2`,
    )
    .all(today, today) as { child_id: string; guardian_id: string }[];
  if (!group || pupils.length === 0 || family.length < 2) return 0;
  const [first, second] = [family[0]!, family[1]!];
  const back = (n: number) => workingDaysBack(today, n, country);

  const requests: Seeded[] = [
    {
      kind: publicKind,
      receivedOn: back(0),
      channel: 'email',
      requesterKind: 'anonymous',
      requesterContact: 'tips@lokaltidningen.invalid',
      askedFor: sv ? `Klasslista för ${group.name} på ${group.unit}, med elevernas namn.` : `Klasseliste for ${group.name} ved ${group.unit}, med elevenes navn.`,
      status: 'registered',
      persons: pupils.map((id) => ({ id, role: 'listed' as const })),
    },
    {
      kind: publicKind,
      receivedOn: back(4),
      channel: 'letter',
      requesterKind: 'named',
      requesterName: sv ? 'Föreningen Skolinsyn (demo)' : 'Foreningen Skoleinnsyn (demo)',
      requesterContact: sv ? 'Box 100, 111 11 Exempelstad' : 'Postboks 100, 0101 Eksempelby',
      askedFor: sv ? 'Beslut om skolskjuts fattade under hösten.' : 'Vedtak om skoleskyss fattet i høst.',
      status: 'gathering',
      assigned: true,
      persons: [],
    },
    {
      kind: 'gdpr_access',
      receivedOn: back(8),
      channel: 'counter',
      requesterKind: 'guardian',
      requesterPersonId: first.guardian_id,
      verified: 'register_custody',
      askedFor: sv ? 'Alla uppgifter kommunen har om mitt barn i förskola och skola.' : 'Alle opplysninger kommunen har om barnet mitt i barnehage og skole.',
      status: 'review',
      assigned: true,
      persons: [{ id: first.child_id, role: 'subject' }],
    },
    {
      kind: 'gdpr_access',
      receivedOn: addDays(today, -40),
      channel: 'web_form',
      requesterKind: 'subject',
      requesterPersonId: second.guardian_id,
      verified: 'e_id',
      askedFor: sv ? 'Registerutdrag: vilka uppgifter om mig behandlas, och till vem har de lämnats ut?' : 'Innsyn: hvilke opplysninger om meg behandles, og hvem er de utlevert til?',
      status: 'decision',
      assigned: true,
      extensionNoticeOn: addDays(today, -20),
      persons: [{ id: second.guardian_id, role: 'subject' }],
    },
    {
      kind: publicKind,
      receivedOn: addDays(today, -30),
      channel: 'email',
      requesterKind: 'named',
      requesterName: sv ? 'Redaktionen Exempelbladet (demo)' : 'Redaksjonen Eksempelavisa (demo)',
      requesterContact: 'redaktion@exempelbladet.invalid',
      askedFor: sv ? 'Antal barn i kö till förskola per område.' : 'Antall barn på venteliste til barnehage per område.',
      status: 'closed',
      assigned: true,
      decidedOn: addDays(today, -29),
      closedOn: addDays(today, -28),
      persons: [],
    },
    {
      kind: publicKind,
      receivedOn: addDays(today, -14),
      channel: 'phone',
      requesterKind: 'anonymous',
      askedFor: sv ? 'Rektorns delegationsbeslut.' : 'Rektors delegeringsvedtak.',
      status: 'withdrawn',
      closedOn: addDays(today, -13),
      persons: [],
    },
  ];
  if (!sv) {
    // An innsynskrav left unanswered past five working days: it counts as refused.
    requests.push({
      kind: 'no_innsyn',
      receivedOn: back(9),
      channel: 'email',
      requesterKind: 'named',
      requesterName: 'Innbyggerinitiativet (demo)',
      requesterContact: 'post@innbygger.invalid',
      askedFor: 'Korrespondanse om nedleggelse av skolen.',
      status: 'registered',
      persons: [],
    });
  }

  const insRequest = sqlite.prepare(
    `INSERT INTO foi_request (id, kind, received_on, channel, requester_kind, requester_name, requester_contact, requester_person_id, identity_verified,
       identity_verified_on, language, asked_for, assignee_id, status, extension_notice_on, extension_reason, extension_months, decided_on, decided_by, closed_on, version, created_at, created_by, updated_at, updated_by)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  const insPerson = sqlite.prepare(
    `INSERT INTO foi_request_person (id, request_id, person_id, role, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?)`,
  );
  for (const r of requests) {
    const id = randomUUID();
    insRequest.run(
      id,
      r.kind,
      r.receivedOn,
      r.channel,
      r.requesterKind,
      r.requesterName ?? null,
      r.requesterContact ?? null,
      r.requesterPersonId ?? null,
      r.verified ?? null,
      r.verified ? r.receivedOn : null,
      language,
      r.askedFor,
      r.assigned ? officer : null,
      r.status,
      r.extensionNoticeOn ?? null,
      r.extensionNoticeOn ? (sv ? 'Begäran omfattar många handlingar från flera år.' : 'Kravet omfatter mange dokumenter fra flere år.') : null,
      r.extensionNoticeOn ? 2 : null,
      r.decidedOn ?? null,
      r.decidedOn ? officer : null,
      r.closedOn ?? null,
      opts.now,
      ACTOR,
      opts.now,
      ACTOR,
    );
    for (const p of r.persons) insPerson.run(randomUUID(), id, p.id, p.role, opts.now, ACTOR, opts.now, ACTOR);
  }
  // Documents about the child of the guardian's request: the review has letters to look at and regions to draw.
  seedDemoDocuments(sqlite, { childId: first.child_id, country, today, now: opts.now });
  return requests.length;
}

/** app_meta key the demo generator sets when the demo wants FOI requests (a local key: not a synced setting). */
export const DEMO_FOI_PENDING = 'demo_foi_requests';

/** Seeds the demo's FOI requests once the accounts exist, if the generator asked for them; the ask is then cleared. */
export function seedPendingDemoFoiRequests(sqlite: Database.Database, today: string, now: string): number {
  if (!sqlite.prepare('SELECT 1 FROM app_meta WHERE key = ?').get(DEMO_FOI_PENDING)) return 0;
  const country = sqlite.prepare('SELECT country FROM municipality LIMIT 1').pluck().get() === 'NO' ? 'NO' : 'SE';
  return sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM app_meta WHERE key = ?').run(DEMO_FOI_PENDING);
    return seedDemoFoiRequests(sqlite, { country, today, now });
  })();
}
