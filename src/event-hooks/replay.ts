// A Universal Logout token is good once: its `jti` is remembered until the token would be refused
// anyway (past `exp`, or older than `maxTokenAge`), and a second request with it is refused. In
// memory by default, bounded by time and count; several instances share a store of your own.

/**
 * Where the `jti`s of accepted Universal Logout tokens are remembered. `seen()` records `jti` until
 * `until` (seconds since the epoch) and says whether it was recorded already: do both at once (Redis
 * `SET key 1 NX EXAT until`), or two instances may both accept one token.
 * @example
 * const replayStore = { seen: async (jti, until) => (await redis.set(`okta-jti:${jti}`, '1', { NX: true, EXAT: until })) === null }
 */
export interface ReplayStore {
  seen(jti: string, until: number): boolean | Promise<boolean>
}

/** Most jtis the default store keeps (Okta sends far fewer within a token's life); the oldest go first. */
export const MAX_REMEMBERED = 10_000

/** The default store: this process's memory, entries dropped once past `until`, at most `max` of them. */
export function memoryReplayStore(max = MAX_REMEMBERED, now = () => Date.now() / 1000): ReplayStore {
  const kept = new Map<string, number>() // jti -> until, in the order seen (about the order of `until`)
  return {
    seen(jti, until) {
      const t = now()
      for (const [old, end] of kept) {
        if (end > t) break
        kept.delete(old)
      }
      const end = kept.get(jti)
      if (end !== undefined && end > t) return true
      if (kept.size >= max) kept.delete(kept.keys().next().value as string)
      kept.set(jti, until)
      return false
    },
  }
}
