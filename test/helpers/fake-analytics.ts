/**
 * A recording stand-in for analytics-next, for the fast tier of the model-based tests. It copies
 * the user-identity semantics of analytics-next 1.84 (core/user/index.js, read and checked):
 * - `user().id()` reads the shared persisted store (localStorage + cookie) first, then this page's
 *   memory, and writes what it found back to both ("getAndSync"): so a tab whose memory still holds
 *   a user another tab reset puts that user back into storage.
 * - `identify(id, traits)` merges traits when the id is the same (or none), replaces them otherwise;
 *   `reset()` clears memory and the persisted store.
 * Three ways to be handed to the bridge, as in real pages: the loaded instance, an
 * `AnalyticsBrowser`-like buffer (`then` + `instance` once loaded) and the snippet's array stub.
 */
export interface Persisted {
  id?: string | null
  traits?: Record<string, unknown> | null
  anonymousId?: string | null
}
export type Mode = 'ok' | 'throw' | 'reject' | 'throwIdentify'
export type Flavour = 'instance' | 'browser' | 'snippet' | 'never'

/** One call a page's bridge made to analytics. */
export interface Call {
  page: number
  call: 'identify' | 'track' | 'reset' | 'group'
  args: unknown[]
  /** The user analytics held just before the call. */
  held: string | null
  /** false when the call threw (it had no effect). */
  delivered: boolean
}

export interface FakeAnalytics {
  identify(id: string, traits?: Record<string, unknown>): unknown
  track(event: string, properties?: unknown, options?: unknown): unknown
  reset(): unknown
  group(id: string): unknown
  user(): {
    id(): string | null
    traits(): Record<string, unknown>
    /** analytics-next's stores, which the bridge reads without writing back */
    identityStore: { get(key: string): unknown }
    traitsStore: { get(key: string): unknown }
    idKey: string
    traitsKey: string
  }
}

let anonymousIds = 0

export function createFakeAnalytics(opts: {
  page: number
  persisted: Persisted
  log: (call: Call) => void
  mode: () => Mode
}): FakeAnalytics {
  const memory: Persisted = {}
  const { persisted } = opts
  const id = (): string | null => {
    const found = persisted.id ?? memory.id ?? null
    persisted.id = memory.id = found
    return found
  }
  const traits = () => ({ ...(persisted.traits ?? memory.traits ?? {}) })
  const setTraits = (t: Record<string, unknown> | null) => {
    persisted.traits = memory.traits = t
  }
  const call = (name: Call['call'], args: unknown[], effect: () => void) => {
    const held = id()
    const mode = opts.mode()
    const fails = mode === 'throw' || (mode === 'throwIdentify' && name === 'identify')
    opts.log({ page: opts.page, call: name, args, held, delivered: !fails })
    if (fails) throw new Error(`analytics ${name} blocked`)
    effect()
    return mode === 'reject' ? Promise.reject(new Error(`analytics ${name} rejected`)) : Promise.resolve()
  }
  return {
    identify: (userId, t = {}) =>
      call('identify', [userId, t], () => {
        const current = id()
        const merged = current === null || current === userId ? { ...traits(), ...t } : { ...t }
        persisted.id = memory.id = userId
        setTraits(merged)
      }),
    // logged with its properties and options: the oracle reads the messageId
    track: (event, properties, options) => call('track', [event, properties, options], () => {}),
    group: (groupId) => call('group', [groupId], () => {}),
    reset: () =>
      call('reset', [], () => {
        persisted.id = memory.id = null
        persisted.anonymousId = memory.anonymousId = `anon-${++anonymousIds}`
        setTraits(null)
      }),
    user: () => ({
      id,
      traits,
      identityStore: {
        get: (key) =>
          key === 'ajs_user_id'
            ? (persisted.id ?? memory.id ?? null)
            : (persisted.anonymousId ?? (memory.anonymousId ??= persisted.anonymousId = `anon-${++anonymousIds}`)),
      },
      traitsStore: { get: () => persisted.traits ?? memory.traits ?? null },
      idKey: 'ajs_user_id',
      traitsKey: 'ajs_user_traits',
    }),
  }
}

export interface Handed {
  /** What the page passes to connect({ analytics }). */
  analytics: unknown
  /** The instance, once loaded. */
  loaded(): FakeAnalytics | undefined
  /** Finishes loading (a failing flavour rejects instead); idempotent. */
  load(): void
}

/** Hands `instance` to the bridge the way a page of the given flavour would. */
export function hand(flavour: Flavour, instance: FakeAnalytics): Handed {
  if (flavour === 'instance') return { analytics: instance, loaded: () => instance, load() {} }
  const noop = () => undefined
  if (flavour === 'snippet') {
    const stub = [] as unknown as unknown[][] & Record<string, unknown>
    for (const m of ['identify', 'track', 'reset', 'group', 'ready'])
      stub[m] = (...args: unknown[]) => (stub.push([m, ...args]), stub)
    ;(globalThis as { analytics?: unknown }).analytics = stub
    let done = false
    return {
      analytics: stub,
      loaded: () => (done ? instance : undefined),
      load() {
        if (done) return
        done = true
        ;(globalThis as { analytics?: unknown }).analytics = instance
        // analytics.js replays the stub's calls; the bridge only ever queues `ready`.
        for (const [m, ...args] of stub.splice(0)) {
          if (m === 'ready') (args[0] as () => void)()
          else (instance as unknown as Record<string, (...a: unknown[]) => unknown>)[m as string]!(...args)
        }
      },
    }
  }
  // AnalyticsBrowser: a promise-like whose `instance` is set once loaded; 'never' fails to load.
  let settle!: (ok: boolean) => void
  const ready = new Promise<unknown>((resolve, reject) => {
    settle = (ok) => (ok ? resolve([instance, {}]) : reject(new Error('analytics failed to load')))
  })
  ready.catch(noop) // the bridge's own handler is what must see it
  let state: 'pending' | 'loaded' | 'failed' = 'pending'
  const buffer: Record<string, unknown> = {
    identify: noop,
    track: noop,
    reset: noop,
    group: noop,
    then: (resolve?: (v: unknown) => unknown, reject?: (e: unknown) => unknown) => ready.then(resolve, reject),
  }
  return {
    analytics: buffer,
    loaded: () => (state === 'loaded' ? instance : undefined),
    load() {
      if (state !== 'pending') return
      state = flavour === 'never' ? 'failed' : 'loaded'
      if (state === 'loaded') buffer.instance = instance
      settle(state === 'loaded')
    },
  }
}
