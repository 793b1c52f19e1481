import { OktaSegmentError } from '../errors'
import type { Action } from '../core/plan'
import type { AnalyticsLike } from '../types'

/** A loaded analytics instance. */
export type Target = AnalyticsLike & { [key: string]: unknown }
type Methods = Record<string, ((...args: unknown[]) => unknown) | undefined>
type Store = { get(key: string): unknown }
type UserLike = { identityStore: Store; traitsStore: Store; idKey: string; traitsKey: string }

/** Longest wait for analytics-next to deliver (or queue for retry) a `Signed Out` before the reset. */
export const SIGN_OUT_WAIT_MS = 2000

/** analytics-next's key for the anonymousId (localStorage and cookie). */
export const ANONYMOUS_ID_KEY = 'ajs_anonymous_id'

const text = (v: unknown) => (typeof v === 'string' ? v : undefined)

/** Calls `method` on `t`: its result, or `false` when it threw; a throw or a rejection goes to `report`. */
export const call = (t: unknown, method: string, args: unknown[], report: (e: Error) => void): unknown => {
  const failed = (e: unknown) => report(new OktaSegmentError('analytics', __DEV__ && 'an analytics call failed', e))
  try {
    const result = (t as Methods)[method]!(...args) as PromiseLike<unknown> | undefined
    result?.then?.(undefined, failed)
    return result ?? true
  } catch (e) {
    failed(e)
    return false
  }
}

type Middleware = (ctx: { payload: unknown; next: (p: unknown) => void }) => unknown
/**
 * analytics-next cannot remove a middleware. So each analytics object gets one delegating
 * middleware per kind, and each `connect()` sets the handler it delegates to; the remover clears
 * it. Remounting (React StrictMode, route changes) then adds nothing to analytics.
 */
export const mount = (
  host: object,
  kind: string,
  register: (delegate: Middleware) => void,
  handler: (ctx: never) => unknown,
) => {
  const h = host as Record<symbol, { fn?: Middleware } | undefined>
  const key = Symbol.for(`okta-segment.${kind}`)
  let slot = h[key]
  if (!slot) {
    const s: { fn?: Middleware } = (slot = {})
    try {
      h[key] = s
    } catch {
      // a frozen analytics object: one middleware per connect(), inert after disconnect()
    }
    register((ctx) => (s.fn ? s.fn(ctx) : ctx.next(ctx.payload)))
  }
  const current = slot
  current.fn = handler as Middleware
  return () => {
    if (current.fn === handler) current.fn = undefined
  }
}

/**
 * analytics-next keeps on `pagehide` what it has not sent yet (its queues, in localStorage under
 * `persisted-queue:v1:<writeKey>:…:items`, an event in flight included) and sends it from the next
 * page: the same event, with its timestamp. Does it keep this call? Asked from a `pagehide` listener
 * added after analytics loaded, which runs after analytics-next's own.
 */
export const keptOnLeaving = (messageId: string): boolean => {
  try {
    for (let i = localStorage.length; i--;) {
      const key = localStorage.key(i)!
      if (/^persisted-queue:.*:items$/.test(key) && localStorage.getItem(key)!.includes(messageId)) return true
    }
  } catch {
    // blocked storage: analytics-next kept nothing either
  }
  return false
}

/** Resolves `true` once `result` is fulfilled, `false` when it rejects or after `ms`; never rejects. */
export const deliveredWithin = (result: unknown, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms, false)
    const done = (ok: boolean) => () => (clearTimeout(timer), resolve(ok))
    Promise.resolve(result).then(done(true), done(false))
  })

/** `await AnalyticsBrowser.load(...)` gives [Analytics, Context]: its instance; any other analytics as it is. */
export const unwrap = (given: unknown): AnalyticsLike | unknown[] => {
  const a = given as Methods & unknown[]
  return Array.isArray(a) && !a.identify && typeof (a[0] as Methods | undefined)?.identify === 'function'
    ? (a[0] as AnalyticsLike)
    : (a as unknown as AnalyticsLike)
}

/**
 * The analytics side: an `AnalyticsBrowser` (a buffer until it loads), a loaded `Analytics`, or the
 * snippet's `window.analytics` stub. `target()` is the loaded instance, once there is one: calls
 * wait for it, then are made in order (an unloaded buffer or stub would replay them grouped by
 * method, which could send a new user's `Signed In` before the `reset()` that precedes it).
 * `onReady` runs when it loads.
 */
export const createAnalytics = (
  analytics: AnalyticsLike | unknown[],
  onReady: () => void,
  report: (e: Error) => void,
) => {
  const a = analytics as unknown as Methods & unknown[] & { instance?: unknown }
  const stub = Array.isArray(analytics)
  // A bare array (the snippet not run yet) gets the call the snippet's `ready` would push.
  if (stub) void (a.ready ? a.ready(onReady) : a.push(['ready', onReady]))
  else
    a.then?.(onReady, (e: unknown) =>
      report(new OktaSegmentError('analytics', __DEV__ && 'analytics did not load; the bridge sends once it does', e)),
    )
  return (): Target | undefined => {
    const t = (stub ? (globalThis as { analytics?: unknown }).analytics : a.then ? a.instance : a) as Target | undefined
    return t && !Array.isArray(t) && typeof t.identify === 'function' ? t : undefined
  }
}

/**
 * Pure: which of `ours` (calls this bridge pushed onto the snippet's stub) analytics.js left
 * behind. Its standalone build reads the stub for the last time a few microtasks before it makes
 * `window.analytics` the loaded instance (`now`); a call pushed in between stays on the stub and
 * is never made (an app that connects after `await oktaAuth.start()` lands there about one page
 * load in eight in WebKit). Asked in a later task, when the swap has happened if it was under way.
 */
export const leftOnStub = (stub: readonly unknown[], ours: readonly unknown[], now: unknown): unknown[][] =>
  now && now !== stub && !Array.isArray(now) ? (ours.filter((c) => stub.includes(c)) as unknown[][]) : []

/**
 * For a stub: call the returned function once this bridge has pushed its calls (the `ready`, the
 * middleware); in the next task, what analytics.js left behind is made on the loaded instance.
 * It returns the timer, for `disconnect()` to clear.
 */
export const keepStubCalls = (stub: unknown[], report: (e: Error) => void) => {
  const n = stub.length
  return () => {
    const ours = stub.slice(n)
    return setTimeout(() => {
      const now = (globalThis as { analytics?: unknown }).analytics
      for (const [method, ...args] of leftOnStub(stub, ours, now)) call(now, method as string, args, report)
    })
  }
}

/** What analytics holds, and its source: see `about`. */
export interface About {
  /** The user: a string, `null` for none, `undefined` when it cannot tell. */
  held: string | null | undefined
  anonymousId?: string
  username?: string
  /** The Segment source (write key): every messageId is salted with it. */
  source: string
}

/**
 * What analytics holds, read without changing it: analytics-next's `user().id()` writes what this
 * tab holds back into the shared storage (its getAndSync), which would bring back a user another
 * tab has just reset; so its stores are read. Where they are missing, nothing can be told.
 */
export const about = (t: Target): About => {
  const source = text((t as { settings?: { writeKey?: unknown } }).settings?.writeKey) ?? ''
  try {
    const u = (t as Methods).user!() as UserLike
    const id = u.identityStore.get(u.idKey) ?? null
    return {
      held: id === null ? id : text(id),
      anonymousId: text(u.identityStore.get(ANONYMOUS_ID_KEY)),
      username: text((u.traitsStore.get(u.traitsKey) as { username?: unknown } | null)?.username),
      source,
    }
  } catch {
    return { held: undefined, source }
  }
}

/**
 * Makes the calls in order: those that threw, and what each returned (a promise from
 * analytics-next, settled once the event is delivered or queued for retry). `debug` logs each call
 * (in both builds): its method, event and messageId, never a trait value.
 */
export const deliver = (t: Target, actions: readonly Action[], report: (e: Error) => void, debug: boolean) => {
  const thrown: Action[] = []
  const results = actions.map((action) => {
    const [method, ...args] = action
    if (debug)
      console.info(`[okta-segment] ${method} ${method === 'track' ? `${args[0]} ` : ''}${args[2]?.messageId ?? ''}`)
    const result = call(t, method, args, report)
    if (result === false) thrown.push(action)
    return result
  })
  return { thrown, results }
}
