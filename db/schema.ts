/**
 * Drizzle schema of the workstation's local SQLite database.
 *
 * Every record is ready for sync and audit: a UUID id made where the record is created, a `version` that
 * increments on each write (optimistic concurrency, sync), created/updated timestamps (UTC ISO) and actor,
 * and a soft-delete tombstone where history matters. Effective-dated facts carry valid_from/valid_to
 * (inclusive ISO dates; valid_to null = open-ended) and are never overwritten by a change, only ended.
 */
import { sql } from 'drizzle-orm';
import { blob, check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

const recordColumns = () => ({
  version: integer('version').notNull().default(1),
  createdAt: text('created_at').notNull(),
  createdBy: text('created_by').notNull(),
  updatedAt: text('updated_at').notNull(),
  updatedBy: text('updated_by').notNull(),
});
const effectiveColumns = () => ({
  validFrom: text('valid_from').notNull(),
  validTo: text('valid_to'),
});

export const municipality = sqliteTable('municipality', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  country: text('country', { enum: ['SE', 'NO'] }).notNull(),
  /** Kommunkod (SE, 4 digits) / kommunenummer (NO, 4 digits). */
  code: text('code').notNull(),
  orgNumber: text('org_number'),
  ...recordColumns(),
});

/** Administrations and school units in one tree (huvudman → förvaltning → skolenhet). */
export const orgUnit = sqliteTable(
  'org_unit',
  {
    id: text('id').primaryKey(),
    municipalityId: text('municipality_id')
      .notNull()
      .references(() => municipality.id),
    parentId: text('parent_id'),
    kind: text('kind', { enum: ['administration', 'school_unit'] }).notNull(),
    name: text('name').notNull(),
    /** Normalised (lower case, diacritics folded) for search. */
    nameNorm: text('name_norm').notNull(),
    /** The name's collation key in the municipality country's alphabet (shared/collation.ts), for ORDER BY. */
    sortKey: text('sort_key').notNull().default(''),
    /** Skolenhetskod (SE, 8 digits). */
    schoolUnitCode: text('school_unit_code'),
    orgNumber: text('org_number'),
    /** GSI number (NO). */
    gsiCode: text('gsi_code'),
    /** JSON array of school form codes. */
    schoolForms: text('school_forms').notNull().default('[]'),
    visitingAddress: text('visiting_address'),
    /** The unit's lifetime (inclusive ISO dates; null = not limited): placements must fall inside it. */
    openedOn: text('opened_on'),
    closedOn: text('closed_on'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    index('org_unit_parent').on(t.parentId),
    uniqueIndex('org_unit_school_unit_code').on(t.schoolUnitCode).where(sql`school_unit_code is not null and deleted_at is null`),
    uniqueIndex('org_unit_gsi_code').on(t.gsiCode).where(sql`gsi_code is not null and deleted_at is null`),
  ],
);

/** Class, department (avdelning) or teaching group, for one school year (the autumn's calendar year). */
export const schoolGroup = sqliteTable(
  'school_group',
  {
    id: text('id').primaryKey(),
    unitId: text('unit_id')
      .notNull()
      .references(() => orgUnit.id),
    kind: text('kind', { enum: ['class', 'department', 'teaching_group'] }).notNull(),
    name: text('name').notNull(),
    nameNorm: text('name_norm').notNull(),
    /** The name's collation key in the municipality country's alphabet (shared/collation.ts), for ORDER BY. */
    sortKey: text('sort_key').notNull().default(''),
    schoolYear: integer('school_year').notNull(),
    schoolForm: text('school_form').notNull(),
    /** Årskurs / trinn; null for preschool departments. */
    grade: integer('grade'),
    /** The group's lifetime (inclusive): by default its school year, 1 August to 31 July. */
    validFrom: text('valid_from'),
    validTo: text('valid_to'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [index('school_group_unit_year').on(t.unitId, t.schoolYear), index('school_group_name').on(t.nameNorm, t.schoolYear)],
);

export const person = sqliteTable(
  'person',
  {
    id: text('id').primaryKey(),
    idKind: text('id_kind'),
    /** Canonical identity number (SE 12 digits, NO 11 digits); null for persons without one. */
    idCanonical: text('id_canonical'),
    /** Digits as clerks type them without century (SE YYMMDDNNNC; NO the 11 digits), for partial search. */
    idShort: text('id_short'),
    idCountry: text('id_country'),
    /**
     * Reservnummer: a local number the municipality gives a person who has neither personnummer nor
     * samordningsnummer yet (newly arrived). Only for persons without an identity number.
     */
    reserveNumber: text('reserve_number'),
    birthDate: text('birth_date'),
    sex: text('sex', { enum: ['F', 'M', 'X'] }),
    status: text('status', { enum: ['active', 'emigrated', 'deceased'] }).notNull(),
    // Current name, denormalised from person_name for fast lists; person_name holds the history.
    givenName: text('given_name').notNull(),
    middleName: text('middle_name'),
    familyName: text('family_name').notNull(),
    preferredName: text('preferred_name'),
    /** Collation key: normalised "family given" for ordering lists. */
    sortKey: text('sort_key').notNull(),
    /** Normalised names and identity digits; indexed by person_fts (trigram). Never holds an address. */
    searchText: text('search_text').notNull(),
    nationality: text('nationality'),
    motherTongue: text('mother_tongue'),
    maalform: text('maalform', { enum: ['nb', 'nn'] }),
    /** Language the person wants letters and messages in (BCP 47, e.g. "sv", "ar"); guardians mainly. */
    preferredLanguage: text('preferred_language'),
    /** Whether the school may send messages (SMS, e-mail) to this person. */
    messagesAllowed: integer('messages_allowed', { mode: 'boolean' }).notNull().default(true),
    protection: text('protection').notNull().default('none'),
    /**
     * The day the current protection began (ISO date), kept by the core when the level goes from none to a
     * level and cleared when it goes back to none. Null while protected means unknown (persons protected
     * before this column existed): then every ended link counts for shielding, the conservative reading.
     */
    protectedSince: text('protected_since'),
    /**
     * Derived, kept by core/register/shielding.ts in the same transaction as every write that can change it:
     * the person is protected, or shares a guardianship or a household with a protected person (the rule is
     * written out there). Read on every card and list instead of walking the links per person.
     */
    shielded: integer('shielded', { mode: 'boolean' }).notNull().default(false),
    /**
     * Where the person is registered (folkbokförd / bosatt) as the population register last said: the
     * municipality code (kommunkod / kommunenummer) and the register's catchment (SE distrikt, NO
     * skolekrets). Null for persons the register has not described. Kept by the imports.
     */
    registeredMunicipality: text('registered_municipality'),
    registeredDistrict: text('registered_district'),
    /** Which register last described the person ('navet', 'freg', 'csv'); a full file's absentees are found by it. */
    registerSource: text('register_source'),
    /** Role flags kept by the core on writes (child, guardian, staff), for fast filtering. */
    isChild: integer('is_child', { mode: 'boolean' }).notNull().default(false),
    isGuardian: integer('is_guardian', { mode: 'boolean' }).notNull().default(false),
    isStaff: integer('is_staff', { mode: 'boolean' }).notNull().default(false),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    uniqueIndex('person_id_canonical').on(t.idCanonical).where(sql`id_canonical is not null and deleted_at is null`),
    index('person_id_short').on(t.idShort),
    uniqueIndex('person_reserve_number').on(t.reserveNumber).where(sql`reserve_number is not null and deleted_at is null`),
    index('person_sort').on(t.sortKey),
    // Partial indexes for the virtualised person list: OFFSET then steps index entries only, never table rows.
    index('person_list_all').on(t.sortKey).where(sql`deleted_at is null`),
    index('person_list_child').on(t.sortKey).where(sql`deleted_at is null and is_child = 1`),
    index('person_list_guardian').on(t.sortKey).where(sql`deleted_at is null and is_guardian = 1`),
    index('person_list_staff').on(t.sortKey).where(sql`deleted_at is null and is_staff = 1`),
    // The list sorted by birth date or by number (identity number, else reserve number, else last): the role and
    // status flags ride along so a filtered list's OFFSET also steps index entries only.
    index('person_list_birth').on(t.birthDate, t.sortKey, t.isChild, t.isGuardian, t.isStaff, t.status).where(sql`deleted_at is null`),
    index('person_list_number')
      .on(sql`coalesce(${t.idCanonical}, ${t.reserveNumber}, '~')`, t.sortKey, t.isChild, t.isGuardian, t.isStaff, t.status)
      .where(sql`deleted_at is null`),
    index('person_birth').on(t.birthDate),
    // The protected and shielded persons, whose addresses and contacts the server's feed withholds: read
    // after every change to the replica, a few thousand index entries instead of a scan of every person.
    index('person_withheld').on(t.id).where(sql`(protection <> 'none' or shielded = 1) and deleted_at is null`),
    check('person_protection', sql`protection in ('none','se_sekretessmarkering','se_skyddad_folkbokforing','no_klientadresse','no_fortrolig','no_strengt_fortrolig')`),
  ],
);

/** One row per normalised name word: prefix search with an index range scan, ordered by the word. */
export const personNameToken = sqliteTable(
  'person_name_token',
  {
    token: text('token').notNull(),
    /** Copy of person.sort_key so a prefix scan returns names in order straight from the index. */
    sortKey: text('sort_key').notNull(),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
  },
  (t) => [index('person_name_token_token').on(t.token, t.sortKey, t.personId), index('person_name_token_person').on(t.personId)],
);

export const personName = sqliteTable(
  'person_name',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    givenName: text('given_name').notNull(),
    middleName: text('middle_name'),
    familyName: text('family_name').notNull(),
    preferredName: text('preferred_name'),
    ...effectiveColumns(),
    ...recordColumns(),
  },
  (t) => [index('person_name_person').on(t.personId)],
);

export const personAddress = sqliteTable(
  'person_address',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    kind: text('kind', { enum: ['registered', 'postal', 'temporary'] }).notNull(),
    careOf: text('care_of'),
    street: text('street').notNull(),
    postalCode: text('postal_code').notNull(),
    city: text('city').notNull(),
    country: text('country').notNull(),
    ...effectiveColumns(),
    ...recordColumns(),
  },
  // With the dates: "has an address in force" (the fee run's recipients) is answered from the index alone.
  (t) => [index('person_address_person').on(t.personId, t.validFrom, t.validTo)],
);

export const personContact = sqliteTable(
  'person_contact',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    kind: text('kind', { enum: ['phone', 'mobile', 'email'] }).notNull(),
    value: text('value').notNull(),
    ...effectiveColumns(),
    ...recordColumns(),
  },
  // Covering for a class list's contacts (core/lists/lists.ts): no table lookup per guardian.
  (t) => [index('person_contact_person').on(t.personId, t.validFrom, t.validTo, t.kind, t.value)],
);

export const groupMembership = sqliteTable(
  'group_membership',
  {
    id: text('id').primaryKey(),
    groupId: text('group_id')
      .notNull()
      .references(() => schoolGroup.id),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    ...effectiveColumns(),
    /** The enrolment or placement this membership follows (kept by the core in the same transaction). */
    sourceId: text('source_id'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    index('group_membership_group').on(t.groupId, t.validFrom),
    index('group_membership_person').on(t.personId),
    index('group_membership_source').on(t.sourceId),
  ],
);

export const staffDuty = sqliteTable(
  'staff_duty',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    unitId: text('unit_id')
      .notNull()
      .references(() => orgUnit.id),
    role: text('role').notNull(),
    /** Percentage of full time in hundredths (10000 = 100 %), integer to avoid float drift. */
    percentHundredths: integer('percent_hundredths').notNull(),
    ...effectiveColumns(),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [index('staff_duty_person').on(t.personId), index('staff_duty_unit').on(t.unitId)],
);

/** Guardianship (vårdnadshavare / foreldreansvar, or annan ansvarig, god man, utsedd behörig) between a child and an adult. */
export const guardianship = sqliteTable(
  'guardianship',
  {
    id: text('id').primaryKey(),
    childId: text('child_id')
      .notNull()
      .references(() => person.id),
    guardianId: text('guardian_id')
      .notNull()
      .references(() => person.id),
    kind: text('kind').notNull(),
    /** The adult lives with the child (bor med barnet). */
    livesWith: integer('lives_with', { mode: 'boolean' }).notNull().default(false),
    /** Share of the child's invoices this adult receives, in whole percent; 0 = receives no invoices. */
    invoiceShare: integer('invoice_share').notNull().default(0),
    /**
     * The child is shielded from this guardian by a court decision: the guardian receives nothing about the
     * child (no letters, class lists, invoices showing the child's address, exports).
     */
    shielded: integer('shielded', { mode: 'boolean' }).notNull().default(false),
    ...effectiveColumns(),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  // guardianship_child covers the class list's question (core/lists/lists.ts): a list of 745 pupils asks it 745 times.
  (t) => [
    // Covering for the fee run's read of every fee child's guardians (the invoice share with them).
    index('guardianship_child').on(t.childId, t.guardianId, t.validFrom, t.validTo, t.shielded, t.deletedAt, t.invoiceShare),
    index('guardianship_guardian').on(t.guardianId),
  ],
);

/**
 * A household (hushåll): adults and children who live together. Membership is effective-dated; a child in
 * shared residence (växelvis boende / delt bosted) is a member of two households over the same dates.
 */
export const household = sqliteTable('household', {
  id: text('id').primaryKey(),
  deletedAt: text('deleted_at'),
  ...recordColumns(),
});

export const householdMember = sqliteTable(
  'household_member',
  {
    id: text('id').primaryKey(),
    householdId: text('household_id')
      .notNull()
      .references(() => household.id),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    role: text('role', { enum: ['adult', 'child'] }).notNull(),
    /** Shared residence: the child lives alternately here and in one other household. */
    shared: integer('shared', { mode: 'boolean' }).notNull().default(false),
    /**
     * Shared residence under the fee setting "declared split": this household's part of the child's fee in
     * basis points (5 000 = half). Null: not declared (half, with a warning on the fee run).
     */
    feeShareBp: integer('fee_share_bp'),
    ...effectiveColumns(),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [index('household_member_household').on(t.householdId, t.validFrom), index('household_member_person').on(t.personId)],
);

/**
 * A household's income for fees (issue 12): declared by the household with the date from which it applies,
 * or marked not declared (then the fee is the cap). Per month, in öre. A later declaration takes over from
 * its date; a correction (the yearly check against taxed income) is a new declaration with its source.
 * Readable only with fee.read: no other role's cache holds it (server/engine/projection.ts).
 */
export const incomeDeclaration = sqliteTable(
  'income_declaration',
  {
    id: text('id').primaryKey(),
    householdId: text('household_id')
      .notNull()
      .references(() => household.id),
    validFrom: text('valid_from').notNull(),
    /** Gross income per month in öre; null when the household has not declared it. */
    monthlyIncome: integer('monthly_income'),
    source: text('source', { enum: ['declared', 'not_declared', 'income_check', 'administrator'] }).notNull(),
    note: text('note'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    index('income_declaration_household').on(t.householdId, t.validFrom),
    check('income_declaration_amount', sql`(${t.source} = 'not_declared') = (${t.monthlyIncome} IS NULL) AND (${t.monthlyIncome} IS NULL OR ${t.monthlyIncome} >= 0)`),
  ],
);

/**
 * A yearly income check (issue 12; docs/fees.md "The income check"): the household's taxed income for a
 * year compared with what it declared. Beyond the municipality's threshold the checked income (taxed / 12)
 * replaces the declared income for every month of that year that had one, and the next fee run corrects
 * those months. A later check of the same household and year supersedes an earlier one; both stay.
 */
export const incomeCheck = sqliteTable(
  'income_check',
  {
    id: text('id').primaryKey(),
    householdId: text('household_id')
      .notNull()
      .references(() => household.id),
    year: integer('year').notNull(),
    /** The household's taxed income for the year, in öre (the adults' together). */
    taxedIncome: integer('taxed_income').notNull(),
    /** taxed_income / 12, rounded half up to the öre: the monthly income the check gives. */
    checkedMonthly: integer('checked_monthly').notNull(),
    /** The average of the declared monthly incomes in force in the year's months that had one; null: none had. */
    declaredMonthly: integer('declared_monthly'),
    /** How many months of the year had a declared income in force. */
    monthsDeclared: integer('months_declared').notNull(),
    /** The municipality's threshold (öre per month) when checked. */
    threshold: integer('threshold').notNull(),
    /** Within the threshold (nothing changes), corrected (the checked income applies), or nothing declared to check. */
    outcome: text('outcome', { enum: ['within', 'corrected', 'not_declared'] }).notNull(),
    note: text('note'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    index('income_check_household').on(t.householdId, t.year),
    check('income_check_amounts', sql`${t.taxedIncome} >= 0 AND ${t.checkedMonthly} >= 0 AND ${t.threshold} >= 0 AND ${t.monthsDeclared} BETWEEN 0 AND 12`),
  ],
);

/**
 * A Norwegian fee reduction granted for a child (issue 12; docs/fees.md "The Norwegian run"): the national
 * rule (SFO/AKS grades 1–4, at most 6 % of household income, on application for a school year), a
 * documented illness of four weeks or more (the days it covers are not charged), or a special-needs place the
 * municipality made free. From and to inclusive; to null: until further notice. Readable only with fee.read.
 */
export const feeReduction = sqliteTable(
  'fee_reduction',
  {
    id: text('id').primaryKey(),
    childId: text('child_id')
      .notNull()
      .references(() => person.id),
    kind: text('kind', { enum: ['national_rule', 'illness', 'special_needs'] }).notNull(),
    validFrom: text('valid_from').notNull(),
    validTo: text('valid_to'),
    note: text('note'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [index('fee_reduction_child').on(t.childId, t.validFrom), check('fee_reduction_dates', sql`valid_to is null or valid_to >= valid_from`)],
);

/**
 * A freedom-of-information or subject-access request (issue 13; docs/foi.md "Requests"). Not a care record
 * of its requester or of the persons concerned (no person column in the write path): a record of the FOI
 * officers' own, synced only to caches of users with foi.read. Never deleted: a registered request is itself
 * a public document; one registered by mistake is withdrawn.
 */
export const foiRequest = sqliteTable(
  'foi_request',
  {
    id: text('id').primaryKey(),
    /** The municipality's registry (diarie/journal) number, when it keeps one outside Kansli. */
    registryNumber: text('registry_number'),
    kind: text('kind', { enum: ['se_public_document', 'no_innsyn', 'gdpr_access'] }).notNull(),
    receivedOn: text('received_on').notNull(),
    channel: text('channel', { enum: ['email', 'letter', 'counter', 'phone', 'web_form'] }).notNull(),
    requesterKind: text('requester_kind', { enum: ['anonymous', 'named', 'subject', 'guardian'] }).notNull(),
    requesterName: text('requester_name'),
    requesterContact: text('requester_contact'),
    /** The requester in the register: the data subject, a guardian. */
    requesterPersonId: text('requester_person_id').references(() => person.id),
    identityVerified: text('identity_verified', { enum: ['e_id', 'id_document', 'register_custody'] }),
    identityVerifiedOn: text('identity_verified_on'),
    /** The decision letter's language. */
    language: text('language', { enum: ['sv', 'nb', 'en'] }).notNull(),
    askedFor: text('asked_for').notNull(),
    assigneeId: text('assignee_id').references(() => userAccount.id),
    status: text('status', { enum: ['registered', 'gathering', 'review', 'decision', 'decided', 'closed', 'withdrawn'] }).notNull(),
    /** The last status move's reason (a reopening, a withdrawal). */
    statusReason: text('status_reason'),
    extensionNoticeOn: text('extension_notice_on'),
    extensionReason: text('extension_reason'),
    /** The further months the extension gave (the rules' figure when it was notified: a later change of the rules does not move it). */
    extensionMonths: integer('extension_months'),
    decidedOn: text('decided_on'),
    decidedBy: text('decided_by').references(() => userAccount.id),
    closedOn: text('closed_on'),
    ...recordColumns(),
  },
  (t) => [
    index('foi_request_status').on(t.status, t.receivedOn),
    index('foi_request_requester').on(t.requesterPersonId),
    check('foi_request_anonymous', sql`NOT (${t.requesterKind} = 'anonymous' AND ${t.kind} = 'gdpr_access')`),
    check('foi_request_requester_person', sql`${t.requesterKind} NOT IN ('subject', 'guardian') OR ${t.requesterPersonId} IS NOT NULL`),
    check('foi_request_extension', sql`${t.extensionNoticeOn} IS NULL OR ${t.kind} = 'gdpr_access'`),
    check('foi_request_decided', sql`(${t.decidedOn} IS NULL) = (${t.decidedBy} IS NULL) AND (${t.decidedOn} IS NULL OR ${t.decidedOn} >= ${t.receivedOn})`),
  ],
);

/** A person a request concerns (the subject, a pupil on a requested list, another named person); removed ones stay for sync and history. */
export const foiRequestPerson = sqliteTable(
  'foi_request_person',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => foiRequest.id),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    role: text('role', { enum: ['subject', 'listed', 'other'] }).notNull(),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    uniqueIndex('foi_request_person_once').on(t.requestId, t.personId).where(sql`deleted_at is null`),
    index('foi_request_person_person').on(t.personId),
  ],
);

/**
 * A record gathered for a request (issue 13, step 4; docs/foi.md "Gathering"): a reference to one record held
 * about a person concerned, never a copy of its values (those are read through the core's own readers when
 * shown, so every protection applies), with the hash of its values when gathered (a later change shows) and
 * the outcome proposed for the review. Gathering again keeps what is still there and marks what went.
 */
export const foiItem = sqliteTable(
  'foi_item',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => foiRequest.id),
    /** The person concerned it was gathered for. */
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    category: text('category', {
      enum: ['identity', 'name', 'address', 'contact', 'guardianship', 'household', 'placement', 'enrolment', 'application', 'membership', 'fee_line', 'income', 'document'],
    }).notNull(),
    /** The record table and id it refers to. */
    entity: text('entity').notNull(),
    recordId: text('record_id').notNull(),
    /** SHA-256 of the record's stored values when gathered. */
    contentHash: text('content_hash').notNull(),
    /** {outcome, ground, fields?}: the review's starting point (JSON). */
    proposal: text('proposal').notNull(),
    /** The record no longer exists or no longer concerns the person (a later gathering); kept for the history. */
    goneAt: text('gone_at'),
    /** The officer's review (step 5): the item's outcome; null: not reviewed yet. */
    outcome: text('outcome', { enum: ['disclose', 'mask', 'withhold'] }),
    /** The ground of a masked or withheld item (a code of the grounds table). */
    ground: text('ground'),
    /** Fields masked on their own (JSON {field: {outcome, ground}}); the rest follow the item's outcome. */
    fieldReview: text('field_review'),
    reason: text('reason'),
    /** Norway, offl. § 11: where the exemption is optional, whether fuller access was assessed and given. */
    merinnsyn: text('merinnsyn', { enum: ['assessed_disclosed', 'assessed_withheld'] }),
    reviewedBy: text('reviewed_by').references(() => userAccount.id),
    reviewedAt: text('reviewed_at'),
    /** The record's hash when reviewed: a later change calls for a new review. */
    reviewedHash: text('reviewed_hash'),
    ...recordColumns(),
  },
  (t) => [
    // (The review's rules are the core's: columns added without a table rebuild, so no CHECK here.)
    uniqueIndex('foi_item_once').on(t.requestId, t.entity, t.recordId, t.personId),
    index('foi_item_request').on(t.requestId, t.category),
  ],
);

/**
 * The disclosure log (issue 13, step 7; docs/foi.md "Decision and disclosure"): what was disclosed, to whom
 * (the requester's kind; their name stays on the request), when and under which decision, with the hash of
 * the extract sent. Append-only: the core has no method that changes or removes a row.
 */
export const foiDisclosure = sqliteTable(
  'foi_disclosure',
  {
    id: text('id').primaryKey(),
    requestId: text('request_id')
      .notNull()
      .references(() => foiRequest.id),
    disclosedOn: text('disclosed_on').notNull(),
    channel: text('channel', { enum: ['email', 'letter', 'counter', 'phone', 'web_form'] }).notNull(),
    recipientKind: text('recipient_kind', { enum: ['anonymous', 'named', 'subject', 'guardian'] }).notNull(),
    /** The persons whose data the extract held (JSON array of ids): "who was my data disclosed to". */
    persons: text('persons').notNull(),
    extractSha256: text('extract_sha256').notNull(),
    pages: integer('pages').notNull(),
    masked: integer('masked').notNull(),
    withheld: integer('withheld').notNull(),
    /** The decision it follows (the request's decision day and decider when disclosed). */
    decidedOn: text('decided_on').notNull(),
    decidedBy: text('decided_by').references(() => userAccount.id),
    ...recordColumns(),
  },
  (t) => [index('foi_disclosure_request').on(t.requestId), check('foi_disclosure_counts', sql`${t.pages} > 0 AND ${t.masked} >= 0 AND ${t.withheld} >= 0`)],
);

/**
 * A document held about a person (issue 13; docs/foi.md "Documents"): its description, classification and
 * retention class, and the content it points to by hash (document_content). The content never changes; a
 * document attached by mistake is removed (kept as removed, content too, for the history and the archive).
 */
export const personDocument = sqliteTable(
  'person_document',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    title: text('title').notNull(),
    kind: text('kind', { enum: ['decision', 'letter', 'application', 'certificate', 'report', 'other'] }).notNull(),
    documentDate: text('document_date').notNull(),
    classification: text('classification', { enum: ['open', 'confidential'] }).notNull(),
    classificationGround: text('classification_ground'),
    retentionClass: text('retention_class', { enum: ['permanent', 'years_1', 'years_3', 'years_5', 'years_10', 'when_obsolete'] }).notNull(),
    fileName: text('file_name').notNull(),
    mime: text('mime', { enum: ['application/pdf', 'image/png', 'image/jpeg'] }).notNull(),
    size: integer('size').notNull(),
    pages: integer('pages').notNull(),
    /** The content's SHA-256 (hex): document_content's key. */
    contentSha256: text('content_sha256').notNull(),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    index('person_document_person').on(t.personId, t.documentDate),
    check('person_document_ground', sql`${t.classification} = 'confidential' OR ${t.classificationGround} IS NULL`),
    check('person_document_size', sql`${t.size} > 0 AND ${t.pages} > 0`),
  ],
);

/**
 * The content of documents, by SHA-256, inside the (encrypted) register database: one copy of a file attached
 * twice. Not a record: written once with the first document that names it, never changed.
 */
export const documentContent = sqliteTable('document_content', {
  sha256: text('sha256').primaryKey(),
  mime: text('mime').notNull(),
  size: integer('size').notNull(),
  bytes: blob('bytes', { mode: 'buffer' }).notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * A locked fee run (issue 12; docs/fees.md "The fee run"): a month's invoice basis, written once from its
 * preview and never changed after (posting only marks it handed to finance). Its lines are `fee_line`.
 * Readable only with fee.read, like incomes.
 */
export const feeRun = sqliteTable(
  'fee_run',
  {
    id: text('id').primaryKey(),
    month: text('month').notNull(),
    /** A month's regular run (charges and corrections), or a separate run of corrections (credit notes). */
    kind: text('kind', { enum: ['regular', 'credit_note'] }).notNull(),
    state: text('state', { enum: ['locked', 'posted'] }).notNull(),
    currency: text('currency', { enum: ['SEK', 'NOK'] }).notNull(),
    lineCount: integer('line_count').notNull(),
    total: integer('total').notNull(),
    /** JSON: totals per unit, form and rule, warnings by code, the difference from the previous run. */
    summary: text('summary').notNull(),
    /** sha256 of the rules and settings the lines were computed with (a later change recomputes locked months). */
    configHash: text('config_hash').notNull(),
    /** sha256 of the lines: the preview that was locked. */
    linesHash: text('lines_hash').notNull(),
    lockedAt: text('locked_at').notNull(),
    lockedBy: text('locked_by').notNull(),
    postedAt: text('posted_at'),
    postedBy: text('posted_by'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [index('fee_run_month').on(t.month, t.lockedAt)],
);

/**
 * One line of a locked fee run: a child's fee for a month from one household to one recipient, or a
 * correction of an earlier month (the difference between what was charged and what the rules give now),
 * referring to the line it corrects. The explanation (JSON) says how the amount was computed.
 */
export const feeLine = sqliteTable(
  'fee_line',
  {
    id: text('id').primaryKey(),
    runId: text('run_id')
      .notNull()
      .references(() => feeRun.id),
    /** The month the line charges (a correction: the earlier month it corrects). */
    month: text('month').notNull(),
    kind: text('kind', { enum: ['charge', 'correction'] }).notNull(),
    correctsLineId: text('corrects_line_id'),
    childId: text('child_id').notNull(),
    placementId: text('placement_id').notNull(),
    householdId: text('household_id').notNull(),
    unitId: text('unit_id').notNull(),
    schoolForm: text('school_form').notNull(),
    /** Who is invoiced; null when the placement has no one who may receive it (a warning of the run). */
    recipientId: text('recipient_id'),
    /** The recipient's part of the child's fee in the household, basis points. */
    shareBp: integer('share_bp').notNull(),
    /** öre/øre; negative for a credit. */
    amount: integer('amount').notNull(),
    explanation: text('explanation').notNull(),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [index('fee_line_run').on(t.runId), index('fee_line_child').on(t.childId, t.month), index('fee_line_month').on(t.month, t.householdId)],
);

/**
 * A fee run's preview (not a record: this workstation's or the server's working state, like an import's
 * dry run). Computed by a job; locking it recomputes, checks the result is the one previewed, and writes
 * `fee_run` and `fee_line` with the same id. A locked preview stays as the run's history of warnings.
 */
export const feePreview = sqliteTable(
  'fee_preview',
  {
    id: text('id').primaryKey(),
    month: text('month').notNull(),
    kind: text('kind', { enum: ['regular', 'credit_note'] }).notNull(),
    state: text('state', { enum: ['computing', 'ready', 'failed', 'locking', 'locked', 'discarded'] }).notNull(),
    lineCount: integer('line_count').notNull().default(0),
    total: integer('total').notNull().default(0),
    summary: text('summary'),
    configHash: text('config_hash'),
    linesHash: text('lines_hash'),
    jobId: text('job_id'),
    lockJobId: text('lock_job_id'),
    error: text('error'),
    createdBy: text('created_by').notNull(),
    createdByName: text('created_by_name').notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('fee_preview_created').on(t.createdAt)],
);

export const feePreviewLine = sqliteTable(
  'fee_preview_line',
  {
    previewId: text('preview_id').notNull(),
    n: integer('n').notNull(),
    /** The line's id once the run is locked (fee_line.id). */
    id: text('id').notNull(),
    month: text('month').notNull(),
    kind: text('kind', { enum: ['charge', 'correction'] }).notNull(),
    correctsLineId: text('corrects_line_id'),
    childId: text('child_id').notNull(),
    placementId: text('placement_id').notNull(),
    householdId: text('household_id').notNull(),
    unitId: text('unit_id').notNull(),
    schoolForm: text('school_form').notNull(),
    recipientId: text('recipient_id'),
    shareBp: integer('share_bp').notNull(),
    amount: integer('amount').notNull(),
    /**
     * A correction's explanation (JSON). NULL for a charge: a charge's explanation is computed when its line
     * is shown (the card's computation, fee.runLines) and written with the line when the run is locked;
     * writing 180 000 explanations took a quarter of the preview's time (docs/fees.md "The fee run").
     */
    explanation: text('explanation'),
  },
  // No index by child: storing a preview's 180 000 lines paid 0.45 s to keep one, and no screen filters a
  // preview by child (fee.runLines' childId filter reads the preview's rows in order instead).
  (t) => [primaryKey({ columns: [t.previewId, t.n] })],
);

/** What a preview found that the fee administrator should look at, per child (or household, or recipient). */
export const feePreviewWarning = sqliteTable(
  'fee_preview_warning',
  {
    previewId: text('preview_id').notNull(),
    code: text('code').notNull(),
    childId: text('child_id'),
    householdId: text('household_id'),
    personId: text('person_id'),
    month: text('month').notNull(),
  },
  (t) => [index('fee_preview_warning_preview').on(t.previewId, t.code)],
);

/**
 * Placement in preschool, pedagogisk omsorg, fritidshem or SFO/AKS (SS 12000 Placement). End date inclusive.
 * `state` is the workflow (offered → accepted, or declined); the status a clerk sees at a date (offered,
 * accepted, active, notice given, ended) is derived from the state, the dates and the notice.
 */
export const placement = sqliteTable(
  'placement',
  {
    id: text('id').primaryKey(),
    childId: text('child_id')
      .notNull()
      .references(() => person.id),
    unitId: text('unit_id')
      .notNull()
      .references(() => orgUnit.id),
    groupId: text('group_id').references(() => schoolGroup.id),
    schoolForm: text('school_form').notNull(),
    ...effectiveColumns(),
    /** Maximum weekly hours (SS 12000 maxWeeklyScheduleHours). */
    weeklyHours: integer('weekly_hours'),
    /** JSON: per weekday "HH:MM-HH:MM" or null, for a fixed schedule. */
    schedule: text('schedule'),
    reason: text('reason', { enum: ['care_need', 'offered_time', 'own_need'] }).notNull(),
    state: text('state', { enum: ['offered', 'accepted', 'declined'] }).notNull(),
    answerBy: text('answer_by'),
    applicationId: text('application_id'),
    noticeGivenOn: text('notice_given_on'),
    /** Set when the clerk overrode the computed last day of a notice. */
    noticeOverrideReason: text('notice_override_reason'),
    transferredFromId: text('transferred_from_id'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    index('placement_child').on(t.childId, t.validFrom),
    index('placement_unit').on(t.unitId, t.validFrom),
    index('placement_group').on(t.groupId),
    check('placement_dates', sql`valid_to is null or valid_to >= valid_from`),
  ],
);

/** The guardians who hold a placement (SS 12000 Placement.owners). */
export const placementOwner = sqliteTable(
  'placement_owner',
  {
    placementId: text('placement_id')
      .notNull()
      .references(() => placement.id),
    guardianId: text('guardian_id')
      .notNull()
      .references(() => person.id),
  },
  (t) => [uniqueIndex('placement_owner_pk').on(t.placementId, t.guardianId), index('placement_owner_guardian').on(t.guardianId)],
);

/** Enrolment of a pupil in a school unit: school form, grade (årskurs / trinn) and class. End date inclusive. */
export const enrolment = sqliteTable(
  'enrolment',
  {
    id: text('id').primaryKey(),
    pupilId: text('pupil_id')
      .notNull()
      .references(() => person.id),
    unitId: text('unit_id')
      .notNull()
      .references(() => orgUnit.id),
    groupId: text('group_id').references(() => schoolGroup.id),
    schoolForm: text('school_form').notNull(),
    grade: integer('grade').notNull(),
    ...effectiveColumns(),
    endReason: text('end_reason'),
    transferredFromId: text('transferred_from_id'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    index('enrolment_pupil').on(t.pupilId, t.validFrom),
    // Covering for a unit's class list (core/lists/lists.ts) apart from the pupil's person row.
    index('enrolment_unit').on(t.unitId, t.validFrom, t.validTo, t.deletedAt, t.pupilId, t.groupId, t.schoolForm, t.grade),
    index('enrolment_group').on(t.groupId),
    check('enrolment_dates', sql`valid_to is null or valid_to >= valid_from`),
  ],
);

/** Application for a preschool place (the queue), with preferred units in order. */
export const application = sqliteTable(
  'application',
  {
    id: text('id').primaryKey(),
    childId: text('child_id')
      .notNull()
      .references(() => person.id),
    schoolForm: text('school_form').notNull(),
    appliedOn: text('applied_on').notNull(),
    wishedStart: text('wished_start').notNull(),
    weeklyHours: integer('weekly_hours'),
    status: text('status', { enum: ['queued', 'offered', 'placed', 'withdrawn'] }).notNull(),
    note: text('note'),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [index('application_status').on(t.status, t.appliedOn), index('application_child').on(t.childId)],
);

export const applicationChoice = sqliteTable(
  'application_choice',
  {
    applicationId: text('application_id')
      .notNull()
      .references(() => application.id),
    rank: integer('rank').notNull(),
    unitId: text('unit_id')
      .notNull()
      .references(() => orgUnit.id),
  },
  (t) => [uniqueIndex('application_choice_pk').on(t.applicationId, t.rank), index('application_choice_unit').on(t.unitId)],
);

/**
 * Record-level change log, written by the one write path (core/write/records.ts) in the same transaction
 * as the change: which record, which version, the operation, the changed columns with their values before
 * and after, whom it concerns, who, when, and the user action (mutation id) it belongs to. It is the record
 * history and, shipped from `seq` onwards, the sync outbox. It holds values like the tables it mirrors
 * (protected addresses included), so it is never shown raw: the card's history lists field names only.
 * Rows written before the write path existed have no `changes` (field names only).
 */
export const changeLog = sqliteTable(
  'change_log',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    /** The person the change concerns, for the card's history. */
    personId: text('person_id'),
    /** A second person a link concerns (a guardianship's guardian), so it shows on both cards. */
    relatedPersonId: text('related_person_id'),
    version: integer('version').notNull(),
    op: text('op', { enum: ['create', 'update', 'correction', 'delete'] }).notNull(),
    fields: text('fields').notNull(),
    /** JSON: { column: [before, after] }. */
    changes: text('changes'),
    mutationId: text('mutation_id'),
    actor: text('actor').notNull(),
    at: text('at').notNull(),
  },
  (t) => [
    index('change_log_person').on(t.personId, t.seq),
    index('change_log_related').on(t.relatedPersonId, t.seq).where(sql`related_person_id is not null`),
    index('change_log_entity').on(t.entity, t.entityId),
    index('change_log_mutation').on(t.mutationId).where(sql`mutation_id is not null`),
  ],
);

export const appMeta = sqliteTable('app_meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

/**
 * The persons a user opened last on this workstation (the search screen's start page): operational state of
 * the workstation like the sign-in bookkeeping, not a register record (no change log). At most a few dozen
 * rows per user and workstation; who may see each one is decided again when the list is read.
 */
export const recentPerson = sqliteTable(
  'recent_person',
  {
    userId: text('user_id').notNull(),
    workstationId: text('workstation_id').notNull(),
    personId: text('person_id').notNull(),
    openedAt: text('opened_at').notNull(),
    /** Increases with every opening on this workstation: the order when the clock repeats a time. */
    seq: integer('seq').notNull(),
  },
  (t) => [uniqueIndex('recent_person_pk').on(t.userId, t.workstationId, t.personId), index('recent_person_order').on(t.userId, t.workstationId, t.seq)],
);

/**
 * Local user accounts (the central server's accounts arrive with sync). The password is stored only as an
 * Argon2id PHC string; the TOTP secret only encrypted (AES-256-GCM with the workstation's key file).
 */
export const userAccount = sqliteTable(
  'user_account',
  {
    id: text('id').primaryKey(),
    /** Lower-cased, trimmed sign-in name. */
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    passwordHash: text('password_hash').notNull(),
    passwordChangedAt: text('password_changed_at').notNull(),
    /** Set when an administrator set the password: the user must choose a new one at next sign-in. */
    mustChangePassword: integer('must_change_password').notNull().default(0),
    totpSecret: text('totp_secret'),
    totpEnabledAt: text('totp_enabled_at'),
    /** Last accepted TOTP time step: a code is never accepted twice (RFC 6238 §5.2). */
    totpLastStep: integer('totp_last_step'),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: text('locked_until'),
    lastSignInAt: text('last_sign_in_at'),
    disabledAt: text('disabled_at'),
    ...recordColumns(),
  },
  (t) => [uniqueIndex('user_account_username').on(t.username)],
);

/** A role held by a user, for one unit (unit_id) or the whole municipality (unit_id null). */
export const roleAssignment = sqliteTable(
  'role_assignment',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => userAccount.id),
    role: text('role').notNull(),
    unitId: text('unit_id').references(() => orgUnit.id),
    deletedAt: text('deleted_at'),
    ...recordColumns(),
  },
  (t) => [
    index('role_assignment_user').on(t.userId),
    check('role_assignment_role', sql`role in ('clerk','fee_admin','foi_officer','foi_decider','registrar','protected_handler','sysadmin','auditor')`),
  ],
);

/**
 * Tamper-evident audit log: one row per call that reads or writes personal data (and per sign-in event),
 * written in the same transaction as the action. Each row carries the hash of the previous row; `hash` covers
 * every other column, so altering, deleting or reordering rows breaks the chain (`kansli audit verify`).
 * Values of protected persons' addresses and contact details are never written here.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    seq: integer('seq').primaryKey(),
    at: text('at').notNull(),
    actorId: text('actor_id').notNull(),
    actorName: text('actor_name').notNull(),
    workstation: text('workstation').notNull(),
    method: text('method').notNull(),
    action: text('action').notNull(),
    /** 'ok' or the error code the call ended with (denied calls are logged too). */
    outcome: text('outcome').notNull(),
    /** JSON array of the person ids whose data the call read or wrote. */
    personIds: text('person_ids').notNull(),
    /** JSON: before/after of writes, the ids a list returned, … */
    details: text('details').notNull(),
    reason: text('reason'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_log_at').on(t.at), index('audit_log_actor').on(t.actorId, t.seq)],
);

/** Index of audit_log.person_ids for the "whose data" filter (derived; the chain covers person_ids itself). */
export const auditPerson = sqliteTable(
  'audit_person',
  {
    personId: text('person_id').notNull(),
    seq: integer('seq')
      .notNull()
      .references(() => auditLog.seq),
  },
  (t) => [index('audit_person_person').on(t.personId, t.seq)],
);

/**
 * Long work (imports, the rollover, later fee runs) as jobs: one row per job, written at its transitions.
 * Progress lives in memory while it runs. `committed_at` is written inside the job's own write
 * transaction, so after a crash the row tells whether the job's changes are in the database.
 * Inputs and results hold ids, options and counts, never personal data (a job list is shown to others).
 */
export const job = sqliteTable(
  'job',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    state: text('state', { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled'] }).notNull(),
    phase: text('phase').notNull().default(''),
    done: integer('done').notNull().default(0),
    total: integer('total'),
    input: text('input').notNull(),
    result: text('result'),
    error: text('error'),
    createdBy: text('created_by').notNull(),
    createdByName: text('created_by_name').notNull(),
    workstation: text('workstation').notNull(),
    mutationId: text('mutation_id'),
    createdAt: text('created_at').notNull(),
    startedAt: text('started_at'),
    committedAt: text('committed_at'),
    finishedAt: text('finished_at'),
  },
  (t) => [index('job_created').on(t.createdAt), index('job_state').on(t.state)],
);

/**
 * Writes named by the client's mutation id, with their result: a repeated call answers from here instead
 * of writing twice, and `mutation.status` tells a client that lost an answer whether its write committed.
 */
export const mutation = sqliteTable(
  'mutation',
  {
    id: text('id').primaryKey(),
    actorId: text('actor_id').notNull(),
    method: text('method').notNull(),
    at: text('at').notNull(),
    result: text('result'),
  },
  (t) => [index('mutation_at').on(t.at)],
);

/**
 * Identity numbers a person no longer uses (a samordningsnummer replaced by a personnummer, a D-nummer by
 * a fødselsnummer): the register re-keys the person, and the old number still finds them.
 */
export const personIdentity = sqliteTable(
  'person_identity',
  {
    id: text('id').primaryKey(),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    canonical: text('canonical').notNull(),
    kind: text('kind').notNull(),
    country: text('country').notNull(),
    /** The day the number stopped being the person's (the day the new one took over). */
    validTo: text('valid_to'),
    ...recordColumns(),
  },
  (t) => [index('person_identity_person').on(t.personId), index('person_identity_canonical').on(t.canonical)],
);

/**
 * One import of a population-register file (Navet, Folkeregisteret) or a legacy CSV: read and compared
 * with the register in a dry run (its rows are in a staging file of its own), then applied or discarded.
 * Bookkeeping of a process like a job; the register changes it causes go through the write path.
 */
export const importRun = sqliteTable(
  'import_run',
  {
    id: text('id').primaryKey(),
    format: text('format', { enum: ['navet', 'freg', 'csv'] }).notNull(),
    kind: text('kind', { enum: ['full', 'delta'] }),
    fileId: text('file_id').notNull(),
    fileName: text('file_name').notNull(),
    fileSha256: text('file_sha256'),
    /** The register's delivery stream (Navet recipient, Freg kommunenummer): deltas are ordered within it. */
    stream: text('stream'),
    orderingFrom: integer('ordering_from'),
    orderingTo: integer('ordering_to'),
    orderingSerial: integer('ordering_serial'),
    /** JSON of the file's FileOrdering, as the reader gave it. */
    ordering: text('ordering'),
    covers: text('covers'),
    state: text('state', { enum: ['reading', 'ready', 'applying', 'applied', 'discarded', 'failed'] }).notNull(),
    /** JSON: rows of the dry run per change kind. */
    counts: text('counts').notNull().default('{}'),
    records: integer('records').notNull().default(0),
    problems: integer('problems').notNull().default(0),
    skipped: integer('skipped').notNull().default(0),
    blockedCode: text('blocked_code'),
    blockedMessage: text('blocked_message'),
    mapping: text('mapping'),
    readJobId: text('read_job_id'),
    applyJobId: text('apply_job_id'),
    createdBy: text('created_by').notNull(),
    createdByName: text('created_by_name').notNull(),
    createdAt: text('created_at').notNull(),
    appliedAt: text('applied_at'),
  },
  (t) => [index('import_run_created').on(t.createdAt)],
);

/** The last file applied per register stream: a delta older than it is refused. */
export const importStream = sqliteTable('import_stream', {
  stream: text('stream').primaryKey(),
  format: text('format').notNull(),
  /** JSON of the last applied file's FileOrdering. */
  ordering: text('ordering').notNull(),
  runId: text('run_id').notNull(),
  appliedAt: text('applied_at').notNull(),
});

/**
 * The work list: a consequence of an import (a child moved away, emigrated, died; custody changed; a new
 * protected identity) for a clerk to confirm or dismiss. Never applied silently: confirming ends the
 * affected placements and enrolments through the placements' own rules.
 */
export const workItem = sqliteTable(
  'work_item',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['moved_out', 'emigrated', 'deceased', 'custody', 'protection_added'] }).notNull(),
    state: text('state', { enum: ['open', 'confirmed', 'dismissed'] }).notNull(),
    personId: text('person_id')
      .notNull()
      .references(() => person.id),
    importId: text('import_id'),
    eventDate: text('event_date'),
    /** JSON: what happened, as the register said it (codes and dates only; never an address). */
    detail: text('detail'),
    proposedEnd: text('proposed_end'),
    resolvedBy: text('resolved_by'),
    resolvedAt: text('resolved_at'),
    note: text('note'),
    ...recordColumns(),
  },
  (t) => [index('work_item_state').on(t.state, t.kind), index('work_item_person').on(t.personId)],
);

/**
 * Joined mode's outbox (docs/sync.md "Mutations"): each write a clerk made on this workstation, written in
 * the same transaction as the write, until the central server has answered it. The change records of the
 * write are in `change_log` under the same mutation id; `base` names the aggregates it wrote with what this
 * workstation had seen of each. `state`: pending → applied, or conflict / rejected until the clerk resolves
 * it (resolved). Standalone mode never writes here.
 */
export const syncOutbox = sqliteTable(
  'sync_outbox',
  {
    mutationId: text('mutation_id').primaryKey(),
    /** Push order: the order the writes committed here. */
    ordinal: integer('ordinal').notNull(),
    actorId: text('actor_id').notNull(),
    method: text('method').notNull(),
    /** JSON: the method's input as the core parsed it. */
    input: text('input').notNull(),
    /** JSON: aggregate key → { seq } or { mutation }. */
    base: text('base').notNull(),
    state: text('state', { enum: ['pending', 'applied', 'conflict', 'rejected', 'resolved'] }).notNull(),
    /** JSON: the server's typed error (rejected) or the stale aggregates (conflict). */
    error: text('error'),
    /** JSON: the server's current rows of the aggregates concerned, fetched when the conflict came back. */
    theirs: text('theirs'),
    createdAt: text('created_at').notNull(),
    answeredAt: text('answered_at'),
  },
  (t) => [uniqueIndex('sync_outbox_ordinal').on(t.ordinal), index('sync_outbox_state').on(t.state, t.ordinal)],
);

/** What this workstation has seen of each aggregate: the server's seq, and its own last pending write to it. */
export const syncAggregate = sqliteTable('sync_aggregate', {
  key: text('key').primaryKey(),
  seq: integer('seq').notNull(),
  /** The newest pending mutation of this workstation that wrote the aggregate (the next write's base). */
  pending: text('pending'),
});
