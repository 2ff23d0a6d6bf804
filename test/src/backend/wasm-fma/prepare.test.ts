import t from 'tap'
import { describeFma, fmaWanted, prepareWasmBinary } from '../../../../src/backend/wasm-fma/prepare'
import { LOAD_ABC, moduleWith, OP } from '../../../helpers/wasm-module'

const fusible = moduleWith([...LOAD_ABC, ...OP.i32Const0, ...OP.localGet(0), ...OP.localGet(1), ...OP.f32x4Mul, ...OP.localGet(2), ...OP.f32x4Add, ...OP.v128Store(48)])

t.test('fused when wanted and supported', async (t) => {
  const p = prepareWasmBinary(fusible, true, () => true)
  t.not(p.bytes, fusible)
  t.same(p.fma, { fused: true, counts: { madd: 1, nmadd: 0, functions: 1 } })
  t.equal(describeFma(p.fma), 'fused multiply-add (1 multiply-adds in 1 functions)')
})

t.test('otherwise the shipped bytes, with the reason', async (t) => {
  const off = prepareWasmBinary(fusible, false, () => true)
  t.equal(off.bytes, fusible)
  t.equal(describeFma(off.fma), 'no fused multiply-add: turned off by PAM_WASM_FMA')
  const old = prepareWasmBinary(fusible, true, () => false)
  t.equal(old.bytes, fusible)
  t.equal(describeFma(old.fma), `no fused multiply-add: this Node (${process.version}) has no WebAssembly relaxed SIMD`)
  const junk = new Uint8Array([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])
  const bad = prepareWasmBinary(junk, true, () => true)
  t.equal(bad.bytes, junk)
  t.equal(describeFma(bad.fma), "no fused multiply-add: the backend's binary could not be rewritten: unsupported WebAssembly binary version")
})

t.test('PAM_WASM_FMA', async (t) => {
  t.equal(fmaWanted({}), true)
  t.equal(fmaWanted({ PAM_WASM_FMA: '' }), true)
  t.equal(fmaWanted({ PAM_WASM_FMA: 'on' }), true)
  for (const v of ['0', 'off', 'False', 'NO']) t.equal(fmaWanted({ PAM_WASM_FMA: v }), false, v)
})
