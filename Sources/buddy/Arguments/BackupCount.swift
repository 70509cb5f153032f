import ArgumentParser

/// The value of `db backup --keep`: how many dumps rotation keeps, 0 (keep all) to 1000.
struct BackupCount: CheckedArgument, Equatable {
  /// Accepted counts.
  static let range = 0...1000

  /// The `--keep` help text, with the bounds.
  static let help =
    "How many dumps to keep in the default directory, newest first (0 keeps all; 0 to 1000)."

  let count: Int

  static func parse(_ text: String) throws(ArgumentRefusal) -> BackupCount {
    guard let value = Int(text), range.contains(value) else {
      throw ArgumentRefusal("must be a whole number from 0 to 1000")
    }
    return BackupCount(count: value)
  }

  var defaultValueDescription: String { "\(count)" }
}
