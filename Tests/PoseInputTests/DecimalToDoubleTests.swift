import Testing

@testable import PoseInput

/// A small deterministic generator (SplitMix64), so a failure can be replayed.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// A random JSON number: any sign, 1–25 integer digits, 0–30 fraction digits, an exponent up
/// to ±400 now and then; lengths and digit counts on both sides of every fast path's limits.
func randomJSONNumber(_ random: inout SplitMix) -> String {
  func digits(_ count: Int, first: ClosedRange<UInt8> = 0...9) -> String {
    var text = ""
    for index in 0..<count {
      let range = index == 0 ? first : 0...9
      text.append(Character(Unicode.Scalar(48 + UInt8.random(in: range, using: &random))))
    }
    return text
  }
  var text = Bool.random(using: &random) ? "-" : ""
  let integerDigits = Int.random(in: 0...25, using: &random)
  text += integerDigits < 6 ? "0" : digits(Int.random(in: 1...20, using: &random), first: 1...9)
  if Int.random(in: 0..<10, using: &random) < 8 {
    // Often MediaPipe's shape: 0.xxxxxxxxxxxxxxxx with 15–18 digits.
    let count =
      Bool.random(using: &random)
      ? Int.random(in: 15...18, using: &random) : Int.random(in: 1...30, using: &random)
    let zeros =
      Int.random(in: 0..<8, using: &random) == 0 ? Int.random(in: 1...6, using: &random) : 0
    text += "." + String(repeating: "0", count: zeros) + digits(count)
  }
  if Int.random(in: 0..<10, using: &random) < 3 {
    text += Bool.random(using: &random) ? "e" : "E"
    text += ["", "+", "-"][Int.random(in: 0..<3, using: &random)]
    let exponent =
      Int.random(in: 0..<4, using: &random) == 0
      ? Int.random(in: 0...400, using: &random) : Int.random(in: 0...30, using: &random)
    text += String(exponent)
  }
  return text
}

/// Reads `texts` joined by commas with one scanner (the fast path where 64 bytes follow) and,
/// when `careful`, with ``JSONScanner/carefulNumber(_:)`` alone; returns each value, or nil
/// where the scanner refused the number.
func scanNumbers(_ texts: [String], careful: Bool) -> [Double?] {
  let joined = texts.joined(separator: ",") + String(repeating: " ", count: 80)
  let window = ByteWindow(source: .memory(Array(joined.utf8)))
  var scanner = JSONScanner(window: window, line: 1, lineStart: 0)
  var values: [Double?] = []
  for text in texts {
    let start = scanner.index
    do {
      _ = try scanner.peek()
      values.append(try careful ? scanner.carefulNumber("x") : scanner.number("x"))
      if scanner.index - start != text.utf8.count { values[values.count - 1] = nil }
    } catch {
      values.append(nil)
    }
    scanner.index = start + text.utf8.count + 1
  }
  return values
}

/// The texts (the first 11 at most) that the scanner's fast reader, or its careful reader on
/// the first `carefulCount`, reads other than `Double(String)` does, bit for bit (a number it
/// refuses must be one `Double` refuses or makes infinite).
func numbersReadUnlikeTheStandardParser(_ texts: [String], carefulCount: Int) -> [String] {
  let fast = scanNumbers(texts, careful: false)
  let careful = scanNumbers(Array(texts.prefix(carefulCount)), careful: true)
  var mismatches: [String] = []
  for (index, text) in texts.enumerated() {
    let expected = Double(text).flatMap { $0.isFinite ? $0 : nil }
    if fast[index]?.bitPattern != expected?.bitPattern
      || (index < careful.count && careful[index]?.bitPattern != expected?.bitPattern)
    {
      mismatches.append(text)
      if mismatches.count > 10 { break }
    }
  }
  return mismatches
}

@Suite struct DecimalToDoubleTests {
  @Test func matchesTheStandardParserOnAMillionRandomDecimals() {
    var random = SplitMix(state: 21)
    var mismatches: [String] = []
    for round in 0..<1_000_000 {
      // Any 64-bit mantissa, or one of 16–19 digits (MediaPipe's), or a small one.
      let mantissa: UInt64
      switch round % 3 {
      case 0: mantissa = random.next()
      case 1:
        mantissa = UInt64.random(
          in: 1_000_000_000_000_000...9_999_999_999_999_999_999, using: &random)
      default: mantissa = UInt64.random(in: 0...(1 << 54), using: &random)
      }
      let exponent =
        round % 5 == 0
        ? Int.random(
          in: DecimalToDouble.smallestExponent...DecimalToDouble.largestExponent, using: &random)
        : Int.random(in: -25...5, using: &random)
      let text = "\(mantissa)e\(exponent)"
      let value = DecimalToDouble.value(mantissa: mantissa, exponent: exponent)
      if value?.bitPattern != Double(text)?.bitPattern {
        mismatches.append(text)
        if mismatches.count > 10 { break }
      }
    }
    #expect(mismatches == [])
  }

  @Test func roundsHalfwayCasesToEven() {
    // 2^53 + 1 and neighbours: exactly halfway between two Doubles, at several scales.
    for mantissa: UInt64 in [
      9_007_199_254_740_993, 9_007_199_254_740_995, 18_014_398_509_481_986,
      18_014_398_509_481_990, 9_223_372_036_854_777_856, 9_223_372_036_854_779_904,
    ] {
      for exponent in -6...25 {
        let value = DecimalToDouble.value(mantissa: mantissa, exponent: exponent)
        #expect(
          value?.bitPattern == Double("\(mantissa)e\(exponent)")?.bitPattern,
          "\(mantissa)e\(exponent)")
      }
    }
  }

  @Test(arguments: [
    "0", "-0", "-0.0", "0e5", "-0e-400", "0.0000", "1", "-1", "1e23", "1E+22", "1e-22",
    "9007199254740993", "9007199254740993.0", "9007199254740992.5", "0.1", "0.30000000000000004",
    "0.5123456789012345", "0.51234567890123456", "-0.999999999999999999", "123456789012345678",
    "1234567890123456789", "12345678901234567890", "123456789012345678901234567890",
    "0.000000000000000000000000000001", "1.00000000000000011102230246251565404236316680908203125",
    "1.00000000000000011102230246251565404236316680908203126", "2.2250738585072011e-308",
    "2.2250738585072014e-308", "4.9e-324", "2.4703282292062328e-324", "1e-400",
    "1.7976931348623157e308", "1.7976931348623158e308", "8.98846567431158e307", "1e100",
    "1e-100", "1e101", "1e-101", "7.2057594037927933e16", "0.00000000000000000000000000000000001",
  ])
  func scannerReadsEdgeCasesAsTheStandardParserDoes(_ text: String) {
    let expected = Double(text)
    for careful in [false, true] {
      let value = scanNumbers([text], careful: careful)[0]
      #expect(value?.bitPattern == expected?.bitPattern, "careful: \(careful)")
    }
  }

  @Test func scannerRefusesNumbersThatOverflow() {
    for text in ["1e309", "-1.8e308", "1" + String(repeating: "0", count: 400)] {
      #expect(scanNumbers([text], careful: false) == [nil])
      #expect(scanNumbers([text], careful: true) == [nil])
    }
  }

  @Test func scannerReadsHalfAMillionRandomNumbersAsTheStandardParserDoes() {
    var random = SplitMix(state: 5)
    let texts = (0..<500_000).map { _ in randomJSONNumber(&random) }
    #expect(numbersReadUnlikeTheStandardParser(texts, carefulCount: 100_000) == [])
  }
}
