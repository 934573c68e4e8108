/** English messages for long-running work (jobs): progress, cancel, outcome (merged into en.ts). */
export const jobsEn = {
  'job.progress.label': 'Progress',
  'job.progress.count': '{{done}} of {{total}}',
  'job.progress.countOpen': '{{done}} so far',
  'job.phase.queued': 'Waiting for its turn …',
  'job.phase.start': 'Starting …',
  'job.phase.plan': 'Planning the changes …',
  'job.phase.apply': 'Saving the changes …',
  'job.phase.read': 'Reading the file …',
  'job.phase.diff': 'Comparing with the register …',
  'job.phase.done': 'Done',
  'job.cancel': 'Cancel',
  'job.cancelling': 'Cancelling …',
  'job.cancelled': 'The work was cancelled. Nothing was changed in the register.',
  'job.failed': 'The work could not be completed. Nothing was changed in the register.',
  'job.running': 'The work is running. You can go on working in other parts of Kansli meanwhile.',
} as const;
