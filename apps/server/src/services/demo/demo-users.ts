/** The demo data's shapes (users, incidents, geography) and its accounts: one per role and member state, plus the confederation's. */
import { CONFEDERATION_ORG, type IncidentCreate, type ReferenceConfig, type Role } from '@vigie/domain';

/** A demo account: one per role and member state, plus the confederation's analyst and decision maker. */
export interface DemoUser {
  login: string;
  display_name: string;
  organisation: string;
  role: Role;
  clearance: number;
}

/** A synthetic incident: the POST body, the state it belongs to and the status it should end in. */
export interface DemoIncident {
  reportingState: string;
  status: 'validated' | 'submitted' | 'draft' | 'rejected';
  input: IncidentCreate;
}

export interface DemoIncidentOptions {
  count: number;
  endDate: Date;
  years: number;
  seed: number;
  /** Optional extra check that a point lies inside a state (e.g. against imported boundaries); rejected points are drawn again. */
  isInside?: (lat: number, lon: number, state: string) => boolean;
  /**
   * The boundaries and real places in force (demoGeography builds it from the gazetteer). With it, incidents are placed
   * at real places of their area, inside its admin-1 polygon; without it (or for a state without polygons), around the
   * area's centroid, unnamed.
   */
  geography?: DemoGeography;
}

/** A real populated place, tied to its admin areas by polygon. */
export interface DemoPlace {
  name: string;
  lat: number;
  lon: number;
  admin1: string;
  admin2: string | null;
  population: number;
}

/** What the generator needs of the geography; it only calls these, so it stays pure and seeded. */
export interface DemoGeography {
  places: readonly DemoPlace[];
  /** The admin areas whose polygons contain the point (the gazetteer's placement), null when it is inside no admin-1 polygon. */
  placeOf(lat: number, lon: number): { admin1: string; admin2: string | null } | null;
  /** The bounding box [minLon, minLat, maxLon, maxLat] of an admin-1 area's polygon; undefined when it has none. */
  bbox(code: string): readonly [number, number, number, number] | undefined;
}

/** A planned escalation: several times the usual rate in one area for a few weeks. */
export interface DemoEscalation {
  area: string;
  state: string;
  start: string;
  end: string;
  multiplier: number;
  /** The area of another state whose escalation this one follows, days later. */
  follows: string | null;
}

const STATE_ROLES = [
  { role: 'reporter', login: 'rapporteur', label: 'Rapporteur', clearance: 1 },
  { role: 'analyst', login: 'analyste', label: 'Analyste', clearance: 2 },
  { role: 'focal_point', login: 'point-focal', label: 'Point focal', clearance: 3 },
] as const;

/** Demo accounts for every member state of the configuration and for the confederation staff. */
export function generateDemoUsers(config: ReferenceConfig): DemoUser[] {
  const conf = CONFEDERATION_ORG.toLowerCase();
  return [
    ...config.states.flatMap((s) =>
      STATE_ROLES.map((r) => ({
        login: `${r.login}.${s.code.toLowerCase()}`, display_name: `${r.label} (démo) — ${s.name_fr}`,
        organisation: s.code, role: r.role, clearance: r.clearance,
      })),
    ),
    { login: `analyste.${conf}`, display_name: `Analyste confédéral (démo) — ${config.alliance.name_fr}`, organisation: CONFEDERATION_ORG, role: 'confederation_analyst', clearance: 3 },
    { login: `decideur.${conf}`, display_name: `Décideur (démo) — ${config.alliance.name_fr}`, organisation: CONFEDERATION_ORG, role: 'decision_maker', clearance: 2 },
  ];
}
