public import RepCounting

extension PoseFrameSource {
  /// How to read an input: the caller's choices, parsed already.
  public struct Options: Sendable {
    /// Frame rate for frames without timestamps (landmarks without `t`, every image frame),
    /// overriding the document's `fps`; for a video, the rate it is resampled to.
    public var fps: Double?
    /// The rate a video is resampled to when `fps` is nil (e.g. the exercise's own), never
    /// above the video's rate.
    public var videoFPS: Double
    /// The image size to use instead of the landmark document's or the first image's.
    public var geometry: ImageGeometry?
    /// Threads for image inputs: with 2 or more, a reader thread decodes the next frames while
    /// the pose models run (the pipeline's own threads are the caller's `makePipeline`'s). A
    /// landmark file of 8 MiB or more is parsed by that many threads, in order.
    public var threads: Int

    /// Makes options.
    public init(
      fps: Double? = nil, videoFPS: Double = 30, geometry: ImageGeometry? = nil, threads: Int = 1
    ) {
      self.fps = fps
      self.videoFPS = videoFPS
      self.geometry = geometry
      self.threads = threads
    }
  }
}
