// Script-tag entry (dist/okta-segment.global.js): sets `window.OktaSegment` to the npm entry's
// exports plus `push`, and replays callbacks queued before it loaded. The one module with a side
// effect; everything else stays in src/index.ts.
import * as api from './index'

/** `window.OktaSegment` once the bundle has loaded: the npm exports plus `push`. */
export type OktaSegmentGlobal = typeof api & {
  /**
   * Runs each callback now with the API. Before the bundle loads, `window.OktaSegment` is a plain
   * array and `push` queues; the bundle replays the queue in order when it loads.
   * @example
   * window.OktaSegment = window.OktaSegment || []
   * OktaSegment.push(function (api) { api.connect({ auth: oktaAuth, analytics: window.analytics }) })
   */
  push(...callbacks: ((api: OktaSegmentGlobal) => void)[]): void
}

const install = (scope: { OktaSegment?: unknown }) => {
  const queued = scope.OktaSegment
  // Loaded twice (a second tag, a tag manager): keep the first instance, whose callbacks already ran.
  if (typeof (queued as Partial<OktaSegmentGlobal> | undefined)?.connect === 'function') return
  const run = (callback: unknown) => {
    try {
      if (typeof callback !== 'function') throw new TypeError('okta-segment: OktaSegment.push() takes functions')
      callback(global)
    } catch (e) {
      // One failing callback must neither stop the others nor the page: report it as uncaught.
      setTimeout(() => {
        throw e
      })
    }
  }
  const global: OktaSegmentGlobal = { ...api, push: (...callbacks) => callbacks.forEach(run) }
  scope.OktaSegment = global
  if (Array.isArray(queued)) queued.forEach(run)
}

install(globalThis as { OktaSegment?: unknown })
