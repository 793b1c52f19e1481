import { OktaSegmentError } from './errors'
import type { SentRecord, SignOutReason } from './lifecycle'
import type { StorageLike } from './types'

export const RECORD_KEY = 'okta-segment'

const REASONS: readonly SignOutReason[] = ['signed_out', 'expired', 'other_tab', 'user_switch', 'closed_while_away']

const parse = (raw: string | null): SentRecord => {
  try {
    const r: unknown = raw && JSON.parse(raw)
    if (r && typeof r === 'object') {
      const { u, i, a, o } = r as Record<string, unknown>
      const str = (v: unknown) => (typeof v === 'string' ? v : undefined)
      return {
        u: str(u),
        i: str(i),
        a: str(a),
        o: REASONS.includes(o as SignOutReason) ? (o as SignOutReason) : undefined,
      }
    }
  } catch {
    // a corrupt record only costs one identify
  }
  return {}
}

/**
 * Pure: a record this page kept in memory while storage threw, merged into what storage holds now.
 * A field this page could not vouch for (its call threw, or it never read storage) is taken from
 * the stored record of the same user: what another page sent stays sent. `o` (a sign-out under
 * way) is never taken: it belongs to the page that wrote it. `known`: this page read the record.
 */
export const fill = (kept: SentRecord, stored: SentRecord, known: boolean): SentRecord =>
  kept.u && kept.u === stored.u
    ? { u: kept.u, i: kept.i ?? stored.i, a: kept.a ?? stored.a, o: kept.o }
    : // A page that never read the record cannot have ended a session it held: its empty record says nothing.
      !kept.u && !known
      ? stored
      : kept

/**
 * The record of hashes, read fresh each time (another tab may have written it). When storage
 * throws (private mode, quota, blocked), the record lives in memory for this page, is reported
 * once, and is written to storage again (see `fill`) at the next read, write or disconnect.
 */
export const createStore = (storage: StorageLike | null, report: (e: Error) => void) => {
  let memory: SentRecord = {}
  let dirty = false // memory holds a record storage has not taken yet
  let known = false // memory started from a record read from storage
  let reported = false
  const fail = (e: unknown) => {
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
