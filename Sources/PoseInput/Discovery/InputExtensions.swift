/// The one list of file extensions that name what a file holds, used wherever a directory is
/// read (`SessionDiscovery`, a directory of JPEG frames) and wherever a path is recognised by
/// its name. Extensions match in any case (`SESSION.JSON`, `clip.MP4`).
public enum InputExtensions {
  /// Landmark files: a JSON document or array, or JSON Lines.
  public static let landmarks = [".json", ".jsonl", ".ndjson"]
  /// JPEG frames.
  public static let jpeg = [".jpg", ".jpeg"]
  /// Video files (read through ffmpeg).
  public static let video = [".mp4", ".mov", ".m4v", ".mkv", ".webm", ".avi"]

  /// Whether `name` ends in a landmark extension.
  public static func isLandmarkFile(_ name: String) -> Bool { matches(name, landmarks) }

  /// Whether `name` ends in a JPEG extension.
  public static func isJPEGFile(_ name: String) -> Bool { matches(name, jpeg) }

  /// Whether `name` ends in a video extension.
  public static func isVideoFile(_ name: String) -> Bool { matches(name, video) }

  /// `extensions` as prose: `.json, .jsonl or .ndjson`.
  static func listed(_ extensions: [String]) -> String {
    guard let last = extensions.last else { return "" }
    let rest = extensions.dropLast()
    return rest.isEmpty ? last : rest.joined(separator: ", ") + " or " + last
  }

  private static func matches(_ name: String, _ extensions: [String]) -> Bool {
    let lowered = name.lowercased()
    return extensions.contains { lowered.hasSuffix($0) }
  }
}
