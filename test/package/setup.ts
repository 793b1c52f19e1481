// Global set-up of the dist tests: packs the package once (as `npm publish` would) and installs
// the tarball into a fresh consumer folder outside the repo, so the tests see what a user's
// `npm install okta-segment` gives. Tests read its path with `inject('consumer')`, the tarball's with `inject('tarball')`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { ROOT } from './paths'

declare module 'vitest' {
  export interface ProvidedContext {
    /** a folder whose node_modules/okta-segment is the unpacked tarball */
    consumer: string
    /** the tarball's file list, as `npm pack --json` reports it */
    packed: string[]
    /** the packed tarball itself */
    tarball: string
  }
}

export default function setup(project: TestProject) {
  if (!existsSync(join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first')
  const work = mkdtempSync(join(tmpdir(), 'okta-segment-dist-'))
  const installed = join(work, 'consumer', 'node_modules', 'okta-segment')
  mkdirSync(installed, { recursive: true })
  const json = execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' })
  const [report] = JSON.parse(json.slice(json.indexOf('['))) as { files: { path: string }[] }[]
  const tarball = readdirSync(work).find((f) => f.endsWith('.tgz'))
  if (!report || !tarball) throw new Error('npm pack wrote no tarball')
  execFileSync('tar', ['xzf', join(work, tarball), '-C', installed, '--strip-components=1'])
  project.provide('consumer', join(work, 'consumer'))
  project.provide('packed', report.files.map((f) => f.path).sort())
  project.provide('tarball', join(work, tarball))
  return () => rmSync(work, { recursive: true, force: true })
}
