/// How a kernel's work is split between the parts of a thread team.
public enum WorkShare {
  /// The contiguous share of `0..<total` that part `part` of `parts` takes: shares are
  /// multiples of `multiple` (except the last) and differ by at most one `multiple`.
  @inlinable
  public static func share(of total: Int, part: Int, parts: Int, multiple: Int = 1)
    -> Range<Int>
  {
    let units = (total + multiple - 1) / multiple
    let low = units * part / parts * multiple
    let high = units * (part + 1) / parts * multiple
    return min(low, total)..<min(high, total)
  }
}
