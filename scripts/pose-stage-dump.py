#!/usr/bin/env python3
"""Dumps the stage-by-stage numbers of ../shared/blazepose/ref_pipeline.py for the first N
frames of a directory of JPEGs, for the pipeline stage tests (numbers only, never pixels).

    pose-stage-dump.py --blazepose DIR --det DET --lm LM --frames DIR --count N [--static] --out F

Per frame: image size, whether the detector ran, letterbox padding, the NMS output, the ROI,
the pose flag, the raw 39 x 5 landmark tensor, the final (smoothed) 33 landmarks and the 2
auxiliary points, and checksums of the two model input tensors (sum and 16 sampled values).
Timestamps are those of ref_pipeline.py (30 fps).
"""
import argparse
import glob
import json
import math
import os
import sys

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--blazepose", required=True)
    ap.add_argument("--det", required=True)
    ap.add_argument("--lm", required=True)
    ap.add_argument("--frames", required=True)
    ap.add_argument("--count", type=int, default=3)
    ap.add_argument("--static", action="store_true")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    sys.path.insert(0, a.blazepose)
    import ref_pipeline as rp
    from PIL import Image

    files = sorted(f for f in glob.glob(os.path.join(a.frames, "*.jpg")))[: a.count]
    pp = rp.PosePipeline(a.det, a.lm, static=a.static, smooth=not a.static)
    # Record the model inputs by wrapping the runners.
    seen = {}

    def wrap(runner, key):
        def call(x):
            flat = x.reshape(-1).astype(np.float64)
            idx = np.linspace(0, flat.size - 1, 16).astype(np.int64)
            seen[key] = {"sum": float(flat.sum()), "indices": idx.tolist(),
                         "values": flat[idx].tolist()}
            return orig(x)
        orig = runner.__call__
        return call

    det_call, lm_call = wrap(pp.det, "detector_input"), wrap(pp.lm, "landmark_input")
    pp.det = det_call
    pp.lm = lm_call
    out = []
    for f in files:
        img = np.asarray(Image.open(f).convert("RGB"))
        seen.clear()
        dbg = {}
        r = pp.process(img, dbg)
        H, W = img.shape[:2]
        row = {"frame": os.path.basename(f), "width": W, "height": H, "detected": r["detected"],
               "presence": r.get("presence"), "roi": r.get("roi"),
               "pose": None if r["pose"] is None else [p[:4] for p in r["pose"]],
               "aux": r.get("aux")}
        if "det_after_nms" in dbg:
            row["letterbox_padding"] = list(dbg["det_letterbox_padding"])
            row["detections_above_threshold"] = dbg["det_num_above_threshold"]
            row["detections"] = [{"score": d["score"], "box": list(d["box"]),
                                  "keypoints": [list(k) for k in d["kps"]]}
                                 for d in dbg["det_after_nms"]]
        if "raw_landmarks" in dbg:
            row["raw_landmarks"] = dbg["raw_landmarks"]
        row.update({k: v for k, v in seen.items()})
        out.append(row)
    with open(a.out, "w") as fo:
        json.dump({"static": a.static, "frames": out}, fo, indent=None)
        fo.write("\n")


if __name__ == "__main__":
    main()
