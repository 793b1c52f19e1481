import type { FilterEvent } from '../types'

/** The OIDC redirect parameters that must never leave in a page URL. */
const OIDC = /^(code|state|session_state|id_token|access_token|error|error_description|iss)$/

const allowedParam = (pair: string) => {
  const key = pair.split('=')[0] ?? ''
  try {
    return !OIDC.test(decodeURIComponent(key))
  } catch {
    return !OIDC.test(key)
  }
}
const scrubParams = (part: string) => part.split('&').filter(allowedParam).join('&')
const cut = (s: string, at: string): [string, string?] => {
  const i = s.indexOf(at)
  return i < 0 ? [s] : [s.slice(0, i), s.slice(i + 1)]
}

/** A URL, search string or referrer without the OIDC redirect parameters (query or fragment); others stay. */
export const scrubUrl = (value: string): string => {
  const [beforeHash, hash] = cut(value, '#')
  const [base, query] = cut(beforeHash, '?')
  const q = query === undefined ? '' : scrubParams(query)
  const h = hash === undefined ? '' : hash.includes('=') ? scrubParams(hash) : hash
  return base + (q ? `?${q}` : '') + (h ? `#${h}` : '')
}

const scrubFields = (o: Record<string, unknown> | undefined) => {
  if (!o) return
  for (const key of ['url', 'search', 'referrer']) if (typeof o[key] === 'string') o[key] = scrubUrl(o[key] as string)
}

/** Removes the OIDC parameters from `context.page` and from a page event's properties (in place). */
export const cleanPage = (event: FilterEvent): void => {
  scrubFields(event.context?.page)
  if (event.type === 'page') scrubFields(event.properties)
}

/** The source middleware that cleans every event through analytics (the app's own too). */
export const cleanMiddleware = ({ payload, next }: { payload: { obj: FilterEvent }; next: (p: unknown) => void }) => {
  cleanPage(payload.obj)
  next(payload)
}
