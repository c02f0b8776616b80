"""Classical minutiae extraction and a per-finger quality score.

Pipeline (tens of milliseconds for a 300x300 image): normalisation, foreground segmentation
by local ridge contrast, orientation field and coherence from the smoothed gradient
structure tensor, a global ridge period from the image spectrum, contextual Gabor
enhancement (one Gabor per orientation bin, by FFT), binarisation, Zhang-Suen thinning and
the crossing number. Spurious minutiae are removed near the border of the print and where
two lie closer than most of a ridge period (spurs, bridges, broken ridges).

Angles follow ISO/IEC 19794-2's idea: a ridge ending points away from its ridge, a
bifurcation points away from its valley (toward the stem); both are the opposite of the sum
of the ridge branches leaving the point. Positions are pixels, x right and y down.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt
from scipy import fft, ndimage

from custodia.biometrics.synth import _gabor_bank, orientation_bins, oriented_filter

ENDING, BIFURCATION = 1, 2
RECAPTURE_BELOW = 40  # finger quality under which enrolment asks for another impression


@dataclass(frozen=True)
class Minutiae:
    """Arrays of one finger's minutiae: x, y (px), angle (radians, [0, 2pi)), kind, quality."""

    x: npt.NDArray[np.float32]
    y: npt.NDArray[np.float32]
    angle: npt.NDArray[np.float32]
    kind: npt.NDArray[np.uint8]
    quality: npt.NDArray[np.uint8]
    width: int
    height: int

    def __len__(self) -> int:
        return int(self.x.shape[0])

    def as_array(self) -> npt.NDArray[np.float32]:
        """(n, 3) x, y, angle: the matcher's input."""
        return np.stack([self.x, self.y, self.angle], axis=1).astype(np.float32)

    @classmethod
    def from_rows(
        cls, rows: list[tuple[float, float, float, int, int]], width: int, height: int
    ) -> Minutiae:
        arr = np.asarray(rows, dtype=np.float64).reshape(-1, 5)
        return cls(
            x=arr[:, 0].astype(np.float32),
            y=arr[:, 1].astype(np.float32),
            angle=np.mod(arr[:, 2], 2 * np.pi).astype(np.float32),
            kind=arr[:, 3].astype(np.uint8),
            quality=arr[:, 4].astype(np.uint8),
            width=width,
            height=height,
        )


@dataclass(frozen=True)
class Extraction:
    minutiae: Minutiae
    quality: int  # 0-100, NFIQ 2-style: higher is better
    foreground: float  # share of the image that holds ridges
    coherence: float  # mean orientation coherence over the foreground
    period: float  # ridge period in pixels


def _segment(img: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    local_mean = ndimage.uniform_filter(img, 15)
    local_var = ndimage.uniform_filter(img**2, 15) - local_mean**2
    contrast = np.sqrt(np.clip(local_var, 0, None))
    mask = contrast > 0.35 * np.percentile(contrast, 95)
    mask = ndimage.binary_opening(mask, iterations=4)
    mask = ndimage.binary_closing(mask, iterations=6)
    mask = ndimage.binary_fill_holes(mask)
    labels, count = ndimage.label(mask)
    if count > 1:
        sizes = ndimage.sum(mask, labels, range(1, count + 1))
        mask = labels == (int(np.argmax(sizes)) + 1)
    return np.asarray(mask, dtype=np.bool_)


def _orientation(
    img: npt.NDArray[np.float64],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    gx = ndimage.sobel(img, axis=1)
    gy = ndimage.sobel(img, axis=0)
    gxx = ndimage.gaussian_filter(gx * gx, 7)
    gyy = ndimage.gaussian_filter(gy * gy, 7)
    gxy = ndimage.gaussian_filter(gx * gy, 7)
    grad = 0.5 * np.arctan2(2 * gxy, gxx - gyy)
    coherence = np.hypot(gxx - gyy, 2 * gxy) / (gxx + gyy + 1e-9)
    # Ridges run across the gradient.
    return np.mod(grad - np.pi / 2, np.pi).astype(np.float32), coherence.astype(np.float32)


def _period(img: npt.NDArray[np.float64], mask: npt.NDArray[np.bool_]) -> float:
    """Dominant ridge period: the peak of the radially summed power spectrum."""
    spectrum = np.abs(fft.fftshift(fft.fft2(np.where(mask, img, 0.0)))) ** 2
    h, w = img.shape
    fy = (np.arange(h) - h // 2) / h
    fx = (np.arange(w) - w // 2) / w
    radius = np.hypot(fy[:, None], fx[None, :])
    periods = np.arange(6.0, 15.01, 0.25)
    ring = np.clip(np.round(radius / 0.004).astype(np.int64), 0, None)
    power = np.bincount(ring.ravel(), spectrum.ravel()) / np.maximum(np.bincount(ring.ravel()), 1)
    return float(periods[int(np.argmax(power[np.round(1 / periods / 0.004).astype(np.int64)]))])


@numba.njit(cache=True)
def _thin(binary: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:  # pragma: no cover - jit
    """Zhang-Suen thinning to a one-pixel skeleton."""
    img = binary.copy()
    h, w = img.shape
    changed = True
    while changed:
        changed = False
        for step in range(2):
            marked = []
            for y in range(1, h - 1):
                for x in range(1, w - 1):
                    if img[y, x] == 0:
                        continue
                    p2, p3, p4 = img[y - 1, x], img[y - 1, x + 1], img[y, x + 1]
                    p5, p6, p7 = img[y + 1, x + 1], img[y + 1, x], img[y + 1, x - 1]
                    p8, p9 = img[y, x - 1], img[y - 1, x - 1]
                    b = p2 + p3 + p4 + p5 + p6 + p7 + p8 + p9
                    if b < 2 or b > 6:
                        continue
                    seq = (p2, p3, p4, p5, p6, p7, p8, p9, p2)
                    a = 0
                    for i in range(8):
                        if seq[i] == 0 and seq[i + 1] == 1:
                            a += 1
                    if a != 1:
                        continue
                    if step == 0 and (p2 * p4 * p6 != 0 or p4 * p6 * p8 != 0):
                        continue
                    if step == 1 and (p2 * p4 * p8 != 0 or p2 * p6 * p8 != 0):
                        continue
                    marked.append((y, x))
            for y, x in marked:
                img[y, x] = 0
            if len(marked) > 0:
                changed = True
    return img


_DY = np.array([-1, -1, 0, 1, 1, 1, 0, -1], dtype=np.int64)
_DX = np.array([0, 1, 1, 1, 0, -1, -1, -1], dtype=np.int64)


@numba.njit(cache=True)
def _crossings(
    skel: npt.NDArray[np.uint8], dy: npt.NDArray[np.int64], dx: npt.NDArray[np.int64], reach: int
) -> npt.NDArray[np.float64]:  # pragma: no cover - jit
    """Rows (x, y, kind, vx, vy): crossing number 1 or 3, and the sum of unit vectors
    along each ridge branch leaving the point, traced for ``reach`` pixels."""
    h, w = skel.shape
    out = []
    visited = np.zeros((h, w), dtype=np.int32)
    stamp = 0
    for y in range(1, h - 1):
        for x in range(1, w - 1):
            if skel[y, x] == 0:
                continue
            cn = 0
            for i in range(8):
                a = skel[y + dy[i], x + dx[i]]
                b = skel[y + dy[(i + 1) % 8], x + dx[(i + 1) % 8]]
                if a == 0 and b == 1:
                    cn += 1
            if cn != 1 and cn != 3:
                continue
            stamp += 1
            visited[y, x] = stamp
            vx = 0.0
            vy = 0.0
            for i in range(8):
                sy, sx = y + dy[i], x + dx[i]
                if skel[sy, sx] == 0 or visited[sy, sx] == stamp:
                    continue
                cy, cx = sy, sx
                visited[cy, cx] = stamp
                for _ in range(reach):
                    moved = False
                    for j in range(8):
                        ny, nx = cy + dy[j], cx + dx[j]
                        inside = 0 <= ny < h and 0 <= nx < w
                        if inside and skel[ny, nx] == 1 and visited[ny, nx] != stamp:
                            visited[ny, nx] = stamp
                            cy, cx = ny, nx
                            moved = True
                            break
                    if not moved:
                        break
                length = math.hypot(cx - x, cy - y)
                if length > 0:
                    vx += (cx - x) / length
                    vy += (cy - y) / length
            out.append((float(x), float(y), 1.0 if cn == 1 else 2.0, vx, vy))
    result = np.empty((len(out), 5))
    for i in range(len(out)):
        for j in range(5):
            result[i, j] = out[i][j]
    return result


def _drop_close(points: npt.NDArray[np.float64], distance: float) -> npt.NDArray[np.bool_]:
    if len(points) == 0:
        return np.zeros(0, dtype=np.bool_)
    d = np.hypot(points[:, 0, None] - points[None, :, 0], points[:, 1, None] - points[None, :, 1])
    np.fill_diagonal(d, np.inf)
    return np.asarray(d.min(axis=1) >= distance, dtype=np.bool_)


def extract(image: npt.NDArray[np.uint8]) -> Extraction:
    """Minutiae and quality of a grey-scale finger image (dark ridges, ~500 dpi)."""
    if image.ndim != 2 or min(image.shape) < 64:
        raise ValueError("a finger image must be a single grey channel of at least 64x64")
    img = image.astype(np.float64)
    img = (img.mean() - img) / (img.std() + 1e-9)  # ridges positive
    mask = _segment(img)
    foreground = float(mask.mean())
    theta, coherence = _orientation(img)
    period = _period(img, mask) if foreground > 0.02 else 9.0
    bank = _gabor_bank(period, img.shape[0]) if img.shape[0] == img.shape[1] else None
    if bank is None:
        side = max(img.shape)
        padded = np.zeros((side, side))
        padded[: img.shape[0], : img.shape[1]] = img
        pad_theta = np.zeros((side, side), dtype=np.float32)
        pad_theta[: img.shape[0], : img.shape[1]] = theta
        enhanced = oriented_filter(
            padded.astype(np.float32), orientation_bins(pad_theta), _gabor_bank(period, side)
        )[: img.shape[0], : img.shape[1]]
    else:
        enhanced = oriented_filter(img.astype(np.float32), orientation_bins(theta), bank)
    ridges = (enhanced > 0) & mask
    skeleton = _thin(ridges.astype(np.uint8))
    rows = _crossings(skeleton, _DY, _DX, max(6, round(period)))
    inner = ndimage.distance_transform_edt(np.pad(mask, 1))[1:-1, 1:-1]
    margin = 1.2 * period
    if len(rows):
        xi, yi = rows[:, 0].astype(int), rows[:, 1].astype(int)
        keep = inner[yi, xi] > margin
        rows = rows[keep]
    rows = rows[_drop_close(rows[:, :2], 0.7 * period)] if len(rows) else rows
    fg_coherence = float(coherence[mask].mean()) if mask.any() else 0.0
    clarity = _clarity(img, enhanced, mask)
    minutiae = _to_minutiae(rows, coherence, inner, period, image.shape)
    quality = finger_quality(foreground, fg_coherence, clarity, len(minutiae))
    return Extraction(minutiae, quality, foreground, fg_coherence, period)


def _clarity(
    img: npt.NDArray[np.float64], enhanced: npt.NDArray[np.float32], mask: npt.NDArray[np.bool_]
) -> float:
    """How well the raw grey levels agree with the enhanced ridges (correlation)."""
    if mask.sum() < 100:
        return 0.0
    a, b = img[mask], enhanced[mask].astype(np.float64)
    return float(max(0.0, np.corrcoef(a, b)[0, 1]))


def finger_quality(foreground: float, coherence: float, clarity: float, count: int) -> int:
    """0-100 from what NFIQ 2 also weighs most: usable area, orientation certainty, ridge
    clarity and minutiae count."""
    score = (
        min(1.0, foreground / 0.3)
        * min(1.0, coherence / 0.55)
        * min(1.0, clarity / 0.6)
        * min(1.0, count / 18)
    )
    return round(100 * score)


def _to_minutiae(
    rows: npt.NDArray[np.float64],
    coherence: npt.NDArray[np.float32],
    inner: npt.NDArray[np.float64],
    period: float,
    shape: tuple[int, ...],
) -> Minutiae:
    h, w = shape
    if len(rows) == 0:
        return Minutiae.from_rows([], w, h)
    xi, yi = rows[:, 0].astype(int), rows[:, 1].astype(int)
    angle = np.mod(np.arctan2(-rows[:, 4], -rows[:, 3]), 2 * np.pi)
    q = 100 * np.clip(coherence[yi, xi] / 0.7, 0, 1) * np.clip(inner[yi, xi] / (4 * period), 0, 1)
    q = np.clip(q, 1, 100)
    return Minutiae(
        x=rows[:, 0].astype(np.float32),
        y=rows[:, 1].astype(np.float32),
        angle=angle.astype(np.float32),
        kind=rows[:, 2].astype(np.uint8),
        quality=q.astype(np.uint8),
        width=w,
        height=h,
    )
