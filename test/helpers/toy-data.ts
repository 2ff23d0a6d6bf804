/** A small in-memory FaceDataset: each identity a colour and a stripe, so it can be learnt fast. */
import type { FaceDataset } from '../../src/data/dataset'
import { createRng } from '../../src/util/rng'

export const toyDataset = (identities: number, perIdentity: number, size: number, seed = 0): FaceDataset => {
  const rng = createRng(seed)
  const examples = Array.from({ length: identities * perIdentity }, (_, i) => {
    const label = Math.floor(i / perIdentity)
    const data = new Uint8Array(size * size * 3)
    for (let p = 0; p < size * size; p++) {
      const stripe = Math.floor(p / size) % identities === label ? 120 : 0
      data[p * 3] = (label * 53 + stripe + rng.next() * 40) % 256
      data[p * 3 + 1] = (label * 97 + rng.next() * 40) % 256
      data[p * 3 + 2] = (label * 31 + stripe + rng.next() * 40) % 256
    }
    return { image: { width: size, height: size, data }, yaw: (i % 7) * 15 - 45, label, source: `toy#${i}` }
  })
  return { size: examples.length, numClasses: identities, get: (i) => examples[i] }
}
