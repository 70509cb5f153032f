internal import Glibc
internal import PoseKernelTypes

/// A directory of packed executor weights, so that a second run maps them instead of
/// decoding, densifying, dequantizing and packing the models again.
///
/// One file per model, plan and packed layout:
/// `packed-<SHA-256 prefix of the model>-<plan>-l<layout version>-<architecture>.bin` (see
/// `PackedWeightFile` for its contents). A file that is missing, short, damaged, made from
/// other model bytes or with another packed layout is rebuilt (with a note through `log`);
/// files are written to a temporary name and renamed, so concurrent runs never see half a
/// file.
public struct PackedWeightCache: Sendable {
  /// The directory holding the files (created 0700 when first written).
  public let directory: String
  /// Receives one line per cache decision (mapped, rebuilt and why, written).
  public var log: (@Sendable (String) -> Void)?

  /// Uses `directory`.
  public init(directory: String) {
    self.directory = directory
  }

  /// `$XDG_CACHE_HOME/exercise-buddy`, else `$HOME/.cache/exercise-buddy`.
  public init(environment: [String: String]) {
    if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
      directory = cache + "/exercise-buddy"
    } else {
      directory = (environment["HOME"] ?? "") + "/.cache/exercise-buddy"
    }
  }

  /// The CPU architecture (and the instruction set the kernels are built for) in file names.
  static var architecture: String {
    #if arch(x86_64)
    "x86_64-avx2"
    #elseif arch(arm64)
    "arm64"
    #else
    "other"
    #endif
  }

  /// The path of the file for `model` planned as `plan`.
  func path(of model: PoseModelFiles.Model, plan: String) -> String {
    directory + "/packed-\(model.sha256.prefix(16))-\(plan)-l\(PackedGEMMWeights.layoutVersion)-"
      + "\(Self.architecture).bin"
  }

  /// Writes `bytes` to `path` through a temporary file in the same directory and a rename.
  func write(_ bytes: [UInt8], to path: String) throws(TFLiteModelError) {
    try makeDirectory(directory)
    var template = Array((directory + "/.packed-XXXXXX").utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { buffer in
      buffer.baseAddress.map { mkstemp($0) } ?? -1
    }
    guard descriptor >= 0 else {
      throw TFLiteModelError("cannot create a file in \(directory): \(errnoText())")
    }
    let temporary = template.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.map { String(cString: $0) } ?? ""
    }
    var written = 0
    var failure: String?
    bytes.withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      while written < buffer.count {
        let result = Glibc.write(descriptor, base + written, buffer.count - written)
        if result < 0 {
          if errno == EINTR { continue }
          failure = errnoText()
          return
        }
        written += result
      }
    }
    close(descriptor)
    if failure == nil, rename(temporary, path) != 0 { failure = errnoText() }
    if let failure {
      unlink(temporary)
      throw TFLiteModelError("cannot write \(path): \(failure)")
    }
  }

  /// Creates `path` (and missing parents) with mode 0700.
  private func makeDirectory(_ path: String) throws(TFLiteModelError) {
    var prefix = path.hasPrefix("/") ? "" : "."
    for component in path.split(separator: "/") {
      prefix += "/" + component
      if mkdir(prefix, 0o700) != 0, errno != EEXIST {
        throw TFLiteModelError("cannot create \(prefix): \(errnoText())")
      }
    }
  }

  private func errnoText() -> String {
    String(cString: strerror(errno))
  }
}
