// Memory figures of the bridge (numbers, not pass/fail): 10,000 sign-in/sign-out cycles and 1,000
// connect/disconnect cycles with the real okta-auth-js, heap measured after gc. Runs
// test/memory.test.ts under vitest (happy-dom) with --expose-gc and larger counts; that test also
// asserts that disconnect() leaves no listener on Okta's emitter, window or document.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url))
const { status, stdout, stderr } = spawnSync(
  process.execPath,
  [vitest, 'run', 'test/memory.test.ts', '--execArgv=--expose-gc'],
  {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      MEMORY_CYCLES: process.env.MEMORY_CYCLES ?? '10000',
      MEMORY_CONNECTS: process.env.MEMORY_CONNECTS ?? '1000',
      FORCE_COLOR: '0',
      NO_COLOR: '1',
    },
  },
)
const lines = `${stdout}\n${stderr}`
  .replace(new RegExp(String.fromCharCode(27) + '\\[[0-9;]*m', 'g'), '')
  .split('\n')
  .filter((l) => l.startsWith('[memory]'))
console.log(lines.length ? lines.join('\n') : `${stdout}\n${stderr}`)
console.log(`node ${process.version}, ${new Date().toISOString()}`)
process.exit(status ?? 1)
