/**
 * The one interface every training / evaluation image source implements: the synthetic set, an
 * image folder, MXNet RecordIO. The training loop reads examples by index, so the data order is
 * a permutation drawn from a seeded RNG and a resumed run sees the same order.
 */
import type { RgbImage } from '../image/codec'

export interface FaceExample {
  readonly image: RgbImage
  /** Yaw in degrees, in [-90, 90]. */
  readonly yaw: number
  /** Identity class, in [0, numClasses). */
  readonly label: number
  /** Where it came from (file path, `train.rec#123`): used in error messages. */
  readonly source: string
}

export interface FaceDataset {
  readonly size: number
  readonly numClasses: number
  /** Throws `PamError` naming the file and record when the example cannot be read. */
  get(index: number): FaceExample
}
