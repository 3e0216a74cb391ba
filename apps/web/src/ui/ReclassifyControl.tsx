import { useState } from 'react';
import { CLASSIFICATIONS, type Classification } from '@vigie/domain/classification';
import { useSession } from '../app/session';
import { useLang } from '../i18n';
import { ErrorMessage } from './ErrorMessage';

/**
 * Re-classifying a record (an alert, a meeting, a decision, an action): the current level, a choice of levels up to
 * the reader's clearance, a confirmation saying who will no longer see it, then the new level as saved. On a copy held
 * from another node the button is greyed with the reason (edits go to the owner).
 */
export function ReclassifyControl({ current, heldBy, allowed, reasonToLower = false, save, testId }: {
  current: Classification;
  heldBy?: string;
  allowed: boolean;
  /** Whether lowering asks for a reason (coordination objects, as incidents). */
  reasonToLower?: boolean;
  save(level: Classification, reason?: string): Promise<{ classification: Classification }>;
  testId: string;
}) {
  const { t } = useLang();
  const { session } = useSession();
  const clearance = session?.user.clearance ?? 0;
  const [level, setLevel] = useState<Classification>(current);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<Classification | null>(null);
  if (!allowed) return null;
  const reasonId = `${testId}-held`;
  if (heldBy) {
    return (
      <div className="reclassify" data-testid={testId}>
        <button type="button" disabled aria-describedby={reasonId}>{t('reclassify.open')}</button>
        <p id={reasonId} className="hint">{t('reclassify.held', { node: heldBy })}</p>
      </div>
    );
  }
  const lowering = CLASSIFICATIONS.indexOf(level) < CLASSIFICATIONS.indexOf(current);
  const names = { from: t(`classification.${current}`), to: t(`classification.${level}`) };
  return (
    <div className="reclassify stack" data-testid={testId}>
      <ErrorMessage error={error} />
      {saved && <p role="status">{t('reclassify.done', { level: t(`classification.${saved}`) })}</p>}
      {!confirming ? (
        <form className="actions" onSubmit={(e) => { e.preventDefault(); setSaved(null); setError(null); setConfirming(true); }}>
          <label className="field">{t('reclassify.new_level')}
            <select value={level} onChange={(e) => setLevel(e.target.value as Classification)}>
              {CLASSIFICATIONS.map((c, i) => <option key={c} value={c} disabled={i > clearance}>{t(`classification.${c}`)}{i > clearance ? ` — ${t('reclassify.above_clearance')}` : ''}</option>)}
            </select>
          </label>
          <button type="submit" disabled={level === current} title={level === current ? t('reclassify.unchanged') : undefined}>{t('reclassify.open')}</button>
        </form>
      ) : (
        <form className="stack" role="alertdialog" aria-label={t('reclassify.confirm_button')} onSubmit={(e) => {
          e.preventDefault();
          setBusy(true);
          save(level, lowering && reasonToLower ? reason : undefined)
            .then((r) => { setSaved(r.classification); setConfirming(false); setReason(''); }, setError)
            .finally(() => setBusy(false));
        }}>
          <p>{lowering ? t('reclassify.confirm_lower', names) : t('reclassify.confirm', names)}</p>
          {lowering && reasonToLower && (
            <label className="field">{t('reclassify.reason')}<input value={reason} onChange={(e) => setReason(e.target.value)} required minLength={3} maxLength={2000} /></label>
          )}
          <div className="actions">
            <button type="submit" disabled={busy}>{t('reclassify.confirm_button')}</button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>{t('common.cancel')}</button>
          </div>
        </form>
      )}
    </div>
  );
}

/** A form's classification field: the levels up to the reader's clearance; `inherit` adds an empty choice (the parent's level). */
export function ClassificationSelect({ name, label, defaultValue, inherit }: { name: string; label: string; defaultValue?: Classification; inherit?: string }) {
  const { t } = useLang();
  const { session } = useSession();
  const clearance = session?.user.clearance ?? 0;
  return (
    <label className="field">{label}
      <select name={name} defaultValue={defaultValue ?? ''}>
        {inherit !== undefined && <option value="">{inherit}</option>}
        {CLASSIFICATIONS.map((c, i) => <option key={c} value={c} disabled={i > clearance}>{t(`classification.${c}`)}{i > clearance ? ` — ${t('reclassify.above_clearance')}` : ''}</option>)}
      </select>
    </label>
  );
}

/** The level as a small badge (public ones too: the reader sees what everyone sees). */
export function LevelBadge({ level }: { level: Classification }) {
  const { t } = useLang();
  return <span className={`badge level-${level}`} data-testid="level-badge">{t(`classification.${level}`)}</span>;
}
