import type { fr } from './messages';
import type { shell } from './shell-messages';

/** The English strings (a chunk of their own: a French reader never downloads them). */
export const en: typeof shell & typeof fr = {
  nav: 'Boundaries',
  title: 'Administrative boundaries',
  intro: 'Each state’s boundary sets and when they are in force. Every incident is placed in the set in force at its date and mapped to the current set for comparisons. Importing a new set: vigie gazetteer import … --valid-from YYYY-MM-DD.',
  sets: 'Boundary sets',
  col_state: 'State',
  col_name: 'Boundary set',
  col_from: 'In force since',
  col_to: 'Until',
  no_start: 'no start date',
  current: 'in force',
  jobs: 'Re-placement of incidents',
  jobs_intro: 'After an import, incidents are re-placed in the background, batch by batch: an interrupted job resumes at its last committed batch; a failed job waits for an administrator to retry it.',
  no_jobs: 'No re-placement job yet.',
  col_job: 'Job',
  col_progress: 'Progress',
  moved_one: '{{n}} incident moved',
  moved_other: '{{n}} incidents moved',
  col_error: 'Error',
  status: { running: 'Running', done: 'Done', failed: 'Failed' },
  progress: '{{done}} / {{total}} ({{percent}} %)',
  retry: 'Retry',
  retried: 'Job retried: it resumes at its last committed batch.',
};
