import { callbackPathOf } from './core/callback'
import { cleanMiddleware } from './core/page-url'
import { OktaSegmentError, OptionsError } from './errors'
import { call, createAnalytics, keepStubCalls, mount, unwrap } from './io/analytics'
import { createOkta } from './io/okta'
import { createPage, loadedHref, settled } from './io/page'
import { createRecord } from './io/record'
import { createTabs } from './io/tabs'
import { validate } from './dev/validate'
import { createStep } from './step'
import { transition, type PageEvent, type PageState } from './state'
import type { Bridge, Options, PluginHooks } from './types'

/**
 * The development build checks every option and says what to write instead; the production build
 * only what would break the page or leak data (`filters` ignored would send what they keep back).
 */
const check = (options: Options) => {
  if (__DEV__) return validate(options)
  const { auth, analytics, filters, groups } = options as Options & Record<'filters' | 'groups', unknown>
  const bad = !auth?.authStateManager ? 'auth' : !analytics ? 'analytics' : filters ? 'filters' : groups && 'groups'
  if (bad) throw new OptionsError(bad as string, false)
}

/** Every error goes to `onError`, as an OktaSegmentError; an onError that throws must not break Okta or the page either. */
const reporter = (onError: (e: OktaSegmentError) => void) => (e: unknown) => {
  try {
    onError(e instanceof OktaSegmentError ? e : new OktaSegmentError('internal', __DEV__ && 'unexpected error', e))
  } catch {
    // ignored: see above
  }
}

/** Each decision with its reason, once while it stays the same (development build). */
const logger = (debug: boolean) => {
  let said: string | undefined
  return (line: string) => debug && line && line !== said && console.info(`[okta-segment] ${(said = line)}`)
}

/**
 * Connects Okta's auth state to Segment: identify on sign-in (only when something changed),
 * `Signed In` once per authentication, `Signed Out` then `reset()` on sign-out, one bridge per tab
 * over one shared record. Okta's callback only records the new state; the work runs when the page
 * is idle, or at once on `pagehide`. Filters and groups are plugins (`plugins: [...]`).
 * @example
 * const bridge = connect({ auth: oktaAuth, analytics })
 * await bridge.flush() // optional: run pending work now
 */
export function connect(options: Options): Bridge {
  check(options)
  const { auth, traits, userId, debug, onError = debug ? console.warn : () => {}, plugins = [] } = options
  const events = { signedIn: 'Signed In', signedOut: 'Signed Out', ...options.events } as const
  const analytics = unwrap(options.analytics)
  const report = reporter(onError)
  const pushed = Array.isArray(analytics) && keepStubCalls(analytics, report)
  const log = logger(!!debug)
  let state: PageState = { name: 'starting' }
  const dispatch = (e: PageEvent) => {
    const [next, effect] = transition(state, e)
    state = next
    if (effect) page.request(effect)
  }
  const page = createPage(() => pass(), options.idleTimeout ?? 1000, report)
  const idle = () => page.request('idle')
  const okta = createOkta(auth, (s) => dispatch({ type: 'okta', urgent: !!s?.idToken?.pendingRemove }), idle)
  // each hook comes from one plugin (filters: traits, ready, forget, close; groups: groups)
  const hooks: PluginHooks = Object.assign({}, ...plugins.map((plugin) => plugin({ analytics, report })))
  const target = createAnalytics(analytics, () => (hooks.ready?.(target()!), idle()), report)
  const record = createRecord(options.storage, report, () => !settled(page.phase()))
  const tabs = createTabs((seen) => (seen && record.saw(seen), idle()))
  const pass = createStep({
    ...{ okta, target, record, tabs, page, dispatch, report, log, events, debug: !!debug },
    state: () => state,
    identity: { traits, userId, groups: hooks.groups },
    traits: (u) => (hooks.traits ? hooks.traits(u.userId, u.traits, u.identity) : u.traits),
    callbackPath: callbackPathOf(loadedHref()),
  })
  const add = (fn: unknown) => call(analytics, 'addSourceMiddleware', [fn], report)
  const clean =
    options.cleanPage !== false &&
    typeof (analytics as { addSourceMiddleware?: unknown }).addSourceMiddleware === 'function'
  const unmount = clean ? mount(analytics, 'source', add, cleanMiddleware) : () => {}
  const keeping = pushed ? pushed() : undefined
  if (target()) hooks.ready?.(target()!)
  okta.start()
  void record.read() // what a leaving page reads, from the start

  return {
    flush: page.now,
    async refresh() {
      hooks.forget?.()
      await tabs.turn(async () => record.write({ ...(await record.read()), i: undefined }), true)
      return page.now()
    },
    disconnect() {
      clearTimeout(keeping)
      dispatch({ type: 'close' })
      for (const part of [page, tabs, okta]) part.close()
      record.close()
      unmount()
      hooks.close?.()
    },
  }
}
