/// Draws a stored ``WorkoutDetails/Signal`` as a terminal chart: the signal as a line, the
/// thresholds it must cross as dashes, a marker under each repetition and a time axis.
///
/// Pure: the caller says how to draw (glyphs, colour) from the terminal and the locale. With
/// ``Glyphs/braille`` each cell holds 2×4 dots; with ``Glyphs/ascii`` a sample's cell is `*`,
/// the line between samples `.` and a threshold `-`.
public struct SignalChart: Sendable {
  /// The characters a chart is drawn with.
  public enum Glyphs: Sendable {
    /// Unicode braille dots, `▲` rep markers (a UTF-8 locale).
    case braille
    /// `*`, `.`, `-` and `^` (any locale).
    case ascii
  }

  /// Columns, at least 16.
  public var width: Int
  /// Rows of the plot itself, at least 2.
  public var height: Int
  public var glyphs: Glyphs
  /// Whether to colour with ANSI escapes: the signal green, thresholds yellow, markers cyan.
  public var colour: Bool

  /// A chart `width` columns wide (16...1000) whose plot is `height` rows (2...100).
  public init(width: Int, height: Int = 8, glyphs: Glyphs, colour: Bool = false) {
    self.width = min(1000, max(16, width))
    self.height = min(100, max(2, height))
    self.glyphs = glyphs
    self.colour = colour
  }

  /// The chart's lines, without newlines: ``height`` rows of plot, one of rep markers at
  /// `reps` (seconds of input), and the time axis (`m:ss` from the signal's start).
  public func lines(_ signal: WorkoutDetails.Signal, reps: [Double]) -> [String] {
    guard signal.count > 0 else { return [] }
    var grid = DotGrid(
      columns: width, rows: height, dotsAcross: glyphs == .braille ? 2 : 1,
      dotsDown: glyphs == .braille ? 4 : 1)
    plotThresholds(signal, on: &grid)
    plotValues(signal, on: &grid)
    var lines = (0..<height).map { row in render(row: row, of: grid) }
    lines.append(markers(signal, reps: reps))
    lines.append(axis(signal))
    return lines
  }

  // MARK: - Plotting

  /// The dot column of sample `index`; the sample range of dot column `x` is its inverse.
  /// Products stay far below `Int.max`: width ≤ 1000 columns, and stored samples ≤ a few
  /// million.
  private func dotColumn(ofSample index: Int, count: Int, grid: DotGrid) -> Int {
    index * grid.dotWidth / count
  }

  /// The dot row of a level `0...100`: 0 the top row.
  private func dotRow(ofLevel level: Int, grid: DotGrid) -> Int {
    let top = WorkoutDetails.Signal.topLevel
    let clamped = min(top, max(0, level))
    return grid.dotHeight - 1 - (clamped * (grid.dotHeight - 1) + top / 2) / top
  }

  /// Dashed lines at each dot column's last low and high level.
  private func plotThresholds(_ signal: WorkoutDetails.Signal, on grid: inout DotGrid) {
    let count = signal.count
    for x in 0..<grid.dotWidth {
      // A dash pattern: three dots on, one off (ASCII: every cell).
      if glyphs == .braille, x % 4 == 3 { continue }
      let first = x * count / grid.dotWidth
      let end = max(first + 1, (x + 1) * count / grid.dotWidth)
      for series in [signal.low, signal.high] {
        guard let level = series[first..<min(end, count)].last(where: { $0 != nil }) ?? nil
        else { continue }
        grid.set(x: x, y: dotRow(ofLevel: level, grid: grid), as: .threshold)
      }
    }
  }

  /// The signal as a line through its samples, broken where a sample is missing.
  private func plotValues(_ signal: WorkoutDetails.Signal, on grid: inout DotGrid) {
    var previous: (x: Int, y: Int)?
    for (index, level) in signal.value.enumerated() {
      guard let level else {
        previous = nil
        continue
      }
      let x = dotColumn(ofSample: index, count: signal.count, grid: grid)
      let y = dotRow(ofLevel: level, grid: grid)
      if let previous { line(from: previous, to: (x, y), on: &grid) }
      grid.set(x: x, y: y, as: .sample)
      previous = (x, y)
    }
  }

  /// The dots between two samples: each column filled over the rows the segment crosses.
  private func line(from start: (x: Int, y: Int), to end: (x: Int, y: Int), on grid: inout DotGrid)
  {
    guard end.x > start.x else {
      for y in min(start.y, end.y)...max(start.y, end.y) { grid.set(x: end.x, y: y, as: .line) }
      return
    }
    let run = Double(end.x - start.x)
    let rise = Double(end.y - start.y)
    for x in start.x...end.x {
      let from = Double(start.y) + rise * Double(x - start.x) / run
      let to = Double(start.y) + rise * Double(min(x + 1, end.x) - start.x) / run
      // Between two rows of the grid: the conversions cannot trap.
      let low = Int(min(from, to).rounded())
      let high = Int(max(from, to).rounded())
      for y in low...high { grid.set(x: x, y: y, as: .line) }
    }
  }

  // MARK: - Rendering

  private func render(row: Int, of grid: DotGrid) -> String {
    var cells: [(String, Paint?)] = []
    for column in 0..<width {
      let cell = grid.cell(column: column, row: row)
      switch glyphs {
      case .braille:
        guard cell.bits != 0 else {
          cells.append((" ", nil))
          continue
        }
        // 0x2800 + 8 bits is a braille pattern scalar.
        let scalar = Unicode.Scalar(0x2800 + UInt32(cell.bits)) ?? " "
        cells.append((String(Character(scalar)), cell.signal ? .signal : .threshold))
      case .ascii:
        if cell.sample {
          cells.append(("*", .signal))
        } else if cell.signal {
          cells.append((".", .signal))
        } else if cell.bits != 0 {
          cells.append(("-", .threshold))
        } else {
          cells.append((" ", nil))
        }
      }
    }
    return painted(cells)
  }

  /// The marker row: a marker under each repetition's time.
  private func markers(_ signal: WorkoutDetails.Signal, reps: [Double]) -> String {
    var cells = [(String, Paint?)](repeating: (" ", nil), count: width)
    let marker = glyphs == .braille ? "▲" : "^"
    for time in reps {
      let fraction = (time - signal.start) / signal.duration
      guard fraction.isFinite, fraction >= 0, fraction <= 1 else { continue }
      // In 0...width by the guard: the conversion cannot trap.
      let column = min(width - 1, Int(fraction * Double(width)))
      cells[column] = (marker, .marker)
    }
    return painted(cells)
  }

  /// The time axis: `0:00` at the left, the end at the right and the middle between.
  private func axis(_ signal: WorkoutDetails.Signal) -> String {
    var characters = [Character](repeating: " ", count: width)
    func place(_ seconds: Double, at column: Int, alignment: Int) {
      let label = Array(Self.clock(seconds))
      let first = min(width - label.count, max(0, column - alignment * label.count / 2))
      guard characters[first..<(first + label.count)].allSatisfy({ $0 == " " }),
        first == 0 || characters[first - 1] == " ",
        first + label.count == width || characters[first + label.count] == " "
      else { return }
      characters.replaceSubrange(first..<(first + label.count), with: label)
    }
    place(0, at: 0, alignment: 0)
    place(signal.duration, at: width, alignment: 2)
    place(signal.duration / 2, at: width / 2, alignment: 1)
    var text = String(characters)
    while text.last == " " { text.removeLast() }
    return text
  }

  /// `m:ss` of whole seconds.
  static func clock(_ seconds: Double) -> String {
    guard seconds.isFinite, seconds >= 0, seconds < 1e9 else { return "-:--" }
    // Finite and below 10⁹: the conversion cannot trap.
    let whole = Int(seconds.rounded(.down))
    let rest = whole % 60
    return "\(whole / 60):\(rest < 10 ? "0" : "")\(rest)"
  }

  /// What a cell is coloured as.
  private enum Paint {
    case signal, threshold, marker

    var escape: String {
      switch self {
      case .signal: return "\u{1B}[32m"
      case .threshold: return "\u{1B}[33m"
      case .marker: return "\u{1B}[36m"
      }
    }
  }

  /// `cells` as one line, trailing blanks dropped, coloured in runs when ``colour`` is on.
  private func painted(_ cells: [(String, Paint?)]) -> String {
    var cells = cells
    while let last = cells.last, last.1 == nil, last.0 == " " { cells.removeLast() }
    guard colour else { return cells.map(\.0).joined() }
    var text = ""
    var current: Paint?
    for (glyph, paint) in cells {
      if paint != current {
        text += paint?.escape ?? "\u{1B}[0m"
        current = paint
      }
      text += glyph
    }
    if current != nil { text += "\u{1B}[0m" }
    return text
  }
}

/// The dots of a chart: `columns × rows` cells of `dotsAcross × dotsDown` dots.
private struct DotGrid {
  /// What a dot shows.
  enum Kind {
    case sample, line, threshold
  }

  /// One cell: its dots as braille bits and what they show.
  struct Cell {
    var bits: UInt8 = 0
    var signal = false
    var sample = false
  }

  let columns: Int
  let rows: Int
  let dotsAcross: Int
  let dotsDown: Int
  private var cells: [Cell]

  init(columns: Int, rows: Int, dotsAcross: Int, dotsDown: Int) {
    self.columns = columns
    self.rows = rows
    self.dotsAcross = dotsAcross
    self.dotsDown = dotsDown
    cells = Array(repeating: Cell(), count: columns * rows)
  }

  var dotWidth: Int { columns * dotsAcross }
  var dotHeight: Int { rows * dotsDown }

  func cell(column: Int, row: Int) -> Cell { cells[row * columns + column] }

  /// Sets the dot at `x`, `y` (dots outside the grid are ignored).
  mutating func set(x: Int, y: Int, as kind: Kind) {
    guard (0..<dotWidth).contains(x), (0..<dotHeight).contains(y) else { return }
    let index = (y / dotsDown) * columns + x / dotsAcross
    cells[index].bits |= Self.braille[y % dotsDown][x % dotsAcross]
    if kind != .threshold { cells[index].signal = true }
    if kind == .sample { cells[index].sample = true }
  }

  /// The braille bit of each dot of a cell, by row then column (U+2800's dot numbering).
  private static let braille: [[UInt8]] = [
    [0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80],
  ]
}
