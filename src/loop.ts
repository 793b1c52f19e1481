/** The run loop's one state: no pass, a pass (and whether another was asked for meanwhile), or closed. */
export type LoopState = { name: 'idle' } | { name: 'running'; again: boolean; done: Promise<void> } | { name: 'closed' }

/** Pure: the state after a request. A request during a pass asks for exactly one more pass after it. */
export const onRequest = <S extends LoopState>(state: S): S =>
  state.name === 'running' ? { ...state, again: true } : state

/** Pure: after a pass, another one runs (`true`) when one was asked for, by a request or by the pass. */
export const anotherPass = (state: LoopState, asked: boolean): boolean =>
  state.name === 'running' && (state.again || asked)

/**
 * Runs `pass` one at a time. `pass` may resolve `true` to ask for another pass itself (it waited
 * for something that changed the input). A pass that throws is reported; the loop goes on.
 */
export const createLoop = (pass: () => Promise<boolean | void>, report: (e: unknown) => void) => {
  let state: LoopState = { name: 'idle' }
  const loop = async () => {
    let asked: boolean | void = true
    while (anotherPass(state, !!asked)) {
      state = { ...(state as Extract<LoopState, { name: 'running' }>), again: false }
      asked = await pass().catch((e: unknown) => void report(e))
    }
    if (state.name === 'running') state = { name: 'idle' }
  }
  return {
    get state(): LoopState {
      return state
    },
    /** Runs a pass now (synchronously up to its first await), or one more after the current one;
     * resolves when the loop is idle again. */
    request(): Promise<void> {
      if (state.name === 'running') return (state = onRequest(state)).done
      if (state.name === 'closed') return Promise.resolve()
      let idle!: () => void
      const done = new Promise<void>((resolve) => (idle = resolve))
      state = { name: 'running', again: true, done }
      void loop().then(idle)
      return done
    },
    close() {
      state = { name: 'closed' }
    },
  }
}
