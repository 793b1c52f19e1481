import { listen } from './schedule'

/** Where the page is in its life: what the bridge may still do in it. */
export type PagePhase = 'open' | 'hidden' | 'leaving'

/** The page-lifecycle signals the bridge follows. */
export type PageEvent = 'pagehide' | 'pageshow' | 'hidden' | 'visible'

/** Pure: the phase after a page event. Only `pageshow` (back from the back/forward cache) ends `leaving`. */
export const nextPhase = (phase: PagePhase, event: PageEvent): PagePhase =>
  event === 'pagehide'
    ? 'leaving'
    : event === 'pageshow'
      ? 'open'
      : phase === 'leaving'
        ? phase
        : event === 'hidden'
          ? 'hidden'
          : 'open'

/** Pure: the work runs at once (not when idle) on this event: the page may be gone before an idle period. */
export const runsAtOnce = (event: PageEvent): boolean => event === 'pagehide' || event === 'hidden'

/**
 * Pure: a sign-out (or user switch) is acted on in this phase. Not while leaving: calls made while
 * the page unloads can be cut off before analytics-next persists them, and the record would say
 * they went. The next page of the site (or this one, back from the back/forward cache) acts instead.
 */
export const mayEndSession = (phase: PagePhase): boolean => phase !== 'leaving'

/** Pure: tabs take turns through Web Locks in this phase. Not while leaving: a lock is granted in a
 * later task, too late for `pagehide`. */
export const takesTurns = (phase: PagePhase): boolean => phase !== 'leaving'

/**
 * Follows the page's lifecycle: calls `on` with each event; returns the remover. Capture phase at
 * the window: the bridge's calls on `pagehide` are made before analytics-next's own listener
 * persists its in-flight events, so they are persisted with them.
 */
export const watchPage = (on: (event: PageEvent) => void): (() => void) => {
  const win = typeof window === 'undefined' ? undefined : window
  const doc = typeof document === 'undefined' ? undefined : document
  const removers = [
    listen(win, 'pagehide', () => on('pagehide'), true),
    listen(win, 'pageshow', () => on('pageshow')),
    listen(doc, 'visibilitychange', () => on(doc?.visibilityState === 'hidden' ? 'hidden' : 'visible')),
  ]
  return () => removers.forEach((remove) => remove())
}
