/**
 * Image decoding and encoding without native code: JPEG through jpeg-js, PNG through pngjs.
 *
 * Pixels are always interleaved 8-bit RGB (`data.length === width * height * 3`): the layout a
 * `[H, W, 3]` tensor expects, so no alpha channel is ever carried past this module.
 */
import * as jpeg from 'jpeg-js'
import { PNG } from 'pngjs'
import { PamError } from '../util/errors'

export interface RgbImage {
  readonly width: number
  readonly height: number
  /** Row-major, interleaved RGB, 3 bytes a pixel. */
  readonly data: Uint8Array
}

const isJpeg = (b: Uint8Array): boolean => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff
const isPng = (b: Uint8Array): boolean =>
  b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47

const rgbaToRgb = (rgba: Uint8Array, width: number, height: number): Uint8Array => {
  const out = new Uint8Array(width * height * 3)
  for (let i = 0, j = 0; i < width * height; i++, j += 4) {
    out[i * 3] = rgba[j]
    out[i * 3 + 1] = rgba[j + 1]
    out[i * 3 + 2] = rgba[j + 2]
  }
  return out
}

/**
 * Decodes a JPEG or PNG held in memory. `source` names the file or record in the error message.
 * Throws `PamError` when the bytes are neither format or do not decode.
 */
export const decodeImage = (bytes: Uint8Array, source: string): RgbImage => {
  try {
    if (isJpeg(bytes)) {
      const img = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 1024 })
      const channels = img.data.length / (img.width * img.height)
      const data = channels === 3 ? new Uint8Array(img.data) : rgbaToRgb(img.data, img.width, img.height)
      return { width: img.width, height: img.height, data }
    }
    if (isPng(bytes)) {
      const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
      return { width: png.width, height: png.height, data: rgbaToRgb(png.data, png.width, png.height) }
    }
  } catch (e) {
    throw new PamError(`${source}: image does not decode (${(e as Error).message})`)
  }
  throw new PamError(`${source}: image does not decode (neither JPEG nor PNG; ${bytes.length} bytes)`)
}

/** Encodes interleaved RGB as PNG bytes. */
export const encodePng = (img: RgbImage): Buffer => {
  const png = new PNG({ width: img.width, height: img.height })
  for (let i = 0; i < img.width * img.height; i++) {
    png.data[i * 4] = img.data[i * 3]
    png.data[i * 4 + 1] = img.data[i * 3 + 1]
    png.data[i * 4 + 2] = img.data[i * 3 + 2]
    png.data[i * 4 + 3] = 255
  }
  return PNG.sync.write(png)
}
