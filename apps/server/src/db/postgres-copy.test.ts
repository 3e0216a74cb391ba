import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../test-support/engines.js';
import { csvCopyPage, textCopyPage } from './line-layout.js';
import { inlineParameters } from './postgres-copy.js';

describe('inlineParameters (COPY takes no parameters)', () => {
  it('writes each value as a quoted literal, leaving quoted text and identifiers as they are', () => {
    expect(inlineParameters(`select $1, '$1 it''s', "a""$2", $2 from t where x = $10`, ['o\'k', 3, null, null, null, null, null, null, null, true]))
      .toBe(`select 'o''k', '$1 it''s', "a""$2", '3' from t where x = 'true'`);
    // A backslash: an escape string, its backslash doubled.
    expect(inlineParameters('select $1', ['back\\slash'])).toBe("select  E'back\\\\slash'");
  });

  it('refuses a value it does not write, a missing one, and an unterminated quote', () => {
    expect(() => inlineParameters('select $1', [{ a: 1 }])).toThrow(/\$1/);
    expect(() => inlineParameters('select $1', [Number.NaN])).toThrow(/\$1/);
    expect(() => inlineParameters('select $2', ['x'])).toThrow(/\$2/);
    expect(() => inlineParameters("select 'x", [])).toThrow(/quote/);
  });
});

describe('csvCopyPage', () => {
  it('cuts the level and audited id off each line and ends it with CRLF, a line feed inside quotes kept', () => {
    const page = csvCopyPage(Buffer.from('2,ab-1,x,"a\nb",y\n0,,"say ""hi""\n",z\n3,cd,,\n'), ',');
    expect(page).toMatchObject({ count: 3, top: 3, audited: ['ab-1', 'cd'] });
    expect(page.chunk.toString()).toBe('x,"a\nb",y\r\n"say ""hi""\n",z\r\n,\r\n');
    expect(csvCopyPage(Buffer.alloc(0), ';')).toMatchObject({ count: 0, top: -1, audited: [] });
  });
});

describe('textCopyPage', () => {
  it('reads each row\'s level, audited id and line through COPY\'s escapes, and joins the lines as the layout says', () => {
    const layout = { between: ',\n', after: '', point: { first: 'longitude', sep: ',', missing: 'null' } } as const;
    // COPY's text of the line {"a":"b\"c"} doubles its backslash; a tab and a line feed come as \t and \n.
    const page = textCopyPage(Buffer.from('1\t\\N\t{"a":"b\\\\"c"}\n3\tid-9\tx\\ty\\nz\n'), layout);
    expect(page).toMatchObject({ count: 2, top: 3, audited: ['id-9'] });
    expect(page.chunk.toString()).toBe('{"a":"b\\"c"},\nx\ty\nz');
  });
});

/**
 * Text COPY must carry through unchanged: any character but NUL (which PostgreSQL's text cannot hold), with the ones
 * that end or quote a field in either format (quotes, line breaks, separators, tabs, backslashes) drawn often.
 */
const text = fc.string({
  unit: fc.oneof(fc.constantFrom('"', '\n', '\r', ',', ';', '\t', '\\'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
  maxLength: 12,
}).map((s) => s.replaceAll('\0', ''));

describe('COPY … TO STDOUT (FORMAT csv) on PostgreSQL, read back as the export reads it', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await freshDatabase('postgres');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('gives back every row as it was, whatever its text, with either separator', async () => {
    const copyCsv = db.engine.copyCsv;
    expect(copyCsv).toBeDefined();
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.option(fc.uuid(), { nil: null }), text, fc.option(text, { nil: null })), { minLength: 1, maxLength: 6 }),
      fc.constantFrom(',', ';'),
      async (rows, sep) => {
        // The rows as parameters (inlined into the COPY), in order.
        const values = sql.join(rows.map(([level, id, a, b], k) => sql`(${k}, ${level}::int, ${id}::text, ${a}::text, ${b}::text)`));
        const query = sql`select level, id, a, b from (values ${values}) as r(k, level, id, a, b) order by k`;
        const page = await (copyCsv as NonNullable<typeof copyCsv>)({ compile: () => query.compile(db.engine.db) }, sep);
        expect(page.count).toBe(rows.length);
        expect(page.top).toBe(Math.max(...rows.map((r) => r[0])));
        expect(page.audited).toEqual(rows.flatMap((r) => (r[1] === null ? [] : [r[1]])));
        const lines = page.chunk.toString('utf8');
        expect(lines.endsWith('\r\n')).toBe(true);
        // COPY writes a null and an empty text alike in one way each (nothing; ""): read back, both are strings.
        const read = parse(lines, { delimiter: sep, record_delimiter: '\r\n', relax_column_count: false }) as string[][];
        expect(read).toEqual(rows.map(([, , a, b]) => [a, b ?? '']));
      },
    ), { numRuns: 60 });
  });

  it('gives back every line whole from COPY\'s text format, whatever it holds', async () => {
    const copyLines = db.engine.copyLines;
    expect(copyLines).toBeDefined();
    const layout = { between: ',\n', after: '\n', point: { first: 'longitude', sep: ',', missing: 'null' } } as const;
    await fc.assert(fc.asyncProperty(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.option(fc.uuid(), { nil: null }), text), { minLength: 1, maxLength: 6 }),
      async (rows) => {
        const values = sql.join(rows.map(([level, id, line], k) => sql`(${k}, ${level}::int, ${id}::text, ${line}::text)`));
        const query = sql`select level, id, line from (values ${values}) as r(k, level, id, line) order by k`;
        const page = await (copyLines as NonNullable<typeof copyLines>)({ compile: () => query.compile(db.engine.db) }, layout);
        expect(page).toMatchObject({ count: rows.length, top: Math.max(...rows.map((r) => r[0])), audited: rows.flatMap((r) => (r[1] === null ? [] : [r[1]])) });
        expect(page.chunk.toString('utf8')).toBe(`${rows.map((r) => r[2]).join(',\n')}\n`);
      },
    ), { numRuns: 60 });
  });
});
