import {
  CLASSIFICATIONS, foldText, interactionCode, taxonomyLabel, type IncidentCreate, type ReferenceConfig,
} from '@vigie/domain';
import type { Engine } from '../../apps/server/src/db/engine.js';
import { canonicalJson, sha256 } from '../../apps/server/src/lib/ids.js';
import { Gazetteer, prioGridCentre } from '../../apps/server/src/services/geography/geo.service.js';
import type { SyntheticIncidents } from './synthetic.js';

/** The columns of `incidents` a row is written with (all but the engine-assigned key and generated columns). */
export const INCIDENT_COLUMNS = [
  'id', 'reporting_state', 'reporter_id', 'status', 'version', 'created_at', 'updated_at', 'create_hash',
  'occurred_start', 'occurred_end', 'time_precision', 'latitude', 'longitude', 'coarse_latitude', 'coarse_longitude',
  'exact_location_level', 'geo_precision', 'place_name', 'admin1_code', 'admin2_code', 'event_type', 'sub_event_type',
  'interaction', 'tags', 'narrative', 'search_text', 'actor1', 'actor2', 'associated_actors', 'fatalities_best',
  'fatalities_low', 'fatalities_high', 'civilian_fatalities', 'injured', 'abducted', 'sources', 'source_names', 'classification_level',
  'sharing_scope', 'rejection_reason', 'merged_into', 'assigned_to', 'external_source', 'external_id',
] as const;

export type BareValue = string | number | null;

interface TemplateColumns {
  admin1: string | null;
  admin2: string | null;
  coarse: { lat: number; lon: number };
  interaction: number | null;
  foldedNarrative: string;
  searchTail: string;
  createHash: string;
}

/**
 * Stored rows for the bare-driver baseline, column values as Vigie stores them. What Vigie derives per record
 * (admin areas by point-in-polygon, coarse point, interaction code, search text) is worked out once per template
 * before the clock starts: the baseline is the engine's cost to store the rows, nothing else.
 */
export class BareRows {
  private constructor(private readonly synth: SyntheticIncidents, private readonly derived: TemplateColumns[]) {}

  static async prepare(engine: Engine, reference: ReferenceConfig, synth: SyntheticIncidents): Promise<BareRows> {
    const gazetteer = new Gazetteer(engine);
    const kinds = new Map(reference.actors.map((a) => [a.code, a.kind]));
    const derived: TemplateColumns[] = [];
    for (const t of synth.templates) {
      const c = t.input;
      const placement = await gazetteer.place(c.latitude, c.longitude);
      const admin1 = c.admin1_code ?? placement.admin1;
      const admin2 = c.admin2_code ?? placement.admin2;
      const hidden = c.exact_location_classification != null;
      derived.push({
        admin1,
        admin2,
        coarse: (admin2 && (await gazetteer.centroid(admin2))) || prioGridCentre(c.latitude, c.longitude),
        interaction: interactionCode(kinds.get(c.actor1 ?? ''), kinds.get(c.actor2 ?? '')),
        foldedNarrative: foldText(c.narrative ?? ''),
        searchTail: foldText([hidden ? '' : c.place_name ?? '', ...(c.tags ?? []), taxonomyLabel(c.sub_event_type), taxonomyLabel(c.event_type)].filter(Boolean).join(' ')),
        createHash: sha256(canonicalJson(c)),
      });
    }
    return new BareRows(synth, derived);
  }

  /** Row i's column values, in INCIDENT_COLUMNS order. */
  values(i: number, now: string): BareValue[] {
    const s = this.synth.at(i);
    const c: IncidentCreate = s.input;
    const d = this.derived[this.synth.templateOf(i)] as TemplateColumns;
    return [
      c.id, s.reportingState, null, s.status, 1, now, now, d.createHash,
      c.occurred_start, c.occurred_end ?? null, c.time_precision ?? 1, c.latitude, c.longitude, d.coarse.lat, d.coarse.lon,
      c.exact_location_classification ? CLASSIFICATIONS.indexOf(c.exact_location_classification) : null, c.geo_precision ?? 1,
      c.place_name ?? null, d.admin1, d.admin2, c.event_type, c.sub_event_type,
      d.interaction, JSON.stringify(c.tags ?? []), c.narrative ?? '', `${d.foldedNarrative} (n° ${i}) ${d.searchTail}`, c.actor1 ?? null,
      c.actor2 ?? null, JSON.stringify(c.associated_actors ?? []), c.fatalities_best ?? 0,
      c.fatalities_low ?? null, c.fatalities_high ?? null, c.civilian_fatalities ?? 0, c.injured ?? 0, c.abducted ?? 0,
      JSON.stringify(c.sources ?? []), (c.sources ?? []).map((x) => x.name).join(' | '), CLASSIFICATIONS.indexOf(c.classification ?? 'restricted'),
      c.sharing_scope ?? 'national', null, null, null, null, null,
    ];
  }
}

/** A value in PostgreSQL's COPY text format. */
export function copyText(v: BareValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
}
