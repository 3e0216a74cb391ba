import { useId } from 'react';

export interface Option {
  value: string;
  label: string;
}

/** A labelled group of checkboxes (small sets) — keyboard and screen-reader friendly, usable on a phone. */
export function CheckGroup({ legend, options, value, onChange, name }: { legend: string; options: Option[]; value: string[]; onChange(v: string[]): void; name: string }) {
  return (
    <fieldset className="check-group">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.value} className="check">
          <input
            type="checkbox" name={name} value={o.value} checked={value.includes(o.value)}
            onChange={(e) => onChange(e.target.checked ? [...value, o.value] : value.filter((v) => v !== o.value))}
          />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

/** A labelled multiple select (long lists). */
export function MultiSelect({ label, options, value, onChange, name }: { label: string; options: Option[]; value: string[]; onChange(v: string[]): void; name: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} multiple size={Math.min(6, Math.max(3, options.length))} value={value}
        onChange={(e) => onChange([...e.target.selectedOptions].map((o) => o.value))}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
    </div>
  );
}
