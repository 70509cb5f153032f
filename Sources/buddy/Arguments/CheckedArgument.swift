import ArgumentParser

/// A flag's value type that is parsed and checked once, when the command line is read, and says
/// why it refuses a value.
///
/// Declare the option with `transform: T.parse` so the usage error carries the reason; the
/// `ExpressibleByArgument` conformance (for other uses) refuses the same values.
protocol CheckedArgument: ExpressibleByArgument {
  /// The value `text` stands for, or the refusal saying what is accepted.
  static func parse(_ text: String) throws(ArgumentRefusal) -> Self
}

extension CheckedArgument {
  init?(argument: String) {
    guard let value = try? Self.parse(argument) else { return nil }
    self = value
  }
}
