// Builds dist/ with `npm run build` when it is missing or older than src/; otherwise does nothing.
// Used by the browser suite, the demo, the benchmark and `npm run examples`, so that a `npm test`
// just before (as in CI) is not followed by a second identical build.
//
//   node scripts/ensure-built.mjs        or        import { ensureBuilt } from './ensure-built.mjs'
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((t, e) => {
    const p = join(dir, e.name)
    return Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs)
  }, 0)

/** Builds dist/ with `npm run build` when it is missing or older than src/. */
export function ensureBuilt() {
  const out = join(repo, 'dist', 'index.js')
  const stale = existsSync(out) && newest(join(repo, 'src')) > statSync(out).mtimeMs
  if (existsSync(out) && !stale) return
  try {
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: repo, stdio: ['ignore', 'ignore', 'pipe'] })
  } catch (e) {
    // a stale but present build still lets the suite run; a missing one cannot
    if (!existsSync(out)) throw new Error(`npm run build failed:\n${e.stderr}`)
    console.warn(`# dist/ is older than src/ and npm run build failed; using the existing build\n${e.stderr}`)
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) ensureBuilt()
