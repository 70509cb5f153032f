import Foundation

/// The per-rep table of `buddy workout show`: a header row and one row per rep, every column
/// right-aligned to its widest cell (header included), so headers sit over their values.
///
/// Push-ups and squats show START, BOTTOM, END and DEPTH (the smallest joint angle); rope jumps
/// show TAKEOFF, APEX and LANDING. A value the counter did not measure is `-`.
struct RepTable {
  /// One column: its header and how a rep's stored value is shown.
  private struct Column {
    var header: String
    var cell: ([String: Any]) -> String
  }

  /// `title` names the rows (`rep`, `partial`); `reps` are the stored `reps_detail` objects.
  static func lines(title: String, reps: [[String: Any]]) -> [String] {
    let isRope = reps.contains { $0["landing"] != nil }
    let times = isRope ? ["takeoff", "apex", "landing"] : ["start", "bottom", "end"]
    var columns = times.map { key in
      Column(header: key.uppercased()) { rep in
        (rep[key] as? Double).map { String(format: "%.2f", $0) } ?? "-"
      }
    }
    if !isRope {
      columns.append(
        Column(header: "DEPTH") { rep in
          (rep["depth_angle"] as? Double).map { String(format: "%.0f°", $0) } ?? "-"
        })
    }
    let header = [title.uppercased()] + columns.map(\.header)
    let rows = reps.enumerated().map { index, rep in
      [String(index + 1)] + columns.map { $0.cell(rep) }
    }
    let widths = header.indices.map { column in
      ([header] + rows).map { $0[column].count }.max() ?? 0
    }
    return ([header] + rows).map { cells in
      zip(cells, widths).map { cell, width in
        String(repeating: " ", count: max(0, width - cell.count)) + cell
      }
      .joined(separator: "  ")
    }
  }
}
