/**
 * Face alignment to 112 × 112 crops: a least-squares similarity from chosen landmarks onto a
 * canonical template, then a bilinear warp.
 *
 * CFP's 30 fiducials mark one half of the face (for frontal images always the image-left half)
 * plus the midline, with the same numbering in both poses (1-based, as in the files):
 *   1-9 jaw contour to the chin (9; on profiles 1-3 run along the front of the ear), 10-12 brow,
 *   13-18 eye contour (13 outer corner, 16 inner), 19 nose root, 20-21 nose ridge, 22 nose tip,
 *   23 subnasale, 24-25 nostril, 26 mouth corner, 27 upper lip top, 28 upper lip bottom,
 *   30 lower lip top, 29 lower lip bottom.
 *
 * Frontal: the ArcFace 5-point template, with the unannotated eye and mouth corner replaced by
 * their midline midpoints: eye centre (mean of 13-18) → annotated-side eye, nose root 19 →
 * midpoint of the two eyes, nose tip 22 → nose, mouth corner 26 → annotated-side mouth corner,
 * mean of 28 and 30 → midpoint of the mouth corners. Over CFP's 5000 frontal images the fit
 * leaves a median RMS residual of 1.5 px (95th percentile 3.0 px) in the 112 crop.
 *
 * Profile: the ArcFace template has no profile counterpart, so PROFILE_TEMPLATE is the mean of
 * the 2000 CFP profile shapes (mirrored to face right, normalised for position and size),
 * placed with the eye and mouth corner on the rows of the ArcFace eyes and mouth corners (the
 * same face scale as frontal crops, since a yaw turn keeps vertical distances) and centred so
 * that the 5-point centroid sits where ArcFace's does (x ≈ 56): the crop a 5-point detector
 * alignment would give a profile face. Points: visible eye (13-18), nose root 19, nose tip 22,
 * mouth corner 26, chin 9: the eye and mouth corner fix scale and roll like the frontal ones, and
 * the other three are silhouette points, which a profile shows sharply. Median RMS residual over
 * the 2000 profiles: 2.6 px (95th percentile 4.8 px; the worst are strongly rolled heads).
 */
import type { RgbImage } from '../image/codec'
import { PamError } from '../util/errors'
import type { CfpPose } from './cfp'
import { type Similarity, umeyama, warpSimilarity } from './similarity'

/** insightface's `arcface_dst`: left eye, right eye, nose tip, left and right mouth corner, in a 112 × 112 crop. */
export const ARCFACE_TEMPLATE: Float64Array = Float64Array.from([
  38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041,
])

/**
 * Profile face turned to the image right: eye centre, nose root, nose tip, mouth corner, chin (see
 * the module comment). Faces turned left use it mirrored, x → 112 − x, the axis about which the
 * ArcFace template is symmetric.
 */
export const PROFILE_TEMPLATE: Float64Array = Float64Array.from([
  44.41, 51.7, 61.31, 51.11, 70.74, 73.62, 44.19, 92.37, 52.58, 118.68,
])

const TEMPLATE_SIZE = 112

/** CFP fiducial numbers (1-based, as in the files) used for each template point; several = their mean. */
export const FRONTAL_POINTS: readonly (readonly number[])[] = [[13, 14, 15, 16, 17, 18], [19], [22], [26], [28, 30]]
export const PROFILE_POINTS: readonly (readonly number[])[] = [[13, 14, 15, 16, 17, 18], [19], [22], [26], [9]]

const meanPoint = (fiducials: ArrayLike<number>, numbers: readonly number[]): readonly [number, number] => {
  let x = 0
  let y = 0
  for (const n of numbers) {
    x += fiducials[2 * (n - 1)] / numbers.length
    y += fiducials[2 * (n - 1) + 1] / numbers.length
  }
  return [x, y]
}

const mid = (t: Float64Array, i: number, j: number): number[] => [(t[2 * i] + t[2 * j]) / 2, (t[2 * i + 1] + t[2 * j + 1]) / 2]

/** The frontal targets for an annotated image-left half (eye, eye midpoint, nose, mouth corner, mouth midpoint), or its right-half twin. */
const frontalTargets = (leftHalf: boolean): Float64Array => {
  const t = ARCFACE_TEMPLATE
  const [eye, mouth] = leftHalf ? [0, 3] : [1, 4]
  return Float64Array.from([
    t[2 * eye], t[2 * eye + 1], ...mid(t, 0, 1), t[4], t[5], t[2 * mouth], t[2 * mouth + 1], ...mid(t, 3, 4),
  ])
}

/**
 * CFP fiducials [30, 2] → the source landmarks [5, 2] and their template targets [5, 2] in a
 * size × size crop. Which way the face looks (or, on frontal images, which half is annotated)
 * comes from the nose tip's side of the eye; faces looking left get the mirrored profile template.
 */
export const cfpLandmarks = (
  fiducials: ArrayLike<number>,
  pose: CfpPose,
  size = TEMPLATE_SIZE,
): { readonly src: Float64Array; readonly dst: Float64Array } => {
  if (fiducials.length !== 60) throw new PamError(`cfpLandmarks: expected 30 fiducial points, got ${fiducials.length / 2}`)
  const points = pose === 'frontal' ? FRONTAL_POINTS : PROFILE_POINTS
  const src = Float64Array.from(points.flatMap((ns) => meanPoint(fiducials, ns)))
  const facingRight = src[4] > src[0] // nose tip right of the eye
  const base = pose === 'frontal' ? frontalTargets(facingRight) : PROFILE_TEMPLATE
  const mirror = pose === 'profile' && !facingRight
  const dst = base.map((v, i) => (i % 2 === 0 && mirror ? TEMPLATE_SIZE - v : v) * (size / TEMPLATE_SIZE))
  return { src, dst }
}

/** [K, 2] landmarks and their [K, 2] targets → the size × size crop. */
export const alignToTemplate = (img: RgbImage, src: ArrayLike<number>, dst: ArrayLike<number>, size = TEMPLATE_SIZE): RgbImage =>
  warpSimilarity(img, umeyama(src, dst), size, size)

/** The similarity that aligns a CFP image, for callers that warp landmarks too. */
export const cfpTransform = (fiducials: ArrayLike<number>, pose: CfpPose, size = TEMPLATE_SIZE): Similarity => {
  const { src, dst } = cfpLandmarks(fiducials, pose, size)
  return umeyama(src, dst)
}

/** A CFP image and its fiducials → its size × size (default 112) aligned crop. */
export const alignCfp = (img: RgbImage, fiducials: ArrayLike<number>, pose: CfpPose, size = TEMPLATE_SIZE): RgbImage =>
  warpSimilarity(img, cfpTransform(fiducials, pose, size), size, size)

/** Five detector landmarks (eyes, nose, mouth corners; [5, 2]) → the ArcFace-aligned size × size crop, as insightface's `norm_crop`. */
export const alignFivePoints = (img: RgbImage, landmarks: ArrayLike<number>, size = TEMPLATE_SIZE): RgbImage => {
  if (landmarks.length !== 10) throw new PamError(`alignFivePoints: expected 5 landmarks, got ${landmarks.length / 2}`)
  return alignToTemplate(img, landmarks, ARCFACE_TEMPLATE.map((v) => (v * size) / TEMPLATE_SIZE), size)
}
