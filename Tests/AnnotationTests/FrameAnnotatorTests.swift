import Foundation
import PoseEstimation
import Testing

@testable import Annotation
@testable import RepCounting

/// What the annotator draws where, and the JPEG directory it writes.
@Suite struct FrameAnnotatorTests {
  /// A MediaPipe-33 pose: every landmark on a diagonal, all seen.
  static func pose(visibility: Double = 1) -> PoseFrame {
    let marks = (0..<33).map { index in
      Landmark(
        x: 0.3 + 0.4 * Double(index) / 32, y: 0.5 + 0.4 * Double(index) / 32,
        visibility: visibility)
    }
    return PoseFrame(time: 0, landmarks: marks)
  }

  static func rep(_ number: Int) -> CountSession.Event {
    CountSession.Event(
      exercise: .pushUp, number: number,
      event: .rep(Repetition(start: 0, bottom: 0.5, end: 1, depthAngle: 80)), releasedAt: 1)
  }

  static let partial = CountSession.Event(
    exercise: .pushUp, number: 0,
    event: .partial(Repetition(start: 0, bottom: 0.5, end: 1, depthAngle: 130)), releasedAt: 1)

  @Test func landmarksGetTheJointColourAndBonesTheBoneColour() {
    var annotator = FrameAnnotator()
    let frame = Self.pose()
    let image = annotator.annotate(
      frame, exercise: .pushUp, trace: nil, events: [], on: .plain(width: 640, height: 480))
    #expect(image.width == 640 && image.height == 480)
    let hip = frame.landmarks[23]
    let pixel = image.pixel(x: Int(hip.x * 640), y: Int(hip.y * 480))
    #expect(Colour(pixel.red, pixel.green, pixel.blue) == .joint)
    // Halfway along the left thigh (23 → 25) with only the hip and knee seen.
    var thigh = frame
    for index in thigh.landmarks.indices where index != 23 && index != 25 {
      thigh.landmarks[index].visibility = 0
    }
    let bone = annotator.annotate(
      thigh, exercise: .pushUp, trace: nil, events: [], on: .plain(width: 640, height: 480))
    let knee = frame.landmarks[25]
    let mid = bone.pixel(x: Int((hip.x + knee.x) / 2 * 640), y: Int((hip.y + knee.y) / 2 * 480))
    #expect(Colour(mid.red, mid.green, mid.blue) == .bone)
  }

  @Test func unseenLandmarksAreNotDrawn() {
    var annotator = FrameAnnotator()
    let frame = Self.pose(visibility: 0.3)
    let image = annotator.annotate(
      frame, exercise: .pushUp, trace: nil, events: [], on: .plain(width: 640, height: 480))
    let hip = frame.landmarks[23]
    let pixel = image.pixel(x: Int(hip.x * 640), y: Int(hip.y * 480))
    #expect(Colour(pixel.red, pixel.green, pixel.blue) == .background)
  }

  /// The centre of cell (`column`, `row`) of the count's first glyph, at 640x480.
  static func countCell(_ image: RGBImage, column: Int, row: Int) -> Colour {
    let layout = FrameAnnotator.Layout(width: 640, height: 480)
    let origin = layout.margin + layout.padding
    let scale = layout.countScale
    let pixel = image.pixel(
      x: origin + column * scale + scale / 2, y: origin + row * scale + scale / 2)
    return Colour(pixel.red, pixel.green, pixel.blue)
  }

  @Test func theCountIsDrawnAndFlashesGreenOnTheRepFrame() {
    var annotator = FrameAnnotator()
    let plain = FrameAnnotator.Background.plain(width: 640, height: 480)
    let before = annotator.annotate(
      Self.pose(), exercise: .pushUp, trace: nil, events: [], on: plain)
    // "0": row 1 is 10001, so cell (1, 1) is dark and (0, 1) lit.
    #expect(Self.countCell(before, column: 0, row: 1) == .text)
    #expect(Self.countCell(before, column: 1, row: 1) != .text)
    let flash = annotator.annotate(
      Self.pose(), exercise: .pushUp, trace: nil, events: [Self.rep(1)], on: plain)
    // "1": row 1 is 01100, drawn green on the frame of the rep, with a green border.
    #expect(Self.countCell(flash, column: 1, row: 1) == .rep)
    #expect(Self.countCell(flash, column: 0, row: 1) != .rep)
    let edge = flash.pixel(x: 1, y: 240)
    #expect(Colour(edge.red, edge.green, edge.blue) == .rep)
    let after = annotator.annotate(
      Self.pose(), exercise: .pushUp, trace: nil, events: [], on: plain)
    #expect(Self.countCell(after, column: 1, row: 1) == .text)
    let calm = after.pixel(x: 1, y: 240)
    #expect(Colour(calm.red, calm.green, calm.blue) == .background)
  }

  @Test func aPartialGetsAnOrangeBorderAndStaysListed() {
    var annotator = FrameAnnotator()
    let plain = FrameAnnotator.Background.plain(width: 640, height: 480)
    let image = annotator.annotate(
      Self.pose(), exercise: .pushUp, trace: nil, events: [Self.partial], on: plain)
    let edge = image.pixel(x: 1, y: 240)
    #expect(Colour(edge.red, edge.green, edge.blue) == .partial)
    // The count stays 0 ("0" row 1 cell 1 dark).
    #expect(Self.countCell(image, column: 1, row: 1) != .text)
    // "PARTIAL" in orange somewhere along the bottom.
    var orange = 0
    for y in 380..<460 {
      for x in 200..<440 where image.pixel(x: x, y: y) == (255, 140, 0) { orange += 1 }
    }
    #expect(orange > 100)
  }

  @Test func theGaugeFillsToTheValueWithItsLines() {
    var annotator = FrameAnnotator()
    let trace = RepTrace(
      phase: .down,
      gauge: RepTrace.Gauge(value: 0.5, low: nil, high: 0.75, range: 0...1))
    let image = annotator.annotate(
      Self.pose(), exercise: .pushUp, trace: trace, events: [],
      on: .plain(width: 640, height: 480))
    let layout = FrameAnnotator.Layout(width: 640, height: 480)
    let x = 640 - layout.margin - layout.gaugeWidth / 2
    let bottom = layout.margin + layout.gaugeHeight - 2
    let filled = image.pixel(x: x, y: bottom)
    #expect(Colour(filled.red, filled.green, filled.blue) == .phaseDown)
    let empty = image.pixel(x: x, y: layout.margin + 2)
    #expect(Colour(empty.red, empty.green, empty.blue) != .phaseDown)
    let lineY = layout.margin + layout.gaugeHeight - Int(0.75 * Double(layout.gaugeHeight))
    let line = image.pixel(x: x, y: lineY)
    #expect(Colour(line.red, line.green, line.blue) == .rep)
  }

  @Test func drawsOnTheImageAtItsSize() throws {
    let pixels = [UInt8](repeating: 90, count: 320 * 200 * 3)
    let image = try #require(RGBImage(width: 320, height: 200, pixels: pixels))
    var annotator = FrameAnnotator()
    let drawn = annotator.annotate(
      Self.pose(), exercise: nil, trace: nil, events: [], on: .image(image))
    #expect(drawn.width == 320 && drawn.height == 200)
    #expect(drawn.pixel(x: 160, y: 195) == (90, 90, 90))
  }

  @Test func thePlainBackgroundHasTheStatedSizeOrADefault() {
    func size(_ background: FrameAnnotator.Background) -> [Int] {
      guard case .plain(let width, let height) = background else { return [] }
      return [width, height]
    }
    #expect(
      size(FrameAnnotator.plainBackground(for: ImageGeometry(width: 1280, height: 720))) == [
        1280, 720,
      ])
    #expect(size(FrameAnnotator.plainBackground(for: .normalised)) == [640, 480])
    #expect(
      size(FrameAnnotator.plainBackground(for: ImageGeometry(width: 1e12, height: 720))) == [
        640, 480,
      ])
  }

  @Test func aDirectorySinkWritesNumberedJPEGsThatDecodeAtTheirSize() throws {
    let directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("annotation-\(UUID().uuidString)/out").path
    defer { try? FileManager.default.removeItem(atPath: directory + "/..") }
    let sink = try AnnotationSink(path: directory)
    #expect(sink.kind == .directory)
    var annotator = FrameAnnotator()
    for _ in 0..<3 {
      try sink.write(
        annotator.annotate(
          Self.pose(), exercise: .pushUp, trace: nil, events: [],
          on: .plain(width: 160, height: 90)))
    }
    try sink.finish()
    let names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    #expect(names == ["00001.jpg", "00002.jpg", "00003.jpg"])
    let decoded = try JPEGDecoder().decode(contentsOfFile: directory + "/00002.jpg")
    #expect(decoded.width == 160 && decoded.height == 90)
    #expect(throws: AnnotationError.self) { try AnnotationSink(path: directory) }
  }

  @Test func theKindFollowsTheExtension() {
    #expect(AnnotationSink.kind(of: "out.MP4") == .video)
    #expect(AnnotationSink.kind(of: "out") == .directory)
    #expect(AnnotationSink.kind(of: "frames.mp4/") == .directory)
  }
}
