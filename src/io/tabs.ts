import { parse, type SentRecord } from '../core/record'
import { RECORD_KEY } from './record'
import { listen } from './page'
import { ANONYMOUS_ID_KEY } from './analytics'

/** okta-auth-js's default token storage key. */
export const OKTA_STORAGE_KEY = 'okta-token-storage'

/** Pure: a `storage` event from another tab is about Okta's tokens, the record or analytics' anonymousId (`null`: storage was cleared). */
export const concernsUs = (key: string | null): boolean =>
  key === null || key === OKTA_STORAGE_KEY || key === RECORD_KEY || key === ANONYMOUS_ID_KEY

/**
 * The other tabs of the site:
 * - `turn(step)`: a step (read the record, decide, call analytics, write the record) runs as one
 *   turn under a Web Lock, released only once the step's record write has committed, so that the
 *   next tab to take it reads that write. Where Web Locks are missing, the steps of one page (and
 *   of every bridge in it) still take turns; between processes the messageIds make a repeat
 *   harmless. `step` learns whether it holds the lock across tabs. `lock: false` (a leaving page)
 *   runs it at once.
 * - `announce(record)`: once a step's record has committed, the other tabs hear it on a
 *   BroadcastChannel (what a leaving page reads) and look again.
 * - `storage` events: another tab changed Okta's token storage (or the localStorage record).
 * `onSignal` gets what another tab announced, or nothing for a storage event.
 */
export const createTabs = (onSignal: (record?: SentRecord) => void) => {
  let channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(RECORD_KEY) : undefined
  if (channel) {
    ;(channel as { unref?: () => void }).unref?.() // Node: do not hold the process open
    channel.onmessage = (e) => onSignal(parse(e.data))
  }
  const unlisten = listen(typeof window === 'object' ? window : undefined, 'storage', (e) => {
    if (concernsUs((e as StorageEvent).key)) onSignal()
  })
  const g = globalThis as { navigator?: Navigator; [RECORD_KEY]?: Promise<unknown> }
  return {
    announce: (record: SentRecord) => channel?.postMessage({ ...record }),
    turn<T>(step: (locked: boolean) => Promise<T>, lock: boolean): Promise<T> {
      const locks = g.navigator?.locks
      let entered = false
      if (!lock) return step(false)
      if (locks)
        return locks
          .request(`${RECORD_KEY}:lock`, () => ((entered = true), step(true)))
          .catch((e: unknown) => {
            if (entered) throw e
            return step(false) // locks unavailable here (an opaque origin): the step runs unlocked
          })
      // This page's turn, which every bridge on the page shares: a promise chain on the global object.
      const run = (g[RECORD_KEY] ?? Promise.resolve()).then(() => step(false))
      g[RECORD_KEY] = run.catch(() => {})
      return run
    },
    close() {
      channel?.close()
      channel = undefined // a step still finishing announces nothing
      unlisten()
    },
  }
}
