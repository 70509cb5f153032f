import PoseEstimation
import Testing

@testable import Annotation

/// The canvas primitives and the bitmap font, pixel by pixel.
@Suite struct CanvasTests {
  @Test func aFilledCircleCoversItsCentreAndNotBeyondItsRadius() {
    var canvas = Canvas(width: 40, height: 30, colour: .background)
    canvas.fillCircle(x: 20, y: 15, radius: 5, colour: .joint)
    #expect(canvas.colour(x: 20, y: 15) == .joint)
    #expect(canvas.colour(x: 24, y: 15) == .joint)
    #expect(canvas.colour(x: 26, y: 15) == .background)
    #expect(canvas.colour(x: 24, y: 19) == .background)
  }

  @Test func aThickLineCoversItsWholeLength() {
    var canvas = Canvas(width: 50, height: 50, colour: .background)
    canvas.line(x0: 5, y0: 5, x1: 45, y1: 40, thickness: 3, colour: .bone)
    for step in 0...8 {
      let t = Double(step) / 8
      let x = Int((5 + 40 * t).rounded())
      let y = Int((5 + 35 * t).rounded())
      #expect(canvas.colour(x: x, y: y) == .bone, "(\(x), \(y))")
    }
    #expect(canvas.colour(x: 45, y: 5) == .background)
  }

  @Test func drawingOutsideThePictureIsClipped() {
    var canvas = Canvas(width: 10, height: 10, colour: .background)
    canvas.fillCircle(x: -50, y: 5, radius: 3, colour: .joint)
    canvas.line(x0: -5, y0: -5, x1: 15, y1: 15, thickness: 2, colour: .bone)
    canvas.line(x0: .nan, y0: 0, x1: 1e300, y1: 0, thickness: 2, colour: .joint)
    canvas.fillRectangle(x: 8, y: 8, width: 100, height: 100, colour: .rep)
    #expect(canvas.colour(x: 0, y: 0) == .bone)
    #expect(canvas.colour(x: 9, y: 9) == .rep)
    #expect(canvas.colour(x: 9, y: 0) == .background)
  }

  @Test func alphaBlendsTowardsTheColour() {
    var canvas = Canvas(width: 2, height: 1, colour: Colour(0, 0, 0))
    canvas.span(y: 0, from: 0, to: 0, colour: Colour(200, 100, 0), alpha: 0.5)
    #expect(canvas.colour(x: 0, y: 0) == Colour(100, 50, 0))
    #expect(canvas.colour(x: 1, y: 0) == Colour(0, 0, 0))
  }

  @Test func digitsRenderCellByCell() {
    var canvas = Canvas(width: 40, height: 20, colour: .background)
    BitmapFont.draw("12", on: &canvas, x: 1, y: 1, scale: 2, colour: .text)
    #expect(BitmapFont.width(of: "12", scale: 2) == 22)
    // Every cell of both glyphs, as the font defines them.
    for (offset, character) in ["1", "2"].enumerated() {
      let rows = BitmapFont.glyph(Character(character))
      for row in 0..<7 {
        for column in 0..<5 {
          let lit = rows[row] & (1 << (4 - column)) != 0
          let x = 1 + offset * 12 + column * 2 + 1
          let y = 1 + row * 2 + 1
          #expect((canvas.colour(x: x, y: y) == .text) == lit, "\(character) \(column),\(row)")
        }
      }
    }
  }

  @Test func lowerCaseDrawsAsCapitalsAndUnknownAsQuestionMark() {
    #expect(BitmapFont.glyph("a") == BitmapFont.glyph("A"))
    #expect(BitmapFont.glyph("é") == BitmapFont.glyph("?"))
  }
}
