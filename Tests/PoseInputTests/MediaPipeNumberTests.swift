import Testing

@testable import PoseInput

/// MediaPipe's number shape (`[-]D.` and 14–18 digits) is read without loops by
/// ``JSONScanner/mediaPipeNumber(at:)``, into the same Double the general readers and the
/// standard library's parser give.
@Suite struct MediaPipeNumberTests {
  /// `mediaPipeNumber(at:)` on `text` followed by spaces (it reads up to 22 bytes).
  private func read(_ text: String) -> (value: Double, length: Int)? {
    let bytes = Array(text.utf8) + Array(repeating: UInt8(ascii: " "), count: 32)
    return bytes.withUnsafeBufferPointer { buffer in
      buffer.baseAddress.flatMap { JSONScanner.mediaPipeNumber(at: $0) }
    }
  }

  @Test(arguments: [
    "0.8227647542953491", "0.28730931878089905", "-0.006088400259613991", "1.0000014305114746",
    "9.9999999999999999", "9.999999999999999999", "-0.0000000000000000", "0.0000000000000001",
    "5.0000000000000000", "0.1000000000000000055511151231257827", "0.822764754295349",
    "-0.82276475429534", "0.8227647542953", "9.999999999999999", "0.00000000000001",
    "-0.000000000000000", "0.12345678901234",
  ])
  func readsItsShapeAsTheStandardParserDoes(_ number: String) throws {
    for end in [",", "]", "}", " ", "\n", "\r", ""] {
      let text = number + end
      let fractionDigits = number.split(separator: ".")[1].count
      guard (14...18).contains(fractionDigits) else {
        #expect(read(text) == nil, "\(text)")
        continue
      }
      let (value, length) = try #require(read(text), "\(text)")
      #expect(length == number.utf8.count, "\(text)")
      #expect(value.bitPattern == Double(number)?.bitPattern, "\(text)")
    }
  }

  @Test(arguments: [
    "0.8227647542953", "0.8227647542953491e-5", "0.822764754295349e-5", "0.82276475429534E2",
    "0.8227647542953491E2", "12.8227647542953491",
    "0.8227647542953491234", "0.8227647542953491.5", "0.8227647542953491x", "0.82276475429534a1",
    ".8227647542953491", "0,8227647542953491", "-.8227647542953491", "--0.8227647542953491",
    "0.8227647542953491-", "0.8227647542953491+", "00.8227647542953491", "0.822764754295349x",
    "0.82276475429534.5", "0.822764754295349-", "0.8227647542953a91",
  ])
  func leavesOtherShapesToTheGeneralReader(_ text: String) {
    #expect(read(text) == nil, "\(text)")
  }

  @Test func scannerReadsRandomMediaPipeShapedNumbersAsTheStandardParserDoes() {
    var random = SplitMix(state: 18)
    var texts: [String] = []
    for _ in 0..<300_000 {
      var text = Bool.random(using: &random) ? "-" : ""
      text += String(UInt8.random(in: 0...9, using: &random)) + "."
      let zeros =
        Int.random(in: 0..<4, using: &random) == 0 ? Int.random(in: 1...4, using: &random) : 0
      text += String(repeating: "0", count: zeros)
      for _ in 0..<Int.random(in: 10...20, using: &random) - zeros {
        text += String(UInt8.random(in: 0...9, using: &random))
      }
      if Int.random(in: 0..<8, using: &random) == 0 {
        text += ["e-05", "E+3", "e0", "e-300"][Int.random(in: 0..<4, using: &random)]
      }
      texts.append(text)
    }
    #expect(numbersReadUnlikeTheStandardParser(texts, carefulCount: 50_000) == [])
  }

  @Test func keepsTheSignOfZero() throws {
    let (value, _) = try #require(read("-0.0000000000000000,"))
    #expect(value == 0 && value.sign == .minus)
  }
}
