/// The exercises Exercise Buddy counts and stores: the one catalogue.
///
/// Everything that differs between exercises is answered here, in exhaustive switches, so a new
/// case makes the compiler list what it still lacks: its counter, its energy cost, the per-rep
/// fields it reports and the frame rates it needs. The raw value is the name used everywhere
/// (command line, JSON, the database's `exercises` table).
public enum Exercise: String, Sendable, CaseIterable, Codable, Comparable {
  /// Push-ups (``PushUpCounter``).
  case pushUp = "push-up"
  /// Bodyweight squats (``SquatCounter``).
  case squat = "squat"
  /// Jump rope (``JumpRopeCounter``).
  case jumpRope = "jump-rope"

  /// The name used on the command line, in JSON and in the database, e.g. `push-up`.
  public var name: String { rawValue }

  /// The exercise named `name`, or nil.
  public init?(name: String) { self.init(rawValue: name) }

  /// The plural a sentence uses: `push-ups`, `jump rope`.
  public var plural: String {
    switch self {
    case .pushUp: return "push-ups"
    case .jumpRope: return "jump rope"
    case .squat: return "squats"
    }
  }

  /// How a summary states the pace: repetitions per minute (push-ups) or per second (rope).
  public var paceUnit: PaceUnit {
    switch self {
    case .pushUp: return .perMinute
    case .jumpRope: return .perSecond
    case .squat: return .perMinute
    }
  }

  /// The unit a pace is stated in.
  public enum PaceUnit: Sendable {
    case perMinute
    case perSecond
  }

  /// A fresh counter for images of `geometry`.
  public func makeCounter(geometry: ImageGeometry) -> any RepCounter {
    switch self {
    case .pushUp: return PushUpCounter(geometry: geometry)
    case .jumpRope: return JumpRopeCounter(geometry: geometry)
    case .squat: return SquatCounter(geometry: geometry)
    }
  }

  /// The counter's engine version, stored with each counted workout.
  public var engineVersion: String {
    switch self {
    case .pushUp: return PushUpCounter.engineVersion
    case .jumpRope: return JumpRopeCounter.engineVersion
    case .squat: return SquatCounter.engineVersion
    }
  }

  /// The metabolic equivalent (MET) at a pace of `repsPerMinute` (for rope, skips per minute),
  /// from the Compendium of Physical Activities (Ainsworth et al. 2011, kept in the 2024 adult
  /// Compendium):
  /// - push-ups: 02020 calisthenics (push-ups, sit-ups, pull-ups, jumping jacks), vigorous: 8.0
  /// - jump rope: 15553 slow, < 100 skips/min: 8.8; 15552 moderate, 100–120: 11.8;
  ///   15551 fast, 120–160: 12.3
  /// - squats: 02052 resistance (weight) training, squats, slow or explosive effort: 5.0
  public func met(repsPerMinute: Double) -> Double {
    switch self {
    case .pushUp:
      return 8.0
    case .jumpRope:
      if repsPerMinute < 100 { return 8.8 }
      if repsPerMinute <= 120 { return 11.8 }
      return 12.3
    case .squat:
      return 5.0
    }
  }

  /// The MET values in words, for help texts.
  public var metText: String {
    switch self {
    case .pushUp: return "8.0 for push-ups (Compendium 02020)"
    case .jumpRope:
      return "8.8/11.8/12.3 for rope skipping below 100, up to 120 and above 120 skips a minute "
        + "(15553/15552/15551)"
    case .squat: return "5.0 for squats (02052)"
    }
  }

  /// The fields each repetition reports (in JSON and in a workout's details), in order.
  public var repFields: [RepField] {
    switch self {
    case .pushUp: return [.start, .bottom, .end, .depthAngle]
    case .jumpRope: return [.landing, .takeoff, .apex]
    case .squat: return [.start, .bottom, .end, .depthAngle, .depth]
    }
  }

  /// The lowest frame rate at which the counter resolves the movement; below it the summary
  /// carries a note that the count may be low.
  public var minimumFPS: Double {
    switch self {
    case .pushUp: return 5
    case .jumpRope: return JumpRopeCounter.minimumFPS
    case .squat: return 8
    }
  }

  /// Why ``minimumFPS`` is needed, for that note ("… needs at least 24 fps to …").
  public var minimumFPSReason: String {
    switch self {
    case .pushUp: return "to see the bottom of each rep"
    case .jumpRope: return "to resolve fast stepping"
    case .squat: return "to see the bottom of each squat"
    }
  }

  /// The rate a video is resampled to when this exercise is counted and no rate is given.
  public var videoFPS: Double {
    switch self {
    case .pushUp: return 15
    case .jumpRope: return 30
    case .squat: return 15
    }
  }

  /// The rate a video is resampled to when the exercise is still to be detected: the highest
  /// any exercise wants.
  public static var detectionVideoFPS: Double {
    allCases.map(\.videoFPS).max() ?? 30
  }

  /// All exercises' plurals as a sentence lists them: `push-ups or jump rope`.
  public static var pluralList: String {
    let plurals = allCases.map(\.plural)
    guard let last = plurals.last, plurals.count > 1 else { return plurals.joined() }
    return plurals.dropLast().joined(separator: ", ") + " or " + last
  }

  /// The names of all exercises, for help texts: `push-up, jump-rope`.
  public static var names: String {
    allCases.map(\.rawValue).joined(separator: ", ")
  }

  /// Catalogue order (the order of ``allCases``).
  public static func < (lhs: Exercise, rhs: Exercise) -> Bool {
    lhs.index < rhs.index
  }

  /// The position in ``allCases``: per-exercise arrays are indexed by it.
  public var index: Int {
    Self.allCases.firstIndex(of: self) ?? 0
  }
}
