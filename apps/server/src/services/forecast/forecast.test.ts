import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { admin1Key } from './forecast.js';
import {
  countryTable,
  parseUcdpRow,
  readUcdpCsv,
  readUcdpForecastEvents,
  UCDP_REQUIRED_COLUMNS,
  type UcdpFileRow,
  type UcdpRecord,
} from './ucdp-csv.js';

// ---------------------------------------------------------------------------------------------
// Factories

/** The caller's states; the parser knows none of them by itself. */
const AES = countryTable([
  { code: 'MLI', names: ['Mali'] },
  { code: 'BFA', names: ['Burkina Faso'] },
  { code: 'NER', names: ['Niger'] },
]);

/** A valid UCDP GED record (Niger, Tillabéri), with overrides. */
function ucdpRecord(overrides: Record<string, string | undefined> = {}): UcdpRecord {
  return {
    id: '456550', relid: 'NER-2022-3-1093-50', year: '2022', type_of_violence: '3',
    conflict_name: 'IS - Civilians', dyad_name: 'IS - Civilians', side_a: 'IS', side_b: 'Civilians',
    number_of_sources: '-1', source_article: '"""RFI,2022-11-30,Attaque"""', source_original: 'local sources',
    where_prec: '2', where_coordinates: 'Dan Marke Ii village',
    where_description: 'Dan Marké 2, located in the commune of Sanam,\nTillabéri region',
    adm_1: 'Tillabéri region', adm_2: 'Tera department', latitude: '14.016667', longitude: '0.750000',
    priogrid_gid: '150842', country: 'Niger', country_id: '436', event_clarity: '1', date_prec: '1',
    date_start: '11/30/2022 00:00:00', date_end: '11/30/2022 00:00:00',
    deaths_a: '0', deaths_b: '0', deaths_civilians: '7', deaths_unknown: '0',
    best_est: '7', high_est: '9', low_est: '7',
    ...overrides,
  };
}

function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvOf(records: readonly UcdpRecord[], columns: readonly string[] = UCDP_REQUIRED_COLUMNS): string {
  const lines = [columns.join(','), ...records.map((r) => columns.map((c) => csvField(r[c] ?? '')).join(','))];
  return `${lines.join('\n')}\n`;
}

async function collect(rows: AsyncIterable<UcdpFileRow>): Promise<UcdpFileRow[]> {
  const out: UcdpFileRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

// ---------------------------------------------------------------------------------------------
// UCDP rows

describe('parseUcdpRow', () => {
  it('maps a valid record to a typed event, stripping the admin suffix and keeping accents', () => {
    const result = parseUcdpRow(ucdpRecord(), AES);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject({
      id: 456550,
      state: 'NER',
      typeOfViolence: 3,
      dateStart: '2022-11-30T00:00:00.000Z',
      dateEnd: '2022-11-30T00:00:00.000Z',
      datePrec: 1,
      wherePrec: 2,
      adm1: 'Tillabéri',
      adm2: 'Tera department',
      best: 7,
      low: 7,
      high: 9,
      deathsCivilians: 7,
      numberOfSources: null,
    });
    expect(result.event.whereDescription).toContain('\n');
  });

  it('finds the state through the caller\'s table, accent- and case-blind', () => {
    const table = countryTable([{ code: 'BFA', names: ['Burkina Faso'] }]);
    const burkina = parseUcdpRow(ucdpRecord({ country: 'BURKINA FASO' }), table);
    expect(burkina.ok && burkina.event.state).toBe('BFA');
    expect(parseUcdpRow(ucdpRecord({ country: 'Niger' }), table)).toMatchObject({ ok: false, field: 'country' });
  });

  it('keeps an event UCDP placed in no admin-1 unit, with adm1 null', () => {
    const result = parseUcdpRow(ucdpRecord({ adm_1: '', adm_2: '', where_prec: '6' }), AES);
    expect(result.ok && result.event.adm1).toBeNull();
  });

  it('accepts UCDP\'s own ISO date form as well as MM/DD/YYYY', () => {
    const result = parseUcdpRow(ucdpRecord({ date_start: '2022-11-29 00:00:00.000' }), AES);
    expect(result.ok && result.event.dateStart).toBe('2022-11-29T00:00:00.000Z');
  });

  it('accepts estimates that are not ordered low ≤ best ≤ high, as UCDP publishes some', () => {
    expect(parseUcdpRow(ucdpRecord({ low_est: '18', best_est: '17', high_est: '45' }), AES).ok).toBe(true);
  });

  const badFields: Array<[string, string | undefined, string]> = [
    ['date_start', '30/11/2022 00:00:00', 'date_start'],
    ['date_start', '02/30/2022 00:00:00', 'date_start'],
    ['date_start', '11/30/2022 13:00:00', 'date_start'],
    ['date_end', '11/29/2022 00:00:00', 'date_end'],
    ['type_of_violence', '4', 'type_of_violence'],
    ['where_prec', '7', 'where_prec'],
    ['date_prec', '0', 'date_prec'],
    ['best_est', '-1', 'best_est'],
    ['best_est', '2.5', 'best_est'],
    ['high_est', '', 'high_est'],
    ['latitude', 'north', 'latitude'],
    ['longitude', '200', 'longitude'],
    ['event_clarity', '3', 'event_clarity'],
    ['country', 'Chad', 'country'],
    ['id', undefined, 'id'],
  ];
  it.each(badFields)('rejects %s = %j and names the field', (column, value, field) => {
    const result = parseUcdpRow(ucdpRecord({ [column]: value }), AES);
    expect(result).toMatchObject({ ok: false, field });
    if (!result.ok) expect(result.reason).toContain(field);
  });
});

describe('readUcdpCsv', () => {
  it('reads quoted fields with newlines and doubled quotes, and reports every row with its line', async () => {
    const good = ucdpRecord({ where_description: 'Dan Marké 2, "near" Sanam,\nTillabéri region' });
    const bad = ucdpRecord({ id: '2', date_start: 'yesterday' });
    const text = `${csvOf([good, bad])}1,2,3\n`;
    const rows = await collect(readUcdpCsv(Readable.from([text]), AES));
    expect(rows.map((r) => [r.row, r.line, r.ok])).toEqual([[1, 2, true], [2, 4, false], [3, 6, false]]);
    expect(rows[0].ok && rows[0].event.whereDescription).toBe('Dan Marké 2, "near" Sanam,\nTillabéri region');
    expect(rows[1]).toMatchObject({ field: 'date_start' });
    expect(rows[2]).toMatchObject({ field: '(row)' });
  });

  it('ignores the unnamed trailing column of older GED files', async () => {
    const columns = [...UCDP_REQUIRED_COLUMNS, ''];
    const rows = await collect(readUcdpCsv(Readable.from([csvOf([ucdpRecord()], columns)]), AES));
    expect(rows.map((r) => r.ok)).toEqual([true]);
  });

  it('fails with the file system\'s error when the file does not exist', async () => {
    await expect(collect(readUcdpCsv('/nonexistent/ucdp.csv', AES))).rejects.toThrow(/ENOENT/);
  });

  it('refuses a file whose header lacks a required column, naming it', async () => {
    const columns = UCDP_REQUIRED_COLUMNS.filter((c) => c !== 'best_est');
    await expect(collect(readUcdpCsv(Readable.from([csvOf([ucdpRecord()], columns)]), AES))).rejects.toThrow(/best_est/);
  });
});

// ---------------------------------------------------------------------------------------------
// Panel, baselines, metrics

describe('admin1Key', () => {
  it('folds accents, case and hyphens so that spellings of one area meet', () => {
    expect(admin1Key('NER', 'Tillabéri')).toBe('NER:tillaberi');
    expect(admin1Key('NER', 'TILLABERI')).toBe(admin1Key('NER', 'Tillabéri'));
    expect(admin1Key('BFA', 'Centre-Nord')).toBe(admin1Key('BFA', 'Centre Nord'));
  });
});
