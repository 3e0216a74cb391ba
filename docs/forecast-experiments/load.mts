import { centroidTable, buildProbPanel } from '/work/wt/fc17/apps/server/src/services/forecast/panel.js';
import { countryTable, readUcdpForecastEvents } from '/work/wt/fc17/apps/server/src/services/forecast/ucdp-csv.js';
import { loadReferenceConfig } from '/work/wt/fc17/apps/server/src/services/geography/reference.service.js';
import { writeFileSync } from 'node:fs';
const reference = loadReferenceConfig();
const countries = countryTable(reference.states.map((s) => ({ code: s.code, names: [s.name_en, s.name_fr] })));
const centroids = centroidTable(reference.admin_areas.filter((a) => a.level === 1).map((a) => ({ state: a.state, names: [a.name_fr, a.name_en], lat: a.centroid_lat ?? null, lon: a.centroid_lon ?? null })));
const input = await readUcdpForecastEvents('/work/shared/data/ucdp-ged/ucdp_ged_mli_bfa_ner_1989-2022-11.csv', countries);
const panel = buildProbPanel(input.events, { to: '2022-11', centroids });
writeFileSync('/tmp/fc17/panel.json', JSON.stringify({ start: panel.start, width: panel.width, areas: panel.areas, states: panel.states, firstEvent: panel.firstEvent, neighbours: panel.neighbours,
  fat: panel.fatalities.map((s) => [...s]), inc: panel.incidents.map((s) => [...s]), type: panel.byType.map((k) => k.map((s) => [...s])),
  cent: panel.areas.map((k) => centroids.get(k) ?? null) }));
console.log(panel.areas.length, panel.width, panel.start/12);
writeFileSync('/tmp/fc17/events.json', JSON.stringify(input.events.map((e) => [e.dateStart, panel.areas.indexOf(e.admin1), e.fatalities, e.typeOfViolence ?? 0])));
