/**
 * The model of the model-based tests: the commands fast-check draws, the two users' claims, and
 * what Okta should hold after each command. What the bridge should then have sent follows from
 * that (see invariants.ts): analytics converges on Okta's user, with one `Signed In` per
 * authentication and one `Signed Out` per ended session.
 */
import fc from 'fast-check'
import type { Flavour, Mode } from './fake-analytics'
import { alice, bob, makeJwt } from './jwt'

export type { Flavour, Mode }

export type User = 'A' | 'B'

export type Cmd =
  | { do: 'signIn'; as: User }
  | { do: 'renew' | 'changeClaims' | 'signOut' | 'expire' | 'pendingRemove' | 'otherTabSignOut' }
  | { do: 'reload'; analytics: Flavour; pagehide: boolean }
  | { do: 'analytics'; mode: Mode }
  | { do: 'load' }
  | { do: 'storage'; throws: boolean }
  | { do: 'flush' | 'pagehide' | 'hidden' | 'idle' }

/** Values that must never leave: planted in mapped claims (`website`, `picture`) and protocol claims. */
export const PLANTED = {
  jwt: makeJwt({ sub: 'planted', scope: 'secret' }),
  opaque: 'sk9Qf3xZ0pL2vR7tY1uW4eA6cB8dN5mK',
}
export const SECRETS = [
  PLANTED.jwt,
  PLANTED.opaque,
  alice.nonce as string,
  bob.nonce as string,
  alice.at_hash as string,
  bob.at_hash as string,
]

const BASE: Record<User, Record<string, unknown>> = {
  A: { ...alice },
  // Unicode profile: e-mail and names must leave unchanged.
  B: {
    ...bob,
    email: 'bøb.ñandú@exämple.com',
    name: 'Bøb Brówn 😀',
    given_name: 'Bøb',
    family_name: 'Brówn',
    preferred_username: 'bøb',
  },
}
export const SUB: Record<User, string> = { A: alice.sub as string, B: bob.sub as string }
export const userOf = (sub: unknown): User | undefined => (sub === SUB.A ? 'A' : sub === SUB.B ? 'B' : undefined)

/** The ID token claims of `user` at claims version `v`, for the authentication at `auth` (seconds). */
export function claimsOf(user: User, v: number, auth: number): Record<string, unknown> {
  const base = BASE[user]
  const email = v ? (base.email as string).replace('@', `+v${v}@`) : base.email
  return {
    ...base,
    email,
    name: `${base.name as string}${v ? ` v${v}` : ''}`,
    website: PLANTED.jwt,
    picture: PLANTED.opaque,
    auth_time: auth,
    iat: auth + 5,
  }
}

/** The traits the default map makes of those claims: the planted values are refused. */
export function traitsOf(user: User, v: number): Record<string, unknown> {
  const c = claimsOf(user, v, 0)
  return {
    email: c.email,
    name: c.name,
    firstName: c.given_name,
    lastName: c.family_name,
    username: c.preferred_username,
  }
}

/** What Okta's token storage holds, in the model's terms. */
export interface Tokens {
  user: User
  v: number
  auth: number
  expired: boolean
  pending: boolean
}

export class Model {
  tokens: Tokens | null = null
  v: Record<User, number> = { A: 0, B: 0 }
  private auths = 0
  /** Faults injected so far: which onError codes are expected. */
  faults = new Set<'analytics' | 'storage'>()

  /** The user Okta says is signed in (not expired, not being signed out), and their authentication. */
  get signedIn(): { user: User; auth: number } | null {
    const t = this.tokens
    return t && !t.expired && !t.pending ? { user: t.user, auth: t.auth } : null
  }
  signIn(user: User): Tokens {
    return (this.tokens = { user, v: this.v[user], auth: 1_700_000_000 + ++this.auths, expired: false, pending: false })
  }
  /** The tokens a renewal (or a claims change, or an expiry) would act on: none while signing out. */
  get renewable(): Tokens | null {
    return this.tokens && !this.tokens.pending ? this.tokens : null
  }
}

const user = fc.constantFrom<User>('A', 'B')
export const flavour = fc.constantFrom<Flavour>('instance', 'instance', 'browser', 'snippet', 'never')

/** A command; `real` leaves out what only the fake analytics can do (throw on identify only). */
export const command = (real = false): fc.Arbitrary<Cmd> =>
  fc.oneof(
    { weight: 4, arbitrary: user.map((as): Cmd => ({ do: 'signIn', as })) },
    { weight: 2, arbitrary: fc.constant<Cmd>({ do: 'renew' }) },
    { weight: 1, arbitrary: fc.constant<Cmd>({ do: 'changeClaims' }) },
    { weight: 2, arbitrary: fc.constant<Cmd>({ do: 'signOut' }) },
    { weight: 1, arbitrary: fc.constant<Cmd>({ do: 'expire' }) },
    { weight: 1, arbitrary: fc.constant<Cmd>({ do: 'pendingRemove' }) },
    { weight: 1, arbitrary: fc.constant<Cmd>({ do: 'otherTabSignOut' }) },
    {
      weight: 2,
      arbitrary: fc.record({ do: fc.constant('reload' as const), analytics: flavour, pagehide: fc.boolean() }),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<Mode>(
          ...(real ? (['ok', 'throw', 'reject'] as const) : (['ok', 'throw', 'reject', 'throwIdentify'] as const)),
        )
        .map((mode): Cmd => ({ do: 'analytics', mode })),
    },
    { weight: 2, arbitrary: fc.constant<Cmd>({ do: 'load' }) },
    { weight: 1, arbitrary: fc.boolean().map((throws): Cmd => ({ do: 'storage', throws })) },
    { weight: 3, arbitrary: fc.constantFrom<Cmd>({ do: 'flush' }, { do: 'pagehide' }, { do: 'hidden' }) },
    { weight: 3, arbitrary: fc.constant<Cmd>({ do: 'idle' }) },
  )

export const scenario = (real = false, maxLength = 30) =>
  fc.record({ first: flavour, cmds: fc.array(command(real), { minLength: 1, maxLength, size: 'max' }) })
