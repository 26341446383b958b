"""Write maps/data/qinghe.geojson: the demo city's districts, main roads and named places (all invented).

Run once when the demo geography changes: ``python scripts/maps_qinghe_geojson.py``. The output is
deterministic; the districts tile the city with shared borders (no gaps, no overlaps), in WGS-84
(longitude, latitude) order as GeoJSON requires.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "maps" / "data" / "qinghe.geojson"

# Corner nodes of the layout (lng, lat). North band 北山, south band 南湖, middle band 西城 | 东城 | 高新.
W, X1, X2, E = 119.82, 119.94, 120.04, 120.14
S, Y1, Y2, N = 30.48, 30.56, 30.68, 30.76


def wiggle(a: tuple[float, float], b: tuple[float, float], steps: int, amplitude: float, seed: int) -> list:
    """Points from a to b (a included, b left out) bent by a smooth sine so borders do not look ruled."""
    points = []
    (x0, y0), (x1, y1) = a, b
    length = math.hypot(x1 - x0, y1 - y0)
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length
    for i in range(steps):
        t = i / steps
        bend = amplitude * math.sin(math.pi * t) * math.sin(seed + 5.3 * t)
        points.append((round(x0 + (x1 - x0) * t + nx * bend, 6), round(y0 + (y1 - y0) * t + ny * bend, 6)))
    return points


def path(nodes: list[tuple[float, float]], seed: int, amplitude: float = 0.006) -> list:
    """A bent line through ``nodes`` (every node kept exactly, so neighbours share them)."""
    points = []
    for i, (a, b) in enumerate(zip(nodes, nodes[1:], strict=False)):
        points += wiggle(a, b, 8, amplitude, seed + i)
    return points + [nodes[-1]]


def reverse(points: list) -> list:
    return list(reversed(points))


# Shared borders, each drawn once and used (reversed where needed) by both neighbours.
north_mid = path([(W, Y2), (X1, Y2), (X2, Y2), (E, Y2)], seed=1)  # 北山 | middle band, west to east
south_mid = path([(W, Y1), (X1, Y1), (X2, Y1), (E, Y1)], seed=2)  # middle band | 南湖
west_east_1 = path([(X1, Y1), (X1, Y2)], seed=3)  # 西城 | 东城, south to north
west_east_2 = path([(X2, Y1), (X2, Y2)], seed=4)  # 东城 | 高新
outer_north = path([(W, Y2), (W, N), (E, N), (E, Y2)], seed=5, amplitude=0.01)
outer_south = path([(W, Y1), (W, S), (E, S), (E, Y1)], seed=6, amplitude=0.01)
outer_west = path([(W, Y1), (W, Y2)], seed=7, amplitude=0.008)
outer_east = path([(E, Y1), (E, Y2)], seed=8, amplitude=0.008)


def segment(line: list, start: tuple[float, float], end: tuple[float, float]) -> list:
    i, j = line.index(start), line.index(end)
    return line[i : j + 1] if i <= j else reverse(line[j : i + 1])


def ring(*parts: list) -> list:
    points: list = []
    for part in parts:
        points += part if not points else part[1:]
    if points[0] != points[-1]:
        points.append(points[0])
    return [list(p) for p in points]


DISTRICTS = {
    "beishan": ring(outer_north, reverse(north_mid)),
    "nanhu": ring(south_mid, reverse(outer_south)),
    "xicheng": ring(
        segment(south_mid, (W, Y1), (X1, Y1)), west_east_1, segment(north_mid, (X1, Y2), (W, Y2)), reverse(outer_west)
    ),
    "dongcheng": ring(
        segment(south_mid, (X1, Y1), (X2, Y1)),
        west_east_2,
        segment(north_mid, (X2, Y2), (X1, Y2)),
        reverse(west_east_1),
    ),
    "gaoxin": ring(
        segment(south_mid, (X2, Y1), (E, Y1)), outer_east, segment(north_mid, (E, Y2), (X2, Y2)), reverse(west_east_2)
    ),
}
NAMES = {
    "dongcheng": ("东城区", "Dongcheng District"),
    "xicheng": ("西城区", "Xicheng District"),
    "nanhu": ("南湖区", "Nanhu District"),
    "beishan": ("北山区", "Beishan District"),
    "gaoxin": ("高新区", "High-tech Zone"),
}
ROADS = [
    (
        "人民路",
        "Renmin Road",
        [(119.83, 30.620), (119.90, 30.623), (119.99, 30.618), (120.08, 30.622), (120.13, 30.619)],
    ),
    (
        "解放大道",
        "Jiefang Avenue",
        [(119.990, 30.49), (119.992, 30.56), (119.989, 30.62), (119.991, 30.70), (119.988, 30.75)],
    ),
    ("湖滨路", "Hubin Road", [(119.965, 30.600), (119.972, 30.565), (119.985, 30.540), (120.010, 30.525)]),
    ("北山大道", "Beishan Avenue", [(119.86, 30.705), (119.93, 30.715), (120.00, 30.712), (120.10, 30.720)]),
    ("西关大街", "Xiguan Avenue", [(119.84, 30.640), (119.88, 30.638), (119.935, 30.641)]),
    ("科技大道", "Keji Avenue", [(120.045, 30.600), (120.09, 30.605), (120.135, 30.600)]),
    ("渔港路", "Yugang Road", [(119.90, 30.51), (119.95, 30.505), (120.05, 30.51)]),
]
# The demo texts' places (demo/texts.py PLACES): where each one is.
PLACES = {
    "dongcheng": [
        ("红星路", 30.630, 119.975),
        ("鼓楼街", 30.615, 120.000),
        ("红星里小区", 30.640, 119.965),
        ("文化路菜市场", 30.595, 120.020),
    ],
    "xicheng": [
        ("西关大街", 30.640, 119.880),
        ("槐树巷", 30.610, 119.860),
        ("西苑小区", 30.590, 119.900),
        ("金水桥", 30.655, 119.915),
    ],
    "nanhu": [
        ("湖滨路", 30.535, 119.985),
        ("渔港路", 30.508, 119.940),
        ("湖畔家园", 30.525, 120.050),
        ("南湖公园", 30.515, 120.000),
    ],
    "beishan": [
        ("北山大道", 30.712, 119.960),
        ("矿区路", 30.735, 119.880),
        ("松林小区", 30.700, 120.060),
        ("北山公园", 30.740, 120.010),
    ],
    "gaoxin": [
        ("科技大道", 30.603, 120.090),
        ("创业路", 30.630, 120.070),
        ("软件园", 30.620, 120.110),
        ("云谷花园", 30.585, 120.060),
    ],
}


def main() -> None:
    features = []
    for code, coords in DISTRICTS.items():
        zh, en = NAMES[code]
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": "district", "code": code, "name_zh": zh, "name_en": en},
                "geometry": {"type": "Polygon", "coordinates": [coords]},
            }
        )
    for zh, en, line in ROADS:
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": "road", "name_zh": zh, "name_en": en},
                "geometry": {"type": "LineString", "coordinates": [list(p) for p in line]},
            }
        )
    for code, places in PLACES.items():
        for zh, lat, lng in places:
            features.append(
                {
                    "type": "Feature",
                    "properties": {"kind": "place", "district": code, "name_zh": zh},
                    "geometry": {"type": "Point", "coordinates": [lng, lat]},
                }
            )
    collection = {
        "type": "FeatureCollection",
        "name": "清河市 Qinghe (fictional demo city), WGS-84",
        "features": features,
    }
    OUT.write_text(json.dumps(collection, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
