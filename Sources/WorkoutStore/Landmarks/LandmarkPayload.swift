import RepCounting

/// The binary form of a kept landmark stream (`record --keep-landmarks`), version 1: what the
/// `payload` column of `workout_landmarks` holds. Described in docs/kept-landmarks.md.
///
/// Little-endian throughout:
///
/// | bytes | what |
/// | --- | --- |
/// | 4 | magic `BDLM` |
/// | 2 | format version (1) |
/// | 2 | landmarks per posed frame: 33, 17, or 0 when no frame has a pose |
/// | 4 | frames |
/// | 4 | posed frames (frames with landmarks) |
/// | 8 × frames | times in seconds (`Float64`), byte-shuffled: every time's byte 0, then byte 1, … |
/// | ⌈frames / 8⌉ | which frames have a pose: bit `i % 8` of byte `i / 8`; unused bits 0 |
/// | 2 × 4 × landmarks × posed | `Float16` values, plane by plane: for each landmark, for each of x, y, z and visibility, that value in every posed frame; byte-shuffled (every value's low byte, then every high byte) |
///
/// The planes and the byte shuffle put similar bytes next to each other (a joint moves little
/// from one frame to the next, so a plane's high bytes repeat; visibility is mostly near 1),
/// which is what PostgreSQL's TOAST compression (pglz or lz4) can shrink. (Storing each value
/// as the difference from the previous frame's was tried: on real MediaPipe landmarks it made
/// lz4 8 % larger and pglz 4 % smaller, so the plain values stay.)
public enum LandmarkPayload {
  /// The format version this code writes and reads.
  public static let version = 1
  /// The most bytes a payload may have (about 9 hours of 33 landmarks at 30 fps): PostgreSQL
  /// holds at most 1 GB in a value, and the whole stream is kept in memory while recording.
  public static let maximumBytes = 256 << 20

  static let magic: [UInt8] = Array("BDLM".utf8)
  static let headerBytes = 16
  /// Values per landmark: x, y, z, visibility.
  static let channels = 4

  /// The payload's length for these counts; nil when it overflows or passes ``maximumBytes``.
  static func length(frames: Int, landmarksPerFrame: Int, posedFrames: Int) -> Int? {
    // Each count at most maximumBytes (2^28) and landmarksPerFrame at most 33: no sum or
    // product below can overflow.
    guard (0...maximumBytes).contains(frames), (0...frames).contains(posedFrames),
      (0...33).contains(landmarksPerFrame)
    else { return nil }
    let total =
      headerBytes + frames * 8 + (frames + 7) / 8 + posedFrames * landmarksPerFrame * channels * 2
    return total <= maximumBytes ? total : nil
  }
}
