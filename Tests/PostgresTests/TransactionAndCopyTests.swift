import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Transactions, COPY and typed errors", .enabled(if: TestDatabase.isAvailable))
struct TransactionAndCopyTests {
  private struct Abort: Error {}

  private func count(_ connection: PostgresConnection, _ table: String) throws -> Int {
    try connection.query("SELECT count(*) FROM \(table)")[0].decode(0, as: Int.self)
  }

  @Test func aThrowingBodyRollsTheTransactionBack() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try connection.query("CREATE TABLE t (id int PRIMARY KEY)")
    #expect(throws: Abort.self) {
      try connection.transaction {
        try connection.query("INSERT INTO t VALUES (1)")
        throw Abort()
      }
    }
    #expect(try count(connection, "t") == 0)
    _ = try connection.transaction { try connection.query("INSERT INTO t VALUES (2)") }
    #expect(try count(connection, "t") == 1)
  }

  @Test func aFailingStatementRollsBackAndSurfacesAsUniqueViolation() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try connection.query("CREATE TABLE t (id int CONSTRAINT t_pkey PRIMARY KEY)")
    try connection.query("INSERT INTO t VALUES (1)")
    let error = try #require(throws: PostgresError.self) {
      try connection.transaction(.serializable) {
        try connection.query("INSERT INTO t VALUES (2)")
        try connection.query("INSERT INTO t VALUES (1)")
      }
    }
    #expect(error.kind == .uniqueViolation)
    #expect(error.sqlState == "23505")
    #expect(error.constraint == "t_pkey")
    #expect(try count(connection, "t") == 1)
  }

  @Test func swallowingAnErrorInsideATransactionStillFailsTheCommit() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try connection.query("CREATE TABLE t (id int PRIMARY KEY)")
    #expect(throws: PostgresError.self) {
      try connection.transaction {
        try connection.query("INSERT INTO t VALUES (1)")
        _ = try? connection.query("INSERT INTO t VALUES (1)")
      }
    }
    #expect(try count(connection, "t") == 0)
  }

  @Test func copiesOneHundredThousandRows() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try connection.query(
      "CREATE TABLE t (id int8, label text, score float8, at timestamptz, raw bytea)")
    let start = Date(timeIntervalSince1970: 1_764_000_000)
    let copied = try connection.copy("COPY t (id, label, score, at, raw) FROM STDIN") { writer in
      for index in 0..<100_000 {
        try writer.append([
          index, "row\t\(index)\n\\", Double(index) / 4, start.addingTimeInterval(Double(index)),
          index % 10 == 0 ? nil : [UInt8(index % 256)],
        ])
      }
    }
    #expect(copied == 100_000)
    let row = try connection.query(
      "SELECT count(*), sum(id), count(raw), max(at) FROM t")[0]
    #expect(try row.decode(0, as: Int.self) == 100_000)
    #expect(try row.decode(1, as: Int.self) == 4_999_950_000)
    #expect(try row.decode(2, as: Int.self) == 90_000)
    #expect(try row.decode(3, as: Date.self) == start.addingTimeInterval(99_999))
    let label = try connection.query("SELECT label FROM t WHERE id = 7")[0].decode(
      0, as: String.self)
    #expect(label == "row\t7\n\\")
  }

  @Test func aThrowingCopyBodyKeepsNothing() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try connection.query("CREATE TABLE t (id int)")
    #expect(throws: Abort.self) {
      try connection.copy("COPY t FROM STDIN") { writer in
        for index in 0..<10_000 { try writer.append([index]) }
        throw Abort()
      }
    }
    #expect(try count(connection, "t") == 0)
    // The connection is still usable afterwards.
    try connection.copy("COPY t FROM STDIN") { try $0.append([1]) }
    #expect(try count(connection, "t") == 1)
  }

  @Test func aCopyRowTheServerRejectsIsATypedError() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try connection.query("CREATE TABLE t (id int CHECK (id > 0))")
    let error = try #require(throws: PostgresError.self) {
      try connection.copy("COPY t FROM STDIN") { writer in
        try writer.append([1])
        try writer.append([-1])
      }
    }
    #expect(error.kind == .checkViolation)
    #expect(try count(connection, "t") == 0)
  }

  @Test func sqlStatesMapToKinds() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try connection.query("CREATE TABLE p (id int PRIMARY KEY)")
    try connection.query("CREATE TABLE c (p int NOT NULL REFERENCES p (id))")
    let foreignKey = try #require(throws: PostgresError.self) {
      try connection.query("INSERT INTO c VALUES (5)")
    }
    #expect(foreignKey.kind == .foreignKeyViolation)
    let notNull = try #require(throws: PostgresError.self) {
      try connection.query("INSERT INTO c VALUES (NULL)")
    }
    #expect(notNull.kind == .notNullViolation)
    let missing = try #require(throws: PostgresError.self) {
      try connection.query("SELECT * FROM no_such_table")
    }
    #expect(missing.kind == .undefinedTable)
    let serialization = try #require(throws: PostgresError.self) {
      try connection.execute(
        script:
          "DO $$ BEGIN RAISE EXCEPTION 'retry me' USING ERRCODE = 'serialization_failure'; END $$")
    }
    #expect(serialization.kind == .serializationFailure)
    #expect(serialization.message == "retry me")
  }
}
