import RepCounting

/// Builds a ``LandmarkPayload`` frame by frame while a session is counted: memory grows by
/// 8 bytes per frame plus 8 bytes per landmark of a posed frame (264 bytes for 33 landmarks),
/// and appending fails once the payload would pass ``LandmarkPayload/maximumBytes``.
public struct LandmarkPayloadWriter: Sendable {
  private var times: [Double] = []
  private var posed: [Bool] = []
  /// Posed frames' values, frame by frame (x, y, z, visibility per landmark) as `Float16` bits.
  private var values: [UInt16] = []
  private var posedCount = 0
  /// Landmarks per posed frame; 0 until the first posed frame.
  public private(set) var landmarksPerFrame = 0

  /// An empty stream.
  public init() {}

  /// Frames appended so far.
  public var frameCount: Int { times.count }

  /// Appends `frame`. Throws ``LandmarkPayloadError/Kind/cannotKeep`` (and keeps nothing of
  /// the frame) when a value lies beyond `Float16`'s range, the frame's landmark count differs
  /// from the earlier posed frames', its time is not finite or goes backwards, or the payload
  /// would grow past ``LandmarkPayload/maximumBytes``.
  public mutating func append(_ frame: PoseFrame) throws {
    let index = times.count
    guard frame.time.isFinite, frame.time >= (times.last ?? -.infinity) else {
      throw LandmarkPayloadError(
        .cannotKeep, "frame \(index): time \(frame.time) s cannot be kept (not finite or backwards)"
      )
    }
    let count = frame.landmarks.count
    let perFrame = count == 0 ? landmarksPerFrame : count
    if count > 0 {
      guard count == 33 || count == 17 else {
        throw LandmarkPayloadError(
          .cannotKeep, "frame \(index): \(count) landmarks (kept streams hold 33 or 17)")
      }
      guard landmarksPerFrame == 0 || count == landmarksPerFrame else {
        throw LandmarkPayloadError(
          .cannotKeep,
          "frame \(index): \(count) landmarks after frames of \(landmarksPerFrame)")
      }
    }
    guard
      LandmarkPayload.length(
        frames: index + 1, landmarksPerFrame: perFrame,
        posedFrames: posedCount + (count > 0 ? 1 : 0)) != nil
    else {
      throw LandmarkPayloadError(
        .cannotKeep,
        "frame \(index): the session is too long to keep its landmarks "
          + "(at most \(LandmarkPayload.maximumBytes >> 20) MiB)")
    }
    var frameValues: [UInt16] = []
    frameValues.reserveCapacity(count * LandmarkPayload.channels)
    for (number, landmark) in frame.landmarks.enumerated() {
      func keep(_ value: Double) throws {
        let half = Float16(value)
        guard half.isFinite else {
          throw LandmarkPayloadError(
            .cannotKeep,
            "frame \(index): landmark \(number) has the value \(value), beyond what kept "
              + "landmarks hold (±65504)")
        }
        frameValues.append(half.bitPattern)
      }
      try keep(landmark.x)
      try keep(landmark.y)
      try keep(landmark.z)
      try keep(landmark.visibility)
    }
    times.append(frame.time)
    posed.append(count > 0)
    if count > 0 {
      landmarksPerFrame = count
      posedCount += 1
      values += frameValues
    }
  }

  /// The payload of every frame appended.
  public func payload() -> [UInt8] {
    let frames = times.count
    let perFrame = landmarksPerFrame
    // Every append checked that this length exists.
    let length =
      LandmarkPayload.length(frames: frames, landmarksPerFrame: perFrame, posedFrames: posedCount)
      ?? 0
    var bytes = [UInt8](repeating: 0, count: length)
    bytes.replaceSubrange(0..<4, with: LandmarkPayload.magic)
    var offset = 4
    func put(_ value: UInt64, bytes width: Int) {
      for shift in 0..<width {
        bytes[offset + shift] = UInt8(truncatingIfNeeded: value >> (8 * shift))
      }
      offset += width
    }
    put(UInt64(LandmarkPayload.version), bytes: 2)
    put(UInt64(perFrame), bytes: 2)
    put(UInt64(frames), bytes: 4)
    put(UInt64(posedCount), bytes: 4)
    for (index, time) in times.enumerated() {
      let bits = time.bitPattern
      for byte in 0..<8 {
        bytes[offset + byte * frames + index] = UInt8(truncatingIfNeeded: bits >> (8 * byte))
      }
    }
    offset += 8 * frames
    for (index, isPosed) in posed.enumerated() where isPosed {
      bytes[offset + index / 8] |= 1 << (index % 8)
    }
    offset += (frames + 7) / 8
    let planes = perFrame * LandmarkPayload.channels
    let total = planes * posedCount
    for frame in 0..<posedCount {
      for plane in 0..<planes {
        let bits = values[frame * planes + plane]
        let position = plane * posedCount + frame
        bytes[offset + position] = UInt8(truncatingIfNeeded: bits)
        bytes[offset + total + position] = UInt8(truncatingIfNeeded: bits >> 8)
      }
    }
    return bytes
  }
}
