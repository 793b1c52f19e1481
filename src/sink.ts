import { OktaSegmentError } from './errors'
import type { Action } from './lifecycle'
import type { AnalyticsLike } from './types'

type Callable = Record<string, ((...args: unknown[]) => unknown) | undefined>

const isReal = (a: unknown): a is AnalyticsLike =>
  !!a && !Array.isArray(a) && typeof (a as AnalyticsLike).identify === 'function'

/**
 * The analytics side. Calls are held until analytics has loaded, then made in order: an
 * unloaded AnalyticsBrowser or snippet stub would replay them grouped by method, which could
 * send a new user's `Signed In` before the `reset()` that precedes it.
 */
export const createSink = (analytics: AnalyticsLike | unknown[], onReady: () => void, report: (e: Error) => void) => {
  const a = analytics as unknown as Callable & { instance?: AnalyticsLike }
  const stub = Array.isArray(analytics)
  const buffered = !stub && typeof a.then === 'function'
  const failed = (e: unknown) => report(new OktaSegmentError('analytics', __DEV__ && 'an analytics call failed', e))
  // A bare array (the snippet not run yet) gets the call the snippet's `ready` would push.
  if (stub) {
    if (a.ready) a.ready(onReady)
    else (analytics as unknown[]).push(['ready', onReady])
  } else if (buffered)
    a.then!(onReady, (e: unknown) =>
      report(new OktaSegmentError('analytics', __DEV__ && 'analytics did not load; the bridge sends once it does', e)),
    )

  const target = (): Callable | undefined => {
    const t = stub ? (globalThis as { analytics?: unknown }).analytics : buffered ? a.instance : a
    return isReal(t) ? (t as unknown as Callable) : undefined
  }

  /** Calls `method` on `t`: its result, or `false` when it threw; a throw or a rejection is reported, never thrown. */
  const call = (t: unknown, method: string, args: unknown[]): unknown => {
    try {
      const result = (t as Callable)[method]!(...args) as PromiseLike<unknown> | undefined
      if (result && typeof result.then === 'function') result.then(undefined, failed)
      return result ?? true
    } catch (e) {
      failed(e)
      return false
    }
  }

  type Store = { get?: (key: string) => unknown }
  type UserLike = Record<string, unknown> & {
    identityStore?: Store
    traitsStore?: Store
    idKey?: string
    traitsKey?: string
  }
  /**
   * What analytics holds, read without changing it. analytics-next's `user().id()` writes what
   * this tab holds back into the shared storage (its getAndSync), which would bring back a user
   * another tab has just reset; so its stores are read where they are there, the public methods
   * otherwise. `undefined`: it cannot tell.
   */
  const peek = (t: Callable, what: 'id' | 'anonymousId' | 'traits'): unknown => {
    try {
      const user = t.user?.() as UserLike | undefined
      const store = what === 'traits' ? user?.traitsStore : user?.identityStore
      const key = what === 'id' ? user?.idKey : what === 'traits' ? user?.traitsKey : 'ajs_anonymous_id'
      if (typeof store?.get === 'function' && key) return store.get(key) ?? null
      const read = user?.[what]
      return typeof read === 'function' ? (read() ?? null) : undefined
    } catch {
      return undefined
    }
  }
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined)

  /** What analytics knows of itself: its anonymousId, the username trait, and the source (write key). */
  const about = (t: Callable, what: 'anonymousId' | 'username' | 'source'): string | undefined =>
    what === 'source'
      ? text((t as { settings?: { writeKey?: unknown } }).settings?.writeKey)
      : what === 'anonymousId'
        ? text(peek(t, 'anonymousId'))
        : text((peek(t, 'traits') as Record<string, unknown> | null | undefined)?.username)

  return {
    target,
    about,
    call,
    /** The user analytics holds: a string, `null` for none, `undefined` when it cannot tell. */
    held(t: Callable): string | null | undefined {
      const id = peek(t, 'id')
      return typeof id === 'string' ? id : id === null ? null : undefined
    },
    /**
     * Makes the calls in order: those that threw, and what each returned (a promise from
     * analytics-next, settled once the event is delivered or queued for retry).
     */
    deliver(t: Callable, actions: readonly Action[]) {
      const thrown: Action[] = []
      const results = actions.map((action) => {
        const args =
          action.call === 'identify'
            ? [action.userId, action.traits, { messageId: action.messageId }]
            : action.call === 'track'
              ? [action.event, action.properties, { messageId: action.messageId }]
              : action.call === 'group'
                ? [action.groupId, {}, { messageId: action.messageId }]
                : []
        const result = call(t, action.call, args)
        if (result === false) thrown.push(action)
        return result
      })
      return { thrown, results }
    },
  }
}
