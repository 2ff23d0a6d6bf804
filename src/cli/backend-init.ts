/**
 * Picks and starts the tfjs backend for commands that run tensors (the static audit needs none).
 */
import * as tf from '@tensorflow/tfjs-core'

let started: string | undefined

export const initBackend = async (requested?: string): Promise<string> => {
  if (started) return started
  require('@tensorflow/tfjs-backend-cpu')
  require('@tensorflow/tfjs-backend-wasm')
  const name = requested ?? process.env.PAM_BACKEND ?? 'wasm'
  if (!(await tf.setBackend(name))) await tf.setBackend('cpu')
  await tf.ready()
  if (tf.getBackend() === 'wasm') require('../backend/wasm-gradients').registerWasmGradientKernels()
  tf.enableProdMode()
  started = tf.getBackend()
  return started
}
