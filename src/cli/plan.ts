import { OKTA_PROFILE_TRAITS, traitFor } from '../okta-profile'
import { DEFAULT_TRAITS } from '../traits'
import { describeAttribute, leftOutBecause } from './attribute'
import { readClaim, whenIssued, type OktaClaim } from './claims'
import { CliError } from './errors'
import type { ProfileSchema } from './okta-schema'
import { createPlanner, type Planner } from './planner'
import { STANDARD_CLAIMS } from './standard-claims'

/** One line of the generated `traits` map: claim -> trait, or `false` (with the reason in `note`). */
export interface Entry {
  claim: string
  trait: string | false
  note: string
  /** a claim an admin added to the authorization server (else one of Okta's standard claims) */
  custom?: boolean
}

/** One property of the generated `OktaTraits` interface, at its trait path (`['address', 'postalCode']`). */
export interface Field {
  path: readonly string[]
  type: string
  doc: string
}

/** A claim or attribute that is not in the map, and why. */
export interface Omission {
  what: string
  reason: string
}

/** Everything the generated module says. */
export interface Plan {
  entries: Entry[]
  fields: Field[]
  left: Omission[]
}

/** What the plan is made from. */
export interface Sources {
  user: ProfileSchema
  /** the app user schema, for `appuser.*` claims */
  app?: ProfileSchema
  claims: readonly OktaClaim[]
}

const PROTOTYPE = new Set(['__proto__', 'constructor', 'prototype'])
// traitFor() looks the name up in a plain object: an attribute named toString or constructor would
// find Object.prototype's function there.
const traitOf = (attribute: string): string =>
  Object.hasOwn(OKTA_PROFILE_TRAITS, attribute) ? traitFor(attribute) : attribute

/** Pure: the traits map, its types and the omissions, from Okta's schema and claims. Deny by default. */
export const plan = ({ user, app, claims }: Sources): Plan => {
  const planner = createPlanner()
  // Okta lists its own claims too (`system: true`): the standard claims of the scopes and the protocol
  // ones (`sub`). They are not the authorization server's own: a standard one is planned as standard.
  const own = claims.filter((c) => c.system !== true)
  const off = new Set(claims.filter((c) => c.system === true && c.status === 'INACTIVE').map((c) => c.name))
  // Okta allows an ID-token and an access-token claim of one name: the ID-token one counts.
  const identity = new Set(own.filter((c) => c.claimType === 'IDENTITY' && c.status !== 'INACTIVE').map((c) => c.name))
  planStandard(planner, user, identity, off)
  planCustom(
    planner,
    { user, app },
    own.filter((c) => c.claimType === 'IDENTITY' || !identity.has(c.name)),
  )
  const { out, carried, readBy } = planner
  for (const a of user.attributes.values()) {
    if (carried.has(a)) continue
    const why = leftOutBecause(a)
    const by = readBy.get(a.name)
    const where = by ? `read only by ${by.map((c) => `claim ${c}`).join(', ')}` : 'not in the ID token'
    out.left.push({
      what: `attribute ${a.name}`,
      reason: why ? `${why}; ${where}` : `${where}: add a claim in Okta to send it`,
    })
  }
  return out
}

// Okta's standard claims (unless a custom ID-token claim takes the name; off where Okta lists the
// claim as inactive), then the claims connect() maps by default that Okta does not issue, turned off.
const planStandard = (
  { out, carried, map, field }: Planner,
  user: ProfileSchema,
  custom: ReadonlySet<string>,
  inactive: ReadonlySet<string>,
) => {
  for (const s of STANDARD_CLAIMS) {
    if (custom.has(s.claim)) continue
    if (inactive.has(s.claim)) {
      out.entries.push({ claim: s.claim, trait: false, note: 'inactive in Okta' })
      continue
    }
    const attrs = s.reads.flatMap((n) => user.attributes.get(n) ?? [])
    attrs.forEach((a) => carried.add(a))
    if (!attrs.length) {
      out.entries.push({
        claim: s.claim,
        trait: false,
        note: `reads ${s.reads.join(', ')}, which the schema does not have`,
      })
      continue
    }
    const trait = DEFAULT_TRAITS[s.claim] ?? traitOf(attrs[0]!.name)
    const note = `${attrs.map((a) => a.name).join(', ')} (scope ${s.scope})`
    if (s.fields) {
      const fields = Object.entries(s.fields).flatMap(([key, name]) => {
        const a = user.attributes.get(name)
        return a ? [field(`${trait}.${key}`, a)] : []
      })
      map({ claim: s.claim, attrs, trait, note, fields, object: true })
    } else {
      const names = attrs.map((a) => a.name).join(' and ')
      const doc = attrs.length > 1 ? `Full name, from ${names}` : describeAttribute(attrs[0]!)
      map({ claim: s.claim, attrs, trait, note, fields: [{ ...field(trait, attrs[0]!), doc }] })
    }
  }
  for (const claim of Object.keys(DEFAULT_TRAITS)) {
    if (!custom.has(claim) && !STANDARD_CLAIMS.some((s) => s.claim === claim))
      out.entries.push({ claim, trait: false, note: 'Okta issues no such claim (connect() would map it by default)' })
  }
}

// The authorization server's own claims, by name: a plain attribute read is mapped, the rest left out.
const planCustom = (planner: Planner, schemas: Omit<Sources, 'claims'>, claims: readonly OktaClaim[]) => {
  const { out, carried, readBy, map, field } = planner
  const leave = (c: OktaClaim, reason: string) => out.left.push({ what: `claim ${c.name}`, reason })
  let plain = 0
  let found = 0
  for (const c of [...claims].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const read = readClaim(c)
    if (PROTOTYPE.has(c.name)) {
      leave(c, 'not a usable claim name')
      continue
    }
    if (read.kind === 'skip') {
      if (!read.quiet) leave(c, read.reason)
      read.reads.forEach((a) => readBy.set(a, [...(readBy.get(a) ?? []), c.name]))
      continue
    }
    plain++
    const prefix = read.profile === 'user' ? 'user' : 'appuser'
    const schema = read.profile === 'user' ? schemas.user : schemas.app
    if (!schema) {
      found++ // an app attribute unchecked says nothing about the user schema
      leave(c, `reads appuser.${read.attribute}: give --app-schema (or --app) to check it`)
      continue
    }
    const a = schema.attributes.get(read.attribute)
    if (!a) {
      leave(c, `reads ${prefix}.${read.attribute}, which the ${schema.kind} schema does not have`)
      continue
    }
    found++
    carried.add(a)
    const trait = traitOf(a.name)
    const when = whenIssued(c)
    const note = `${prefix}.${a.name}${when ? ` (${when})` : ''}`
    map({ claim: c.name, attrs: [a], trait, note, fields: [field(trait, a)], custom: true })
  }
  if (plain && !found)
    throw new CliError('none of the attributes the claims read are in the schema: are both files from the same org?')
}
