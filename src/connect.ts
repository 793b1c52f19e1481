import { OktaSegmentError } from './errors'
import { runFilters } from './filter'
import { desiredFrom } from './identity'
import { keep, plan, type Action } from './lifecycle'
import { createMiddleware, mount } from './middleware'
import { compile } from './options'
import { createScheduler, listen } from './schedule'
import { createSink } from './sink'
import { RECORD_KEY, createStore } from './store'
import { cleanObject, isDigest } from './traits'
import type { AuthStateLike, Bridge, Options } from './types'

const OKTA_STORAGE_KEY = 'okta-token-storage'

/**
 * Connects Okta's auth state to Segment: identify on sign-in (only when something changed),
 * `Signed In` once per authentication, `Signed Out` then `reset()` on sign-out, filters per
 * destination. Okta's callback only records the new state; the work runs when the page is idle,
 * or at once on `pagehide`.
 * @example
 * const bridge = connect({ auth: oktaAuth, analytics, filters: [dropTraits(['phone'])] })
 * await bridge.flush() // optional: run pending work now
 */
export function connect(options: Options): Bridge {
  const config = compile(options)
  const { auth, onError, debug, analytics } = config
  const report = (e: Error) => {
    try {
      onError(e)
    } catch {
      // an onError that throws must not break Okta or the page either
    }
  }
  const log = (...what: unknown[]) => debug && console.info('[okta-segment]', ...what)
  const win = typeof window === 'undefined' ? undefined : window
  // This document was loaded as the OIDC callback: okta-auth-js strips the query before it
  // redirects, so read the URL the document was loaded with (a late script tag connects after).
  const loaded = (globalThis.performance?.getEntriesByType?.('navigation')[0] as PerformanceEntry | undefined)?.name
  const href = loaded || win?.location.href || ''
  const callbackPath = /[?&#](code|id_token|access_token)=/.test(href) && /[?&#]state=/.test(href) ? new URL(href, 'http://h').pathname : undefined
  const store = createStore(config.storage, report)
  const mw = createMiddleware(config.filters, config.cleanPage, report)
  let latest: AuthStateLike | null = null
  let version = 0 // bumps on every auth state; work prepared for an older one is stale
  let startup = true
  let last: string | undefined
  let closed = false
  let attached = false
  let lastProblem: string | undefined
  let running: Promise<void> | undefined
  let again = false
  let deferrals = 0
  let ended: string | undefined
  // Tabs announce the Signed Out they send, so that another tab seeing the same sign-out does not
  // send it again before the shared record reaches it.
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(RECORD_KEY) : undefined
  if (channel) {
    ;(channel as { unref?: () => void }).unref?.() // Node: do not hold the process open
    channel.onmessage = (e: MessageEvent<{ out?: unknown }>) => {
      if (typeof e.data?.out === 'string') ended = e.data.out
    }
  }
  let leaving = false
  let deferTimer: ReturnType<typeof setTimeout> | undefined

  // The bridge's own calls go through the filters without destinations before analytics sees
  // them, so that a dropped trait is never stored by analytics-next either.
  const filterOwn = async (actions: Action[]) => {
    const out: Action[] = []
    for (const a of actions) {
      if (a.call === 'reset') {
        out.push(a)
        continue
      }
      const event = a.call === 'identify' ? { type: a.call, userId: a.userId, traits: a.traits } : a.call === 'track' ? { type: a.call, event: a.event } : { type: a.call, groupId: a.groupId }
      const kept = await runFilters(mw.source, event, {}, report)
      if (kept && a.call === 'identify') {
        // what filters return is guarded again; a SHA-256 digest (hashTraits) is not a token
        const traits = kept.traits ?? {}
        const clean = cleanObject(traits, Object.keys(traits)) ?? {}
        for (const k of Object.keys(traits)) if (k !== '__proto__' && isDigest(traits[k])) clean[k] = traits[k]
        out.push({ ...a, traits: clean })
      }
      else if (kept) out.push(a)
      else log(`${a.call} dropped by a filter`)
    }
    return out
  }

  const run = async () => {
    const target = sink.target()
    if (!target) return log('waiting for analytics to load')
    if (!attached && mw.needsDestinations) {
      attached = true
      if (typeof target.addDestinationMiddleware === 'function') {
        unmount.push(mount(target, 'destination', (fn) => sink.call(target, 'addDestinationMiddleware', ['*', fn]), mw.destinationMiddleware))
        mw.attach()
      }
    }
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
    // The OIDC callback page redirects at once (handleLoginRedirect, after it strips the query):
    // calls made there are cut off by the navigation. Wait for the page the user lands on (an SPA
    // navigates away from the callback path in place), for ten seconds at most.
    if (desired.kind === 'user' && callbackPath !== undefined && win?.location.pathname === callbackPath && deferrals < 20) {
      deferrals++
      clearTimeout(deferTimer)
      deferTimer = setTimeout(() => scheduler.request(), 500)
      return log('waiting: this is the OIDC callback page')
    }
    const seen = version
    // Read, plan, send and record as one step across tabs (Web Locks where present), so that two
    // tabs seeing the same sign-out send one Signed Out. Not while the page is leaving: a lock is
    // granted in a later task, too late for pagehide.
    await exclusive(async () => {
      const old = store.read()
      const p = plan(desired, old, { held: sink.held(target), startup, last, ended }, config.events)
      const actions = mw.source.length ? await filterOwn(p.actions) : p.actions
      if (seen !== version || closed) {
        again = !closed
        log('dropped as stale: the auth state changed meanwhile')
        return
      }
      log(...p.why)
      // Tell the other tabs a Signed Out went out: the shared record can reach them late.
      const announce = (thrown: Action[]) => {
        const out = (a: Action) => a.call === 'track' && a.event === config.events.signedOut
        if (old.u && actions.some(out) && !thrown.some(out)) channel?.postMessage({ out: `${old.u}/${old.a}` })
      }
      let failed: Action[]
      const cut = actions.findIndex((a) => a.call === 'reset')
      if (cut > 0 && leaving) {
        // A Signed Out made while the page unloads can be cut off before analytics-next persists
        // it, and a record written now would say it went. Keep the record and the user analytics
        // holds: the next page of this site sends it (same messageId), attributed to this user.
        log('leaving: the next page sends Signed Out')
        return
      }
      if (cut > 0 && latest?.idToken?.pendingRemove) {
        // signOut() redirects right after this state: Signed Out goes first and is awaited (2 s at
        // most) before the reset and the record. If the redirect cuts it off, analytics still holds
        // the user and the record still says signed in, so the next page sends it again,
        // attributed to the right user. (Web Locks keep another tab from sending it meanwhile.)
        const first = sink.deliver(target, actions.slice(0, cut))
        announce(first.thrown)
        let timer: ReturnType<typeof setTimeout> | undefined
        await Promise.race([first.settled, new Promise((r) => (timer = setTimeout(r, 2000)))])
        clearTimeout(timer)
        failed = first.thrown.concat(sink.deliver(target, actions.slice(cut)).thrown)
      } else announce((failed = sink.deliver(target, actions).thrown))
      // a reset that threw is retried: at start-up too, and for the user this page knew
      if (!failed.some((a) => a.call === 'reset')) {
        startup = false
        last = desired.kind === 'user' ? desired.user : undefined
      }
      store.write(keep(p, old, failed, config.events))
    })
  }

  const exclusive = (critical: () => Promise<void>): Promise<void> => {
    const locks = leaving ? undefined : (globalThis.navigator as Navigator | undefined)?.locks
    if (!locks) return critical()
    let entered = false
    const enter = () => ((entered = true), critical())
    return locks.request(`${RECORD_KEY}:lock`, enter).catch((e: unknown) => {
      if (entered) throw e
      return critical() // locks unavailable here (opaque origin): run unlocked
    })
  }

  // One run at a time; a request during a run makes one more run after it.
  const work = (): Promise<void> => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      do {
        again = false
        if (!closed) await run()
      } while (again && !closed)
    })()
      .catch((e: unknown) => report(new OktaSegmentError('internal', 'unexpected error', e)))
      .finally(() => (running = undefined))
    return running
  }

  const scheduler = createScheduler(work, config.idleTimeout)
  const sink = createSink(analytics, () => scheduler.request(), report)
  const unmount: (() => void)[] = []
  if (typeof (analytics as { addSourceMiddleware?: unknown }).addSourceMiddleware === 'function')
    unmount.push(mount(analytics, 'source', (fn) => sink.call(analytics, 'addSourceMiddleware', [fn]), mw.sourceMiddleware))
  else if (config.filters.length)
    report(new OktaSegmentError('filter', 'analytics has no addSourceMiddleware: filters apply to the bridge’s own calls only'))

  const now = () => {
    scheduler.cancel()
    return work()
  }
  const onAuthState = (state: AuthStateLike) => {
    latest = state
    version++
    // signOut() marks tokens pendingRemove and redirects right after revoking them: give the
    // Signed Out the most time to leave before the navigation.
    scheduler.request(!!state?.idToken?.pendingRemove)
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
  const doc = typeof document === 'undefined' ? undefined : document
  const removers = [
    // Capture phase: at the window, capture listeners run before analytics-next's own pagehide
    // listener persists its in-flight events, so calls made now are persisted with them. A sign-out
    // is not acted on while leaving (see run): the next page, or this one back, sends it.
    listen(win, 'pagehide', () => ((leaving = true), now()), true),
    // back from the back/forward cache: work deferred while leaving runs now
    listen(win, 'pageshow', () => leaving && ((leaving = false), scheduler.request())),
    listen(doc, 'visibilitychange', () => doc?.visibilityState === 'hidden' && now()),
    listen(win, 'storage', onStorage),
  ]
  auth.authStateManager.subscribe(onAuthState)
  const current = auth.authStateManager.getAuthState()
  if (current) onAuthState(current)

  return {
    flush: now,
    refresh() {
      store.write({ ...store.read(), i: undefined })
      return now()
    },
    disconnect() {
      store.persist()
      channel?.close()
      closed = true
      scheduler.cancel()
      clearTimeout(deferTimer)
      removers.concat(unmount).forEach((remove) => remove())
      auth.authStateManager.unsubscribe(onAuthState)
    },
  }
}
