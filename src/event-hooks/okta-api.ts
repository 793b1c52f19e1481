// The Okta Users API, read with plain fetch and an API token, for the values an event does not carry.
// One reader per request: each user is read at most once per batch. Failures are sorted by what a
// retry can change: a timeout, 429 or 5xx throws `OktaUnavailable` (the handler answers 503, Okta
// retries); a refusal (401, 403, 404) is reported and the mapping falls back to what the event says.
import { OktaSegmentError } from '../errors'
import type { OktaApiOption, OktaReader } from './types'

/** The Okta API could not answer now; a later delivery may succeed. */
export class OktaUnavailable extends OktaSegmentError {
  constructor(message: string, cause?: unknown) {
    super('okta-api', message, cause)
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/** A reader that reads nothing: every value is `undefined` (no API configured). */
export const NO_OKTA: OktaReader = { profile: async () => undefined, groups: async () => undefined }

/** A reader for one request: `timeout` ms per call; refusals go to `report` and read as `undefined`. */
export function oktaReader(api: OktaApiOption, timeout: number, report: (error: OktaSegmentError) => void): OktaReader {
  const base = api.orgUrl.replace(/\/+$/, '')
  const cache = new Map<string, Promise<unknown>>()

  const get = (path: string): Promise<unknown> => {
    let pending = cache.get(path)
    if (!pending) {
      pending = read(path)
      cache.set(path, pending)
    }
    return pending
  }

  const read = async (path: string): Promise<unknown> => {
    let response: Response
    try {
      response = await fetch(`${base}${path}`, {
        headers: { authorization: `SSWS ${api.token}`, accept: 'application/json' },
        signal: AbortSignal.timeout(Math.max(1, Math.floor(timeout))),
        redirect: 'manual', // the token goes to orgUrl and nowhere else: a redirect is a refusal
      })
    } catch (e) {
      throw new OktaUnavailable(
        `okta-segment: the Okta API could not be reached for ${path} (or did not answer in time)`,
        e,
      )
    }
    if (response.status === 429 || response.status >= 500)
      throw new OktaUnavailable(`okta-segment: the Okta API answered ${response.status} for ${path}`)
    if (!response.ok) {
      report(new OktaSegmentError('okta-api', `okta-segment: the Okta API answered ${response.status} for ${path}`))
      return undefined
    }
    return response.json().catch(() => undefined)
  }

  const users = (id: string) => `/api/v1/users/${encodeURIComponent(id)}`

  return {
    async profile(userId) {
      const user = await get(users(userId))
      return isObject(user) && isObject(user.profile) ? user.profile : undefined
    },
    async groups(userId) {
      const list = await get(`${users(userId)}/groups`)
      if (!Array.isArray(list)) return undefined
      return list.flatMap((g: unknown) =>
        isObject(g) && typeof g.id === 'string' && isObject(g.profile) && typeof g.profile.name === 'string'
          ? [{ id: g.id, name: g.profile.name }]
          : [],
      )
    },
  }
}
