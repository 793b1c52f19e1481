/** Where the page is in its life: what the bridge may still do in it. */
export type PagePhase = 'open' | 'hidden' | 'leaving'

/** The page-lifecycle signals the bridge follows. */
export type PageSignal = 'pagehide' | 'pageshow' | 'hidden' | 'visible'

/** Pure: the phase after a signal. Only `pageshow` (back from the back/forward cache) ends `leaving`. */
export const nextPhase = (phase: PagePhase, signal: PageSignal): PagePhase =>
  signal === 'pagehide'
    ? 'leaving'
    : signal === 'pageshow'
      ? 'open'
      : phase === 'leaving'
        ? phase
        : signal === 'hidden'
          ? 'hidden'
          : 'open'

/** Pure: the work runs at once (not when idle) on this signal: the page may be gone before an idle period. */
export const runsAtOnce = (signal: PageSignal): boolean => signal === 'pagehide' || signal === 'hidden'

/**
 * Pure: a sign-out (or user switch) is acted on in this phase. Not while leaving: calls made while
 * the page unloads can be cut off before analytics-next persists them, and the record would say
 * they went. The next page of the site (or this one, back from the back/forward cache) acts instead.
 */
export const mayEndSession = (phase: PagePhase): boolean => phase !== 'leaving'

/** Pure: tabs take turns (Web Locks, IndexedDB) in this phase. Not while leaving: a lock is granted,
 * and IndexedDB answers, in a later task, too late for `pagehide`. */
export const takesTurns = (phase: PagePhase): boolean => phase !== 'leaving'

/** Adds a listener and returns its remover; a no-op where the target is absent (SSR, workers). */
export const listen = (target: EventTarget | undefined, type: string, fn: (e: Event) => void, capture = false) => {
  target?.addEventListener(type, fn, capture)
  return () => target?.removeEventListener(type, fn, capture)
}

/** The URL this document was loaded with (the navigation entry), else the current one. */
export const loadedHref = (): string =>
  (globalThis.performance?.getEntriesByType?.('navigation')[0] as PerformanceEntry | undefined)?.name ||
  (typeof location === 'undefined' ? '' : location.href)

/** When to run: in the next task (`soon`), in an idle period (`idle`), or in so many ms. */
export type When = 'soon' | 'idle' | number

/**
 * The page: its phase, and the pump that runs `work` (one pass of the bridge). Okta's callback pays
 * only for a `setTimeout`: the idle period is asked for from that task (`requestIdleCallback` costs
 * several times more to register), at most `idleTimeout` ms away; where `requestIdleCallback` is
 * absent (WebKit) the task runs the work itself. Requests made while one is pending share it (an
 * earlier one wins); `pagehide` and `visibilitychange: hidden` run the work at once. The listeners
 * are in the capture phase at the window, so the bridge's calls on `pagehide` are made before
 * analytics-next's own listener persists its in-flight events.
 */
export const createPage = <T>(work: () => T, idleTimeout: number) => {
  let phase: PagePhase = 'open'
  let cancel: (() => void) | undefined
  const fire = () => {
    cancel?.()
    cancel = undefined
    return work()
  }
  const idle = () => {
    const g = globalThis
    if (typeof g.requestIdleCallback !== 'function') return fire()
    const id = g.requestIdleCallback(fire, { timeout: idleTimeout })
    cancel = () => g.cancelIdleCallback(id)
  }
  const request = (when: When) => {
    if (cancel && when !== 'soon') return
    cancel?.()
    const id = setTimeout(when === 'idle' ? idle : fire, when === 'soon' ? 1 : when === 'idle' ? 0 : when)
    cancel = () => clearTimeout(id)
  }
  const signal = (s: PageSignal) => {
    const was = phase
    phase = nextPhase(was, s)
    if (runsAtOnce(s)) fire()
    // back from the back/forward cache: work deferred while leaving runs now
    else if (was === 'leaving' && phase !== 'leaving') request('idle')
  }
  const win = typeof window === 'object' ? window : undefined
  const doc = typeof document === 'object' ? document : undefined
  const removers = [
    listen(win, 'pagehide', () => signal('pagehide'), true),
    listen(win, 'pageshow', () => signal('pageshow')),
    listen(doc, 'visibilitychange', () => signal(doc?.visibilityState === 'hidden' ? 'hidden' : 'visible')),
  ]
  return {
    phase: () => phase,
    request,
    /** Runs the work now; a pending request is dropped. */
    now: fire,
    close() {
      cancel?.()
      removers.forEach((remove) => remove())
    },
  }
}
