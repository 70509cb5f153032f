/// A video's frames starting: ffprobe (is it a readable video, and at what frame rate?) and
/// ffmpeg (the MJPEG stream of its frames) run side by side instead of one after the other.
///
/// Each program spends tens of milliseconds of CPU loading its ~200 shared libraries before it
/// reads a byte, and ffmpeg needs the rate it resamples to on its command line: the caller's
/// rate, else the default rate never above the video's own, which only ffprobe knows. So
/// ffmpeg is started at once at the rate predicted (``guess``: the caller's, else the default,
/// never above the rate an MP4 header states, ``MP4FrameRate``), and ``stream()`` keeps it
/// when ffprobe's answer gives that same rate; otherwise (another container of a video slower
/// than the default, or a header read otherwise than ffmpeg reads it) it is stopped and ffmpeg
/// started again at the right rate, as before: then nothing is gained, and the stopped
/// ffmpeg's start-up (~50 ms of CPU) is lost. Either way the stream is the one ffmpeg gives
/// when started after ffprobe (the same arguments), and the errors come in the same order:
/// ffprobe's verdict on the video first, then ffmpeg's.
///
/// An MP4/QuickTime file whose header ``MP4Header`` fully understands starts no ffprobe at
/// all: the header gives the rate ffprobe would (ffprobe's ~60 ms of CPU saved), and a video
/// ffmpeg then cannot decode fails as a video failing mid-stream does (`ffmpeg failed: …`).
final class VideoStart {
  /// The rate ffmpeg was started at before ffprobe answered.
  let guess: Double
  /// Whether ``stream()`` had to start ffmpeg again (ffprobe's rate was not `guess`).
  private(set) var startedAgain = false
  private let path: String
  private let tools: FFmpeg
  private let fps: Double?
  private let videoFPS: Double
  private let singleThreaded: Bool
  /// ffprobe, unless the header answered (``header``).
  private let probe: ChildProcess?
  /// The MP4 header that answered instead of ffprobe, if any.
  let header: MP4Header?
  /// ffmpeg started at `guess` (nil once handed over or stopped, or when it could not start:
  /// it is then started again after ffprobe, and reports its error there).
  private var early: ChildProcess?

  /// Starts ffprobe (unless ``MP4Header`` answers), then ffmpeg at the caller's rate `fps`,
  /// else at `videoFPS` never above the predicted rate. `singleThreaded` as in
  /// ``FFmpeg/mjpegStream(_:fps:singleThreaded:)``. Throws when ffprobe cannot be started.
  init(_ path: String, tools: FFmpeg, fps: Double?, videoFPS: Double, singleThreaded: Bool)
    throws(PoseInputError)
  {
    self.path = path
    self.tools = tools
    self.fps = fps
    self.videoFPS = videoFPS
    self.singleThreaded = singleThreaded
    // The header is read once: the full reader's answer, else the rate prediction from it.
    let moov = MP4Boxes.moov(atPath: path)
    header = moov.flatMap(MP4Header.init(moovBox:))
    let predicted = header?.averageFrameRate ?? moov.flatMap { MP4FrameRate.average(moov: $0.body) }
    guess = fps ?? min(videoFPS, predicted ?? videoFPS)
    probe = header == nil ? try tools.startProbe(path) : nil
    early = try? tools.mjpegStream(path, fps: guess, singleThreaded: singleThreaded)
  }

  /// Stops an ffmpeg nobody took (an error before ``stream()``, or in it).
  deinit { early?.stop() }

  /// Waits for ffprobe (if started) and returns ffmpeg's stream and its rate: `fps`, else
  /// `videoFPS` never above the video's own rate. A video ffprobe cannot read is a `.badData` error ("not a
  /// readable video", ffprobe's last line), and ffmpeg started early is stopped.
  func stream() throws(PoseInputError) -> (process: ChildProcess, fps: Double) {
    let sourceFPS: Double?
    do throws(PoseInputError) {
      if let probe {
        sourceFPS = try FFmpeg.probeResult(probe, path: path).fps
      } else {
        sourceFPS = header?.averageFrameRate
      }
    } catch {
      early?.stop()
      early = nil
      throw error
    }
    let rate = fps ?? min(videoFPS, sourceFPS ?? videoFPS)
    if let started = early, rate == guess {
      early = nil
      return (started, rate)
    }
    early?.stop()
    early = nil
    startedAgain = true
    return (try tools.mjpegStream(path, fps: rate, singleThreaded: singleThreaded), rate)
  }
}
