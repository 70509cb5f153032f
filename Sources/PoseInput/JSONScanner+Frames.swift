import RepCounting

/// One frame as written in the input, before timing is resolved.
struct RawFrame {
  /// `t`, seconds.
  var time: Double?
  /// `timestamp_ms`.
  var timestampMilliseconds: Double?
  /// The landmarks (empty for `null`, `[]` or no landmarks key).
  var landmarks: [Landmark] = []
  /// Whether the object had a landmarks key at all.
  var hasLandmarksKey = false
  /// Where the frame object starts.
  var line = 0
  var column = 0
}

/// Document-level keys seen so far.
struct RawHeader {
  var fps: Double?
  var width: Double?
  var height: Double?
  var startTime: String?
  var topology: PoseTopology?
}

extension JSONScanner {
  /// Reads one frame object; the current byte must be `{`.
  mutating func frame() throws(ScanError) -> RawFrame {
    var frame = RawFrame()
    frame.line = line
    frame.column = baseOffset + index - lineStart + 1
    index += 1
    try skipWhitespace()
    if try peek() == UInt8(ascii: "}") {
      index += 1
      return frame
    }
    while true {
      switch try key() {
      case .time:
        frame.time = try number("\"t\"")
      case .timestampMilliseconds:
        frame.timestampMilliseconds = try number("\"timestamp_ms\"")
      case .landmarks:
        frame.hasLandmarksKey = true
        frame.landmarks = try landmarks()
      default:
        try skipValue(depth: 1)
      }
      guard try separator(close: UInt8(ascii: "}")) else { return frame }
    }
  }

  /// After a member or element: consumes `,` (returns true) or `close` (returns false).
  @inline(__always)
  mutating func separator(close: UInt8) throws(ScanError) -> Bool {
    try skipWhitespace()
    let byte = try peek()
    if byte == UInt8(ascii: ",") {
      index += 1
      try skipWhitespace()
      return true
    }
    if byte == close {
      index += 1
      return false
    }
    throw failure(
      "expected ',' or '\(Character(Unicode.Scalar(close)))', found \(try describeNext())")
  }

  /// Reads a landmarks value: `null`, `[]`, or an array of 17 or 33 landmark entries.
  mutating func landmarks() throws(ScanError) -> [Landmark] {
    let start = index
    let byte = try peek()
    if byte == UInt8(ascii: "n") {
      try literal("null")
      return []
    }
    guard byte == UInt8(ascii: "[") else {
      throw failure("expected an array of landmarks or null, found \(try describeNext())")
    }
    if fastPaths, let landmarks = fastLandmarks() {
      return landmarks
    }
    index += 1
    try skipWhitespace()
    var result: [Landmark] = []
    if try peek() == UInt8(ascii: "]") {
      index += 1
      return result
    }
    result.reserveCapacity(33)
    while true {
      guard result.count < 33 else {
        throw failure(
          "more than 33 landmarks in a frame; expected 33 (MediaPipe) or 17 (COCO)", at: start)
      }
      result.append(try landmark(number: result.count))
      guard try separator(close: UInt8(ascii: "]")) else { break }
    }
    guard result.count == 33 || result.count == 17 else {
      throw failure(
        "\(result.count) landmarks in a frame; expected 33 (MediaPipe) or 17 (COCO)", at: start)
    }
    return result
  }

  /// Reads one landmark: `[x, y]`, `[x, y, score]`, `[x, y, z, visibility]` or an object.
  @inline(__always)
  mutating func landmark(number: Int) throws(ScanError) -> Landmark {
    let byte = try peek()
    if byte == UInt8(ascii: "[") {
      let start = index
      index += 1
      try skipWhitespace()
      var values: (Double, Double, Double, Double) = (0, 0, 0, 1)
      var count = 0
      if try peek() != UInt8(ascii: "]") {
        while true {
          guard count < 4 else {
            throw failure(
              "landmark \(number) has more than 4 numbers; expected [x, y, z, visibility]"
                + " or [x, y, score]", at: start)
          }
          let value = try self.number("a coordinate of landmark \(number)")
          switch count {
          case 0: values.0 = value
          case 1: values.1 = value
          case 2: values.2 = value
          default: values.3 = value
          }
          count += 1
          guard try separator(close: UInt8(ascii: "]")) else { break }
        }
      } else {
        index += 1
      }
      switch count {
      case 2: return Landmark(x: values.0, y: values.1)
      case 3: return Landmark(x: values.0, y: values.1, z: 0, visibility: values.2)
      case 4: return Landmark(x: values.0, y: values.1, z: values.2, visibility: values.3)
      default:
        throw failure(
          "landmark \(number) has \(count) numbers; expected [x, y, z, visibility] or [x, y, score]",
          at: start)
      }
    }
    if byte == UInt8(ascii: "{") {
      return try landmarkObject(number: number)
    }
    throw failure("expected landmark \(number) as an array or object, found \(try describeNext())")
  }

  private mutating func landmarkObject(number: Int) throws(ScanError) -> Landmark {
    let start = index
    index += 1
    try skipWhitespace()
    var x: Double?
    var y: Double?
    var landmark = Landmark(x: 0, y: 0)
    if try peek() != UInt8(ascii: "}") {
      while true {
        switch try key() {
        case .x: x = try self.number("\"x\" of landmark \(number)")
        case .y: y = try self.number("\"y\" of landmark \(number)")
        case .z: landmark.z = try self.number("\"z\" of landmark \(number)")
        case .visibility, .score:
          landmark.visibility = try self.number("the visibility of landmark \(number)")
        default: try skipValue(depth: 3)
        }
        guard try separator(close: UInt8(ascii: "}")) else { break }
      }
    } else {
      index += 1
    }
    guard let x, let y else {
      throw failure("landmark \(number) lacks \"x\" or \"y\"", at: start)
    }
    landmark.x = x
    landmark.y = y
    return landmark
  }

  /// Reads a header value for `key` into `header`; returns false when `key` is not a header key.
  mutating func headerValue(_ key: JSONKey, into header: inout RawHeader) throws(ScanError)
    -> Bool
  {
    let start = index
    switch key {
    case .fps:
      let fps = try number("\"fps\"")
      guard fps > 0 else { throw failure("\"fps\" must be greater than 0", at: start) }
      header.fps = fps
    case .width, .height:
      let name = key == .width ? "width" : "height"
      let value = try number("\"\(name)\"")
      guard value > 0 else { throw failure("\"\(name)\" must be greater than 0", at: start) }
      if key == .width { header.width = value } else { header.height = value }
    case .startTime:
      if try peek() == UInt8(ascii: "n") {
        try literal("null")
      } else {
        header.startTime = try stringValue("\"start_time\"")
      }
    case .topology:
      let name = try stringValue("\"topology\"")
      guard let topology = PoseTopology(rawValue: name) else {
        throw failure(
          "unknown topology \"\(name)\"; expected \"mediapipe-33\" or \"coco-17\"", at: start)
      }
      header.topology = topology
    default:
      return false
    }
    return true
  }
}
