"""How often a speaker is right at each level of ``speaker_confidence`` (PolNeAR).

score_quotes.py takes no confidence, so this reuses its matching and speaker rules on
the quotes ``quotes_adapter.extract_scored`` returns and counts, per tenth of
confidence, the judged quotes (gold speaker a name) and how many were right. The
hand-annotated CNN/DM dev set reports the same figure itself ("confident").

    cd /work/quotes && PYTHONPATH=. python tests/benchmarks/quotes_calibration.py \\
        ../shared/eval/quotes/polnear_dev_direct_quotes.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT.parent / "shared" / "tools"))

import score_quotes as sq  # type: ignore[import-not-found]  # noqa: E402

from tests.benchmarks.quotes_adapter import extract_scored  # noqa: E402

THRESHOLD = 0.5


def _judged(doc: dict[str, Any]) -> list[tuple[float, bool]]:
    """(confidence, right) for each predicted quote matched to a gold quote with a name."""
    text = doc["text"]
    raw = extract_scored(text)
    preds = sq.normalise_preds([(q, s, a, b) for q, s, a, b, _ in raw], text)
    confidences = [c if s else -1.0 for _, s, _, _, c in raw]
    golds = doc["quotes"]
    pairs = sorted(((sq.match_score(p, g), pi, gi) for pi, p in enumerate(preds)
                    for gi, g in enumerate(golds)), reverse=True)
    used_p: set[int] = set()
    used_g: set[int] = set()
    out: list[tuple[float, bool]] = []
    for score, pi, gi in pairs:
        if score < 0.8 or pi in used_p or gi in used_g:
            continue
        used_p.add(pi)
        used_g.add(gi)
        if golds[gi].get("speaker_kind") == "name":
            out.append((confidences[pi],
                        bool(sq.speaker_correct(preds[pi]["speaker"], golds[gi]["speaker"]))))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    args = parser.parse_args()
    bins: dict[float, list[int]] = defaultdict(lambda: [0, 0])
    with args.gold.open(encoding="utf-8") as handle:
        for line in handle:
            for confidence, correct in _judged(json.loads(line)):
                key = min(int(confidence * 10) / 10, 0.9) if confidence >= 0 else -1.0
                bins[key][0] += 1
                bins[key][1] += int(correct)
    print("confidence  judged  right  share")
    for key in sorted(bins):
        n, hits = bins[key]
        label = "none" if key < 0 else f"{key:.1f}"
        print(f"{label:>10}  {n:6d}  {hits:5d}  {hits / n:.3f}")
    sure = sum(v[0] for k, v in bins.items() if k >= THRESHOLD)
    sure_hits = sum(v[1] for k, v in bins.items() if k >= THRESHOLD)
    print(f"at >= {THRESHOLD}: {sure_hits}/{sure} right = {sure_hits / max(sure, 1):.3f}")


if __name__ == "__main__":
    main()
