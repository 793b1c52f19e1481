import { OktaSegmentError } from './errors'
import type { SentRecord } from './lifecycle'
import type { StorageLike } from './types'

export const RECORD_KEY = 'okta-segment'

const parse = (raw: string | null): SentRecord => {
  try {
    const r: unknown = raw && JSON.parse(raw)
    if (r && typeof r === 'object') {
      const { u, i, a } = r as Record<string, unknown>
      return { u: typeof u === 'string' ? u : undefined, i: typeof i === 'string' ? i : undefined, a: typeof a === 'string' ? a : undefined }
    }
  } catch {
    // a corrupt record only costs one identify
  }
  return {}
}

/**
 * The record of hashes, read fresh each time (another tab may have written it). When storage
 * throws (private mode, quota, blocked), the record lives in memory for this page, is reported
 * once, and is written to storage again at the next read, write or disconnect.
 */
export const createStore = (storage: StorageLike | null, report: (e: Error) => void) => {
  let memory: string | null = null
  let dirty = false // memory holds a record storage has not taken yet
  let reported = false
  const fail = (e: unknown) => {
    if (!reported) report(new OktaSegmentError('storage', 'storage threw; the record of what was sent is kept in memory and written again later', e))
    reported = true
  }
  const persist = () => {
    if (storage && dirty)
      try {
        if (memory) storage.setItem(RECORD_KEY, memory)
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
          memory = storage.getItem(RECORD_KEY)
        } catch (e) {
          fail(e)
        }
      return parse(memory)
    },
    write(record: SentRecord) {
      memory = record.u ? JSON.stringify(record) : null
      dirty = true
      persist()
    },
  }
}
