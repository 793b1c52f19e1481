import { OKTA_PROFILE_TRAITS, traitFor } from '../okta-profile'
import { DEFAULT_TRAITS } from '../traits'
import { describeAttribute, leftOutBecause, typeOf } from './attribute'
import { readClaim, whenIssued, type OktaClaim } from './claims'
import { CliError } from './errors'
import type { Attribute, ProfileSchema } from './okta-schema'
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
const traitOf = (attribute: string): string => (Object.hasOwn(OKTA_PROFILE_TRAITS, attribute) ? traitFor(attribute) : attribute)

/** Pure: the traits map, its types and the omissions, from Okta's schema and claims. Deny by default. */
export const plan = ({ user, app, claims }: Sources): Plan => {
  const out: Plan = { entries: [], fields: [], left: [] }
  const carried = new Set<Attribute>()
  const computedIn = new Map<string, string[]>()
  const leaves = new Map<string, string>()
  const objects = new Set<string>()

  // The first claim to take a trait path keeps it: another source for it, for its parent or for
  // nested traits under it is a conflict (the OIDC address object and address.* traits merge).
  const conflict = (path: string, from: string, object: boolean): string | undefined => {
    const head = path.split('.')[0]!
    const nested = !object && [...leaves.keys()].some((p) => p.startsWith(`${path}.`))
    const other =
      leaves.get(path) ??
      (objects.has(path) ? 'the address claim' : undefined) ??
      (head !== path ? leaves.get(head) : undefined) ??
      (nested ? `${path}.* traits` : undefined)
    if (other !== undefined && other !== from) return `trait ${path} is already taken by ${other}`
    if (object) objects.add(path)
    else leaves.set(path, from)
    return undefined
  }
  // One map entry: the trait, or false when an attribute it reads must stay out or the trait is taken.
  const map = (e: { claim: string; attrs: Attribute[]; trait: string; note: string; fields: Field[]; object?: boolean; custom?: boolean }) => {
    const bad = e.attrs.map((a) => [a.name, leftOutBecause(a)]).find(([, why]) => why)
    const why = bad ? `${bad[0]} is ${bad[1]}` : conflict(e.trait, e.attrs.map((a) => a.name).join('+'), !!e.object)
    out.entries.push({ claim: e.claim, trait: why ? false : e.trait, note: why ?? e.note, ...(e.custom && { custom: true }) })
    if (!why) out.fields.push(...e.fields)
  }
  const field = (path: string, a: Attribute): Field => ({ path: path.split('.'), type: typeOf(a.property), doc: describeAttribute(a) })

  // Okta allows an ID-token and an access-token claim of one name: the ID-token one counts.
  const identity = new Set(claims.filter((c) => c.claimType === 'IDENTITY' && c.status !== 'INACTIVE').map((c) => c.name))
  const custom = claims
    .filter((c) => c.claimType === 'IDENTITY' || !identity.has(c.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const s of STANDARD_CLAIMS) {
    if (identity.has(s.claim)) continue
    const attrs = s.reads.flatMap((n) => user.attributes.get(n) ?? [])
    attrs.forEach((a) => carried.add(a))
    if (!attrs.length) {
      out.entries.push({ claim: s.claim, trait: false, note: `reads ${s.reads.join(', ')}, which the schema does not have` })
      continue
    }
    const trait = DEFAULT_TRAITS[s.claim] ?? traitOf(attrs[0]!.name)
    const note = `${attrs.map((a) => a.name).join(', ')} (scope ${s.scope})`
    if (s.fields) {
      const nested = Object.entries(s.fields).flatMap(([key, name]) => {
        const a = user.attributes.get(name)
        return a ? [field(`${trait}.${key}`, a)] : []
      })
      map({ claim: s.claim, attrs, trait, note, fields: nested, object: true })
    } else {
      const doc = attrs.length > 1 ? `Full name, from ${attrs.map((a) => a.name).join(' and ')}` : describeAttribute(attrs[0]!)
      map({ claim: s.claim, attrs, trait, note, fields: [{ ...field(trait, attrs[0]!), doc }] })
    }
  }
  for (const claim of Object.keys(DEFAULT_TRAITS)) {
    if (!identity.has(claim) && !STANDARD_CLAIMS.some((s) => s.claim === claim))
      out.entries.push({ claim, trait: false, note: 'Okta issues no such claim (connect() would map it by default)' })
  }

  let plain = 0
  let found = 0
  for (const c of custom) {
    const read = readClaim(c)
    if (PROTOTYPE.has(c.name)) {
      out.left.push({ what: `claim ${c.name}`, reason: 'not a usable claim name' })
      continue
    }
    if (read.kind === 'skip') {
      if (!read.quiet) out.left.push({ what: `claim ${c.name}`, reason: read.reason })
      read.reads.forEach((a) => computedIn.set(a, [...(computedIn.get(a) ?? []), c.name]))
      continue
    }
    const prefix = read.profile === 'user' ? 'user' : 'appuser'
    const schema = read.profile === 'user' ? user : app
    plain++
    if (!schema) {
      out.left.push({ what: `claim ${c.name}`, reason: `reads appuser.${read.attribute}: give --app-schema (or --app) to check it` })
      found++
      continue
    }
    const a = schema.attributes.get(read.attribute)
    if (!a) {
      out.left.push({ what: `claim ${c.name}`, reason: `reads ${prefix}.${read.attribute}, which the ${schema.kind} schema does not have` })
      continue
    }
    found++
    carried.add(a)
    const trait = traitOf(a.name)
    const when = whenIssued(c)
    map({ claim: c.name, attrs: [a], trait, note: `${prefix}.${a.name}${when ? ` (${when})` : ''}`, fields: [field(trait, a)], custom: true })
  }
  if (plain && !found) throw new CliError(`none of the attributes the claims read are in the schema: are both files from the same org?`)

  for (const a of user.attributes.values()) {
    if (carried.has(a)) continue
    const why = leftOutBecause(a)
    const computed = computedIn.get(a.name)
    const where = computed ? `read only by ${computed.map((c) => `claim ${c}`).join(', ')}` : 'not in the ID token'
    out.left.push({ what: `attribute ${a.name}`, reason: why ? `${why}; ${where}` : `${where}: add a claim in Okta to send it` })
  }
  return out
}
