import Foundation
import Postgres
import Recording
import TestSupport
import Testing
import WorkoutStore

/// Whose offline entries are whose, as `buddy account delete` asks before the sessions go.
@Suite("Outbox entries by owner", .enabled(if: TestDatabase.isAvailable))
struct OutboxOwnershipTests {
  @Test func entriesOfAUserAreThoseOfTheirSessions() throws {
    let world = try SignedInDatabase()
    defer { world.close() }
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "buddy-owner-\(UUID().uuidString.prefix(8))"
    ).path
    defer { try? FileManager.default.removeItem(atPath: base) }
    let outbox = Outbox(directory: base + "/outbox")
    let ann = try world.member("ann")
    let bob = try world.member("bob")
    // A second session of Ann's (another login), and one she ended.
    let accounts = AccountStore(connection: try world.client())
    let annElsewhere = try accounts.login(
      identifier: "ann", password: "correct horse battery", label: "laptop"
    ).token
    let annEnded = try accounts.login(
      identifier: "ann", password: "correct horse battery", label: "gone"
    ).token
    try accounts.logout(annEnded)

    func save(_ token: String?, digest: String? = nil) throws -> String {
      let id = UUID()
      let workout = NewWorkout(
        exerciseType: .pushUp, reps: 5, durationSeconds: 60, caloriesBurned: nil,
        createdAt: Date(timeIntervalSince1970: 1_800_000_000),
        details: StoredDetails.manual.jsonText, id: id)
      try outbox.save(
        Outbox.Entry(
          workout: workout, token: token, tokenSHA256: digest, caloriesPending: true,
          savedAt: Date()))
      return "\(outbox.directory)/\(id.uuidString.lowercased()).json"
    }
    let current = try save(ann.token.hex)
    let legacy = try save(nil, digest: SHA256.hex(ann.token.digest).uppercased())
    let other = try save(annElsewhere.hex)
    let ended = try save(annEnded.hex)
    let bobs = try save(bob.token.hex)
    let garbage = try save("not a token")
    // One of Ann's set aside earlier, with its reason.
    let rejectedSource = try save(ann.token.hex)
    try FileManager.default.createDirectory(
      atPath: outbox.rejectedDirectory, withIntermediateDirectories: true)
    let rejected = outbox.rejectedDirectory + "/" + (rejectedSource as NSString).lastPathComponent
    try FileManager.default.moveItem(atPath: rejectedSource, toPath: rejected)
    try "refused\n".write(toFile: rejected + ".reason", atomically: true, encoding: .utf8)

    let connection = try world.client()
    try AccountStore(connection: connection).use(ann.token)
    let owned = try outbox.entries(ofUser: ann.id, token: ann.token, connection: connection)
    #expect(Set(owned) == [current, legacy, other, rejected])
    // The connection acts for Ann again.
    #expect(try AccountStore(connection: connection).currentUserID() == ann.id)

    #expect(outbox.discard(owned) == 4)
    #expect(Set(outbox.pendingFiles()) == [ended, bobs, garbage])
    #expect(!FileManager.default.fileExists(atPath: rejected + ".reason"))
  }
}
