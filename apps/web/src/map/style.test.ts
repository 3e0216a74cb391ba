import { describe, expect, it } from 'vitest';
import { buildStyle, FONT_BOLD, FONT_REGULAR, GEO_ATTRIBUTION, LABEL_LAYER_IDS, PLACE_RANK_BY_ZOOM, placeEmphasis } from './style';

const fonts = {
  regular: [{ url: '/assets/noto-400.woff2', ranges: ['U+0000-00FF'] }, { url: '/assets/noto-ext-400.woff2', ranges: ['U+0100-02BA'] }],
  bold: [{ url: '/assets/noto-600.woff2', ranges: ['U+0000-00FF'] }],
};

describe('the map style Vigie builds', () => {
  const style = buildStyle({ origin: 'https://vigie.example', lang: 'fr', fonts });
  const json = JSON.stringify(style);

  it('asks nothing of another origin: tiles, fonts and glyphs all come from Vigie', () => {
    const urls = [...json.matchAll(/"(https?:\/\/[^"]+)"/g)].map((m) => m[1]);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const u of urls) expect(u.startsWith('https://vigie.example/')).toBe(true);
    expect(style.sources.vigie).toMatchObject({ type: 'vector', tiles: ['https://vigie.example/api/v1/tiles/{z}/{x}/{y}.pbf'], maxzoom: 12 });
    // No glyph tiles at all: labels are drawn from the declared font files.
    expect(style.glyphs).toBeUndefined();
  });

  it('declares the label fonts with the ranges they cover (Fulfulde letters in latin-ext)', () => {
    const faces = (style as unknown as { 'font-faces': Record<string, { url: string; 'unicode-range': string[] }[]> })['font-faces'];
    expect(faces[FONT_REGULAR].map((f) => f.url)).toEqual(['https://vigie.example/assets/noto-400.woff2', 'https://vigie.example/assets/noto-ext-400.woff2']);
    const ext = faces[FONT_REGULAR][1]['unicode-range'][0];
    const [lo, hi] = ext.replace('U+', '').split('-').map((h) => parseInt(h, 16));
    for (const ch of 'ɓɗŋƴ') expect(ch.codePointAt(0)! >= lo && ch.codePointAt(0)! <= hi).toBe(true);
    expect(faces[FONT_BOLD]).toHaveLength(1);
    // Every label layer uses a declared font.
    for (const l of style.layers.filter((x) => x.type === 'symbol')) {
      const font = (l as { layout: { 'text-font': string[] } }).layout['text-font'][0];
      expect(Object.keys(faces)).toContain(font);
    }
  });

  it('draws boundaries and labels from the vector tiles, labels on top', () => {
    const ids = style.layers.map((l) => l.id);
    expect(ids[0]).toBe('background');
    for (const id of ['states-line', 'admin1-line', 'admin2-line', 'admin1-labels', 'admin2-labels', 'places']) expect(ids).toContain(id);
    const layerOf = (id: string) => style.layers.find((l) => l.id === id) as { 'source-layer': string };
    expect(layerOf('places')['source-layer']).toBe('places');
    expect(layerOf('admin1-labels')['source-layer']).toBe('admin1_labels');
    expect(layerOf('admin2-labels')['source-layer']).toBe('admin2_labels');
    const lastLine = Math.max(...ids.map((id, i) => (id.endsWith('-line') ? i : -1)));
    for (const id of LABEL_LAYER_IDS) expect(ids.indexOf(id)).toBeGreaterThan(lastLine);
  });

  it('labels bigger places first and more places as the user zooms in', () => {
    const places = style.layers.find((l) => l.id === 'places') as { filter: unknown; layout: Record<string, unknown> };
    expect(places.layout['symbol-sort-key']).toEqual(placeEmphasis([]).sortKey);
    const ranks = PLACE_RANK_BY_ZOOM.map(([, r]) => r);
    expect([...ranks].sort((a, b) => a - b)).toEqual(ranks);
    expect(ranks[0]).toBe(1);
    expect(ranks.at(-1)).toBe(5);
    expect(JSON.stringify(places.filter)).toContain('"step",["zoom"]');
  });

  it('puts the member states\' places before their neighbours\'', () => {
    const { sortKey, colour } = placeEmphasis(['MLI', 'NER']);
    expect(JSON.stringify(sortKey)).toContain('["literal",["MLI","NER"]]');
    expect(JSON.stringify(colour)).toContain('"case"');
  });

  it('names features in the reader\'s language, with a fallback', () => {
    const en = buildStyle({ origin: 'https://vigie.example', lang: 'en', fonts });
    const label = (s: typeof style) => (s.layers.find((l) => l.id === 'admin1-labels') as { layout: { 'text-field': unknown } }).layout['text-field'];
    expect(label(style)).toEqual(['coalesce', ['get', 'name_fr'], ['get', 'name'], ['get', 'name_en'], '']);
    expect(label(en)).toEqual(['coalesce', ['get', 'name_en'], ['get', 'name'], ['get', 'name_fr'], '']);
  });

  it('credits the boundary and place sources', () => {
    expect((style.sources.vigie as { attribution: string }).attribution).toBe(GEO_ATTRIBUTION);
    for (const s of ['GeoNames', 'CC BY', 'OCHA', 'geoBoundaries']) expect(GEO_ATTRIBUTION).toContain(s);
  });

  it('can leave the tiles out', () => {
    const bare = buildStyle({ origin: 'https://vigie.example', lang: 'fr', fonts, tiles: false });
    expect(bare.sources).toEqual({});
    expect(bare.layers.map((l) => l.id)).toEqual(['background']);
  });
});
