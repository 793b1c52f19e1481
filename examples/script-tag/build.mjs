// Builds the script-tag example into dist/: the page, and the two bundles it loads from vendor/
// (on a real site they come from Okta's CDN and unpkg). Both are found by package name.
import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const out = join(here, 'dist')
const require = createRequire(import.meta.url)
const root = (name) => dirname(require.resolve(`${name}/package.json`))
const ours = join(
  root('okta-segment'),
  JSON.parse(readFileSync(join(root('okta-segment'), 'package.json'), 'utf8')).unpkg,
)
const okta = join(root('@okta/okta-auth-js'), 'dist', 'okta-auth-js.min.js') // Okta's CDN file: sets window.OktaAuth

rmSync(out, { recursive: true, force: true })
mkdirSync(join(out, 'vendor'), { recursive: true })
copyFileSync(ours, join(out, 'vendor', 'okta-segment.global.min.js'))
copyFileSync(okta, join(out, 'vendor', 'okta-auth-js.min.js'))
for (const file of ['config.js', 'style.css']) copyFileSync(join(here, file), join(out, file))
const integrity = `sha384-${createHash('sha384').update(readFileSync(ours)).digest('base64')}`
const html = readFileSync(join(here, 'index.html'), 'utf8').replace(
  /(okta-segment\.global\.min\.js" integrity=")[^"]*"/,
  `$1${integrity}"`,
)
writeFileSync(join(out, 'index.html'), html)
console.log(`examples/script-tag/dist: okta-segment.global.min.js ${integrity}`)
