import { RECORD_KEY } from './store'
import { listen } from './schedule'

/** okta-auth-js's default token storage key. */
export const OKTA_STORAGE_KEY = 'okta-token-storage'

/** What a `storage` event from another tab means for this one. */
export type StorageSignal = 'tokens' | 'record' | 'both' | undefined

/** Pure: which shared state another tab changed (`null`: storage was cleared). */
export const storageSignal = (key: string | null): StorageSignal =>
  key === null ? 'both' : key === OKTA_STORAGE_KEY ? 'tokens' : key === RECORD_KEY ? 'record' : undefined

/**
 * Cross-tab coordination: every tab runs its own bridge over one shared record.
 * - Turns: a tab reads, plans, sends and records as one step under a Web Lock, so that tabs
 *   seeing the same change send it once. Where Web Locks are absent the step runs as it is, and
 *   the bridge keeps the step free of awaits between reading and writing the record (see connect).
 * - Announcements: a tab announces a session's `Signed Out` on a BroadcastChannel only once
 *   analytics-next has delivered it (or queued it for retry), because the shared record can reach
 *   another tab late (localStorage is copied between processes asynchronously).
 * - Storage: another tab's writes to Okta's token storage or to the record reach `onSignal`.
 */
export const createTabs = (onSignal: (signal: StorageSignal) => void) => {
  let ended: string | undefined
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(RECORD_KEY) : undefined
  if (channel) {
    ;(channel as { unref?: () => void }).unref?.() // Node: do not hold the process open
    channel.onmessage = (e: MessageEvent<{ out?: unknown }>) => {
      if (typeof e.data?.out === 'string') ended = e.data.out
    }
  }
  const win = typeof window === 'undefined' ? undefined : window
  const unlisten = listen(win, 'storage', (e) => onSignal(storageSignal((e as StorageEvent).key)))
  return {
    /** `sessionKey` of the last session another tab announced a delivered `Signed Out` for. */
    ended: () => ended,
    announce(session: string) {
      channel?.postMessage({ out: session })
    },
    /** Runs `step` as this tab's turn when `lock` (Web Locks); `step` learns whether it holds the lock. */
    turn(step: (locked: boolean) => Promise<unknown>, lock: boolean): Promise<unknown> {
      const locks = lock ? (globalThis.navigator as Navigator | undefined)?.locks : undefined
      if (!locks) return step(false)
      let entered = false
      return locks
        .request(`${RECORD_KEY}:lock`, () => ((entered = true), step(true)))
        .catch((e: unknown) => {
          if (entered) throw e
          return step(false) // locks unavailable here (an opaque origin): the step runs unlocked
        })
    },
    close() {
      channel?.close()
      unlisten()
    },
  }
}
