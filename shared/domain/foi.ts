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
