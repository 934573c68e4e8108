/**
 * The core's domains and the method prefixes each one answers (zod-free: the contract test, the handler
 * registry and tooling read it without the schemas).
 *
 * A domain is a folder: its contract module is shared/api/<domain>.ts and its handler map is
 * core/<domain>/handlers.ts. A method's prefix (the part before the dot) names its domain through this
 * table. The prefixes are the method names the register has used since the first release and that the
 * audit log stores (and the renderer, the CLI and the log's readers call); renaming every method to its
 * folder's name would split one method's history in the log across two names, so the table is the
 * declared mapping instead, and the test keeps it exact: every prefix in exactly one domain, every
 * method of a domain's module under one of its prefixes, every handler in its domain's folder.
 */
export const DOMAIN_PREFIXES = {
  access: ['session', 'auth', 'user', 'policy'],
  register: ['person', 'search'],
  org: ['org', 'unit', 'group'],
  audit: ['audit'],
  guardians: ['guardianship', 'household', 'care'],
  placements: ['placement', 'enrolment', 'application', 'rollover', 'placementRules'],
  lists: ['list'],
  jobs: ['job', 'mutation'],
  imports: ['import', 'worklist', 'intake', 'csvMapping'],
  sync: ['sync'],
  fees: ['income', 'fee'],
  foi: ['foi'],
  documents: ['document'],
} as const;

export type Domain = keyof typeof DOMAIN_PREFIXES;
export const DOMAINS = Object.keys(DOMAIN_PREFIXES) as Domain[];

/** The domain a method belongs to, by its prefix; null for a name no domain declares. */
export function domainOf(method: string): Domain | null {
  const prefix = method.slice(0, method.indexOf('.'));
  for (const d of DOMAINS) if ((DOMAIN_PREFIXES[d] as readonly string[]).includes(prefix)) return d;
  return null;
}
