/** Tiny models, synthetic face images and `.bin` pair sets for the inference, eval and embed tests. */
import * as E from 'fp-ts/Either'
import * as fs from 'fs'
import * as path from 'path'
import type * as tfl from '@tensorflow/tfjs-layers'
import { compile } from '../../../dsl/compile/compile'
import { buildModel } from '../../../models/zoo'
import { encodePng, type RgbImage } from '../../../src/image/codec'
import { saveModel } from '../../../src/persist/model-dir'
import { writeModelInfo } from '../../../src/persist/model-info'

export const TINY = { name: 'IR18+PAM12', size: 16, width: 1 / 16, embedding: 8 } as const

/** `--model` flags that build the tiny model in the commands. */
export const TINY_FLAGS = ['--model', TINY.name, '--size', String(TINY.size), '--width', '0.0625', '--embedding', String(TINY.embedding)]

export const tinyModel = (seed = 0): tfl.LayersModel => {
  const block = E.getOrElseW((e: string) => {
    throw new Error(e)
  })(buildModel(TINY.name, { size: TINY.size, width: TINY.width, embedding: TINY.embedding }))
  return E.getOrElseW(() => {
    throw new Error('compile failed')
  })(compile(block, { input: [TINY.size, TINY.size, 3], seed }))
}

/** Saves a tiny model (with pam.json) into `dir`, as `pam train` would. */
export const saveTinyCheckpoint = async (dir: string, seed = 0): Promise<void> => {
  const model = tinyModel(seed)
  await saveModel(model, dir)
  writeModelInfo(dir, { model: TINY.name, size: TINY.size, width: TINY.width, embedding: TINY.embedding, dropout: 0 })
  model.dispose()
}

/** A deterministic, non-symmetric size × size image: identity `id` plus a little per-image noise. */
export const synthImage = (id: number, variant: number, size: number = TINY.size): RgbImage => {
  const data = new Uint8Array(size * size * 3)
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++)
      for (let c = 0; c < 3; c++) {
        const base = (Math.sin((x + 1) * (id + 1) * 0.37 + c) * 0.5 + 0.5) * 160 + (y * 40) / size + x * 2
        const noise = (((x * 31 + y * 17 + c * 7 + variant * 101) * 2654435761) >>> 0) % 23
        data[(y * size + x) * 3 + c] = Math.min(255, Math.round(base + noise))
      }
  return { width: size, height: size, data }
}

/** Protocol-3 pickle of (list of bytes, list of bools): an insightface `.bin` as Python 3 writes it. */
export const encodeBin = (images: readonly Uint8Array[], issame: readonly boolean[]): Uint8Array => {
  const parts: number[] = [0x80, 0x03, 0x5d, 0x28] // PROTO 3, EMPTY_LIST, MARK
  for (const img of images) {
    parts.push(0x42, img.length & 0xff, (img.length >>> 8) & 0xff, (img.length >>> 16) & 0xff, (img.length >>> 24) & 0xff) // BINBYTES
    for (const b of img) parts.push(b)
  }
  parts.push(0x65, 0x5d, 0x28) // APPENDS, EMPTY_LIST, MARK
  for (const s of issame) parts.push(s ? 0x88 : 0x89) // NEWTRUE / NEWFALSE
  parts.push(0x65, 0x86, 0x2e) // APPENDS, TUPLE2, STOP
  return Uint8Array.from(parts)
}

/** `pairs` pairs alternating same / different of synthetic PNG images of side `size`; returns the file. */
export const writeSynthBin = (file: string, pairs = 20, size = 20): string => {
  const images: Uint8Array[] = []
  const issame: boolean[] = []
  for (let p = 0; p < pairs; p++) {
    const same = p % 2 === 0
    images.push(new Uint8Array(encodePng(synthImage(p, 0, size))), new Uint8Array(encodePng(synthImage(same ? p : p + 1000, 1, size))))
    issame.push(same)
  }
  fs.mkdirSync(path.dirname(file), { recursive: true })
  fs.writeFileSync(file, encodeBin(images, issame))
  return file
}

/** Runs `f` and returns the message of the PamError it rejects with (fails on success or another error). */
export const rejection = async (f: () => Promise<unknown>): Promise<string> => {
  try {
    await f()
  } catch (e) {
    if ((e as Error).name !== 'PamError') throw e
    return (e as Error).message
  }
  throw new Error('expected a PamError')
}
