import Foundation

/// A session's landmark stream as kept with its workout: the ``LandmarkPayload`` and what the
/// input said about it (frame rate, image size). One row of `workout_landmarks`.
public struct KeptLandmarks: Sendable, Equatable {
  /// Frames in the stream.
  public var frameCount: Int
  /// Landmarks per posed frame: 33, 17, or 0 when no frame has a pose.
  public var landmarksPerFrame: Int
  /// The frame rate the input stated, if any.
  public var framesPerSecond: Double?
  /// The image width in pixels, when known (with ``imageHeight``).
  public var imageWidth: Double?
  /// The image height in pixels, when known (with ``imageWidth``).
  public var imageHeight: Double?
  /// The stream in ``LandmarkPayload`` form.
  public var payload: [UInt8]

  /// The stream `writer` holds, with the input's frame rate and image size.
  public init(
    _ writer: LandmarkPayloadWriter, framesPerSecond: Double?, imageWidth: Double?,
    imageHeight: Double?
  ) {
    frameCount = writer.frameCount
    landmarksPerFrame = writer.landmarksPerFrame
    self.framesPerSecond = framesPerSecond
    self.imageWidth = imageWidth
    self.imageHeight = imageHeight
    payload = writer.payload()
  }

  init(
    frameCount: Int, landmarksPerFrame: Int, framesPerSecond: Double?, imageWidth: Double?,
    imageHeight: Double?, payload: [UInt8]
  ) {
    self.frameCount = frameCount
    self.landmarksPerFrame = landmarksPerFrame
    self.framesPerSecond = framesPerSecond
    self.imageWidth = imageWidth
    self.imageHeight = imageHeight
    self.payload = payload
  }

  /// A reader of the frames; throws ``LandmarkPayloadError/Kind/corrupt`` when the payload is
  /// damaged or disagrees with ``frameCount`` or ``landmarksPerFrame``.
  public func reader() throws -> LandmarkPayloadReader {
    let reader = try LandmarkPayloadReader(payload)
    guard reader.frameCount == frameCount, reader.landmarksPerFrame == landmarksPerFrame else {
      throw LandmarkPayloadError(
        .corrupt,
        "kept landmarks: the payload holds \(reader.frameCount) frames of "
          + "\(reader.landmarksPerFrame) landmarks, the row says \(frameCount) of "
          + "\(landmarksPerFrame)")
    }
    return reader
  }

  /// Throws ``WorkoutError/invalidValue(_:)`` unless the frame rate and image size are finite
  /// and positive, and the size is either whole or absent.
  func validate() throws {
    for (name, value) in [
      ("frame rate", framesPerSecond), ("image width", imageWidth), ("image height", imageHeight),
    ] {
      if let value, !(value > 0 && value.isFinite) {
        throw WorkoutError.invalidValue("kept landmarks: the \(name) \(value) is out of range")
      }
    }
    guard (imageWidth == nil) == (imageHeight == nil) else {
      throw WorkoutError.invalidValue("kept landmarks: an image size needs width and height")
    }
    guard (0...Int(Int32.max)).contains(frameCount), [0, 17, 33].contains(landmarksPerFrame)
    else {
      throw WorkoutError.invalidValue(
        "kept landmarks: \(frameCount) frames of \(landmarksPerFrame) landmarks is out of range")
    }
  }
}
