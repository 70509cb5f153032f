import ArgumentParser

/// How `buddy export` writes workouts.
enum ExportFormat: String, FormatChoice {
  case jsonl, csv

  static var standard: ExportFormat { .jsonl }
}
