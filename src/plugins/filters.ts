import { check, describe, isFn } from '../dev/validate'
import { stable } from '../core/hash'
import { cleanObject, isDigest } from '../core/traits'
import { OktaSegmentError } from '../errors'
import { call, mount } from '../io/analytics'
import type { AnalyticsLike, Filter, FilterEvent, Plugin, PluginHost, Traits } from '../types'
import { clone, runFilters } from './run-filters'

interface Payload {
  obj: FilterEvent
}
interface MiddlewareContext {
  payload: Payload
  next: (payload: Payload | null) => void
  integrations?: Record<string, unknown>
  integration?: string
}

// Development build: each filter checked where it is given, with what to write instead.
const validate = (filters: unknown) => {
  check(
    Array.isArray(filters),
    'filters',
    `must be an array of filters, e.g. [dropTraits(['phone'])], got ${describe(filters)}`,
  )
  ;(filters as unknown[]).forEach((f, i) => {
    const { name, apply, destinations: d } = (f ?? {}) as Partial<Filter>
    const fn = isFn(f) && (f.name || 'a filter factory')
    const call = fn === 'a filter factory' ? 'dropTraits' : fn
    check(!fn, 'filters', `[${i}] is ${String(fn)} itself, not a filter: call it, e.g. ${String(call)}(['phone'])`)
    const shape = `a filter { name, destinations?: string[], apply(event, ctx) }, such as dropTraits(['phone'])`
    check(f && typeof f === 'object', 'filters', `[${i}] must be ${shape}; got ${describe(f)}`)
    check(
      typeof name === 'string' && name,
      'filters',
      `[${i}] has no name: give it one, e.g. { name: 'noStaff', apply(event) { … } }`,
    )
    check(isFn(apply), 'filters', `[${i}] ("${name}") must be ${shape}: it has no apply(event, ctx)`)
    check(
      d === undefined || (Array.isArray(d) && d.every((x) => typeof x === 'string' && x)),
      'filters',
      `[${i}] ("${name}") .destinations must list destination names, e.g. ['Facebook Pixel']`,
    )
  })
}

type Report = (e: Error) => void
type ByDestination = (d: string) => Filter[]

/**
 * The source middleware: the filters without `destinations`, then each destination's, whose
 * drop or rewrite becomes `integrations[d] = false` where the rewrite cannot reach that destination
 * (`attached()`: destination middleware runs in this page). Events leave in the order they came,
 * whatever their filters cost (hashTraits awaits WebCrypto for an identify, not for a track): the
 * bridge's identify reaches the wire before its Signed In.
 */
const sourceStage = (
  source: Filter[],
  names: string[],
  byDestination: ByDestination,
  report: Report,
  attached: () => boolean,
) => {
  let turn: Promise<unknown> = Promise.resolve()
  const filterForSource = async ({ payload, integrations }: MiddlewareContext): Promise<Payload | undefined> => {
    try {
      const event = source.length ? await runFilters(source, payload.obj, {}, report) : payload.obj
      if (!event) return
      const flags: Record<string, boolean> = {}
      // runFilters works on copies, so the event stays as it is across destinations
      const unchanged = names.length ? stable(event) : ''
      for (const d of names) {
        const out = await runFilters(byDestination(d), event, { destination: d }, report)
        if (!out) flags[d] = false
        else if (stable(out) !== unchanged && !(attached() && integrations?.[d] && d !== 'Segment.io')) {
          flags[d] = false
          const why = `a filter rewrote an event for ${d}, which does not run in this page (cloud mode): the event was withheld from it`
          report(new OktaSegmentError('filter', __DEV__ && why))
        }
      }
      if (names.length) event.integrations = { ...event.integrations, ...flags }
      payload.obj = event
      return payload
    } catch (e) {
      report(new OktaSegmentError('filter', __DEV__ && 'the event could not be filtered and was dropped', e))
    }
  }
  return (ctx: MiddlewareContext) => {
    const filtered = filterForSource(ctx)
    return (turn = turn.then(() => filtered).then((out) => out && ctx.next(out)))
  }
}

/** The destination middleware: each destination's filters, on a copy of the event. */
const destinationStage =
  (byDestination: ByDestination, report: Report) =>
  async ({ payload, integration = '', next }: MiddlewareContext) => {
    const forIt = byDestination(integration)
    if (!forIt.length) return next(payload)
    const out = await runFilters(forIt, clone(payload.obj), { destination: integration }, report)
    if (out) payload.obj = out
    next(out ? payload : null)
  }

/** The bridge's own identify, filtered before analytics stores its traits; what filters return is
 * guarded again (a SHA-256 digest from hashTraits is not a token). */
const ownIdentify =
  (source: Filter[], report: Report) =>
  async (userId: string, traits: Traits): Promise<Traits | null> => {
    const kept = await runFilters(source, { type: 'identify', userId, traits }, {}, report)
    if (!kept) return null
    const out = kept.traits ?? {}
    const clean = cleanObject(out, Object.keys(out)) ?? {}
    for (const k of Object.keys(out)) if (k !== '__proto__' && isDigest(out[k])) clean[k] = out[k]
    return clean
  }

/**
 * Filters, run in order: without `destinations` before analytics sees the data (the bridge's own
 * identify first, then every event through the instance, the app's own too, in a source
 * middleware: a drop stops the event everywhere); with `destinations`, per destination: a drop
 * becomes `integrations[d] = false` on that call, a rewrite reaches device-mode destinations through
 * destination middleware and is withheld from any other (cloud mode) destination, reported, never
 * sent unfiltered. Nothing here throws into analytics-next (a throw in a source middleware would
 * make it retry the event forever).
 * @example
 * connect({ auth, analytics, plugins: [filters([dropTraits(['phone']), hashTraits(['email'], { destinations: ['Facebook Pixel'] })])] })
 */
/* @__NO_SIDE_EFFECTS__ */
export function filters(list: readonly Filter[]): Plugin {
  if (__DEV__) validate(list)
  const source = list.filter((f) => !f.destinations)
  const routed = list.filter((f) => f.destinations)
  const names = [...new Set(routed.flatMap((f) => f.destinations!))]
  // each destination's filters, in declaration order: worked out once, read for every event
  const byDestination = (d: string) => routed.filter((f) => f.destinations!.includes(d))
  return Object.assign(
    ({ analytics, report }: PluginHost) => {
      let attached = false
      let memo: { identity: string; traits: Promise<Traits | null> } | undefined
      const removers: (() => void)[] = []
      const register = (target: unknown, method: string, args: unknown[]) => call(target, method, args, report)

      const sourceMiddleware = sourceStage(source, names, byDestination, report, () => attached)
      const destinationMiddleware = destinationStage(byDestination, report)
      if (typeof (analytics as AnalyticsLike).addSourceMiddleware === 'function')
        removers.push(
          mount(analytics, 'filters', (fn) => register(analytics, 'addSourceMiddleware', [fn]), sourceMiddleware),
        )
      else
        report(
          new OktaSegmentError(
            'filter',
            __DEV__ && 'analytics has no addSourceMiddleware: filters apply to the bridge’s own calls only',
          ),
        )

      const filterOwn = ownIdentify(source, report)
      return {
        traits: (userId: string, traits: Traits, identity: string) =>
          !source.length
            ? traits
            : (memo?.identity === identity ? memo : (memo = { identity, traits: filterOwn(userId, traits) }))!.traits,
        ready(target: AnalyticsLike) {
          if (attached || !names.length || typeof target.addDestinationMiddleware !== 'function') return
          attached = true
          const add = (fn: unknown) => register(target, 'addDestinationMiddleware', ['*', fn])
          removers.push(mount(target, 'destination', add, destinationMiddleware))
        },
        forget: () => void (memo = undefined),
        close: () => removers.forEach((remove) => remove()),
      }
    },
    { kind: 'filters' as const },
  )
}
