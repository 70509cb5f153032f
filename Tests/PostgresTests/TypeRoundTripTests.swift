import Foundation
import Postgres
import TestSupport
import Testing

@Suite("Typed round trips", .enabled(if: TestDatabase.isAvailable))
struct TypeRoundTripTests {
  private func roundTrip<T: PostgresEncodable & PostgresDecodable>(
    _ value: T, as sqlType: String, on connection: PostgresConnection
  ) throws -> T {
    try connection.query("SELECT $1::\(sqlType)", [value])[0].decode(0, as: T.self)
  }

  @Test func integersSurviveEveryWidth() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    for value in [0, 1, -1, Int(Int32.max), Int(Int32.min), Int.max, Int.min] {
      #expect(try roundTrip(value, as: "int8", on: connection) == value)
    }
    let small: Int32 = -7
    #expect(try roundTrip(small, as: "int4", on: connection) == small)
    #expect(try connection.query("SELECT 7::int2")[0].decode(0, as: Int.self) == 7)
    #expect(try connection.query("SELECT 70000::int4")[0].decode(0, as: Int.self) == 70000)
  }

  @Test func doublesKeepEveryBitIncludingSpecialValues() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    for value in [0.0, -0.0, 1.5, 0.1, 1e-300, 1.7976931348623157e308, .infinity, -.infinity] {
      #expect(try roundTrip(value, as: "float8", on: connection) == value)
    }
    #expect(try roundTrip(Double.nan, as: "float8", on: connection).isNaN)
    #expect(try connection.query("SELECT 2.5::float4")[0].decode(0, as: Double.self) == 2.5)
  }

  @Test func numericDecodesToTextDoubleAndInt() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    let row = try connection.query(
      "SELECT 12.50::numeric, -0.001::numeric, 123456789.123::numeric, 0::numeric, "
        + "sum(x) FROM (VALUES (9223372036854775807::int8), (1::int8)) v(x)")[0]
    #expect(try row.decode(0, as: String.self) == "12.50")
    #expect(try row.decode(1, as: String.self) == "-0.001")
    #expect(try row.decode(2, as: Double.self) == 123456789.123)
    #expect(try row.decode(3, as: Int.self) == 0)
    #expect(try row.decode(4, as: String.self) == "9223372036854775808")
  }

  @Test func stringsBoolsUUIDsAndBytesRoundTrip() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    for text in ["", "plain", "ünïcødé ✓ 🏋️", "tab\tnew\nline 'quote' \"double\" \\"] {
      #expect(try roundTrip(text, as: "text", on: connection) == text)
    }
    #expect(try roundTrip(true, as: "bool", on: connection) == true)
    #expect(try roundTrip(false, as: "bool", on: connection) == false)
    let id = UUID()
    #expect(try roundTrip(id, as: "uuid", on: connection) == id)
    let allBytes = (0...255).map { UInt8($0) }
    #expect(try roundTrip(allBytes, as: "bytea", on: connection) == allBytes)
    #expect(try roundTrip([UInt8](), as: "bytea", on: connection) == [])
  }

  @Test func timestampsKeepMicrosecondsAcrossEras() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    for seconds in [0.0, 1_764_000_000.123456, -1_000_000_000.5, 4_102_444_800.000001, 951_782_400]
    {
      let date = Date(timeIntervalSince1970: seconds)
      let back = try roundTrip(date, as: "timestamptz", on: connection)
      #expect(abs(back.timeIntervalSince1970 - seconds) < 1e-6)
    }
    let fixed = try connection.query(
      "SELECT '2026-11-26 10:00:00+01'::timestamptz, '2026-11-26'::date, "
        + "'2026-11-26 09:00:00'::timestamp")[0]
    #expect(try fixed.decode(0, as: Date.self).timeIntervalSince1970 == 1_795_683_600)
    #expect(try fixed.decode(1, as: Date.self).timeIntervalSince1970 == 1_795_651_200)
    #expect(try fixed.decode(2, as: Date.self).timeIntervalSince1970 == 1_795_683_600)
    #expect(try roundTrip(Date.distantFuture, as: "timestamptz", on: connection) == .distantFuture)
  }

  @Test func jsonAndJsonbComeBackAsText() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    let json = PostgresJSON(#"{"reps": [1, 2], "note": "ok"}"#)
    let row = try connection.query("SELECT $1::jsonb, $2::json", [json, json])[0]
    #expect(try row.decode(0, as: PostgresJSON.self).text == #"{"note": "ok", "reps": [1, 2]}"#)
    #expect(try row.decode(1, as: String.self) == json.text)
  }

  @Test func nullsDecodeAsNilAndFailForNonOptionals() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    let row = try connection.query(
      "SELECT $1::int8, $2::text, $3::uuid, $4::timestamptz, $5::bytea, $6::bool, $7::float8",
      [nil, nil, nil, nil, nil, nil, nil])[0]
    #expect(try row.decode(0, as: Int?.self) == nil)
    #expect(try row.decode(1, as: String?.self) == nil)
    #expect(try row.decode(2, as: UUID?.self) == nil)
    #expect(try row.decode(3, as: Date?.self) == nil)
    #expect(try row.decode(4, as: [UInt8]?.self) == nil)
    #expect(try row.decode(5, as: Bool?.self) == nil)
    #expect(try row.decode(6, as: Double?.self) == nil)
    let error = try #require(throws: PostgresError.self) { try row.decode(0, as: Int.self) }
    #expect(error.kind == .typeMismatch)
    #expect(error.message.contains("NULL"))
  }

  @Test func columnsCanBeReadByNameAndWrongTypesAreTypedErrors() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    let row = try connection.query("SELECT 42 AS answer, 'x' AS letter")[0]
    #expect(try row.decode("answer", as: Int.self) == 42)
    #expect(try row.decode("letter", as: String.self) == "x")
    let mismatch = try #require(throws: PostgresError.self) { try row.decode(0, as: Bool.self) }
    #expect(mismatch.kind == .typeMismatch)
    #expect(throws: PostgresError.self) { try row.decode("missing", as: Int.self) }
  }

  @Test func parametersAreNeverSplicedIntoSQL() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try database.connect()
    try connection.query("CREATE TABLE t (name text)")
    let hostile = "x'); DROP TABLE t; --"
    try connection.query("INSERT INTO t VALUES ($1)", [hostile])
    #expect(try connection.query("SELECT name FROM t")[0].decode(0, as: String.self) == hostile)
    let error = try #require(throws: PostgresError.self) {
      try connection.query("SELECT $1::text", ["nul\u{0}byte"])
    }
    #expect(error.kind == .typeMismatch)
  }
}
