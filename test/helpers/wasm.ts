/**
 * Starts the wasm backend for a test file (the default backend on machines without tfjs-node)
 * as the CLI runs it, through this project's loader with multiply-adds fused, on one thread
 * (test files run two at a time on two cores).
 */
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-wasm'
import '@tensorflow/tfjs-backend-cpu'
import { useWasmLoader } from '../../src/backend/wasm-loader/loader'

export const useBackend = async (name: 'wasm' | 'cpu' = 'wasm'): Promise<void> => {
  if (name === 'wasm') useWasmLoader({ threads: 1, fma: true })
  if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to start`)
  await tf.ready()
  // as the CLI does: no "you are running TensorFlow.js in Node.js" banner in the test output
  tf.enableProdMode()
}

/** Largest |a − b| / max(1, |b|) over two arrays of the same length. */
export const maxRelDiff = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
  let m = 0
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])))
  return m
}
