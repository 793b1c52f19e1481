/**
 * A real, offline OktaAuth (browser ESM build via the vitest alias) and drivers for its token state.
 *
 * Observed with @okta/okta-auth-js 8.0.1 (read from esm/browser and checked by running it):
 * - Neither `start()` nor `updateAuthState()` is needed for token changes to emit: AuthStateManager
 *   subscribes to tokenManager `added`/`removed` in its constructor, and `setTokens()`/`clear()`
 *   fire those events. But `getAuthState()` stays null until the first evaluation, and an instance
 *   created over storage that already holds tokens (second tab, reload) evaluates only on start()
 *   (or an explicit updateAuthState() or a later token event). Use `startOkta()` for that.
 *   start() also runs `tokenManager.clearPendingRemoveTokens()`: that is how a signOut() completes
 *   when the app loads again (pendingRemove tokens are removed, `removed` is emitted).
 * - Emissions are always asynchronous (isAuthenticated() is async), so `signIn(); await
 *   nextAuthState()` in that order is safe. setTokens() over existing tokens fires removed+added
 *   per token; the evaluations are cancelled and coalesced into ONE emission.
 * - Nothing crosses instances: a second OktaAuth on the same storage sees the tokens through
 *   tokenManager.getTokensSync() at once, but emits only when it re-evaluates (syncStorage is off).
 * - tokenManager.add()/setTokens() schedule `expired` timers even when not started; clear()/stop()
 *   clear them. With autoRenew/autoRemove off, nothing listens to `expired`.
 */
import { OktaAuth } from '@okta/okta-auth-js'
import type { AccessToken, AuthState, IDToken, OktaAuthOptions } from '@okta/okta-auth-js'
import { CLIENT_ID, ISSUER, makeAccessToken, makeIdToken } from './jwt'

export type SharedStorage = Record<string, string>

export interface CreateOktaOptions {
  /** Backing object for token storage (key `okta-token-storage`). Share it to simulate two tabs or
   * a reload. 'localStorage' uses the page's real localStorage instead. Default: a fresh object. */
  storage?: SharedStorage | 'localStorage'
  /** Extra OktaAuth options (e.g. transformAuthState, devMode); merged last, shallowly. */
  options?: Partial<OktaAuthOptions>
}

/** A storage provider over a plain object, as TokenManager's `storage` option accepts. */
export function objectStorage(backing: SharedStorage): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  return {
    getItem: (key) => (Object.prototype.hasOwnProperty.call(backing, key) ? backing[key]! : null),
    setItem: (key, value) => {
      backing[key] = String(value)
    },
    removeItem: (key) => {
      delete backing[key]
    },
  }
}

const noNetwork = (method: string, url: string): Promise<never> =>
  Promise.reject(new Error(`okta test harness: network disabled (${method} ${url})`))

const starts = new WeakMap<OktaAuth, Promise<void>>()

export function createOkta(opts: CreateOktaOptions = {}): OktaAuth {
  const storage = opts.storage === 'localStorage' ? window.localStorage : objectStorage(opts.storage ?? {})
  return new OktaAuth({
    issuer: ISSUER,
    clientId: CLIENT_ID,
    redirectUri: 'http://localhost:3000/login/callback',
    scopes: ['openid', 'profile', 'email'],
    httpRequestClient: noNetwork,
    tokenManager: { autoRenew: false, autoRemove: false, syncStorage: false, storage },
    services: { autoRenew: false, autoRemove: false, syncStorage: false, renewOnTabActivation: false },
    ...opts.options,
  })
}

/** okta.start() as an app (or okta-react's <Security>) does, then settle; returns getAuthState(). */
export async function startOkta(okta: OktaAuth): Promise<AuthState | null> {
  const p = okta.start()
  starts.set(okta, p)
  await p
  return settle(okta)
}

export interface Tokens {
  idToken: IDToken
  accessToken: AccessToken
}

export interface SignInOptions {
  expiresAt?: number
  accessTokenExpiresAt?: number
  opaqueAccessToken?: boolean
}

/** Fresh tokens for `claims`, as the provider would issue them (not stored anywhere). */
export function mintTokens(claims: Record<string, unknown>, opts: SignInOptions = {}): Tokens {
  const sub = typeof claims.sub === 'string' ? claims.sub : undefined
  return {
    idToken: makeIdToken(claims, { expiresAt: opts.expiresAt }),
    accessToken: makeAccessToken({
      sub,
      expiresAt: opts.accessTokenExpiresAt ?? opts.expiresAt,
      opaque: opts.opaqueAccessToken,
    }),
  }
}

/** Stores fresh tokens through the real tokenManager.setTokens() (as handleLoginRedirect does). */
export function signIn(okta: OktaAuth, claims: Record<string, unknown>, opts: SignInOptions = {}): Tokens {
  const tokens = mintTokens(claims, opts)
  okta.tokenManager.setTokens(tokens)
  return tokens
}

/** What a renewal does: setTokens() with new token strings; same claims as stored unless given. */
export function renew(okta: OktaAuth, claims?: Record<string, unknown>, opts: SignInOptions = {}): Tokens {
  const current = okta.tokenManager.getTokensSync().idToken
  const next = claims ?? (current?.claims as Record<string, unknown> | undefined)
  if (!next) throw new Error('renew(): no stored ID token and no claims given')
  return signIn(okta, next, opts)
}

/**
 * The first step of okta.signOut() (oidc/mixin/index.js), through the same real API:
 * `tokenManager.addPendingRemoveFlags()` marks every token `pendingRemove: true` and re-stores them
 * with setTokens(), so one emission follows with isAuthenticated true and idToken.pendingRemove true.
 * signOut() would then revoke over the network and redirect; we stop here.
 */
export function pendingRemove(okta: OktaAuth): void {
  // Public on the TokenManager class but missing from TokenManagerInterface's typings (8.0.1).
  const tm = okta.tokenManager as typeof okta.tokenManager & { addPendingRemoveFlags?: () => void }
  if (typeof tm.addPendingRemoveFlags !== 'function') throw new Error('pendingRemove(): no addPendingRemoveFlags')
  tm.addPendingRemoveFlags()
}

/** tokenManager.clear(): emits `removed` per token, then an unauthenticated state. */
export function clear(okta: OktaAuth): void {
  okta.tokenManager.clear()
}

/** The next auth state okta emits (subscribe before or synchronously after the change). */
export function nextAuthState(okta: OktaAuth, timeoutMs = 2000): Promise<AuthState> {
  return new Promise((resolve, reject) => {
    const handler = (state: AuthState): void => {
      clearTimeout(timer)
      okta.authStateManager.unsubscribe(handler)
      resolve(state)
    }
    const timer = setTimeout(() => {
      okta.authStateManager.unsubscribe(handler)
      reject(new Error(`nextAuthState: no emission within ${timeoutMs} ms`))
    }, timeoutMs)
    okta.authStateManager.subscribe(handler)
  })
}

/** Records every emission of okta from now on. */
export function recordAuthStates(okta: OktaAuth): { states: AuthState[]; stop(): void } {
  const states: AuthState[] = []
  const handler = (s: AuthState): void => {
    states.push(s)
  }
  okta.authStateManager.subscribe(handler)
  return { states, stop: () => okta.authStateManager.unsubscribe(handler) }
}

interface PendingView {
  _pending?: { updateAuthStatePromise: PromiseLike<unknown> | null }
}

const microtasks = async (n: number): Promise<void> => {
  for (let i = 0; i < n; i++) await Promise.resolve()
}

/**
 * Waits until okta's async auth-state evaluation has finished (no pending updateAuthState, and
 * none started during a few more microtasks). Works under fake timers (microtasks only).
 * Reads AuthStateManager's private `_pending.updateAuthStatePromise` (8.0.1); returns getAuthState().
 */
export async function settle(okta: OktaAuth, maxRounds = 50): Promise<AuthState | null> {
  const started = starts.get(okta)
  if (started) await started.catch(() => undefined)
  const asm = okta.authStateManager as unknown as PendingView
  if (!asm._pending || !('updateAuthStatePromise' in asm._pending)) {
    throw new Error('settle(): AuthStateManager internals changed; update test/helpers/okta.ts')
  }
  for (let round = 0; round < maxRounds; round++) {
    const pending = asm._pending.updateAuthStatePromise
    if (pending) {
      await Promise.resolve(pending).catch(() => undefined)
      continue
    }
    await microtasks(10)
    if (!asm._pending.updateAuthStatePromise) return okta.authStateManager.getAuthState()
  }
  throw new Error(`settle(): auth state still evaluating after ${maxRounds} rounds`)
}

/** Listeners on Okta's emitter, per event name (tiny-emitter keeps them in `e`). */
export const emitterListeners = (okta: OktaAuth) => {
  const e = (okta as unknown as { emitter: { e: Record<string, unknown[]> } }).emitter.e
  return Object.fromEntries(
    Object.entries(e)
      .map(([k, v]) => [k, v.length])
      .filter(([, n]) => n),
  )
}
