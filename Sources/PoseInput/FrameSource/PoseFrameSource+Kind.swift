extension PoseFrameSource {
  /// What an input turned out to be. The raw values are stored (a workout's
  /// `details.source.format`), so they never change: `jsonLines` is spelled as it always was.
  public enum Kind: String, Sendable, CaseIterable {
    /// A landmark document `{"fps": …, "frames": [ … ]}`.
    case document
    /// A bare JSON array of landmark frames.
    case array
    /// Landmark frames as JSON Lines.
    case jsonLines
    /// One JPEG file.
    case jpeg
    /// A directory of JPEG frames.
    case jpegDirectory = "jpeg-directory"
    /// Several JPEG files given together.
    case jpegFiles = "jpeg-files"
    /// An MJPEG stream (standard input, a FIFO).
    case mjpeg
    /// A video file, read through ffmpeg.
    case video

    /// Whether the frames are images that go through the pose pipeline.
    public var isImages: Bool {
      switch self {
      case .document, .array, .jsonLines: return false
      case .jpeg, .jpegDirectory, .jpegFiles, .mjpeg, .video: return true
      }
    }

    init(_ format: PoseInputFormat) {
      switch format {
      case .document: self = .document
      case .array: self = .array
      case .jsonLines: self = .jsonLines
      }
    }
  }
}
