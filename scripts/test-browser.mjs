// The browser suite, one engine after the other (two test files at a time, on a 2-core machine):
//   npm run test:browser                          # chromium, firefox and webkit
//   BROWSERS=webkit npm run test:browser          # one engine (a comma-separated list: several)
//   npm run test:browser -- test/e2e/tabs.test.mjs
// Prints each engine's time and, last, one line of counts over all engines.
import { readdirSync } from 'node:fs'
import { engines } from '../test/e2e/drivers/index.mjs'
import { ensureBuilt } from './ensure-built.mjs'
import { runEngine } from './run-engine.mjs'

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
  const r = runEngine(engine, tests, { echo: true })
  for (const k of Object.keys(totals)) totals[k] += r.count(k)
  if (!r.ok && !r.count('fail')) totals.fail++ // a run that failed without counting a test
  times.push(`${engine} ${r.seconds} s${r.ok ? '' : ' (FAILED)'}`)
}
console.log(`time per engine: ${times.join(', ')}`)
console.log(`browsers: ${totals.pass} passed, ${totals.fail} failed, ${totals.skipped} skipped`)
process.exit(totals.fail ? 1 : 0)
