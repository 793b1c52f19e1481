import { REEVALUATE_AFTER_MS, isFresh, tokensKey, type Tokens } from '../core/freshness'
import { signingOut } from '../core/desired'
import type { AuthLike, AuthStateLike } from '../types'

/**
 * Okta's side: its auth state (the latest emitted, and a count of them: work prepared for an older
 * one is dropped), its token storage, and re-evaluation. `onState` is Okta's callback: it only
 * records. `subscribe` does not replay: `start()` reads the current state.
 *
 * `fresh()`: may the tab act on its latest state? Not while it is older than Okta's token storage
 * (see `isFresh`). Then the tab waits for Okta's own re-evaluation (its cross-tab message),
 * `REEVALUATE_AFTER_MS` at most, then asks for one (`updateAuthState()`) and calls `onAsked`: that
 * message can be lost, or arrive before the storage write is visible. A state Okta re-evaluated at
 * the tab's request is taken as it is, whatever it says.
 */
export const createOkta = (auth: AuthLike, onState: (state: AuthStateLike) => void, onAsked: () => void) => {
  const manager = auth.authStateManager
  let latest: AuthStateLike | null = null
  let version = 0
  let confirmed: string | undefined
  let asking: ReturnType<typeof setTimeout> | undefined
  const stored = (): Tokens | undefined => {
    try {
      const read = auth.tokenManager?.getTokensSync
      return read ? ((read.call(auth.tokenManager) as Tokens | undefined) ?? {}) : undefined
    } catch {
      // nothing can be told
    }
  }
  // Okta's tokens marked pendingRemove at load: this page is where signOut() returns (or reloaded mid-way)
  const loadedSigningOut = signingOut(stored())
  const listener = (state: AuthStateLike) => {
    latest = state
    version++
    clearTimeout(asking)
    asking = undefined
    onState(state)
  }
  manager.subscribe(listener)
  return {
    start() {
      const current = manager.getAuthState()
      if (current) listener(current)
    },
    latest: () => latest,
    version: () => version,
    /** A signOut() is under way, or was when this page loaded. */
    signingOut: () => loadedSigningOut || signingOut(latest) || signingOut(stored()),
    fresh(): boolean {
      const now = stored()
      if (isFresh(latest, now, confirmed)) return true
      asking ??= setTimeout(
        () =>
          void Promise.resolve(manager.updateAuthState?.())
            .catch(() => {}) // Okta's own error: its next state says what it means
            .then(() => {
              asking = undefined
              confirmed = tokensKey(now)
              onAsked()
            }),
        REEVALUATE_AFTER_MS,
      )
      return false
    },
    close() {
      clearTimeout(asking)
      manager.unsubscribe(listener)
    },
  }
}
