import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useLang } from '../../i18n';
import { formatNumber } from '../../i18n/format';
import { placeContext, searchable, searchPlaces, type Place } from './places';

const DEBOUNCE_MS = 250;

/**
 * A place search box (ARIA 1.2 combobox with a list box): typing asks the gazetteer after a short pause, arrows move
 * through the results, Enter or a click chooses one, Escape closes the list. Shared by the incident form, the
 * incident list's filters and the map.
 */
export function PlaceSearch({ label, onPick, state, hint, testId }: { label: string; onPick(place: Place): void; state?: string; hint?: string; testId?: string }) {
  const { t, lang } = useLang();
  const id = useId();
  const [text, setText] = useState('');
  const [items, setItems] = useState<Place[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [status, setStatus] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const chosen = useRef<string | null>(null);

  useEffect(() => {
    if (!searchable(text) || text === chosen.current) { setItems([]); setStatus('idle'); return; }
    const ctrl = new AbortController();
    const timer = setTimeout(() => {
      setStatus('loading');
      searchPlaces(text, { state, signal: ctrl.signal }).then(
        (r) => { setItems(r); setActive(r.length ? 0 : -1); setOpen(true); setStatus('done'); },
        (e: unknown) => { if (!ctrl.signal.aborted) { setItems([]); setStatus('error'); console.warn(e); } },
      );
    }, DEBOUNCE_MS);
    return () => { clearTimeout(timer); ctrl.abort(); };
  }, [text, state]);

  function choose(p: Place) {
    chosen.current = p.name;
    setText(p.name);
    setOpen(false);
    setItems([]);
    setActive(-1);
    onPick(p);
  }
  function onKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown' && items.length) { e.preventDefault(); setOpen(true); setActive((a) => (a + 1) % items.length); }
    else if (e.key === 'ArrowUp' && items.length) { e.preventDefault(); setOpen(true); setActive((a) => (a <= 0 ? items.length - 1 : a - 1)); }
    else if (e.key === 'Enter' && open && items[active]) { e.preventDefault(); choose(items[active]); }
    else if (e.key === 'Escape' && open) { e.preventDefault(); setOpen(false); }
  }

  const listId = `${id}-list`;
  const expanded = open && items.length > 0;
  const message = status === 'loading' ? t('places.searching')
    : status === 'error' ? t('places.error')
      : status === 'done' && open ? (items.length ? t('places.results', { count: items.length }) : t('places.none')) : '';
  return (
    <div className="field place-search" data-testid={testId}>
      <label htmlFor={`${id}-input`}>{label}</label>
      <div className="place-box">
      <input
        id={`${id}-input`} type="text" role="combobox" autoComplete="off" spellCheck={false} value={text}
        aria-expanded={expanded} aria-controls={listId} aria-autocomplete="list" aria-describedby={`${id}-hint`}
        aria-activedescendant={expanded && active >= 0 ? `${id}-opt-${active}` : undefined}
        onChange={(e) => { chosen.current = null; setText(e.target.value); }} onKeyDown={onKey}
        onBlur={() => setTimeout(() => setOpen(false), 150)} onFocus={() => { if (items.length) setOpen(true); }}
      />
      <ul id={listId} role="listbox" aria-label={label} className="place-options" hidden={!expanded}>
        {items.map((p, i) => (
          <li key={p.id} id={`${id}-opt-${i}`} role="option" aria-selected={i === active} className={i === active ? 'active' : ''}
            onMouseDown={(e) => e.preventDefault()} onClick={() => choose(p)}>
            <span className="place-name">{p.name}</span> <span className="place-where">{placeContext(p)}</span>
            {p.population ? <span className="place-pop">{t('places.population', { n: formatNumber(p.population, lang) })}</span> : null}
          </li>
        ))}
      </ul>
      </div>
      <span id={`${id}-hint`} className="hint">{hint ?? t('places.hint')}</span>
      <span className="sr-only" role="status" aria-live="polite">{message}</span>
      {status === 'done' && open && !items.length && <span className="hint">{t('places.none')}</span>}
    </div>
  );
}
