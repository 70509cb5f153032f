internal import Foundation
public import PoseEstimation

/// Where annotated frames go: a directory of JPEGs (`00001.jpg`, `00002.jpg`, … in order, made
/// by libjpeg) or a video file (`.mp4`, H.264 through ffmpeg, one video frame per frame written).
///
/// Open it before counting (``init(path:)`` checks the destination and, for a video, that ffmpeg
/// is installed), set ``frameRate`` before the first ``write(_:)``, and call ``finish()`` at the
/// end (a video is complete only then).
public final class AnnotationSink {
  /// What the destination is.
  public enum Kind: Sendable, Equatable {
    /// A directory of numbered JPEG files.
    case directory
    /// An MP4 video file.
    case video
  }

  /// JPEG quality of the files in a directory.
  public static let jpegQuality = 85

  /// The destination path as given.
  public let path: String
  /// What `path` names.
  public let kind: Kind
  /// The rate a video plays at (frames per second); read when the first frame starts the
  /// encoder. Ignored for a directory.
  public var frameRate = 30.0
  /// Frames written so far.
  public private(set) var framesWritten = 0
  /// The size of the first frame; every frame of a video must have it.
  public private(set) var frameSize: (width: Int, height: Int)?

  private let ffmpeg: String?
  private var encoder: VideoEncoder?

  /// The kind of destination `path` names: a video when it ends in `.mp4`, else a directory.
  public static func kind(of path: String) -> Kind {
    path.lowercased().hasSuffix(".mp4") ? .video : .directory
  }

  /// Checks `path`: a directory is created when missing and must be empty when present; a video
  /// needs ffmpeg on `PATH` (``AnnotationError/Kind/unavailable`` otherwise) and a directory to
  /// go into.
  public init(path: String) throws(AnnotationError) {
    self.path = path
    kind = Self.kind(of: path)
    let files = FileManager.default
    var isDirectory: ObjCBool = false
    let exists = files.fileExists(atPath: path, isDirectory: &isDirectory)
    switch kind {
    case .directory:
      ffmpeg = nil
      if exists {
        guard isDirectory.boolValue else {
          throw AnnotationError(
            .badDestination, path: path, reason: "exists and is not a directory")
        }
        let entries = (try? files.contentsOfDirectory(atPath: path)) ?? []
        guard entries.isEmpty else {
          throw AnnotationError(
            .badDestination, path: path,
            reason: "the directory already holds files; give a new or empty directory")
        }
      } else {
        do {
          try files.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
          throw AnnotationError(
            .writeFailed, path: path, reason: "cannot create the directory (\(Self.why(error)))")
        }
      }
    case .video:
      guard let found = VideoEncoder.locateFFmpeg() else {
        throw AnnotationError(
          .unavailable, path: path,
          reason: "writing a video needs ffmpeg, which is not installed; install it with "
            + "`sudo apt-get install -y ffmpeg` (or annotate into a directory of JPEGs)")
      }
      ffmpeg = found
      if exists && isDirectory.boolValue {
        throw AnnotationError(.badDestination, path: path, reason: "is a directory")
      }
      let parent = (path as NSString).deletingLastPathComponent
      var parentIsDirectory: ObjCBool = false
      guard
        parent.isEmpty
          || (files.fileExists(atPath: parent, isDirectory: &parentIsDirectory)
            && parentIsDirectory.boolValue)
      else {
        throw AnnotationError(
          .badDestination, path: path, reason: "the directory \(parent) does not exist")
      }
    }
  }

  /// The path of the `number`th frame (1-based) in a directory: `DIR/00001.jpg`.
  public func framePath(_ number: Int) -> String {
    let digits = String(number)
    let name = String(repeating: "0", count: max(0, 5 - digits.count)) + digits + ".jpg"
    return path.hasSuffix("/") ? path + name : path + "/" + name
  }

  /// Writes the next frame. Every frame of a video must be the size of the first.
  public func write(_ image: RGBImage) throws(AnnotationError) {
    let size = frameSize ?? (image.width, image.height)
    frameSize = size
    switch kind {
    case .directory:
      let bytes: [UInt8]
      do {
        bytes = try JPEGDecoder.encode(image, quality: Self.jpegQuality)
      } catch {
        throw AnnotationError(.writeFailed, path: path, reason: error.message)
      }
      let file = framePath(framesWritten + 1)
      do {
        try Data(bytes).write(to: URL(fileURLWithPath: file))
      } catch {
        throw AnnotationError(.writeFailed, path: file, reason: Self.why(error))
      }
    case .video:
      guard image.width == size.width, image.height == size.height else {
        throw AnnotationError(
          .writeFailed, path: path,
          reason: "frame \(framesWritten + 1) is \(image.width)x\(image.height), the video "
            + "\(size.width)x\(size.height)")
      }
      if encoder == nil, let ffmpeg {
        encoder = try VideoEncoder(
          ffmpeg: ffmpeg, path: path, width: size.width, height: size.height, fps: frameRate)
      }
      try encoder?.write(image.pixels)
    }
    framesWritten += 1
  }

  /// Completes the output: waits for ffmpeg to finish the video (a failure is an
  /// ``AnnotationError/Kind/writeFailed`` error with ffmpeg's last line).
  public func finish() throws(AnnotationError) {
    guard let encoder else { return }
    self.encoder = nil
    try encoder.finish()
  }

  private static func why(_ error: any Error) -> String {
    (error as NSError).localizedFailureReason ?? error.localizedDescription
  }
}
