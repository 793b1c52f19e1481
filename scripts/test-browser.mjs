// The browser suite, one engine after the other (two test files at a time, on a 2-core machine):
//   npm run test:browser                          # chromium, firefox and webkit
//   BROWSERS=webkit npm run test:browser          # one engine (a comma-separated list: several)
//   npm run test:browser -- test/e2e/tabs.test.mjs
// Prints each engine's time and, last, one line of counts over all engines.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { engines } from '../test/e2e/drivers/index.mjs'
import { ensureBuilt } from './ensure-built.mjs'

const files = process.argv.slice(2)
const tests = files.length
  ? files
  : readdirSync('test/e2e')
      .filter((f) => f.endsWith('.test.mjs'))
      .map((f) => `test/e2e/${f}`)
ensureBuilt()
const totals = { pass: 0, fail: 0, skipped: 0 }
const times = []
for (const engine of engines()) {
  const started = Date.now()
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...tests], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
    env: { ...process.env, BROWSERS: engine },
  })
  process.stdout.write(r.stdout)
  const count = (what) => Number(new RegExp(`ℹ ${what} (\\d+)`).exec(r.stdout)?.[1] ?? 0)
  for (const k of Object.keys(totals)) totals[k] += count(k)
  if (r.status !== 0 && !count('fail')) totals.fail++ // a run that failed without counting a test
  times.push(`${engine} ${Math.round((Date.now() - started) / 1000)} s${r.status === 0 ? '' : ' (FAILED)'}`)
}
console.log(`time per engine: ${times.join(', ')}`)
console.log(`browsers: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`)
process.exit(totals.fail ? 1 : 0)
