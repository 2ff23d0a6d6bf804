/**
 * Running a face model over a list of images: the embeddings `pam eval` compares and `pam embed`
 * writes.
 *
 * Images go through the model in batches. With flip fusion (the verification protocol's, and the
 * default) each batch is stacked with its horizontal mirror, the mirror's yaw negated (a face
 * turned left becomes one turned right; the soft gate reads |yaw|, so the gate value is the
 * same), both halves go through the model in one call, and each image's two embeddings are summed
 * and L2-normalised; without it each embedding is L2-normalised alone. An all-zero row stays zero,
 * as sklearn's `normalize` leaves it.
 *
 * Pixels go in as 0..255 (the model's first block normalises them); an image whose size differs
 * from the model's input is resized bilinearly first. All tensors of a batch live inside one
 * `tf.tidy`, so nothing is left behind between batches.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import type { RgbImage } from '../image/codec'
import { resizeBilinear } from '../image/resize'
import { PamError } from '../util/errors'

/** One image and its yaw in degrees. */
export interface ImageItem {
  readonly image: RgbImage
  readonly yaw: number
}

/** Images read on demand, so a 12,000-image set never sits decoded in memory all at once. */
export interface ImageList {
  readonly length: number
  /** The i-th image, any size. Throws `PamError` naming the file / record when it cannot be read. */
  load(i: number): ImageItem
}

export interface EmbedProgress {
  readonly done: number
  readonly total: number
  readonly elapsedSeconds: number
  /** Images (not forward passes) per second since the start. */
  readonly imagesPerSecond: number
}

export interface EmbedOptions {
  /** Images per batch (a flip-fused batch runs 2× as many through the model). Default 32. */
  readonly batch?: number
  /** Sum with the embedding of the horizontal flip before normalising. Default true. */
  readonly flip?: boolean
  /** Called after each batch. */
  readonly onProgress?: (p: EmbedProgress) => void
}

export interface Embeddings {
  /** [count, dim] row-major unit rows. */
  readonly data: Float32Array
  readonly count: number
  readonly dim: number
}

export const DEFAULT_BATCH = 32

/** The square input size S of a model with inputs `[image [N,S,S,3], yaw [N,1]]`, and its embedding size D. */
export const modelShape = (model: tfl.LayersModel): { readonly size: number; readonly dim: number } => {
  const image = model.inputs[0]?.shape
  if (image === undefined || image.length !== 4 || image[1] !== image[2] || image[3] !== 3 || typeof image[1] !== 'number') {
    throw new PamError(`model ${model.name}: expected an image input [N, S, S, 3], found [${image?.join(', ') ?? ''}]`)
  }
  const names = model.inputs.map((i) => i.name)
  if (model.inputs.length !== 2 || !/^yaw/.test(names[1])) {
    throw new PamError(`model ${model.name}: expected inputs (image, yaw), found (${names.join(', ')})`)
  }
  const out = model.outputs[0]?.shape
  if (model.outputs.length !== 1 || out === undefined || out.length !== 2 || typeof out[1] !== 'number') {
    throw new PamError(`model ${model.name}: expected one [N, D] embedding output, found [${out?.join(', ') ?? ''}]`)
  }
  return { size: image[1], dim: out[1] }
}

/** Rows of x divided by their L2 norm; zero rows stay zero. */
export const l2NormalizeTensor = (x: tf.Tensor2D): tf.Tensor2D =>
  tf.tidy(() => {
    const norm = tf.sqrt(tf.sum(tf.square(x), 1, true))
    const safe = tf.where(tf.equal(norm, 0), tf.onesLike(norm), norm)
    return tf.div(x, safe)
  })

/** Fills `pixels` (float, 0..255) and `yaw` with images [start, start + n) of `images` at size × size. */
const fillBatch = (images: ImageList, start: number, n: number, size: number, pixels: Float32Array, yaw: Float32Array): void => {
  const stride = size * size * 3
  for (let k = 0; k < n; k++) {
    const item = images.load(start + k)
    const img = item.image.width === size && item.image.height === size ? item.image : resizeBilinear(item.image, size, size)
    pixels.set(img.data, k * stride)
    yaw[k] = item.yaw
  }
}

/** One batch: [n, S, S, 3] pixels and [n] yaw → [n, D] unit embeddings (flip-fused or not). */
export const embedBatch = (model: tfl.LayersModel, pixels: Float32Array, yaw: Float32Array, n: number, size: number, flip: boolean): tf.Tensor2D =>
  tf.tidy(() => {
    const x = tf.tensor4d(pixels.subarray(0, n * size * size * 3), [n, size, size, 3])
    const y = tf.tensor2d(yaw.subarray(0, n), [n, 1])
    if (!flip) return l2NormalizeTensor(model.predict([x, y], { batchSize: n }) as tf.Tensor2D)
    const both = model.predict([tf.concat([x, tf.reverse(x, 2)]), tf.concat([y, tf.neg(y)])], { batchSize: 2 * n }) as tf.Tensor2D
    const [e, ef] = tf.split(both, 2, 0) as [tf.Tensor2D, tf.Tensor2D]
    return l2NormalizeTensor(tf.add(e, ef))
  })

/** Runs `model` over every image of `images` → [N, D] embeddings (see the module comment). */
export const embedImages = async (model: tfl.LayersModel, images: ImageList, options: EmbedOptions = {}): Promise<Embeddings> => {
  const batch = options.batch ?? DEFAULT_BATCH
  if (!Number.isInteger(batch) || batch < 1) throw new PamError(`embed: the batch size must be a positive integer, got ${batch}`)
  const flip = options.flip ?? true
  const { size, dim } = modelShape(model)
  const total = images.length
  const data = new Float32Array(total * dim)
  const pixels = new Float32Array(Math.min(batch, Math.max(total, 1)) * size * size * 3)
  const yaw = new Float32Array(Math.min(batch, Math.max(total, 1)))
  const t0 = performance.now()
  for (let start = 0; start < total; start += batch) {
    const n = Math.min(batch, total - start)
    fillBatch(images, start, n, size, pixels, yaw)
    const out = embedBatch(model, pixels, yaw, n, size, flip)
    try {
      data.set(await out.data(), start * dim)
    } finally {
      out.dispose()
    }
    if (options.onProgress) {
      const elapsedSeconds = (performance.now() - t0) / 1000
      const done = start + n
      options.onProgress({ done, total, elapsedSeconds, imagesPerSecond: done / Math.max(elapsedSeconds, 1e-9) })
    }
  }
  return { data, count: total, dim }
}
