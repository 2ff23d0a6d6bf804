/**
 * The face backbones as compositions: face.evoLVe's IR (`model_irse.py`) and insightface's
 * iResNet (`iresnet.py`), with optional blocks after any stage (PAM) and after the embedding
 * (DREAM). `[N,H,W,3] pixels in 0..255 → [N,embedding]`.
 */
import type { Block, Child } from '../dsl/block'
import { named, sequence } from '../dsl/combinators'
import { residualStage } from '../dsl/design'
import { batchNorm, conv2d, dense, dropout, flatten, normalize, prelu } from '../dsl/primitives'

export type Family = 'ir' | 'iresnet'

/** Units per stage of each depth (both families share them; IR-101 is the 100-layer net). */
export const DEPTHS: Readonly<Record<number, readonly [number, number, number, number]>> = {
  18: [2, 2, 2, 2],
  34: [3, 4, 6, 3],
  50: [3, 4, 14, 3],
  100: [3, 13, 30, 3],
  152: [3, 8, 36, 3],
}

export interface BackboneOptions {
  readonly family?: Family
  /** Units in each of the four stages. */
  readonly units: readonly [number, number, number, number]
  /** Multiplies the stage widths 64, 128, 256, 512 (rounded, at least 1). */
  readonly width?: number
  readonly embedding?: number
  /** Dropout before the embedding layer (face.evoLVe: PyTorch's default 0.5; iResNet: 0). */
  readonly dropout?: number
  /** Blocks inserted after the last unit of stage 1-4 (PAM). */
  readonly after?: Readonly<Partial<Record<1 | 2 | 3 | 4, Block>>>
  /** A block applied to the embedding (DREAM). */
  readonly onEmbedding?: Block
}

export const stageWidths = (width = 1): readonly number[] => [64, 128, 256, 512].map((c) => Math.max(1, Math.round(c * width)))

/**
 * The whole network. Paths: `input` (pixel normalisation), `stem`, `stage1`…`stage4` (units
 * `unit0`…), `pam1`…`pam4` where given, `head`, `dream` where given.
 */
export const backbone = (o: BackboneOptions): Block => {
  const family = o.family ?? 'ir'
  const widths = stageWidths(o.width)
  const children: Child[] = [
    // the paper normalises as (x − 127.5) / 128; insightface as (x / 255 − 0.5) / 0.5
    named('input', family === 'ir' ? normalize(127.5, 128) : normalize(127.5, 127.5)),
    named('stem', sequence(conv2d(widths[0], 3), batchNorm(), prelu())),
  ]
  o.units.forEach((n, i) => {
    children.push(named(`stage${i + 1}`, residualStage(n, widths[i], { unit: family === 'ir' ? 'ir' : 'iresnet' })))
    const extra = o.after?.[(i + 1) as 1 | 2 | 3 | 4]
    if (extra) children.push(named(`pam${i + 1}`, extra))
  })
  const embedding = o.embedding ?? 512
  const head =
    family === 'ir'
      ? sequence(batchNorm(), dropout(o.dropout ?? 0.5), flatten, dense(embedding), batchNorm())
      : sequence(batchNorm(), dropout(o.dropout ?? 0), flatten, dense(embedding), batchNorm({ scale: 'fixed' }))
  children.push(named('head', head))
  if (o.onEmbedding) children.push(named('dream', o.onEmbedding))
  return sequence(...children)
}
