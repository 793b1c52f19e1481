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
  const failed = (e: unknown) => report(new OktaSegmentError('analytics', 'an analytics call failed', e))
  // A bare array (the snippet not run yet) gets the call the snippet's `ready` would push.
  if (stub) {
    if (a.ready) a.ready(onReady)
    else (analytics as unknown[]).push(['ready', onReady])
  }
  else if (buffered)
    a.then!(onReady, (e: unknown) =>
      report(new OktaSegmentError('analytics', 'analytics did not load; the bridge sends once it does', e)),
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

  /** What analytics knows of itself: its anonymousId, a held trait, and the source (write key). */
  const about = (t: Callable, what: 'anonymousId' | 'username' | 'source'): string | undefined => {
    try {
      const user = t.user?.() as { anonymousId?: () => unknown; traits?: () => Record<string, unknown> } | undefined
      const v =
        what === 'source' ? (t as { settings?: { writeKey?: unknown } }).settings?.writeKey
        : what === 'anonymousId' ? user?.anonymousId?.()
        : user?.traits?.()?.username
      return typeof v === 'string' ? v : undefined
    } catch {
      return undefined
    }
  }

  return {
    target,
    about,
    call,
    /** The user analytics holds: a string, `null` for none, `undefined` when it cannot tell. */
    held(t: Callable): string | null | undefined {
      try {
        const user = t.user?.() as { id?: () => unknown } | undefined
        const id = typeof user?.id === 'function' ? user.id() : undefined
        return typeof id === 'string' ? id : user?.id ? null : undefined
      } catch {
        return undefined
      }
    },
    /**
     * Makes the calls in order: those that threw, and what each returned (a promise from
     * analytics-next, settled once the event is delivered or queued for retry). A track
     * carries the `username` trait analytics holds at that moment (filtered as the identify was).
     */
    deliver(t: Callable, actions: readonly Action[]) {
      const thrown: Action[] = []
      const results = actions.map((action) => {
        const username = action.call === 'track' ? about(t, 'username') : undefined
        const args =
          action.call === 'identify' ? [action.userId, action.traits, { messageId: action.messageId }]
          : action.call === 'track' ? [action.event, username ? { ...action.properties, username } : action.properties, { messageId: action.messageId }]
          : action.call === 'group' ? [action.groupId, {}, { messageId: action.messageId }]
          : []
        const result = call(t, action.call, args)
        if (result === false) thrown.push(action)
        return result
      })
      return { thrown, results }
    },
  }
}
