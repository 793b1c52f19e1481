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

/** The pump's one state: nothing to do; a pass asked for (a task, an idle period or a timer is
 * pending); a pass running (and when to run the next, if one was asked for meanwhile); or closed. */
export type PumpState =
  | { name: 'idle' }
  | { name: 'waiting'; cancel: () => void }
  | { name: 'running'; next?: When; done: Promise<void> }
  | { name: 'closed' }

/**
 * The page: its phase, and the pump that runs `pass` (one pass of the bridge), one at a time. A
 * request while one is waiting shares it (only `soon` replaces it); a request while a pass runs is
 * taken up when it ends (`soon`, or a pass resolving `true`, at once). Okta's callback pays only
 * for a `setTimeout`: the idle period is asked for from that task (`requestIdleCallback` costs
 * several times more to register), at most `idleTimeout` ms away; where it is absent (WebKit) the
 * task runs the pass. `pagehide` and `visibilitychange: hidden` run it at once: the listeners are
 * in the capture phase at the window, so the bridge's calls on `pagehide` are made before
 * analytics-next's own listener persists its in-flight events. A pass that throws is reported.
 */
export const createPage = (pass: () => Promise<boolean | void>, idleTimeout: number, report: (e: unknown) => void) => {
  let phase: PagePhase = 'open'
  let state: PumpState = { name: 'idle' }
  /** Runs a pass now (after the running one); resolves when the pump has nothing more to run at once. */
  const now = (): Promise<void> => {
    if (state.name === 'running') return ((state.next = 'soon'), state.done)
    if (state.name === 'closed') return Promise.resolve()
    if (state.name === 'waiting') state.cancel()
    const running: PumpState = (state = { name: 'running', next: 'soon', done: Promise.resolve() })
    return (running.done = (async () => {
      while (running.next === 'soon' && state === running) {
        running.next = undefined
        if (await pass().catch((e: unknown) => void report(e))) running.next = 'soon'
      }
      if (state !== running) return
      state = { name: 'idle' }
      if (running.next !== undefined) request(running.next)
    })())
  }
  const idle = () => {
    const g = globalThis
    if (!g.requestIdleCallback) return void now()
    const id = g.requestIdleCallback(() => void now(), { timeout: idleTimeout })
    state = { name: 'waiting', cancel: () => g.cancelIdleCallback(id) }
  }
  const request = (when: When): void => {
    if (state.name === 'running') {
      if (state.next === undefined || when === 'soon') state.next = when
      return
    }
    if (state.name === 'closed' || (state.name === 'waiting' && when !== 'soon')) return
    if (state.name === 'waiting') state.cancel()
    const id = setTimeout(when === 'idle' ? idle : now, when === 'soon' ? 1 : when === 'idle' ? 0 : when)
    state = { name: 'waiting', cancel: () => clearTimeout(id) }
  }
  const on = (event: PageSignal) => () => {
    const signal = event === 'visible' && document.visibilityState === 'hidden' ? 'hidden' : event
    const was = phase
    phase = nextPhase(was, signal)
    if (runsAtOnce(signal)) void now()
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
    state: () => state,
    request,
    now,
    close() {
      if (state.name === 'waiting') state.cancel()
      state = { name: 'closed' }
      removers.forEach((remove) => remove())
    },
  }
}
