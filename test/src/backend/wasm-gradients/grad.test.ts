/**
 * End to end through autograd: `tf.grads` of conv2d / depthwiseConv2d graphs on wasm equal the
 * cpu backend's. (tfjs' conv gradients reject dilation > 1, so these run dilation 1.)
 */
import t from 'tap'
import * as tf from '@tensorflow/tfjs-core'
// tfjs-core's Node bundle registers no gradients; tfjs-layers' bundle registers them all.
import '@tensorflow/tfjs-layers'
import { registerWasmGradientKernels } from '../../../../src/backend/wasm-gradients'
import { maxRelDiff, useBackend } from '../../../helpers/wasm'
import { createRng, randomValues } from './reference'

const TOLERANCE = 1e-4

type Net = (x: tf.Tensor4D, ws: tf.Tensor4D[]) => tf.Tensor

const gradsOn = async (backend: 'cpu' | 'wasm', net: Net, x: Float32Array, xShape: number[], ws: { values: Float32Array; shape: number[] }[], seed: number) => {
  await useBackend(backend)
  return tf.tidy(() => {
    const xt = tf.tensor4d(x, xShape as [number, number, number, number])
    const wts = ws.map((w) => tf.tensor4d(w.values, w.shape as [number, number, number, number]))
    const probe = (y: tf.Tensor) => tf.tensor(randomValues(createRng(seed), y.shape), y.shape)
    const f = (...args: tf.Tensor[]) => {
      const y = net(args[0] as tf.Tensor4D, args.slice(1) as tf.Tensor4D[])
      return tf.sum(tf.mul(y, probe(y)))
    }
    return tf.grads(f)([xt, ...wts]).map((g) => g.dataSync() as Float32Array)
  })
}

const cases: { name: string; x: number[]; ws: number[][]; net: Net }[] = [
  { name: 'conv2d 3×3 same', x: [2, 9, 9, 3], ws: [[3, 3, 3, 4]], net: (x, [w]) => tf.conv2d(x, w, 1, 'same') },
  { name: 'conv2d 3×3 stride 2 same', x: [2, 9, 8, 3], ws: [[3, 3, 3, 4]], net: (x, [w]) => tf.conv2d(x, w, 2, 'same') },
  { name: 'conv2d 5×5 valid explicit', x: [1, 10, 9, 2], ws: [[5, 5, 2, 3]], net: (x, [w]) => tf.conv2d(x, w, [1, 2], [[0, 0], [2, 1], [0, 3], [0, 0]]) },
  { name: 'conv2d 1×1 stride 2 (IR shortcut)', x: [2, 8, 8, 4], ws: [[1, 1, 4, 6]], net: (x, [w]) => tf.conv2d(x, w, 2, 'valid') },
  { name: 'depthwise 3×3 same', x: [2, 9, 9, 4], ws: [[3, 3, 4, 1]], net: (x, [w]) => tf.depthwiseConv2d(x, w, 1, 'same') },
  { name: 'depthwise 3×3 ×2 stride 2', x: [2, 9, 9, 3], ws: [[3, 3, 3, 2]], net: (x, [w]) => tf.depthwiseConv2d(x, w, 2, 'same') },
  {
    name: 'DRM-like: x + depthwise(relu(depthwise(x))), then a stride-2 conv',
    x: [2, 8, 8, 4],
    ws: [[3, 3, 4, 1], [3, 3, 4, 1], [3, 3, 4, 4]],
    net: (x, [a, b, c]) => tf.conv2d(tf.add(x, tf.depthwiseConv2d(tf.relu(tf.depthwiseConv2d(x, a, 1, 'same')), b, 1, 'same')) as tf.Tensor4D, c, 2, 'same'),
  },
]

t.before(() => {
  registerWasmGradientKernels()
})

for (const [i, c] of cases.entries())
  t.test(c.name, async (t) => {
    const rng = createRng(500 + i)
    const x = randomValues(rng, c.x)
    const ws = c.ws.map((shape) => ({ values: randomValues(rng, shape), shape }))
    const cpu = await gradsOn('cpu', c.net, x, c.x, ws, 900 + i)
    const wasm = await gradsOn('wasm', c.net, x, c.x, ws, 900 + i)
    t.equal(wasm.length, cpu.length)
    cpu.forEach((g, k) => t.ok(maxRelDiff(wasm[k], g) < TOLERANCE, `${k === 0 ? 'dx' : `dw${k}`} (max rel diff ${maxRelDiff(wasm[k], g).toExponential(1)})`))
  })
