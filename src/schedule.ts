/**
 * Runs `work` once in an idle period (at most `timeout` ms away). Okta's callback pays only for a
 * `setTimeout`: the idle period is asked for from that task (`requestIdleCallback` costs several
 * times more to register); where `requestIdleCallback` is absent the task runs the work itself.
 * Requests made while one is pending share it.
 */
export const createScheduler = (work: () => void, timeout: number) => {
  let cancelPending: (() => void) | undefined
  const later = (fn: () => void, ms: number) => {
    const id = setTimeout(fn, ms)
    cancelPending = () => clearTimeout(id)
  }
  const fire = () => {
    cancelPending = undefined
    work()
  }
  const idle = () => {
    const g = globalThis
    if (typeof g.requestIdleCallback !== 'function') return fire()
    const id = g.requestIdleCallback(fire, { timeout })
    cancelPending = () => g.cancelIdleCallback(id)
  }
  return {
    /** `soon`: the page is about to leave (sign-out redirects): run in the next task, not when idle. */
    request(soon?: boolean) {
      if (cancelPending && !soon) return
      cancelPending?.()
      later(soon ? fire : idle, soon ? 1 : 0)
    },
    cancel() {
      cancelPending?.()
      cancelPending = undefined
    },
  }
}

/** Adds a listener and returns its remover; a no-op where the target is absent (SSR, workers). */
export const listen = (target: EventTarget | undefined, type: string, fn: (e: Event) => void, capture = false) => {
  target?.addEventListener(type, fn, capture)
  return () => target?.removeEventListener(type, fn, capture)
}
