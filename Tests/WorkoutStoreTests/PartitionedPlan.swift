import Foundation
import Postgres

/// What a plan over the partitioned `workouts` (schema v8) reads: each partition has its copy of
/// the parent's indexes (`workouts_p2026_11_user_id_created_at_idx` for `idx_workouts_user_created`),
/// and a partition of a few rows is rightly read whole.
struct PartitionedPlan {
  let text: String

  /// Whether the plan reads through the user index of `workouts` or of one of its partitions.
  var usesUserIndex: Bool {
    text.contains("idx_workouts_user")
      || text.range(of: #"workouts_(p\d{4}_\d{2}|default)_user_id_"#, options: .regularExpression)
        != nil
  }

  /// The relations the plan scans sequentially.
  var sequentialScans: [String] {
    text.split(separator: "\n").compactMap { line in
      guard let range = line.range(of: #"Seq Scan on \S+"#, options: .regularExpression) else {
        return nil
      }
      return String(line[range].dropFirst("Seq Scan on ".count))
    }
  }

  /// The sequentially scanned relations that hold more than `rows` rows (by the statistics of
  /// the last ANALYZE, read by `admin`).
  func largeSequentialScans(_ admin: PostgresConnection, rows: Int = 100) throws -> [String] {
    try sequentialScans.filter { name in
      let tuples = try admin.query(
        "SELECT greatest(reltuples, 0)::int8 FROM pg_class WHERE oid = to_regclass($1)", [name]
      ).first?.decode(0, as: Int.self)
      return (tuples ?? Int.max) > rows
    }
  }
}
