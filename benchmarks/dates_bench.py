"""Date-finding speed: sentences per second of ``geo.text.dates.find_dates`` on a long text.

    .venv/bin/python benchmarks/dates_bench.py [--repeat 500]

The text repeats one sentence with four date expressions (a weekday, a month and year, a month,
a duration); the median of three runs is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SENTENCE = (
    "Sunday’s caravan is the largest since June 2022, and in November over 3,000 migrants blocked "
    "the crossing for more than 30 hours while 7,000 people waited in Tapachula. "
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=500, help="sentences in the text")
    a = ap.parse_args()
    from geo.text.dates import find_dates

    text = SENTENCE * a.repeat
    published = dt.date(2023, 12, 24)
    find_dates(SENTENCE, published)  # warm-up: dateparser's language data
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        found = find_dates(text, published)
        runs.append(time.perf_counter() - t0)
    elapsed = statistics.median(runs)
    print(f"date expressions  {len(found)}")
    print(f"sentences/s       {a.repeat / elapsed:,.0f} (median of 3 runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
