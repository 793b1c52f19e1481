import typescript from '@rollup/plugin-typescript'
import type { RollupOptions } from 'rollup'
import { dts } from 'rollup-plugin-dts'

const ts = () =>
  typescript({
    tsconfig: './tsconfig.build.json',
    include: ['src/**/*.ts'],
    compilerOptions: { noEmit: false, declaration: false, target: 'ES2020' },
  })

const config: RollupOptions[] = [
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.js', format: 'es' },
      { file: 'dist/index.cjs', format: 'cjs' },
    ],
    plugins: [ts()],
    treeshake: { moduleSideEffects: false },
  },
  {
    input: 'src/index.ts',
    output: [
      { file: 'dist/index.d.ts', format: 'es' },
      { file: 'dist/index.d.cts', format: 'es' },
    ],
    plugins: [dts()],
  },
]

export default config
