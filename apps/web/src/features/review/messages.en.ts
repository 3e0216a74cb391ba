import type { fr } from './messages';

/** The English strings (a chunk of their own: a French reader never downloads them). */
export const en: typeof fr = {
  total_one: '{{count}} report waiting', total_other: '{{count}} reports waiting', total_zero: 'No report waiting',
  range: '{{from}}–{{to}} of {{total}}', previous: 'Previous page', next: 'Next page', page_size: 'Per page',
  sort: 'Sort by', filter_type: 'Sub-type', filter_taken: 'Taken', filter_q: 'Text (place, narrative)',
  taken_all: 'All', taken_me: 'Taken by me', taken_none: 'Free',
  sort_opts: { occurred_start: 'Incident date (oldest first)', '-occurred_start': 'Incident date (newest first)', updated_at: 'Waiting longest', '-updated_at': 'Submitted most recently', '-fatalities_best': 'Killed (most first)' },
  likelihood: 'Likeness: {{pct}}', why: 'Why:',
  reasons: {
    same_sub_event_type: 'same sub-type', other_sub_event_type: 'different sub-type', shared_actors: 'actors in common', other_actors: 'different actors',
    tolls_agree: 'similar tolls', tolls_differ: 'different tolls',
  },
  compare_merge: 'Compare and merge…',
  merge_title: 'Merge two reports', merge_intro: 'Choose, field by field, the value the kept incident takes. Sources and keywords are united; the higher classification and the narrower sharing apply.',
  col_field: 'Field', col_this: 'This report (merged)', col_into: 'Kept incident', col_result: 'After the merge',
  keep_both: 'Keep both', united: 'united', stricter: 'the stricter', preview: 'Preview after the merge',
  comment: 'Comment (optional, kept in the history)', confirm: 'Confirm the merge', cancel: 'Cancel',
  merged_notice: 'Report merged into the kept incident.', undo: 'Undo the merge', undone_notice: 'Merge undone: both reports are restored.',
  open_kept: 'Open the kept incident', merge_by_id: 'Merge this report into another incident', merge_by_id_label: 'Id of the kept incident', compare: 'Compare',
  fields: {
    occurred: 'Date', location: 'Place', event: 'Type and sub-type', actors: 'Actors', fatalities_best: 'Killed', civilian_fatalities: 'of whom civilians killed',
    injured: 'Injured', abducted: 'Abducted', narrative: 'Narrative', sources: 'Sources', tags: 'Keywords', classification: 'Classification',
    sharing_scope: 'Sharing scope', exact_location_classification: 'Exact location restricted from',
    status: 'Status', merged_into: 'Merged into', rejection_reason: 'Reason for rejection', assigned_to: 'Taken by', interaction: 'Interaction (ACLED)',
    reporting_state: 'Reporting state', reporter: 'Reporter', admin1_code: 'Region', admin2_code: 'District', occurred_start: 'Start', occurred_end: 'End',
  },
  history: {
    merge: 'Merged into incident', absorb: 'Took in the merged report', unmerge: 'Merge undone with incident', unabsorb: 'Merge undone of report',
    undo_hint: 'Undoing the merge restores both reports as they were.',
  },
  action_names: { absorb: 'Merge (kept incident)', unmerge: 'Merge undone', unabsorb: 'Merge undone (kept incident)' },
  everyone: 'All authorised readers',
};
