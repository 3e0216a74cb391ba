import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';
import type { Engine, EngineKind } from './engine.js';
import * as core from './migrations/20261129T1000-core.js';
import * as alerts from './migrations/20261129T1300-alerts.js';
import * as aggregateRollups from './migrations/20261129T1200-aggregate-rollups.js';
import * as strategy from './migrations/20261129T1400-strategy.js';
import * as aggregateMonthRollup from './migrations/20261129T1410-aggregate-month-rollup.js';
import * as alertFigures from './migrations/20261201T1000-alert-figures.js';
import * as versionVisibility from './migrations/20261201T1400-version-visibility.js';
import * as auditReview from './migrations/20261201T1400-audit-review.js';
import * as placementMethod from './migrations/20261201T1400-placement-method.js';
import * as signInHardening from './migrations/20261201T1400-sign-in-hardening.js';
import * as evaluationAudience from './migrations/20261201T1600-evaluation-audience.js';
import * as changeLog from './migrations/20261201T1700-change-log.js';
import * as incidentMerges from './migrations/20261201T1700-incident-merges.js';
import * as notifications from './migrations/20261201T1600-notifications.js';
import * as openrosa from './migrations/20261202T1940-openrosa.js';
import * as notificationSettings from './migrations/20261202T1930-notification-settings.js';
import * as federation from './migrations/20261202T1945-federation.js';
import * as situationReports from './migrations/20261202T1930-situation-reports.js';
import * as federationOrigin from './migrations/20261202T2300-federation-origin.js';
import * as boundaryVersions from './migrations/20261202T2300-boundary-versions.js';
import * as sitrepMaps from './migrations/20261203T0000-sitrep-maps.js';
import * as sitrepSchedule from './migrations/20261203T0010-sitrep-schedule.js';
import * as attachmentContents from './migrations/20261203T0300-attachment-contents.js';
import * as federationDeadLetters from './migrations/20261203T0300-federation-dead-letters.js';
import * as attachmentCleaning from './migrations/20261203T0400-attachment-cleaning.js';
import * as aggregatePlaceRollups from './migrations/20261203T0400-aggregate-place-rollups.js';
import * as rollupLockPerSchema from './migrations/20261204T0600-rollup-lock-per-schema.js';
import * as rollupAreaIndex from './migrations/20261204T0610-rollup-area-index.js';
import * as federationHeldVisibility from './migrations/20261204T0700-federation-held-visibility.js';
import * as coordinationClassification from './migrations/20261205T0900-coordination-classification.js';
import * as auditAppendAfter from './migrations/20261205T1000-audit-append-after.js';
import * as incidentsTypeCovering from './migrations/20261206T0900-incidents-type-covering.js';
import * as rollupBatches from './migrations/20261206T1000-rollup-batches.js';
import * as incidentsStateType from './migrations/20261207T0900-incidents-state-type.js';
import * as incidentsTypeRollup from './migrations/20261208T0900-incidents-type-rollup.js';
import * as incidentsPoints from './migrations/20261209T0900-incidents-points.js';
import * as incidentsFatalities from './migrations/20261210T0900-incidents-fatalities.js';
import * as auditAppendAfterHead from './migrations/20261211T0900-audit-append-after-head.js';
import * as incidentsSourceNames from './migrations/20261212T0900-incidents-source-names.js';

type EngineMigration = { up(db: Kysely<unknown>, kind: EngineKind): Promise<void> };

/** Append-only list of migrations, by timestamped name. New capabilities add their own file here. */
const MIGRATIONS: Record<string, EngineMigration> = {
  '20261129T1000-core': core,
  '20261129T1200-aggregate-rollups': aggregateRollups,
  '20261129T1400-strategy': strategy,
  '20261129T1410-aggregate-month-rollup': aggregateMonthRollup,
  '20261129T1300-alerts': alerts,
  '20261201T1000-alert-figures': alertFigures,
  '20261201T1400-version-visibility': versionVisibility,
  '20261201T1400-audit-review': auditReview,
  '20261201T1400-placement-method': placementMethod,
  '20261201T1400-sign-in-hardening': signInHardening,
  '20261201T1600-evaluation-audience': evaluationAudience,
  '20261201T1700-change-log': changeLog,
  '20261201T1700-incident-merges': incidentMerges,
  '20261201T1600-notifications': notifications,
  '20261202T1940-openrosa': openrosa,
  '20261202T1930-notification-settings': notificationSettings,
  '20261202T1945-federation': federation,
  '20261202T1930-situation-reports': situationReports,
  '20261202T2300-federation-origin': federationOrigin,
  '20261202T2300-boundary-versions': boundaryVersions,
  '20261203T0000-sitrep-maps': sitrepMaps,
  '20261203T0010-sitrep-schedule': sitrepSchedule,
  '20261203T0300-attachment-contents': attachmentContents,
  '20261203T0300-federation-dead-letters': federationDeadLetters,
  '20261203T0400-attachment-cleaning': attachmentCleaning,
  '20261203T0400-aggregate-place-rollups': aggregatePlaceRollups,
  '20261204T0600-rollup-lock-per-schema': rollupLockPerSchema,
  '20261204T0610-rollup-area-index': rollupAreaIndex,
  '20261204T0700-federation-held-visibility': federationHeldVisibility,
  '20261205T0900-coordination-classification': coordinationClassification,
  '20261205T1000-audit-append-after': auditAppendAfter,
  '20261206T0900-incidents-type-covering': incidentsTypeCovering,
  '20261206T1000-rollup-batches': rollupBatches,
  '20261207T0900-incidents-state-type': incidentsStateType,
  '20261208T0900-incidents-type-rollup': incidentsTypeRollup,
  '20261209T0900-incidents-points': incidentsPoints,
  '20261210T0900-incidents-fatalities': incidentsFatalities,
  '20261211T0900-audit-append-after-head': auditAppendAfterHead,
  '20261212T0900-incidents-source-names': incidentsSourceNames,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly kind: EngineKind) {}
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      Object.entries(MIGRATIONS).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, this.kind) }]),
    );
  }
}

/** Brings the schema to the latest version; throws with the failing migration's name. */
export async function migrateToLatest(engine: Engine): Promise<MigrationResultSet> {
  return migrate(engine);
}

/** Brings the schema up to the named migration only (for the tests of a migration that changes data). */
export async function migrateUpTo(engine: Engine, name: string): Promise<MigrationResultSet> {
  return migrate(engine, name);
}

async function migrate(engine: Engine, target?: string): Promise<MigrationResultSet> {
  // Naming the schema matters on PostgreSQL: without it Kysely would take another schema's migration table for ours.
  const schema = await engine.currentSchema();
  const migrator = new Migrator({
    db: engine.db,
    provider: new StaticProvider(engine.kind),
    migrationTableName: 'vigie_migrations',
    migrationLockTableName: 'vigie_migrations_lock',
    // Engineers add migrations in parallel: one written earlier may land after a later one has run somewhere.
    allowUnorderedMigrations: true,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${String(result.error)}`, { cause: result.error });
  }
  return result;
}
