import Foundation
import Postgres

/// One user's kept landmark streams (`workout_landmarks`): stored with a workout, read back
/// by workout id. Row-level security lets a client see and add only its own user's rows, and
/// the foreign key ties each row to a workout of that same user.
public struct LandmarkRepository {
  private let connection: PostgresConnection
  private let userID: UUID

  public init(connection: PostgresConnection, userID: UUID) {
    self.connection = connection
    self.userID = userID
  }

  /// Stores `landmarks` for the user's workout `workoutID` (call it in the transaction that
  /// stores the workout, so that neither is kept without the other).
  public func insert(_ landmarks: KeptLandmarks, workoutID: UUID) throws {
    try landmarks.validate()
    try connection.query(
      """
      INSERT INTO workout_landmarks (workout_id, user_id, format_version, frame_count,
        landmarks_per_frame, frames_per_second, image_width, image_height, payload)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
      """,
      [
        workoutID, userID, LandmarkPayload.version, landmarks.frameCount,
        landmarks.landmarksPerFrame, landmarks.framesPerSecond, landmarks.imageWidth,
        landmarks.imageHeight, landmarks.payload,
      ])
  }

  /// The landmarks kept with the user's workout `workoutID`; nil when none were kept.
  public func landmarks(of workoutID: UUID) throws -> KeptLandmarks? {
    guard
      let row = try connection.query(
        """
        SELECT format_version::int8, frame_count::int8, landmarks_per_frame::int8,
          frames_per_second, image_width, image_height, payload
        FROM workout_landmarks WHERE user_id = $1 AND workout_id = $2
        """, [userID, workoutID]
      ).first
    else { return nil }
    let version = try row.decode(0, as: Int.self)
    guard version == LandmarkPayload.version else {
      throw LandmarkPayloadError(
        .corrupt, "kept landmarks of format version \(version) need a newer buddy")
    }
    return KeptLandmarks(
      frameCount: try row.decode(1), landmarksPerFrame: try row.decode(2),
      framesPerSecond: try row.decode(3), imageWidth: try row.decode(4),
      imageHeight: try row.decode(5), payload: try row.decode(6))
  }

  /// Whether the user's workout `workoutID` has kept landmarks.
  public func hasLandmarks(_ workoutID: UUID) throws -> Bool {
    try connection.query(
      "SELECT EXISTS (SELECT 1 FROM workout_landmarks WHERE user_id = $1 AND workout_id = $2)",
      [userID, workoutID])[0].decode(0, as: Bool.self)
  }
}
