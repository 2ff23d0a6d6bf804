/**
 * Tiny hand-assembled WebAssembly modules for the FMA pass's tests: one exported function `f`
 * (no parameters) over an exported one-page memory `m`, so v128 values go in and out through
 * memory (JavaScript cannot pass v128 arguments).
 */
import { encodeU32 } from '../../src/backend/wasm-fma/leb128'

export const OP = {
  i32Const0: [0x41, 0x00],
  localGet: (i: number) => [0x20, ...encodeU32(i)],
  localSet: (i: number) => [0x21, ...encodeU32(i)],
  v128Load: (offset: number) => [0xfd, 0x00, 0x04, ...encodeU32(offset)],
  v128Store: (offset: number) => [0xfd, 0x0b, 0x04, ...encodeU32(offset)],
  f32x4Add: [0xfd, 0xe4, 0x01],
  f32x4Sub: [0xfd, 0xe5, 0x01],
  f32x4Mul: [0xfd, 0xe6, 0x01],
  v128Const: (bytes: number[]) => [0xfd, 0x0c, ...bytes],
  end: [0x0b],
} as const

const section = (id: number, content: number[]) => [id, ...encodeU32(content.length), ...content]

/** A module whose `f` has `v128Locals` v128 locals and runs `code` (an `end` is appended). */
export const moduleWith = (code: number[], v128Locals = 3): Uint8Array => {
  const locals = v128Locals > 0 ? [0x01, ...encodeU32(v128Locals), 0x7b] : [0x00]
  const body = [...locals, ...code, ...OP.end]
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x00, 0x00]), // type 0: () → ()
    ...section(3, [0x01, 0x00]), // one function of type 0
    ...section(5, [0x01, 0x00, 0x01]), // one memory of one page
    ...section(7, [0x02, 0x01, 0x66, 0x00, 0x00, 0x01, 0x6d, 0x02, 0x00]), // export "f", "m"
    ...section(10, [0x01, ...encodeU32(body.length), ...body]),
  ])
}

/** Locals 0, 1, 2 ← the v128 values at bytes 0, 16, 32 of memory. */
export const LOAD_ABC = [0, 1, 2].flatMap((i) => [...OP.i32Const0, ...OP.v128Load(16 * i), ...OP.localSet(i)])

interface WasmGlobal {
  validate(b: Uint8Array): boolean
  Module: new (b: Uint8Array) => object
  Instance: new (m: object, imports: object) => { exports: { f(): void; m: { buffer: ArrayBuffer } } }
}
const W = (globalThis as unknown as { WebAssembly: WasmGlobal }).WebAssembly

/** Runs `f` with a, b, c (four lanes each) at bytes 0, 16, 32 and returns the four lanes at 48. */
export const runWith = (bytes: Uint8Array, a: number[], b: number[], c: number[]): number[] => {
  const instance = new W.Instance(new W.Module(bytes), {})
  const mem = new Float32Array(instance.exports.m.buffer)
  mem.set([...a, ...b, ...c], 0)
  instance.exports.f()
  return Array.from(mem.subarray(12, 16))
}

/** `WebAssembly.validate` (the project compiles without DOM typings). */
export const validate = (bytes: Uint8Array): boolean => W.validate(bytes)
