/**
 * SGD with momentum and weight decay exactly as `torch.optim.SGD` (dampening 0, no Nesterov):
 *
 *   d = g + wd · p          (decay added to the gradient, not decoupled)
 *   b = d                   on the first step, else  b = μ · b + d
 *   p = p − lr · b
 *
 * The momentum buffers are plain tensors the caller can save and restore, so a resumed run
 * continues bit for bit.
 */
import * as tf from '@tensorflow/tfjs-core'

export interface SgdOptions {
  readonly momentum: number
  readonly weightDecay: number
}

export interface SgdParam {
  readonly name: string
  readonly variable: tf.Variable
  /** False for parameters excluded from weight decay (BatchNorm's gamma and beta, optionally). */
  readonly decay: boolean
}

export interface SgdState {
  /** Momentum buffer per parameter name; absent before its first step. */
  readonly buffers: Map<string, tf.Tensor>
}

export const emptySgdState = (): SgdState => ({ buffers: new Map() })

/** One update of every parameter that has a gradient; old buffers are disposed. */
export const sgdStep = (
  params: readonly SgdParam[],
  grads: Readonly<Record<string, tf.Tensor>>,
  lr: number,
  o: SgdOptions,
  state: SgdState,
): void => {
  for (const p of params) {
    const g = grads[p.variable.name]
    if (!g) continue
    const old = state.buffers.get(p.name)
    const next = tf.tidy(() => {
      const d = p.decay && o.weightDecay > 0 ? tf.add(g, tf.mul(p.variable, o.weightDecay)) : g
      const b = old && o.momentum > 0 ? tf.add(tf.mul(old, o.momentum), d) : tf.clone(d)
      p.variable.assign(tf.sub(p.variable, tf.mul(b, lr)))
      return b
    })
    old?.dispose()
    state.buffers.set(p.name, next)
  }
}

export const disposeSgdState = (state: SgdState): void => {
  state.buffers.forEach((b) => b.dispose())
  state.buffers.clear()
}
