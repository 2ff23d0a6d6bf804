import t from 'tap'
import { enableRelaxedSimd, RELAXED_MADD_PROBE } from '../../../../src/backend/wasm-fma/relaxed-simd'

const W = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly

t.test('relaxed SIMD is on after enableRelaxedSimd (Node 20: behind a V8 flag set at run time)', async (t) => {
  t.equal(enableRelaxedSimd(), true)
  t.equal(W.validate(RELAXED_MADD_PROBE), true)
  t.equal(enableRelaxedSimd(), true, 'idempotent')
})
