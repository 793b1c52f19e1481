/**
 * Runs one drawn scenario against the real bridge and the real okta-auth-js (browser build), with
 * an analytics side that is either the recording fake (fast tier) or the real analytics-next
 * (real tier). Pages share Okta's token storage, the bridge's record and analytics' persisted
 * identity, as tabs and reloads of one site do; one page is open at a time, plus the short-lived
 * other tab that signs out.
 */
import type { AuthState, OktaAuth } from '@okta/okta-auth-js'
import { connect, type Bridge } from '../../src/index'
import type { Call } from './fake-analytics'
import type { LoggedCall, Observed } from './invariants'
import { Model, SECRETS, claimsOf, userOf, type Cmd, type Flavour, type Mode } from './model'
import { clear, createOkta, objectStorage, pendingRemove, settle, signIn, startOkta, type SharedStorage } from './okta'

/** One page's analytics, as the side under test hands it to the bridge. */
export interface PageAnalytics {
  analytics: unknown
  load(): void
  /** The loaded analytics' user id and traits; undefined while not loaded. */
  user(): { id: string | null; traits: Record<string, unknown> } | undefined
  close(): void
}

export interface AnalyticsSide {
  open(page: number, flavour: Flavour, log: (c: Call) => void, mode: () => Mode): PageAnalytics
  /** Waits for the side's background work (deliveries, loading) to progress. */
  idle(): Promise<void>
  /** The failure mode of the main page changed. */
  modeChanged?(): void
  /** Every payload that left, once deliveries have settled (real analytics only). */
  wire?(): Promise<Record<string, unknown>[]>
}

interface Page {
  n: number
  okta: OktaAuth
  bridge: Bridge
  analytics: PageAnalytics
  flavour: Flavour
  stop(): void
}

const microtasks = async (n = 20) => {
  for (let i = 0; i < n; i++) await Promise.resolve()
}

const observe = (s: AuthState | null): Observed | null => {
  const user =
    s?.isAuthenticated && !s.idToken?.pendingRemove && !s.accessToken?.pendingRemove
      ? userOf(s.idToken?.claims?.sub)
      : undefined
  return user ? { user, auth: s!.idToken!.claims.auth_time } : null
}

export class Run {
  readonly model = new Model()
  readonly log: LoggedCall[] = []
  readonly errors: Error[] = []
  /** Every token string minted: none may reach analytics. */
  readonly secrets = [...SECRETS]
  /** Pages that lived while the bridge's storage threw (see invariants.ts). */
  readonly degraded = new Set<number>()
  private tokens: SharedStorage = {}
  private record: SharedStorage = {}
  private storageThrows = false
  private mode: Mode = 'ok'
  private pages = 0
  private emitted = new Map<number, Observed | null>()
  page!: Page

  constructor(readonly side: AnalyticsSide) {}

  private storage() {
    const inner = objectStorage(this.record)
    const guard = <T>(f: () => T): T => {
      if (this.storageThrows) throw new DOMException('storage blocked', 'SecurityError')
      return f()
    }
    return {
      getItem: (k: string) => guard(() => inner.getItem(k)),
      setItem: (k: string, v: string) => guard(() => inner.setItem(k, v)),
      removeItem: (k: string) => guard(() => inner.removeItem(k)),
    }
  }

  /** Opens a page (a tab, or the page after a reload) and starts Okta in it, as an app does. */
  async open(flavour: Flavour, main = true): Promise<Page> {
    const n = ++this.pages
    if (this.storageThrows) this.degraded.add(n)
    const okta = createOkta({ storage: this.tokens })
    const record = (s: AuthState) => this.emitted.set(n, observe(s))
    okta.authStateManager.subscribe(record)
    this.emitted.set(n, null)
    const log = (c: Call) => this.log.push({ ...c, okta: this.emitted.get(n) ?? null })
    const analytics = this.side.open(n, flavour, log, () => this.mode)
    const bridge = connect({
      auth: okta,
      analytics: analytics.analytics as never,
      storage: this.storage(),
      onError: (e) => (
        process.env.DBG_ERR && console.log('ONERROR', e, (e as { cause?: unknown }).cause),
        this.errors.push(e)
      ),
      debug: !!process.env.DBG,
    })
    const page: Page = {
      n,
      okta,
      bridge,
      analytics,
      flavour,
      stop: () => {
        bridge.disconnect()
        okta.authStateManager.unsubscribe(record)
        okta.stop()
        analytics.close()
      },
    }
    await startOkta(okta)
    if (main) this.page = page
    return page
  }

  async exec(cmd: Cmd): Promise<void> {
    const { model } = this
    const okta = () => this.page.okta
    const mint = (claims: Record<string, unknown>, expired = false) => {
      const past = Math.floor(Date.now() / 1000) - 120
      const t = signIn(okta(), claims, expired ? { expiresAt: past, accessTokenExpiresAt: past } : {})
      this.secrets.push(t.idToken.idToken, t.accessToken.accessToken)
    }
    const t = model.renewable
    switch (cmd.do) {
      case 'signIn': {
        const next = model.signIn(cmd.as)
        mint(claimsOf(next.user, next.v, next.auth))
        break
      }
      case 'renew':
      case 'changeClaims':
      case 'expire':
        if (!t) break
        if (cmd.do === 'changeClaims') t.v = ++model.v[t.user]
        t.expired = cmd.do === 'expire'
        mint(claimsOf(t.user, t.v, t.auth), t.expired)
        break
      case 'signOut':
        clear(okta())
        model.tokens = null
        break
      case 'pendingRemove':
        if (!t) break
        pendingRemove(okta())
        t.pending = true
        break
      case 'otherTabSignOut': {
        if (!model.tokens) break
        const other = await this.open('instance', false)
        await this.side.idle()
        await other.bridge.flush()
        clear(other.okta)
        await settle(other.okta)
        await other.bridge.flush()
        other.stop()
        model.tokens = null
        // What the browser fires in this tab for the other tab's write, then okta's own cross-tab
        // message (its syncStorage service, off in these OktaAuths), which re-evaluates. A lost
        // message is made up for by the bridge after REEVALUATE_AFTER_MS (test/connect.test.ts).
        window.dispatchEvent(new StorageEvent('storage', { key: 'okta-token-storage' }))
        void this.page.okta.authStateManager.updateAuthState()
        break
      }
      case 'reload':
        if (cmd.pagehide) window.dispatchEvent(new Event('pagehide'))
        this.page.stop()
        if (model.tokens?.pending) model.tokens = null // start() completes signOut(): pendingRemove tokens go
        await this.open(cmd.analytics)
        break
      case 'analytics':
        this.mode = cmd.mode
        this.side.modeChanged?.()
        if (cmd.mode !== 'ok') model.faults.add('analytics')
        break
      case 'load':
        this.page.analytics.load()
        if (this.page.flavour === 'never') model.faults.add('analytics')
        break
      case 'storage':
        this.storageThrows = cmd.throws
        if (cmd.throws) {
          model.faults.add('storage')
          this.degraded.add(this.page.n)
        }
        break
      case 'flush':
        await this.page.bridge.flush()
        break
      case 'pagehide':
        // the page leaves and comes back from the back/forward cache (a reload is the other ending)
        window.dispatchEvent(new Event('pagehide'))
        await microtasks()
        window.dispatchEvent(new Event('pageshow'))
        break
      case 'hidden':
        hidden(() => document.dispatchEvent(new Event('visibilitychange')))
        break
      case 'idle':
        await this.side.idle()
        break
    }
    await settle(okta())
    await microtasks()
  }

  /** The user comes back with working storage and analytics: the bridge must converge. */
  async finish(): Promise<void> {
    this.mode = 'ok'
    this.side.modeChanged?.()
    this.storageThrows = false
    if (this.page.flavour === 'never') await this.exec({ do: 'reload', analytics: 'instance', pagehide: false })
    this.page.analytics.load()
    while (!this.page.analytics.user()) await this.side.idle()
    await this.side.idle()
    await this.page.bridge.flush()
    await settle(this.page.okta)
  }

  close(): void {
    this.page?.stop()
  }
}

function hidden(during: () => void): void {
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' })
  try {
    during()
  } finally {
    delete (document as { visibilityState?: unknown }).visibilityState
  }
}
