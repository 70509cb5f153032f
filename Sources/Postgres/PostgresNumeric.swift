/// PostgreSQL's binary `numeric`: base-10000 digits with a weight, a sign and a display scale.
struct PostgresNumeric {
  /// The value as decimal text, e.g. `-12.50`, `NaN` or `Infinity`.
  let text: String

  init(_ bytes: PostgresBytes) throws(PostgresDecodingError) {
    let digitCount = Int(try bytes.integer(at: 0, as: Int16.self))
    let weight = Int(try bytes.integer(at: 2, as: Int16.self))
    let sign = try bytes.integer(at: 4, as: UInt16.self)
    let scale = Int(try bytes.integer(at: 6, as: UInt16.self))
    switch sign {
    case 0xC000:
      text = "NaN"
      return
    case 0xD000:
      text = "Infinity"
      return
    case 0xF000:
      text = "-Infinity"
      return
    default:
      break
    }
    var digits: [Int] = []
    for index in 0..<max(digitCount, 0) {
      digits.append(Int(try bytes.integer(at: 8 + index * 2, as: Int16.self)))
    }
    // Integer part: groups with weight >= 0.
    var integer = ""
    if weight < 0 {
      integer = "0"
    } else {
      for group in 0...weight {
        let value = group < digits.count ? digits[group] : 0
        let part = String(value)
        integer += group == 0 ? part : String(repeating: "0", count: 4 - part.count) + part
      }
    }
    var fraction = ""
    if scale > 0 {
      var group = weight + 1
      while fraction.count < scale {
        let value = group >= 0 && group < digits.count ? digits[group] : 0
        let part = String(value)
        fraction += String(repeating: "0", count: 4 - part.count) + part
        group += 1
      }
      fraction = String(fraction.prefix(scale))
    }
    let body = fraction.isEmpty ? integer : integer + "." + fraction
    text = sign == 0x4000 ? "-" + body : body
  }
}
