import { callbackPathOf } from './core/callback'
import { cleanMiddleware } from './core/page-url'
import { OktaSegmentError } from './errors'
import { call, createAnalytics, mount } from './io/analytics'
import { createOkta } from './io/okta'
import { createPage, loadedHref } from './io/page'
import { createRecord } from './io/record'
import { createTabs } from './io/tabs'
import { createLoop } from './loop'
import { compile } from './options'
import { createStep } from './step'
import { transition, type PageEvent, type PageState } from './state'
import type { Bridge, Options, PluginHooks } from './types'

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
  const o = compile(options)
  const { analytics, debug } = o
  const report = (e: unknown) => {
    try {
      o.onError(e instanceof OktaSegmentError ? e : new OktaSegmentError('internal', __DEV__ && 'unexpected error', e))
    } catch {
      // an onError that throws must not break Okta or the page either
    }
  }
  // Each decision, with its reason, once while it stays the same (development build).
  let said: string | undefined
  const log = (line: string) => {
    if (debug && line && line !== said) console.info(`[okta-segment] ${(said = line)}`)
  }
  let state: PageState = { name: 'starting', last: null }
  const dispatch = (e: PageEvent) => {
    const [next, effect] = transition(state, e)
    state = next
    if (effect) page.request(effect)
  }
  const loop = createLoop(() => pass(), report)
  const page = createPage(loop.request, o.idleTimeout)
  const idle = () => page.request('idle')
  const okta = createOkta(o.auth, (s) => dispatch({ type: 'okta', urgent: !!s?.idToken?.pendingRemove }), idle)
  const hooks = o.plugins.map((plugin) => plugin({ analytics, report }))
  const each = <K extends 'ready' | 'forget' | 'close'>(hook: K, ...args: Parameters<NonNullable<PluginHooks[K]>>) =>
    hooks.forEach((h) => (h[hook] as ((...a: typeof args) => void) | undefined)?.(...args))
  const own = hooks.find((h) => h.traits)?.traits
  const target = createAnalytics(analytics, () => (each('ready', target()!), idle()), report)
  const record = createRecord(o.storage, report)
  const tabs = createTabs((signal, seen) => {
    if (seen) record.saw(seen)
    if (signal) idle()
  })
  const pass = createStep({
    ...{ okta, target, record, tabs, page, dispatch, report, log, debug, events: o.events },
    state: () => state,
    identity: { ...o.identity, groups: hooks.find((h) => h.groups)?.groups },
    traits: (u) => (own ? own(u.userId, u.traits, u.identity) : u.traits),
    callbackPath: callbackPathOf(loadedHref()),
  })
  const add = (fn: unknown) => call(analytics, 'addSourceMiddleware', [fn], report)
  const clean = o.cleanPage && typeof (analytics as { addSourceMiddleware?: unknown }).addSourceMiddleware === 'function'
  const unmount = clean ? mount(analytics, 'source', add, cleanMiddleware) : () => {}
  if (target()) each('ready', target()!)
  okta.start()
  void record.read() // what a leaving page reads, from the start

  return {
    flush: page.now,
    async refresh() {
      each('forget')
      await tabs.turn(async () => record.write({ ...(await record.read()), i: undefined }), true)
      return page.now()
    },
    disconnect() {
      dispatch({ type: 'close' })
      for (const part of [loop, page, tabs, okta, record]) part.close()
      unmount()
      each('close')
    },
  }
}
