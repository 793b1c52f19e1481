/** The page's pump (io/page.ts): when a pass runs, one at a time. DOM-free: fake timers, a stubbed requestIdleCallback. */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createPage, nextPhase, runsAtOnce, settled } from '../src/io/page'

afterEach(() => vi.useRealTimers())

const stubIdle = () => {
  const calls: [() => void, { timeout: number }][] = []
  const cancelled: number[] = []
  vi.stubGlobal('requestIdleCallback', (fn: () => void, opts: { timeout: number }) => calls.push([fn, opts]))
  vi.stubGlobal('cancelIdleCallback', (id: number) => cancelled.push(id))
  return { calls, cancelled }
}
const passes = () => {
  const pass = vi.fn(async (): Promise<boolean | void> => {})
  return pass
}

describe('createPage: the pump', () => {
  it('uses a task where requestIdleCallback is absent (WebKit); requests coalesce; close() cancels', async () => {
    vi.useFakeTimers()
    expect(globalThis.requestIdleCallback).toBeUndefined()
    const pass = passes()
    const page = createPage(pass, 1000, () => {})
    page.request('idle')
    page.request('idle')
    expect(page.state().name).toBe('waiting')
    await vi.runAllTimersAsync()
    expect(pass).toHaveBeenCalledTimes(1)
    expect(page.state().name).toBe('idle')
    page.request('idle')
    page.close()
    await vi.runAllTimersAsync()
    expect(pass).toHaveBeenCalledTimes(1)
    expect(page.state().name).toBe('closed')
  })

  it('the request itself only queues a task; the idle period (with the timeout) is asked for from there', async () => {
    vi.useFakeTimers()
    const { calls, cancelled } = stubIdle()
    const pass = passes()
    const page = createPage(pass, 750, () => {})
    page.request('idle')
    page.request('idle')
    expect(calls).toHaveLength(0) // nothing but a setTimeout in the caller's (Okta's) callback
    vi.advanceTimersByTime(0)
    expect(calls).toHaveLength(1)
    expect(calls[0]![1]).toEqual({ timeout: 750 })
    page.request('idle') // already pending (idle stage): shared
    vi.advanceTimersByTime(0)
    expect(calls).toHaveLength(1)
    calls[0]![0]()
    await vi.runAllTimersAsync()
    expect(pass).toHaveBeenCalledTimes(1)
    page.request('idle')
    vi.advanceTimersByTime(0)
    page.close()
    expect(cancelled.at(-1)).toBe(2)
    expect(pass).toHaveBeenCalledTimes(1)
  })

  it('`soon` replaces a pending idle request; `now()` runs at once, drops what was pending, resolves after the pass', async () => {
    vi.useFakeTimers()
    const { calls } = stubIdle()
    const pass = passes()
    const page = createPage(pass, 1000, () => {})
    page.request('idle')
    vi.advanceTimersByTime(0)
    expect(calls).toHaveLength(1)
    page.request('soon')
    await vi.advanceTimersByTimeAsync(1)
    expect(pass).toHaveBeenCalledTimes(1)
    page.request(500) // the OIDC callback page looks again in 500 ms
    await page.now()
    expect(pass).toHaveBeenCalledTimes(2)
    await vi.advanceTimersByTimeAsync(1000)
    expect(pass).toHaveBeenCalledTimes(2)
  })
})

describe('createPage: one pass at a time', () => {
  it('a request during a pass makes one more pass after it; a timed one waits its time', async () => {
    vi.useFakeTimers()
    let release!: () => void
    const order: string[] = []
    const page = createPage(
      async () => {
        order.push('pass')
        if (order.length === 1) await new Promise<void>((r) => (release = r))
      },
      1000,
      () => {},
    )
    const first = page.now()
    expect(page.state().name).toBe('running')
    page.request('idle')
    page.request('idle')
    void page.now()
    release()
    await first
    expect(order).toEqual(['pass', 'pass'])
    expect(page.state().name).toBe('idle')
    // the callback page asks for a pass in 500 ms from inside a pass: not a busy loop
    const again = createPage(
      async () => void (order.push('poll'), again.request(500)),
      1000,
      () => {},
    )
    await again.now()
    expect(order.filter((o) => o === 'poll')).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(order.filter((o) => o === 'poll')).toHaveLength(3)
    again.close()
  })
  it('a pass may ask for another itself; a throwing pass is reported and the pump goes on', async () => {
    const reported: unknown[] = []
    let n = 0
    const page = createPage(
      async () => {
        n++
        if (n === 1) throw new Error('boom')
        return n < 3
      },
      1000,
      (e) => reported.push(e),
    )
    await page.now()
    expect(n).toBe(1)
    await page.now()
    expect(n).toBe(3)
    expect(reported).toHaveLength(1)
    page.close()
    await page.now()
    expect(n).toBe(3)
  })
})

describe('page phase', () => {
  it('pagehide leaves; only pageshow (back from the back/forward cache) comes back', () => {
    expect(nextPhase('open', 'hidden')).toBe('open')
    expect(nextPhase('open', 'pagehide')).toBe('leaving')
    expect(nextPhase('leaving', 'visible')).toBe('leaving')
    expect(nextPhase('leaving', 'hidden')).toBe('leaving')
    expect(nextPhase('leaving', 'pageshow')).toBe('open')
  })
  it('runs at once when the page hides or leaves; ends sessions and takes turns only while not leaving', () => {
    expect(['pagehide', 'hidden', 'visible', 'pageshow'].map((s) => runsAtOnce(s as never))).toEqual([
      true,
      true,
      false,
      false,
    ])
    expect([settled('open'), settled('leaving')]).toEqual([true, false])
  })
})
