import Foundation
import Recording
import Testing

/// How `buddy db backup` names its dumps and which ones rotation removes.
@Suite struct BackupDirectoryTests {
  private func makeDirectory() throws -> BackupDirectory {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "backups-\(UUID().uuidString.prefix(8))"
    ).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return BackupDirectory(path: path)
  }

  private func touch(_ directory: BackupDirectory, _ names: [String]) {
    for name in names {
      _ = FileManager.default.createFile(atPath: directory.path + "/" + name, contents: Data())
    }
  }

  @Test func namesAreUTCSecondsThenANumberWhenASecondHoldsSeveral() throws {
    let directory = try makeDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    // 2026-12-05 01:20:07 UTC, whatever the process's zone.
    let date = Date(timeIntervalSince1970: 1_796_433_607)
    let first = directory.newFilePath(at: date)
    #expect(first == directory.path + "/buddy-20261205-012007.dump")
    touch(directory, ["buddy-20261205-012007.dump"])
    #expect(directory.newFilePath(at: date) == directory.path + "/buddy-20261205-012007-2.dump")
    #expect(directory.contains(first))
    #expect(!directory.contains("/elsewhere/buddy-20261205-012007.dump"))
  }

  @Test(arguments: [
    ("buddy-20261205-012007.dump", [20_261_205, 12007, 1]),
    ("buddy-20261205-012007-12.dump", [20_261_205, 12007, 12]),
  ])
  func dumpNamesSortByTimeThenNumber(name: String, key: [Int]) {
    #expect(BackupDirectory.order(of: name) == key)
  }

  @Test(arguments: [
    "buddy-2026125-012007.dump", "buddy-20261205-012007.dump.tmp", "mine-20261205-012007.dump",
    "buddy-20261205-01200x.dump", "buddy-20261205-012007-1234.dump", "buddy-20261205-012007-.dump",
    "buddy-20261205.dump", "buddy--.dump",
  ])
  func otherNamesAreNeverDumps(name: String) {
    #expect(BackupDirectory.order(of: name) == nil)
  }

  @Test func rotationKeepsTheNewestAndTouchesNothingElse() throws {
    let directory = try makeDirectory()
    defer { try? FileManager.default.removeItem(atPath: directory.path) }
    let dumps = [
      "buddy-20261201-000000.dump", "buddy-20261203-000000.dump", "buddy-20261203-000000-2.dump",
      "buddy-20261202-235959.dump", "buddy-20261204-120000.dump",
    ]
    let others = ["notes.txt", "buddy-latest.dump", "pg.dump"]
    touch(directory, dumps + others)
    let removed = try directory.rotate(keep: 3)
    #expect(
      removed
        == ["buddy-20261201-000000.dump", "buddy-20261202-235959.dump"].map {
          directory.path + "/" + $0
        })
    let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    #expect(
      left
        == (others + [
          "buddy-20261203-000000.dump", "buddy-20261203-000000-2.dump",
          "buddy-20261204-120000.dump",
        ]).sorted())
    #expect(try directory.rotate(keep: 3).isEmpty)
  }
}
