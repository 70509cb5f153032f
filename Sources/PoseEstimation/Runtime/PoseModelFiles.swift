/// Where the BlazePose model files live and how to check they are there.
///
/// The files come from the `mediapipe==0.10.14` wheel (Apache-2.0) and are installed by
/// `scripts/fetch-pose-models.sh` into
/// `${BUDDY_MODEL_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/exercise-buddy/models}`.
public struct PoseModelFiles: Sendable, Equatable {
  /// One of the two model files.
  public enum Model: String, Sendable, CaseIterable {
    /// The person detector (input [1, 224, 224, 3] in [-1, 1]).
    case detector = "pose_detection.tflite"
    /// The full landmark model (input [1, 256, 256, 3] in [0, 1]).
    case landmarks = "pose_landmark_full.tflite"

    /// SHA-256 of the file in the 0.10.14 wheel (spec §a.3).
    public var sha256: String {
      switch self {
      case .detector: "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c"
      case .landmarks: "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f"
      }
    }
  }

  /// The directory holding the model files.
  public let directory: String

  /// Called with a model file's path and its expected SHA-256 (hex) before the file is parsed;
  /// throws when the file is not that one. nil: no check (the command-line tool installs a
  /// check cached by file size and modification time).
  public var integrityCheck: (@Sendable (_ path: String, _ sha256: String) throws -> Void)?

  /// Where the models' packed weights are cached between runs (nil: no cache, every load
  /// decodes and packs the weights).
  public var packedWeightCache: PackedWeightCache?

  /// Uses `directory` as the model directory.
  public init(directory: String) {
    self.directory = directory
  }

  /// The model directory the environment selects: `BUDDY_MODEL_DIR`, else
  /// `$XDG_DATA_HOME/exercise-buddy/models`, else `$HOME/.local/share/exercise-buddy/models`.
  public init(environment: [String: String]) {
    if let dir = environment["BUDDY_MODEL_DIR"], !dir.isEmpty {
      directory = dir
    } else if let data = environment["XDG_DATA_HOME"], !data.isEmpty {
      directory = data + "/exercise-buddy/models"
    } else {
      directory = (environment["HOME"] ?? "") + "/.local/share/exercise-buddy/models"
    }
  }

  /// The path of `model` in the directory.
  public func path(of model: Model) -> String {
    directory + "/" + model.rawValue
  }

  /// Reads and parses `model`; a missing file gives an error naming the fetch script.
  public func load(_ model: Model) throws(TFLiteModelError) -> TFLiteModel {
    let path = path(of: model)
    guard fileExists(path) else {
      throw TFLiteModelError(
        "\(path) is missing: run scripts/fetch-pose-models.sh (or set BUDDY_MODEL_DIR)")
    }
    if let integrityCheck {
      do {
        try integrityCheck(path, model.sha256)
      } catch let error as TFLiteModelError {
        throw error
      } catch {
        throw TFLiteModelError("\(path): \(error)")
      }
    }
    return try TFLiteModel(contentsOfFile: path)
  }

  /// Two values are equal when they name the same directory (the check and the cache are
  /// not compared).
  public static func == (lhs: PoseModelFiles, rhs: PoseModelFiles) -> Bool {
    lhs.directory == rhs.directory
  }
}
