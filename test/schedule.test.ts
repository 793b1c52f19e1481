import { afterEach, describe, expect, it, vi } from 'vitest'
import { createScheduler } from '../src/schedule'

afterEach(() => vi.useRealTimers())

const stubIdle = () => {
  const calls: [() => void, { timeout: number }][] = []
  const cancelled: number[] = []
  vi.stubGlobal('requestIdleCallback', (fn: () => void, opts: { timeout: number }) => calls.push([fn, opts]))
  vi.stubGlobal('cancelIdleCallback', (id: number) => cancelled.push(id))
  return { calls, cancelled }
}

describe('createScheduler', () => {
  it('uses a task where requestIdleCallback is absent; requests coalesce; cancel cancels', () => {
    vi.useFakeTimers()
    expect(globalThis.requestIdleCallback).toBeUndefined()
    const work = vi.fn()
    const s = createScheduler(work, 1000)
    s.request()
    s.request()
    vi.runAllTimers()
    expect(work).toHaveBeenCalledTimes(1)
    s.request()
    s.cancel()
    vi.runAllTimers()
    expect(work).toHaveBeenCalledTimes(1)
  })

  it('the request itself only queues a task; the idle period (with the timeout) is asked for from there', () => {
    vi.useFakeTimers()
    const { calls, cancelled } = stubIdle()
    const work = vi.fn()
    const s = createScheduler(work, 750)
    s.request()
    s.request()
    expect(calls).toHaveLength(0) // nothing but a setTimeout in the caller's (Okta's) callback
    vi.advanceTimersByTime(0)
    expect(calls).toHaveLength(1)
    expect(calls[0]![1]).toEqual({ timeout: 750 })
    s.request() // already pending (idle stage): shared
    vi.advanceTimersByTime(0)
    expect(calls).toHaveLength(1)
    calls[0]![0]()
    expect(work).toHaveBeenCalledTimes(1)
    s.request()
    vi.advanceTimersByTime(0)
    s.cancel()
    expect(cancelled).toEqual([2])
    s.request()
    s.cancel() // cancelled in the task stage: no idle callback is ever asked for
    vi.runAllTimers()
    expect(calls).toHaveLength(2)
    expect(work).toHaveBeenCalledTimes(1)
  })
})

describe('createScheduler(soon)', () => {
  it('a soon request replaces a pending idle one and runs in the next task', () => {
    vi.useFakeTimers()
    const { calls, cancelled } = stubIdle()
    const work = vi.fn()
    const s = createScheduler(work, 1000)
    s.request()
    vi.advanceTimersByTime(0)
    expect(calls).toHaveLength(1)
    s.request(true)
    expect(cancelled).toEqual([1])
    vi.advanceTimersByTime(1)
    expect(work).toHaveBeenCalledTimes(1)
  })
})
