import { CliError } from './errors'
import { oktaError } from './okta-schema'

/** Reads from an Okta org's management API with an API token (`Authorization: SSWS <token>`). */
export interface OktaApi {
  /** the org's origin, `https://example.okta.com` */
  origin: string
  /** GET `path` as JSON; a list follows Okta's `Link: <...>; rel="next"` pages. */
  get(path: string): Promise<unknown>
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]'])
const TIMEOUT_MS = 30_000

/** The org's origin from `--org`, or a `CliError` saying what to write instead. */
export const orgOrigin = (org: string): string => {
  let url: URL
  try {
    url = new URL(org)
  } catch {
    throw new CliError(`--org must be your Okta org's URL, such as https://example.okta.com; got ${org}`)
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    throw new CliError(`--org must be an https:// URL (the API token is sent to it); got ${org}`)
  if (/-admin\./.test(url.hostname))
    throw new CliError(
      `--org is the org's URL, not the Admin Console's: drop "-admin" (${url.hostname.replace('-admin.', '.')})`,
    )
  if (url.pathname !== '/' || url.search)
    throw new CliError(
      `--org is the org's URL without a path (${url.origin}); the authorization server goes in --auth-server`,
    )
  return url.origin
}

const HINTS: Readonly<Record<number, string>> = {
  401: 'check OKTA_API_TOKEN: an API token of this org (Security > API > Tokens), not expired or revoked',
  403: "the token's admin may not read this: a read-only admin or above is needed",
  404: 'check --org (your Okta domain), --auth-server (an authorization server id such as default or aus...) and --app',
  429: "Okta's rate limit: try again in a minute",
}
const hint = (status: number): string =>
  HINTS[status] ??
  (status >= 500
    ? 'Okta had a problem: try again later, or save the JSON and give the file'
    : 'check --org and the token')
const MAX_PAGES = 50

/** A client for `origin` (see `orgOrigin`); `fetchFn` is the global fetch unless given. */
export const oktaApi = (origin: string, token: string, fetchFn: typeof fetch = fetch): OktaApi => {
  const page = async (url: string): Promise<{ json: unknown; next?: string }> => {
    let response: Response
    try {
      response = await fetchFn(url, {
        headers: { Accept: 'application/json', Authorization: `SSWS ${token}` },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      })
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code ?? (e as Error).name
      throw new CliError(
        `could not reach ${origin} (${cause}) for GET ${new URL(url).pathname}: check --org and the network`,
      )
    }
    const text = await response.text()
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      if (response.ok)
        throw new CliError(`GET ${new URL(url).pathname} answered ${response.status} with something that is not JSON`)
    }
    if (!response.ok) {
      const said = oktaError(json)
      throw new CliError(
        `GET ${new URL(url).pathname} failed: ${response.status} ${response.statusText}` +
          `${said ? ` (${said})` : ''}; ${hint(response.status)}`,
      )
    }
    // Only a next page on the same org: the token must never go anywhere else.
    const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1]
    return { json, next: next && new URL(next, url).origin === origin ? new URL(next, url).href : undefined }
  }
  return {
    origin,
    async get(path) {
      let { json, next } = await page(new URL(path, origin).href)
      for (let pages = 1; Array.isArray(json) && next && pages < MAX_PAGES; pages++) {
        const more = await page(next)
        if (!Array.isArray(more.json)) break
        json = [...json, ...more.json]
        next = more.next
      }
      return json
    },
  }
}
