/**
 * Starts the tfjs backend for commands that run tensors (the static audit needs none): the best
 * one that loads, or the one named by `--backend` / `PAM_BACKEND` (see src/backend/select.ts).
 */
import * as tf from '@tensorflow/tfjs-core'
import { selectBackend } from '../backend/select'

let started: string | undefined

export const initBackend = async (requested?: string): Promise<string> => {
  if (started) return started
  const selection = await selectBackend({ requested })
  // tfjs's console banners ("Hi, looks like you are running TensorFlow.js in Node.js…") are noise
  tf.enableProdMode()
  started = selection.inUse
  return started
}
