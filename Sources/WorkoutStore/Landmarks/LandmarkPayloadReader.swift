import RepCounting

/// Reads a ``LandmarkPayload`` back into frames, one at a time.
///
/// Making a reader checks the whole payload (magic, version, counts, exact length, the pose
/// bits, every time finite and in order, every value finite), so iterating it cannot fail.
/// A corrupt or truncated payload throws ``LandmarkPayloadError/Kind/corrupt`` naming the
/// byte offset; nothing traps.
public struct LandmarkPayloadReader: Sequence, Sendable {
  /// Frames in the stream.
  public let frameCount: Int
  /// Landmarks per posed frame (33 or 17; 0 when no frame has a pose).
  public let landmarksPerFrame: Int
  /// Frames with landmarks.
  public let posedFrameCount: Int
  private let bytes: [UInt8]
  private let timesOffset: Int
  private let posedOffset: Int
  private let valuesOffset: Int

  /// Checks `bytes` and prepares to read them.
  public init(_ bytes: [UInt8]) throws {
    func corrupt(_ offset: Int, _ reason: String) -> LandmarkPayloadError {
      LandmarkPayloadError(.corrupt, "kept landmarks, byte \(offset): \(reason)")
    }
    guard bytes.count >= LandmarkPayload.headerBytes else {
      throw corrupt(bytes.count, "truncated header (\(bytes.count) of 16 bytes)")
    }
    guard Array(bytes[0..<4]) == LandmarkPayload.magic else {
      throw corrupt(0, "not a kept landmark stream (no BDLM magic)")
    }
    func integer(_ offset: Int, _ width: Int) -> Int {
      (0..<width).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
    }
    let version = integer(4, 2)
    guard version == LandmarkPayload.version else {
      throw corrupt(4, "format version \(version) is not one this buddy reads (1)")
    }
    let perFrame = integer(6, 2)
    let frames = integer(8, 4)
    let posed = integer(12, 4)
    // One form per stream: 0 exactly when no frame has a pose.
    guard (perFrame == 0) == (posed == 0), perFrame == 0 || perFrame == 33 || perFrame == 17
    else {
      throw corrupt(
        6, "\(perFrame) landmarks per frame for \(posed) posed frames (33 or 17; 0 for none)")
    }
    guard posed <= frames else {
      throw corrupt(12, "\(posed) posed frames of \(frames)")
    }
    guard
      let length = LandmarkPayload.length(
        frames: frames, landmarksPerFrame: perFrame, posedFrames: posed)
    else {
      throw corrupt(8, "\(frames) frames are more than a kept stream holds")
    }
    guard bytes.count == length else {
      throw corrupt(
        Swift.min(bytes.count, length),
        bytes.count < length
          ? "truncated (\(bytes.count) of \(length) bytes)"
          : "\(bytes.count - length) bytes after the end")
    }
    frameCount = frames
    landmarksPerFrame = perFrame
    posedFrameCount = posed
    self.bytes = bytes
    timesOffset = LandmarkPayload.headerBytes
    posedOffset = timesOffset + 8 * frames
    valuesOffset = posedOffset + (frames + 7) / 8

    var previous = -Double.infinity
    for index in 0..<frames {
      let time = Self.time(bytes, at: index, of: frames, offset: timesOffset)
      guard time.isFinite, time >= previous else {
        throw corrupt(
          timesOffset + index, "frame \(index): time \(time) is not finite or goes backwards")
      }
      previous = time
    }
    var bits = 0
    for (position, byte) in bytes[posedOffset..<valuesOffset].enumerated() {
      bits += byte.nonzeroBitCount
      if position == (frames - 1) / 8, frames % 8 != 0, byte >> (frames % 8) != 0 {
        throw corrupt(posedOffset + position, "pose bits set past the last frame")
      }
    }
    guard bits == posed else {
      throw corrupt(posedOffset, "\(bits) frames marked posed, the header says \(posed)")
    }
    let values = posed * perFrame * LandmarkPayload.channels
    for position in 0..<values {
      let half = Float16(bitPattern: Self.bits(bytes, valuesOffset + position, values))
      guard half.isFinite else {
        throw corrupt(valuesOffset + position, "a landmark value is not finite")
      }
    }
  }

  /// The value's bits whose low byte is at `position` and high byte `values` bytes further on.
  private static func bits(_ bytes: [UInt8], _ position: Int, _ values: Int) -> UInt16 {
    UInt16(bytes[position]) | UInt16(bytes[position + values]) << 8
  }

  private static func time(_ bytes: [UInt8], at index: Int, of frames: Int, offset: Int) -> Double {
    var bits: UInt64 = 0
    for byte in 0..<8 { bits |= UInt64(bytes[offset + byte * frames + index]) << (8 * byte) }
    return Double(bitPattern: bits)
  }

  /// Every frame, in order.
  public func frames() -> [PoseFrame] { Array(self) }

  public func makeIterator() -> Iterator { Iterator(reader: self) }

  /// Walks the frames in order.
  public struct Iterator: IteratorProtocol {
    fileprivate let reader: LandmarkPayloadReader
    private var index = 0
    private var posedIndex = 0

    fileprivate init(reader: LandmarkPayloadReader) { self.reader = reader }

    public mutating func next() -> PoseFrame? {
      guard index < reader.frameCount else { return nil }
      defer { index += 1 }
      let bytes = reader.bytes
      let time = LandmarkPayloadReader.time(
        bytes, at: index, of: reader.frameCount, offset: reader.timesOffset)
      guard bytes[reader.posedOffset + index / 8] & (1 << (index % 8)) != 0 else {
        return PoseFrame(time: time, landmarks: [])
      }
      let posedCount = reader.posedFrameCount
      let total = posedCount * reader.landmarksPerFrame * LandmarkPayload.channels
      let frame = posedIndex
      func value(_ plane: Int) -> Double {
        Double(
          Float16(
            bitPattern: LandmarkPayloadReader.bits(
              bytes, reader.valuesOffset + plane * posedCount + frame, total)))
      }
      var landmarks: [Landmark] = []
      landmarks.reserveCapacity(reader.landmarksPerFrame)
      for landmark in 0..<reader.landmarksPerFrame {
        let plane = landmark * LandmarkPayload.channels
        landmarks.append(
          Landmark(
            x: value(plane), y: value(plane + 1), z: value(plane + 2),
            visibility: value(plane + 3)))
      }
      posedIndex += 1
      return PoseFrame(time: time, landmarks: landmarks)
    }
  }
}
