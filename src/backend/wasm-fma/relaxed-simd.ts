/**
 * Whether this Node can run WebAssembly relaxed SIMD, turning it on where it is behind a flag.
 *
 * V8 ships relaxed SIMD from 11.4 (Node 21 and later); Node 20's V8 11.3 has it complete behind
 * `--experimental-wasm-relaxed-simd`. V8 reads wasm feature flags when it validates a module, so
 * setting the flag at run time, before the backend's module is compiled, is enough (the test of
 * this file checks that it is, on the Node that runs it).
 */
import * as v8 from 'v8'

// The sliver of the WebAssembly API used here (the project compiles without DOM typings).
const wasm = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly

/** (func (param v128 v128 v128) (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd) */
export const RELAXED_MADD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // header
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type section: (v128 v128 v128) → v128
  0x03, 0x02, 0x01, 0x00, // function section: one function of type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // code
])

/** True when relaxed SIMD validates, after turning on V8's flag if it was needed. */
export const enableRelaxedSimd = (): boolean => {
  if (wasm.validate(RELAXED_MADD_PROBE)) return true
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd')
  return wasm.validate(RELAXED_MADD_PROBE)
}
