import { callbackDelay, callbackPathOf, loadedHref } from './callback-page'
import { SIGN_OUT_WAIT_MS, deliveredWithin, deliveryOf, signOutReason, type Ending } from './delivery'
import { OktaSegmentError } from './errors'
import { REEVALUATE_AFTER_MS, isStale, signingOut, storedTokens, tokensKey } from './freshness'
import { desiredFrom, type Desired } from './identity'
import { plan, recordAfter, sessionKey, waits, type Action, type Plan } from './lifecycle'
import { createMiddleware, mount } from './middleware'
import { compile } from './options'
import { createOwnCalls } from './own-calls'
import { nextPhase, runsAtOnce, takesTurns, watchPage, type PagePhase } from './page-phase'
import { createRunLoop } from './run-loop'
import { createScheduler } from './schedule'
import { createSink } from './sink'
import { createStore } from './store'
import { createTabs } from './tabs'
import type { AuthStateLike, Bridge, Options, TokenLike, Traits } from './types'

type Target = NonNullable<ReturnType<ReturnType<typeof createSink>['target']>>
type Known = Exclude<Desired, { kind: 'unknown' }>

/** What this page has seen, in one place. */
interface Seen {
  /** Okta's latest auth state, and a count of states: work prepared for an older one is stale. */
  latest: AuthStateLike | null
  version: number
  phase: PagePhase
  /** No state has been acted on yet in this page; then the hash of the last user it saw signed in. */
  startup: boolean
  last?: string
  /** The username trait (as the filters left it) of that user: for their Signed Out. */
  username?: string
  /** A session was signed in and this page's analytics has not been reset since. */
  unreset?: boolean
  /** What this page saw of the session that may end (for the `reason` of Signed Out). */
  ending: Omit<Ending, 'now' | 'startup'>
  /** `tokensKey` of the token storage this page already made Okta re-evaluate for. */
  confirmed?: string
  /** When this page first waited on the OIDC callback page; the last problem reported. */
  callbackSince?: number
  problem?: string
}

const expiryOf = (s: AuthStateLike | null): number | undefined => {
  const at = [s?.idToken, s?.accessToken]
    .map((t: TokenLike | null | undefined) => t?.expiresAt)
    .filter((n) => typeof n === 'number')
  return at.length ? Math.min(...(at as number[])) : undefined
}

/**
 * Connects Okta's auth state to Segment: identify on sign-in (only when something changed),
 * `Signed In` once per authentication, `Signed Out` then `reset()` on sign-out, filters per
 * destination, one bridge per tab over one shared record. Okta's callback only records the new
 * state; the work runs when the page is idle, or at once on `pagehide`.
 * @example
 * const bridge = connect({ auth: oktaAuth, analytics, filters: [dropTraits(['phone'])] })
 * await bridge.flush() // optional: run pending work now
 */
export function connect(options: Options): Bridge {
  const config = compile(options)
  const { auth, onError, debug, analytics, events } = config
  const report = (e: unknown) => {
    try {
      onError(e instanceof OktaSegmentError ? e : new OktaSegmentError('internal', __DEV__ && 'unexpected error', e))
    } catch {
      // an onError that throws must not break Okta or the page either
    }
  }
  // One line per decision, with its reason; the same decision again (another pass over the same
  // state) is not repeated.
  let said: string | undefined
  const log = (line: string | false) => {
    if (debug && line && line !== said) console.info(`[okta-segment] ${(said = line)}`)
  }
  const callbackPath = callbackPathOf(loadedHref())
  const store = createStore(config.storage, report)
  const mw = createMiddleware(config.filters, config.cleanPage, report)
  const own = createOwnCalls(mw.source, report)
  // Okta's tokens marked pendingRemove at load: this page is where signOut() returns (or reloaded mid-way)
  const ending = { external: false, signingOut: signingOut(storedTokens(auth)) }
  const seen: Seen = { latest: null, version: 0, phase: 'open', startup: true, ending }
  let callbackTimer: ReturnType<typeof setTimeout> | undefined
  let attached = false

  /** The record step: read, plan, send and record, as one turn of this tab (see tabs.ts). */
  const step = async (
    target: Target,
    desired: Known,
    traits: Traits | null | undefined,
    version: number,
    locked: boolean,
  ) => {
    if (closed()) return
    if (version !== seen.version) return log(__DEV__ && 'dropped as stale: the auth state changed meanwhile')
    const old = store.read()
    // Before anything is read from analytics: reading its user syncs this tab's copy back into the
    // shared storage (analytics-next's getAndSync), which would bring back a user another tab has
    // just reset. So a stale tab, or one waiting on another's sign-out, reads nothing.
    const stored = storedTokens(auth)
    if (isStale(seen.latest, stored) && tokensKey(stored) !== seen.confirmed) {
      log(__DEV__ && 'waiting: Okta re-evaluates (its state is older than the token storage)')
      return tokensKey(stored)
    }
    const takeOver = locked || seen.startup
    if (waits(old, takeOver)) return log(__DEV__ && 'waiting: another tab is finishing its sign-out')
    const p = plan(
      desired,
      old,
      {
        held: sink.held(target),
        anonymousId: sink.about(target, 'anonymousId'),
        startup: seen.startup,
        last: seen.last,
        unreset: seen.unreset,
        ended: tabs.ended(),
        source: sink.about(target, 'source') ?? '',
        reason: signOutReason({
          now: Date.now(),
          ...seen.ending,
          expiresAt: expiryOf(seen.latest) ?? seen.ending.expiresAt,
          startup: seen.startup,
        }),
        takeOver,
      },
      events,
    )
    // The bridge's identify carries what the filters left of its traits (none: a filter dropped it);
    // Signed In that username, Signed Out the one this page knew for the user who leaves (else the
    // one analytics still holds).
    const leaving = old.u && old.u === seen.last ? seen.username : sink.about(target, 'username')
    const username = (a: Action): string | undefined =>
      a.call !== 'track'
        ? undefined
        : a.event === events.signedOut
          ? leaving
          : typeof traits?.username === 'string'
            ? traits.username
            : undefined
    const actions = p.actions.flatMap((a): Action[] => {
      const name = username(a)
      if (a.call === 'track') return [name ? { ...a, properties: { ...a.properties, username: name } } : a]
      return a.call !== 'identify' ? [a] : traits ? [{ ...a, traits }] : []
    })
    const how = deliveryOf(actions, seen.phase, events)
    if (how === 'next-page') return log(__DEV__ && `leaving: the next page sends ${events.signedOut}`)
    log(p.why.join('; '))
    let failed: Action[]
    let done: Plan = p
    let made: readonly Action[] = actions
    if (how === 'signed-out-first') {
      const first = sink.deliver(target, actions.slice(0, 1))
      if (first.thrown.length) return // nothing changed: the next state or page sends it again
      const marker = { ...old, o: (actions[0] as Extract<Action, { call: 'track' }>).properties.reason }
      store.write(marker)
      const delivered = await deliveredWithin(first.results[0], SIGN_OUT_WAIT_MS)
      // Without Web Locks another page may have finished this sign-out meanwhile (and moved on):
      // then plan again from what is there now, rather than reset what that page has since sent.
      if (closed()) return // disconnected meanwhile: the next bridge finishes it
      const after = store.read()
      if (after.o !== marker.o || sessionKey(after) !== sessionKey(marker)) return 'again'
      // Okta moved on meanwhile: end the session, and plan the rest again
      const rest = version === seen.version ? actions.slice(1) : actions.slice(1, 2)
      if (rest.length === 1) done = { ...p, record: {} }
      failed = sink.deliver(target, rest).thrown
      made = rest
      if (delivered) tabs.announce(sessionKey(old))
    } else failed = sink.deliver(target, actions).thrown
    if (!failed.some((a) => a.call === 'reset')) {
      seen.startup = false
      // the last user stays known after their sign-out: a copy of them that comes back into this
      // page's analytics (from another tab's storage) is reset again
      if (made.some((a) => a.call === 'reset')) seen.unreset = false
      if (desired.kind === 'user' && done === p) {
        seen.unreset = true
        seen.last = desired.user
        seen.username = typeof traits?.username === 'string' ? traits.username : undefined
      }
    }
    store.write(recordAfter(done, old, failed, events))
  }

  const pass = async (): Promise<boolean | void> => {
    const target = sink.target()
    if (!target) return log(__DEV__ && 'waiting for analytics to load')
    if (!attached && mw.needsDestinations && typeof target.addDestinationMiddleware === 'function') {
      attached = true
      unmount.push(
        mount(
          target,
          'destination',
          (fn) => sink.call(target, 'addDestinationMiddleware', ['*', fn]),
          mw.destinationMiddleware,
        ),
      )
      mw.attach()
    }
    let desired: Desired
    try {
      desired = desiredFrom(seen.latest, config.identity)
    } catch (e) {
      return report(
        new OktaSegmentError('claims', __DEV__ && 'traits, userId or groups threw; nothing was sent for this state', e),
      )
    }
    if (desired.kind === 'unknown') {
      if (desired.problem && desired.problem !== seen.problem) report(new OktaSegmentError('claims', desired.problem))
      seen.problem = desired.problem
      return
    }
    seen.problem = undefined
    const onCallbackPage = desired.kind === 'user' && callbackPath !== undefined && location.pathname === callbackPath
    if (onCallbackPage) seen.callbackSince ??= Date.now()
    const delay = callbackDelay(onCallbackPage, Date.now() - (seen.callbackSince ?? 0))
    if (delay !== undefined) {
      clearTimeout(callbackTimer)
      callbackTimer = setTimeout(() => scheduler.request(), delay)
      return log(__DEV__ && 'waiting: this is the OIDC callback page')
    }
    const version = seen.version
    // Filtered before the turn, so that nothing is awaited between reading and writing the record.
    const traits = desired.kind === 'user' ? await own.traits(desired) : undefined
    const result = await tabs.turn((locked) => step(target, desired, traits, version, locked), takesTurns(seen.phase))
    if (result === 'again') return true
    // Acting waits for a fresh state: Okta's own (its cross-tab message), or one it was asked for;
    // a state Okta re-evaluated at our request is taken as it is, whatever it says. Nothing waits
    // in the loop meanwhile (flush() and pagehide do not either).
    if (typeof result === 'string')
      void reevaluate().then((asked) => {
        if (asked) seen.confirmed = result
        scheduler.request()
      })
  }

  const loop = createRunLoop(pass, report)
  const closed = () => loop.state.name === 'closed'
  const scheduler = createScheduler(() => void loop.request(), config.idleTimeout)
  const sink = createSink(analytics, () => scheduler.request(), report)
  // A tab whose auth state is older than Okta's token storage waits for Okta's own re-evaluation
  // (its cross-tab message), REEVALUATE_AFTER_MS at most, then asks for one: that message can be
  // lost, or arrive before the storage write is visible. True when it had to ask.
  let reevaluating: Promise<boolean> | undefined
  let emitted: (() => void) | undefined
  let asking: ReturnType<typeof setTimeout> | undefined
  const reevaluate = () =>
    (reevaluating ??= new Promise<boolean>((resolve) => {
      emitted = () => resolve(false)
      asking = setTimeout(() => {
        Promise.resolve(auth.authStateManager.updateAuthState?.())
          .catch(report)
          .finally(() => resolve(true))
      }, REEVALUATE_AFTER_MS)
    }).finally(() => {
      clearTimeout(asking)
      reevaluating = emitted = undefined
    }))
  const tabs = createTabs((signal) => {
    if (signal === 'tokens' || signal === 'both') {
      seen.ending.external = true
      if (isStale(seen.latest, storedTokens(auth))) void reevaluate()
    }
    if (signal === 'record' || signal === 'both') scheduler.request()
  })
  const unmount: (() => void)[] = []
  if (typeof (analytics as { addSourceMiddleware?: unknown }).addSourceMiddleware === 'function')
    unmount.push(
      mount(analytics, 'source', (fn) => sink.call(analytics, 'addSourceMiddleware', [fn]), mw.sourceMiddleware),
    )
  else if (config.filters.length)
    report(
      new OktaSegmentError(
        'filter',
        __DEV__ && 'analytics has no addSourceMiddleware: filters apply to the bridge’s own calls only',
      ),
    )

  const now = () => {
    scheduler.cancel()
    return loop.request()
  }
  const onAuthState = (state: AuthStateLike) => {
    seen.latest = state
    seen.version++
    emitted?.()
    if (state?.isAuthenticated && !state.idToken?.pendingRemove)
      seen.ending = { expiresAt: expiryOf(state), external: false, signingOut: false }
    // signOut() marks tokens pendingRemove and redirects right after revoking them: give the
    // Signed Out the most time to leave before the navigation.
    scheduler.request(!!state?.idToken?.pendingRemove)
  }
  const unwatch = watchPage((event) => {
    const was = seen.phase
    seen.phase = nextPhase(was, event)
    if (runsAtOnce(event)) void now()
    // back from the back/forward cache: work deferred while leaving runs now
    else if (was === 'leaving' && seen.phase !== 'leaving') scheduler.request()
  })
  auth.authStateManager.subscribe(onAuthState)
  const current = auth.authStateManager.getAuthState()
  if (current) onAuthState(current)

  return {
    flush: now,
    refresh() {
      own.forget()
      store.write({ ...store.read(), i: undefined })
      return now()
    },
    disconnect() {
      store.persist()
      loop.close()
      tabs.close()
      scheduler.cancel()
      clearTimeout(callbackTimer)
      emitted?.()
      unwatch()
      unmount.forEach((remove) => remove())
      auth.authStateManager.unsubscribe(onAuthState)
    },
  }
}
