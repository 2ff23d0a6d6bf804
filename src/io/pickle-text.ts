/**
 * The text arguments of protocol-0 opcodes (INT, LONG, FLOAT, STRING, UNICODE).
 *
 * Binary protocols never need these, but Python 2's default protocol is 0 and old tools wrote
 * with it; each parser returns `undefined` on malformed text and the unpickler reports the
 * opcode and offset.
 */
import { latin1 } from './byte-cursor'

/** A Python int as a number when exact, else a bigint (pickles carry arbitrary precision). */
export const normaliseInt = (v: bigint): number | bigint =>
  v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v

/** `I` and `L` lines: decimal, `L` may carry Python 2's trailing `L`. */
export const parseDecimal = (text: string): number | bigint | undefined => {
  const t = text.endsWith('L') ? text.slice(0, -1) : text
  return /^[+-]?\d+$/.test(t) ? normaliseInt(BigInt(t)) : undefined
}

/** `F` lines use `repr(float)`, which spells the specials `inf` and `nan`. */
export const parseFloatText = (text: string): number | undefined => {
  const specials: Record<string, number> = { inf: Infinity, '-inf': -Infinity, nan: NaN }
  if (text in specials) return specials[text]
  const v = Number(text)
  return text.trim() !== '' && !Number.isNaN(v) ? v : undefined
}

const simpleEscapes: Record<string, number> = {
  '\\': 0x5c, "'": 0x27, '"': 0x22, n: 0x0a, t: 0x09, r: 0x0d, a: 0x07, b: 0x08, f: 0x0c, v: 0x0b,
}

/**
 * `S` lines hold `repr(str)`: quoted, with Python escapes. Returns the raw bytes, as Python 3's
 * unpickler does with `encoding='bytes'`.
 */
export const parseStringRepr = (raw: Uint8Array): Uint8Array | undefined => {
  const text = latin1(raw)
  const q = text[0]
  if (text.length < 2 || (q !== "'" && q !== '"') || text[text.length - 1] !== q) return undefined
  const body = text.slice(1, -1)
  const out: number[] = []
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]
    if (ch !== '\\') {
      out.push(body.charCodeAt(i))
      continue
    }
    const e = body[++i]
    if (e === undefined) return undefined
    if (e in simpleEscapes) out.push(simpleEscapes[e])
    else if (e === 'x') {
      const hex = body.slice(i + 1, i + 3)
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined
      out.push(parseInt(hex, 16))
      i += 2
    } else if (/[0-7]/.test(e)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))![0]
      out.push(parseInt(oct, 8) & 0xff)
      i += oct.length - 1
    } else if (e === '\n') {
      // a backslash-newline continues the line and stands for nothing
    } else out.push(0x5c, body.charCodeAt(i))
  }
  return Uint8Array.from(out)
}

/** `V` lines are raw-unicode-escape: Latin-1 bytes plus `\uXXXX` and `\UXXXXXXXX`. */
export const parseRawUnicodeEscape = (raw: Uint8Array): string => {
  const text = latin1(raw)
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_m, u4: string | undefined, u8: string | undefined) =>
    String.fromCodePoint(parseInt((u4 ?? u8)!, 16)),
  )
}

/** Little-endian two's complement, as LONG1 and LONG4 store ints. */
export const parseLongBytes = (b: Uint8Array): number | bigint => {
  if (b.length === 0) return 0
  let v = 0n
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i])
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length)
  return normaliseInt(v)
}
