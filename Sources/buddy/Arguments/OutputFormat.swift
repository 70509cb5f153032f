import ArgumentParser

/// How most commands print their result on stdout.
enum OutputFormat: String, FormatChoice {
  case text
  case json

  static var standard: OutputFormat { .text }
}
