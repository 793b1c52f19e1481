/** The fast tier's analytics side: the recording fake (fake-analytics.ts) under fake timers. */
import { vi } from 'vitest'
import { createFakeAnalytics, hand, type Persisted } from './fake-analytics'
import type { AnalyticsSide } from './model-run'

export function fastSide(): AnalyticsSide {
  const persisted: Persisted = {} // analytics-next's localStorage + cookie, shared by the pages
  return {
    open(page, flavour, log, mode) {
      const fake = createFakeAnalytics({ page, persisted, log, mode })
      const handed = hand(flavour, fake)
      return {
        analytics: handed.analytics,
        load: () => handed.load(),
        user: () => (handed.loaded() ? { id: fake.user().id(), traits: fake.user().traits() } : undefined),
        close() {
          const g = globalThis as { analytics?: unknown }
          if (g.analytics === handed.analytics || g.analytics === fake) delete g.analytics
        },
      }
    },
    async idle() {
      await vi.advanceTimersByTimeAsync(1100)
    },
  }
}
