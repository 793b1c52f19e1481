import { runFilters } from './filter'
import { cleanObject, isDigest } from './traits'
import type { Filter, Traits } from './types'

/**
 * The bridge's own identify goes through the filters without destinations before analytics sees
 * it, so that a dropped trait is never stored by analytics-next either (analytics-next stores
 * traits before its middleware runs). What filters return is guarded again; a SHA-256 digest
 * (hashTraits) is not a token. Worked out once per identity: the record step then runs without
 * awaiting anything (see connect). `null`: a filter dropped the identify.
 */
export const createOwnCalls = (source: readonly Filter[], report: (e: Error) => void) => {
  let memo: { identity: string; traits: Promise<Traits | null> } | undefined
  const filter = async (userId: string, traits: Traits): Promise<Traits | null> => {
    const kept = await runFilters(source, { type: 'identify', userId, traits }, {}, report)
    if (!kept) return null
    const out = kept.traits ?? {}
    const clean = cleanObject(out, Object.keys(out)) ?? {}
    for (const k of Object.keys(out)) if (k !== '__proto__' && isDigest(out[k])) clean[k] = out[k]
    return clean
  }
  return {
    traits(desired: { userId: string; traits: Traits; identity: string }): Traits | null | Promise<Traits | null> {
      if (!source.length) return desired.traits
      if (memo?.identity !== desired.identity)
        memo = { identity: desired.identity, traits: filter(desired.userId, desired.traits) }
      return memo.traits
    },
    /** Filters may answer differently now (consent changed): filter again. */
    forget() {
      memo = undefined
    },
  }
}
