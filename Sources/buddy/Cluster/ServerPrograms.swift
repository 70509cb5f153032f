import Foundation

/// The installed PostgreSQL server programs (`initdb`, `pg_ctl`, and `pg_dump`/`pg_restore` of the
/// same version for backups), found without relying on PATH:
/// Debian keeps them in `/usr/lib/postgresql/<major>/bin`.
struct ServerPrograms {
  let binDirectory: String

  var initdb: String { binDirectory + "/initdb" }
  var pgCtl: String { binDirectory + "/pg_ctl" }
  var pgDump: String { binDirectory + "/pg_dump" }
  var pgRestore: String { binDirectory + "/pg_restore" }

  /// `$BUDDY_PG_BINDIR`, else the newest `/usr/lib/postgresql/*/bin`, else `initdb` on PATH.
  static func locate() throws -> ServerPrograms {
    if let directory = Paths.environment("BUDDY_PG_BINDIR"), !directory.isEmpty {
      return ServerPrograms(binDirectory: directory)
    }
    let root = "/usr/lib/postgresql"
    let majors = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
      .compactMap(Int.init).sorted(by: >)
    for major in majors
    where FileManager.default.isExecutableFile(atPath: "\(root)/\(major)/bin/initdb") {
      return ServerPrograms(binDirectory: "\(root)/\(major)/bin")
    }
    if let initdb = try? ProcessRunner.locate("initdb") {
      return ServerPrograms(binDirectory: (initdb as NSString).deletingLastPathComponent)
    }
    throw ClusterError(
      "the PostgreSQL server is not installed (no initdb/pg_ctl found); install it with "
        + "`apt-get install postgresql` or run scripts/setup.sh")
  }
}

/// The private cluster could not be created, started or stopped.
struct ClusterError: Error, CustomStringConvertible {
  var description: String

  init(_ description: String) {
    self.description = description
  }
}
