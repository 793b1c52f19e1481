// @vitest-environment happy-dom
/**
 * Model-based tests (fast-check): random sequences of sign-ins as A or B, renewals, changed claims,
 * sign-outs, expiry, pendingRemove, another tab's sign-out, reloads, slow / failing / never-loading
 * analytics, throwing storage, flush(), pagehide and hidden pages. After each sequence the user
 * comes back with everything working, and the invariants of helpers/invariants.ts must hold.
 *
 * Two tiers, both with the real bridge and the real okta-auth-js:
 * - fast: analytics is a recording fake with analytics-next's identity semantics, timers are
 *   fake; FAST_RUNS (default 2000) sequences.
 * - real: the real analytics-next delivering to a captured fetch (collector ok / 500 / network
 *   error, AnalyticsBrowser loaded late or never), real timers; REAL_RUNS (default 50) sequences.
 * On failure fast-check prints the seed and path; replay with FC_SEED=<seed> FC_PATH=<path>.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { isOktaSegmentError } from '../src/index'
import { fastSide } from './helpers/fast-side'
import { check } from './helpers/invariants'
import { findSecrets } from './helpers/jwt'
import { SUB, scenario, traitsOf, userOf } from './helpers/model'
import { Run, type AnalyticsSide } from './helpers/model-run'
import { realSide } from './helpers/real-side'
import { resetBrowserState } from './helpers/segment'

const FAST_RUNS = Number(process.env.FAST_RUNS ?? 2000)
const REAL_RUNS = Number(process.env.REAL_RUNS ?? 50)
const replay = (numRuns: number): fc.Parameters<unknown> =>
  process.env.FC_SEED
    ? { numRuns, seed: Number(process.env.FC_SEED), path: process.env.FC_PATH, endOnFailure: true }
    : { numRuns }

const unhandled: unknown[] = []
const onUnhandled = (e: unknown) => unhandled.push(e)
beforeAll(() => process.on('unhandledRejection', onUnhandled))
afterAll(() => void process.off('unhandledRejection', onUnhandled))

/** Runs one scenario and returns what went wrong (empty when every invariant holds). */
async function runScenario(side: AnalyticsSide, first: Parameters<Run['open']>[0], cmds: Parameters<Run['exec']>[0][]) {
  const run = new Run(side)
  const problems: string[] = []
  try {
    await run.open(first)
    for (const cmd of cmds) await run.exec(cmd)
    await run.finish()
    const verdict = check(run.log, (u) => SUB[u], run.secrets, run.degraded)
    problems.push(...verdict.violations)
    const want = run.model.signedIn
    const wantId = want ? SUB[want.user] : null
    const state = run.page.okta.authStateManager.getAuthState()
    const oktaUser =
      state?.isAuthenticated && !state.idToken?.pendingRemove ? (userOf(state.idToken?.claims.sub) ?? null) : null
    if (oktaUser !== (want?.user ?? null))
      problems.push(`harness: okta holds ${oktaUser}, the model ${want?.user ?? null}`)
    const held = run.page.analytics.user()!
    if (held.id !== wantId) problems.push(`final analytics user ${held.id}, Okta's ${wantId}`)
    // Where storage threw, another page's reset can leave this page's record claiming traits that
    // analytics no longer holds (documented: the record then lives in memory).
    if (
      want &&
      held.id === wantId &&
      !run.degraded.size &&
      JSON.stringify(held.traits) !== JSON.stringify(traitsOf(want.user, run.model.tokens!.v))
    )
      problems.push(`final traits ${JSON.stringify(held.traits)} are not those of ${want.user} v${run.model.tokens!.v}`)
    for (const [id, page] of verdict.open)
      if (id !== wantId && !verdict.lenient(page, run.page.n))
        problems.push(`${id} signed out but no \`Signed Out\` was sent`)
    if (run.side.wire) {
      const wire = await run.side.wire()
      const leaks = findSecrets(wire, run.secrets)
      if (leaks.length) problems.push(`token-shaped or secret values on the wire: ${leaks.join(', ')}`)
    }
    if (want && !verdict.signedIn.get(`${wantId}@${want.auth}`))
      problems.push(`no \`Signed In\` for the current authentication`)
    for (const e of run.errors) {
      const code = isOktaSegmentError(e) ? e.code : `foreign ${String(e)}`
      if (!run.model.faults.has(code as 'analytics'))
        problems.push(`onError(${code}: ${e.message}) without such a fault`)
    }
  } catch (e) {
    problems.push(`exception escaped: ${e instanceof Error ? e.stack : String(e)}`)
  } finally {
    run.close()
    await new Promise((r) => setImmediate(r))
    problems.push(...unhandled.splice(0).map((e) => `unhandled rejection: ${String(e)}`))
  }
  if (problems.length) problems.push('calls:', ...run.log.map((c) => JSON.stringify(c)))
  return { problems, run }
}

interface Tally {
  sequences: number
  commands: number
  calls: number
  delivered: number
}

const property = (side: () => AnalyticsSide, real: boolean, tally: Tally) =>
  fc.asyncProperty(scenario(real), async ({ first, cmds }) => {
    resetBrowserState()
    const { problems, run } = await runScenario(side(), first, cmds)
    tally.sequences++
    tally.commands += cmds.length
    tally.calls += run.log.length
    tally.delivered += run.log.filter((c) => c.delivered).length
    if (problems.length) throw new Error(problems.join('\n'))
  })

/** Runs the property; fast-check's failure message carries the seed and path to replay it. */
async function assertTier(name: string, side: () => AnalyticsSide, real: boolean, runs: number) {
  const tally: Tally = { sequences: 0, commands: 0, calls: 0, delivered: 0 }
  const started = performance.now()
  await fc.assert(property(side, real, tally), replay(runs))
  const ms = Math.round(performance.now() - started)
  console.info(
    `[model] ${name}: ${tally.sequences} sequences, ${tally.commands} commands, ${tally.calls} analytics calls (${tally.delivered} delivered) in ${ms} ms`,
  )
}

describe('model-based: the bridge converges on Okta and keeps its invariants', () => {
  it(
    `fast tier: ${FAST_RUNS} sequences (real bridge + real okta-auth-js, fake analytics, fake timers)`,
    async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] })
      try {
        await assertTier('fast tier', fastSide, false, FAST_RUNS)
      } finally {
        vi.useRealTimers()
      }
    },
    60_000 + 100 * Math.max(FAST_RUNS, REAL_RUNS * 20),
  )

  it(
    `real tier: ${REAL_RUNS} sequences (real bridge, okta-auth-js and analytics-next)`,
    async () => {
      await assertTier('real tier', realSide, true, REAL_RUNS)
    },
    60_000 + 100 * Math.max(FAST_RUNS, REAL_RUNS * 20),
  )

  it('a failing property reports its seed and path, so a failure can be replayed', async () => {
    const failing = fc.asyncProperty(fc.nat(), async (n) => {
      if (n > 10) throw new Error('too big')
    })
    const error = await fc.assert(failing, { numRuns: 100, seed: 42 }).catch((e: Error) => e)
    expect(String(error)).toMatch(/seed: 42, path: "[\d:]+"/)
    expect(String(error)).toMatch(/Counterexample: \[\d+\]/)
  })
})
