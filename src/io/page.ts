/** Where the page is in its life: what the bridge may still do in it. */
export type PagePhase = 'open' | 'leaving'

/** The page-lifecycle signals the bridge follows. */
export type PageSignal = 'pagehide' | 'pageshow' | 'hidden' | 'visible'

/** Pure: the phase after a signal: `pagehide` leaves; only `pageshow` (back from the back/forward cache) comes back. */
export const nextPhase = (phase: PagePhase, signal: PageSignal): PagePhase =>
  signal === 'pagehide' ? 'leaving' : signal === 'pageshow' ? 'open' : phase

/** Pure: the work runs at once (not when idle) on this signal: the page may be gone before an idle period. */
export const runsAtOnce = (signal: PageSignal): boolean => signal === 'pagehide' || signal === 'hidden'

/**
 * Pure: a sign-out (or user switch) is acted on, and tabs take turns (a Web Lock is granted, and
 * IndexedDB answers, in a later task, too late for `pagehide`), in this phase. Not while leaving:
 * calls made while the page unloads can be cut off before analytics-next persists them, and the
 * record would say they went. The next page of the site (or this one, back from the back/forward
 * cache) acts instead.
 */
export const settled = (phase: PagePhase): boolean => phase !== 'leaving'

/** Adds a listener and returns its remover; a no-op where the target is absent (SSR, workers). */
export const listen = (target: EventTarget | undefined, type: string, fn: (e: Event) => void, capture?: boolean) => {
  target?.addEventListener(type, fn, capture)
  return () => target?.removeEventListener(type, fn, capture)
}

/** The URL this document was loaded with (the navigation entry), else the current one. */
export const loadedHref = (): string =>
  (globalThis.performance?.getEntriesByType?.('navigation')[0] as PerformanceEntry | undefined)?.name ||
  (typeof location === 'object' ? location.href : '')

/** When to run: in the next task (`soon`), in an idle period (`idle`), or in so many ms. */
export type When = 'soon' | 'idle' | number

/**
 * The page: its phase, and the pump that runs `work` (one pass of the bridge). Okta's callback pays
 * only for a `setTimeout`: the idle period is asked for from that task (`requestIdleCallback` costs
 * several times more to register), at most `idleTimeout` ms away; where `requestIdleCallback` is
 * absent (WebKit) the task runs the work itself. A pending request stands (only `soon` replaces
 * it); `pagehide` and `visibilitychange: hidden` run the work at once. The listeners are in the
 * capture phase at the window, so the bridge's calls on `pagehide` are made before analytics-next's
 * own listener persists its in-flight events.
 */
export const createPage = <T>(work: () => T, idleTimeout: number) => {
  let phase: PagePhase = 'open'
  let cancel: (() => void) | undefined
  const fire = () => {
    cancel = undefined
    return work()
  }
  const now = () => {
    cancel?.()
    return fire()
  }
  const idle = () => {
    const g = globalThis
    if (!g.requestIdleCallback) return fire()
    const id = g.requestIdleCallback(fire, { timeout: idleTimeout })
    cancel = () => g.cancelIdleCallback(id)
  }
  const request = (when: When) => {
    if (cancel && when !== 'soon') return
    cancel?.()
    const id = setTimeout(when === 'idle' ? idle : fire, when === 'soon' ? 1 : when === 'idle' ? 0 : when)
    cancel = () => clearTimeout(id)
  }
  const on = (event: PageSignal) => () => {
    const signal = event === 'visible' && document.visibilityState === 'hidden' ? 'hidden' : event
    const was = phase
    phase = nextPhase(was, signal)
    if (runsAtOnce(signal)) now()
    // back from the back/forward cache: work deferred while leaving runs now
    else if (was === 'leaving' && phase !== 'leaving') request('idle')
  }
  const win = typeof window === 'object' ? window : undefined
  const removers = [
    listen(win, 'pagehide', on('pagehide'), true),
    listen(win, 'pageshow', on('pageshow')),
    listen(win && document, 'visibilitychange', on('visible')),
  ]
  return {
    phase: () => phase,
    request,
    now,
    close() {
      cancel?.()
      removers.forEach((remove) => remove())
    },
  }
}
