import { boundaryFrameText } from '@vigie/domain/boundary-frame-text';
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

/**
 * « Découpage : Mali — …, en vigueur depuis le 1er juillet 2025 · Niger — … »: which boundary sets the figures on the
 * page are counted in, with the date from which each is in force (a set without one is named alone).
 */
export function BoundaryFrameNote({ of }: { of: object | null | undefined }) {
  const { t, lang } = useLang();
  const frame = frameOf(of);
  if (!frame) return null;
  return <p className="boundary-frame muted" data-testid="boundary-frame">{t('map.frame', { sets: boundaryFrameText(frame, lang === 'en' ? 'en' : 'fr') })}</p>;
}
