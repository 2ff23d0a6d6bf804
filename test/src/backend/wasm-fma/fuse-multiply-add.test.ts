import t from 'tap'
import * as fs from 'fs'
import * as path from 'path'
import { fuseMultiplyAdd } from '../../../../src/backend/wasm-fma/fuse-multiply-add'
import { WasmFormatError } from '../../../../src/backend/wasm-fma/leb128'
import { enableRelaxedSimd } from '../../../../src/backend/wasm-fma/relaxed-simd'
import { LOAD_ABC, moduleWith, OP, runWith, validate } from '../../../helpers/wasm-module'

const relaxed = enableRelaxedSimd()
const store = (expr: number[]) => [...OP.i32Const0, ...expr, ...OP.v128Store(48)]

// a·b = 1 + 2⁻¹¹ + 2⁻²⁴ is a tie in float32 and rounds to 1 + 2⁻¹¹; a·b + c is then 0 when the
// product is rounded, and exactly 2⁻²⁴ when it is not (one fused multiply-add).
const A = Array(4).fill(1 + 2 ** -12)
const C = Array(4).fill(-(1 + 2 ** -11))
const UNFUSED = [0, 0, 0, 0]
const FUSED = Array(4).fill(2 ** -24)

const has = (bytes: Uint8Array, seq: number[]): boolean => {
  outer: for (let i = 0; i + seq.length <= bytes.length; i++) {
    for (let j = 0; j < seq.length; j++) if (bytes[i + j] !== seq[j]) continue outer
    return true
  }
  return false
}
const MADD = [0xfd, 0x85, 0x02]
const NMADD = [0xfd, 0x86, 0x02]

t.test('mul; local.get c; add  →  local.get c; relaxed_madd (a·b + c)', async (t) => {
  const before = moduleWith([...LOAD_ABC, ...store([...OP.localGet(0), ...OP.localGet(1), ...OP.f32x4Mul, ...OP.localGet(2), ...OP.f32x4Add])])
  t.same(runWith(before, A, A, C), UNFUSED)
  const after = fuseMultiplyAdd(before)
  t.same(after.counts, { madd: 1, nmadd: 0, functions: 1 })
  t.ok(has(after.bytes, [...OP.localGet(2), ...MADD]))
  t.equal(after.bytes.length, before.length - 3, 'the mul and add became one instruction, no new locals')
  t.ok(relaxed, 'this Node has relaxed SIMD')
  t.same(runWith(after.bytes, A, A, C), FUSED, 'one rounding: the fused result')
  t.same(runWith(after.bytes, [1, 2, 3, 4], [5, 6, 7, 8], [1, 1, 1, 1]), [6, 13, 22, 33])
})

t.test('c; a; b; mul; add  →  scratch locals keep the order; c + a·b', async (t) => {
  const before = moduleWith([...LOAD_ABC, ...store([...OP.localGet(2), ...OP.localGet(0), ...OP.localGet(1), ...OP.f32x4Mul, ...OP.f32x4Add])])
  t.same(runWith(before, A, A, C), UNFUSED)
  const after = fuseMultiplyAdd(before)
  t.same(after.counts, { madd: 1, nmadd: 0, functions: 1 })
  // locals 3, 4, 5 are the new scratch locals after the three declared ones
  const reorder = [...OP.localSet(5), ...OP.localSet(4), ...OP.localSet(3), ...OP.localGet(4), ...OP.localGet(5), ...OP.localGet(3), ...MADD]
  t.ok(has(after.bytes, reorder))
  t.ok(has(after.bytes, [0x02, 0x03, 0x7b, 0x03, 0x7b]), 'locals: the three declared v128, then three more')
  t.same(runWith(after.bytes, A, A, C), FUSED)
  t.same(runWith(after.bytes, [1, 2, 3, 4], [5, 6, 7, 8], [1, 1, 1, 1]), [6, 13, 22, 33])
})

t.test('c; a; b; mul; sub  →  relaxed_nmadd (c − a·b)', async (t) => {
  const before = moduleWith([...LOAD_ABC, ...store([...OP.localGet(2), ...OP.localGet(0), ...OP.localGet(1), ...OP.f32x4Mul, ...OP.f32x4Sub])])
  const after = fuseMultiplyAdd(before)
  t.same(after.counts, { madd: 0, nmadd: 1, functions: 1 })
  t.ok(has(after.bytes, NMADD))
  const negC = C.map((x) => -x)
  t.same(runWith(before, A, A, negC), UNFUSED)
  t.same(runWith(after.bytes, A, A, negC), FUSED.map((x) => -x))
  t.same(runWith(after.bytes, [1, 2, 3, 4], [5, 6, 7, 8], [1, 1, 1, 1]), [-4, -11, -20, -31])
})

t.test('what does not fuse is left byte for byte', async (t) => {
  // a·b − c has no relaxed form (nmadd is c − a·b); a mul that is stored is no multiply-add
  const mulThenSub = moduleWith([...LOAD_ABC, ...store([...OP.localGet(0), ...OP.localGet(1), ...OP.f32x4Mul, ...OP.localGet(2), ...OP.f32x4Sub])])
  const mulAlone = moduleWith([...LOAD_ABC, ...store([...OP.localGet(0), ...OP.localGet(1), ...OP.f32x4Mul])])
  for (const m of [mulThenSub, mulAlone]) {
    const r = fuseMultiplyAdd(m)
    t.equal(r.bytes, m, 'the same array back')
    t.same(r.counts, { madd: 0, nmadd: 0, functions: 0 })
  }
})

t.test('immediates that look like opcodes are stepped over, not matched', async (t) => {
  // a v128.const whose 16 bytes hold the byte pattern of `f32x4.mul; f32x4.add`
  const lookalike = [0xfd, 0xe6, 0x01, 0xfd, 0xe4, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
  const m = moduleWith([...LOAD_ABC, ...store(OP.v128Const(lookalike))])
  t.equal(fuseMultiplyAdd(m).bytes, m)
})

t.test('errors name what is wrong and where', async (t) => {
  t.throws(() => fuseMultiplyAdd(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])), new WasmFormatError('not a WebAssembly module (no \\0asm header)'))
  const m = moduleWith([...LOAD_ABC, ...store([...OP.localGet(0)])])
  const truncated = m.subarray(0, m.length - 4)
  t.throws(() => fuseMultiplyAdd(truncated), { message: /section 10 runs past the end of the module/ })
  // 0xff is no opcode; it sits where the code starts, after the locals (3 bytes) of the body
  const bad = moduleWith([0xff])
  t.throws(() => fuseMultiplyAdd(bad), { message: `unknown opcode 0xff at byte ${bad.length - 2}` })
})

const backendBinary = (name: string) =>
  new Uint8Array(fs.readFileSync(path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist', name)))

t.test("tfjs-backend-wasm's SIMD binaries: XNNPACK's multiply-adds fuse and the result validates", async (t) => {
  for (const name of ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm']) {
    const original = backendBinary(name)
    const fused = fuseMultiplyAdd(original)
    t.ok(fused.counts.madd > 1000, `${name}: ${fused.counts.madd} multiply-adds in ${fused.counts.functions} functions`)
    t.ok(validate(fused.bytes), `${name}: valid`)
    t.same(fuseMultiplyAdd(fused.bytes).counts, { madd: 0, nmadd: 0, functions: 0 }, `${name}: a second pass finds nothing`)
  }
  const plain = backendBinary('tfjs-backend-wasm.wasm')
  t.equal(fuseMultiplyAdd(plain).bytes, plain, 'the build without SIMD has nothing to fuse')
})
