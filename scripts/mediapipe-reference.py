#!/usr/bin/env python3
"""Runs MediaPipe 0.10.14's legacy mp.solutions.pose over a directory of JPEGs and writes its
landmarks in the realdata landmarks.json layout (for scripts/eval-realdata.sh --pose --static).

    mediapipe-reference.py FRAMES_DIR OUT.json [--static] [--fps F]

Frames are read with OpenCV and converted to RGB, as compare_mediapipe.py does. Note that
mp.solutions feeds a fixed 30 fps clock to its smoothing filters whatever the real rate.
Needs a venv with mediapipe==0.10.14, 'numpy<2', opencv-python-headless.
"""
import argparse
import glob
import json
import os

import cv2
import mediapipe as mp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("frames")
    ap.add_argument("out")
    ap.add_argument("--static", action="store_true")
    ap.add_argument("--fps", type=float, default=30.0)
    a = ap.parse_args()
    files = sorted(glob.glob(os.path.join(a.frames, "*.jpg")))
    pose = mp.solutions.pose.Pose(static_image_mode=a.static, model_complexity=1,
                                  smooth_landmarks=True, enable_segmentation=False,
                                  min_detection_confidence=0.5, min_tracking_confidence=0.5)
    frames, width, height = [], None, None
    for i, f in enumerate(files):
        img = cv2.cvtColor(cv2.imread(f), cv2.COLOR_BGR2RGB)
        height, width = img.shape[:2]
        r = pose.process(img)
        lms = None if r.pose_landmarks is None else [
            [l.x, l.y, l.z, l.visibility] for l in r.pose_landmarks.landmark]
        frames.append({"t": i / a.fps, "landmarks": lms})
    pose.close()
    with open(a.out, "w") as fo:
        json.dump({"fps": a.fps, "width": width, "height": height, "static": a.static,
                   "frames": frames}, fo)


if __name__ == "__main__":
    main()
