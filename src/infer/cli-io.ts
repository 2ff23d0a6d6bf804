/**
 * Output channels of the `pam eval` / `pam embed` commands: results on stdout, progress and notes
 * on stderr. Tests pass buffers instead of the process streams.
 */
import * as tf from '@tensorflow/tfjs-core'
import { initBackend } from '../cli/backend-init'
import { PamError } from '../util/errors'
import type { TextSink } from './progress'

export interface CommandIo {
  /** stdout: the results. */
  readonly out: (text: string) => void
  /** stderr: progress (a bar when it is a terminal) and notes. */
  readonly err: TextSink
}

export const processIo = (): CommandIo => ({
  out: (text) => process.stdout.write(text),
  err: { write: (text) => process.stderr.write(text), isTTY: process.stderr.isTTY === true },
})

/** A buffer pair for tests: everything written, as strings. */
export const bufferIo = (isTTY = false): CommandIo & { readonly stdout: () => string; readonly stderr: () => string } => {
  let out = ''
  let err = ''
  return {
    out: (text) => {
      out += text
    },
    err: {
      write: (text) => {
        err += text
      },
      isTTY,
    },
    stdout: () => out,
    stderr: () => err,
  }
}

/** Starts the requested backend (default: PAM_BACKEND, else wasm); an unknown name is a one-line error. */
export const startBackend = async (command: string, requested: string | undefined): Promise<string> => {
  if (requested !== undefined) {
    require('@tensorflow/tfjs-backend-cpu')
    require('@tensorflow/tfjs-backend-wasm')
    if (tf.findBackendFactory(requested) === null) {
      const known = Object.keys(tf.engine().registryFactory).sort().join(', ')
      throw new PamError(`pam ${command}: unknown backend "${requested}" (available: ${known})`)
    }
  }
  return initBackend(requested)
}
