// @vitest-environment happy-dom
/**
 * Memory and teardown, with the real okta-auth-js: sign-in/sign-out cycles through one bridge, and
 * connect/disconnect cycles on one OktaAuth. Asserted: no listener is left on Okta's emitter
 * (`oktaAuth.emitter.e`), on `window` or on `document` after disconnect(), and a disconnected
 * bridge sends nothing. Printed, never asserted: heap growth (exact when `gc` is exposed).
 * `npm run bench:memory` runs 10,000 + 1,000 cycles with --expose-gc (bench/memory.mjs).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { connect } from '../src/index'
import { alice, bob } from './helpers/jwt'
import { clear, createOkta, emitterListeners, objectStorage, settle, signIn } from './helpers/okta'

const SIGN_INS = Number(process.env.MEMORY_CYCLES ?? 1000)
const CONNECTS = Number(process.env.MEMORY_CONNECTS ?? 1000)

const gc = (globalThis as { gc?: () => void }).gc
const heap = () => {
  gc?.()
  gc?.()
  return process.memoryUsage().heapUsed
}
const kB = (bytes: number) => `${bytes >= 0 ? '+' : ''}${(bytes / 1024).toFixed(1)} kB`
/** Heap growth over all cycles, and per cycle over the second half (steady state, after caches and JIT). */
const figures = (what: string, n: number, start: number, half: number, end: number) =>
  console.info(
    gc
      ? `[memory] ${n} ${what}: heap ${kB(end - start)} in all; ${((end - half) / Math.ceil(n / 2)).toFixed(0)} B/cycle over the last ${Math.ceil(n / 2)}`
      : `[memory] ${n} ${what}: listeners checked; heap figures need gc: npm run bench:memory`,
  )

/** Net listeners added on window and document (type, listener and capture, as the DOM keys them). */
function trackListeners() {
  const live = new Map<string, number>()
  const ids = new WeakMap<object, number>()
  let next = 0
  const key = (target: string, type: string, fn: object, options?: boolean | AddEventListenerOptions) => {
    if (!ids.has(fn)) ids.set(fn, ++next)
    const capture = typeof options === 'boolean' ? options : !!options?.capture
    return `${target}:${type}:${ids.get(fn)}:${capture}`
  }
  const restore: (() => void)[] = []
  for (const [name, target] of [
    ['window', window],
    ['document', document],
  ] as const) {
    const add = target.addEventListener
    const remove = target.removeEventListener
    target.addEventListener = ((
      type: string,
      fn: EventListenerOrEventListenerObject,
      options?: boolean | AddEventListenerOptions,
    ) => {
      live.set(key(name, type, fn, options), 1)
      return add.call(target, type, fn, options)
    }) as typeof add
    target.removeEventListener = ((
      type: string,
      fn: EventListenerOrEventListenerObject,
      options?: boolean | EventListenerOptions,
    ) => {
      live.delete(key(name, type, fn, options))
      return remove.call(target, type, fn, options)
    }) as typeof remove
    restore.push(() => {
      target.addEventListener = add
      target.removeEventListener = remove
    })
  }
  return {
    live: () => [...live.keys()].map((k) => k.split(':').slice(0, 2).join(':')),
    restore: () => restore.forEach((r) => r()),
  }
}

/** A minimal analytics that holds a user, as analytics-next does, and counts calls. */
const analytics = () => {
  let held: string | null = null
  const a = {
    calls: 0,
    identify: (id: string) => void (a.calls++, (held = id)),
    track: () => void a.calls++,
    reset: () => void (a.calls++, (held = null)),
    user: () => ({ id: () => held }),
  }
  return a
}

let listeners: ReturnType<typeof trackListeners>
beforeEach(() => (listeners = trackListeners()))
afterEach(() => listeners.restore())

describe('memory and teardown', () => {
  it(`${CONNECTS} connect/disconnect cycles leave no listener on Okta's emitter, window or document`, async () => {
    const okta = createOkta()
    const before = emitterListeners(okta)
    const a = analytics()
    const heap0 = heap()
    let heapHalf = heap0
    for (let i = 0; i < CONNECTS; i++) {
      if (i === Math.floor(CONNECTS / 2)) heapHalf = heap()
      const bridge = connect({ auth: okta, analytics: a, storage: null })
      if (i % 10 === 0) {
        signIn(okta, { ...(i % 20 ? alice : bob), auth_time: i })
        await settle(okta)
        await bridge.flush()
      }
      bridge.disconnect()
    }
    const heap1 = heap()
    expect(emitterListeners(okta)).toEqual(before)
    expect(listeners.live()).toEqual([])
    const calls = a.calls
    signIn(okta, { ...alice, auth_time: -1 }) // nobody listens any more
    await settle(okta)
    window.dispatchEvent(new Event('pagehide'))
    await new Promise((r) => setTimeout(r, 5))
    expect(a.calls).toBe(calls)
    figures('connect/disconnect cycles (one sign-in every 10)', CONNECTS, heap0, heapHalf, heap1)
  }, 120_000)

  it(`${SIGN_INS} sign-in/sign-out cycles through one bridge: listeners stay constant`, async () => {
    const okta = createOkta()
    const a = analytics()
    const bridge = connect({ auth: okta, analytics: a, storage: objectStorage({}) })
    const during = emitterListeners(okta)
    const cycle = async (i: number) => {
      signIn(okta, { ...alice, auth_time: i })
      await settle(okta)
      await bridge.flush()
      clear(okta)
      await settle(okta)
      await bridge.flush()
    }
    for (let i = 0; i < 100; i++) await cycle(i) // warm-up: JIT, okta's caches
    const calls = a.calls
    const heap0 = heap()
    let heapHalf = heap0
    for (let i = 0; i < SIGN_INS; i++) {
      if (i === Math.floor(SIGN_INS / 2)) heapHalf = heap()
      await cycle(100 + i)
    }
    const heap1 = heap()
    expect(a.calls - calls).toBe(SIGN_INS * 4) // identify, Signed In, Signed Out, reset: each cycle really ran
    expect(emitterListeners(okta)).toEqual(during)
    expect(listeners.live().sort()).toEqual([
      'document:visibilitychange',
      'window:pagehide',
      'window:pageshow',
      'window:storage',
    ])
    bridge.disconnect()
    expect(listeners.live()).toEqual([])
    figures('sign-in/sign-out cycles', SIGN_INS, heap0, heapHalf, heap1)
  }, 300_000)
})
