/**
 * This project's loader of tfjs-backend-wasm under Node: the multi-threaded SIMD build when more
 * than one thread is wanted, the single-threaded SIMD build otherwise, each with its f32x4
 * multiply-adds fused (../wasm-fma) when this Node has relaxed SIMD.
 *
 * Threads: tfjs never picks the threaded build under Node (its WASM_HAS_MULTITHREAD_SUPPORT flag
 * is false there, tfjs issue #3830): its loader hands Emscripten blob URLs for the pthread worker
 * and main script, and Node's `worker_threads` only runs files. The Emscripten glue itself
 * supports Node, so this module replaces the 'wasm' backend factory with one that starts the same
 * module with file paths instead (threads-worker.ts, and the glue script in the installed
 * package), builds the package's own `BackendWasm` on it, and thereby keeps every registered wasm
 * kernel. Nothing in node_modules is modified.
 *
 * Three more shims for the threaded build: the C++ side sizes its thread pool as
 * min(requested, logicalCores / 2) (it assumes hyper-threading), so `emscripten_num_logical_cores`
 * is answered with 2·threads; of the 8 workers Emscripten pre-spawns, those the pool did not take
 * are terminated (~12 MB each); and the pool's workers are unref'd so that they do not keep the
 * process alive. The workers run the compiled module the main thread hands them, so they run
 * the fused code too.
 *
 * XNNPACK's convolutions, matmuls and poolings then run on `threads` threads; the backend's
 * other kernels (transpose, pad, ...) stay single-threaded.
 */
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import * as tf from '@tensorflow/tfjs-core'
import { BackendWasm, setThreadsCount } from '@tensorflow/tfjs-backend-wasm'
import { FmaStatus, fmaWanted, prepareWasmBinary } from '../wasm-fma/prepare'

/** Emscripten's pool size in this build: the most threads the backend can use. */
export const MAX_WASM_THREADS = 8

const START_TIMEOUT_MS = 30_000

interface WorkerLike {
  terminate(): unknown
  unref(): unknown
}

interface PThreadLike {
  unusedWorkers: WorkerLike[]
  runningWorkers: WorkerLike[]
}

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: unknown[]) => unknown
  PThread?: PThreadLike
  tfjs?: unknown
}

type Factory = (config: Record<string, unknown>) => Promise<EmscriptenModule>

// The project compiles without DOM typings; this is the sliver of the WebAssembly API used here.
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: object; module: object }>
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

const packageDir = (): string => path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))

/** The package's glue script and binary of each build we start. */
const buildFiles = (threaded: boolean) => {
  const pkg = packageDir()
  return threaded
    ? { glue: path.join(pkg, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js'), binary: path.join(pkg, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm') }
    : // the vanilla glue runs the SIMD binary as well (tfjs' own loader does the same)
      { glue: path.join(pkg, 'wasm-out', 'tfjs-backend-wasm.js'), binary: path.join(pkg, 'dist', 'tfjs-backend-wasm-simd.wasm') }
}

/** Starts the Emscripten module with `threads` pool threads (not yet a tfjs backend). */
const startModule = async (threads: number, fma: boolean): Promise<{ module: EmscriptenModule; fma: FmaStatus }> => {
  const threaded = threads > 1
  const { glue, binary } = buildFiles(threaded)
  const factory = require(glue) as Factory
  const prepared = prepareWasmBinary(new Uint8Array(fs.readFileSync(binary)), fma)
  // Emscripten ignores a failing instantiateWasm; this makes it the start's rejection.
  let instantiateFailed: (e: unknown) => void = () => undefined
  const failed = new Promise<never>((_, reject) => (instantiateFailed = reject))
  // Emscripten's Module is this object: the glue attaches PThread to it before instantiating.
  const config: Record<string, unknown> & { PThread?: PThreadLike } = {
    locateFile: (file: string, prefix: string) =>
      file.endsWith('.worker.js') ? path.join(__dirname, 'threads-worker.js') : file.endsWith('.wasm') ? binary : prefix + file,
    // Each worker evaluates this file to get the module factory.
    ...(threaded ? { mainScriptUrlOrBlob: glue } : {}),
    instantiateWasm: (imports: { env: Record<string, unknown> }, receive: (instance: object, module: object) => void) => {
      if (threaded) imports.env.emscripten_num_logical_cores = () => 2 * threads
      wasmApi.instantiate(prepared.bytes, imports).then((r) => receive(r.instance, r.module), instantiateFailed)
      return {}
    },
  }
  const starting = factory(config)
  // A worker that cannot start leaves Emscripten waiting forever; give up instead.
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`wasm did not start within ${START_TIMEOUT_MS / 1000} s`)), START_TIMEOUT_MS)
    timer.unref()
  })
  const module = await Promise.race([starting, failed, timeout])
    .catch((e: unknown) => {
      // A start that failed half way leaves pre-spawned workers that would keep Node alive.
      for (const w of [...(config.PThread?.unusedWorkers ?? []), ...(config.PThread?.runningWorkers ?? [])]) w.terminate()
      throw e
    })
    .finally(() => clearTimeout(timer))
  // The bridge tfjs' own loader attaches (backend_wasm.js `init`).
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  }
  return { module, fma: prepared.fma }
}

/** Threads to use: `PAM_WASM_THREADS` if set, else the machine's parallelism, within [1, 8]. */
export const wasmThreadsWanted = (env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env.PAM_WASM_THREADS
  const n = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw) : os.availableParallelism()
  return Math.max(1, Math.min(MAX_WASM_THREADS, n))
}

export interface WasmLoaderOptions {
  readonly threads: number
  /** Fuse multiply-adds when this Node supports relaxed SIMD. */
  readonly fma: boolean
}

export const wasmLoaderOptions = (env: NodeJS.ProcessEnv = process.env): WasmLoaderOptions => ({ threads: wasmThreadsWanted(env), fma: fmaWanted(env) })

export interface WasmLoaderStatus {
  /** Threads XNNPACK runs on, once the backend started. */
  readonly threads: number
  /** Whether the running binary has its multiply-adds fused, and if not, why. */
  readonly fma: FmaStatus
  /** Why this loader failed and tfjs' own single-threaded loader runs instead, when it does. */
  readonly fallbackReason?: string
}

/** What the last start of the replaced 'wasm' factory did; undefined before it ran. */
let status: WasmLoaderStatus | undefined
export const wasmLoaderStatus = (): WasmLoaderStatus | undefined => status

/** Whether our factory is the registered 'wasm' one. */
let installed = false

/**
 * Makes the next `tf.setBackend('wasm')` start the backend through this loader, falling back to
 * the package's own (single-threaded, unfused) loader if that fails. Returns whether this
 * loader's factory is in place: false, changing nothing, when 'wasm' is already initialized;
 * true, changing nothing, when an earlier call installed it (the first options hold).
 */
export const useWasmLoader = (options: WasmLoaderOptions = wasmLoaderOptions()): boolean => {
  const engine = tf.engine()
  const entry = engine.registryFactory.wasm
  if (entry === undefined || engine.registry.wasm !== undefined) return false
  if (installed) return true
  installed = true
  const stock = entry.factory
  tf.removeBackend('wasm')
  tf.registerBackend(
    'wasm',
    async () => {
      const threads = Math.max(1, Math.min(MAX_WASM_THREADS, options.threads))
      try {
        setThreadsCount(threads)
        const { module, fma } = await startModule(threads, options.fma)
        const backend = new BackendWasm(module as unknown as ConstructorParameters<typeof BackendWasm>[0])
        // The pool took its threads in the constructor; the remaining pre-spawned workers idle.
        for (const w of module.PThread?.unusedWorkers.splice(0) ?? []) w.terminate()
        // Emscripten refs a worker while its pthread runs, and pool threads run forever: without
        // this the process could never exit on its own.
        for (const w of module.PThread?.runningWorkers ?? []) w.unref()
        status = { threads: (module.tfjs as { getThreadsCount(): number }).getThreadsCount(), fma }
        return backend
      } catch (e) {
        status = { threads: 1, fma: { fused: false, reason: 'tfjs’ own loader runs the shipped binary' }, fallbackReason: (e as Error).message ?? String(e) }
        setThreadsCount(1)
        return stock()
      }
    },
    entry.priority,
  )
  return true
}
