import Foundation

/// A one-line progress display on stderr (only when stderr is a terminal).
struct ImportProgress {
  let total: Int
  let enabled: Bool
  private let start = Date()
  private var lastDraw = Date.distantPast

  init(total: Int, enabled: Bool) {
    self.total = total
    self.enabled = enabled
  }

  mutating func update(done: Int) {
    guard enabled else { return }
    let now = Date()
    guard now.timeIntervalSince(lastDraw) >= 0.1 || done == total else { return }
    lastDraw = now
    let elapsed = max(now.timeIntervalSince(start), 0.001)
    let rate = Double(done) / elapsed
    let remaining = rate > 0 ? Int(Double(total - done) / rate) : 0
    let eta = done < total ? "  ETA \(DurationText.clock(remaining))" : ""
    Terminal.writeStderr(
      "\r\u{1B}[K  \(done)/\(total) files  \(Int(rate.rounded()))/s\(eta)")
  }

  func finish() {
    guard enabled else { return }
    Terminal.writeStderr("\r\u{1B}[K")
  }
}
