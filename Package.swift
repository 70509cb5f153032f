// swift-tools-version:6.0
import PackageDescription

// The fast pose kernels (Sources/PoseKernelsAVX2) are compiled three times: for AVX2
// (`-target-cpu haswell`: Intel Haswell / AMD Zen 1 and newer) and, in PoseKernelsAVX512
// and PoseKernelsAVX512Gemm8 (directories of symbolic links to the same files: a new kernel
// file needs its link in both, PoseInstructionSetTests checks), for AVX-512 (`-target-cpu
// znver4`; AMD Zen 4 / Zen 5, Intel Sapphire Rapids and newer), both with 32 registers and the
// 16-lane sliding depthwise kernels (`POSE_AVX512`): PoseKernelsAVX512 also multiplies two
// 16-float panels at a time in the GEMM (`POSE_PANEL_PAIRS`), while PoseKernelsAVX512Gemm8
// keeps the AVX2 copy's one-panel GEMM tiles (6 pixels × 16 channels, one zmm register each
// under znver4), which Zen 4 (it runs every 512-bit operation as two 256-bit halves) runs
// faster: 1×1 convolutions at 83–90 % of the peak against 64–67 %. PoseEstimation checks the CPU once (cpuid and xgetbv, CCPUID) and runs
// an AVX-512 copy when the CPU and the OS support every AVX-512 subset znver4 may emit (the
// 8-lane GEMM one on Zen 4), else the AVX2 copy;
// `BUDDY_POSE_ISA=avx2|avx512|avx512-gemm8` overrides the choice (a set the CPU
// cannot run is refused with exit 78, never an illegal instruction). The rest of the pose
// runtime (PoseEstimation, PoseKernelTypes) is compiled for AVX2: on an x86-64 CPU without
// AVX2 `buddy` refuses pose work with exit 78. All copies compute every value with the
// same operations in the same order: their results are bit-identical. Everything is
// optimized in debug builds too (the golden tests run the models through it).
// Multiply-adds stay unfused by default: the fast kernels are then bit-identical to the
// reference kernels, and `buddy pose` gives exactly the landmarks it gave before (fused,
// tracking amplifies last-bit differences to pixels on some frames).
// `BUDDY_POSE_FMA=1 swift build` (or `swift test`) fuses the convolutions' multiply-adds
// (POSE_FMA), held by the tests to a stated tolerance instead.
// Measurements: README.md ("Pose runtime performance"). Other architectures build all three
// copies for their default CPU and run the first.
let poseFMA: [SwiftSetting] =
  Context.environment["BUDDY_POSE_FMA"] == "1" ? [.define("POSE_FMA")] : []
let optimizedInDebug: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
#if arch(x86_64)
let poseKernelSettings: [SwiftSetting] =
  [.unsafeFlags(["-target-cpu", "haswell"])] + optimizedInDebug + poseFMA
let poseKernelAVX512Settings: [SwiftSetting] =
  [.unsafeFlags(["-target-cpu", "znver4"]), .define("POSE_AVX512"), .define("POSE_PANEL_PAIRS")]
  + optimizedInDebug + poseFMA
let poseKernelAVX512Gemm8Settings: [SwiftSetting] =
  [.unsafeFlags(["-target-cpu", "znver4"]), .define("POSE_AVX512")] + optimizedInDebug + poseFMA
#else
let poseKernelSettings: [SwiftSetting] = optimizedInDebug + poseFMA
let poseKernelAVX512Settings: [SwiftSetting] =
  [.define("POSE_AVX512"), .define("POSE_PANEL_PAIRS")] + optimizedInDebug + poseFMA
let poseKernelAVX512Gemm8Settings: [SwiftSetting] =
  [.define("POSE_AVX512")] + optimizedInDebug + poseFMA
#endif

// Release builds of `buddy` carry the Swift runtime and Foundation inside the binary
// (`-static-stdlib`): the dynamic loader then has no Swift libraries to map and bind, which
// took about 8 ms of every start (README "Pose runtime performance"). The system's C
// libraries (libpq, libcrypto, libjpeg, …) stay shared. The flag also reaches the test
// executable, which links the `buddy` module and needs the shared runtime of the testing
// libraries: `BUDDY_DYNAMIC_STDLIB=1 swift build -c release --build-tests` for release tests
// (scripts/test.sh builds debug, which is always dynamic).
let staticStdlib: [LinkerSetting] =
  Context.environment["BUDDY_DYNAMIC_STDLIB"] == "1"
  ? [] : [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]
let staticStdlibCompile: [SwiftSetting] =
  Context.environment["BUDDY_DYNAMIC_STDLIB"] == "1"
  ? [] : [.unsafeFlags(["-static-stdlib"], .when(platforms: [.linux], configuration: .release))]

let package = Package(
  name: "exercise-buddy",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "buddy", targets: ["buddy"]),
    .executable(name: "pose-bench", targets: ["PoseBenchmark"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
  ],
  targets: [
    // C edges: system libraries, never re-exported through another module's API.
    // libpq (libpq-dev to build, libpq5 to run), opened with dlopen at the first database
    // call rather than linked: it brings 21 libraries that every start paid for (see
    // Sources/CLibPQ/LibPQLoader.c).
    // Opening a library at its first use (dlopen, dlsym, the one line when it is missing),
    // shared by the two loaders below.
    .target(
      name: "CLazyLibrary",
      linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]
    ),
    .target(
      name: "CLibPQ",
      dependencies: ["CLazyLibrary"]
    ),
    // OpenSSL's SHA-256 (libssl-dev to build, libssl3 to run), opened with dlopen at the first
    // digest rather than linked, for the same reason (Sources/CCrypto/LibCryptoLoader.c).
    .target(
      name: "CCrypto",
      dependencies: ["CLazyLibrary"]
    ),
    .systemLibrary(
      name: "CXCrypt",
      providers: [.apt(["libcrypt-dev"])]
    ),

    // libjpeg behind a small C edge: error manager replaced, setjmp/longjmp kept in C.
    .target(
      name: "CJPEG",
      linkerSettings: [.linkedLibrary("jpeg")]
    ),

    // The CPU count of the affinity mask and the spin-wait hint, for the pose runtime's
    // thread team.
    .target(name: "CThreads"),

    // cpuid and xgetbv: which copy of the pose kernels this CPU runs (AVX2 or AVX-512).
    .target(name: "CCPUID"),

    // Counts heap allocations per thread (interposes malloc): linked into the benchmark and
    // the test executable only, never into a library or the shipped tool.
    .target(name: "CMallocCounter"),

    // posix_spawn's GNU extensions and friends: for the tests' child-process helper (ChildRun),
    // PoseInput's ChildProcess and Annotation's VideoEncoder (ffprobe, ffmpeg: nothing
    // inherited, pipes close-on-exec).
    .target(name: "CSpawn"),
    // A helper program started with posix_spawn, inheriting only its standard streams, its
    // standard error read back from an unnamed temporary file (ffprobe, ffmpeg, the PostgreSQL
    // programs): the one Swift face of CSpawn for PoseInput, Annotation and buddy.
    .target(name: "Spawn", dependencies: ["CSpawn"]),

    // Libraries.
    // What the fast pose kernels share: geometry, packed weights, the kernel-set protocol.
    .target(
      name: "PoseKernelTypes",
      swiftSettings: poseKernelSettings
    ),
    // The fast pose kernels for AVX2, and the same files (symbolic links) for AVX-512.
    .target(
      name: "PoseKernelsAVX2",
      dependencies: ["PoseKernelTypes"],
      swiftSettings: poseKernelSettings
    ),
    .target(
      name: "PoseKernelsAVX512",
      dependencies: ["PoseKernelTypes"],
      swiftSettings: poseKernelAVX512Settings
    ),
    // The same files again for AVX-512 with the 8-lane GEMM tiles of the AVX2 copy: faster on
    // Zen 4, which runs 512-bit operations as two halves.
    .target(
      name: "PoseKernelsAVX512Gemm8",
      dependencies: ["PoseKernelTypes"],
      swiftSettings: poseKernelAVX512Gemm8Settings
    ),
    .target(
      name: "PoseEstimation",
      dependencies: [
        "CJPEG", "CThreads", "CCPUID", "PoseKernelTypes", "PoseKernelsAVX2", "PoseKernelsAVX512",
        "PoseKernelsAVX512Gemm8",
      ],
      swiftSettings: poseKernelSettings
    ),
    .target(
      name: "Postgres",
      dependencies: [
        "CLibPQ",
        .product(name: "Logging", package: "swift-log"),
      ]
    ),
    .target(
      name: "WorkoutStore",
      dependencies: ["Postgres", "CCrypto", "CXCrypt", "RepCounting"]
    ),
    // Pure counting engine: standard library only.
    .target(
      name: "RepCounting",
      // Double.squareRoot() lowers to libm's sqrt in debug builds.
      linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
    ),
    // Landmark files and streams → PoseFrames.
    .target(
      name: "PoseInput",
      dependencies: ["RepCounting", "PoseEstimation", "Spawn"]
    ),
    // What was counted, drawn on the frames: canvas, font, annotator, and the outputs (a
    // directory of JPEGs through CJPEG's encoder, or an MP4 through ffmpeg). Never prints.
    .target(
      name: "Annotation",
      dependencies: ["RepCounting", "PoseEstimation", "Spawn"],
      linkerSettings: [.linkedLibrary("m", .when(platforms: [.linux]))]
    ),
    // A counted session → a stored workout, the import run and the offline outbox: no printing,
    // no output formats.
    .target(
      name: "Recording",
      dependencies: ["RepCounting", "PoseInput", "PoseEstimation", "WorkoutStore", "Postgres"]
    ),

    // The command-line tool.
    .executableTarget(
      name: "buddy",
      dependencies: [
        "Postgres",
        "WorkoutStore",
        "RepCounting",
        "PoseInput",
        "PoseEstimation",
        "Recording",
        "Annotation",
        "Spawn",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: staticStdlibCompile,
      linkerSettings: staticStdlib
    ),

    // Measures the pose runtime (`scripts/bench.sh`).
    .executableTarget(
      name: "PoseBenchmark",
      dependencies: ["PoseEstimation", "PoseKernelTypes", "CMallocCounter"]
    ),

    // Synthetic push-up fixtures with known counts (see Fixtures/README.md).
    .executableTarget(
      name: "fixturegen",
      dependencies: ["RepCounting"]
    ),

    // Tests.
    .target(
      name: "TestSupport",
      dependencies: ["Postgres", "CSpawn", .product(name: "Logging", package: "swift-log")],
      path: "Tests/TestSupport"
    ),
    .testTarget(
      name: "TestSupportTests",
      dependencies: ["TestSupport"]
    ),
    .testTarget(
      name: "PostgresTests",
      dependencies: ["Postgres", "TestSupport", .product(name: "Logging", package: "swift-log")]
    ),
    .testTarget(
      name: "WorkoutStoreTests",
      dependencies: ["WorkoutStore", "Postgres", "TestSupport", "RepCounting"]
    ),
    .testTarget(
      name: "PoseEstimationTests",
      dependencies: ["PoseEstimation", "PoseKernelTypes", "CJPEG", "CMallocCounter"],
      exclude: ["Fixtures"]
    ),
    .testTarget(
      name: "RepCountingTests",
      dependencies: ["RepCounting", "CMallocCounter"]
    ),
    .testTarget(
      name: "PoseInputTests",
      dependencies: ["PoseInput", "RepCounting", "PoseEstimation", "TestSupport"]
    ),
    .testTarget(
      name: "SpawnTests",
      dependencies: ["Spawn"]
    ),
    .testTarget(
      name: "AnnotationTests",
      dependencies: ["Annotation", "RepCounting", "PoseEstimation"]
    ),
    .testTarget(
      name: "RecordingTests",
      dependencies: [
        "Recording", "WorkoutStore", "Postgres", "TestSupport", "RepCounting", "PoseInput",
        "PoseEstimation",
      ]
    ),
    .testTarget(
      name: "BuddyEndToEndTests",
      dependencies: ["buddy", "TestSupport", "PoseEstimation", "WorkoutStore"]
    ),
  ]
)
