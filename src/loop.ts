/** The run loop's one state: no pass, a pass (and whether another was asked for meanwhile), or closed. */
export type LoopState = { name: 'idle' } | { name: 'running'; again: boolean; done: Promise<void> } | { name: 'closed' }

/**
 * Runs `pass` one at a time: a request during a pass asks for exactly one more pass after it, and
 * a pass may resolve `true` to ask for one itself. A pass that throws is reported; the loop goes on.
 * `request()` resolves when the loop is idle again.
 */
export const createLoop = (pass: () => Promise<boolean | void>, report: (e: unknown) => void) => {
  let state: LoopState = { name: 'idle' }
  return {
    state: () => state,
    request(): Promise<void> {
      if (state.name !== 'idle')
        return state.name === 'running' ? ((state.again = true), state.done) : Promise.resolve()
      const running: LoopState = (state = { name: 'running', again: true, done: Promise.resolve() })
      running.done = (async () => {
        while (running.again && state === running) {
          running.again = false
          if (await pass().catch((e: unknown) => void report(e))) running.again = true
        }
        if (state === running) state = { name: 'idle' }
      })()
      return running.done
    },
    close() {
      state = { name: 'closed' }
    },
  }
}
