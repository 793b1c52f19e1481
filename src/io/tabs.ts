import { parse, type SentRecord } from '../core/record'
import { RECORD_KEY } from './record'
import { listen } from './page'

/** okta-auth-js's default token storage key. */
export const OKTA_STORAGE_KEY = 'okta-token-storage'

/** What another tab changed: Okta's tokens, the record, or (storage cleared) both. */
export type TabSignal = 'tokens' | 'record' | 'both' | undefined

/** Pure: which shared state a `storage` event from another tab is about (`null`: storage was cleared). */
export const storageSignal = (key: string | null): TabSignal =>
  key === null ? 'both' : key === OKTA_STORAGE_KEY ? 'tokens' : key === RECORD_KEY ? 'record' : undefined

/**
 * The other tabs of the site:
 * - `turn(step)`: a step (read the record, decide, call analytics, write the record) runs as one
 *   turn under a Web Lock, released only once the step's record write has committed, so that the
 *   next tab to take it reads that write. Where Web Locks are missing, the steps of one page (and
 *   of every bridge in it) still take turns; between processes the messageIds make a repeat
 *   harmless. `step` learns whether it holds the lock across tabs.
 * - `announce(record)`: after a step committed, every other tab hears the record on a
 *   BroadcastChannel (what a leaving page reads), and runs a pass.
 * - `storage` events: another tab changed Okta's token storage (or the localStorage record).
 */
export const createTabs = (onSignal: (signal: TabSignal, record?: SentRecord) => void) => {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(RECORD_KEY) : undefined
  if (channel) {
    ;(channel as { unref?: () => void }).unref?.() // Node: do not hold the process open
    channel.onmessage = (e: MessageEvent) => onSignal('record', parse(e.data))
  }
  const unlisten = listen(typeof window === 'object' ? window : undefined, 'storage', (e) =>
    onSignal(storageSignal((e as StorageEvent).key)),
  )
  return {
    announce(record: SentRecord) {
      channel?.postMessage({ ...record })
    },
    turn<T>(step: (locked: boolean) => Promise<T>, lock: boolean): Promise<T> {
      const locks = lock ? (globalThis.navigator as Navigator | undefined)?.locks : undefined
      let entered = false
      if (locks)
        return locks
          .request(`${RECORD_KEY}:lock`, () => ((entered = true), step(true)))
          .catch((e: unknown) => {
            if (entered) throw e
            return step(false) // locks unavailable here (an opaque origin): the step runs in this page's turn
          })
      // This page's turn (every bridge on the page shares it): a promise chain on the global object.
      const g = globalThis as { [RECORD_KEY]?: Promise<unknown> }
      const run = lock ? (g[RECORD_KEY] ?? Promise.resolve()).then(() => step(false)) : step(false)
      if (lock) g[RECORD_KEY] = run.catch(() => {})
      return run
    },
    close() {
      channel?.close()
      unlisten()
    },
  }
}
