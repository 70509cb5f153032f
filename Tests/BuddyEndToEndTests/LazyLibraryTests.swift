import Foundation
import TestSupport
import Testing

/// libpq and libcrypto are opened at their first use (Sources/CLibPQ, Sources/CCrypto), not at
/// start: commands that never need them run without them, and one that needs a missing one
/// ends with one clear line and exit code 78.
@Suite("buddy: libpq and libcrypto loaded at first use")
struct LazyLibraryTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures").path

  /// Library files that do not exist.
  static let missing = [
    "BUDDY_LIBPQ": "/nonexistent/libpq.so.5", "BUDDY_LIBCRYPTO": "/nonexistent/libcrypto.so.3",
  ]

  @Test func countAndVersionRunWithoutEitherLibrary() throws {
    let buddy = try BuddyProcess(environment: Self.missing)
    defer { buddy.cleanUp() }
    let version = try buddy.run(["--version"])
    #expect(version.status == 0)
    #expect(version.stdout.hasPrefix("buddy 0."))
    let count = try buddy.run(
      ["count", "--exercise", "push-up", Self.fixtures + "/mp33-side-15fps-steady.json"])
    #expect(count.status == 0, "\(count.stderr)")
    #expect(count.stdout.hasPrefix("push-up: 6 reps in 0:"))
    #expect(count.stderr.isEmpty)
  }

  @Test func countLoadsNeitherLibrary() throws {
    // The dynamic loader lists every library it opens (LD_DEBUG=libs, on stderr): linked
    // directly, libpq and libcrypto would be among them.
    let buddy = try BuddyProcess(environment: ["LD_DEBUG": "libs"])
    defer { buddy.cleanUp() }
    let count = try buddy.run(
      ["count", "--exercise", "push-up", Self.fixtures + "/mp33-side-15fps-steady.json"])
    #expect(count.status == 0)
    #expect(count.stdout.hasPrefix("push-up: 6 reps in 0:"))
    #expect(count.stderr.contains("libc.so.6"), "LD_DEBUG had no effect: \(count.stderr)")
    #expect(!count.stderr.contains("libpq.so"))
    #expect(!count.stderr.contains("libcrypto.so"))
  }

  @Test func aDatabaseCommandWithoutLibpqSaysSoAndExitsWith78() throws {
    let buddy = try BuddyProcess(environment: ["BUDDY_LIBPQ": "/nonexistent/libpq.so.5"])
    defer { buddy.cleanUp() }
    let result = try buddy.run([
      "db", "status", "--database-url", "postgresql:///postgres?host=/nonexistent",
    ])
    #expect(result.status == 78)
    let lines = result.stderr.split(separator: "\n")
    #expect(lines.count == 1, "\(result.stderr)")
    #expect(
      result.stderr.hasPrefix(
        "buddy: cannot load the PostgreSQL client library /nonexistent/libpq.so.5 ("))
    #expect(result.stderr.contains("install it (Debian: apt-get install libpq5)"))
  }

  @Test func aDatabaseCommandWithLibpqReachesTheConnection() throws {
    // The same command with the real library: libpq is loaded and reports the missing server
    // (69), so the forwarders reach libpq's own functions.
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    let result = try buddy.run([
      "db", "status", "--database-url", "postgresql:///postgres?host=/nonexistent",
    ])
    #expect(result.status == 69)
    #expect(result.stderr.contains("/nonexistent/.s.PGSQL.5432"))
  }
}
