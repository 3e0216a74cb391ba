/** Types of the coordination API's JSON, derived from the shared domain schemas (never hand-copied). */
import type { ActionView, MeetingDetail as MeetingDetailView, MeetingView } from '@vigie/domain/coordination.schema';

export type Meeting = MeetingView;
export type Action = ActionView;
export type MeetingDetail = MeetingDetailView;
export type Decision = MeetingDetailView['decisions'][number];
