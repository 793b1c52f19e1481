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
 * The record of hashes, read fresh each time (another tab may have written it). Storage that
 * throws (private mode, quota, blocked) is reported once and replaced by memory for this page.
 */
export const createStore = (storage: StorageLike | null, report: (e: Error) => void) => {
  let memory: string | null = null
  const fail = (e: unknown) => {
    storage = null
    report(new OktaSegmentError('storage', 'storage threw; the record of what was sent stays in memory for this page', e))
  }
  return {
    read(): SentRecord {
      if (storage)
        try {
          return parse((memory = storage.getItem(RECORD_KEY)))
        } catch (e) {
          fail(e)
        }
      return parse(memory)
    },
    write(record: SentRecord) {
      memory = record.u ? JSON.stringify(record) : null
      if (storage)
        try {
          if (memory) storage.setItem(RECORD_KEY, memory)
          else storage.removeItem(RECORD_KEY)
        } catch (e) {
          fail(e)
        }
    },
  }
}
