// One run of browser test files in one engine (node's test runner, BROWSERS=<engine>): shared by
// scripts/test-browser.mjs (the suite) and scripts/loop-browser.mjs (the multi-tab loop).
import { spawnSync } from 'node:child_process'

/**
 * Runs `tests` in `engine`, `concurrency` files at a time; `echo` prints the report (stderr as it
 * comes), else it is only returned. Gives whether it passed, the report, its `ℹ <what> N` counts,
 * a sum of any other count and the seconds taken.
 */
export const runEngine = (engine, tests, { concurrency = 2, echo = false } = {}) => {
  const started = Date.now()
  const r = spawnSync(
    process.execPath,
    ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...tests],
    {
      stdio: ['ignore', 'pipe', echo ? 'inherit' : 'pipe'],
      encoding: 'utf8',
      env: { ...process.env, BROWSERS: engine },
    },
  )
  const out = `${r.stdout}${r.stderr ?? ''}`
  if (echo) process.stdout.write(r.stdout)
  const sum = (re) => [...out.matchAll(re)].map((m) => Number(m[1])).reduce((a, b) => a + b, 0)
  return {
    ok: r.status === 0,
    out,
    count: (what) => sum(new RegExp(`ℹ ${what} (\\d+)`, 'g')),
    sum,
    seconds: Math.round((Date.now() - started) / 1000),
  }
}
