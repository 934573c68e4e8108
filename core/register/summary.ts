import type { PersonSummary } from '../../shared/api/schemas';
import { formatIdentityNumber } from '../../shared/identity';

/** Columns every person list reads; never an address or contact column (protected persons appear in lists). */
export const SUMMARY_COLUMNS = `p.id, p.given_name, p.middle_name, p.family_name, p.preferred_name, p.id_kind, p.id_canonical,
  p.id_country, p.reserve_number, p.birth_date, p.sex, p.status, p.protection, p.is_child, p.is_guardian, p.is_staff`;

export interface SummaryRow {
  id: string;
  given_name: string;
  middle_name: string | null;
  family_name: string;
  preferred_name: string | null;
  id_kind: string | null;
  id_canonical: string | null;
  id_country: string | null;
  reserve_number: string | null;
  birth_date: string | null;
  sex: 'F' | 'M' | 'X' | null;
  status: 'active' | 'emigrated' | 'deceased';
  protection: string;
  is_child: number;
  is_guardian: number;
  is_staff: number;
}

export function toSummary(r: SummaryRow, today: string): PersonSummary {
  const roles: PersonSummary['roles'] = [];
  if (r.is_child) roles.push('child');
  if (r.is_guardian) roles.push('guardian');
  if (r.is_staff) roles.push('staff');
  return {
    id: r.id,
    givenName: r.given_name,
    middleName: r.middle_name,
    familyName: r.family_name,
    preferredName: r.preferred_name,
    identity:
      r.id_canonical && r.id_kind && r.id_country
        ? {
            kind: r.id_kind as NonNullable<PersonSummary['identity']>['kind'],
            country: r.id_country as 'SE' | 'NO',
            display: formatIdentityNumber(r.id_canonical, { today }),
          }
        : null,
    reserveNumber: r.reserve_number,
    birthDate: r.birth_date,
    sex: r.sex,
    status: r.status,
    roles,
    protected: r.protection !== 'none',
  };
}
