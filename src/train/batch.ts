/**
 * Assembling a training batch from a FaceDataset: decode, resize to the model's input, random
 * horizontal flip (which mirrors the yaw too), and pack into flat typed arrays. Pixels stay in
 * 0..255: the model's first block normalises them. No tensor is made here.
 */
import type { FaceDataset } from '../data/dataset'
import { resizeBilinear } from '../image/resize'
import { createRng } from '../util/rng'

export interface Batch {
  readonly size: number
  /** `[B, S, S, 3]`, 0..255. */
  readonly images: Float32Array
  /** `[B]` degrees. */
  readonly yaw: Float32Array
  /** `[B]` class indices. */
  readonly labels: Int32Array
}

/** Mirrors row-major RGB left to right into `out` at `offset`. */
const writeImage = (data: Uint8Array, size: number, flip: boolean, out: Float32Array, offset: number): void => {
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const src = (y * size + (flip ? size - 1 - x : x)) * 3
      const dst = offset + (y * size + x) * 3
      out[dst] = data[src]
      out[dst + 1] = data[src + 1]
      out[dst + 2] = data[src + 2]
    }
}

/**
 * The batch of `indices`; each example flipped with probability `flipP`, drawn from a stream
 * seeded by `flipSeed`, so the same step always flips the same images.
 */
export const makeBatch = (ds: FaceDataset, indices: readonly number[], size: number, flipP: number, flipSeed: number): Batch => {
  const rng = createRng(flipSeed)
  const images = new Float32Array(indices.length * size * size * 3)
  const yaw = new Float32Array(indices.length)
  const labels = new Int32Array(indices.length)
  indices.forEach((index, i) => {
    const ex = ds.get(index)
    const img = resizeBilinear(ex.image, size, size)
    const flip = rng.next() < flipP
    writeImage(img.data, size, flip, images, i * size * size * 3)
    yaw[i] = flip ? -ex.yaw : ex.yaw
    labels[i] = ex.label
  })
  return { size: indices.length, images, yaw, labels }
}
