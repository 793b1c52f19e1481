import { OktaSegmentError } from '../errors'
import { fill, parse, type SentRecord } from '../core/record'
import type { StorageLike } from '../types'

/** The record's name: the IndexedDB database and object store, the localStorage key, the lock, the channel. */
export const RECORD_KEY = 'okta-segment'

type Fail = (e: unknown) => void

/**
 * The record in a `Storage` (localStorage, or the `storage` option), read fresh each time. When
 * storage throws (private mode, quota, blocked), the record lives in memory for this page and is
 * written to storage again (see `fill`) at the next read, write or disconnect.
 */
const createSyncStore = (storage: StorageLike | null, fail: Fail) => {
  let memory: SentRecord = {}
  let dirty = false // memory holds a record storage has not taken yet
  let known = false // memory started from a record read from storage
  const persist = (late = true) => {
    if (storage && dirty)
      try {
        if (late) memory = fill(memory, parse(storage.getItem(RECORD_KEY)), known)
        if (memory.u) storage.setItem(RECORD_KEY, JSON.stringify(memory))
        else storage.removeItem(RECORD_KEY)
        dirty = false
      } catch (e) {
        fail(e)
      }
  }
  return {
    persist,
    read(): SentRecord {
      persist()
      if (storage && !dirty)
        try {
          memory = parse(storage.getItem(RECORD_KEY))
          known = true
        } catch (e) {
          fail(e)
        }
      return memory
    },
    write(record: SentRecord) {
      memory = record.u ? record : {}
      dirty = true
      persist(false)
    },
  }
}

/** One IndexedDB request in its own transaction, resolved once the transaction has committed. */
const transact = <T>(db: IDBDatabase, mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    const t = db.transaction(RECORD_KEY, mode)
    const request = op(t.objectStore(RECORD_KEY))
    t.oncomplete = () => resolve(request.result)
    t.onabort = t.onerror = () => reject(t.error ?? request.error)
  })

const open = () =>
  new Promise<IDBDatabase>((resolve, reject) => {
    const r = indexedDB.open(RECORD_KEY)
    r.onupgradeneeded = () => r.result.createObjectStore(RECORD_KEY)
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })

/**
 * The record every tab shares. By default in IndexedDB: a write is committed (one backend for all
 * tabs and processes) before `write()` resolves, so the next tab to take the lock reads it, in every
 * engine, which localStorage does not promise (another process may still read the old value). A
 * record written by 0.1 (`localStorage['okta-segment']`) is read once and carried over. Where
 * IndexedDB is missing or throws, localStorage; where that throws, memory. A `storage` given to
 * `connect()` is used as it is (`null`: memory).
 *
 * `peek()` is what this page last read, wrote or heard from another tab (`saw()`), without waiting:
 * for a page that is leaving, which cannot wait for IndexedDB.
 */
export const createRecord = (storage: StorageLike | null | undefined, report: (e: Error) => void) => {
  let reported = false
  const fail: Fail = (e) => {
    if (!reported)
      report(
        new OktaSegmentError(
          'storage',
          __DEV__ && 'storage threw; the record of what was sent is kept in memory and written again later',
          e,
        ),
      )
    reported = true
  }
  let local: StorageLike | null = null
  try {
    local = storage === undefined ? globalThis.localStorage : storage
  } catch {
    // blocked storage throws on access: the same as none
  }
  const sync = createSyncStore(local ?? null, fail)
  let view = sync.read()
  let db = storage === undefined && typeof indexedDB === 'object' ? open() : undefined
  // IndexedDB failed (blocked, deleted, private mode): localStorage from here on, from what this page knew
  const fallBack = (e: unknown) => {
    fail(e)
    db = undefined
    sync.write(view)
  }
  return {
    async read(): Promise<SentRecord> {
      if (db)
        try {
          const d = await db
          const stored: unknown = await transact(d, 'readonly', (s) => s.get(RECORD_KEY))
          return (view = stored === undefined ? sync.read() : parse(stored))
        } catch (e) {
          fallBack(e)
        }
      return (view = sync.read())
    },
    peek: (): SentRecord => (db ? view : (view = sync.read())),
    async write(record: SentRecord): Promise<void> {
      view = record
      if (db)
        try {
          const d = await db
          await transact(d, 'readwrite', (s) => s.put({ ...record }, RECORD_KEY))
          // carried over from 0.1's localStorage record: read once, then gone
          return sync.write({})
        } catch (e) {
          fallBack(e)
        }
      sync.write(record)
    },
    /** Another tab committed this record (its announcement): what `peek()` gives until the next read. */
    saw(record: SentRecord) {
      if (db) view = record
    },
    close() {
      sync.persist()
      void db?.then((d) => d.close(), fail)
    },
  }
}

export type RecordStore = ReturnType<typeof createRecord>
