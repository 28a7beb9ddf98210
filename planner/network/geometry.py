"""Straight-line distances, vectorised (pyproj's Geod agrees with geopy to the millimetre)."""
from __future__ import annotations

import numpy as np

UNREACHABLE = 10**12  # seconds; larger than any horizon, small enough not to overflow int64 sums


def geodesic_km(lat: np.ndarray, lon: np.ndarray, lat2: np.ndarray | None = None,
                lon2: np.ndarray | None = None) -> np.ndarray:
    """WGS84 geodesic distance matrix in km between two point sets (default: all pairs)."""
    from pyproj import Geod

    geod = Geod(ellps="WGS84")
    if lat2 is None and lon2 is None:
        # All pairs of one set: the distance is symmetric, so solve each pair once (half the
        # work of the full n x n product, which dominates the matrix build).
        n = len(lat)
        la, lo = np.asarray(lat, float), np.asarray(lon, float)
        i, j = np.triu_indices(n, k=1)
        _, _, dist_m = geod.inv(lo[i], la[i], lo[j], la[j])
        out = np.zeros((n, n))
        out[i, j] = np.asarray(dist_m) / 1000.0
        out[j, i] = out[i, j]
        return out
    lat2 = lat if lat2 is None else lat2
    lon2 = lon if lon2 is None else lon2
    a, b = len(lat), len(lat2)
    la1 = np.repeat(np.asarray(lat, float), b)
    lo1 = np.repeat(np.asarray(lon, float), b)
    la2 = np.tile(np.asarray(lat2, float), a)
    lo2 = np.tile(np.asarray(lon2, float), a)
    _, _, dist_m = geod.inv(lo1, la1, lo2, la2)
    return (np.asarray(dist_m) / 1000.0).reshape(a, b)


def geodesic_pairs_km(lat: np.ndarray, lon: np.ndarray, lat2: np.ndarray,
                      lon2: np.ndarray) -> np.ndarray:
    """WGS84 geodesic km between matching points (element by element, not all pairs)."""
    from pyproj import Geod

    _, _, dist_m = Geod(ellps="WGS84").inv(np.asarray(lon, float), np.asarray(lat, float),
                                           np.asarray(lon2, float), np.asarray(lat2, float))
    return np.asarray(dist_m, float) / 1000.0


def planar_km(x: np.ndarray, y: np.ndarray, x2: np.ndarray | None = None,
              y2: np.ndarray | None = None) -> np.ndarray:
    x2 = x if x2 is None else x2
    y2 = y if y2 is None else y2
    dx = np.asarray(x, float)[:, None] - np.asarray(x2, float)[None, :]
    dy = np.asarray(y, float)[:, None] - np.asarray(y2, float)[None, :]
    return np.hypot(dx, dy)


def ceil_seconds(seconds: np.ndarray) -> np.ndarray:
    """Round travel up to whole seconds; rounding to a microsecond first keeps exact
    values exact (600.0000000001 from binary floating point is 600 s, not 601 s). A time
    that is no number (NaN) is unreachable, never a negative integer."""
    seconds = np.minimum(np.nan_to_num(np.asarray(seconds, float), nan=UNREACHABLE), UNREACHABLE)
    return np.ceil(np.round(seconds, 6)).astype(np.int64)
