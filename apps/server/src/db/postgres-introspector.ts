import { sql, type DatabaseIntrospector, type DatabaseMetadata, type Kysely, type SchemaMetadata, type TableMetadata } from 'kysely';

/**
 * Kysely's PostgreSQL introspector lists the tables of every schema the role may use, and checks each schema by name
 * (`has_schema_privilege(nspname, …)`): a schema dropped by someone else while that query runs makes it fail with
 * "schema … does not exist". Vigie only ever looks at its own schema (the migrator asks whether its tables exist), so
 * this introspector reads the current schema only, by oid, and cannot trip over other schemas coming and going.
 */
export class CurrentSchemaIntrospector implements DatabaseIntrospector {
  constructor(private readonly db: Kysely<unknown>) {}

  async getSchemas(): Promise<SchemaMetadata[]> {
    const r = await sql<{ name: string }>`select current_schema() as name`.execute(this.db);
    return r.rows.filter((s) => s.name !== null);
  }

  async getTables(): Promise<TableMetadata[]> {
    const r = await sql<{ table: string; schema: string; kind: string; column: string | null; type: string | null; not_null: boolean | null; has_default: boolean | null }>`
      select c.relname as "table", n.nspname as "schema", c.relkind as kind,
             a.attname as "column", t.typname as "type", a.attnotnull as not_null, a.atthasdef as has_default
      from pg_catalog.pg_class c
      join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
      left join pg_catalog.pg_type t on t.oid = a.atttypid
      where n.nspname = current_schema() and c.relkind in ('r', 'v', 'p')
      order by c.relname, a.attnum`.execute(this.db);
    const tables = new Map<string, TableMetadata>();
    for (const row of r.rows) {
      let table = tables.get(row.table);
      if (!table) {
        table = { name: row.table, schema: row.schema, isView: row.kind === 'v', columns: [] };
        tables.set(row.table, table);
      }
      if (row.column) {
        table.columns.push({
          name: row.column, dataType: row.type ?? '', isNullable: !row.not_null, hasDefaultValue: !!row.has_default,
          isAutoIncrementing: false,
        });
      }
    }
    return [...tables.values()];
  }

  async getMetadata(): Promise<DatabaseMetadata> {
    return { tables: await this.getTables() };
  }
}
