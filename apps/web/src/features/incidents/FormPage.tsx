import { lazy, Suspense, useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams, useSearchParams } from '../../app/router';
import { CLASSIFICATIONS, CREDIBILITY_GRADES, CREDIBILITY_LABELS, GEO_PRECISIONS, RELIABILITY_GRADES, RELIABILITY_LABELS, SHARING_SCOPES, SOURCE_KINDS, TIME_PRECISIONS } from '@vigie/domain/classification';
import { incidentCreateSchema, incidentPatchSchema } from '@vigie/domain/incident.schema';
import { EVENT_TYPES, eventTypeOf, taxonomyLabel } from '@vigie/domain/taxonomy';
import { fieldErrors, safeParseInput } from '@vigie/domain/validation';
import { PROBLEMS, type ProblemCode } from '@vigie/domain/problems';
import { ApiError } from '../../api/client';
import { getIncidentsId, patchIncidentsId } from '../../api/generated';
import { loadReference } from '../../api/reference';
import type { Incident } from '../../api/types';
import { v7 as uuidv7 } from 'uuid';
import { useSession } from '../../app/session';
import { useApi } from '../../app/use-api';
import { useLang } from '../../i18n';
import { ErrorMessage } from '../../ui/ErrorMessage';
import { Field } from '../../ui/Field';
import { conflictReport } from './diff';
import { fieldName, showField } from './show-field';
import { subTypeGroups } from './sub-types';
import { changedFields, emptyForm, formToBody, incidentToForm, lowersProtection, newSource, type IncidentForm, type SourceForm } from './form-model';
import { PlaceSearch } from '../../map/places/PlaceSearch';
import { formFieldsFor } from '../../map/places/places';
import { OutboxFilesField, toOutboxFiles } from '../outbox/OutboxFilesField';
import '../outbox/messages';

const LocationPicker = lazy(() => import('../../map/LocationPicker'));
// The light picker by default; the MapLibre one (~450 KB) only when asked for.
const SvgPicker = lazy(() => import('../../map/svg/SvgPicker'));

/** Fields an outbox payload may lack, so that it reads like an incident in the form. */
const emptyIncidentShape = { tags: [], associated_actors: [], sources: [], occurred_end: null, latitude: '', longitude: '' };

interface Conflict {
  current: Incident;
  rows: ReturnType<typeof conflictReport>;
}

/** Create (no :id) or edit an incident; validated with the shared schema before it leaves the browser. */
export function FormPage() {
  const { id } = useParams();
  const { t, lang } = useLang();
  const navigate = useNavigate();
  const { session } = useSession();
  const clearance = session?.user.clearance ?? 0;
  const ref = useApi('ref', () => loadReference());
  const existing = useApi(id ? `inc-${id}` : null, (signal) => getIncidentsId({ id: id! }, signal));
  const [base, setBase] = useState<Incident | null>(null);
  const [form, setForm] = useState<IncidentForm>(emptyForm);
  const [status, setStatus] = useState<'draft' | 'submitted'>('submitted');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [serverError, setServerError] = useState<unknown>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [subSearch, setSubSearch] = useState('');
  const [busy, setBusy] = useState(false);
  const [clientId, setClientId] = useState(() => uuidv7());
  // Photos and documents of a new report: kept with it in the outbox, sent after it.
  const [files, setFiles] = useState<File[]>([]);
  // « Corriger » a report kept on this device (refused by the server, or a local draft): its payload and its id.
  const outboxId = useSearchParams()[0].get('outbox');
  useEffect(() => {
    if (!outboxId || id) return;
    void import('../outbox/outbox-runner').then((o) => o.getItem(outboxId)).then((item) => {
      if (!item) return;
      const p = item.payload as Record<string, unknown>;
      setClientId(item.id);
      setStatus(p.status === 'draft' ? 'draft' : 'submitted');
      setForm(incidentToForm({ ...emptyIncidentShape, ...p } as unknown as Incident));
      if (item.lastError?.fields?.length) showErrors(item.lastError.fields);
    });
  // eslint-disable-next-line react-hooks/exhaustive-deps -- once per outbox item
  }, [outboxId, id]);
  const [detailedMap, setDetailedMap] = useState(false);

  useEffect(() => {
    if (existing.data && !base) {
      setBase(existing.data);
      setForm(incidentToForm(existing.data));
    }
  }, [existing.data, base]);

  const set = <K extends keyof IncidentForm>(k: K, v: IncidentForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const setSource = (i: number, s: Partial<SourceForm>) => setForm((f) => ({ ...f, sources: f.sources.map((x, j) => (j === i ? { ...x, ...s } : x)) }));

  function showErrors(list: { field: string; message: string }[]) {
    const map: Record<string, string> = {};
    for (const e of list) map[e.field] ??= e.message;
    setErrors(map);
    requestAnimationFrame(() => document.querySelector<HTMLElement>('.field.invalid input, .field.invalid select, .field.invalid textarea')?.focus());
  }

  /** « Garder sur cet appareil »: the report as it is, even unfinished, kept in the outbox as a draft and not sent. */
  async function keepOnDevice() {
    setBusy(true);
    try {
      const outbox = await import('../outbox/outbox-runner');
      if (session) outbox.startOutbox(session.user.id);
      await outbox.putReport(clientId, { id: clientId, status, ...formToBody(form) }, 'draft', await toOutboxFiles(files));
      navigate('/my-reports', { state: { keptOnDevice: true } });
    } catch (err) {
      setServerError(err);
    } finally {
      setBusy(false);
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setServerError(null);
    setConflict(null);
    const body = formToBody(form);
    try {
      setBusy(true);
      if (!base) {
        const parsed = safeParseInput(incidentCreateSchema, { id: clientId, status, ...body });
        if (!parsed.success) return showErrors(plainErrors(fieldErrors(parsed.error, lang), body, t));
        setErrors({});
        // Through the outbox: kept on the device until the server confirms it, so no network costs nothing.
        const outbox = await import('../outbox/outbox-runner');
        if (session) outbox.startOutbox(session.user.id);
        await outbox.putReport(clientId, { id: clientId, status, ...body }, 'queued', await toOutboxFiles(files));
        setFiles([]);
        await outbox.sendOutbox({ force: true });
        const item = await outbox.getItem(clientId);
        if (!item) navigate(`/incidents/${clientId}`, { state: { saved: true } });
        else if (item.state === 'rejected' && item.lastError && !item.reportSent) {
          const e = item.lastError;
          if (e.fields?.length) showErrors(e.fields);
          setServerError(new ApiError(e.status ?? 400, { type: 'about:blank', title: PROBLEMS[e.code as ProblemCode]?.title[lang] ?? e.message, status: e.status ?? 400, code: e.code, ...(e.fields ? { errors: e.fields } : {}) } as never));
        } else navigate('/my-reports', { state: { savedOffline: true } });
      } else {
        const changes = changedFields(formToBody(incidentToForm(base)), body);
        const patchBody = { version: base.version, ...(reason.trim() ? { change_reason: reason.trim() } : {}), ...changes };
        const parsed = safeParseInput(incidentPatchSchema, patchBody);
        if (!parsed.success) return showErrors(plainErrors(fieldErrors(parsed.error, lang), patchBody, t));
        // Lowering a classification or a location protection is recorded with its reason: the server refuses it without one.
        if (!reason.trim() && lowersProtection(base, changes)) return showErrors([{ field: 'change_reason', message: t('form.reason_required_lowering') }]);
        setErrors({});
        const saved = await patchIncidentsId({ id: base.id, body: patchBody });
        navigate(`/incidents/${saved.id}`, { state: { saved: true } });
      }
    } catch (err) {
      if (err instanceof ApiError && err.code === 'version_conflict' && base) {
        const current = await getIncidentsId({ id: base.id });
        setConflict({ current, rows: conflictReport(base as unknown as Record<string, unknown>, current as unknown as Record<string, unknown>, body) });
      } else if (err instanceof ApiError && err.fieldErrors.length) {
        showErrors(err.fieldErrors);
        setServerError(err);
      } else setServerError(err);
    } finally {
      setBusy(false);
    }
  }

  /** Continue from the current version, keeping the user's own changes on top of it. */
  function rebase() {
    if (!conflict || !base) return;
    const mine = changedFields(formToBody(incidentToForm(base)), formToBody(form));
    const next = incidentToForm(conflict.current);
    const mineForm = form as unknown as Record<string, unknown>;
    const merged = { ...next } as unknown as Record<string, unknown>;
    for (const k of Object.keys(mine)) if (k in mineForm) merged[k] = mineForm[k];
    setBase(conflict.current);
    setForm(merged as unknown as IncidentForm);
    setConflict(null);
  }

  if (id && existing.error) return <ErrorMessage error={existing.error} />;
  if (id && !base) return <p role="status">{t('app.loading')}</p>;
  const err = (f: string) => errors[f];
  const groups = subTypeGroups(lang, form.event_type, subSearch);
  const show = { t, lang, ref: ref.data };
  const areas1 = (ref.data?.admin_areas ?? []).filter((a) => a.level === 1);
  const areas2 = (ref.data?.admin_areas ?? []).filter((a) => a.level === 2 && (!form.admin1_code || a.parent_code === form.admin1_code));
  const errorCount = Object.keys(errors).length;
  const lat = Number(form.latitude);
  const lon = Number(form.longitude);
  // A location protected above the editor's clearance is shown coarsened and only someone cleared for it may change it.
  const locked = !!base?.location_coarsened;
  const point = form.latitude !== '' && form.longitude !== '' && Number.isFinite(lat) && Number.isFinite(lon) ? { lat, lon } : null;

  return (
    <section aria-labelledby="form-title">
      <h1 id="form-title">{base ? t('form.edit_title') : t('form.new_title')}</h1>
      {conflict && base && (
        <div className="card conflict" role="alert" data-testid="conflict">
          <h2>{t('form.conflict_title')}</h2>
          <p>{t('form.conflict_intro', { from: base.version, to: conflict.current.version })}</p>
          <div className="table-wrap"><table>
            <thead><tr><th scope="col">{t('form.field')}</th><th scope="col">{t('form.before')}</th><th scope="col">{t('form.theirs')}</th><th scope="col">{t('form.yours')}</th></tr></thead>
            <tbody>{conflict.rows.map((r) => (
              <tr key={r.field} className={r.clash ? 'clash' : ''}>
                <th scope="row">{fieldName(t, r.field)}</th><td>{showField(show, r.field, r.before)}</td><td>{showField(show, r.field, r.after)}</td><td>{'mine' in r ? showField(show, r.field, r.mine) : '—'}</td>
              </tr>))}</tbody>
          </table></div>
          <button type="button" className="primary" onClick={rebase}>{t('form.conflict_reload')}</button>
        </div>
      )}
      {errorCount > 0 && <p role="alert" className="error">{t('form.errors_summary', { count: errorCount })}</p>}
      <form onSubmit={submit} noValidate className="incident-form">
        <fieldset className="card"><legend>{t('form.when')}</legend>
          <div className="grid">
            <Field name="occurred_start" label={t('form.occurred_start')} error={err('occurred_start')}>
              {(p) => <input {...p} type="datetime-local" value={form.occurred_start} onChange={(e) => set('occurred_start', e.target.value)} />}
            </Field>
            <Field name="occurred_end" label={t('form.occurred_end')} error={err('occurred_end')}>
              {(p) => <input {...p} type="datetime-local" value={form.occurred_end} onChange={(e) => set('occurred_end', e.target.value)} />}
            </Field>
            <Field name="time_precision" label={t('form.time_precision')} error={err('time_precision')}>
              {(p) => <select {...p} value={form.time_precision} onChange={(e) => set('time_precision', e.target.value)}>
                {TIME_PRECISIONS.map((v) => <option key={v} value={v}>{t(`time_precision.${v}`)}</option>)}</select>}
            </Field>
          </div>
        </fieldset>

        <fieldset className="card"><legend>{t('form.where')}</legend>
          {!locked && <PlaceSearch label={t('places.search')} hint={t('places.form_hint')} testId="form-place-search"
            onPick={(place) => setForm((f) => ({ ...f, ...formFieldsFor(place) }))} />}
          <div className="grid">
            <Field name="latitude" label={t('form.latitude')} error={err('latitude')}>
              {(p) => <input {...p} inputMode="decimal" disabled={locked} value={form.latitude} onChange={(e) => set('latitude', e.target.value)} />}
            </Field>
            <Field name="longitude" label={t('form.longitude')} error={err('longitude')}>
              {(p) => <input {...p} inputMode="decimal" disabled={locked} value={form.longitude} onChange={(e) => set('longitude', e.target.value)} />}
            </Field>
            <Field name="geo_precision" label={t('form.geo_precision')} error={err('geo_precision')}>
              {(p) => <select {...p} disabled={locked} value={form.geo_precision} onChange={(e) => set('geo_precision', e.target.value)}>
                {GEO_PRECISIONS.map((v) => <option key={v} value={v}>{v} – {t(`geo_precision.${v}`)}</option>)}</select>}
            </Field>
            <Field name="place_name" label={t('form.place_name')} error={err('place_name')}>
              {(p) => <input {...p} disabled={locked} value={form.place_name} onChange={(e) => set('place_name', e.target.value)} />}
            </Field>
            <Field name="admin1_code" label={t('form.admin1_code')} error={err('admin1_code')}>
              {(p) => <select {...p} disabled={locked} value={form.admin1_code} onChange={(e) => { set('admin1_code', e.target.value); set('admin2_code', ''); }}>
                <option value="">{t('common.unknown')}</option>
                {areas1.map((a) => <option key={a.code} value={a.code}>{lang === 'fr' ? a.name_fr : a.name_en} ({a.state})</option>)}</select>}
            </Field>
            {areas2.length > 0 && (
              <Field name="admin2_code" label={t('form.admin2_code')} error={err('admin2_code')}>
                {(p) => <select {...p} disabled={locked} value={form.admin2_code} onChange={(e) => set('admin2_code', e.target.value)}>
                  <option value="">{t('common.unknown')}</option>
                  {areas2.map((a) => <option key={a.code} value={a.code}>{lang === 'fr' ? a.name_fr : a.name_en}</option>)}</select>}
              </Field>
            )}
          </div>
          {locked && <p className="notice" role="note">{t('form.location_locked')}</p>}
          {!locked && <p className="hint" id="pick-hint">{t('form.pick_on_map')}</p>}
          {!locked && <Suspense fallback={<div className="picker-placeholder" role="status">{t('app.loading')}</div>}>
            {detailedMap
              ? <LocationPicker value={point} onPick={(p) => setForm((f) => ({ ...f, latitude: p.lat.toFixed(5), longitude: p.lon.toFixed(5) }))} />
              : <SvgPicker value={point} onPick={(p) => setForm((f) => ({ ...f, latitude: String(p.lat), longitude: String(p.lon) }))} />}
          </Suspense>}
          {!locked && !detailedMap && <button type="button" className="link" onClick={() => setDetailedMap(true)}>{t('form.detailed_map')}</button>}
        </fieldset>

        <fieldset className="card"><legend>{t('form.what')}</legend>
          <div className="grid">
            <Field name="event_type" label={t('form.event_type')} error={err('event_type')}>
              {(p) => <select {...p} value={form.event_type} onChange={(e) => setForm((f) => ({ ...f, event_type: e.target.value, sub_event_type: '' }))}>
                <option value="">{t('form.choose')}</option>
                {EVENT_TYPES.map((et) => <option key={et.slug} value={et.slug}>{et.label[lang]}</option>)}</select>}
            </Field>
            <div className="field">
              <label htmlFor="f-sub-search">{t('form.sub_event_search')}</label>
              <input id="f-sub-search" type="search" value={subSearch} onChange={(e) => setSubSearch(e.target.value)} aria-controls="f-sub_event_type" />
            </div>
            <Field name="sub_event_type" label={t('form.sub_event_type')} error={err('sub_event_type')}>
              {(p) => <select {...p} value={form.sub_event_type} onChange={(e) => {
                const slug = e.target.value;
                // A sub-type found by search brings its type with it.
                setForm((f) => ({ ...f, sub_event_type: slug, event_type: (slug && eventTypeOf(slug)) || f.event_type }));
              }}>
                <option value="">{t('form.choose')}</option>
                {form.sub_event_type && !groups.some((g) => g.options.some((o) => o.slug === form.sub_event_type)) && (
                  <option value={form.sub_event_type}>{taxonomyLabel(form.sub_event_type, lang)}</option>
                )}
                {groups.length === 1 && !subSearch
                  ? groups[0]?.options.map((s) => <option key={s.slug} value={s.slug}>{s.label}</option>)
                  : groups.map((g) => <optgroup key={g.type} label={g.label}>{g.options.map((s) => <option key={s.slug} value={s.slug}>{s.label}</option>)}</optgroup>)}
              </select>}
            </Field>
            <Field name="tags" label={`${t('form.tags')} ${t('form.tags_hint')}`} error={err('tags')}>
              {(p) => <input {...p} value={form.tags} onChange={(e) => set('tags', e.target.value)} />}
            </Field>
          </div>
          <Field name="narrative" label={t('form.narrative')} error={err('narrative')}>
            {(p) => <textarea {...p} rows={5} value={form.narrative} onChange={(e) => set('narrative', e.target.value)} />}
          </Field>
        </fieldset>

        <fieldset className="card"><legend>{t('form.who')}</legend>
          <div className="grid">
            {(['actor1', 'actor2'] as const).map((k) => (
              <Field key={k} name={k} label={t(`form.${k}`)} error={err(k)}>
                {(p) => <select {...p} value={form[k]} onChange={(e) => set(k, e.target.value)}>
                  <option value="">{t('common.unknown')}</option>
                  {(ref.data?.actors ?? []).map((a) => <option key={a.code} value={a.code}>{a.name}</option>)}</select>}
              </Field>
            ))}
            <Field name="associated_actors" label={t('form.associated_actors')} error={err('associated_actors')}>
              {(p) => <select {...p} multiple size={4} value={form.associated_actors} onChange={(e) => set('associated_actors', [...e.target.selectedOptions].map((o) => o.value))}>
                {(ref.data?.actors ?? []).map((a) => <option key={a.code} value={a.code}>{a.name}</option>)}</select>}
            </Field>
          </div>
        </fieldset>

        <fieldset className="card"><legend>{t('form.toll')}</legend>
          <div className="grid">
            {(['fatalities_best', 'fatalities_low', 'fatalities_high', 'civilian_fatalities', 'injured', 'abducted'] as const).map((k) => (
              <Field key={k} name={k} label={t(`form.${k}`)} error={err(k)}>
                {(p) => <input {...p} inputMode="numeric" value={form[k]} onChange={(e) => set(k, e.target.value)} />}
              </Field>
            ))}
          </div>
        </fieldset>

        <fieldset className="card"><legend>{t('form.sources')}</legend>
          <p className="hint">{t('form.admiralty_help')}</p>
          {form.sources.map((s, i) => (
            <div key={i} className="grid source-row">
              <Field name={`sources.${i}.name`} label={t('form.source_name')} error={err(`sources.${i}.name`)}>
                {(p) => <input {...p} value={s.name} onChange={(e) => setSource(i, { name: e.target.value })} />}
              </Field>
              <Field name={`sources.${i}.kind`} label={t('form.source_kind')} error={err(`sources.${i}.kind`)}>
                {(p) => <select {...p} value={s.kind} onChange={(e) => setSource(i, { kind: e.target.value })}>
                  {SOURCE_KINDS.map((k) => <option key={k} value={k}>{t(`source_kind.${k}`)}</option>)}</select>}
              </Field>
              <Field name={`sources.${i}.reliability`} label={t('form.reliability')} error={err(`sources.${i}.reliability`)}>
                {(p) => <select {...p} value={s.reliability} onChange={(e) => setSource(i, { reliability: e.target.value })}>
                  {RELIABILITY_GRADES.map((g) => <option key={g} value={g}>{g} – {RELIABILITY_LABELS[g][lang]}</option>)}</select>}
              </Field>
              <Field name={`sources.${i}.credibility`} label={t('form.credibility')} error={err(`sources.${i}.credibility`)}>
                {(p) => <select {...p} value={s.credibility} onChange={(e) => setSource(i, { credibility: e.target.value })}>
                  {CREDIBILITY_GRADES.map((g) => <option key={g} value={g}>{g} – {CREDIBILITY_LABELS[g][lang]}</option>)}</select>}
              </Field>
              {form.sources.length > 1 && <button type="button" className="link" onClick={() => set('sources', form.sources.filter((_, j) => j !== i))}>{t('form.remove_source')}</button>}
            </div>
          ))}
          <button type="button" onClick={() => set('sources', [...form.sources, newSource()])}>{t('form.add_source')}</button>
        </fieldset>

        <fieldset className="card"><legend>{t('form.sharing')}</legend>
          <div className="grid">
            <Field name="classification" label={t('form.classification')} error={err('classification')}>
              {(p) => <select {...p} value={form.classification} onChange={(e) => set('classification', e.target.value)}>
                {CLASSIFICATIONS.map((c, level) => <option key={c} value={c} disabled={level > clearance}>{t(`classification.${c}`)}</option>)}</select>}
            </Field>
            <Field name="sharing_scope" label={t('form.sharing_scope')} error={err('sharing_scope')}>
              {(p) => <select {...p} value={form.sharing_scope} onChange={(e) => set('sharing_scope', e.target.value)}>
                {SHARING_SCOPES.map((c) => <option key={c} value={c}>{t(`scope.${c}`)}</option>)}</select>}
            </Field>
            <Field name="exact_location_classification" label={t('form.exact_location_classification')} error={err('exact_location_classification')}>
              {(p) => <select {...p} disabled={locked} value={form.exact_location_classification} onChange={(e) => set('exact_location_classification', e.target.value)}>
                <option value="">{t('form.exact_everyone')}</option>
                {CLASSIFICATIONS.map((c, level) => <option key={c} value={c} disabled={level > clearance}>{t(`classification.${c}`)}</option>)}</select>}
            </Field>
            {!base && (
              <Field name="status" label={t('form.status')}>
                {(p) => <select {...p} value={status} onChange={(e) => setStatus(e.target.value === 'draft' ? 'draft' : 'submitted')}>
                  <option value="submitted">{t('form.save_submit')}</option><option value="draft">{t('form.save_draft')}</option></select>}
              </Field>
            )}
            {base && (
              <Field name="change_reason" label={t('form.change_reason')} hint={t('form.change_reason_hint')} error={err('change_reason')}>
                {(p) => <input {...p} value={reason} onChange={(e) => setReason(e.target.value)} />}
              </Field>
            )}
          </div>
        </fieldset>
        {!base && <OutboxFilesField files={files} onChange={setFiles} />}
        <ErrorMessage error={serverError} />
        <div className="actions sticky">
          <button type="submit" className="primary" disabled={busy}>{t('common.save')}</button>
          {!base && <button type="button" disabled={busy} onClick={() => void keepOnDevice()} data-testid="keep-on-device">{t('outbox.keep_on_device')}</button>}
          <button type="button" onClick={() => navigate(-1)}>{t('common.cancel')}</button>
        </div>
      </form>
    </section>
  );
}

/**
 * Zod's generic messages made plain for a form: an empty field is "required", text where a number is expected
 * says so (the schema's own messages, e.g. cross-field rules, pass through unchanged).
 */
export function plainErrors(list: { field: string; message: string }[], body: Record<string, unknown>, t: (k: string) => string): { field: string; message: string }[] {
  const at = (path: string): unknown => path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), body);
  return list.map((e) => {
    const v = at(e.field);
    if (v === '' || v === null || v === undefined) return { ...e, message: t('form.required') };
    if (typeof v === 'string' && NUMERIC_FIELDS.has(e.field.split('.').pop() ?? '')) return { ...e, message: t('form.number_expected') };
    return e;
  });
}
const NUMERIC_FIELDS = new Set(['latitude', 'longitude', 'fatalities_best', 'fatalities_low', 'fatalities_high', 'civilian_fatalities', 'injured', 'abducted']);

