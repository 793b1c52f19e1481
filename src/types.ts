import type { OktaSegmentError } from './errors'

/** Claims of an ID token, as okta-auth-js decodes them. */
export type Claims = Record<string, unknown>
/** Segment traits. */
export type Traits = Record<string, unknown>

/** The part of an okta-auth-js token the bridge reads. */
export interface TokenLike {
  claims?: Claims | null
  pendingRemove?: boolean
  /** Seconds since the epoch. */
  expiresAt?: number
  /** The raw token strings: compared with Okta's storage to tell a stale auth state, never sent. */
  idToken?: string
  accessToken?: string
}

/** The part of an okta-auth-js `AuthState` the bridge reads. */
export interface AuthStateLike {
  isAuthenticated?: boolean
  idToken?: TokenLike | null
  accessToken?: TokenLike | null
  error?: unknown
}

type Listener = (state: AuthStateLike) => void
// Parameters typed `never` so that any SDK's overloaded method fits.
type Method = (...args: never[]) => unknown

/** An `OktaAuth`, or anything with its `authStateManager`. */
export interface AuthLike {
  authStateManager: {
    getAuthState(): AuthStateLike | null
    subscribe(handler: Listener): void
    unsubscribe(handler?: Listener): void
    updateAuthState?: Method
  }
  /** Read to tell whether this tab's auth state is older than the token storage. */
  tokenManager?: { getTokensSync?: Method }
}

/** An `AnalyticsBrowser`, an `Analytics`, or the Segment snippet's `window.analytics`. */
export interface AnalyticsLike {
  identify: Method
  track: Method
  reset: Method
  group?: Method
  user?: Method
  addSourceMiddleware?: Method
  addDestinationMiddleware?: Method
}

/** `connect()`'s `traits`: claim name -> trait name (or `false` to drop), merged over the defaults;
 * or a function of the claims and the default-mapped traits. */
export type TraitsOption = Record<string, string | false> | ((claims: Claims, traits: Traits) => Traits)

/** `groups()`'s options: the groups that may leave, from which claim, and how. */
export interface GroupsOption {
  /** Allowed group names, or a pattern they must match. Nothing else leaves. */
  allow: readonly string[] | RegExp
  /** The claim holding the groups (default `groups`), or a function of the claims. */
  from?: string | ((claims: Claims) => unknown)
  /** `'trait'` (default): a `groups` trait on identify; `'group'`: one `group()` call per group. */
  send?: 'trait' | 'group'
}

/** An event as analytics-next builds it (the fields filters read; the rest passes through). */
export interface FilterEvent {
  type: string
  event?: string
  userId?: string | null
  traits?: Traits
  properties?: Record<string, unknown>
  context?: { traits?: Traits; page?: Record<string, unknown>; [key: string]: unknown }
  integrations?: Record<string, unknown>
  [key: string]: unknown
}

/** Where a filter runs: `destination` is set for filters with `destinations`. */
export interface FilterContext {
  destination?: string
}

/**
 * A filter: without `destinations` it runs before analytics sees the data (dropped data is never
 * stored or sent); with `destinations` it decides what those destinations receive. Return the
 * event, a changed copy, or `null` to drop it; it may be async.
 * @example
 * const noStaff: Filter = { name: 'no-staff', apply: (e) => (/@corp\.example$/.test(String(e.traits?.email)) ? null : e) }
 */
export interface Filter {
  name: string
  destinations?: readonly string[]
  apply(event: FilterEvent, ctx: FilterContext): FilterEvent | null | PromiseLike<FilterEvent | null>
  /** Never set: a filter is an object, and a function (a factory such as `dropTraits`, not called)
   * has a `name` and an `apply` of its own; this makes TypeScript refuse one. */
  call?: never
}

/** Storage for the bridge's small record of hashes (default `localStorage`). */
export type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/** What a plugin is given when `connect()` runs it. */
export interface PluginHost {
  /** The `analytics` option as given (an `AnalyticsBrowser` takes middleware before it loads). */
  analytics: AnalyticsLike | unknown[]
  /** Run-time errors: to `onError` (as `OktaSegmentError`s). */
  report: (error: Error) => void
}

/** What a plugin adds to the bridge. */
export interface PluginHooks {
  /** Claims -> the groups to send as `group()` calls (it may set a `groups` trait instead). */
  groups?: (claims: Claims, traits: Traits) => string[]
  /** The bridge's own identify traits, as the plugin leaves them (`null`: no identify). */
  traits?: (userId: string, traits: Traits, identity: string) => Traits | null | PromiseLike<Traits | null>
  /** analytics has loaded (the loaded instance). */
  ready?: (analytics: AnalyticsLike) => void
  /** `refresh()`: what the plugin worked out may differ now (consent changed). */
  forget?: () => void
  /** `disconnect()`. */
  close?: () => void
}

/**
 * A feature `connect()` runs only when given (`plugins: [filters([...]), groups({...})]`), so that
 * a bundle pays for it only when it imports it.
 */
export interface Plugin {
  readonly kind: 'filters' | 'groups'
  (host: PluginHost): PluginHooks
}

/** Options of `connect()`. */
export interface Options {
  auth: AuthLike
  analytics: AnalyticsLike | unknown[]
  traits?: TraitsOption
  userId?: (claims: Claims) => string
  /** Features paid for only when imported: `filters([...])`, `groups({ allow })`. */
  plugins?: readonly Plugin[]
  /** Remove OIDC redirect parameters from page URLs of every event (default true). */
  cleanPage?: boolean
  events?: { signedIn?: string | false; signedOut?: string | false }
  /** Run-time errors, which never reach Okta or your app: `error.code` says where it came from. */
  onError?: (error: OktaSegmentError) => void
  debug?: boolean
  /** Longest wait in ms for an idle period before the work runs anyway (default 1000). */
  idleTimeout?: number
  /** Where the record of hashes lives (default IndexedDB, shared by every tab); a `Storage` is used
   * as it is; `null` keeps it in memory. */
  storage?: StorageLike | null
}

/** What `connect()` returns. */
export interface Bridge {
  /** Runs pending work now; resolves once analytics has been called (at once while analytics is still loading). */
  flush(): Promise<void>
  /** Sends the current identify again (e.g. after consent changed), then flushes. */
  refresh(): Promise<void>
  /** Releases every subscription, timer and listener; pending work is dropped. */
  disconnect(): void
}
