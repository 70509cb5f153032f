#!/usr/bin/env bash
# Builds the libFuzzer targets in Fuzz/Targets with -sanitize=fuzzer,address and runs them.
#
# Usage: scripts/fuzz.sh [TARGET|all] [SECONDS]      (defaults: all, 60 seconds per target)
#   TARGET: landmarks segments fastpath numbers mjpeg jpeg tflite mp4rate config duration localday localtime kept exportline
# Environment:
#   FUZZ_JOBS      targets run at once (default: the CPU count)
#   FUZZ_WORK      build, seeds, corpora, logs and crash artifacts (default .build/fuzz)
#   FUZZ_CORPUS    where the corpora grow, one directory per target (default $FUZZ_WORK/corpus)
#   FUZZ_ARGS      extra libFuzzer flags for every target (e.g. "-runs=1000")
#   BUDDY_MODEL_DIR  where the pose models are (seeds for `tflite`, when present)
# Exits non-zero when a build fails or any target finds a crash, leak, timeout or OOM; the
# input is then in $FUZZ_WORK/artifacts/TARGET/ (reproduce: $FUZZ_WORK/bin/TARGET FILE).
# Corpora grow in $FUZZ_WORK/corpus/TARGET across runs; nothing is written to the repository.
set -euo pipefail
cd "$(dirname "$0")/.."

all_targets=(landmarks segments fastpath numbers mjpeg jpeg tflite mp4rate config duration localday localtime kept exportline)
target=${1:-all}
seconds=${2:-60}
jobs=${FUZZ_JOBS:-$(nproc)}
work=${FUZZ_WORK:-.build/fuzz}
mkdir -p "$work"
work=$(cd "$work" && pwd)

say() { printf 'fuzz: %s\n' "$*" >&2; }

if [[ $target == all ]]; then
  targets=("${all_targets[@]}")
elif [[ " ${all_targets[*]} " == *" $target "* ]]; then
  targets=("$target")
else
  say "unknown target '$target' (known: ${all_targets[*]} all)"
  exit 2
fi

# The library modules each target links (objects of the sanitized SwiftPM build), or the
# executable-target sources compiled into the harness's own module.
pose_modules="PoseEstimation PoseKernelTypes PoseKernelsAVX2 PoseKernelsAVX512"
pose_modules+=" PoseKernelsAVX512Gemm8 CCPUID CJPEG CThreads"
lib_modules() {
  case $1 in
    landmarks | segments | fastpath | numbers) echo "PoseInput RepCounting $pose_modules Spawn CSpawn" ;;
    mjpeg | jpeg | tflite) echo "$pose_modules" ;;
    kept) echo "RepCounting" ;;
    *) echo "" ;;
  esac
}
source_files() {
  case $1 in
    config) echo "Sources/buddy/Configuration/ConfigFile.swift" ;;
    duration) echo "Sources/buddy/Support/DurationText.swift" ;;
    mp4rate) echo Sources/PoseInput/Video/MP4{FrameRate,Header,Boxes}.swift ;;
    localday) echo "Sources/WorkoutStore/Workouts/LocalDay.swift" ;;
    kept) echo Sources/WorkoutStore/Landmarks/LandmarkPayload{,Error,Reader,Writer}.swift ;;
    exportline) echo "Sources/Recording/Export/JSONMembers.swift Sources/Recording/Export/ExportTimestamp.swift" ;;
    localtime) echo "Sources/buddy/Support/LocalTime.swift Sources/buddy/Support/WallClockTime.swift" ;;
    segments | fastpath) echo "Fuzz/Shared/ReaderTranscript.swift" ;;
    *) echo "" ;;
  esac
}
# libFuzzer flags per target.
target_flags() {
  case $1 in
    landmarks) echo "-dict=Fuzz/dicts/landmarks.dict -max_len=65536" ;;
    segments) echo "-dict=Fuzz/dicts/landmarks.dict -max_len=16384" ;;
    fastpath) echo "-dict=Fuzz/dicts/landmarks.dict -max_len=65536" ;;
    numbers) echo "-dict=Fuzz/dicts/landmarks.dict -max_len=64" ;;
    mjpeg) echo "-dict=Fuzz/dicts/jpeg.dict -max_len=16384" ;;
    jpeg) echo "-dict=Fuzz/dicts/jpeg.dict -max_len=16384" ;;
    # The pose models are 3 and 6 MB; a model that loads is planned and run once.
    tflite) echo "-max_len=7000000 -timeout=60" ;;
    kept) echo "-dict=Fuzz/dicts/kept.dict -max_len=16384" ;;
    mp4rate) echo "-dict=Fuzz/dicts/mp4.dict -max_len=16384" ;;
    exportline) echo "-dict=Fuzz/dicts/landmarks.dict -max_len=4096" ;;
    *) echo "-max_len=256" ;;
  esac
}

needs_libs=0
for t in "${targets[@]}"; do [[ -n $(lib_modules "$t") ]] && needs_libs=1; done

# 1. The package's library modules, instrumented, in their own scratch path. SwiftPM only
#    compiles library targets (no link step), so -sanitize=fuzzer just adds coverage
#    instrumentation here; libFuzzer's main is linked into each harness below.
bin=$work/build/release
if [[ $needs_libs == 1 ]]; then
  say "building the library modules (sanitized) in $work/build"
  for attempt in 1 2 3; do
    # Another checkout's edits landing mid-build make SwiftPM give up: retry.
    if swift build -c release --scratch-path "$work/build" --target PoseInput \
      -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address \
      >"$work/swift-build.log" 2>&1; then
      break
    fi
    if [[ $attempt == 3 ]] || ! grep -q "modified during the build" "$work/swift-build.log"; then
      cat "$work/swift-build.log" >&2
      say "swift build failed"
      exit 1
    fi
    say "sources changed during the build; retrying"
  done
fi

# 2. One binary per target.
mkdir -p "$work/bin" "$work/objects"
build_target() {
  local t=$1 flags=() objects=() module
  # Only the objects of the sources the module has now: a file deleted since an earlier
  # build leaves its object behind, which would link stale code (or fail to link).
  local source
  for module in $(lib_modules "$t"); do
    while IFS= read -r source; do
      objects+=("$bin/$module.build/${source##*/}.o")
    done < <(find "Sources/$module/" \( -name '*.swift' -o -name '*.c' \) | sort)
  done
  if [[ -n $(lib_modules "$t") ]]; then
    flags+=(-I "$bin/Modules" -ljpeg -lm)
    for module in $(lib_modules "$t"); do
      # The C targets' module maps (SwiftPM writes one per C target).
      if [[ -f "$bin/$module.build/module.modulemap" ]]; then
        flags+=(-Xcc -fmodule-map-file="$bin/$module.build/module.modulemap")
      fi
    done
  fi
  # shellcheck disable=SC2046
  swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name "fuzz_$t" \
    -module-cache-path "$work/module-cache" \
    "Fuzz/Targets/$t.swift" $(source_files "$t") "${flags[@]}" "${objects[@]}" \
    -o "$work/bin/$t" 2>"$work/bin/$t.build.log" || {
    cat "$work/bin/$t.build.log" >&2
    return 1
  }
}
say "compiling ${#targets[@]} harness(es)"
pids=()
for t in "${targets[@]}"; do
  build_target "$t" &
  pids+=($!)
  if [[ ${#pids[@]} -ge $jobs ]]; then
    wait "${pids[0]}" || { say "building ${t} failed"; exit 1; }
    pids=("${pids[@]:1}")
  fi
done
for pid in "${pids[@]}"; do wait "$pid" || { say "building a harness failed"; exit 1; }; done

# 3. Seeds: committed ones, Fixtures/, small generated JPEG/MJPEG files, the pose models, and
#    the fixed crashes (regressions: libFuzzer runs every seed first).
generated=$work/generated
if [[ ! -s $generated/done ]] && command -v ffmpeg >/dev/null; then
  mkdir -p "$generated"
  ff() { ffmpeg -nostdin -loglevel error -y -f lavfi -i "testsrc=size=32x24:rate=4" "$@"; }
  ff -frames:v 1 -pix_fmt yuvj420p "$generated/yuv420.jpg"
  ff -frames:v 1 -pix_fmt yuvj444p "$generated/yuv444.jpg"
  ff -frames:v 1 -pix_fmt yuvj422p -vf scale=17:9 "$generated/odd-size.jpg"
  ff -frames:v 1 -pix_fmt gray "$generated/gray.jpg"
  ff -frames:v 3 -pix_fmt yuvj420p -f mjpeg "$generated/three-frames.mjpeg"
  # Small MP4/MOV files for mp4rate: moov at the end (ffmpeg's default) and at the front.
  ff -frames:v 4 -c:v mpeg4 -r 25 "$generated/end-moov.mp4"
  ff -frames:v 4 -c:v mpeg4 -r 30000/1001 -movflags +faststart "$generated/front-moov.mp4"
  ff -frames:v 4 -c:v mjpeg -r 10 "$generated/mjpeg.mov"
  ff -frames:v 4 -c:v mpeg4 -r 15 -movflags +faststart -metadata:s:v rotate=90 \
    "$generated/rotated.mp4"
  # An APP1 EXIF segment with orientation 6 (rotate 90°), inserted after SOI.
  {
    head -c 2 "$generated/yuv420.jpg"
    printf '\xff\xe1\x00\x22Exif\x00\x00II\x2a\x00\x08\x00\x00\x00\x01\x00'
    printf '\x12\x01\x03\x00\x01\x00\x00\x00\x06\x00\x00\x00\x00\x00\x00\x00'
    tail -c +3 "$generated/yuv420.jpg"
  } >"$generated/exif-orientation6.jpg"
  echo ok >"$generated/done"
elif [[ ! -s $generated/done ]]; then
  say "ffmpeg not found: no generated JPEG seeds"
fi
models=${BUDDY_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/exercise-buddy/models}
seed_dir() {
  local t=$1 dir=$work/seeds/$1
  rm -rf "$dir"
  mkdir -p "$dir"
  [[ -d Fuzz/seeds/$t ]] && cp Fuzz/seeds/"$t"/* "$dir"/ 2>/dev/null || true
  [[ -d Fuzz/crashes-fixed/$t ]] && cp Fuzz/crashes-fixed/"$t"/* "$dir"/ 2>/dev/null || true
  case $t in
    landmarks | segments | fastpath) cp Fixtures/*.json Fixtures/*.jsonl "$dir"/ ;;
    jpeg) cp "$generated"/*.jpg "$dir"/ 2>/dev/null || true ;;
    mp4rate) cp "$generated"/*.mp4 "$generated"/*.mov "$dir"/ 2>/dev/null || true ;;
    mjpeg)
      # Byte 0 is the harness's parameter byte: chunks of 6 bytes, no frame limit.
      local file
      for file in "$generated"/*.jpg "$generated"/*.mjpeg; do
        [[ -f $file ]] && { printf '\x05'; cat "$file"; } >"$dir/$(basename "$file")"
      done
      ;;
    tflite)
      if ls "$models"/*.tflite >/dev/null 2>&1; then
        cp "$models"/*.tflite "$dir"/
      else
        say "no pose models in $models: tflite starts from an empty corpus"
      fi
      ;;
  esac
  echo "$dir"
}

# 4. Run. libFuzzer's exit status is non-zero on any finding.
mkdir -p "$work/logs"
run_target() {
  local t=$1 seeds corpus=${FUZZ_CORPUS:-$work/corpus}/$1 artifacts=$work/artifacts/$1/
  seeds=$(seed_dir "$t")
  mkdir -p "$corpus" "$artifacts"
  # shellcheck disable=SC2046,SC2086
  # Swift's backtracer would hang on the first crash; the LSan suppressions are toolchain leaks.
  SWIFT_BACKTRACE=enable=no LSAN_OPTIONS=suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0 \
    "$work/bin/$t" -max_total_time="$seconds" -print_final_stats=1 -timeout=20 \
    -rss_limit_mb=2560 -artifact_prefix="$artifacts" $(target_flags "$t") ${FUZZ_ARGS:-} \
    "$corpus" "$seeds" >"$work/logs/$t.log" 2>&1
}
say "running ${targets[*]} for ${seconds} s each, $jobs at a time (logs: $work/logs)"
declare -A status
pids=()
names=()
collect() {
  local pid=$1 name=$2
  if wait "$pid"; then status[$name]=ok; else status[$name]=FAILED; fi
}
for t in "${targets[@]}"; do
  run_target "$t" &
  pids+=($!)
  names+=("$t")
  if [[ ${#pids[@]} -ge $jobs ]]; then
    collect "${pids[0]}" "${names[0]}"
    pids=("${pids[@]:1}")
    names=("${names[@]:1}")
  fi
done
for i in "${!pids[@]}"; do collect "${pids[$i]}" "${names[$i]}"; done

# 5. Report: executions and coverage from libFuzzer's final stats.
failed=0
printf '%-10s %12s %8s %8s  %s\n' target executions cov ft result
for t in "${targets[@]}"; do
  log=$work/logs/$t.log
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  printf '%-10s %12s %8s %8s  %s\n' "$t" "${runs:-?}" "${cov:-?}" "${ft:-?}" "${status[$t]}"
  if [[ ${status[$t]} != ok ]]; then
    failed=1
    say "$t: see $log"
    grep -E 'ERROR: |Fatal error|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -20 >&2 || true
  fi
done
exit $failed
