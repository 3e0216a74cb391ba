import type { IncidentCreate, Role } from '@vigie/domain';
import { migrateToLatest } from '../db/migrate.js';
import { newId } from '../lib/ids.js';
import { testKeys } from '../lib/server-keys.js';
import { createContext, type Ctx } from '../services/context.js';
import { principalOf } from '../services/accounts/auth.service.js';
import type { Principal } from '../services/principal.js';
import { loadReferenceConfig, syncReferenceData } from '../services/geography/reference.service.js';
import { createUser } from '../services/accounts/user.service.js';
import { SYSTEM } from '../services/principal.js';
import { findUserByLogin } from '../repositories/user.repository.js';
import { freshDatabase, type TestDatabase } from './engines.js';
import type { EngineKind } from '../db/engine.js';

export interface TestVigie extends TestDatabase {
  ctx: Ctx;
}

/** A migrated database with the default reference data, ready for service tests. */
export async function testVigie(kind: EngineKind, options: { shippedBoundaries?: boolean } = {}): Promise<TestVigie> {
  const db = await freshDatabase(kind);
  await migrateToLatest(db.engine);
  const reference = loadReferenceConfig();
  await syncReferenceData(db.engine, reference, options.shippedBoundaries === false ? null : undefined);
  return { ...db, ctx: createContext(db.engine, reference, testKeys()) };
}

/** A point inside each default member state (Mopti, Djibo, Tillabéri). */
export const POINTS: Record<string, { latitude: number; longitude: number }> = {
  MLI: { latitude: 14.49, longitude: -4.19 },
  BFA: { latitude: 14.1, longitude: -1.63 },
  NER: { latitude: 14.21, longitude: 1.45 },
};

/** A valid incident body; override any field. */
export function newIncident(overrides: Partial<IncidentCreate> & { state?: string } = {}): IncidentCreate {
  const { state = 'MLI', ...rest } = overrides;
  return {
    id: newId(),
    occurred_start: '2026-03-14T08:00:00Z',
    time_precision: 1,
    ...(POINTS[state] ?? POINTS.MLI),
    geo_precision: 1,
    place_name: 'Village de test',
    event_type: 'violence_against_civilians',
    sub_event_type: 'attack',
    narrative: 'Attaque contre le marché hebdomadaire de Tillabéri ; deux civils tués.',
    actor1: 'GAN',
    actor2: 'CIVILS',
    fatalities_best: 2,
    civilian_fatalities: 2,
    injured: 1,
    sources: [{ name: 'Poste de gendarmerie', kind: 'security_forces', reliability: 'B', credibility: 2 }],
    classification: 'restricted',
    sharing_scope: 'confederation',
    status: 'submitted',
    ...rest,
  };
}

let counter = 0;
/** Creates a user and returns the principal that acts as them (and their password). */
export async function newUser(ctx: Ctx, o: { org: string; role: Role; clearance?: number; login?: string }): Promise<Principal & { password: string }> {
  const login = o.login ?? `${o.role.replace('_', '-')}.${o.org.toLowerCase()}.${++counter}`;
  const password = 'mot-de-passe-solide-123';
  await createUser(ctx, SYSTEM, { login, organisation: o.org, role: o.role, clearance: o.clearance ?? 2, password });
  const row = await findUserByLogin(ctx.engine.db, login);
  if (!row) throw new Error('user not created');
  return { ...principalOf(row), password };
}

export { newId };
