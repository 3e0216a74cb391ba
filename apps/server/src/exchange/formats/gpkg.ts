import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { COLUMNS, type Cell, type ColumnKind, type ExportRecord } from '../columns.js';
import type { ExportFormatWriter, ExportJob } from './format.js';

const TABLE = 'incidents';
const SQL_TYPES: Record<ColumnKind, string> = { text: 'TEXT', int: 'INTEGER', number: 'REAL', bool: 'BOOLEAN', instant: 'DATETIME' };
/** Records per transaction while filling the file. */
const BATCH = 2000;

/**
 * A point as GeoPackage geometry (OGC 12-128r18 §2.1.3): the "GP" header (version 0, little-endian, no envelope,
 * SRS 4326) followed by the ISO WKB point, x = longitude, y = latitude.
 */
export function gpkgPoint(lon: number, lat: number): Buffer {
  const b = Buffer.alloc(8 + 21);
  b.write('GP', 0, 'ascii');
  b.writeUInt8(0, 2);
  b.writeUInt8(0b0000_0001, 3);
  b.writeInt32LE(4326, 4);
  b.writeUInt8(1, 8);
  b.writeUInt32LE(1, 9);
  b.writeDoubleLE(lon, 13);
  b.writeDoubleLE(lat, 21);
  return b;
}

const SCHEMA = `
  PRAGMA application_id = 1196444487;
  PRAGMA user_version = 10300;
  CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
    organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
  INSERT INTO gpkg_spatial_ref_sys VALUES
    ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
    ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
    ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
  CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
    description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
    min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER REFERENCES gpkg_spatial_ref_sys(srs_id));
  CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
    srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL, PRIMARY KEY (table_name, column_name));
  CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
    scope TEXT NOT NULL, UNIQUE (table_name, column_name, extension_name));
  CREATE TABLE gpkg_metadata (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, md_scope TEXT NOT NULL DEFAULT 'dataset',
    md_standard_uri TEXT NOT NULL, mime_type TEXT NOT NULL DEFAULT 'text/xml', metadata TEXT NOT NULL DEFAULT '');
  CREATE TABLE gpkg_metadata_reference (reference_scope TEXT NOT NULL, table_name TEXT, column_name TEXT, row_id_value INTEGER,
    timestamp DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), md_file_id INTEGER NOT NULL, md_parent_id INTEGER);
  INSERT INTO gpkg_extensions VALUES
    ('gpkg_metadata', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec/#extension_metadata', 'read-write'),
    ('gpkg_metadata_reference', NULL, 'gpkg_metadata', 'http://www.geopackage.org/spec/#extension_metadata', 'read-write');
`;

/** Fills a GeoPackage file with the records. */
async function fill(file: string, rows: AsyncIterable<readonly ExportRecord[]>, job: ExportJob): Promise<void> {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(SCHEMA);
    const cols = COLUMNS.map((c) => `"${c.key}" ${SQL_TYPES[c.kind]}`).join(', ');
    db.exec(`CREATE TABLE ${TABLE} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POINT, ${cols})`);
    const insert = db.prepare(`INSERT INTO ${TABLE} (geom, ${COLUMNS.map((c) => `"${c.key}"`).join(', ')}) VALUES (?, ${COLUMNS.map(() => '?').join(', ')})`);
    const bounds = [Infinity, Infinity, -Infinity, -Infinity];
    let batch: unknown[][] = [];
    const flush = db.transaction((items: unknown[][]) => { for (const v of items) insert.run(v); });
    for await (const page of rows) for (const r of page) {
      batch.push([gpkgPoint(r.longitude, r.latitude), ...COLUMNS.map((c) => sqlValue(c.value(r)))]);
      bounds[0] = Math.min(bounds[0]!, r.longitude); bounds[1] = Math.min(bounds[1]!, r.latitude);
      bounds[2] = Math.max(bounds[2]!, r.longitude); bounds[3] = Math.max(bounds[3]!, r.latitude);
      if (batch.length >= BATCH) { flush(batch); batch = []; }
    }
    flush(batch);
    const [minX, minY, maxX, maxY] = bounds.map((b) => (Number.isFinite(b) ? b : null));
    db.prepare('INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 4326)')
      .run(TABLE, 'features', `${TABLE} (${job.metadata.classification})`, job.banner, minX, minY, maxX, maxY);
    db.prepare("INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)").run(TABLE);
    const md = db.prepare("INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES ('dataset', 'https://vigie.invalid/export-banner', 'application/json', ?)")
      .run(JSON.stringify({ ...job.metadata, banner: job.banner }));
    db.prepare("INSERT INTO gpkg_metadata_reference (reference_scope, md_file_id) VALUES ('geopackage', ?)").run(md.lastInsertRowid);
  } finally {
    db.close();
  }
}

const sqlValue = (v: Cell) => (typeof v === 'boolean' ? (v ? 1 : 0) : v);

/**
 * GeoPackage 1.3 (an SQLite file: OGC 12-128r18): one feature table `incidents` of points (EPSG:4326), the banner in
 * gpkg_contents.description and as the file's metadata (gpkg_metadata, scope geopackage). SQLite needs a file, so the
 * records are written to a temporary one (disk, not memory, grows with the export), which is then streamed and removed.
 */
export const gpkgFormat: ExportFormatWriter = {
  contentType: 'application/geopackage+sqlite3',
  extension: '.gpkg',
  async *write(rows, job) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-export-'));
    try {
      const file = path.join(dir, 'export.gpkg');
      await fill(file, rows, job);
      yield* fs.createReadStream(file) as AsyncIterable<Buffer>;
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
};
