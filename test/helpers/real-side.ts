/**
 * The real tier's analytics side: the real analytics-next, delivering to the harness's captured
 * fetch. Every call the bridge makes on the loaded instance is logged (its methods are wrapped the
 * moment AnalyticsBrowser sets `instance`, before the bridge can see it).
 */
import { AnalyticsBrowser, type Analytics } from '@segment/analytics-next'
import type { Deliver } from './segment'
import { createAnalytics, quiet, type AnalyticsHarness } from './segment'
import type { AnalyticsSide } from './model-run'
import type { Mode } from './model'

const deliver: Record<Mode, Deliver> = { ok: 'ok', throw: 'throw', reject: 'fail500', throwIdentify: 'ok' }
const CALLS = ['identify', 'track', 'reset', 'group'] as const

export function realSide(): AnalyticsSide {
  const open: { harness: AnalyticsHarness; mode: () => Mode }[] = []
  const all: AnalyticsHarness[] = []
  return {
    open(page, flavour, log, mode) {
      const harness = createAnalytics({ deliver: deliver[mode()] })
      open.push({ harness, mode })
      all.push(harness)
      // 'instance': AnalyticsBrowser.load() at once; 'browser'/'snippet': new AnalyticsBrowser() loaded
      // by the `load` command (the npm build never reads a snippet); 'never': never loaded.
      const late = flavour === 'instance' ? undefined : new AnalyticsBrowser()
      const browser = late ?? harness.analytics
      let instance: Analytics | undefined
      Object.defineProperty(browser, 'instance', {
        configurable: true,
        get: () => instance,
        set(a: Analytics) {
          for (const name of CALLS) {
            const original = (a[name] as (...args: unknown[]) => unknown).bind(a)
            ;(a as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
              log({ page, call: name, args, held: a.user().id() ?? null, delivered: true })
              return original(...args)
            }
          }
          instance = a
        },
      })
      let loading = false
      return {
        analytics: browser,
        load() {
          if (!late || flavour === 'never' || loading) return
          loading = true
          harness.loadLate(late)
        },
        user: () =>
          instance ? { id: instance.user().id() ?? null, traits: { ...instance.user().traits() } } : undefined,
        close() {
          const i = open.findIndex((o) => o.harness === harness)
          if (i >= 0) open.splice(i, 1)
        },
      }
    },
    modeChanged() {
      for (const { harness, mode } of open) harness.setDeliver(deliver[mode()])
    },
    async idle() {
      await new Promise((r) => setTimeout(r, 15))
    },
    /** Everything delivered so far, once analytics-next has gone quiet (failed retries excepted). */
    async wire() {
      for (const h of all) h.setDeliver('ok')
      await quiet(all, 40)
      all.forEach((h) => h.restore())
      return all.flatMap((h) => h.sent.map((e) => e.body))
    },
  }
}
