/**
 * Freedom-of-information and subject-access requests (issue 13; docs/foi.md): the vocabulary shared by the
 * core, the contract and the renderer. Zod-free, so the renderer bundle can import it.
 */

/** Sweden's begäran om allmän handling, Norway's innsynskrav, a GDPR art. 15 subject-access request (either country). */
export const FOI_KINDS = ['se_public_document', 'no_innsyn', 'gdpr_access'] as const;
export type FoiKind = (typeof FOI_KINDS)[number];

/** The kinds each country's municipality receives. */
export const FOI_KINDS_BY_COUNTRY = { SE: ['se_public_document', 'gdpr_access'], NO: ['no_innsyn', 'gdpr_access'] } as const satisfies Record<'SE' | 'NO', readonly FoiKind[]>;

/** How the request reached the office. */
export const FOI_CHANNELS = ['email', 'letter', 'counter', 'phone', 'web_form'] as const;
export type FoiChannel = (typeof FOI_CHANNELS)[number];

/**
 * Who asks: anyone without a name (the public-document kinds only: TF 2:18, offl. § 28 need no identity),
 * a named person, the data subject, or a guardian asking for a child's data.
 */
export const FOI_REQUESTER_KINDS = ['anonymous', 'named', 'subject', 'guardian'] as const;
export type FoiRequesterKind = (typeof FOI_REQUESTER_KINDS)[number];

/** How the requester's identity was verified (a subject or guardian must be, before review). */
export const FOI_VERIFICATIONS = ['e_id', 'id_document', 'register_custody'] as const;
export type FoiVerification = (typeof FOI_VERIFICATIONS)[number];

/**
 * Where a request stands: registered, records being gathered, secrecy review, waiting for the decision,
 * decided (the decision or the extract sent), closed; withdrawn by the requester.
 */
export const FOI_STATUSES = ['registered', 'gathering', 'review', 'decision', 'decided', 'closed', 'withdrawn'] as const;
export type FoiStatus = (typeof FOI_STATUSES)[number];

/**
 * The moves a status allows. Nothing is decided before review; a decided or closed request goes back to
 * review only with a reason (an appeal's reconsideration, a mistake), a withdrawn one back to registered.
 */
export const FOI_MOVES: Readonly<Record<FoiStatus, readonly FoiStatus[]>> = {
  registered: ['gathering', 'review', 'withdrawn'],
  gathering: ['review', 'withdrawn'],
  review: ['gathering', 'decision', 'withdrawn'],
  decision: ['review', 'decided'],
  decided: ['closed', 'review'],
  closed: ['review'],
  withdrawn: ['registered'],
};

/** Moves that reopen finished work and therefore need a reason. */
export const FOI_REOPENING: ReadonlySet<string> = new Set(['decided>review', 'closed>review', 'withdrawn>registered']);

/** Statuses with no work left: the deadlines no longer run. */
export const FOI_FINISHED: ReadonlySet<FoiStatus> = new Set(['decided', 'closed', 'withdrawn']);

/** A person concerned: the data subject (or the child a guardian asks about), a person on a requested list, anyone else named. */
export const FOI_PERSON_ROLES = ['subject', 'listed', 'other'] as const;
export type FoiPersonRole = (typeof FOI_PERSON_ROLES)[number];

/** The language of the requester's decision letter. */
export const FOI_LANGUAGES = ['sv', 'nb', 'en'] as const;
export type FoiLanguage = (typeof FOI_LANGUAGES)[number];

export const FOI_DEADLINE_STATES = ['open', 'due_today', 'overdue', 'deemed_refused', 'decided', 'decided_late'] as const;
export type FoiDeadlineState = (typeof FOI_DEADLINE_STATES)[number];

/** The dashboard's tabs: by deadline (due today, overdue, counts as refused), by work (review, decision), all open, all. */
export const FOI_FILTERS = ['due_today', 'overdue', 'deemed_refused', 'review', 'decision', 'open', 'all'] as const;
export type FoiFilter = (typeof FOI_FILTERS)[number];

export const FOI_LIMITS = { registryNumber: 60, name: 200, contact: 500, askedFor: 4000, reason: 1000, persons: 500 } as const;

/**
 * What a gathered item is (issue 13, step 4: gathering): one record held about a person concerned, by the
 * part of the register it comes from.
 */
export const FOI_ITEM_CATEGORIES = [
  'identity',
  'name',
  'address',
  'contact',
  'guardianship',
  'household',
  'placement',
  'enrolment',
  'application',
  'membership',
  'fee_line',
  'income',
  'document',
] as const;
export type FoiItemCategory = (typeof FOI_ITEM_CATEGORIES)[number];

/** Norway, offl. § 11: the merinnsyn assessment of an exemption that may be waived (fuller access given, or not). */
export const FOI_MERINNSYN = ['assessed_disclosed', 'assessed_withheld'] as const;
export type FoiMerinnsyn = (typeof FOI_MERINNSYN)[number];

/** A part's outcome in the secrecy review: disclosed, masked (shown as masked, with its ground), or withheld whole. */
export const FOI_OUTCOMES = ['disclose', 'mask', 'withhold'] as const;
export type FoiOutcome = (typeof FOI_OUTCOMES)[number];

/**
 * A legal ground a masked or withheld part names (the review's table: dated and editable in step 5; these are
 * the shipped defaults). `citation` is what the extract prints beside a mask.
 */
export interface FoiGround {
  code: string;
  /** The law's country; null: both (GDPR). */
  country: 'SE' | 'NO' | null;
  citation: string;
  title: { sv: string; nb: string; en: string };
  /**
   * The exemption may be waived (Norway: "kan gjere unntak"): masking on it needs the merinnsyn assessment of
   * offl. § 11. False for a duty of confidentiality (Sweden's secrecy, offl. § 13).
   */
  optional: boolean;
  validFrom: string;
  validTo: string | null;
}

export const DEFAULT_FOI_GROUNDS: readonly FoiGround[] = [
  {
    code: 'se_osl_21_3',
    country: 'SE',
    citation: 'OSL 21:3',
    title: { sv: 'Skyddade personuppgifter (bostadsadress och jämförbara uppgifter)', nb: 'Beskyttede personopplysninger (bostedsadresse o.l.)', en: 'Protected personal details (home address and the like)' },
    optional: false,
    validFrom: '2009-06-30',
    validTo: null,
  },
  {
    code: 'se_osl_21_1',
    country: 'SE',
    citation: 'OSL 21:1',
    title: { sv: 'Uppgift om hälsa eller sexualliv', nb: 'Opplysning om helse eller seksualliv', en: 'Information about health or sex life' },
    optional: false,
    validFrom: '2009-06-30',
    validTo: null,
  },
  {
    code: 'se_osl_23_1',
    country: 'SE',
    citation: 'OSL 23:1',
    title: { sv: 'Förskola: enskilds personliga förhållanden', nb: 'Barnehage: personlige forhold', en: 'Preschool: personal circumstances' },
    optional: false,
    validFrom: '2009-06-30',
    validTo: null,
  },
  {
    code: 'se_osl_23_2',
    country: 'SE',
    citation: 'OSL 23:2',
    title: { sv: 'Skolväsendet: elevhälsa, särskilt elevstöd och personliga förhållanden', nb: 'Skole: elevhelse, spesialundervisning og personlige forhold', en: 'School: pupil health, special support and personal circumstances' },
    optional: false,
    validFrom: '2009-06-30',
    validTo: null,
  },
  {
    code: 'se_osl_25_1',
    country: 'SE',
    citation: 'OSL 25:1',
    title: { sv: 'Hälso- och sjukvård', nb: 'Helse- og omsorgstjenester', en: 'Health care' },
    optional: false,
    validFrom: '2009-06-30',
    validTo: null,
  },
  {
    code: 'se_osl_26_1',
    country: 'SE',
    citation: 'OSL 26:1',
    title: { sv: 'Socialtjänst', nb: 'Sosialtjeneste', en: 'Social services' },
    optional: false,
    validFrom: '2009-06-30',
    validTo: null,
  },
  {
    code: 'no_offl_13_fvl_13',
    country: 'NO',
    citation: 'offl. § 13 jf. fvl. § 13 første ledd nr. 1',
    title: { sv: 'Tystnadsplikt: personliga förhållanden', nb: 'Teieplikt: personlige forhold', en: 'Duty of confidentiality: personal circumstances' },
    optional: false,
    validFrom: '2009-01-01',
    validTo: null,
  },
  {
    code: 'no_offl_14',
    country: 'NO',
    citation: 'offl. § 14',
    title: { sv: 'Organinterna handlingar', nb: 'Organinterne dokument', en: 'Internal documents' },
    optional: true,
    validFrom: '2009-01-01',
    validTo: null,
  },
  {
    code: 'gdpr_15_4',
    country: null,
    citation: 'GDPR art. 15.4',
    title: { sv: 'Andras rättigheter och friheter', nb: 'Andres rettigheter og friheter', en: 'The rights and freedoms of others' },
    optional: false,
    validFrom: '2018-05-25',
    validTo: null,
  },
];

/** The ground proposed for a protected or shielded person's whereabouts, by country. */
export const PROTECTED_GROUND: Readonly<Record<'SE' | 'NO', string>> = { SE: 'se_osl_21_3', NO: 'no_offl_13_fvl_13' };

/**
 * The columns each gathered record shows in review and in the extract, by record table, in order (bookkeeping,
 * sort keys and search text left out).
 */
export const FOI_ITEM_FIELDS: Readonly<Record<string, readonly string[]>> = {
  person: ['given_name', 'middle_name', 'family_name', 'preferred_name', 'id_canonical', 'reserve_number', 'birth_date', 'sex', 'status', 'nationality', 'mother_tongue'],
  person_name: ['given_name', 'middle_name', 'family_name', 'preferred_name', 'valid_from', 'valid_to'],
  person_address: ['kind', 'care_of', 'street', 'postal_code', 'city', 'country', 'valid_from', 'valid_to'],
  person_contact: ['kind', 'value', 'valid_from', 'valid_to'],
  guardianship: ['child_id', 'guardian_id', 'kind', 'lives_with', 'invoice_share', 'valid_from', 'valid_to'],
  household_member: ['household_id', 'role', 'shared', 'valid_from', 'valid_to'],
  placement: ['unit_id', 'group_id', 'school_form', 'weekly_hours', 'state', 'valid_from', 'valid_to', 'notice_given_on'],
  enrolment: ['unit_id', 'group_id', 'school_form', 'grade', 'valid_from', 'valid_to', 'end_reason'],
  application: ['school_form', 'applied_on', 'wished_start', 'weekly_hours', 'status'],
  group_membership: ['group_id', 'valid_from', 'valid_to'],
  fee_line: ['month', 'kind', 'child_id', 'unit_id', 'school_form', 'recipient_id', 'share_bp', 'amount'],
  income_declaration: ['valid_from', 'monthly_income', 'source'],
  person_document: ['title', 'kind', 'document_date', 'classification', 'classification_ground', 'pages'],
};

/**
 * The deadline rules the law and the Ombudsmen's practice give, shipped as the defaults (the contract's
 * `foiDeadlineRules` shape; the settings screen's "the law's values" puts them back).
 */
export const DEFAULT_FOI_DEADLINE_RULES = {
  // Skyndsamt: the same day; JO accepts a few days when a secrecy review is needed.
  se_public_document: { targetWorkingDays: 0, overdueAfterWorkingDays: 3 },
  // Practice: one to three working days; counts as refused after five (offentleglova § 32).
  no_innsyn: { targetWorkingDays: 3, deemedRefusedAfterWorkingDays: 5 },
  // One month, extendable by two further months (GDPR art. 12(3)).
  gdpr_access: { months: 1, extensionMonths: 2 },
  source: 'TF 2 kap. 15–16 §§ och JO:s praxis; offentleglova §§ 29 og 32; GDPR art. 12(3), förordning (EEG, Euratom) nr 1182/71 art. 3',
} as const;
