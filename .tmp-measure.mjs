import { build } from 'esbuild'
import { brotliCompressSync } from 'node:zlib'
const r = await build({
  stdin: { contents: "export { connect } from './dist/index.js'", resolveDir: process.cwd() },
  bundle: true,
  minify: true,
  format: 'esm',
  write: false,
  metafile: true,
  treeShaking: true,
})
const code = r.outputFiles[0].contents
console.log('total min', code.length, 'br', brotliCompressSync(code).length)
const out = Object.values(r.metafile.outputs)[0]
for (const [f, i] of Object.entries(out.inputs).sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput))
  console.log(f, i.bytesInOutput)
