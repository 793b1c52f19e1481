import { validate } from './dev/validate'
import type { IdentityConfig } from './core/desired'
import type { EventNames } from './core/plan'
import { DEFAULT_TRAITS } from './core/traits'
import { OptionsError } from './errors'
import type { AnalyticsLike, Options } from './types'

const isFn = (v: unknown): v is (...a: never[]) => unknown => typeof v === 'function'

/**
 * `connect()`'s options, compiled. The development build validates every option and says what to
 * write instead (dev/validate.ts); the production build checks only what would break the page or
 * leak data: `auth`, `analytics`, and the options that moved to plugins in 0.2 (ignoring
 * `filters` would send what they were meant to keep back).
 */
export const compile = (o: Options) => {
  if (__DEV__) validate(o)
  else {
    const moved = o as { filters?: unknown; groups?: unknown }
    const bad = !isFn(o?.auth?.authStateManager?.subscribe)
      ? 'auth'
      : !o.analytics
        ? 'analytics'
        : moved.filters
          ? 'filters'
          : moved.groups
            ? 'groups'
            : ''
    if (bad) throw new OptionsError(bad, false)
  }
  const { traits, events, onError, debug = false } = o
  // `await AnalyticsBrowser.load(...)` gives [Analytics, Context]: take the instance
  const given = o.analytics as unknown[] & Partial<AnalyticsLike>
  const analytics =
    Array.isArray(given) && !isFn(given.identify) && isFn((given[0] as AnalyticsLike | undefined)?.identify)
      ? (given[0] as AnalyticsLike)
      : given
  const identity: IdentityConfig = {
    map: traits && !isFn(traits) ? { ...DEFAULT_TRAITS, ...traits } : DEFAULT_TRAITS,
    traits: isFn(traits) ? traits : undefined,
    userId: o.userId,
  }
  return {
    auth: o.auth,
    analytics,
    identity,
    events: { signedIn: 'Signed In', signedOut: 'Signed Out', ...events } as EventNames,
    onError: onError ?? (debug ? (e: Error) => console.warn(e) : () => {}),
    debug,
    cleanPage: o.cleanPage !== false,
    idleTimeout: o.idleTimeout ?? 1000,
    storage: o.storage,
    plugins: o.plugins ?? [],
  }
}
