import { boundarySetText } from '@vigie/domain/boundary-frame-text';
import './strategy.css';
import type { Definition } from '@vigie/domain/strategy.schema';
import { definitionAreas, redrawnAreas, type BoundarySets } from './redrawn-areas';
import { getBoundarySets } from '../../api/generated';
import { loadReference, placeName } from '../../api/reference';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import './messages';

/**
 * « Zone redécoupée … »: a computed indicator naming an area that a newer boundary set split or renamed counts only the
 * current areas it names — its series changes at the reform unless the definition is edited.
 */
export function RedrawnAreasNote({ definition }: { definition: Definition }) {
  const { t, lang } = useLang();
  const codes = definitionAreas(definition);
  const sets = useApi(codes.length ? 'boundary-sets' : null, (s) => getBoundarySets({}, s));
  const ref = useApi('ref', () => loadReference());
  if (!sets.data) return null;
  const l = lang === 'en' ? 'en' : 'fr';
  const list = (xs: string[]) => new Intl.ListFormat(l, { type: 'conjunction' }).format(xs.map((c) => placeName(ref.data, c, l)));
  return (
    <>
      {redrawnAreas(codes, sets.data).map((r) => (
        <p key={r.code} className="redrawn-area" role="note" data-testid="redrawn-area">
          {t('strategy.redrawn', { set: boundarySetText(r.set, l), from: placeName(ref.data, r.code, l), to: list(r.to) })}
        </p>
      ))}
    </>
  );
}
