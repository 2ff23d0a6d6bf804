/**
 * PAM, the Pose Attention Module (paper §3): DRM then CAM, placed after a stage of the backbone.
 * `[N,H,W,C] → [N,H,W,C]`, reading the side input `yaw`.
 */
import type { Block, Gate } from '../dsl/block'
import { constantGate, labeled, named, sequence, softGate } from '../dsl/combinators'
import { channelAttention, depthwiseResidual } from '../dsl/design'

export interface PamOptions {
  /** DRM convolutions: depthwise (PAM-D, the paper's choice) or full C→C (PAM-C). */
  readonly conv?: 'depthwise' | 'full'
  /** CAM squeeze: CBAM (avg + max, the paper's choice) or SE (avg only). */
  readonly squeeze?: 'cbam' | 'se'
  /** CAM with identity mapping, `y + y ⊙ σ(…)` (the paper's choice is without). */
  readonly identity?: boolean
  /** The soft gate (default: the paper's, k = 10, centre 45°, on yaw); `constantGate(1)` ablates it. */
  readonly gate?: Gate
  /** Which submodules (Table 5): both (default), DRM only, CAM only. */
  readonly modules?: 'both' | 'drm' | 'cam'
  readonly kernel?: number
  readonly reduction?: number
}

export const pam = (o: PamOptions = {}): Block => {
  const modules = o.modules ?? 'both'
  const drm = named('drm', depthwiseResidual({ kernel: o.kernel ?? 3, conv: o.conv ?? 'depthwise', gate: o.gate ?? softGate() }))
  const cam = named('cam', channelAttention({ squeeze: o.squeeze ?? 'cbam', reduction: o.reduction ?? 16, identity: o.identity ?? false }))
  const parts = modules === 'both' ? [drm, cam] : modules === 'drm' ? [drm] : [cam]
  return labeled('PAM', sequence(...parts))
}

/** The "w/o soft gate" ablation's gate (Table 4). */
export const noGate: Gate = constantGate(1)
