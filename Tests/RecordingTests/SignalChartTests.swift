import Foundation
import Recording
import Testing

/// Snapshots of the signal chart at a fixed size, braille and ASCII.
@Suite("The signal chart")
struct SignalChartTests {
  /// Three reps in 6 s at 5 samples a second: the gauge falls from the top to the bottom and
  /// back, the low line shown at the top, the high line on the way back, a gap of no pose.
  static let signal = WorkoutDetails.Signal(
    rate: 5, start: 1,
    value: [
      90, 90, 70, 40, 15, 10, 30, 60, 85, 90,
      90, 75, 45, 20, 10, 35, 65, 88, 90, 90,
      nil, nil, 80, 50, 20, 10, 40, 70, 90, 90,
    ],
    low: [
      75, 75, 75, nil, nil, nil, nil, nil, nil, 75,
      75, 75, nil, nil, nil, nil, nil, nil, 75, 75,
      nil, nil, 75, nil, nil, nil, nil, nil, nil, 75,
    ],
    high: [
      nil, nil, nil, 60, 55, 55, 55, 55, nil, nil,
      nil, nil, 60, 55, 55, 55, 55, nil, nil, nil,
      nil, nil, nil, 60, 55, 55, 55, 55, nil, nil,
    ])
  static let reps = [2.7, 4.6, 6.6]

  @Test func drawsBrailleAtAFixedWidth() {
    let lines = SignalChart(width: 40, height: 6, glyphs: .braille).lines(
      Self.signal, reps: Self.reps)
    #expect(
      lines == [
        "⠤⡄        ⣀⡤⠤⣄        ⣀⡤⠤⠄          ⢠⠤⠤",
        "⠤⠝⣦⠄     ⣰⠃ ⠤⠜⢦⠄     ⡴⠃ ⠤⠄⠤  ⣆⠤    ⢀⡞  ⠄",
        "  ⠘⡆⠒⠂⠤⠄⢴⠇⠤   ⠈⣇⠒⠂⠤⠄⢼⠅⠤      ⠘⣆⠂⠤⠄⠤⡞⠤⠄",
        "   ⠹⡄   ⡞      ⠘⡆  ⢀⡏         ⠘⡆  ⡼⠁",
        "    ⢳ ⢀⡼⠁       ⠹⣄⢀⡞           ⠹⡄⣸⠁",
        "    ⠈⠙⠚          ⠈⠛             ⠙⠃",
        "           ▲            ▲            ▲",
        "0:00              0:03              0:06",
      ])
  }

  @Test func drawsASCIIAtAFixedWidth() {
    let lines = SignalChart(width: 40, height: 6, glyphs: .ascii).lines(
      Self.signal, reps: Self.reps)
    #expect(
      lines == [
        "**         .**         .**          .**",
        "-.*-     .*.-.*-     .*.---  *-    .*  -",
        "  ..----.*-   ..----.*-      .*---..--",
        "   .*  .*      .*  .*         .. .*",
        "    .**.        .**.           .**",
        "",
        "           ^            ^            ^",
        "0:00              0:03              0:06",
      ])
  }

  @Test func coloursOnlyWhenAsked() {
    let plain = SignalChart(width: 40, height: 6, glyphs: .ascii).lines(
      Self.signal, reps: Self.reps)
    let coloured = SignalChart(width: 40, height: 6, glyphs: .ascii, colour: true).lines(
      Self.signal, reps: Self.reps)
    #expect(coloured[0].hasPrefix("\u{1B}[32m**\u{1B}[0m   "))
    #expect(coloured[6].hasSuffix("\u{1B}[36m^\u{1B}[0m"))
    let stripped = coloured.map {
      $0.replacingOccurrences(of: "\u{1B}\\[[0-9]*m", with: "", options: .regularExpression)
    }
    #expect(stripped == plain)
    #expect(!plain.joined().contains("\u{1B}"))
  }

  @Test func clampsItsSizeAndSkipsRepsOutsideTheSignal() {
    let chart = SignalChart(width: 3, height: 0, glyphs: .ascii)
    #expect(chart.width == 16 && chart.height == 2)
    let lines = chart.lines(Self.signal, reps: [-5, .nan, .infinity, 100])
    #expect(lines.count == 4)
    #expect(lines[2].isEmpty)
    #expect(lines[3].hasPrefix("0:00") && lines[3].hasSuffix("0:06"))
  }
}
