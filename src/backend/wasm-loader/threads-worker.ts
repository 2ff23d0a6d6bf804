/**
 * Entry of each XNNPACK pthread worker of the threaded wasm build under Node (see loader.ts).
 *
 * tfjs-backend-wasm ships the Emscripten worker script only as a string (`wasmWorkerContents`),
 * meant for a browser blob URL, which Node's `worker_threads` cannot load. This file is a real
 * path Node can start; it evaluates that string in the global scope. The script expects
 * `require` and `__filename` as globals (a browser worker has neither; Emscripten's Node branch
 * reads them), and its string literals hold raw newlines that tfjs escapes the same way before
 * making its blob.
 */
import * as path from 'path'

const g = globalThis as Record<string, unknown>
g.require = require
g.__filename = __filename
const pkg = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'))
const { wasmWorkerContents } = require(path.join(pkg, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js')) as { wasmWorkerContents: string }
// Indirect eval: global scope, as a classic worker script would run.
;(0, eval)(wasmWorkerContents.replace(/\n/g, '\\n'))
