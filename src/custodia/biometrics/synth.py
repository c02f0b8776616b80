"""Synthetic fingerprints in the spirit of SFinGe (Cappelli, Maio, Maltoni).

A *master* fingerprint is grown from noise by iterative, spatially variant Gabor filtering
steered by a class-based orientation model (Sherlock-Monro zero-pole model of cores and
deltas: arch, tented arch, left/right loop, whorl) and a ridge period drawn per finger.
Minutiae are not drawn: they appear where the growing ridges must split or end to follow
the flow, as in SFinGe. *Impressions* of a master then differ by displacement, rotation,
non-linear skin distortion (zero in the contact centre, growing outwards), pressure
(ridge thickness), noise and partial contact area. Every impression keeps its ground truth.

Everything is a pure function of ``(seed, finger, impression)`` so a gallery can be
regenerated instead of stored.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import fft, ndimage

FloatImage = npt.NDArray[np.float32]

MASTER_SIZE = 352
IMPRESSION_SIZE = 300
_N_ANGLES = 16
_CLASSES = ("arch", "tented_arch", "left_loop", "right_loop", "whorl")
# Rough class frequencies in the population (Wilson et al. / Henry): arches are rare.
_CLASS_P = (0.04, 0.03, 0.34, 0.31, 0.28)


@dataclass(frozen=True)
class Distortion:
    """How different an impression is from its master; ``moderate`` is the benchmark's."""

    max_shift: float = 25.0
    max_rotation_deg: float = 20.0
    skin: float = 7.0  # peak non-linear displacement in pixels at the edge of contact
    noise: float = 0.25
    min_area: float = 0.6  # smallest share of the image covered by the finger

    @classmethod
    def named(cls, level: str) -> Distortion:
        levels = {
            "none": cls(0.0, 0.0, 0.0, 0.0, 1.0),
            "low": cls(12.0, 10.0, 3.0, 0.15, 0.75),
            "moderate": cls(),
            "high": cls(35.0, 30.0, 11.0, 0.4, 0.5),
        }
        if level not in levels:
            raise ValueError(f"unknown distortion {level!r}; use one of {sorted(levels)}")
        return levels[level]


@dataclass
class Truth:
    """Ground truth of one impression."""

    finger: int
    impression: int
    pattern: str
    period: float
    cores: list[tuple[float, float]]
    deltas: list[tuple[float, float]]
    shift: tuple[float, float] = (0.0, 0.0)
    rotation_deg: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Master:
    image: FloatImage  # ridges > 0, valleys < 0, in [-1, 1]
    truth: Truth


def _rng(seed: int, *keys: int) -> np.random.Generator:
    return np.random.default_rng([seed, *keys])


def _singularities(
    pattern: str, rng: np.random.Generator, size: int
) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    c = size / 2
    jitter = rng.normal(0, size * 0.04, 2)
    cx, cy = c + jitter[0], c - size * 0.08 + jitter[1]
    if pattern == "left_loop":
        return [(cx, cy)], [(cx + size * 0.28, cy + size * 0.32 + rng.normal(0, 8))]
    if pattern == "right_loop":
        return [(cx, cy)], [(cx - size * 0.28, cy + size * 0.32 + rng.normal(0, 8))]
    if pattern == "tented_arch":
        return [(cx, cy)], [(cx + rng.normal(0, 4), cy + size * 0.2)]
    if pattern == "whorl":
        gap = size * rng.uniform(0.05, 0.12)
        tilt = rng.normal(0, 0.4)
        cores = [
            (cx - gap * math.sin(tilt), cy - gap * math.cos(tilt)),
            (cx + gap * math.sin(tilt), cy + gap * math.cos(tilt)),
        ]
        dy = cy + size * 0.33
        return cores, [(cx - size * 0.33, dy), (cx + size * 0.33, dy)]
    return [], []


def orientation_field(
    pattern: str, cores: list[tuple[float, float]], deltas: list[tuple[float, float]], size: int
) -> FloatImage:
    """Ridge orientation in [0, pi) per pixel (image axes: x right, y down)."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float64)
    if pattern == "arch":
        cx, cy = size / 2, size * 0.45
        bump = np.exp(-(((x - cx) / (size * 0.3)) ** 2))
        height = 1.2 * np.clip(1 - (y - cy) / size, 0.1, 1.5)
        slope = -2 * (x - cx) / (size * 0.3) ** 2 * bump * height * size * 0.18
        return np.asarray(np.mod(np.arctan(slope), np.pi), dtype=np.float32)
    theta = np.zeros_like(x)
    # Sherlock-Monro: ridge angle = 1/2 (sum of delta arguments - sum of core arguments).
    for dx, dy in deltas:
        theta += np.arctan2(-(y - dy), x - dx)
    for px, py in cores:
        theta -= np.arctan2(-(y - py), x - px)
    theta = 0.5 * theta
    # Image y runs down: flip the sign so angles are in image coordinates.
    return np.asarray(np.mod(-theta, np.pi), dtype=np.float32)


@lru_cache(maxsize=64)
def _gabor_bank(period: float, size: int) -> npt.NDArray[np.complex64]:
    """FFTs of even Gabor filters at _N_ANGLES ridge orientations for a size x size image."""
    half = round(period * 1.3)
    yy, xx = np.mgrid[-half : half + 1, -half : half + 1].astype(np.float64)
    sigma = period * 0.45
    bank = np.empty((_N_ANGLES, size, size // 2 + 1), dtype=np.complex64)
    for k in range(_N_ANGLES):
        t = k * np.pi / _N_ANGLES
        # Across the ridge direction (normal to orientation t).
        across = -xx * np.sin(t) + yy * np.cos(t)
        g = np.exp(-(xx**2 + yy**2) / (2 * sigma**2)) * np.cos(2 * np.pi * across / period)
        g -= g.mean()
        g /= np.abs(g).sum()
        padded = np.zeros((size, size))
        padded[: 2 * half + 1, : 2 * half + 1] = g
        padded = np.roll(padded, (-half, -half), axis=(0, 1))
        bank[k] = fft.rfft2(padded).astype(np.complex64)
    return bank


def oriented_filter(
    image: FloatImage, bins: npt.NDArray[np.intp], bank: npt.NDArray[np.complex64]
) -> FloatImage:
    """Filter each pixel with the Gabor of its own orientation bin (FFT, all bins at once)."""
    spectrum = fft.rfft2(image)
    out = np.zeros(image.shape, dtype=np.float32)
    for k in np.unique(bins):
        where = bins == k
        out[where] = fft.irfft2(spectrum * bank[k], s=image.shape)[where]
    return out


def orientation_bins(theta: FloatImage) -> npt.NDArray[np.intp]:
    return np.round(theta / np.pi * _N_ANGLES).astype(np.intp) % _N_ANGLES


def make_master(seed: int, finger: int, *, iterations: int = 9) -> Master:
    rng = _rng(seed, finger, 0)
    size = MASTER_SIZE
    pattern = str(rng.choice(_CLASSES, p=_CLASS_P))
    cores, deltas = _singularities(pattern, rng, size)
    theta = orientation_field(pattern, cores, deltas, size)
    # Small smooth perturbation: no two fingers of a class share a flow.
    wobble = ndimage.gaussian_filter(rng.normal(0, 1, (size, size)), 30) * 12
    theta = np.mod(theta + wobble.astype(np.float32), np.pi).astype(np.float32)
    period = float(rng.uniform(8.5, 10.5))
    bank = _gabor_bank(period, size)
    bins = orientation_bins(theta)
    image = rng.normal(0, 1, (size, size)).astype(np.float32)
    for _ in range(iterations):
        image = oriented_filter(image, bins, bank)
        image = np.clip(image / (np.std(image) + 1e-6) * 1.5, -1, 1).astype(np.float32)
    truth = Truth(
        finger=finger, impression=0, pattern=pattern, period=period, cores=cores, deltas=deltas
    )
    return Master(image=image, truth=truth)


def make_impression(
    master: Master, seed: int, impression: int, distortion: Distortion | None = None
) -> tuple[npt.NDArray[np.uint8], Truth]:
    """One grey-scale impression (dark ridges on white, ~500 dpi) and its ground truth."""
    d = distortion or Distortion()
    rng = _rng(seed, master.truth.finger, impression + 1)
    out = IMPRESSION_SIZE
    src = MASTER_SIZE
    angle = math.radians(rng.uniform(-d.max_rotation_deg, d.max_rotation_deg))
    shift = rng.uniform(-d.max_shift, d.max_shift, 2)
    qy, qx = np.mgrid[0:out, 0:out].astype(np.float64)
    # Contact centre: where the finger presses hardest, distortion grows away from it.
    centre = np.array([out / 2, out / 2]) + rng.normal(0, out * 0.06, 2)
    r = np.hypot(qx - centre[0], qy - centre[1])
    ramp = np.clip((r - out * 0.15) / (out * 0.35), 0, 1) ** 1.5
    field_x = ndimage.gaussian_filter(rng.normal(0, 1, (out, out)), 40)
    field_y = ndimage.gaussian_filter(rng.normal(0, 1, (out, out)), 40)
    scale = d.skin / (np.abs(np.concatenate([field_x, field_y])).max() + 1e-9)
    ux, uy = qx + field_x * scale * ramp, qy + field_y * scale * ramp
    # Inverse rigid transform: impression pixel -> master pixel.
    cx = cy = out / 2
    ca, sa = math.cos(angle), math.sin(angle)
    mx = ca * (ux - cx) + sa * (uy - cy) + src / 2 - shift[0]
    my = -sa * (ux - cx) + ca * (uy - cy) + src / 2 - shift[1]
    warped = ndimage.map_coordinates(master.image, [my, mx], order=1, cval=-1.0)
    # Pressure and dryness: a smooth bias thickens or thins ridges region by region.
    bias = (
        rng.uniform(-0.25, 0.25)
        + ndimage.gaussian_filter(rng.normal(0, 1, (out, out)), 25) * 8 * d.noise
    )
    ridges = np.tanh(2.5 * (warped + bias))
    ridges = ndimage.gaussian_filter(ridges, 0.8)
    ridges += rng.normal(0, d.noise * 0.6, ridges.shape)
    # Partial contact: an ellipse of finger, soft-edged, somewhere in the frame.
    area = rng.uniform(d.min_area, 1.0)
    ax = out * 0.5 * math.sqrt(area) * rng.uniform(0.95, 1.15)
    ay = out * 0.62 * math.sqrt(area) * rng.uniform(0.95, 1.15)
    ex, ey = centre + rng.normal(0, 10, 2)
    inside = ((qx - ex) / ax) ** 2 + ((qy - ey) / ay) ** 2
    contact = np.clip((1.15 - inside) / 0.3, 0, 1)
    contact *= (mx >= 0.0) & (mx < src) & (my >= 0.0) & (my < src)
    ink = (ridges + 1) / 2 * contact
    grey = 240 - 200 * ink + rng.normal(0, 4, ink.shape)
    truth = Truth(
        finger=master.truth.finger,
        impression=impression,
        pattern=master.truth.pattern,
        period=master.truth.period,
        cores=master.truth.cores,
        deltas=master.truth.deltas,
        shift=(float(shift[0]), float(shift[1])),
        rotation_deg=math.degrees(angle),
        extra={"contact_area": float(area), "skin_px": d.skin},
    )
    return np.clip(grey, 0, 255).astype(np.uint8), truth


def impressions(
    seed: int, finger: int, count: int, distortion: Distortion | None = None
) -> list[tuple[npt.NDArray[np.uint8], Truth]]:
    master = make_master(seed, finger)
    return [make_impression(master, seed, k, distortion) for k in range(count)]


def synthetic_minutiae(seed: int, finger: int) -> npt.NDArray[np.float32]:
    """Minutiae (n, 3: x, y, angle) drawn directly, without an image: positions spread over
    an elliptic print with a minimum spacing, directions following a class-based orientation
    field. Cheap stand-ins for large galleries (distractors), where growing and extracting
    100,000 images would take hours; they are less realistic than extracted minutiae."""
    rng = _rng(seed, finger, 99)
    size = IMPRESSION_SIZE
    pattern = str(rng.choice(_CLASSES, p=_CLASS_P))
    cores, deltas = _singularities(pattern, rng, size)
    count = int(np.clip(rng.normal(46, 9), 18, 80))
    ax, ay = size * rng.uniform(0.38, 0.5), size * rng.uniform(0.45, 0.55)
    candidates = rng.uniform(-1, 1, (count * 6, 2))
    candidates = candidates[(candidates**2).sum(axis=1) <= 1]
    pts = np.stack([size / 2 + candidates[:, 0] * ax, size / 2 + candidates[:, 1] * ay], axis=1)
    chosen: list[npt.NDArray[np.float64]] = []
    for p in pts:
        if all(np.hypot(*(p - q)) >= 9 for q in chosen):
            chosen.append(p)
        if len(chosen) == count:
            break
    xy = np.array(chosen)
    theta = orientation_field(pattern, cores, deltas, size)
    xi = np.clip(xy[:, 0].astype(int), 0, size - 1)
    yi = np.clip(xy[:, 1].astype(int), 0, size - 1)
    angle = theta[yi, xi] + rng.normal(0, 0.12, len(xy)) + np.pi * rng.integers(0, 2, len(xy))
    return np.column_stack([xy, np.mod(angle, 2 * np.pi)]).astype(np.float32)
