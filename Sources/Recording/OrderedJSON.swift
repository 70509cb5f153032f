/// Compact JSON text whose object members keep the order given: how ``WorkoutDetails`` writes
/// the text it stores, byte for byte what earlier versions stored (JSONEncoder orders keys by
/// hash or alphabetically, never as declared), and how the command-line tool prints JSON.
public enum OrderedJSON {
  /// A JSON value.
  public indirect enum Value {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case array([Value])
    case object([(String, Value)])
    case null
    /// Text that is already JSON (e.g. a jsonb column), inserted as is.
    case raw(String)
  }

  /// The compact text of `value`: no spaces; a whole number below 10¹⁵ without a fraction;
  /// a non-finite number as `null`.
  public static func text(_ value: Value) -> String {
    switch value {
    case .string(let string): return quoted(string)
    case .number(let number):
      guard number.isFinite else { return "null" }
      // Finite and below 10¹⁵ in magnitude: the conversion cannot trap.
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

  /// `string` as a JSON string literal (quote, backslash and control characters escaped).
  public static func quoted(_ string: String) -> String {
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
