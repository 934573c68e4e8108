/**
 * Swedish messages of the queue's guarantee badges, the Norwegian profile's wording (barnehage, rett til
 * plass, SFO/AKS) and the offer dialog's departments (merged into sv.ts); the source of truth for
 * queue.nb.ts and queue.en.ts. The rest of the queue's messages are in office.sv.ts.
 */
export const queueSv = {
  // ---- the guarantee badge: days to the date, the last day, days past it
  'queue.badge.daysLeft_one': 'om {{count}} dag',
  'queue.badge.daysLeft_other': 'om {{count}} dagar',
  'queue.badge.today': 'i dag',
  'queue.badge.dueBy': 'senast {{date}}',
  'queue.badge.overdue_one': 'försenad {{count}} dag',
  'queue.badge.overdue_other': 'försenad {{count}} dagar',
  'queue.badge.met': 'erbjuden i tid',
  'queue.badge.noRight': 'ingen lagstadgad rätt',
  // ---- the Norwegian profile (a municipality in Norway): barnehage and the right to a place
  'queue.no.title': 'Kö till barnehage',
  'queue.no.intro':
    'Ansökningar om plats i barnehage. Rätt till plats (barnehageloven § 16) har ett barn som fyller ett år senast i november och som sökt före fristen för hovedopptaket: från augusti, eller från månaden barnet fyller ett år. Ansökningar efter fristen behandlas i løpende opptak utan lagstadgad rätt. SFO/AKS söks inte här: platsen följer skolplaceringen.',
  'queue.no.col.guarantee': 'Rätt till plats från',
  'queue.no.overdueCount_one': '{{formatted}} ansökan har passerat datumet för rätt till plats',
  'queue.no.overdueCount_other': '{{formatted}} ansökningar har passerat datumet för rätt till plats',
  'queue.no.facts.wished': 'Önskad start {{date}}, rätt till plats från {{guarantee}} (senast {{dueBy}}).',
  'queue.no.facts.noRight': 'Önskad start {{date}}. Ingen lagstadgad rätt till plats: {{reason}}.',
  'queue.noRight.after_deadline': 'sökt efter fristen {{deadline}} (løpende opptak)',
  'queue.noRight.born_after_cutoff': 'fyller ett år för sent för hovedopptaket {{year}}',
  'queue.noRight.school_age': 'börjar skolan {{year}}',
  // ---- the row menu
  'queue.action.more': 'Mer',
  'queue.action.moreFor': 'Fler åtgärder: {{name}}',
  // ---- the offer dialog: places per department
  'queue.places.title': 'Avdelningar den {{date}}',
  'queue.places.caption': 'Tagna platser per avdelning på {{unit}} den {{date}}',
  'queue.places.col.department': 'Avdelning',
  'queue.places.col.accepted': 'Placerade',
  'queue.places.col.offered': 'Erbjudna',
  'queue.places.col.free': 'Lediga',
  'queue.places.withoutDepartment': 'Utan avdelning',
  'queue.places.none': 'Enheten har inga avdelningar för verksamheten den dagen.',
  'queue.places.choose': 'Välj enhet och ett giltigt startdatum så visas avdelningarna.',
  'queue.places.noCapacity': 'Inget platsantal är registrerat för enheten eller avdelningarna, så lediga platser kan inte räknas ut. Tabellen visar de platser som är tagna.',
  'queue.places.failed': 'Avdelningarna kunde inte läsas in.',
} satisfies Record<string, string>;
