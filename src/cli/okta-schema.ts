import { CliError } from './errors'

/** One attribute of an Okta profile schema, as the Schemas API describes it (JSON Schema Draft 4, Okta's keywords). */
export interface SchemaProperty {
  title?: string
  description?: string
  type?: string
  format?: string
  enum?: unknown[]
  oneOf?: { const?: unknown; title?: string }[]
  items?: SchemaProperty
  mutability?: string
  scope?: string
  permissions?: { principal?: string; action?: string }[]
  sensitive?: boolean
  writeOnly?: boolean
  [keyword: string]: unknown
}

/** A profile attribute: its name, whether Okta defines it (`base`) or the org added it (`custom`), and its schema. */
export interface Attribute {
  name: string
  source: 'base' | 'custom'
  property: SchemaProperty
}

/** A parsed profile schema: the Okta user schema, or an app user schema (for `appuser.*` claims). */
export interface ProfileSchema {
  kind: 'user' | 'app'
  /** the schema's own URI (`https://example.okta.com/meta/schemas/user/default`), when it has one */
  id?: string
  attributes: ReadonlyMap<string, Attribute>
}

const ENDPOINT = { user: 'GET /api/v1/meta/schemas/user/default', app: 'GET /api/v1/meta/schemas/apps/{appId}/default' }
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v)

/** Okta's error body (`{ errorCode, errorSummary }`), described, or `undefined` when `json` is not one. */
export const oktaError = (json: unknown): string | undefined =>
  isObject(json) && typeof json.errorCode === 'string'
    ? `${json.errorCode}: ${String(json.errorSummary ?? '')}`
    : undefined

/** Reads a profile schema as the Schemas API returns it. Throws `CliError` saying what the file is instead. */
export const parseSchema = (json: unknown, from: string, kind: ProfileSchema['kind']): ProfileSchema => {
  const fail = (why: string) =>
    new CliError(`${from} is not an Okta ${kind === 'user' ? 'user' : 'app user'} schema: ${why}`)
  const error = oktaError(json)
  if (error) throw fail(`it is an Okta error response (${error}); the call that saved it failed`)
  if (Array.isArray(json)) {
    const claims = json.some((c) => isObject(c) && 'claimType' in c) ? ' of claims (give those with --claims)' : ''
    throw fail(`it is a list${claims}; save it from ${ENDPOINT[kind]}`)
  }
  if (!isObject(json) || !isObject(json.definitions))
    throw fail(`it has no "definitions"; save it from ${ENDPOINT[kind]}`)
  const id = typeof json.id === 'string' ? json.id : undefined
  if (kind === 'user' && id?.includes('/meta/schemas/apps/'))
    throw fail(`it is an app user schema (${id}); give it with --app-schema`)
  if (kind === 'app' && id?.includes('/meta/schemas/user/'))
    throw fail(`it is the user schema (${id}); give it as the first argument`)
  const attributes = new Map<string, Attribute>()
  for (const source of ['base', 'custom'] as const) {
    const part = json.definitions[source]
    if (part === undefined) continue
    if (!isObject(part) || !isObject(part.properties)) throw fail(`"definitions.${source}" has no "properties"`)
    for (const [name, property] of Object.entries(part.properties)) {
      if (!isObject(property)) throw fail(`attribute "${name}" is ${JSON.stringify(property)}, not a property object`)
      attributes.set(name, { name, source, property: property as SchemaProperty })
    }
  }
  if (!attributes.size)
    throw fail(`"definitions" has neither "base" nor "custom" properties; save it from ${ENDPOINT[kind]}`)
  return { kind, id, attributes }
}
