import { quote } from './attribute'
import { CliError } from './errors'
import { oktaError } from './okta-schema'

/** A claim of an Okta authorization server, as `GET /api/v1/authorizationServers/{id}/claims` lists it. */
export interface OktaClaim {
  name: string
  status?: string
  /** `IDENTITY`: the ID token (and /userinfo); `RESOURCE`: the access token */
  claimType?: string
  valueType?: string
  value?: string
  alwaysIncludeInToken?: boolean
  conditions?: { scopes?: string[] }
  group_filter_type?: string
  system?: boolean
}

/** What one claim means for traits: a plain read of a profile attribute, or a reason it is not one. */
export type ClaimRead =
  | { kind: 'attribute'; claim: OktaClaim; profile: 'user' | 'app'; attribute: string }
  | { kind: 'skip'; claim: OktaClaim; reason: string; reads: string[]; quiet?: boolean }

const ENDPOINT = 'GET /api/v1/authorizationServers/{id}/claims'
// Claims of the token itself (connect() uses sub as the userId): never traits, not worth a comment.
const PROTOCOL = new Set(
  'sub iss aud exp iat nbf auth_time nonce at_hash c_hash amr idp jti ver cid uid scp acr azp sid'.split(' '),
)
const PLAIN = /^\s*(user|appuser)\.(?:profile\.)?([A-Za-z_$][\w$]*)\s*$/
const GROUPISH = /\bGroups\.|getFilteredGroups|\bisMemberOf|\.getGroups|\bgroups\b/
const READS = /\b(?:user|appuser)\.(?:profile\.)?([A-Za-z_$][\w$]*)/g

/** Reads the claims list. Throws `CliError` saying what the file is instead. */
export const parseClaims = (json: unknown, from: string): OktaClaim[] => {
  const fail = (why: string) => new CliError(`${from} is not an authorization server's claims: ${why}`)
  const error = oktaError(json)
  if (error) throw fail(`it is an Okta error response (${error}); the call that saved it failed`)
  if (!Array.isArray(json)) {
    const schema = !!json && typeof json === 'object' && 'definitions' in json
    throw fail(
      schema
        ? `it is a profile schema (give the user schema as the first argument)`
        : `expected the list ${ENDPOINT} returns`,
    )
  }
  return json.map((c: unknown, i) => {
    const claim = c as Partial<OktaClaim> | null
    if (!claim || typeof claim !== 'object' || typeof claim.name !== 'string' || !claim.name)
      throw fail(`entry ${i} has no "name"; expected the list ${ENDPOINT} returns`)
    if (claim.claimType === undefined && claim.valueType === undefined)
      throw fail(`claim "${claim.name}" has neither "claimType" nor "valueType"; expected the list ${ENDPOINT} returns`)
    return claim as OktaClaim
  })
}

/** Pure: what `claim` carries into the ID token, or why it carries no profile attribute there. */
export const readClaim = (claim: OktaClaim): ClaimRead => {
  const value = typeof claim.value === 'string' ? claim.value : ''
  const reads = [...new Set([...value.matchAll(READS)].map((m) => m[1]!))]
  const skip = (reason: string, quiet = false): ClaimRead => ({ kind: 'skip', claim, reason, reads, quiet })
  if (PROTOCOL.has(claim.name) || claim.valueType === 'SYSTEM') return skip('a protocol claim', true)
  if (claim.status === 'INACTIVE') return skip('inactive in Okta')
  if (claim.claimType === 'RESOURCE')
    return skip(`access token only (claimType RESOURCE): okta-auth-js does not decode access tokens`)
  if (claim.claimType !== 'IDENTITY')
    return skip(`claimType ${String(claim.claimType)}: not known to reach the ID token`)
  if (claim.valueType === 'GROUPS') {
    const filter = `${claim.group_filter_type ?? 'filter'} ${JSON.stringify(value)}`
    return skip(
      `group claim (${filter}): send it with connect({ groups: { from: ${quote(claim.name)}, allow: [...] } }), ` +
        'an allowlist',
    )
  }
  if (claim.valueType !== 'EXPRESSION') return skip(`valueType ${String(claim.valueType)}: not an expression`)
  const plain = PLAIN.exec(value)
  if (plain) return { kind: 'attribute', claim, profile: plain[1] === 'user' ? 'user' : 'app', attribute: plain[2]! }
  if (GROUPISH.test(value))
    return skip(`computed from groups (${value.trim()}): send groups with connect({ groups: { allow: [...] } })`)
  return skip(
    `computed (${value.trim() || 'empty'}): its type and sensitivity are not in the schema; map it by hand if safe`,
  )
}

/** When the claim is in the ID token, if not always: its scopes, and Okta's "Include in token type". */
export const whenIssued = (claim: OktaClaim): string => {
  const scopes = claim.conditions?.scopes?.filter((s) => typeof s === 'string') ?? []
  const parts = scopes.length ? [`scope ${scopes.join(' or ')}`] : []
  // Okta leaves such a claim out of an ID token issued together with an access token (okta-auth-js's flow).
  if (claim.alwaysIncludeInToken === false)
    parts.push('set "Include in token type: Always", or it is in /userinfo only')
  return parts.join('; ')
}
