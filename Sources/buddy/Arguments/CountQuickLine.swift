import ArgumentParser

/// `buddy count`'s everyday command lines, read without argument-parser (issue 21).
///
/// argument-parser builds every command's arguments by reflection before it reads a line:
/// about 20 M instructions, three quarters of the start of `buddy count` on a small file and
/// 3–4 ms of the 50 ms that 50 MB of landmark JSON takes. This reads only lines it reads exactly
/// as argument-parser would: `count`, then in any order `--exercise`, `--format`, `--threads`,
/// `--fps` and `--size` (each at most once, as `--name value` or `--name=value`, with a value
/// the same conversion argument-parser uses accepts, and `--threads` in range), `--follow` (at
/// most once), and at least one input (an argument that does not start with `-`, or `-` alone).
/// For anything else (help, `--`, another option, a bad or repeated value, no input) it returns
/// nil, and argument-parser reads the line and gives its own help or error, so both stay exactly
/// as they were.
enum CountQuickLine {
  /// The request `arguments` (without the program name) make, or nil when argument-parser
  /// must read them.
  static func request(from arguments: some Collection<String>) -> CountRequest? {
    guard arguments.first == "count" else { return nil }
    var request = CountRequest()
    var seen: Set<String> = []
    var rest = arguments.dropFirst()[...]
    while let argument = rest.popFirst() {
      guard argument.hasPrefix("-"), argument != "-" else {
        // argument-parser's own `help` word is left to it.
        guard argument != "help" else { return nil }
        request.inputs.append(argument)
        continue
      }
      if argument == "--follow" {
        guard seen.insert(argument).inserted else { return nil }
        request.follow = true
        continue
      }
      let name: Substring
      let value: String
      if let equals = argument.firstIndex(of: "=") {
        name = argument[..<equals]
        value = String(argument[argument.index(after: equals)...])
      } else {
        guard let next = rest.popFirst(), !next.hasPrefix("-") else { return nil }
        name = argument[...]
        value = next
      }
      guard seen.insert(String(name)).inserted, read(value, as: name, into: &request) else {
        return nil
      }
    }
    guard !request.inputs.isEmpty else { return nil }
    return request
  }

  /// Sets the option `name` to `value` with the conversion argument-parser uses for it; false
  /// for another option or a value it would refuse.
  private static func read(_ value: String, as name: Substring, into request: inout CountRequest)
    -> Bool
  {
    switch name {
    case "--exercise":
      guard let exercise = ExerciseChoice(argument: value) else { return false }
      request.exercise = exercise
    case "--format":
      guard let format = OutputFormat(argument: value) else { return false }
      request.format = format
    case "--threads":
      guard let threads = Int(argument: value), (try? PoseThreads.validate(threads)) != nil else {
        return false
      }
      request.threads = threads
    case "--fps":
      guard let fps = try? FrameRate.parse(value) else { return false }
      request.fps = fps
    case "--size":
      guard let size = ImageSize(argument: value) else { return false }
      request.size = size
    default:
      return false
    }
    return true
  }
}
