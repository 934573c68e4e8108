/** Swedish messages for long-running work (jobs): progress, cancel, outcome (merged into sv.ts). */
export const jobsSv = {
  'job.progress.label': 'Förlopp',
  'job.progress.count': '{{done}} av {{total}}',
  'job.progress.countOpen': '{{done}} hittills',
  'job.phase.queued': 'Väntar på sin tur …',
  'job.phase.start': 'Startar …',
  'job.phase.plan': 'Planerar ändringarna …',
  'job.phase.apply': 'Sparar ändringarna …',
  'job.phase.read': 'Läser filen …',
  'job.phase.diff': 'Jämför med registret …',
  'job.phase.done': 'Klart',
  'job.cancel': 'Avbryt',
  'job.cancelling': 'Avbryter …',
  'job.cancelled': 'Arbetet avbröts. Ingenting ändrades i registret.',
  'job.failed': 'Arbetet kunde inte slutföras. Ingenting ändrades i registret.',
  'job.running': 'Arbetet pågår. Du kan fortsätta arbeta i andra delar av Kansli under tiden.',
} as const;
