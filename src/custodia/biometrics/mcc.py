"""Minutia Cylinder-Code (Cappelli, Ferrara, Maltoni, IEEE TPAMI 32(12), 2010), bit version,
with local similarity sort and relaxation (LSSR), compiled with numba.

Each minutia gets a cylinder: a 16 x 16 spatial grid of radius 70 px aligned with the
minutia's direction, times 6 angular sections; a cell's bit says whether neighbouring
minutiae of that relative direction lie near the cell. Cylinders are 1,536 bits (24 words)
plus a validity mask of the cells that lie inside the print (the minutiae's convex hull
enlarged by 50 px). Two cylinders compare by the normalised Hamming distance over the
cells valid in both; LSSR keeps the pairs whose geometry agrees with the other pairs.

Parameters are the paper's (MCC16b), scaled for ~500 dpi.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

RADIUS = 70.0
NS = 16
ND = 6
SIGMA_S = 28.0 / 3.0
SIGMA_D = 2.0 * math.pi / 9.0
MU_PSI = 0.01
OMEGA = 50.0
MIN_VALID_CELLS = 0.75
MIN_NEIGHBOURS = 2
MIN_MATCHABLE = 0.6
WORDS = NS * NS * ND // 64
DELTA_THETA = math.pi / 2
# LSSR
MIN_NP, MAX_NP, MU_P, TAU_P = 4, 12, 20.0, 0.4
N_REL, W_R = 5, 0.5
MU1, TAU1, MU2, TAU2, MU3, TAU3 = 5.0, -8.0 / 5.0, math.pi / 12, -30.0, math.pi / 12, -30.0


@dataclass(frozen=True)
class Template:
    """A finger ready for matching: its minutiae (n, 3: x, y, angle) and their cylinders."""

    minutiae: npt.NDArray[np.float32]
    bits: npt.NDArray[np.uint64]  # (n, WORDS)
    valid: npt.NDArray[np.uint64]  # (n, WORDS)
    ok: npt.NDArray[np.bool_]  # cylinders that are valid (enough cells and neighbours)

    def __len__(self) -> int:
        return int(self.minutiae.shape[0])


@numba.njit(cache=True, inline="always")
def _dphi(a: float, b: float) -> float:  # pragma: no cover - jit
    """Signed difference of two angles in (-pi, pi]."""
    d = a - b
    while d <= -math.pi:
        d += 2 * math.pi
    while d > math.pi:
        d -= 2 * math.pi
    return d


@numba.njit(cache=True)
def _hull_planes(points: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:  # pragma: no cover
    """Convex hull (monotone chain) as half-planes (nx, ny, c): inside when nx*x+ny*y <= c."""
    n = points.shape[0]
    order = np.argsort(points[:, 0] * 100000.0 + points[:, 1])
    pts = points[order][:, :2].astype(np.float64)
    hull = np.empty((2 * n + 1, 2))
    k = 0
    for i in range(n):
        while (
            k >= 2
            and (
                (hull[k - 1, 0] - hull[k - 2, 0]) * (pts[i, 1] - hull[k - 2, 1])
                - (hull[k - 1, 1] - hull[k - 2, 1]) * (pts[i, 0] - hull[k - 2, 0])
            )
            <= 0
        ):
            k -= 1
        hull[k] = pts[i]
        k += 1
    lower = k + 1
    for i in range(n - 2, -1, -1):
        while (
            k >= lower
            and (
                (hull[k - 1, 0] - hull[k - 2, 0]) * (pts[i, 1] - hull[k - 2, 1])
                - (hull[k - 1, 1] - hull[k - 2, 1]) * (pts[i, 0] - hull[k - 2, 0])
            )
            <= 0
        ):
            k -= 1
        hull[k] = pts[i]
        k += 1
    m = k - 1
    planes = np.zeros((max(m, 0), 3))
    for i in range(m):
        ax, ay = hull[i, 0], hull[i, 1]
        bx, by = hull[i + 1, 0], hull[i + 1, 1]
        ex, ey = bx - ax, by - ay
        length = math.hypot(ex, ey)
        if length == 0:
            continue
        # Counter-clockwise hull: the outward normal is (ey, -ex).
        nx, ny = ey / length, -ex / length
        planes[i, 0], planes[i, 1], planes[i, 2] = nx, ny, nx * ax + ny * ay
    return planes


@numba.njit(cache=True)
def _cylinders(
    m: npt.NDArray[np.float32],
) -> tuple[
    npt.NDArray[np.uint64], npt.NDArray[np.uint64], npt.NDArray[np.bool_]
]:  # pragma: no cover
    n = m.shape[0]
    bits = np.zeros((n, WORDS), dtype=np.uint64)
    valid = np.zeros((n, WORDS), dtype=np.uint64)
    ok = np.zeros(n, dtype=np.bool_)
    if n < 3:
        return bits, valid, ok
    planes = _hull_planes(m)
    delta_s = 2 * RADIUS / NS
    delta_d = 2 * math.pi / ND
    gs_norm = 1.0 / (SIGMA_S * math.sqrt(2 * math.pi))
    reach = 3 * SIGMA_S
    centre = np.empty(NS)
    for i in range(NS):
        centre[i] = (i + 0.5 - NS / 2) * delta_s
    cells_in_disc = 0
    for i in range(NS):
        for j in range(NS):
            if math.hypot(centre[i], centre[j]) <= RADIUS:
                cells_in_disc += 1
    near_u = np.empty(n)
    near_v = np.empty(n)
    gd = np.empty((n, ND))
    cell_ok = np.zeros((NS, NS), dtype=np.bool_)
    sums = np.zeros((NS, NS, ND))
    for a in range(n):
        xa, ya, ta = float(m[a, 0]), float(m[a, 1]), float(m[a, 2])
        ca, sa = math.cos(ta), math.sin(ta)
        # Neighbours in the cylinder's own frame, with their direction contributions
        # (which depend on the neighbour only, not on the cell).
        neighbours = 0
        for t in range(n):
            dx, dy = m[t, 0] - xa, m[t, 1] - ya
            if t == a or math.hypot(dx, dy) > RADIUS + reach:
                continue
            near_u[neighbours] = ca * dx + sa * dy
            near_v[neighbours] = -sa * dx + ca * dy
            dtheta = _dphi(ta, float(m[t, 2]))
            for k in range(ND):
                alpha = _dphi(-math.pi + (k + 0.5) * delta_d, dtheta)
                lo = (alpha - delta_d / 2) / (SIGMA_D * math.sqrt(2.0))
                hi = (alpha + delta_d / 2) / (SIGMA_D * math.sqrt(2.0))
                gd[neighbours, k] = 0.5 * (math.erf(hi) - math.erf(lo))
            neighbours += 1
        valid_cells = 0
        for i in range(NS):
            for j in range(NS):
                inside = math.hypot(centre[i], centre[j]) <= RADIUS
                if inside:
                    px = xa + ca * centre[i] - sa * centre[j]
                    py = ya + sa * centre[i] + ca * centre[j]
                    for p in range(planes.shape[0]):
                        if planes[p, 0] * px + planes[p, 1] * py - planes[p, 2] > OMEGA:
                            inside = False
                            break
                cell_ok[i, j] = inside
                valid_cells += inside
                for k in range(ND):
                    sums[i, j, k] = 0.0
        # Each neighbour reaches only the cells within 3 sigma of it.
        for q in range(neighbours):
            u, v = near_u[q], near_v[q]
            i0 = max(0, math.floor((u - reach) / delta_s + NS / 2 - 0.5))
            i1 = min(NS - 1, math.ceil((u + reach) / delta_s + NS / 2 - 0.5))
            j0 = max(0, math.floor((v - reach) / delta_s + NS / 2 - 0.5))
            j1 = min(NS - 1, math.ceil((v + reach) / delta_s + NS / 2 - 0.5))
            for i in range(i0, i1 + 1):
                for j in range(j0, j1 + 1):
                    if not cell_ok[i, j]:
                        continue
                    ds2 = (centre[i] - u) ** 2 + (centre[j] - v) ** 2
                    if ds2 > reach * reach:
                        continue
                    gs = gs_norm * math.exp(-ds2 / (2 * SIGMA_S * SIGMA_S))
                    for k in range(ND):
                        sums[i, j, k] += gs * gd[q, k]
        for i in range(NS):
            for j in range(NS):
                if not cell_ok[i, j]:
                    continue
                for k in range(ND):
                    cell = (k * NS + j) * NS + i
                    word, bit = cell >> 6, np.uint64(1) << np.uint64(cell & 63)
                    valid[a, word] |= bit
                    if sums[i, j, k] >= MU_PSI:
                        bits[a, word] |= bit
        ok[a] = valid_cells >= MIN_VALID_CELLS * cells_in_disc and neighbours >= MIN_NEIGHBOURS
    return bits, valid, ok


@numba.njit(cache=True, inline="always")
def _popcount(x: np.uint64) -> int:  # pragma: no cover - jit
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))


@numba.njit(cache=True)
def _local_similarities(
    ma: npt.NDArray[np.float32],
    ba: npt.NDArray[np.uint64],
    va: npt.NDArray[np.uint64],
    oka: npt.NDArray[np.bool_],
    mb: npt.NDArray[np.float32],
    bb: npt.NDArray[np.uint64],
    vb: npt.NDArray[np.uint64],
    okb: npt.NDArray[np.bool_],
) -> npt.NDArray[np.float32]:  # pragma: no cover - jit
    na, nb = ma.shape[0], mb.shape[0]
    sim = np.zeros((na, nb), dtype=np.float32)
    layer_words = NS * NS // 64
    min_cells = MIN_MATCHABLE * NS * NS * math.pi / 4
    for a in range(na):
        if not oka[a]:
            continue
        for b in range(nb):
            if not okb[b] or abs(_dphi(float(ma[a, 2]), float(mb[b, 2]))) > DELTA_THETA:
                continue
            common = 0
            for w in range(layer_words):
                common += _popcount(va[a, w] & vb[b, w])
            if common < min_cells:
                continue
            na_bits = 0
            nb_bits = 0
            diff = 0
            for w in range(WORDS):
                mask = va[a, w] & vb[b, w]
                x = ba[a, w] & mask
                y = bb[b, w] & mask
                na_bits += _popcount(x)
                nb_bits += _popcount(y)
                diff += _popcount(x ^ y)
            denom = math.sqrt(na_bits) + math.sqrt(nb_bits)
            if denom > 0:
                sim[a, b] = 1.0 - math.sqrt(diff) / denom
    return sim


@numba.njit(cache=True, inline="always")
def _z(v: float, mu: float, tau: float) -> float:  # pragma: no cover - jit
    return 1.0 / (1.0 + math.exp(-tau * (v - mu)))


@numba.njit(cache=True)
def _lssr(
    sim: npt.NDArray[np.float32], ma: npt.NDArray[np.float32], mb: npt.NDArray[np.float32]
) -> float:  # pragma: no cover - jit
    na, nb = sim.shape
    if na == 0 or nb == 0:
        return 0.0
    small = min(na, nb)
    n_p = MIN_NP + round((MAX_NP - MIN_NP) / (1.0 + math.exp(-TAU_P * (small - MU_P))))
    n_r = small
    flat = sim.ravel()
    order = np.argsort(-flat)[:n_r]
    ia = np.empty(n_r, dtype=np.int64)
    ib = np.empty(n_r, dtype=np.int64)
    lam = np.empty(n_r)
    count = 0
    for idx in order:
        if flat[idx] <= 0:
            break
        ia[count], ib[count], lam[count] = idx // nb, idx % nb, flat[idx]
        count += 1
    if count == 0:
        return 0.0
    rho = np.zeros((count, count))
    for i in range(count):
        ai, bi = ia[i], ib[i]
        for k in range(count):
            ak, bk = ia[k], ib[k]
            if k == i or ai == ak or bi == bk:
                continue
            dxa, dya = ma[ak, 0] - ma[ai, 0], ma[ak, 1] - ma[ai, 1]
            dxb, dyb = mb[bk, 0] - mb[bi, 0], mb[bk, 1] - mb[bi, 1]
            d1 = abs(math.hypot(dxa, dya) - math.hypot(dxb, dyb))
            d2 = abs(
                _dphi(
                    _dphi(float(ma[ai, 2]), float(ma[ak, 2])),
                    _dphi(float(mb[bi, 2]), float(mb[bk, 2])),
                )
            )
            ra = _dphi(float(ma[ai, 2]), math.atan2(dya, dxa))
            rb = _dphi(float(mb[bi, 2]), math.atan2(dyb, dxb))
            d3 = abs(_dphi(ra, rb))
            rho[i, k] = _z(d1, MU1, TAU1) * _z(d2, MU2, TAU2) * _z(d3, MU3, TAU3)
    initial = lam[:count].copy()
    current = initial.copy()
    for _ in range(N_REL):
        nxt = np.empty(count)
        for i in range(count):
            acc = 0.0
            for k in range(count):
                acc += rho[i, k] * current[k]
            nxt[i] = W_R * current[i] + (1 - W_R) * acc / max(count - 1, 1)
        current = nxt
    efficiency = current / initial
    best = np.argsort(-efficiency)[: min(n_p, count)]
    total = 0.0
    for i in best:
        total += current[i]
    return total / n_p


@numba.njit(cache=True)
def _score(
    ma: npt.NDArray[np.float32],
    ba: npt.NDArray[np.uint64],
    va: npt.NDArray[np.uint64],
    oka: npt.NDArray[np.bool_],
    mb: npt.NDArray[np.float32],
    bb: npt.NDArray[np.uint64],
    vb: npt.NDArray[np.uint64],
    okb: npt.NDArray[np.bool_],
) -> float:  # pragma: no cover - jit
    sim = _local_similarities(ma, ba, va, oka, mb, bb, vb, okb)
    return _lssr(sim, ma, mb)


def template(minutiae: npt.NDArray[np.float32]) -> Template:
    """Cylinders of ``minutiae`` (n, 3: x, y, angle in radians)."""
    m = np.ascontiguousarray(minutiae[:, :3], dtype=np.float32).reshape(-1, 3)
    bits, valid, ok = _cylinders(m)
    return Template(minutiae=m, bits=bits, valid=valid, ok=ok)


def score(a: Template, b: Template) -> float:
    """MCC-LSSR similarity in [0, 1]; symmetric up to ties."""
    return float(_score(a.minutiae, a.bits, a.valid, a.ok, b.minutiae, b.bits, b.valid, b.ok))
