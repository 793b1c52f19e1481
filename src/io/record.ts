import { OktaSegmentError } from '../errors'
import { fill, kept, parse, type SentRecord } from '../core/record'
import type { StorageLike } from '../types'

/** The record's name: the IndexedDB database and object store, the localStorage key, the lock, the channel. */
export const RECORD_KEY = 'okta-segment'
const OUT_KEY = `${RECORD_KEY}:out`

/** Where the record is kept: `get()` the stored value, `put()` resolved once it is stored. */
interface Backend {
  get(): unknown
  put(record: SentRecord): unknown
  close?(): void
}

/** A `Storage` (localStorage, or the `storage` option) as a backend: the record's JSON under one key. */
const inStorage = (s: StorageLike): Backend => ({
  get: () => s.getItem(RECORD_KEY),
  put: (r) => (kept(r) ? s.setItem(RECORD_KEY, JSON.stringify(r)) : s.removeItem(RECORD_KEY)),
})

/**
 * IndexedDB as a backend: every request in its own transaction, resolved once it has committed
 * (one backend for every tab and process). A record in localStorage is newer than IndexedDB's: 0.1's
 * record (carried over), or what a page wrote while it was leaving (`note`); it is taken first, and
 * removed once IndexedDB holds the record. Where IndexedDB cannot be opened, localStorage.
 */
const inIndexedDb = (local: Backend): Backend => {
  const opened = new Promise<IDBDatabase | void>((resolve) => {
    const r = indexedDB.open(RECORD_KEY)
    r.onupgradeneeded = () => r.result.createObjectStore(RECORD_KEY)
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => resolve() // cannot be opened here: localStorage
  })
  // A transaction still open when the page leaves is aborted: WebKit keeps a page with an open
  // transaction in its back/forward cache, and every later transaction of the origin, in every
  // tab, waits on it for good (found by the WebKit suite: signOut()'s redirect while the Signed Out
  // mark was being written). A record it was writing goes to localStorage at once instead, taken
  // first by the next page, as any write of a leaving page.
  const open = new Map<IDBTransaction, SentRecord | undefined>()
  const leave = () =>
    open.forEach((record, t) => {
      try {
        t.abort() // throws once it has committed: then nothing to carry over
        if (record) local.put(record)
      } catch {
        // committed meanwhile, or localStorage blocked
      }
    })
  const win = globalThis as unknown as Partial<EventTarget> // no window: nothing leaves
  win.addEventListener?.('pagehide', leave, true)
  const request = (db: IDBDatabase, op: (s: IDBObjectStore) => IDBRequest, record?: SentRecord) =>
    new Promise<unknown>((resolve, reject) => {
      const t = db.transaction(RECORD_KEY, record ? 'readwrite' : 'readonly')
      open.set(t, record)
      const r = op(t.objectStore(RECORD_KEY))
      t.oncomplete = () => (open.delete(t), resolve(r.result))
      t.onabort = t.onerror = () => (open.delete(t), reject(t.error || r.error || new Error('aborted')))
    })
  return {
    close: () => win.removeEventListener?.('pagehide', leave, true),
    async get() {
      const db = await opened
      return local.get() ?? (db && (await request(db, (s) => s.get(RECORD_KEY))))
    },
    async put(r) {
      const db = await opened
      if (!db) return local.put(r)
      await request(db, (s) => s.put({ ...r }, RECORD_KEY), r)
      try {
        local.put({}) // carried over: gone
      } catch {
        // localStorage blocked: nothing to remove
      }
    },
  }
}

const STORAGE_THREW = 'storage threw; the record of what was sent is kept in memory and written again later'

/** Where the record is kept for `storage` (see createRecord); `sync`: the synchronous store, if any. */
const backendFor = (storage: StorageLike | null | undefined) => {
  let sync: StorageLike | null | undefined
  try {
    sync = storage === undefined ? localStorage : storage
  } catch {
    // blocked storage throws on access: the same as none
  }
  const local = sync ? inStorage(sync) : undefined
  const idb = storage === undefined && typeof indexedDB === 'object'
  return { sync, local, idb, backend: idb ? inIndexedDb(local ?? { get() {}, put() {} }) : local }
}

/**
 * The session whose Signed Out a page saw delivered (`sessionKey`), or, given one, records it: in
 * localStorage, synchronously, so that it outlives a page that signOut()'s redirect cuts off right
 * after (IndexedDB would drop it). Without storage, in memory.
 */
const deliveredIn = (sync: StorageLike | null | undefined) => {
  let out: string | null | undefined
  return (session?: string): string | null | undefined => {
    try {
      if (session) sync?.setItem(OUT_KEY, (out = session))
      return sync ? sync.getItem(OUT_KEY) : out
    } catch {
      return out
    }
  }
}

/**
 * The record every tab shares. By default in IndexedDB, whose committed writes the next tab to
 * take the lock reads, in every engine, which localStorage does not promise (another process may
 * still read the old value); where IndexedDB is missing, localStorage; a `storage` given to
 * `connect()` as it is; `null`: memory. When storage throws (private mode, quota, blocked), the
 * record lives in memory for this page, is reported once, and is written to storage again (see
 * `fill`) at the next read, write or `close()`.
 *
 * While the page is `leaving` (from `pagehide`) IndexedDB is not touched: a request made then holds
 * every later IndexedDB request of the origin, in every tab, for good in WebKit (and Chromium drops a
 * write made then). `read()` then gives what this page last read, wrote or heard from another tab
 * (`saw()`), and `write()` puts the record in localStorage, synchronously, for the next page.
 */
export const createRecord = (
  storage: StorageLike | null | undefined,
  report: (e: Error) => void,
  leaving: () => boolean,
) => {
  let reported = false
  const { sync, local, idb, backend } = backendFor(storage)
  let view: SentRecord = {} // what this page knows; in memory while storage throws
  let dirty = false // `view` holds a record storage has not taken yet
  let known = false // `view` started from a record read from storage
  const attempt = async (work: (b: Backend) => unknown) => {
    try {
      if (backend) await work(backend)
    } catch (e) {
      // a leaving page's transactions are aborted (see inIndexedDb): not a failure
      if (reported || (idb && leaving())) return
      reported = true
      report(new OktaSegmentError('storage', __DEV__ && STORAGE_THREW, e))
    }
  }
  const persist = (late: boolean) =>
    dirty &&
    attempt(async (b) => {
      if (late) view = fill(view, parse(await b.get()), known)
      await b.put(view)
      dirty = false
    })
  return {
    async read(): Promise<SentRecord> {
      if (idb && leaving()) return view
      await persist(true)
      if (!dirty)
        await attempt(async (b) => {
          view = parse(await b.get())
          known = true
        })
      return view
    },
    /** Writes the record; resolves once storage has it (a leaving page: localStorage, at once). */
    async write(record: SentRecord): Promise<void> {
      view = kept(record) ? record : {}
      if (idb && leaving())
        try {
          return void (kept(record) && local?.put(record))
        } catch {
          // blocked: the next page may send this page's calls again, with the same messageIds
        }
      dirty = true
      await persist(false)
    },
    /** The session whose Signed Out a page saw delivered; given one, records it (see `deliveredIn`). */
    delivered: deliveredIn(sync),
    /** Another tab committed this record (its announcement): what `read()` gives a leaving page. */
    saw(record: SentRecord) {
      if (idb && !dirty) view = record
    },
    close() {
      void persist(true)
      backend?.close?.()
    },
  }
}

export type RecordStore = ReturnType<typeof createRecord>
