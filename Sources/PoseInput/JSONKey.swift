/// The object keys the landmark format gives meaning to; everything else is skipped.
enum JSONKey {
  case frames
  case fps
  case width
  case height
  case startTime
  case topology
  case time
  case timestampMilliseconds
  case landmarks
  case x
  case y
  case z
  case visibility
  case score
  case other

  /// The key spelled by `count` bytes at `bytes`.
  static func match(_ bytes: UnsafePointer<UInt8>, count: Int) -> JSONKey {
    func equals(_ literal: StaticString) -> Bool {
      guard literal.utf8CodeUnitCount == count else { return false }
      let other = literal.utf8Start
      for index in 0..<count where bytes[index] != other[index] {
        return false
      }
      return true
    }
    switch count {
    case 1:
      switch bytes[0] {
      case UInt8(ascii: "t"): return .time
      case UInt8(ascii: "x"): return .x
      case UInt8(ascii: "y"): return .y
      case UInt8(ascii: "z"): return .z
      default: return .other
      }
    case 3: return equals("fps") ? .fps : .other
    case 5:
      if equals("width") { return .width }
      if equals("score") { return .score }
      return .other
    case 6:
      if equals("frames") { return .frames }
      if equals("height") { return .height }
      return .other
    case 8: return equals("topology") ? .topology : .other
    case 9: return equals("landmarks") || equals("keypoints") ? .landmarks : .other
    case 10:
      if equals("start_time") { return .startTime }
      if equals("visibility") { return .visibility }
      return .other
    case 12: return equals("timestamp_ms") ? .timestampMilliseconds : .other
    case 13: return equals("poseLandmarks") ? .landmarks : .other
    case 14: return equals("pose_landmarks") ? .landmarks : .other
    default: return .other
    }
  }
}
