// Runs the multi-tab browser scenarios again and again in each engine, to show a cross-tab or timing
// result holds every time (a result that holds 9 runs in 10 is a defect):
//   npm run test:tabs                                  # 20 runs of test/e2e/{tabs,apps,signout}.test.mjs per engine
//   BROWSERS=firefox npm run test:tabs -- 5 test/e2e/tabs.test.mjs
//   TEST_CONCURRENCY=1 ...                             # one test file at a time (default 2)
// Prints one line per run and, per engine, the runs passed and the calls made twice (a messageId
// that reached the collector from two separate calls; see callsMadeTwice in test/e2e/events.mjs).
// A failed run's output is kept in test-results/loop-<engine>-<n>.log.
import { mkdirSync, writeFileSync } from 'node:fs'
import { engines } from '../test/e2e/drivers/index.mjs'
import { ensureBuilt } from './ensure-built.mjs'
import { runEngine } from './run-engine.mjs'

const [n = '20', ...files] = process.argv.slice(2)
const runs = Number(n)
const tests = files.length ? files : ['test/e2e/tabs.test.mjs', 'test/e2e/apps.test.mjs', 'test/e2e/signout.test.mjs']
ensureBuilt()
mkdirSync('test-results', { recursive: true })
const summary = []
for (const engine of engines()) {
  let passed = 0
  let twice = 0
  for (let i = 1; i <= runs; i++) {
    const { ok, out, count, sum, seconds } = runEngine(engine, tests, {
      concurrency: process.env.TEST_CONCURRENCY ?? 2,
    })
    const made = sum(/^calls made twice \([^)]*\): (\d+)/gm)
    twice += made
    if (ok) passed++
    else writeFileSync(`test-results/loop-${engine}-${i}.log`, out)
    console.log(
      `${engine} run ${i}/${runs}: ${ok ? 'pass' : 'FAIL'} (${count('pass')} passed, ${count('fail')} failed, ${made} calls made twice) in ${seconds} s`,
    )
    for (const line of out.match(/^calls made twice \([^)]*\): [1-9].*$/gm) ?? []) console.log(`  ${line}`)
  }
  summary.push({ engine, passed, twice })
}
for (const { engine, passed, twice } of summary)
  console.log(`${engine}: ${passed} of ${runs} runs passed, ${twice} calls made twice: ${tests.join(' ')}`)
process.exit(summary.every((s) => s.passed === runs) ? 0 : 1)
