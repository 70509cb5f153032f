import Foundation
import TestSupport
import Testing

/// `sync --status` shows times in the profile's zone, as `history` does, when the database
/// answers; else in this machine's zone, and says which.
@Suite("sync --status time zone", .enabled(if: TestDatabase.isAvailable))
struct SyncStatusTimeZoneTests {
  @Test func pendingWorkoutsAreListedInTheProfilesZone() throws {
    let world = try SignedInUser("zoned", environment: ["TZ": "UTC"])
    defer { world.close() }
    #expect(try world.buddy.run(["profile", "set", "time-zone", "Asia/Kathmandu"]).status == 0)
    var offline = world.buddy
    offline.environment["BUDDY_DATABASE_URL"] = "postgresql:///buddy?host=/nonexistent-buddy-db"
    let saved = try offline.run([
      "record", "--exercise", "push-up", "--reps", "9", "--duration", "1m", "--at",
      "2026-11-20 07:30Z",
    ])
    #expect(saved.status == 0, "\(saved.stderr)")

    let status = try world.buddy.run(["sync", "--status"])
    #expect(status.status == 0, "\(status.stderr)")
    let lines = status.stdout.split(separator: "\n")
    #expect(lines.first?.hasSuffix(" (times in Asia/Kathmandu)") == true, "\(status.stdout)")
    // 07:30 UTC is 13:15 in Kathmandu (UTC+5:45).
    #expect(lines.dropFirst().first?.contains("  2026-11-20 13:15  push-up  9 reps") == true)
    #expect(try world.count() == 0, "--status uploads nothing")

    // Unreachable: this machine's zone (TZ=UTC, which Foundation may call GMT), saying so.
    let away = try offline.run(["sync", "--status"])
    #expect(away.status == 0, "\(away.stderr)")
    #expect(away.stdout.contains(", this machine's zone: the profile's is in the database)"))
    #expect(away.stdout.contains("  2026-11-20 07:30  push-up  9 reps"))
  }
}
