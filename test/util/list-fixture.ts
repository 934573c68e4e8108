/**
 * Direct inserts for list tests (core/lists): the lists read what other parts of the core write, and those
 * parts are not under test there. Shared by the list reader's tests and the list PDF's tests.
 */
import { randomUUID } from 'node:crypto';
import { makeSwedishPersonnummer } from '../../shared/identity';
import { foldText } from '../../shared/text';
import { searchTextOf, sortKeyOf } from '../../core/register/persons';
import { refreshShielding } from '../../core/register/shielding';
import type { TestCore } from './core';

const REC = `1, '2026-01-01T00:00:00.000Z', 'test', '2026-01-01T00:00:00.000Z', 'test'`;

export class Fixture {
  constructor(readonly core: TestCore) {}
  private get db() {
    return this.core.db.sqlite;
  }
  municipality(): string {
    const id = randomUUID();
    this.db.prepare(`INSERT INTO municipality (id, name, country, code, version, created_at, created_by, updated_at, updated_by) VALUES (?, 'Ekdala kommun', 'SE', '9999', ${REC})`).run(id);
    return id;
  }
  unit(muni: string, name: string, kind: 'administration' | 'school_unit' = 'school_unit', parent: string | null = null): string {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO org_unit (id, municipality_id, parent_id, kind, name, name_norm, school_forms, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, '["FKLASS","GR","FTH"]', ${REC})`,
      )
      .run(id, muni, parent, kind, name, foldText(name));
    return id;
  }
  group(unit: string, name: string, grade: number | null, form = 'GR', kind = 'class', year = 2026): string {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO school_group (id, unit_id, kind, name, name_norm, school_year, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ${REC})`,
      )
      .run(id, unit, kind, name, foldText(name), year, form, grade, `${year}-08-01`, `${year + 1}-07-31`);
    return id;
  }
  person(given: string, family: string, o: { birth?: string; protection?: string; serial?: number; child?: boolean } = {}): string {
    const id = randomUUID();
    const birth = o.birth ?? (o.child === false ? '1985-04-04' : '2017-05-05');
    const canonical = o.serial ? makeSwedishPersonnummer(birth, o.serial) : null;
    const names = { givenName: given, familyName: family, middleName: null, preferredName: null };
    this.db
      .prepare(
        `INSERT INTO person (id, id_kind, id_canonical, id_short, id_country, birth_date, status, given_name, family_name, sort_key, search_text, protection, is_child, is_guardian,
           version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?, ?, ?, ${REC})`,
      )
      .run(
        id,
        canonical ? 'se_personnummer' : null,
        canonical,
        canonical?.slice(2) ?? null,
        canonical ? 'SE' : null,
        birth,
        given,
        family,
        sortKeyOf(names, 'SE'),
        searchTextOf({ ...names, idCanonical: canonical, idShort: canonical?.slice(2) ?? null }),
        o.protection ?? 'none',
        o.child === false ? 0 : 1,
        o.child === false ? 1 : 0,
      );
    // Behind the core's back, so the shielding flag is kept the way every core write keeps it.
    refreshShielding(this.core.ctx, [id]);
    return id;
  }
  enrol(pupil: string, unit: string, group: string | null, grade: number, from = '2026-08-01', to: string | null = null, form = 'GR'): string {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO enrolment (id, pupil_id, unit_id, group_id, school_form, grade, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${REC})`,
      )
      .run(id, pupil, unit, group, form, grade, from, to);
    if (group) {
      this.db
        .prepare(
          `INSERT INTO group_membership (id, group_id, person_id, valid_from, valid_to, source_id, version, created_at, created_by, updated_at, updated_by)
           VALUES (?, ?, ?, ?, ?, ?, ${REC})`,
        )
        .run(randomUUID(), group, pupil, from, to, id);
    }
    return id;
  }
  place(child: string, unit: string, group: string | null, o: { state?: string; from?: string; to?: string | null; notice?: string | null; hours?: number | null; form?: string } = {}): string {
    const id = randomUUID();
    this.db
      .prepare(
        `INSERT INTO placement (id, child_id, unit_id, group_id, school_form, valid_from, valid_to, weekly_hours, reason, state, notice_given_on,
           version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'care_need', ?, ?, ${REC})`,
      )
      .run(id, child, unit, group, o.form ?? 'FTH', o.from ?? '2026-08-01', o.to ?? null, o.hours ?? null, o.state ?? 'accepted', o.notice ?? null);
    return id;
  }
  guardian(child: string, guardian: string, o: { shielded?: boolean; from?: string; to?: string | null } = {}): void {
    this.db
      .prepare(
        `INSERT INTO guardianship (id, child_id, guardian_id, kind, lives_with, invoice_share, shielded, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by)
         VALUES (?, ?, ?, 'vardnadshavare', 1, 50, ?, ?, ?, ${REC})`,
      )
      .run(randomUUID(), child, guardian, o.shielded ? 1 : 0, o.from ?? '2017-05-05', o.to ?? null);
    refreshShielding(this.core.ctx, [child, guardian]);
  }
  contact(person: string, kind: 'phone' | 'mobile' | 'email', value: string, from = '2020-01-01', to: string | null = null): void {
    this.db
      .prepare(`INSERT INTO person_contact (id, person_id, kind, value, valid_from, valid_to, version, created_at, created_by, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ${REC})`)
      .run(randomUUID(), person, kind, value, from, to);
  }
}
