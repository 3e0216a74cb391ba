import { useLang } from '../i18n';

/** The boundary sets of a figure, as the API gives them (`boundary_frame`, docs/geography.md "Boundary versions"). */
export interface BoundaryFrameView {
  sets: { code: string; state: string; name_fr: string; name_en: string; valid_from: string | null }[];
}

/** Reads the boundary sets an API answer says it uses, if it says so. */
export function frameOf(data: object | null | undefined): BoundaryFrameView | undefined {
  const f = data && 'boundary_frame' in data ? (data as { boundary_frame?: BoundaryFrameView }).boundary_frame : undefined;
  return f?.sets.length ? f : undefined;
}

/** « Découpage : Mali — … · Niger — … »: which boundary sets the figures on the page are counted in. */
export function BoundaryFrameNote({ of }: { of: object | null | undefined }) {
  const { t, lang } = useLang();
  const frame = frameOf(of);
  if (!frame) return null;
  return <p className="boundary-frame muted" data-testid="boundary-frame">{t('map.frame', { sets: frame.sets.map((s) => (lang === 'fr' ? s.name_fr : s.name_en)).join(' · ') })}</p>;
}
