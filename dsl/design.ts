/**
 * The design's named blocks: the pieces the paper is made of. Each is plain data; `./expand`
 * turns it into primitives and combinators once its input shape is known.
 */
import type { ChannelAttention, DepthwiseResidual, Gate, ResidualStage, Shortcut } from './block'
import { softGate } from './combinators'

/** DRM (paper §3.1): `x + S(yaw) · R(x)`; defaults: depthwise 3×3, the paper's soft gate. */
export const depthwiseResidual = (
  o: { readonly kernel?: number; readonly gate?: Gate; readonly conv?: DepthwiseResidual['conv'] } = {},
): DepthwiseResidual => ({
  _tag: 'DepthwiseResidual',
  kernel: o.kernel ?? 3,
  gate: o.gate ?? softGate(),
  conv: o.conv ?? 'depthwise',
})

/** CAM (paper §3.3); defaults: CBAM squeeze, reduction 16, without identity mapping. */
export const channelAttention = (
  o: { readonly squeeze?: ChannelAttention['squeeze']; readonly reduction?: number; readonly identity?: boolean } = {},
): ChannelAttention => ({
  _tag: 'ChannelAttention',
  squeeze: o.squeeze ?? 'cbam',
  reduction: o.reduction ?? 16,
  identity: o.identity ?? false,
})

/** A stage of `units` residual units to `filters` channels; the first unit has `stride` (default 2). */
export const residualStage = (
  units: number,
  filters: number,
  o: { readonly stride?: number; readonly unit?: ResidualStage['unit'] } = {},
): ResidualStage => ({ _tag: 'ResidualStage', units, filters, stride: o.stride ?? 2, unit: o.unit ?? 'ir' })

/** A residual unit's shortcut (see `Shortcut`). */
export const shortcut = (filters: number, stride: number, policy: Shortcut['policy'] = 'evolve'): Shortcut => ({
  _tag: 'Shortcut',
  filters,
  stride,
  policy,
})
