/**
 * Bilinear resizing of interleaved RGB, pixel-centre aligned (as `tf.image.resizeBilinear` with
 * `halfPixelCenters`, and PIL / OpenCV's default), in plain TypeScript so that data loading
 * allocates no tensor.
 */
import type { RgbImage } from './codec'

export const resizeBilinear = (img: RgbImage, width: number, height: number): RgbImage => {
  if (img.width === width && img.height === height) return img
  const out = new Uint8Array(width * height * 3)
  const sx = img.width / width
  const sy = img.height / height
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1)
    const y0 = Math.floor(fy)
    const y1 = Math.min(y0 + 1, img.height - 1)
    const wy = fy - y0
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1)
      const x0 = Math.floor(fx)
      const x1 = Math.min(x0 + 1, img.width - 1)
      const wx = fx - x0
      for (let c = 0; c < 3; c++) {
        const a = img.data[(y0 * img.width + x0) * 3 + c]
        const b = img.data[(y0 * img.width + x1) * 3 + c]
        const d = img.data[(y1 * img.width + x0) * 3 + c]
        const e = img.data[(y1 * img.width + x1) * 3 + c]
        out[(y * width + x) * 3 + c] = Math.round((a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy)
      }
    }
  }
  return { width, height, data: out }
}
