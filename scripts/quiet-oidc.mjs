// Imported first by scripts/start.mjs: when the demo runs as `npm start`, hide oidc-provider's
// start-up notices (its in-memory adapter and Node version warnings are expected in a demo).
import { fileURLToPath } from 'node:url'

const main = process.argv[1] && fileURLToPath(new URL('./start.mjs', import.meta.url)) === process.argv[1]
if (main) {
  const quiet =
    (write) =>
    (first, ...rest) => {
      if (typeof first === 'string' && /oidc-provider (WARNING|NOTICE):/.test(first)) return
      write(first, ...rest)
    }
  console.warn = quiet(console.warn.bind(console))
  console.info = quiet(console.info.bind(console))
}
