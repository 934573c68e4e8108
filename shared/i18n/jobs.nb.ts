/** Norwegian (bokmål) messages for long-running work (jobs): progress, cancel, outcome (merged into nb.ts). */
export const jobsNb = {
  'job.progress.label': 'Fremdrift',
  'job.progress.count': '{{done}} av {{total}}',
  'job.progress.countOpen': '{{done}} så langt',
  'job.phase.queued': 'Venter på tur …',
  'job.phase.start': 'Starter …',
  'job.phase.plan': 'Planlegger endringene …',
  'job.phase.apply': 'Lagrer endringene …',
  'job.phase.read': 'Leser filen …',
  'job.phase.diff': 'Sammenligner med registeret …',
  'job.phase.done': 'Ferdig',
  'job.cancel': 'Avbryt',
  'job.cancelling': 'Avbryter …',
  'job.cancelled': 'Arbeidet ble avbrutt. Ingenting ble endret i registeret.',
  'job.failed': 'Arbeidet kunne ikke fullføres. Ingenting ble endret i registeret.',
  'job.running': 'Arbeidet pågår. Du kan arbeide videre i andre deler av Kansli så lenge.',
} as const;
