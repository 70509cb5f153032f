/// Minimal JSON writing for machine-readable output (keys keep the order given).
enum JSON {
  /// A JSON value.
  indirect enum Value {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case array([Value])
    case object([(String, Value)])
    /// Text that is already JSON (e.g. a jsonb column), inserted as is.
    case raw(String)
  }

  /// The compact JSON text of `value`.
  static func text(_ value: Value) -> String {
    switch value {
    case .string(let string): return quoted(string)
    case .number(let number):
      guard number.isFinite else { return "null" }
      if number == number.rounded(), abs(number) < 1e15 { return String(Int(number)) }
      return String(number)
    case .integer(let integer): return String(integer)
    case .bool(let bool): return bool ? "true" : "false"
    case .null: return "null"
    case .raw(let text): return text
    case .array(let values): return "[" + values.map(text).joined(separator: ",") + "]"
    case .object(let members):
      return "{" + members.map { quoted($0.0) + ":" + text($0.1) }.joined(separator: ",") + "}"
    }
  }

  /// `string` as a JSON string literal.
  static func quoted(_ string: String) -> String {
    var result = "\""
    for scalar in string.unicodeScalars {
      switch scalar {
      case "\"": result += "\\\""
      case "\\": result += "\\\\"
      case "\n": result += "\\n"
      case "\r": result += "\\r"
      case "\t": result += "\\t"
      default:
        if scalar.value < 0x20 {
          let hex = String(scalar.value, radix: 16)
          result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          result.unicodeScalars.append(scalar)
        }
      }
    }
    return result + "\""
  }
}
