/**
 * The outbox in IndexedDB (through `idb`): one database per signed-in user, so that on a shared device each user sees
 * and sends only their own reports. Schema upgrades carry every item over (outbox-store.test.ts).
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxItem, OutboxState } from './outbox-state';

interface OutboxDb extends DBSchema {
  items: { key: string; value: OutboxItem; indexes: { state: OutboxState } };
  meta: { key: string; value: { key: string; value: unknown } };
}

/**
 * Version history. 1: the `items` store. 2: `nextAttemptAt` (backoff) on every item, a `state` index and a `meta`
 * store. An upgrade never drops an item: unsent reports exist nowhere else.
 */
export const OUTBOX_DB_VERSION = 2;
export const outboxDbName = (userId: string) => `vigie-outbox-${userId}`;

export interface OutboxStore {
  readonly userId: string;
  all(): Promise<OutboxItem[]>;
  get(id: string): Promise<OutboxItem | undefined>;
  put(item: OutboxItem): Promise<void>;
  remove(id: string): Promise<void>;
  /** Several writes and deletions in one IndexedDB transaction (a batch's items settle together). */
  write(put: readonly OutboxItem[], remove?: readonly string[]): Promise<void>;
  close(): void;
}

export async function openOutbox(userId: string, factory?: IDBFactory): Promise<OutboxStore> {
  const open = () => openDB<OutboxDb>(outboxDbName(userId), OUTBOX_DB_VERSION, {
    async upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) db.createObjectStore('items', { keyPath: 'id' });
      if (oldVersion < 2) {
        const items = tx.objectStore('items');
        items.createIndex('state', 'state');
        db.createObjectStore('meta', { keyPath: 'key' });
        for (let cursor = await items.openCursor(); cursor; cursor = await cursor.continue()) {
          const old = cursor.value as OutboxItem & { nextAttemptAt?: number };
          await cursor.update({ ...old, nextAttemptAt: old.nextAttemptAt ?? 0 });
        }
      }
    },
  });
  const db: IDBPDatabase<OutboxDb> = factory ? await withFactory(factory, open) : await open();
  return {
    userId,
    all: () => db.getAll('items'),
    get: (id) => db.get('items', id),
    put: async (item) => { await db.put('items', item); },
    remove: (id) => db.delete('items', id),
    async write(put, remove = []) {
      const tx = db.transaction('items', 'readwrite');
      await Promise.all([...put.map((i) => tx.store.put(i)), ...remove.map((id) => tx.store.delete(id)), tx.done]);
    },
    close: () => db.close(),
  };
}

/** Tests hand in their own IndexedDB (fake-indexeddb); idb uses the global one. */
async function withFactory<T>(factory: IDBFactory, fn: () => Promise<T>): Promise<T> {
  const g = globalThis as { indexedDB?: IDBFactory };
  const saved = g.indexedDB;
  g.indexedDB = factory;
  try {
    return await fn();
  } finally {
    g.indexedDB = saved;
  }
}
