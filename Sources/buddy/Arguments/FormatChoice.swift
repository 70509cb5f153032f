import ArgumentParser

/// The formats a command can print with `--format`, one of which is its default.
protocol FormatChoice: ExpressibleByArgument, CaseIterable, RawRepresentable<String> {
  /// The format used without `--format`.
  static var standard: Self { get }
}

extension FormatChoice {
  /// The `--format` help text, listing the formats: `Output format: text or json.`
  static var help: String {
    let names = allCases.map(\.rawValue)
    let listed =
      names.count > 1
      ? names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "") : names.joined()
    return "Output format: \(listed)."
  }
}
