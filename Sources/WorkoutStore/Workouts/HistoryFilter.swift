import Foundation
import RepCounting

/// Which workouts `history` returns.
public struct HistoryFilter: Sendable {
  public var exerciseType: Exercise?
  /// First local day included (in `timeZone`).
  public var since: LocalDay?
  /// Last local day included (in `timeZone`).
  public var until: LocalDay?
  /// The IANA zone the days are in.
  public var timeZone: String
  public var limit: Int
  /// 1-based page of `limit` rows (ignored when `beforeID` is set).
  public var page: Int
  /// Keyset paging: only workouts older than this one.
  public var beforeID: UUID?

  public init(
    exerciseType: Exercise? = nil, since: LocalDay? = nil, until: LocalDay? = nil,
    timeZone: String = "UTC", limit: Int = 20, page: Int = 1, beforeID: UUID? = nil
  ) {
    self.exerciseType = exerciseType
    self.since = since
    self.until = until
    self.timeZone = timeZone
    self.limit = limit
    self.page = page
    self.beforeID = beforeID
  }
}
