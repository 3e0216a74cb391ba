import { useEffect, useState } from 'react';
import { countByState, type OutboxItem } from './outbox-state';
import { lastFlush, onOutboxChange, outboxItems } from './outbox-runner';

/** The current user's outbox items, counts and last pass, kept up to date. */
export function useOutbox() {
  const [items, setItems] = useState<OutboxItem[] | null>(null);
  const [last, setLast] = useState(lastFlush());
  useEffect(() => {
    let live = true;
    const load = () => void outboxItems().then((i) => { if (live) { setItems(i); setLast(lastFlush()); } });
    load();
    const off = onOutboxChange(load);
    return () => { live = false; off(); };
  }, []);
  return { items: items ?? [], loaded: items !== null, counts: countByState(items ?? []), last };
}
