import Foundation
import PoseEstimation
import RepCounting
import TestSupport
import Testing

@testable import PoseInput

#if canImport(Glibc)
import Glibc
#endif

/// One synthetic JPEG: flat 16×16 blocks, `seed` picks the colours.
private func syntheticJPEG(width: Int = 64, height: Int = 48, seed: Int = 0) throws -> [UInt8] {
  let palette: [UInt8] = [200, 30, 40, 20, 180, 60, 30, 60, 210, 240, 240, 240]
  var pixels: [UInt8] = []
  for y in 0..<height {
    for x in 0..<width {
      let block = (seed + (y / 16) * ((width + 15) / 16) + x / 16) % 4
      pixels += palette[(block * 3)..<(block * 3 + 3)]
    }
  }
  let image = try #require(RGBImage(width: width, height: height, pixels: pixels))
  return try JPEGDecoder.encode(image, quality: 90)
}

/// A fresh directory under the temporary directory, removed by `cleanUp`.
private struct Scratch {
  let path: String

  init(_ name: String) throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "\(name)-\(UUID().uuidString.prefix(8))"
      ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  /// Writes `bytes` to `name` inside and returns its path.
  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let file = path + "/" + name
    try FileManager.default.createDirectory(
      atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: file))
    return file
  }

  func cleanUp() { try? FileManager.default.removeItem(atPath: path) }
}

/// A stand-in for the pose pipeline: one MediaPipe-33 pose whose `x` is the frame's time, and
/// a log of the image sizes it saw.
private final class FakeEstimator: @unchecked Sendable {
  var sizes: [String] = []
  var made = 0

  func make() -> ImageFrames.Estimator {
    made += 1
    return { [self] image, time in
      sizes.append("\(image.width)x\(image.height)")
      return Array(repeating: Landmark(x: time, y: 0.5), count: 33)
    }
  }
}

/// What reading a whole source gave.
private struct Read {
  var frames: [PoseFrame] = []
  var bytes: [UInt8] = []
  var notices: [PoseFrameSource.Notice] = []
  var kind: PoseFrameSource.Kind?
  var geometry: ImageGeometry?
}

/// Reads `input` to the end with the fake estimator (or the real pipeline when `pipeline`).
private func readAll(
  _ input: PoseFrameSource.Input, options: PoseFrameSource.Options = .init(),
  estimator: FakeEstimator = FakeEstimator()
) throws -> Read {
  var read = Read()
  let bytes = Box<[UInt8]>([])
  let notices = Box<[PoseFrameSource.Notice]>([])
  let source = try PoseFrameSource(
    input, options: options, makeEstimator: estimator.make,
    onRawBytes: { bytes.value += $0 }, onNotice: { notices.value.append($0) })
  while let frame = try source.next() { read.frames.append(frame) }
  read.bytes = bytes.value
  read.notices = notices.value
  read.kind = source.kind
  read.geometry = source.geometry
  return read
}

private final class Box<Value>: @unchecked Sendable {
  var value: Value
  init(_ value: Value) { self.value = value }
}

private let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

@Suite struct PoseFrameSourceTests {
  @Test(arguments: [
    ("mp33-side-15fps-steady.json", PoseFrameSource.Kind.document),
    ("mp33-side-60fps-walk-in-out.jsonl", .jsonLines),
  ])
  func aLandmarkFileGivesTheReadersFrames(file: String, kind: PoseFrameSource.Kind) throws {
    let path = packageRoot.appendingPathComponent("Fixtures/" + file).path
    let reader = try PoseReader(path: path)
    var expected: [PoseFrame] = []
    while let frame = try reader.next() { expected.append(frame) }
    let read = try readAll(.path(path))
    #expect(read.frames == expected)
    #expect(read.kind == kind)
    #expect(read.bytes == Array(try Data(contentsOf: URL(fileURLWithPath: path))))
    #expect(read.notices.isEmpty)
    if let width = reader.header.width, let height = reader.header.height {
      #expect(read.geometry == ImageGeometry(width: width, height: height))
    }
  }

  @Test func landmarkInputsNeverMakeThePipeline() throws {
    let path = packageRoot.appendingPathComponent("Fixtures/mp33-side-15fps-steady.json").path
    let source = try PoseFrameSource(
      .path(path),
      makePipeline: {
        Issue.record("the pipeline was made for landmarks")
        throw TFLiteModelError("no models here")
      })
    var count = 0
    while try source.next() != nil { count += 1 }
    #expect(count > 0)
  }

  @Test func theGeometryOptionOverridesTheDocument() throws {
    let path = packageRoot.appendingPathComponent("Fixtures/mp33-side-15fps-steady.json").path
    let read = try readAll(
      .path(path), options: .init(geometry: ImageGeometry(width: 100, height: 50)))
    #expect(read.geometry == ImageGeometry(width: 100, height: 50))
  }

  @Test func kindsKeepTheirStoredNames() {
    #expect(
      PoseFrameSource.Kind.allCases.map(\.rawValue) == [
        "document", "array", "jsonLines", "jpeg", "jpeg-directory", "jpeg-files", "mjpeg", "video",
      ])
  }

  @Test func untimedLandmarksAreTimedAt30FpsWithANotice() throws {
    let scratch = try Scratch("untimed")
    defer { scratch.cleanUp() }
    let file = try scratch.write(
      "x.jsonl", Array("{\"landmarks\": null}\n{\"landmarks\": null}\n".utf8))
    let read = try readAll(.path(file))
    #expect(read.frames.map(\.time) == [0, 1.0 / 30])
    #expect(
      read.notices == [.untimedFrames(input: file, fps: 30)]
        && read.notices.first?.description
          == "\(file): frames have no timestamps and no fps is known; assuming 30 fps (use --fps)"
    )
  }

  @Test func aFrameTimeBeyond1e12SecondsIsBadData() throws {
    let scratch = try Scratch("huge")
    defer { scratch.cleanUp() }
    let file = try scratch.write(
      "huge.jsonl",
      Array("{\"t\": 0, \"landmarks\": null}\n{\"t\": 2e12, \"landmarks\": null}\n".utf8))
    do {
      _ = try readAll(.path(file))
      Issue.record("read a frame at 2e12 s")
    } catch let error as PoseInputError {
      #expect(error.kind == .badData)
      #expect(
        "\(error)"
          == "\(file): frame 1: time 2000000000000.0 s is beyond the ±1e12 s a frame may have")
    }
  }

  @Test func aJPEGDirectoryAndTheListOfItsFilesGiveTheSameFramesAndBytes() throws {
    let scratch = try Scratch("frames")
    defer { scratch.cleanUp() }
    var files: [String] = []
    for index in 1...5 {
      files.append(try scratch.write("f\(index).jpg", try syntheticJPEG(seed: index)))
    }
    let options = PoseFrameSource.Options(fps: 10, threads: 2)
    let directory = try readAll(.path(scratch.path), options: options)
    let list = try readAll(.frameFiles(files), options: options)
    #expect(directory.kind == .jpegDirectory && list.kind == .jpegFiles)
    #expect(directory.frames.count == 5)
    #expect(directory.frames == list.frames)
    #expect(directory.frames.map(\.time) == (0..<5).map { Double($0) / 10 })
    var expectedBytes: [UInt8] = []
    for file in files { expectedBytes += Array(try Data(contentsOf: URL(fileURLWithPath: file))) }
    #expect(directory.bytes == expectedBytes)
    #expect(list.bytes == expectedBytes)
    #expect(directory.geometry == ImageGeometry(width: 64, height: 48))
    #expect(directory.notices.isEmpty)
  }

  @Test func imagesWithoutARateAreTimedAt30FpsWithANotice() throws {
    let scratch = try Scratch("one")
    defer { scratch.cleanUp() }
    let file = try scratch.write("photo.jpeg", try syntheticJPEG())
    let read = try readAll(.path(file))
    #expect(read.kind == .jpeg)
    #expect(read.notices == [.assumedFrameRate(input: file, fps: 30)])
    #expect(read.notices.first?.description == "\(file): no --fps given; timing frames at 30 fps")
  }

  @Test func aFrameOfAnotherSizeIsSkippedAndCountsAsAFrameWithoutAPose() throws {
    let scratch = try Scratch("sizes")
    defer { scratch.cleanUp() }
    try scratch.write("1.jpg", try syntheticJPEG(width: 64, height: 48))
    try scratch.write("2.jpg", try syntheticJPEG(width: 48, height: 64))
    try scratch.write("3.jpg", try syntheticJPEG(width: 64, height: 48))
    let estimator = FakeEstimator()
    let read = try readAll(.path(scratch.path), options: .init(fps: 10), estimator: estimator)
    #expect(read.frames.map(\.hasPose) == [true, false, true])
    #expect(read.frames.map(\.time) == [0, 0.1, 0.2])
    #expect(estimator.sizes == ["64x48", "64x48"] && estimator.made == 1)
    #expect(read.geometry == ImageGeometry(width: 64, height: 48))
    #expect(
      read.notices == [
        .skippedFrame(
          name: scratch.path + "/2.jpg", reason: "the frame is 48x64, the sequence 64x48")
      ])
  }

  @Test func framesBeforeTheFirstDecodedImageAreNotReturned() throws {
    let scratch = try Scratch("late")
    defer { scratch.cleanUp() }
    try scratch.write("1.jpg", Array("not a jpeg".utf8))
    try scratch.write("2.jpg", try syntheticJPEG())
    try scratch.write("3.jpg", Array("not a jpeg".utf8))
    let read = try readAll(.path(scratch.path), options: .init(fps: 10))
    #expect(read.frames.map(\.time) == [0.1, 0.2])
    #expect(read.frames.map(\.hasPose) == [true, false])
    #expect(read.notices.count == 2)
    #expect(read.bytes.count > 20)  // every readable frame's bytes, decodable or not
  }

  @Test func noDecodableFrameIsBadData() throws {
    let scratch = try Scratch("bad")
    defer { scratch.cleanUp() }
    try scratch.write("1.jpg", Array("not a jpeg".utf8))
    let estimator = FakeEstimator()
    #expect(throws: PoseInputError.self) {
      _ = try readAll(.path(scratch.path), options: .init(fps: 10), estimator: estimator)
    }
    #expect(estimator.made == 0)
  }

  @Test func anMJPEGStreamThroughAFIFOIsSniffedAndRead() throws {
    let scratch = try Scratch("fifo")
    defer { scratch.cleanUp() }
    let fifo = scratch.path + "/stream"
    #expect(mkfifo(fifo, 0o600) == 0)
    var stream: [UInt8] = Array("\n".utf8)  // blank bytes before the first frame are fine
    var frames: [[UInt8]] = []
    for seed in 0..<4 {
      frames.append(try syntheticJPEG(seed: seed))
      stream += frames.last ?? []
    }
    let bytes = stream
    let writer = Thread {
      let descriptor = open(fifo, O_WRONLY)
      guard descriptor >= 0 else { return }
      _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
      close(descriptor)
    }
    writer.start()
    let read = try readAll(.path(fifo), options: .init(fps: 15))
    #expect(read.kind == .mjpeg)
    #expect(read.frames.count == 4)
    #expect(read.bytes == frames.flatMap { $0 })
  }

  @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/ffmpeg")))
  func aVideoIsReadThroughFFmpegAtTheDefaultRateNeverAboveItsOwn() throws {
    let scratch = try Scratch("video")
    defer { scratch.cleanUp() }
    for index in 1...6 {
      try scratch.write(String(format: "%03d.jpg", index), try syntheticJPEG(seed: index))
    }
    let video = scratch.path + "/clip.mp4"
    let make = try ChildRun(
      "/usr/bin/ffmpeg",
      [
        "-v", "error", "-nostdin", "-framerate", "10", "-i", scratch.path + "/%03d.jpg", "-c:v",
        "libx264", "-pix_fmt", "yuv420p", video,
      ]
    ).run()
    try #require(make.termination == .exited(0), "\(make.stderrText)")
    let estimator = FakeEstimator()
    let bytes = Box<[UInt8]>([])
    let notices = Box<[PoseFrameSource.Notice]>([])
    let source = try PoseFrameSource(
      .path(video), options: .init(videoFPS: 30), makeEstimator: estimator.make,
      onRawBytes: { bytes.value += $0 }, onNotice: { notices.value.append($0) })
    #expect(source.kind == .video)
    #expect(source.frameRate == 10)  // the video's own rate is below the default 30
    #expect(source.isVideoAtDefaultRate)
    let given = try PoseFrameSource(
      .path(video), options: .init(fps: 5, videoFPS: 30), makeEstimator: estimator.make,
      onRawBytes: nil, onNotice: { _ in })
    #expect(!given.isVideoAtDefaultRate)
    var frames: [PoseFrame] = []
    while let frame = try source.next() { frames.append(frame) }
    #expect(frames.count == 6)
    #expect(source.geometry == ImageGeometry(width: 64, height: 48))
    #expect(notices.value.isEmpty)
    #expect(bytes.value.starts(with: [0xFF, 0xD8]))

    let resampled = try readAll(.path(video), options: .init(fps: 5))
    #expect(resampled.frames.count == 3)
    // One thread (ffmpeg too: -threads 1 -filter_threads 1) or two: the same frames.
    let single = try readAll(.path(video), options: .init(fps: 10, threads: 1))
    let double = try readAll(.path(video), options: .init(fps: 10, threads: 2))
    #expect(single.frames.count == 6)
    #expect(single.bytes == double.bytes)
  }
}

/// The JPEG frames of a dev clip through the real pose pipeline.
@Suite(
  .enabled(
    if: FileManager.default.fileExists(
      atPath: PoseModelFiles(environment: ProcessInfo.processInfo.environment).path(of: .landmarks)),
    "pose models not found (scripts/fetch-pose-models.sh): skipped"),
  .enabled(
    if: FileManager.default.fileExists(atPath: RealFrames.directory),
    "../shared/realdata not found: skipped"))
struct PoseFrameSourcePipelineTests {
  @Test func aDirectoryAndItsFileListGiveTheSameLandmarksAndDigestBytes() throws {
    let names = try FileManager.default.contentsOfDirectory(atPath: RealFrames.directory)
      .filter { $0.hasSuffix(".jpg") }.sorted().prefix(12)
    let scratch = try Scratch("real")
    defer { scratch.cleanUp() }
    for name in names {
      try FileManager.default.copyItem(
        atPath: RealFrames.directory + "/" + name, toPath: scratch.path + "/" + name)
    }
    func read(_ input: PoseFrameSource.Input) throws -> (frames: [PoseFrame], bytes: [UInt8]) {
      let bytes = Box<[UInt8]>([])
      let source = try PoseFrameSource(
        input, options: .init(fps: 15, threads: 2),
        makePipeline: {
          try PosePipeline(
            models: PoseModelFiles(environment: ProcessInfo.processInfo.environment),
            mode: .tracking, threads: 2)
        }, onRawBytes: { bytes.value += $0 })
      var frames: [PoseFrame] = []
      while let frame = try source.next() { frames.append(frame) }
      #expect(source.geometry == ImageGeometry(width: 480, height: 270))
      return (frames, bytes.value)
    }
    let directory = try read(.path(scratch.path))
    let list = try read(.frameFiles(names.map { RealFrames.directory + "/" + $0 }))
    #expect(directory.frames.count == names.count)
    #expect(directory.frames.filter(\.hasPose).count > names.count / 2)
    #expect(directory.frames == list.frames)
    #expect(directory.bytes == list.bytes)
  }
}

private enum RealFrames {
  static let directory = packageRoot.appendingPathComponent(
    "../shared/realdata/cases/pushup-pushfit-c11/frames"
  ).standardized.path
}
