import ArgumentParser
import WorkoutStore

/// `buddy profile`: settings kept in the database for every machine the user logs in from.
struct ProfileCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "profile",
    abstract: "Show or change your profile: weight, time zone, week start, keeping landmarks.",
    discussion: """
      Keys: weight-kg (for calories; 70 kg is assumed until set), time-zone (an IANA name such \
      as Europe/Paris; days, weeks and months in history and stats use it), week-start \
      (monday, sunday or saturday), keep-landmarks (true or false: whether `buddy record` \
      keeps each session's landmarks, as --keep-landmarks does; default false).

      Examples:
        buddy profile show
        buddy profile set weight-kg 82 time-zone Europe/Paris week-start monday
        buddy profile set keep-landmarks true
      """,
    subcommands: [ProfileShowCommand.self, ProfileSetCommand.self],
    defaultSubcommand: ProfileShowCommand.self
  )
}

/// `buddy profile show`.
struct ProfileShowCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show your profile.",
    discussion: "Examples:\n  buddy profile show\n  buddy profile show --format json")

  @OptionGroup var output: FormatOption<OutputFormat>
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .leavePending)
    let settings = try ProfileStore(connection: current.connection, userID: current.user.id)
      .settings()
    switch output.format {
    case .text:
      print("weight-kg       \(settings.weightKg.map { "\($0)" } ?? "not set (70 kg assumed)")")
      print("time-zone       \(settings.timeZone)")
      print("week-start      \(settings.weekStart.rawValue)")
      print("keep-landmarks  \(settings.keepLandmarks)")
    case .json:
      print(
        JSON.text(
          .object([
            ("weight_kg", settings.weightKg.map { .number($0) } ?? .null),
            ("time_zone", .string(settings.timeZone)),
            ("week_start", .string(settings.weekStart.rawValue)),
            ("keep_landmarks", .bool(settings.keepLandmarks)),
          ])))
    }
  }
}

/// `buddy profile set KEY VALUE [KEY VALUE …]`.
struct ProfileSetCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set", abstract: "Set one or more profile values.",
    discussion: """
      Examples:
        buddy profile set weight-kg 82
        buddy profile set time-zone America/Los_Angeles week-start sunday
        buddy profile set keep-landmarks true
      """)

  @Argument(
    help: "Pairs of KEY VALUE: \(ProfileKeyCompletion.listed).",
    completion: .custom(ProfileKeyCompletion.candidates))
  var pairs: [String]
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    guard !pairs.isEmpty, pairs.count % 2 == 0 else {
      throw ValidationError("give KEY VALUE pairs, e.g. `weight-kg 82`")
    }
  }

  func run() throws {
    let current = try CurrentUser.require(database, outbox: .leavePending)
    let store = ProfileStore(connection: current.connection, userID: current.user.id)
    var settings = try store.settings()
    for index in stride(from: 0, to: pairs.count, by: 2) {
      let (key, value) = (pairs[index], pairs[index + 1])
      switch key {
      case "weight-kg":
        guard let weight = Double(value), weight.isFinite else {
          throw CLIError(.usage, "weight-kg must be a number of kilograms, not \"\(value)\"")
        }
        settings.weightKg = weight
      case "time-zone":
        settings.timeZone = value
      case "week-start":
        guard let start = UserSettings.WeekStart(rawValue: value.lowercased()) else {
          throw CLIError(.usage, "week-start must be monday, sunday or saturday")
        }
        settings.weekStart = start
      case "keep-landmarks":
        switch value.lowercased() {
        case "true": settings.keepLandmarks = true
        case "false": settings.keepLandmarks = false
        default: throw CLIError(.usage, "keep-landmarks must be true or false, not \"\(value)\"")
        }
      default:
        throw CLIError(.usage, "unknown profile key `\(key)` (\(ProfileKeyCompletion.listed))")
      }
    }
    try store.save(settings)
    print(
      "Profile: weight-kg \(settings.weightKg.map { "\($0)" } ?? "not set"), time-zone "
        + "\(settings.timeZone), week-start \(settings.weekStart.rawValue), keep-landmarks "
        + "\(settings.keepLandmarks)")
  }
}
