import t from 'tap'
import * as fs from 'fs'
import * as os from 'os'
import * as path from 'path'
import * as tf from '@tensorflow/tfjs-core'
import { embedCommand, pathsFileOf } from '../../../src/cli/commands/embed'
import { encodePng } from '../../../src/image/codec'
import { bufferIo } from '../../../src/infer/cli-io'
import { embedImages } from '../../../src/infer/embed'
import { disposeModel, loadCheckpoint } from '../../../src/infer/model'
import { fileImageList } from '../../../src/infer/sources'
import { readNpy } from '../../../src/io/npy'
import { useBackend } from '../../helpers/wasm'
import { rejection, saveTinyCheckpoint, synthImage } from '../infer/helpers'

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pam-embed-cli-'))
t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }))

const ckpt = path.join(tmp, 'ckpt')
const faces = path.join(tmp, 'faces')
/** Relative to `faces`, in the order `pam embed` must list them. */
const ORDER = ['alice/01.png', 'alice/02.jpeg', 'bob/x/1.png', 'carol.PNG']

t.before(async () => {
  await useBackend('wasm')
  await saveTinyCheckpoint(ckpt)
  const put = (rel: string, bytes: Uint8Array | string): void => {
    fs.mkdirSync(path.dirname(path.join(faces, rel)), { recursive: true })
    fs.writeFileSync(path.join(faces, rel), bytes)
  }
  // jpeg-named but PNG bytes: the decoder goes by content, the listing by extension
  ;['carol.PNG', 'bob/x/1.png', 'alice/02.jpeg', 'alice/01.png'].forEach((rel, i) => put(rel, encodePng(synthImage(i, i, 20))))
  put('alice/notes.txt', 'not an image')
})

const run = async (argv: string[]): Promise<{ code: number; out: string; err: string }> => {
  const io = bufferIo()
  const code = await embedCommand(argv, io)
  return { code, out: io.stdout(), err: io.stderr() }
}

/** What the embedder gives for `files` at `yaw`, straight from the library. */
const expected = async (files: string[], yaws: number[], flip = true): Promise<Float32Array> => {
  const m = await loadCheckpoint(ckpt)
  const emb = await embedImages(m.model, fileImageList(files, yaws), { flip })
  disposeModel(m.model)
  return emb.data
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((v, i) => Math.abs(v - b[i]) < 1e-6)

t.test('a folder: .npy of unit rows in path order, .txt of the paths', async (t) => {
  const out = path.join(tmp, 'emb.npy')
  const before = tf.memory().numTensors
  const r = await run(['--checkpoint', ckpt, '--images', faces, '--yaw', '15', '--out', out, '--batch', '3'])
  t.equal(tf.memory().numTensors, before, 'nothing leaks')
  t.equal(r.code, 0)
  const files = ORDER.map((f) => path.join(faces, f))
  t.equal(fs.readFileSync(path.join(tmp, 'emb.txt'), 'utf8'), files.map((f) => `${f}\n`).join(''))
  const npy = readNpy(out)
  t.same(npy.shape, [4, 8])
  for (let i = 0; i < 4; i++) t.ok(Math.abs(Math.hypot(...npy.data.subarray(i * 8, i * 8 + 8)) - 1) < 1e-5)
  t.ok(close(npy.data, await expected(files, [15, 15, 15, 15])))
  t.equal(r.out, `wrote ${out} (4×8 float32) and ${path.join(tmp, 'emb.txt')}\n`)
  t.match(r.err, /^backend \w+\nembedding 4 images with IR18\+PAM12 \[.*\] \(batch 3, each with its mirror image\)\n {2}3\/4 images \(75%\)/)
})

t.test('files as given, --no-flip, a path,yaw file', async (t) => {
  const out = path.join(tmp, 'two')
  const files = [path.join(faces, 'carol.PNG'), path.join(faces, 'alice/01.png')]
  const yawFile = path.join(tmp, 'yaw.csv')
  fs.writeFileSync(yawFile, `path,yaw\n${files[0]},-60\n${files[1]},30\n${path.join(faces, 'bob/x/1.png')},0\n`)
  const r = await run(['--checkpoint', ckpt, '--images', files[0], files[1], '--yaw-file', yawFile, '--out', out, '--no-flip'])
  t.equal(r.code, 0)
  t.equal(pathsFileOf(out), `${out}.txt`)
  t.equal(fs.readFileSync(`${out}.txt`, 'utf8'), `${files[0]}\n${files[1]}\n`)
  t.ok(close(readNpy(out).data, await expected(files, [-60, 30], false)))
  // relative paths in the yaw file are taken from the one --images directory
  const rel = path.join(tmp, 'rel-yaw.csv')
  fs.writeFileSync(rel, ORDER.map((f, i) => `${f},${i * 10}`).join('\n'))
  await run(['--checkpoint', ckpt, '--images', faces, '--yaw-file', rel, '--out', path.join(tmp, 'rel.npy')])
  t.ok(close(readNpy(path.join(tmp, 'rel.npy')).data, await expected(ORDER.map((f) => path.join(faces, f)), [0, 10, 20, 30])))
})

t.test('errors: one line each', async (t) => {
  const out = path.join(tmp, 'x.npy')
  const cases: [string[], string][] = [
    [['--images', faces, '--yaw', '0', '--out', out], 'pam embed: --checkpoint DIR is required'],
    [['--checkpoint', ckpt, '--yaw', '0', '--out', out], 'pam embed: --images DIR|FILES... is required'],
    [['--checkpoint', ckpt, '--images', faces, '--yaw', '0'], 'pam embed: --out FILE.npy is required'],
    [['--checkpoint', ckpt, '--images', faces, '--out', out], 'pam embed: give the yaw: --yaw DEGREES (every image) or --yaw-file F (CSV path,yaw)'],
    [['--checkpoint', ckpt, '--images', faces, '--out', out, '--yaw', '0', '--yaw-file', 'y.csv'], 'pam embed: --yaw and --yaw-file cannot be combined'],
    [['--checkpoint', ckpt, '--images', faces, '--out', out, '--yaw', '95'], 'pam embed: --yaw: yaw 95 is outside [-90, 90]'],
    [['--checkpoint', ckpt, 'a.png', '--out', out, '--yaw', '0'], 'pam embed: unexpected argument "a.png"'],
    [['--checkpoint', ckpt, '--images', path.join(tmp, 'none'), '--out', out, '--yaw', '0'], `${path.join(tmp, 'none')}: no such image file or directory`],
    [['--checkpoint', tmp, '--images', faces, '--out', out, '--yaw', '0'], `${tmp}: holds no model (no model.json, no model/, no checkpoints/LATEST)`],
  ]
  for (const [argv, message] of cases) t.equal(await rejection(() => run(argv)), message, argv.join(' '))
  const yawFile = path.join(tmp, 'partial.csv')
  fs.writeFileSync(yawFile, 'alice/01.png,0\n')
  t.equal(
    await rejection(() => run(['--checkpoint', ckpt, '--images', faces, '--yaw-file', yawFile, '--out', out])),
    `${yawFile}: no yaw for image ${path.join(faces, 'alice/02.jpeg')}`,
  )
  const bad = path.join(tmp, 'bad', 'broken.jpg')
  fs.mkdirSync(path.dirname(bad))
  fs.writeFileSync(bad, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0]))
  t.match(await rejection(() => run(['--checkpoint', ckpt, '--images', faces, bad, '--yaw', '0', '--out', out])), new RegExp(`^${bad}: image does not decode \\([^\\n]*\\)$`))
  t.notOk(fs.existsSync(out), 'nothing written after a failure')
  const help = await run(['--help'])
  t.match(help.out, /^usage: pam embed /)
})
