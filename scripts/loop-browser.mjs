// Runs the multi-tab browser scenarios again and again, to show a cross-tab or timing result holds
// every time (a result that holds 9 runs in 10 is a defect):
//   npm run test:tabs            # 20 runs of test/e2e/{tabs,apps,signout}.test.mjs
//   npm run test:tabs -- 5 test/e2e/tabs.test.mjs
// Prints one line per run and the count; a failed run's output is kept in test-results/loop-<n>.log.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { ensureBuilt } from './ensure-built.mjs'

const [n = '20', ...files] = process.argv.slice(2)
const runs = Number(n)
const tests = files.length ? files : ['test/e2e/tabs.test.mjs', 'test/e2e/apps.test.mjs', 'test/e2e/signout.test.mjs']
ensureBuilt()
mkdirSync('test-results', { recursive: true })
let passed = 0
for (let i = 1; i <= runs; i++) {
  const started = Date.now()
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=spec', ...tests], {
    encoding: 'utf8',
  })
  const out = `${r.stdout}${r.stderr}`
  const count = (what) =>
    [...out.matchAll(new RegExp(`ℹ ${what} (\\d+)`, 'g'))].map((m) => Number(m[1])).reduce((a, b) => a + b, 0)
  const ok = r.status === 0
  if (ok) passed++
  else writeFileSync(`test-results/loop-${i}.log`, out)
  console.log(
    `run ${i}/${runs}: ${ok ? 'pass' : 'FAIL'} (${count('pass')} passed, ${count('fail')} failed) in ${Math.round((Date.now() - started) / 1000)} s`,
  )
}
console.log(`${passed} of ${runs} runs passed: ${tests.join(' ')}`)
process.exit(passed === runs ? 0 : 1)
