/**
 * Runs `work` once in the next idle period (at most `timeout` ms away); `setTimeout` where
 * `requestIdleCallback` is absent. Requests made while one is pending share it.
 */
export const createScheduler = (work: () => void, timeout: number) => {
  let cancelPending: (() => void) | undefined
  const fire = () => {
    cancelPending = undefined
    work()
  }
  return {
    /** `soon`: the page is about to leave (sign-out redirects): run in the next task, not when idle. */
    request(soon?: boolean) {
      if (cancelPending && !soon) return
      cancelPending?.()
      const g = globalThis
      if (!soon && typeof g.requestIdleCallback === 'function') {
        const id = g.requestIdleCallback(fire, { timeout })
        cancelPending = () => g.cancelIdleCallback(id)
      } else {
        const id = setTimeout(fire, 1)
        cancelPending = () => clearTimeout(id)
      }
    },
    cancel() {
      cancelPending?.()
      cancelPending = undefined
    },
  }
}

/** Adds a listener and returns its remover; a no-op where the target is absent (SSR, workers). */
export const listen = (target: EventTarget | undefined, type: string, fn: (e: Event) => void, capture = false): (() => void) => {
  target?.addEventListener(type, fn, capture)
  return () => target?.removeEventListener(type, fn, capture)
}
