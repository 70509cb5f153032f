import ArgumentParser
import Foundation
import Recording
import WorkoutStore

/// `buddy sync`: upload workouts saved while the database was unreachable.
struct SyncCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync",
    abstract:
      "Upload workouts saved offline (record, import, history, stats and workout do it too).",
    discussion: """
      `buddy record` keeps a workout in $XDG_STATE_HOME/exercise-buddy/outbox/ when the \
      database cannot be reached. Each entry is uploaded under the user whose login recorded \
      it, once the database confirms that session, and its file is removed only after the \
      commit; uploading twice stores it once. An entry whose values the database refuses \
      (out of range, …) is moved to rejected/ with a .reason file and the others go on; when \
      the connection fails, everything stays pending.

      Besides `buddy sync`, these commands upload pending workouts quietly before they start \
      (saying so only when something was uploaded or refused): record, import, history, stats, \
      workout, and, before a session ends, logout, passwd and account deactivate. Others \
      (login, register, whoami, sessions, profile, count, db, server) leave them pending; \
      account delete discards the deleted account's own.

      `buddy sync --status` lists the pending workouts without uploading them, with times in \
      your profile's time zone (as `buddy history` shows them) when the database answers, else \
      in this machine's zone.

      Examples:
        buddy sync
        buddy sync --status
      """
  )

  @Flag(help: "List what is pending instead of uploading.") var status = false
  @OptionGroup var database: DatabaseOptions

  func run() throws {
    if status {
      let outbox = OutboxSync.outbox
      let files = outbox.pendingFiles()
      var heading =
        "\(files.count) workout\(files.count == 1 ? "" : "s") pending in \(outbox.directory)"
      let zone = files.isEmpty ? nil : statusTimeZone()
      if let zone { heading += " (times in \(zone.description))" }
      print(heading)
      let time = LocalTime(zone?.name ?? TimeZone.current.identifier)
      for path in files {
        guard let entry = outbox.load(path) else {
          print("  \((path as NSString).lastPathComponent): unreadable")
          continue
        }
        let workout = entry.workout
        print(
          "  \(workout.id?.uuidString.lowercased().prefix(8) ?? "?")  \(time.minute(workout.createdAt))  "
            + "\(workout.exerciseType.name)  \(workout.reps) reps  (saved \(time.minute(entry.savedAt)))"
        )
      }
      return
    }
    let connection = try database.connect()
    try SchemaMigrator(connection: connection).requireCurrent()
    let report = try OutboxSync.run(connection)
    var line = "uploaded \(report.uploaded)"
    if report.alreadyStored > 0 { line += ", \(report.alreadyStored) already stored" }
    if report.waiting > 0 {
      line +=
        ", \(report.waiting) waiting for their login (log in again as the user who recorded them)"
    }
    if report.unreadable > 0 { line += ", \(report.unreadable) unreadable" }
    if !report.rejected.isEmpty {
      line +=
        ", \(report.rejected.count) refused by the database and set aside in "
        + OutboxSync.outbox.rejectedDirectory
    }
    print(line)
    for rejection in report.rejected {
      Terminal.note("refused: \(rejection.file): \(rejection.reason)")
    }
    if !report.rejected.isEmpty {
      throw ExitCode(ExitStatus.dataError.rawValue)
    }
  }

  /// The zone `--status` shows times in: the logged-in user's profile zone, as `history` uses,
  /// when the database answers (uploading nothing); else this machine's zone, saying so.
  private func statusTimeZone() -> (name: String, description: String) {
    if let current = try? CurrentUser.require(database, outbox: .leavePending),
      let settings = try? ProfileStore(connection: current.connection, userID: current.user.id)
        .settings()
    {
      return (settings.timeZone, settings.timeZone)
    }
    let local = TimeZone.current.identifier
    return (local, "\(local), this machine's zone: the profile's is in the database")
  }
}
