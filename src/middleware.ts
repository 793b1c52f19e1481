import { OktaSegmentError } from './errors'
import { clone, runFilters } from './filter'
import type { Filter, FilterEvent } from './types'
import { cleanPage } from './page'
import { stable } from './hash'

interface Payload {
  obj: FilterEvent
}
type Next = (payload: Payload | null) => void
interface MiddlewareContext {
  payload: Payload
  next: Next
  integrations?: Record<string, unknown>
  integration?: string
}
type Middleware = (ctx: MiddlewareContext) => unknown

/**
 * analytics-next cannot remove a middleware. So each analytics object gets one delegating
 * middleware per kind, and each `connect()` sets the handler it delegates to; `disconnect()`
 * clears it. Remounting (React StrictMode, route changes) then adds nothing to analytics.
 */
export const mount = (host: object, kind: string, register: (delegate: Middleware) => void, handler: Middleware) => {
  const key = Symbol.for(`okta-segment.${kind}`)
  const h = host as Record<symbol, { fn?: Middleware } | undefined>
  let slot = h[key]
  if (!slot) {
    const s: { fn?: Middleware } = (slot = {})
    try {
      h[key] = s
    } catch {
      // a frozen analytics object: one middleware per connect(), inert after disconnect()
    }
    register((ctx) => (s.fn ? s.fn(ctx) : ctx.next(ctx.payload)))
  }
  const current = slot
  current.fn = handler
  return () => {
    if (current.fn === handler) current.fn = undefined
  }
}

/**
 * analytics-next middleware for every event through the instance, the app's own included:
 * the clean page context, filters without `destinations` (source middleware: a drop stops the
 * event everywhere), and per-destination filters: a drop becomes `integrations[d] = false`; a
 * rewrite reaches device-mode destinations through destination middleware, and is withheld from
 * any other (cloud mode) destination and reported, never sent unfiltered. Nothing here throws:
 * a throw in a source middleware would make analytics-next retry the event forever.
 */
export const createMiddleware = (filters: readonly Filter[], clean: boolean, report: (e: Error) => void) => {
  const source = filters.filter((f) => !f.destinations)
  const routed = filters.filter((f) => f.destinations)
  const names = [...new Set(routed.flatMap((f) => f.destinations!))]
  // each destination's filters, in declaration order: worked out once, read for every event
  const perDestination = new Map(names.map((d) => [d, routed.filter((f) => f.destinations!.includes(d))]))
  const byDestination = (d: string) => perDestination.get(d) ?? []
  let attached = false

  // Events leave in the order they came, whatever their filters cost (hashTraits awaits WebCrypto
  // for an identify, not for a track): the bridge's identify reaches the wire before its Signed In.
  let turn: Promise<unknown> = Promise.resolve()
  const sourceMiddleware = (ctx: MiddlewareContext) => {
    const filtered = filterForSource(ctx)
    return (turn = turn.then(() => filtered).then((out) => out && ctx.next(out)))
  }

  const filterForSource = async ({ payload, integrations }: MiddlewareContext): Promise<Payload | undefined> => {
    try {
      let event: FilterEvent | null = payload.obj
      if (clean) cleanPage(event)
      if (source.length) event = await runFilters(source, event, {}, report)
      if (!event) return
      const flags: Record<string, boolean> = {}
      // runFilters works on copies, so the event stays as it is across destinations
      const unchanged = names.length ? stable(event) : ''
      for (const d of names) {
        const out = await runFilters(byDestination(d), event, { destination: d }, report)
        if (!out) flags[d] = false
        else if (stable(out) !== unchanged && !(attached && integrations?.[d] && d !== 'Segment.io')) {
          flags[d] = false
          report(
            new OktaSegmentError(
              'filter',
              __DEV__ &&
                `a filter rewrote an event for ${d}, which does not run in this page (cloud mode): the event was withheld from it`,
            ),
          )
        }
      }
      if (names.length) event.integrations = { ...event.integrations, ...flags }
      payload.obj = event
      return payload
    } catch (e) {
      report(new OktaSegmentError('filter', __DEV__ && 'the event could not be filtered and was dropped', e))
    }
  }

  const destinationMiddleware = async ({ payload, integration = '', next }: MiddlewareContext) => {
    const forIt = byDestination(integration)
    if (!forIt.length) return next(payload)
    const out = await runFilters(forIt, clone(payload.obj), { destination: integration }, report)
    if (out) payload.obj = out
    next(out ? payload : null)
  }

  return {
    sourceMiddleware,
    destinationMiddleware,
    /** Filters for the bridge's own identify, applied before analytics stores the traits. */
    source,
    needsDestinations: names.length > 0,
    attach() {
      attached = true
    },
  }
}
