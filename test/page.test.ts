/** The page's pump (io/page.ts): when a pass runs. DOM-free: fake timers, a stubbed requestIdleCallback. */
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

describe('createPage: the pump', () => {
  it('uses a task where requestIdleCallback is absent (WebKit); requests coalesce; close() cancels', () => {
    vi.useFakeTimers()
    expect(globalThis.requestIdleCallback).toBeUndefined()
    const work = vi.fn()
    const page = createPage(work, 1000)
    page.request('idle')
    page.request('idle')
    vi.runAllTimers()
    expect(work).toHaveBeenCalledTimes(1)
    page.request('idle')
    page.close()
    vi.runAllTimers()
    expect(work).toHaveBeenCalledTimes(1)
  })

  it('the request itself only queues a task; the idle period (with the timeout) is asked for from there', () => {
    vi.useFakeTimers()
    const { calls, cancelled } = stubIdle()
    const work = vi.fn()
    const page = createPage(work, 750)
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
    expect(work).toHaveBeenCalledTimes(1)
    page.request('idle')
    vi.advanceTimersByTime(0)
    page.close()
    expect(cancelled).toEqual([2])
    expect(work).toHaveBeenCalledTimes(1)
  })

  it('`soon` replaces a pending idle request and runs in the next task; `now()` runs at once and drops what was pending', () => {
    vi.useFakeTimers()
    const { calls, cancelled } = stubIdle()
    const work = vi.fn(() => 'ran')
    const page = createPage(work, 1000)
    page.request('idle')
    vi.advanceTimersByTime(0)
    expect(calls).toHaveLength(1)
    page.request('soon')
    expect(cancelled).toEqual([1])
    vi.advanceTimersByTime(1)
    expect(work).toHaveBeenCalledTimes(1)
    page.request(500) // the OIDC callback page looks again in 500 ms
    expect(page.now()).toBe('ran')
    vi.advanceTimersByTime(1000)
    expect(work).toHaveBeenCalledTimes(2)
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
