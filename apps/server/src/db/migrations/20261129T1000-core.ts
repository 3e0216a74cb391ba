import { sql, type Kysely } from 'kysely';
import type { EngineKind } from '../engine.js';

/** Reference data, users and sessions, incidents with their history and search index, and the audit chain. */
export async function up(db: Kysely<unknown>, kind: EngineKind): Promise<void> {
  const real = kind === 'postgres' ? 'double precision' : 'real';

  await db.schema
    .createTable('organisations')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('state', 'confederation')`))
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('member_states')
    .addColumn('code', 'text', (c) => c.primaryKey().references('organisations.code'))
    .addColumn('iso2', 'text', (c) => c.notNull())
    .addColumn('iso_numeric', 'text')
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();

  await db.schema
    .createTable('admin_areas')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull().references('member_states.code'))
    .addColumn('level', 'integer', (c) => c.notNull().check(sql`level between 1 and 3`))
    .addColumn('parent_code', 'text', (c) => c.references('admin_areas.code'))
    .addColumn('name_fr', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_folded', 'text', (c) => c.notNull())
    .addColumn('centroid_lat', real, (c) => c.notNull())
    .addColumn('centroid_lon', real, (c) => c.notNull())
    .addColumn('geometry', 'text')
    .addColumn('min_lon', real)
    .addColumn('min_lat', real)
    .addColumn('max_lon', real)
    .addColumn('max_lat', real)
    .addColumn('source', 'text')
    .execute();
  await db.schema.createIndex('admin_areas_state_level').on('admin_areas').columns(['state', 'level']).execute();

  await db.schema
    .createTable('actors')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'integer', (c) => c.notNull().check(sql`kind between 1 and 8`))
    .addColumn('state', 'text', (c) => c.references('member_states.code'))
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('organisation', 'text', (c) => c.notNull().references('organisations.code'))
    .addColumn('role', 'text', (c) =>
      c.notNull().check(sql`role in ('reporter','analyst','focal_point','confederation_analyst','decision_maker','admin')`),
    )
    .addColumn('clearance', 'integer', (c) => c.notNull().check(sql`clearance between 0 and 3`))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('fr'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_login_at', 'text')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('second_factor', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();

  let incidents = db.schema
    .createTable('incidents')
    // seq is SQLite's stable rowid (it survives VACUUM), which keys the full-text index; id is the public key.
    .addColumn('seq', kind === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('reporting_state', 'text', (c) => c.notNull().references('member_states.code'))
    .addColumn('reporter_id', 'text', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','submitted','validated','rejected','merged')`))
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('create_hash', 'text', (c) => c.notNull())
    .addColumn('occurred_start', 'text', (c) => c.notNull())
    .addColumn('occurred_end', 'text')
    .addColumn('time_precision', 'integer', (c) => c.notNull().check(sql`time_precision between 1 and 3`))
    .addColumn('latitude', real, (c) => c.notNull().check(sql`latitude between -90 and 90`))
    .addColumn('longitude', real, (c) => c.notNull().check(sql`longitude between -180 and 180`))
    .addColumn('coarse_latitude', real, (c) => c.notNull())
    .addColumn('coarse_longitude', real, (c) => c.notNull())
    .addColumn('exact_location_level', 'integer', (c) => c.check(sql`exact_location_level between 0 and 3`))
    .addColumn('geo_precision', 'integer', (c) => c.notNull().check(sql`geo_precision between 1 and 5`))
    .addColumn('place_name', 'text')
    .addColumn('admin1_code', 'text', (c) => c.references('admin_areas.code'))
    .addColumn('admin2_code', 'text', (c) => c.references('admin_areas.code'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('sub_event_type', 'text', (c) => c.notNull())
    .addColumn('interaction', 'integer')
    .addColumn('tags', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('narrative', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('search_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('actor1', 'text', (c) => c.references('actors.code'))
    .addColumn('actor2', 'text', (c) => c.references('actors.code'))
    .addColumn('associated_actors', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('fatalities_best', 'integer', (c) => c.notNull().check(sql`fatalities_best >= 0`))
    .addColumn('fatalities_low', 'integer')
    .addColumn('fatalities_high', 'integer')
    .addColumn('civilian_fatalities', 'integer', (c) => c.notNull().check(sql`civilian_fatalities >= 0`))
    .addColumn('injured', 'integer', (c) => c.notNull().check(sql`injured >= 0`))
    .addColumn('abducted', 'integer', (c) => c.notNull().check(sql`abducted >= 0`))
    .addColumn('sources', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('classification_level', 'integer', (c) => c.notNull().check(sql`classification_level between 0 and 3`))
    .addColumn('sharing_scope', 'text', (c) => c.notNull().check(sql`sharing_scope in ('national','confederation','public')`))
    .addColumn('rejection_reason', 'text')
    .addColumn('merged_into', 'text', (c) => c.references('incidents.id'))
    .addColumn('assigned_to', 'text', (c) => c.references('users.id'))
    .addColumn('external_source', 'text')
    .addColumn('external_id', 'text');
  if (kind === 'postgres') {
    incidents = incidents.addColumn('search_vector', sql`tsvector`, (c) =>
      c.generatedAlwaysAs(sql`to_tsvector('simple', search_text)`).stored(),
    );
  }
  await incidents.execute();

  await db.schema.createIndex('incidents_occurred').on('incidents').columns(['occurred_start', 'id']).execute();
  await db.schema.createIndex('incidents_state_status').on('incidents').columns(['reporting_state', 'status', 'occurred_start']).execute();
  await db.schema.createIndex('incidents_admin1').on('incidents').columns(['admin1_code', 'occurred_start']).execute();
  await db.schema.createIndex('incidents_admin2').on('incidents').columns(['admin2_code', 'occurred_start']).execute();
  await db.schema.createIndex('incidents_type').on('incidents').columns(['event_type', 'occurred_start']).execute();
  await db.schema.createIndex('incidents_updated').on('incidents').columns(['updated_at', 'id']).execute();
  await db.schema.createIndex('incidents_assigned').on('incidents').column('assigned_to').execute();
  await db.schema.createIndex('incidents_external').on('incidents').columns(['external_source', 'external_id']).unique().execute();
  if (kind === 'postgres') {
    await sql`create index incidents_search on incidents using gin (search_vector)`.execute(db);
  } else {
    await sql`create virtual table incident_search using fts5(body, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 2')`.execute(db);
  }

  await db.schema
    .createTable('incident_actors')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('actor_code', 'text', (c) => c.notNull().references('actors.code'))
    .addPrimaryKeyConstraint('incident_actors_pk', ['incident_id', 'actor_code'])
    .execute();
  await db.schema.createIndex('incident_actors_actor').on('incident_actors').columns(['actor_code', 'incident_id']).execute();

  await db.schema
    .createTable('incident_versions')
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.references('users.id'))
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('changed_fields', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('incident_versions_pk', ['incident_id', 'version'])
    .execute();

  await db.schema
    .createTable('audit_events')
    // seq is assigned under the chain lock (last + 1), so it has no gaps on either engine.
    .addColumn('seq', kind === 'postgres' ? 'bigint' : 'integer', (c) => c.primaryKey())
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text')
    .addColumn('login', 'text')
    .addColumn('organisation', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('object_type', 'text')
    .addColumn('object_id', 'text')
    .addColumn('classification_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sharing_scope', 'text')
    .addColumn('owner_state', 'text')
    .addColumn('before_digest', 'text')
    .addColumn('after_digest', 'text')
    .addColumn('details', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull().unique())
    .execute();
  await db.schema.createIndex('audit_object').on('audit_events').columns(['object_type', 'object_id']).execute();
}
