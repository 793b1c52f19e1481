// Option checks shared by the server handlers: invalid options fail at creation with an OptionsError
// that says what to write instead. Messages name options, never their values (secrets and tokens).
import { OktaSegmentError, OptionsError } from '../errors'
import type { DeliveryOptions } from './types'

export const isFn = (v: unknown): v is (...args: never[]) => unknown => typeof v === 'function'
export const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0
export const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

export function check(ok: unknown, option: string, message: string): asserts ok {
  if (!ok) throw new OptionsError(option, message)
}

/** Unknown option names fail too: a typo must not silently turn a setting off. */
export const onlyKnown = (o: Record<string, unknown>, known: readonly string[]): void => {
  const unknown = Object.keys(o).filter((k) => !known.includes(k))
  check(!unknown.length, unknown[0] ?? '', `is not an option here (known: ${known.join(', ')})`)
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]'])

/** An https URL (http only on the loopback interface, for local collectors and tests). */
export const isServiceUrl = (v: unknown): boolean => {
  if (!isText(v)) return false
  try {
    const url = new URL(v)
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname))
  } catch {
    return false
  }
}

export const DEFAULT_TIMEOUT_MS = 2500

const defaultReport = (error: OktaSegmentError): void => console.error(error.message)

/** The checked delivery options: the report function and the deadline. */
export function checkDelivery(
  o: DeliveryOptions,
  maxTimeout: number,
): { report: (error: OktaSegmentError) => void; timeout: number } {
  const { segment, analytics, timeout = DEFAULT_TIMEOUT_MS, onError } = o
  check(
    isRecord(segment) && isText(segment.writeKey),
    'segment',
    'must be `{ writeKey }` (write key of the Segment source)',
  )
  if (segment.host !== undefined) {
    check(
      isServiceUrl(segment.host),
      'segment',
      '.host must be an https URL such as https://events.eu1.segmentapis.com',
    )
    check(!analytics, 'segment', '.host is for the client okta-segment makes: set the host on the `analytics` you pass')
  }
  if (analytics !== undefined)
    check(
      isRecord(analytics) && isFn(analytics.identify) && isFn(analytics.track) && isFn(analytics.group),
      'analytics',
      'must be an @segment/analytics-node Analytics (identify, track, group)',
    )
  check(
    typeof timeout === 'number' && timeout > 0 && timeout <= maxTimeout,
    'timeout',
    `must be a number of ms above 0 and at most ${maxTimeout}`,
  )
  check(onError === undefined || isFn(onError), 'onError', 'must be a function (error) => void')
  const tell = onError ?? defaultReport
  const report = (error: OktaSegmentError): void => {
    try {
      tell(error)
    } catch {
      // an onError that throws must not break the answer to Okta
    }
  }
  return { report, timeout }
}
