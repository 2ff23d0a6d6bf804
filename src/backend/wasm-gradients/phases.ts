/**
 * The input gradient of a strided convolution without convolving zeros.
 *
 * With stride s, input row i = s·a + r receives dy only through the taps k ≡ (r + top) mod s.
 * Each of the s×s phases (r, c) is therefore a stride-1 convolution of dy itself with a small
 * flipped sub-filter; stacking all phases as output channels of ONE convolution, then a
 * depth-to-space transpose, interleaves them back. For a 3×3 stride-2 layer that costs 16 taps of work per
 * output-grid point instead of the 36 that a zero-inserted dy costs (forward: 9), measured ~2.3×
 * faster than zero insertion on the IR nets' stride-2 layers.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core'
import type { ConvGeometry } from './geometry'
import type { KernelOps, WasmBackendLike } from './kernel-scope'

/** One axis: which filter tap each phase reads at each offset of a shared window over dy. */
export interface PhasePlan {
  /** Window length over dy. */
  readonly window: number
  /** dy rows before the first (negative: rows to skip, done as a crop of the result). */
  readonly before: number
  /** Output-grid length (⌈in / s⌉): the rows each phase produces. */
  readonly grid: number
  /** taps[r][m]: the filter tap phase r applies at window offset m, or -1. */
  readonly taps: readonly (readonly number[])[]
}

/**
 * For input length `inLen`, filter length `k`, stride `s` (> 1), dilation
 * 1 and forward pad `top`: dx[s·a + r] = Σ_j dy[a + c_r − j] · w[q_r + s·j], q_r = (r+top) mod s,
 * c_r = ⌊(r+top)/s⌋. A shared window m ↦ dy[a + m + lowest] covers every phase's offsets.
 */
export const phasePlan = (inLen: number, k: number, s: number, top: number): PhasePlan => {
  const phases = Array.from({ length: s }, (_, r) => {
    const q = (r + top) % s
    const c = Math.floor((r + top) / s)
    const count = Math.max(0, Math.ceil((k - q) / s))
    return { q, c, count }
  })
  const used = phases.filter((p) => p.count > 0)
  const lowest = Math.min(...used.map((p) => p.c - p.count + 1))
  const highest = Math.max(...used.map((p) => p.c))
  const window = highest - lowest + 1
  const taps = phases.map((p) =>
    Array.from({ length: window }, (_, m) => {
      const j = p.c - (m + lowest)
      return j >= 0 && j < p.count ? p.q + s * j : -1
    }),
  )
  return { window, before: -lowest, grid: Math.ceil(inLen / s), taps }
}

/** The pads of the phase convolution over dy (`before` may be negative: a crop, see cropStart). */
const padsOf = (p: PhasePlan, outLen: number) => {
  const after = p.grid + p.window - 1 - outLen - p.before
  return { before: Math.max(0, p.before), after: Math.max(0, after), cropStart: Math.max(0, -p.before) }
}

/**
 * Filter [kh,kw,outC,inC] (already in/out swapped) → [wh,ww,outC,s·s·inC]: for each window
 * offset and dy channel, the s·s phases' inC-long rows side by side, zero where a phase has no
 * tap. Assembled by one memcpy per row: ≤ 8192 rows for a 3×3 512→512 filter.
 */
const phaseFilter = (backend: WasmBackendLike, ops: KernelOps, swapped: TensorInfo, ph: PhasePlan, pw: PhasePlan): TensorInfo => {
  const [, kw, outC, inC] = swapped.shape
  const s = ph.taps.length
  const out = ops.track(backend.makeOutput([ph.window, pw.window, outC, s * s * inC], 'float32'))
  const src = backend.typedArrayFromHeap(swapped)
  const dst = backend.typedArrayFromHeap(out)
  dst.fill(0)
  for (let mh = 0; mh < ph.window; mh++)
    for (let mw = 0; mw < pw.window; mw++)
      for (let rh = 0; rh < s; rh++)
        for (let rw = 0; rw < s; rw++) {
          const [th, tw] = [ph.taps[rh][mh], pw.taps[rw][mw]]
          if (th < 0 || tw < 0) continue
          for (let o = 0; o < outC; o++) {
            const from = ((th * kw + tw) * outC + o) * inC
            dst.set(src.subarray(from, from + inC), (((mh * pw.window + mw) * outC + o) * s * s + rh * s + rw) * inC)
          }
        }
  return out
}

/**
 * dx for a forward stride s in both axes (dilation 1): one convolution of dy with the phase
 * filter, depth-to-space, and a crop when s does not divide the input size.
 */
export const phaseInputGrad = (backend: WasmBackendLike, ops: KernelOps, dy: TensorInfo, swapped: TensorInfo, g: ConvGeometry): TensorInfo => {
  const s = g.strideH
  const ph = phasePlan(g.inH, g.kH, s, g.top)
  const pw = phasePlan(g.inW, g.kW, s, g.left)
  const [rows, cols] = [padsOf(ph, g.outH), padsOf(pw, g.outW)]
  const stacked = ops.run(
    'Conv2D',
    { x: dy, filter: phaseFilter(backend, ops, swapped, ph, pw) },
    { strides: [1, 1], dilations: [1, 1], pad: [[0, 0], [rows.before, rows.after], [cols.before, cols.after], [0, 0]], dataFormat: 'NHWC' },
  )
  const [n, sh, sw, sc] = stacked.shape
  const grid =
    rows.cropStart === 0 && cols.cropStart === 0 && sh === ph.grid && sw === pw.grid
      ? stacked
      : ops.run('Slice', { x: stacked }, { begin: [0, rows.cropStart, cols.cropStart, 0], size: [n, ph.grid, pw.grid, sc] })
  // DepthToSpace(s) as a transpose that moves whole s·inC rows: [n·gh, gw, s, s·inC] →
  // [n·gh, s, gw, s·inC]. (The backend's DepthToSpace goes element by element, ~50× slower.)
  const interleaved = ops.transpose(ops.reshape(grid, [n * ph.grid, pw.grid, s, s * g.inC]), [0, 2, 1, 3])
  const dx = ops.reshape(interleaved, [n, ph.grid * s, pw.grid * s, g.inC])
  return dx.shape[1] === g.inH && dx.shape[2] === g.inW ? dx : ops.run('Slice', { x: dx }, { begin: [0, 0, 0, 0], size: [n, g.inH, g.inW, g.inC] })
}
