internal import Foundation

/// The `details` object of any workout `buddy` stores: a counted session's ``WorkoutDetails``,
/// or a manual entry's `{"source": "manual"}`.
public enum StoredDetails: Codable, Sendable, Equatable {
  /// A session counted from an input.
  case counted(WorkoutDetails)
  /// Repetitions and a duration typed in by the user.
  case manual

  /// The text stored for a manual entry (as earlier versions stored it).
  private static let manualText = #"{"source": "manual"}"#

  /// Reads stored JSON text.
  public init(jsonText: String) throws {
    self = try JSONDecoder().decode(Self.self, from: Data(jsonText.utf8))
  }

  /// The JSON text stored in the `details` column.
  public var jsonText: String {
    switch self {
    case .counted(let details): return details.jsonText
    case .manual: return Self.manualText
    }
  }

  private enum CodingKeys: String, CodingKey {
    case source
  }

  /// A `source` that is the string `manual` makes a manual entry; anything else must be a
  /// counted session's details.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    if (try? container.decode(String.self, forKey: .source)) == "manual" {
      self = .manual
    } else {
      self = .counted(try WorkoutDetails(from: decoder))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    switch self {
    case .counted(let details):
      try details.encode(to: encoder)
    case .manual:
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode("manual", forKey: .source)
    }
  }
}
