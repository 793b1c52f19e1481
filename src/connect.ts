import { OktaSegmentError } from './errors'
import { desiredFrom } from './identity'
import { keep, plan } from './lifecycle'
import { compile } from './options'
import { createScheduler, listen } from './schedule'
import { createSink } from './sink'
import { RECORD_KEY, createStore } from './store'
import type { AuthStateLike, Bridge, Options } from './types'

const OKTA_STORAGE_KEY = 'okta-token-storage'

/**
 * Connects Okta's auth state to Segment: identify on sign-in (only when something changed),
 * `Signed In` once per authentication, `Signed Out` then `reset()` on sign-out. Okta's callback
 * only records the new state; the work runs when the page is idle, or at once on `pagehide`.
 * @example
 * const bridge = connect({ auth: oktaAuth, analytics })
 * await bridge.flush() // optional: run pending work now
 */
/* @__NO_SIDE_EFFECTS__ */
export function connect(options: Options): Bridge {
  const config = compile(options)
  const { auth, onError, debug } = config
  const report = (e: Error) => {
    try {
      onError(e)
    } catch {
      // an onError that throws must not break Okta or the page either
    }
  }
  const log = (...what: unknown[]) => debug && console.info('[okta-segment]', ...what)
  const store = createStore(config.storage, report)
  let latest: AuthStateLike | null = null
  let version = 0 // bumps on every auth state; work prepared for an older one is stale
  let startup = true
  let last: string | undefined
  let closed = false
  let lastProblem: string | undefined

  const run = () => {
    if (closed) return
    const target = sink.target()
    if (!target) return log('waiting for analytics to load')
    let desired
    try {
      desired = desiredFrom(latest, config.identity)
    } catch (e) {
      return report(new OktaSegmentError('claims', 'traits, userId or groups threw; nothing was sent for this state', e))
    }
    if (desired.kind === 'unknown') {
      if (desired.problem && desired.problem !== lastProblem) report(new OktaSegmentError('claims', desired.problem))
      lastProblem = desired.problem
      return
    }
    lastProblem = undefined
    const seen = version
    const old = store.read()
    const p = plan(desired, old, { held: sink.held(target), startup, last }, config.events)
    if (seen !== version) return log('dropped as stale: the auth state changed meanwhile')
    log(...p.why)
    startup = false
    last = desired.kind === 'user' ? desired.user : last
    store.write(keep(p, old, sink.deliver(target, p.actions), config.events))
  }

  const scheduler = createScheduler(run, config.idleTimeout)
  const sink = createSink(config.analytics, scheduler.request, report)
  const now = () => {
    scheduler.cancel()
    run()
  }
  const onAuthState = (state: AuthStateLike) => {
    latest = state
    version++
    scheduler.request()
  }
  const onStorage = (e: Event) => {
    const { key } = e as StorageEvent
    // okta-auth-js only learns of other tabs by BroadcastChannel, which can arrive before the
    // storage write is visible or not at all: re-evaluate when the token storage changes.
    if (key === OKTA_STORAGE_KEY || key === null)
      Promise.resolve()
        .then(() => auth.authStateManager.updateAuthState?.())
        .catch(report)
    if (key === RECORD_KEY) scheduler.request()
  }
  const win = typeof window === 'undefined' ? undefined : window
  const doc = typeof document === 'undefined' ? undefined : document
  const removers = [
    listen(win, 'pagehide', now),
    listen(doc, 'visibilitychange', () => doc?.visibilityState === 'hidden' && now()),
    listen(win, 'storage', onStorage),
  ]
  auth.authStateManager.subscribe(onAuthState)
  const current = auth.authStateManager.getAuthState()
  if (current) onAuthState(current)

  return {
    flush() {
      now()
      return Promise.resolve()
    },
    disconnect() {
      closed = true
      scheduler.cancel()
      removers.forEach((remove) => remove())
      auth.authStateManager.unsubscribe(onAuthState)
    },
  }
}
