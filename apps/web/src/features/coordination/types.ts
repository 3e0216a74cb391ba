/** The coordination API's shapes as the pages use them (see /api/v1/openapi.json, tag "coordination"). */
export interface Meeting { id: string; title: string; date: string; place: string; states: string[]; bodies: string[]; agenda: string; minutes: string; version: number }
export interface Action {
  id: string; decision_id: string; title: string; description: string; owner_state: string | null; owner_body: string | null; due_date: string;
  status: string; progress: number; alert_id: string | null; objective_ids: string[]; overdue: boolean; version: number;
  meeting_id?: string; meeting_title?: string; decision_code?: string;
  notes?: { id: string; at: string; organisation: string; text: string; progress: number | null; status: string | null }[];
}
export interface Decision { id: string; code: string; text: string; actions: Action[] }
export interface MeetingDetail extends Meeting { decisions: Decision[] }
