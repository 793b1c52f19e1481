import { afterEach, describe, expect, it, vi } from 'vitest'
import { createScheduler } from '../src/schedule'

afterEach(() => vi.useRealTimers())

describe('createScheduler', () => {
  it('uses setTimeout where requestIdleCallback is absent; requests coalesce; cancel cancels', () => {
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

  it('uses requestIdleCallback with the timeout where present', () => {
    const calls: [() => void, { timeout: number }][] = []
    const cancelled: number[] = []
    vi.stubGlobal('requestIdleCallback', (fn: () => void, opts: { timeout: number }) => calls.push([fn, opts]))
    vi.stubGlobal('cancelIdleCallback', (id: number) => cancelled.push(id))
    const work = vi.fn()
    const s = createScheduler(work, 750)
    s.request()
    s.request()
    expect(calls).toHaveLength(1)
    expect(calls[0]![1]).toEqual({ timeout: 750 })
    calls[0]![0]()
    expect(work).toHaveBeenCalledTimes(1)
    s.request()
    s.cancel()
    expect(cancelled).toEqual([2])
  })
})

describe('createScheduler(soon)', () => {
  it('a soon request replaces a pending idle one and runs in the next task', () => {
    vi.useFakeTimers()
    const idle: (() => void)[] = []
    const cancelled: number[] = []
    vi.stubGlobal('requestIdleCallback', (fn: () => void) => idle.push(fn))
    vi.stubGlobal('cancelIdleCallback', (id: number) => cancelled.push(id))
    const work = vi.fn()
    const s = createScheduler(work, 1000)
    s.request()
    s.request(true)
    expect(cancelled).toEqual([1])
    vi.advanceTimersByTime(1)
    expect(work).toHaveBeenCalledTimes(1)
  })
})
