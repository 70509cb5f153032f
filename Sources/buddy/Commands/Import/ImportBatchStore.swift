import Foundation
import Postgres
import WorkoutStore

/// Stores `import`'s batches so that a failover neither loses nor duplicates one.
enum ImportBatchStore {
  /// Stores `batch` in one transaction through `writer` and says, per workout, whether this
  /// import stored it. Every workout gets an id chosen here first; when the primary is lost and
  /// the batch runs again on the new one, the ids found stored are the lost attempt's commit
  /// (stored by this import, so reported as imported), and inserting them again is a no-op.
  static func store(_ batch: [NewWorkout], through writer: FailoverWriter) throws -> [Bool] {
    var batch = batch
    for index in batch.indices where batch[index].id == nil { batch[index].id = UUID() }
    do {
      return try writer.perform { user, rerun in
        let repository = WorkoutRepository(connection: user.connection, userID: user.user.id)
        guard rerun else { return try repository.importBatch(batch) }
        let committed = try repository.storedIDs(batch.compactMap(\.id))
        let inserted = try repository.importBatch(batch)
        return zip(batch, inserted).map { workout, isNew in
          isNew || workout.id.map(committed.contains) == true
        }
      }
    } catch let error as PostgresError where error.kind == .connectionFailure {
      throw stopped(error)
    }
  }

  /// The one-line error (exit 69) of an import that lost its database and found no primary.
  static func stopped(_ error: PostgresError) -> CLIError {
    CLIError(
      .unavailable,
      "import stopped: \(error.message); the batches stored before stay stored, nothing of the "
        + "interrupted one is kept: run the same import again to store the rest")
  }
}
