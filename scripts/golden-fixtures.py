#!/usr/bin/env python3
"""Writes the small committed subset of a golden.py output directory.

    golden-fixtures.py GOLDEN_DIR FIXTURE_DIR

FIXTURE_DIR/<model>.json holds, per model: the sha256 of the model file, the weight
checksums after DENSIFY + DEQUANTIZE (sum, sum_abs, first8 of every weight tensor) and
the stats/first8 of every model output for the cases "random" and "gray" (whose inputs
the tests can rebuild without files). No tensor data and nothing derived from real
frames is written.
"""
import json
import os
import sys


def main():
    golden, fixtures = sys.argv[1], sys.argv[2]
    with open(os.path.join(golden, "index.json")) as f:
        index = json.load(f)
    os.makedirs(fixtures, exist_ok=True)
    for name, model in index["models"].items():
        out = {
            "file": model["file"],
            "sha256": model["sha256"],
            "input": model["input"],
            "weights": [
                {k: w[k] for k in ("tensor_index", "shape", "sum", "sum_abs", "first8")}
                for w in model["weights"]
            ],
            "cases": {
                case: [
                    {k: o[k] for k in ("output_index", "tensor_index", "name", "shape", "stats")}
                    for o in model["cases"][case]["outputs"]
                ]
                for case in ("random", "gray")
            },
        }
        with open(os.path.join(fixtures, name + ".json"), "w") as f:
            json.dump(out, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
