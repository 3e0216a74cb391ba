import { existsSync } from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  admin1Key,
  buildPanel,
  evaluateForecast,
  forecastNextMonth,
  rollingForecast,
  score,
  type ForecastEvent,
} from './forecast.js';
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

/** An event in the middle of `month` (YYYY-MM) in area `area` ("STATE:name"). */
function newEvent(month: string, area: string, fatalities: number, day = 15): ForecastEvent {
  const [state, name] = area.split(':');
  return { dateStart: `${month}-${String(day).padStart(2, '0')}T00:00:00.000Z`, admin1: admin1Key(state, name), fatalities };
}

/** One event per non-empty month of `series`, starting at `start` (YYYY-MM). */
function seriesEvents(area: string, start: string, series: readonly number[]): ForecastEvent[] {
  const [year, month] = start.split('-').map(Number);
  return series.flatMap((fatalities, i) => {
    const index = year * 12 + month - 1 + i;
    const label = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    return fatalities > 0 ? [newEvent(label, area, fatalities)] : [];
  });
}

/** Deterministic pseudo-random numbers (a linear congruential generator), so tests never flake. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

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

describe('buildPanel', () => {
  it('has every area that had an event and every month of the window, zeros included', () => {
    const panel = buildPanel([
      newEvent('2022-01', 'MLI:Mopti', 3),
      newEvent('2022-01', 'MLI:Mopti', 4, 28),
      newEvent('2022-03', 'MLI:Mopti', 5),
      newEvent('2022-02', 'NER:Diffa', 0),
    ]);
    expect(panel.months).toEqual(['2022-01', '2022-02', '2022-03']);
    expect(panel.areas).toEqual(['MLI:mopti', 'NER:diffa']);
    expect(panel.states).toEqual(['MLI', 'NER']);
    expect(panel.values).toEqual([[7, 0, 5], [0, 0, 0]]);
    // An event with no fatalities still makes its area known from that month on.
    expect(panel.firstEvent).toEqual([0, 1]);
  });

  it('counts an event in the UTC month it started', () => {
    const panel = buildPanel([
      { dateStart: '2022-01-31T23:30:00-01:00', admin1: 'NER:diffa', fatalities: 2 },
      { dateStart: '2022-01-01T00:00:00Z', admin1: 'NER:diffa', fatalities: 1 },
    ]);
    expect(panel.months).toEqual(['2022-01', '2022-02']);
    expect(panel.values).toEqual([[1, 2]]);
  });

  it('refuses malformed events, naming the field', () => {
    expect(() => buildPanel([{ dateStart: 'soon', admin1: 'MLI:mopti', fatalities: 1 }])).toThrow(/dateStart/);
    expect(() => buildPanel([{ dateStart: '2022-01-01', admin1: 'mopti', fatalities: 1 }])).toThrow(/admin1/);
    expect(() => buildPanel([{ dateStart: '2022-01-01', admin1: 'MLI:mopti', fatalities: -1 }])).toThrow(/fatalities/);
  });
});

describe('score', () => {
  it('computes RMSLE and MAE as published', () => {
    // (log1p(0) − log1p(3))² = ln(4)² = 1.9218; (log1p(7) − log1p(0))² = ln(8)² = 4.3241
    const metrics = score([0, 7], [3, 0]);
    expect(metrics.rmsle).toBeCloseTo(Math.sqrt((1.9218 + 4.3241) / 2), 3);
    expect(metrics.rmsle).toBeCloseTo(1.7672, 4);
    expect(metrics.mae).toBe(5);
  });
});

describe('evaluateForecast baselines', () => {
  // Mopti: Jan 10, Feb 2, Mar 0, Apr 3.  Diffa: Jan 0, Feb 0, Mar 7, Apr 0.
  const events = [
    ...seriesEvents('MLI:Mopti', '2022-01', [10, 2, 0, 3]),
    ...seriesEvents('NER:Diffa', '2022-01', [0, 0, 7, 0]),
  ];

  it('scores persistence (last month) and mean3 (mean of the last three) on a hand-checked example', () => {
    const result = evaluateForecast({ events, from: '2022-04', to: '2022-04' });
    expect(result.n).toBe(2);
    // Persistence forecasts Mopti 0 (actual 3) and Diffa 7 (actual 0): errors ln 4 and ln 8.
    expect(result.persistence.rmsle).toBeCloseTo(1.7672, 4);
    expect(result.persistence.mae).toBe(5);
    // mean3 forecasts Mopti (10+2+0)/3 = 4 (actual 3) and Diffa 7/3 (actual 0): errors ln 1.25 and ln(10/3).
    expect(result.mean3.rmsle).toBeCloseTo(0.8658, 4);
    expect(result.mean3.mae).toBeCloseTo(5 / 3, 10);
  });

  it('scores every area-month of the window, quiet months included', () => {
    const result = evaluateForecast({ events, from: '2022-03', to: '2022-04' });
    expect(result.n).toBe(4);
    // Persistence: Mopti 2→0 and 0→3; Diffa 0→7 and 7→0.
    expect(result.persistence.mae).toBe((2 + 3 + 7 + 7) / 4);
  });

  it('uses default parameters, and says so, when too little history precedes the window', () => {
    expect(evaluateForecast({ events, from: '2022-04', to: '2022-04' }).params.fittedOn).toBeNull();
  });

  it('refuses windows the data do not cover', () => {
    expect(() => evaluateForecast({ events, from: '2022-04', to: '2022-05' })).toThrow(/last event/);
    expect(() => evaluateForecast({ events, from: '2022-01', to: '2022-04' })).toThrow(/first event/);
    expect(() => evaluateForecast({ events, from: '2022-4', to: '2022-04' })).toThrow(/YYYY-MM/);
    expect(() => evaluateForecast({ events, from: '2022-04', to: '2022-03' })).toThrow(/after/);
  });
});

// ---------------------------------------------------------------------------------------------
// Rolling origin: the forecast for month m never sees month m

/** Four years of noisy activity in five areas of two states, deterministic. */
function syntheticEvents(seed = 7): ForecastEvent[] {
  const random = randomSource(seed);
  const areas: Array<[string, number]> = [['MLI:Mopti', 40], ['MLI:Gao', 8], ['MLI:Kayes', 0.5], ['BFA:Sahel', 25], ['BFA:Est', 3]];
  return areas.flatMap(([area, level]) => {
    const series = Array.from({ length: 48 }, () => {
      if (random() < Math.exp(-level / 4)) return 0; // quiet month, more likely where activity is low
      return Math.round(level * (0.2 + 1.6 * random()) * (random() < 0.1 ? 4 : 1)); // occasional massacre
    });
    return seriesEvents(area, '2019-01', series);
  });
}

describe('rolling origin', () => {
  const events = syntheticEvents();
  const month = '2022-06';
  const before = events.filter((e) => e.dateStart < `${month}-01`);

  it('forecastNextMonth(m) is unchanged when the events of month m and later change', () => {
    const changed = [
      ...before,
      newEvent(month, 'MLI:Mopti', 500),
      newEvent(month, 'NER:Tillabéri', 80), // an area first seen in month m
      newEvent('2022-09', 'BFA:Sahel', 1000),
    ];
    expect(forecastNextMonth(changed, month)).toEqual(forecastNextMonth(events, month));
  });

  it('the evaluated forecast for a month is unchanged when that month\'s values change', () => {
    const params = { decay: 0.85, shrink: 0.2, seasonal: 0.5, momentum: 0.5 };
    const panel = buildPanel(events, { to: month });
    const last = panel.months.length - 1;
    const altered = { ...panel, values: panel.values.map((series) => series.map((v, t) => (t === last ? v * 10 + 100 : v))) };
    const forecast = rollingForecast(panel, params);
    const alteredForecast = rollingForecast(altered, params);
    // Columns up to and including `month` are identical; only the month after may move.
    expect(alteredForecast.map((row) => row.slice(0, last + 1))).toEqual(forecast.map((row) => row.slice(0, last + 1)));
    expect(alteredForecast.map((row) => row[last + 1])).not.toEqual(forecast.map((row) => row[last + 1]));
  });

  it('fits the parameters on the 24 months before the window, never on the window', () => {
    const result = evaluateForecast({ events, from: '2022-01', to: '2022-12' });
    expect(result.params.fittedOn).toMatchObject({ from: '2020-01', to: '2021-12' });
    const inWindowChanged = [
      ...events.filter((e) => e.dateStart < '2022-01-01'),
      ...events.filter((e) => e.dateStart >= '2022-01-01').map((e) => ({ ...e, fatalities: e.fatalities * 3 })),
    ];
    expect(evaluateForecast({ events: inWindowChanged, from: '2022-01', to: '2022-12' }).params).toEqual(result.params);
  });
});

describe('model', () => {
  it('forecasts a steady area at its level', () => {
    const events = seriesEvents('NER:Diffa', '2020-01', new Array<number>(36).fill(20));
    const [diffa] = forecastNextMonth(events, '2023-01').areas;
    expect(diffa).toMatchObject({ admin1: 'NER:diffa', state: 'NER', lastMonth: 20, mean3: 20 });
    expect(diffa.fatalities).toBeCloseTo(20, 6);
  });

  it('counts the quiet months between the last event and the forecast month as zeros', () => {
    const events = seriesEvents('NER:Diffa', '2020-01', new Array<number>(36).fill(20));
    const [diffa] = forecastNextMonth(events, '2023-07').areas;
    expect(diffa).toMatchObject({ lastMonth: 0, mean3: 0 });
    expect(diffa.fatalities).toBeLessThan(20);
  });

  it('beats persistence and mean3 on noisy series with stable levels', () => {
    const result = evaluateForecast({ events: syntheticEvents(11), from: '2022-01', to: '2022-12' });
    expect(result.n).toBe(5 * 12);
    expect(result.model.rmsle).toBeLessThan(result.persistence.rmsle);
    expect(result.model.rmsle).toBeLessThan(result.mean3.rmsle);
  });

  it('is deterministic', () => {
    const events = syntheticEvents(3);
    expect(evaluateForecast({ events, from: '2022-01', to: '2022-12' })).toEqual(evaluateForecast({ events, from: '2022-01', to: '2022-12' }));
  });
});

// ---------------------------------------------------------------------------------------------
// The shared UCDP GED extract (real data)

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..');
const UCDP_FILE = path.resolve(repoRoot, '../shared/data/ucdp-ged/ucdp_ged_mli_bfa_ner_1989-2022-11.csv');
const hasUcdpFile = existsSync(UCDP_FILE);

describe.skipIf(!hasUcdpFile)(`UCDP GED shared extract (skipped: ${UCDP_FILE} not found)`, () => {
  let rows: UcdpFileRow[] = [];
  beforeAll(async () => {
    rows = await collect(readUcdpCsv(UCDP_FILE, AES));
  });

  it('reads every row as a valid event: 3,141 rows, per country as published, 25,110 fatalities', () => {
    expect(rows).toHaveLength(3141);
    expect(rows.filter((r) => !r.ok)).toEqual([]);
    const perState: Record<string, number> = {};
    let fatalities = 0;
    for (const row of rows) {
      if (!row.ok) continue;
      perState[row.event.state] = (perState[row.event.state] ?? 0) + 1;
      fatalities += row.event.best;
    }
    expect(perState).toEqual({ MLI: 1776, BFA: 881, NER: 484 });
    expect(fatalities).toBe(25110);
  });

  it('reads event 320136, repaired by hand in the extract, with its place description', () => {
    const row = rows.find((r) => r.ok && r.event.id === 320136);
    expect(row?.ok && row.event).toMatchObject({ state: 'NER', wherePrec: 2, whereCoordinates: 'Dan Marke Ii village' });
  });

  it('over 2021-12..2022-11 the model beats persistence by a quarter and beats mean3', { timeout: 60_000 }, async () => {
    const input = await readUcdpForecastEvents(UCDP_FILE, AES);
    // Events UCDP placed in no admin-1 unit are counted, not silently lost.
    expect(input.events.length + input.withoutAdmin1).toBe(3141);
    const result = evaluateForecast({ events: input.events, from: '2021-12', to: '2022-11' });
    expect(result.params.fittedOn).toMatchObject({ from: '2019-12', to: '2021-11' });
    expect(result.n).toBe(31 * 12);
    expect(result.model.rmsle).toBeLessThanOrEqual(0.75 * result.persistence.rmsle);
    expect(result.model.rmsle).toBeLessThan(result.mean3.rmsle);
    expect(result.model.mae).toBeLessThan(result.persistence.mae);
  });
});
