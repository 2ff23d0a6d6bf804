import * as path from 'path'
import t from 'tap'
import { doctorCommand, findCoreCopies } from '../../../../src/cli/commands/doctor'
import type { BackendLoader } from '../../../../src/backend/select'

const manifest = (name: string, version: string) => ({ 'package.json': JSON.stringify({ name, version }) })

/** node_modules/@tensorflow with core 4.22.0, and tfjs-node carrying its own 4.21.0. */
const tree = (t: tap.Test, nested: boolean) =>
  t.testdir({
    node_modules: {
      '@tensorflow': {
        'tfjs-core': manifest('@tensorflow/tfjs-core', '4.22.0'),
        'tfjs-backend-cpu': manifest('@tensorflow/tfjs-backend-cpu', '4.22.0'),
        'tfjs-node': {
          ...manifest('@tensorflow/tfjs-node', '4.22.0'),
          ...(nested ? { node_modules: { '@tensorflow': { 'tfjs-core': manifest('@tensorflow/tfjs-core', '4.21.0') } } } : {}),
        },
        'not-a-package': {},
      },
    },
  })

t.test('one copy when every package resolves to the same tfjs-core', async (t) => {
  const root = tree(t, false)
  const copies = findCoreCopies(path.join(root, 'node_modules/@tensorflow/tfjs-core'))
  t.equal(copies.length, 1)
  t.match(copies[0], { version: '4.22.0', usedBy: ['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-node'] })
})

t.test('a package with its own tfjs-core is a second copy', async (t) => {
  const root = tree(t, true)
  const copies = findCoreCopies(path.join(root, 'node_modules/@tensorflow/tfjs-core'))
  t.same(
    copies.map((c) => [path.relative(root, c.dir), c.version, c.usedBy]),
    [
      ['node_modules/@tensorflow/tfjs-core', '4.22.0', ['@tensorflow/tfjs-backend-cpu']],
      ['node_modules/@tensorflow/tfjs-node/node_modules/@tensorflow/tfjs-core', '4.21.0', ['@tensorflow/tfjs-node']],
    ],
  )
})

const quietLoader: BackendLoader = {
  isInstalled: (pkg) => pkg.endsWith('cpu') || pkg.endsWith('wasm'),
  load: () => undefined,
  start: async () => 'fake',
}

const capture = async (f: () => Promise<number>): Promise<[number, string]> => {
  const lines: string[] = []
  const log = console.log
  console.log = (s: string) => lines.push(s)
  try {
    return [await f(), lines.join('\n')]
  } finally {
    console.log = log
  }
}

t.test('prints the report, exit 0', async (t) => {
  const [code, text] = await capture(() => doctorCommand([], { loader: quietLoader, env: {}, coreDir: path.join(tree(t, false), 'node_modules/@tensorflow/tfjs-core') }))
  t.equal(code, 0)
  t.match(text, /^backend in use: wasm \(the best that loaded\)\n/)
  t.match(text, /\ntfjs-core: 4\.22\.0\ntfjs-core copies: 1 \(/)
})

t.test('exit 1 when tfjs-core is duplicated', async (t) => {
  const [code, text] = await capture(() => doctorCommand(['--backend', 'cpu'], { loader: quietLoader, env: {}, coreDir: path.join(tree(t, true), 'node_modules/@tensorflow/tfjs-core') }))
  t.equal(code, 1)
  t.match(text, 'tfjs-core copies: 2 — PROBLEM')
})

t.test('flags', async (t) => {
  const [code, text] = await capture(() => doctorCommand(['--help']))
  t.equal(code, 0)
  t.equal(text, 'usage: pam doctor [--backend tensorflow-gpu|tensorflow|wasm|cpu]')
  await t.rejects(doctorCommand(['--gpu']), { name: 'PamError', message: 'pam doctor: unknown flag --gpu (valid: --backend --help)' })
  await t.rejects(doctorCommand(['--backend', 'metal'], { loader: quietLoader }), { message: 'unknown backend "metal" (from --backend); valid: tensorflow-gpu, tensorflow, wasm, cpu' })
})

t.test('on this machine: wasm (single-threaded here; wasm-loader/loader.test.ts starts the threaded build)', async (t) => {
  const [code, text] = await capture(() => doctorCommand([], { env: { PAM_WASM_THREADS: '1' } }))
  t.equal(code, 0)
  t.match(text, /wasm +@tensorflow\/tfjs-backend-wasm +in use: SIMD, 1 thread; fused multiply-add \(\d+ multiply-adds in \d+ functions\); convolution gradients registered/)
  t.match(text, /tensorflow +@tensorflow\/tfjs-node +not installed/)
})
