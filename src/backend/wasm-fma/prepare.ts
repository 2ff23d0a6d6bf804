/**
 * The wasm backend's binary as this project runs it: with multiply-adds fused when the user
 * has not turned that off and this Node supports relaxed SIMD, else unchanged, with the reason.
 */
import { fuseMultiplyAdd, FusionCounts } from './fuse-multiply-add'
import { enableRelaxedSimd } from './relaxed-simd'

export type FmaStatus = { readonly fused: true; readonly counts: FusionCounts } | { readonly fused: false; readonly reason: string }

export interface PreparedBinary {
  readonly bytes: Uint8Array
  readonly fma: FmaStatus
}

/** `PAM_WASM_FMA=0` (or `off`, `false`, `no`) keeps the backend's binary as shipped. */
export const fmaWanted = (env: NodeJS.ProcessEnv = process.env): boolean => !/^(0|off|false|no)$/i.test((env.PAM_WASM_FMA ?? '').trim())

export const prepareWasmBinary = (bytes: Uint8Array, wanted: boolean, relaxedSimd: () => boolean = enableRelaxedSimd): PreparedBinary => {
  if (!wanted) return { bytes, fma: { fused: false, reason: 'turned off by PAM_WASM_FMA' } }
  if (!relaxedSimd()) return { bytes, fma: { fused: false, reason: `this Node (${process.version}) has no WebAssembly relaxed SIMD` } }
  try {
    const fused = fuseMultiplyAdd(bytes)
    return { bytes: fused.bytes, fma: { fused: true, counts: fused.counts } }
  } catch (e) {
    return { bytes, fma: { fused: false, reason: `the backend's binary could not be rewritten: ${(e as Error).message}` } }
  }
}

export const describeFma = (s: FmaStatus): string =>
  s.fused ? `fused multiply-add (${s.counts.madd + s.counts.nmadd} multiply-adds in ${s.counts.functions} functions)` : `no fused multiply-add: ${s.reason}`
