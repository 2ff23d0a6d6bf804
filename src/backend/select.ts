/**
 * Picks the tfjs backend at start, best first, and reports what it found.
 *
 * Backends (the names `--backend NAME` and `PAM_BACKEND=NAME` accept):
 *
 *   tensorflow-gpu  @tensorflow/tfjs-node-gpu   libtensorflow with CUDA (NVIDIA GPU machines)
 *   tensorflow      @tensorflow/tfjs-node       libtensorflow on the CPU
 *   wasm            @tensorflow/tfjs-backend-wasm  XNNPACK with SIMD, multi-threaded under Node
 *                                               when it starts (PAM_WASM_THREADS=N to size it,
 *                                               1 for the single-threaded build), its
 *                                               multiply-adds fused into FMA where Node has
 *                                               relaxed SIMD (PAM_WASM_FMA=0 to keep the shipped
 *                                               binary), plus this project's convolution
 *                                               gradient kernels
 *   cpu             @tensorflow/tfjs-backend-cpu   plain JavaScript, always there, slowest
 *
 * Without a choice the first that loads is used. The two native packages are optional
 * dependencies whose install downloads libtensorflow, so they are loaded with a guarded
 * `require` and the project compiles and runs without them. A choice (the function argument,
 * which the CLI fills from `--backend`, wins over `PAM_BACKEND`) is tried alone: when it does
 * not load, that is an error, not a silent fallback.
 */
import * as tf from '@tensorflow/tfjs-core'
import { PamError } from '../util/errors'

// ---------------------------------------------------------------------------------------------
// model
// ---------------------------------------------------------------------------------------------

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const
export type BackendName = (typeof BACKEND_NAMES)[number]

interface Candidate {
  readonly name: BackendName
  readonly pkg: string
  /** The name the package registers with tfjs. */
  readonly tfName: string
}

const CANDIDATES: readonly Candidate[] = [
  { name: 'tensorflow-gpu', pkg: '@tensorflow/tfjs-node-gpu', tfName: 'tensorflow' },
  { name: 'tensorflow', pkg: '@tensorflow/tfjs-node', tfName: 'tensorflow' },
  { name: 'wasm', pkg: '@tensorflow/tfjs-backend-wasm', tfName: 'wasm' },
  { name: 'cpu', pkg: '@tensorflow/tfjs-backend-cpu', tfName: 'cpu' },
]

export type CandidateStatus =
  | { readonly kind: 'in-use'; readonly detail?: string }
  | { readonly kind: 'not-installed' }
  | { readonly kind: 'failed'; readonly error: string }
  | { readonly kind: 'not-tried'; readonly reason: string }

export interface CandidateReport {
  readonly name: BackendName
  readonly pkg: string
  /** The package resolves from this project. */
  readonly installed: boolean
  /** Its module loaded and the tfjs backend started. */
  readonly loaded: boolean
  readonly status: CandidateStatus
}

export interface BackendSelection {
  readonly requested?: { readonly name: BackendName; readonly from: '--backend' | 'PAM_BACKEND' }
  readonly inUse: BackendName
  readonly candidates: readonly CandidateReport[]
}

/** The effects selection needs; tests substitute fakes for the packages not installed here. */
export interface BackendLoader {
  /** Whether `require.resolve(pkg)` succeeds. */
  isInstalled(pkg: string): boolean
  /** `require(pkg)`; throws what the package throws. */
  load(pkg: string): void
  /** Starts the backend; resolves to a detail line for the report, rejects with the reason. */
  start(name: BackendName, tfName: string, env: NodeJS.ProcessEnv): Promise<string | undefined>
}

// ---------------------------------------------------------------------------------------------
// the real loader
// ---------------------------------------------------------------------------------------------

const firstLine = (e: unknown): string => {
  const msg = e instanceof Error ? e.message : String(e)
  return (msg.split('\n').find((l) => l.trim() !== '') ?? 'unknown error').trim()
}

/**
 * Needs no `setWasmPaths` under Node: the package's Node bundle finds its .wasm files next to
 * itself (Emscripten's scriptDirectory is its __dirname). A bundler that moves the JS would.
 */
const startWasm = async (env: NodeJS.ProcessEnv): Promise<string> => {
  // Loaded lazily: their imports register kernels and replace the 'wasm' factory.
  const { registerWasmGradientKernels } = require('./wasm-gradients') as typeof import('./wasm-gradients')
  const loader = require('./wasm-loader/loader') as typeof import('./wasm-loader/loader')
  const { describeFma } = require('./wasm-fma/prepare') as typeof import('./wasm-fma/prepare')
  registerWasmGradientKernels()
  loader.useWasmLoader(loader.wasmLoaderOptions(env))
  if (!(await tf.setBackend('wasm'))) throw new Error(`tf.setBackend('wasm') failed (see the warning above)`)
  const n = (require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm')).getThreadsCount()
  const s = loader.wasmLoaderStatus()
  const how = n <= 1 ? 'SIMD, 1 thread' : `threaded SIMD, ${n} threads`
  const fma = s === undefined ? '' : `; ${describeFma(s.fma)}`
  return `${how}${fma}${s?.fallbackReason ? ` (this project's loader failed: ${s.fallbackReason})` : ''}; convolution gradients registered`
}

export const nodeLoader: BackendLoader = {
  isInstalled: (pkg) => {
    try {
      require.resolve(pkg)
      return true
    } catch {
      return false
    }
  },
  load: (pkg) => {
    require(pkg)
  },
  start: async (name, tfName, env) => {
    if (name === 'wasm') return startWasm(env)
    if (!(await tf.setBackend(tfName))) throw new Error(`tf.setBackend('${tfName}') failed (see the warning above)`)
    await tf.ready()
    return undefined
  },
}

// ---------------------------------------------------------------------------------------------
// selection
// ---------------------------------------------------------------------------------------------

const isBackendName = (s: string): s is BackendName => (BACKEND_NAMES as readonly string[]).includes(s)

/** The explicit choice, if any: the argument first, then `PAM_BACKEND`; unknown names are errors. */
export const requestedBackend = (argument: string | undefined, env: NodeJS.ProcessEnv): BackendSelection['requested'] => {
  const [raw, from] = argument !== undefined ? [argument, '--backend' as const] : [env.PAM_BACKEND, 'PAM_BACKEND' as const]
  if (raw === undefined || raw.trim() === '') return undefined
  const name = raw.trim()
  if (!isBackendName(name)) throw new PamError(`unknown backend "${name}" (from ${from}); valid: ${BACKEND_NAMES.join(', ')}`)
  return { name, from }
}

/**
 * Starts the best backend that loads, or the requested one, and returns what happened to every
 * candidate. Throws `PamError` for an unknown name or a requested backend that does not load.
 */
export const selectBackend = async (
  o: { readonly requested?: string; readonly env?: NodeJS.ProcessEnv; readonly loader?: BackendLoader } = {},
): Promise<BackendSelection> => {
  const loader = o.loader ?? nodeLoader
  const env = o.env ?? process.env
  const requested = requestedBackend(o.requested, env)
  const reports: CandidateReport[] = []
  let inUse: BackendName | undefined
  for (const c of CANDIDATES) {
    const installed = loader.isInstalled(c.pkg)
    const report = (loaded: boolean, status: CandidateStatus) => reports.push({ name: c.name, pkg: c.pkg, installed, loaded, status })
    if (inUse !== undefined) {
      report(false, { kind: 'not-tried', reason: `${inUse} is in use` })
      continue
    }
    if (requested !== undefined && requested.name !== c.name) {
      report(false, { kind: 'not-tried', reason: `${requested.from} ${requested.name} was requested` })
      continue
    }
    if (!installed) {
      if (requested !== undefined) throw new PamError(`backend ${c.name} (${requested.from}) is not available: ${c.pkg} is not installed`)
      report(false, { kind: 'not-installed' })
      continue
    }
    try {
      loader.load(c.pkg)
      const detail = await loader.start(c.name, c.tfName, env)
      report(true, detail === undefined ? { kind: 'in-use' } : { kind: 'in-use', detail })
      inUse = c.name
    } catch (e) {
      if (requested !== undefined) throw new PamError(`backend ${c.name} (${requested.from}) failed to load: ${firstLine(e)}`)
      report(false, { kind: 'failed', error: firstLine(e) })
    }
  }
  if (inUse === undefined) throw new PamError(`no tfjs backend could start: ${reports.map((r) => `${r.name}: ${describeStatus(r)}`).join('; ')}`)
  return requested === undefined ? { inUse, candidates: reports } : { requested, inUse, candidates: reports }
}

// ---------------------------------------------------------------------------------------------
// the `pam doctor` text
// ---------------------------------------------------------------------------------------------

/** Where each installed copy of @tensorflow/tfjs-core is, and which packages resolve to it. */
export interface CoreCopy {
  readonly dir: string
  readonly version: string
  readonly usedBy: readonly string[]
}

export interface DoctorReport {
  readonly selection: BackendSelection
  readonly coreVersion: string
  readonly coreCopies: readonly CoreCopy[]
}

const describeStatus = (r: CandidateReport): string => {
  const s = r.status
  switch (s.kind) {
    case 'in-use':
      return `in use${s.detail ? `: ${s.detail}` : ''}`
    case 'not-installed':
      return 'not installed'
    case 'failed':
      return `installed, failed to load: ${s.error}`
    case 'not-tried':
      return `${r.installed ? 'installed' : 'not installed'}, not tried (${s.reason})`
  }
}

export const formatDoctor = (r: DoctorReport): string => {
  const sel = r.selection
  const nameW = Math.max(...sel.candidates.map((c) => c.name.length))
  const pkgW = Math.max(...sel.candidates.map((c) => c.pkg.length))
  const present = sel.candidates.filter((c) => c.installed).map((c) => c.name)
  const lines = [
    `backend in use: ${sel.inUse}${sel.requested ? ` (requested by ${sel.requested.from})` : ' (the best that loaded)'}`,
    `backends installed: ${present.length > 0 ? present.join(', ') : 'none'}`,
    'candidates, best first:',
    ...sel.candidates.map((c) => `  ${c.name.padEnd(nameW)}  ${c.pkg.padEnd(pkgW)}  ${describeStatus(c)}`),
    `tfjs-core: ${r.coreVersion}`,
  ]
  if (r.coreCopies.length <= 1) lines.push(`tfjs-core copies: 1${r.coreCopies.length === 1 ? ` (${r.coreCopies[0].dir})` : ''}`)
  else {
    lines.push(`tfjs-core copies: ${r.coreCopies.length} — PROBLEM: tensors and kernels of one copy are invisible to the other; run \`npm dedupe\``)
    for (const c of r.coreCopies) lines.push(`  ${c.version.padEnd(8)} ${c.dir}  (used by ${c.usedBy.join(', ')})`)
  }
  lines.push(`choose with --backend NAME or PAM_BACKEND=NAME; names: ${BACKEND_NAMES.join(', ')}`)
  return lines.join('\n')
}
