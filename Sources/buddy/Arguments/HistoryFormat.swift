import ArgumentParser

/// How `buddy history` prints workouts: an aligned table, or rows for scripts.
enum HistoryFormat: String, FormatChoice {
  case table, json, jsonl, csv

  static var standard: HistoryFormat { .table }
}
