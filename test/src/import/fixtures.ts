/** The committed `pam import` fixtures (scripts/fixtures/import/make_import_fixtures.py) and helpers. */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import { decodeImage } from '../../../src/image/codec'

/** Compiled to dist/test/src/import, four levels below the root. */
export const fixtureDir = path.join(__dirname, '../../../../test/fixtures/import')

export const fixturePath = (name: string): string => path.join(fixtureDir, name)

export interface FixtureSet {
  readonly family: 'evolve' | 'insightface'
  readonly model: string
  readonly files: readonly string[]
  /** The state_dict keys in PyTorch's order. */
  readonly keys: readonly string[]
  /** PyTorch's eval-mode embedding of each image, float64. */
  readonly embeddings: readonly (readonly number[])[]
}

export interface Expected {
  readonly size: number
  readonly width: number
  readonly embedding: number
  readonly images: readonly string[]
  readonly fixtures: { readonly evolve: FixtureSet; readonly insightface: FixtureSet }
}

export const expected: Expected = JSON.parse(fs.readFileSync(fixturePath('expected.json'), 'utf8'))

/** The fixture images as one `[N, S, S, 3]` batch of pixels 0..255. */
export const imageBatch = (): tf.Tensor4D => {
  const imgs = expected.images.map((n) => decodeImage(new Uint8Array(fs.readFileSync(fixturePath(n))), n))
  const data = new Float32Array(imgs.length * expected.size * expected.size * 3)
  imgs.forEach((img, i) => data.set(img.data, i * img.data.length))
  return tf.tensor4d(data, [imgs.length, expected.size, expected.size, 3])
}

/** Eval-mode embeddings (yaw 0) of the fixture images; a loaded model may lack the unused yaw input. */
export const embed = async (model: tfl.LayersModel): Promise<Float32Array> => {
  const x = imageBatch()
  const yaw = tf.zeros([x.shape[0], 1])
  const y = model.predict(model.inputs.length === 1 ? x : [x, yaw]) as tf.Tensor
  const out = (await y.data()) as Float32Array
  tf.dispose([x, yaw, y])
  return out
}

/** max |a − b| / max |b|: the error relative to the embedding's scale. */
export const relError = (a: ArrayLike<number>, b: readonly (readonly number[])[]): number => {
  const flat = b.flat()
  let diff = 0
  let scale = 0
  flat.forEach((v, i) => {
    diff = Math.max(diff, Math.abs(a[i] - v))
    scale = Math.max(scale, Math.abs(v))
  })
  return diff / scale
}

export const tmpDir = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'pam-import-'))

/** The message of the error `f` rejects with (and its class name), or fails. */
export const rejected = async (f: () => Promise<unknown>): Promise<{ name: string; message: string }> => {
  try {
    await f()
  } catch (e) {
    return { name: (e as Error).name, message: (e as Error).message }
  }
  throw new Error('expected an error')
}

/** Collects what a command logs. */
export const collector = (): { readonly lines: string[]; readonly log: (l: string) => void } => {
  const lines: string[] = []
  return { lines, log: (l) => lines.push(l) }
}
