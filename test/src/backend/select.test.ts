import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
import { formatDoctor, nodeLoader, requestedBackend, selectBackend, type BackendLoader, type BackendName } from '../../../src/backend/select'

type PackageState = 'absent' | 'ok' | { readonly broken: string } | { readonly startFails: string }

/** A loader whose packages are in the given states; records what it started. */
const fakeLoader = (states: Record<string, PackageState>, started: BackendName[] = []): BackendLoader => ({
  isInstalled: (pkg) => (states[pkg] ?? 'absent') !== 'absent',
  load: (pkg) => {
    const s = states[pkg]
    if (typeof s === 'object' && 'broken' in s) throw new Error(s.broken)
  },
  start: async (name) => {
    const s = states[CANDIDATE_PKG[name]]
    if (typeof s === 'object' && 'startFails' in s) throw new Error(s.startFails)
    started.push(name)
    return name === 'wasm' ? 'threaded SIMD, 2 threads; convolution gradients registered' : undefined
  },
})

const CANDIDATE_PKG: Record<BackendName, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs-backend-cpu',
}

const HERE: Record<string, PackageState> = { '@tensorflow/tfjs-backend-wasm': 'ok', '@tensorflow/tfjs-backend-cpu': 'ok' }
const NO_ENV = {}

t.test('this machine: no native packages, so wasm', async (t) => {
  const started: BackendName[] = []
  const s = await selectBackend({ env: NO_ENV, loader: fakeLoader(HERE, started) })
  t.same(started, ['wasm'])
  t.equal(s.inUse, 'wasm')
  t.equal(s.requested, undefined)
  t.same(
    s.candidates.map((c) => [c.name, c.installed, c.loaded, c.status.kind]),
    [
      ['tensorflow-gpu', false, false, 'not-installed'],
      ['tensorflow', false, false, 'not-installed'],
      ['wasm', true, true, 'in-use'],
      ['cpu', true, false, 'not-tried'],
    ],
  )
})

t.test('best first: the GPU package wins when it loads', async (t) => {
  const started: BackendName[] = []
  const s = await selectBackend({ env: NO_ENV, loader: fakeLoader({ ...HERE, '@tensorflow/tfjs-node-gpu': 'ok', '@tensorflow/tfjs-node': 'ok' }, started) })
  t.same(started, ['tensorflow-gpu'])
  t.same(s.candidates[1].status, { kind: 'not-tried', reason: 'tensorflow-gpu is in use' })
})

t.test('an installed package that fails to load is skipped with its reason', async (t) => {
  const states = {
    ...HERE,
    '@tensorflow/tfjs-node-gpu': { broken: 'libcudart.so.11.0: cannot open shared object file\n    at Module._extensions' },
    '@tensorflow/tfjs-node': { startFails: "tf.setBackend('tensorflow') failed" },
  }
  const s = await selectBackend({ env: NO_ENV, loader: fakeLoader(states) })
  t.equal(s.inUse, 'wasm')
  t.same(s.candidates[0], {
    name: 'tensorflow-gpu',
    pkg: '@tensorflow/tfjs-node-gpu',
    installed: true,
    loaded: false,
    status: { kind: 'failed', error: 'libcudart.so.11.0: cannot open shared object file' },
  })
  t.same(s.candidates[1].status, { kind: 'failed', error: "tf.setBackend('tensorflow') failed" })
})

t.test('cpu is the last resort', async (t) => {
  const s = await selectBackend({ env: NO_ENV, loader: fakeLoader({ ...HERE, '@tensorflow/tfjs-backend-wasm': { broken: 'no WebAssembly' } }) })
  t.equal(s.inUse, 'cpu')
})

t.test('an explicit choice: argument over PAM_BACKEND, tried alone', async (t) => {
  const started: BackendName[] = []
  const env = { PAM_BACKEND: 'wasm' }
  const s = await selectBackend({ requested: 'cpu', env, loader: fakeLoader({ ...HERE, '@tensorflow/tfjs-node': 'ok' }, started) })
  t.same(started, ['cpu'])
  t.same(s.requested, { name: 'cpu', from: '--backend' })
  t.same(s.candidates[1].status, { kind: 'not-tried', reason: '--backend cpu was requested' })
  const fromEnv = await selectBackend({ env, loader: fakeLoader(HERE) })
  t.same(fromEnv.requested, { name: 'wasm', from: 'PAM_BACKEND' })
  t.equal(requestedBackend(undefined, { PAM_BACKEND: '  ' }), undefined, 'an empty PAM_BACKEND is no choice')
})

t.test('errors name the backend, where the name came from, and why', async (t) => {
  await t.rejects(selectBackend({ requested: 'gpu', loader: fakeLoader(HERE) }), {
    name: 'PamError',
    message: 'unknown backend "gpu" (from --backend); valid: tensorflow-gpu, tensorflow, wasm, cpu',
  })
  await t.rejects(selectBackend({ env: { PAM_BACKEND: 'webgl' }, loader: fakeLoader(HERE) }), {
    message: 'unknown backend "webgl" (from PAM_BACKEND); valid: tensorflow-gpu, tensorflow, wasm, cpu',
  })
  await t.rejects(selectBackend({ requested: 'tensorflow', loader: fakeLoader(HERE) }), {
    message: 'backend tensorflow (--backend) is not available: @tensorflow/tfjs-node is not installed',
  })
  const broken = { ...HERE, '@tensorflow/tfjs-node-gpu': { broken: 'The specified module could not be found.\nstack…' } }
  await t.rejects(selectBackend({ env: { PAM_BACKEND: 'tensorflow-gpu' }, loader: fakeLoader(broken) }), {
    message: 'backend tensorflow-gpu (PAM_BACKEND) failed to load: The specified module could not be found.',
  })
  await t.rejects(selectBackend({ env: NO_ENV, loader: fakeLoader({ '@tensorflow/tfjs-backend-cpu': { broken: 'x' } }) }), {
    message: 'no tfjs backend could start: tensorflow-gpu: not installed; tensorflow: not installed; wasm: not installed; cpu: installed, failed to load: x',
  })
})

t.test('the doctor text', async (t) => {
  const states = { ...HERE, '@tensorflow/tfjs-node': { broken: 'libtensorflow.so.2: cannot open shared object file' } }
  const selection = await selectBackend({ env: NO_ENV, loader: fakeLoader(states) })
  const one = [{ dir: '/p/node_modules/@tensorflow/tfjs-core', version: '4.22.0', usedBy: ['@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'] }]
  t.equal(
    formatDoctor({ selection, coreVersion: '4.22.0', coreCopies: one }),
    [
      'backend in use: wasm (the best that loaded)',
      'backends installed: tensorflow, wasm, cpu',
      'candidates, best first:',
      '  tensorflow-gpu  @tensorflow/tfjs-node-gpu      not installed',
      '  tensorflow      @tensorflow/tfjs-node          installed, failed to load: libtensorflow.so.2: cannot open shared object file',
      '  wasm            @tensorflow/tfjs-backend-wasm  in use: threaded SIMD, 2 threads; convolution gradients registered',
      '  cpu             @tensorflow/tfjs-backend-cpu   installed, not tried (wasm is in use)',
      'tfjs-core: 4.22.0',
      'tfjs-core copies: 1 (/p/node_modules/@tensorflow/tfjs-core)',
      'choose with --backend NAME or PAM_BACKEND=NAME; names: tensorflow-gpu, tensorflow, wasm, cpu',
    ].join('\n'),
  )
  const two = [...one, { dir: '/p/node_modules/@tensorflow/tfjs-node/node_modules/@tensorflow/tfjs-core', version: '4.21.0', usedBy: ['@tensorflow/tfjs-node'] }]
  const text = formatDoctor({ selection, coreVersion: '4.22.0', coreCopies: two })
  t.match(text, 'tfjs-core copies: 2 — PROBLEM: tensors and kernels of one copy are invisible to the other; run `npm dedupe`')
  t.match(text, '  4.21.0   /p/node_modules/@tensorflow/tfjs-node/node_modules/@tensorflow/tfjs-core  (used by @tensorflow/tfjs-node)')
})

t.test('the real loader: PAM_BACKEND=cpu starts cpu', async (t) => {
  const s = await selectBackend({ env: { PAM_BACKEND: 'cpu' }, loader: nodeLoader })
  t.equal(s.inUse, 'cpu')
  t.equal(tf.getBackend(), 'cpu')
  t.same(
    s.candidates.map((c) => c.installed),
    [false, false, true, true],
    'the native packages are not installed on this machine',
  )
})
