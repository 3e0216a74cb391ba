/**
 * The CQL2 parsers against examples of the standard (OGC 21-065, its text and JSON examples), the faults a user
 * makes (with their position), and the compiler's guarantees: literals are bound parameters, properties come from
 * the whitelist only.
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { CqlError, type Cql } from './ast.js';
import { compileCql2, type Queryables } from './compile.js';
import { parseCql2Json } from './parse-json.js';
import { parseCql2Text } from './parse-text.js';

/** Text examples of OGC 21-065 (sections 6–7 and Annex B) within the classes Vigie implements, each with its JSON twin. */
const PAIRS: [string, unknown][] = [
  ["city='Toronto'", { op: '=', args: [{ property: 'city' }, 'Toronto'] }],
  ['floors>5', { op: '>', args: [{ property: 'floors' }, 5] }],
  ['taxes <= 500', { op: '<=', args: [{ property: 'taxes' }, 500] }],
  ["updated >= date('1970-01-01')", { op: '>=', args: [{ property: 'updated' }, { date: '1970-01-01' }] }],
  ["updated > TIMESTAMP('2012-08-10T05:30:00Z')", { op: '>', args: [{ property: 'updated' }, { timestamp: '2012-08-10T05:30:00Z' }] }],
  ["name LIKE 'Smith%'", { op: 'like', args: [{ property: 'name' }, 'Smith%'] }],
  ["owner LIKE '% Jones %'", { op: 'like', args: [{ property: 'owner' }, '% Jones %'] }],
  ["NOT owner LIKE '% Mike %'", { op: 'not', args: [{ op: 'like', args: [{ property: 'owner' }, '% Mike %'] }] }],
  ["owner NOT LIKE '% Mike %'", { op: 'not', args: [{ op: 'like', args: [{ property: 'owner' }, '% Mike %'] }] }],
  ['depth BETWEEN 100.0 and 150.0', { op: 'between', args: [{ property: 'depth' }, 100.0, 150.0] }],
  ["cityName IN ('Toronto','Frankfurt','Tokyo','New York')", { op: 'in', args: [{ property: 'cityName' }, ['Toronto', 'Frankfurt', 'Tokyo', 'New York']] }],
  ["category NOT IN (1,2,3)", { op: 'not', args: [{ op: 'in', args: [{ property: 'category' }, [1, 2, 3]] }] }],
  ['value IS NULL', { op: 'isNull', args: [{ property: 'value' }] }],
  ['value IS NOT NULL', { op: 'not', args: [{ op: 'isNull', args: [{ property: 'value' }] }] }],
  ['swimming_pool = true', { op: '=', args: [{ property: 'swimming_pool' }, true] }],
  ["(floors > 5 AND material='brick') OR swimming_pool=true", {
    op: 'or', args: [{ op: 'and', args: [{ op: '>', args: [{ property: 'floors' }, 5] }, { op: '=', args: [{ property: 'material' }, 'brick'] }] }, { op: '=', args: [{ property: 'swimming_pool' }, true] }],
  }],
  ['eo:cloud_cover BETWEEN 0.1 AND 0.2 AND landsat:wrs_row=28 AND landsat:wrs_path=203', {
    op: 'and', args: [
      { op: 'between', args: [{ property: 'eo:cloud_cover' }, 0.1, 0.2] },
      { op: '=', args: [{ property: 'landsat:wrs_row' }, 28] },
      { op: '=', args: [{ property: 'landsat:wrs_path' }, 203] },
    ],
  }],
  ['S_INTERSECTS(geometry,POINT(36.319836 32.288087))', { op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Point', coordinates: [36.319836, 32.288087] }] }],
  ['S_INTERSECTS(location,BBOX(-118,33.8,-117.9,34))', { op: 's_intersects', args: [{ property: 'location' }, { bbox: [-118, 33.8, -117.9, 34] }] }],
  ['S_INTERSECTS(geometry,POLYGON((-10.0 50.0,10.0 50.0,10.0 60.0,-10.0 60.0,-10.0 50.0)))', {
    op: 's_intersects', args: [{ property: 'geometry' }, { type: 'Polygon', coordinates: [[[-10, 50], [10, 50], [10, 60], [-10, 60], [-10, 50]]] }],
  }],
  ["T_INTERSECTS(event_time, INTERVAL('1969-07-16T05:32:00Z', '1969-07-24T16:50:35Z'))", {
    op: 't_intersects', args: [{ property: 'event_time' }, { interval: ['1969-07-16T05:32:00Z', '1969-07-24T16:50:35Z'] }],
  }],
  ["T_BEFORE(built, DATE('2015-01-01'))", { op: 't_before', args: [{ property: 'built' }, { date: '2015-01-01' }] }],
  ["T_INTERSECTS(updated, INTERVAL('2017-06-10', '..'))", { op: 't_intersects', args: [{ property: 'updated' }, { interval: ['2017-06-10', '..'] }] }],
  ["CASEI(road_class) IN (CASEI('Οδος'),CASEI('Straße'))", {
    op: 'in', args: [{ op: 'casei', args: [{ property: 'road_class' }] }, [{ op: 'casei', args: ['Οδος'] }, { op: 'casei', args: ['Straße'] }]],
  }],
  ["ACCENTI(etat_vol) = ACCENTI('débárquér')", { op: '=', args: [{ op: 'accenti', args: [{ property: 'etat_vol' }] }, { op: 'accenti', args: ['débárquér'] }] }],
  ['"Foo Bar" = -2.5e1', { op: '=', args: [{ property: 'Foo Bar' }, -25] }],
  ["S_DISJOINT(geometry, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)),((5 5, 6 5, 6 6, 5 5))))", {
    op: 's_disjoint', args: [{ property: 'geometry' }, { type: 'MultiPolygon', coordinates: [[[[0, 0], [1, 0], [1, 1], [0, 0]]], [[[5, 5], [6, 5], [6, 6], [5, 5]]]] }],
  }],
];

/** Positions are a text-only notion: compare the trees without them. */
const strip = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x: unknown) => (k === 'pos' ? undefined : x)));

describe('CQL2 parsers', () => {
  it.each(PAIRS)('%s: the text and JSON encodings give the same tree', (text, json) => {
    expect(strip(parseCql2Text(text))).toEqual(strip(parseCql2Json(JSON.stringify(json))));
  });

  it('reads keywords in any case, quoted strings with doubled quotes, TRUE as a predicate', () => {
    expect(strip(parseCql2Text("name = 'l''Étoile' and NOT (x is null)"))).toEqual({
      k: 'and', args: [{ k: 'cmp', op: '=', left: { k: 'prop', name: 'name' }, right: { k: 'str', v: "l'Étoile" } }, { k: 'not', arg: { k: 'isnull', value: { k: 'prop', name: 'x' } } }],
    });
    expect(parseCql2Text('TRUE')).toEqual({ k: 'literal', v: true });
    expect((parseCql2Text('a = 1 OR b = 2 AND c = 3') as Extract<Cql, { args: Cql[] }>).args[1]?.k).toBe('and');
  });

  it.each([
    ["city = 'Toronto", 8, 'unterminated character literal'],
    ["city == 'Toronto'", 7, "expected a property, a literal or a function, found '='"],
    ['floors > ', 10, 'found the end of the filter'],
    ['(floors > 5', 12, "expected ')'"],
    ['floors > 5 AND', 15, 'found the end of the filter'],
    ["city = 'a' extra", 12, 'expected AND, OR or the end of the filter'],
    ['floors BETWEEN 1 OR 2', 18, 'expected AND'],
    ['balance-150.0 > 0', 8, 'unexpected character'],
    ["avg(windSpeed) < 4", 1, 'unknown function avg'],
    ["updated > DATE('10/01/2020')", 16, 'expected a valid date'],
    ['S_INTERSECTS(geometry, POINT(1))', 31, 'expected a number'],
    ['floors ~ 5', 8, "unexpected character '~'"],
  ])('"%s" is refused at position %i', (text, pos, message) => {
    let err: unknown;
    try { parseCql2Text(text as string); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CqlError);
    expect((err as CqlError).position).toBe(pos);
    expect((err as CqlError).message).toContain(message);
  });

  it('refuses malformed JSON, naming where', () => {
    expect(() => parseCql2Json('{"op":"=","args":[{"property":"a"}]}')).toThrow(/takes 2 arguments/);
    expect(() => parseCql2Json('{"op":"and","args":[{"op":"=","args":[1,2]},{"op":"nope","args":[]}]}')).toThrow(/unknown or unsupported operator "nope" at args\[1\]/);
    expect(() => parseCql2Json('{"op":')).toThrow(CqlError);
  });

  it('bounds the size and depth of a filter', () => {
    expect(() => parseCql2Text(`${'('.repeat(100)}a=1${')'.repeat(100)}`)).toThrow(/nested too deeply/);
    expect(() => parseCql2Text(`a = '${'x'.repeat(30_000)}'`)).toThrow(/longer than/);
  });
});

describe('CQL2 compiler', () => {
  const db = new Kysely<Record<string, never>>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
  const Q: Queryables = {
    name: { type: 'string', title: 'Name', sql: sql.ref('t.name') },
    n: { type: 'number', title: 'N', sql: sql.ref('t.n') },
    at: { type: 'datetime', title: 'At', sql: sql.ref('t.at') },
    geometry: { type: 'geometry', title: 'G', point: { lon: sql<number>`t.lon`, lat: sql<number>`t.lat` } },
  };
  const compiled = (text: string) => compileCql2(parseCql2Text(text), Q).compile(db);

  it('binds every literal as a parameter and names only whitelisted columns', () => {
    const c = compiled("name = 'x'' OR 1=1 --' AND n IN (1, 2)");
    expect(c.sql).not.toContain('OR 1=1');
    expect(c.parameters).toContain("x' OR 1=1 --");
    expect(c.sql).toContain('"t"."name"');
  });

  it('refuses a property outside the whitelist, a type mismatch, an unsupported spatial test', () => {
    expect(() => compiled("password = 'x'")).toThrow(/unknown queryable "password"/);
    expect(() => compiled("n = 'deux'")).toThrow(/cannot compare a number with a string/);
    expect(() => compiled("S_CROSSES(geometry, POINT(0 0))")).toThrow(/not supported/);
    expect(() => compiled("S_INTERSECTS(geometry, LINESTRING(0 0, 1 1))")).toThrow(/not a LineString/);
    expect(() => compiled("T_INTERSECTS(name, DATE('2020-01-01'))")).toThrow(/not a temporal property/);
  });

  it('evaluates on SQLite as the standard says: polygons with holes, case and accent folding, dates as whole days', async () => {
    await sql`create table t (name text, n real, at text, lon real, lat real)`.execute(db);
    await sql`insert into t values ('Tillabéri', 2, '2026-03-14T08:00:00.000Z', 1.45, 14.21), ('SÉGOU', 5, '2026-01-10T00:00:00.000Z', -6.26, 13.43), ('Djibo', 7, '2026-02-05T12:00:00.000Z', -1.63, 14.1)`.execute(db);
    const names = async (text: string) => (await sql<{ name: string }>`select name from t where ${compileCql2(parseCql2Text(text), Q)} order by name`.execute(db)).rows.map((r) => r.name);
    expect(await names("ACCENTI(CASEI(name)) = ACCENTI(CASEI('tillaberi'))")).toEqual(['Tillabéri']);
    expect(await names("CASEI(name) = CASEI('Ségou')")).toEqual(['SÉGOU']);
    expect(await names("ACCENTI(name) = 'SEGOU'")).toEqual(['SÉGOU']);
    expect(await names("at = DATE('2026-02-05')")).toEqual(['Djibo']);
    expect(await names("T_INTERSECTS(at, INTERVAL('..', '2026-02-05'))")).toEqual(['Djibo', 'SÉGOU']);
    expect(await names("T_AFTER(at, TIMESTAMP('2026-02-05T12:00:00Z'))")).toEqual(['Tillabéri']);
    // A square around the three points with a hole around Djibo.
    expect(await names('S_INTERSECTS(geometry, POLYGON((-10 10, 5 10, 5 20, -10 20, -10 10), (-2 13, -1 13, -1 15, -2 15, -2 13)))')).toEqual(['SÉGOU', 'Tillabéri']);
    expect(await names('S_DISJOINT(geometry, BBOX(-2, 13, -1, 15))')).toEqual(['SÉGOU', 'Tillabéri']);
    expect(await names('n BETWEEN 2 AND 5 AND NOT name LIKE \'T%\'')).toEqual(['SÉGOU']);
  });
});
