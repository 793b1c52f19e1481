// The script-tag entry: sets globalThis.OktaSegment, replays a queue set up before it loaded, and
// runs later pushes at once. (Load orders in a real browser: test/e2e/script-tag.test.mjs.)
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import * as api from '../src/index'

type Global = typeof api & { push(...fns: unknown[]): void }
const scope = globalThis as { OktaSegment?: unknown }
const load = async () => {
  vi.resetModules()
  await import('../src/standalone')
  return scope.OktaSegment as Global
}

beforeEach(() => {
  delete scope.OktaSegment
  vi.useFakeTimers()
})
afterEach(() => {
  delete scope.OktaSegment
  vi.useRealTimers()
})

describe('window.OktaSegment', () => {
  test('has the npm entry’s exports, plus push', async () => {
    const global = await load()
    const fresh = await import('../src/index') // the module instance the bundle was built from
    expect(Object.keys(global).sort()).toEqual([...Object.keys(api), 'push'].sort())
    for (const [name, value] of Object.entries(fresh)) expect(global[name as keyof typeof api]).toBe(value)
  })

  test('replays callbacks queued before it loaded, in order, with the API', async () => {
    const seen: string[] = []
    scope.OktaSegment = [
      (g: Global) => seen.push(`a:${typeof g.connect}`),
      (g: Global) => seen.push(`b:${g === scope.OktaSegment}`),
    ]
    await load()
    expect(seen).toEqual(['a:function', 'b:true'])
  })

  test('runs callbacks pushed after it loaded at once, also from inside a queued callback', async () => {
    const seen: string[] = []
    scope.OktaSegment = [(g: Global) => g.push(() => seen.push('nested'))]
    const global = await load()
    global.push(
      () => seen.push('later'),
      () => seen.push('later too'),
    )
    expect(seen).toEqual(['nested', 'later', 'later too'])
  })

  test('a throwing callback does not stop the others; its error surfaces as uncaught', async () => {
    const seen: string[] = []
    scope.OktaSegment = [
      () => {
        throw new Error('boom')
      },
      'not a function',
      () => seen.push('after'),
    ]
    await load()
    expect(seen).toEqual(['after'])
    expect(() => vi.advanceTimersToNextTimer()).toThrow('boom')
    expect(() => vi.advanceTimersToNextTimer()).toThrow('OktaSegment.push() takes functions')
  })

  test('loaded twice, it keeps the first instance and runs nothing again', async () => {
    const calls = vi.fn()
    scope.OktaSegment = [calls]
    const first = await load()
    const second = await load()
    expect(second).toBe(first)
    expect(calls).toHaveBeenCalledTimes(1)
  })
})
