import Foundation
import Logging
import Postgres
import TestSupport
import Testing

/// Passwords in database locations, in every spelling libpq accepts, never reach the user.
@Suite struct RedactionTests {
  @Test(arguments: [
    // user:password@ in a URL
    (
      "postgresql://ann:s3cret@db.example.com:5432/x?sslmode=require",
      "postgresql://ann:***@db.example.com:5432/x?sslmode=require"
    ),
    // ?password= and &password= query parameters
    (
      "postgresql://ann@db/x?password=s3cret&sslmode=require",
      "postgresql://ann@db/x?password=***&sslmode=require"
    ),
    ("postgresql:///x?host=/tmp&password=s3cret", "postgresql:///x?host=/tmp&password=***"),
    ("postgres://ann:a@db/x?password=b#frag", "postgres://ann:***@db/x?password=***#frag"),
    // conninfo keywords: bare, spaced, quoted with escapes, first or last
    ("host=db user=ann password=s3cret dbname=x", "host=db user=ann password=*** dbname=x"),
    ("password = s3cret host=db", "password = *** host=db"),
    (#"host=db password='s3 cr\'et x' dbname=x"#, "host=db password=*** dbname=x"),
    ("host=db password=", "host=db password=***"),
    // inside a message, and several at once
    (
      "cannot reach the database (host=db password=pw1, from config file): x",
      "cannot reach the database (host=db password=*** from config file): x"
    ),
    // no password: unchanged
    ("postgresql:///buddy?host=/tmp", "postgresql:///buddy?host=/tmp"),
    ("postgres://ann@h/db", "postgres://ann@h/db"),
    ("host=db passfile=/home/ann/.pgpass", "host=db passfile=/home/ann/.pgpass"),
    (
      "password authentication failed for user \"ann\"",
      "password authentication failed for user \"ann\""
    ),
    ("mypassword=visible", "mypassword=visible"),
    // the client key's passphrase too
    ("host=db sslpassword=k3y sslkey=/k", "host=db sslpassword=*** sslkey=/k"),
    (
      "postgresql://db/x?sslpassword=k3y&sslmode=verify-full",
      "postgresql://db/x?sslpassword=***&sslmode=verify-full"
    ),
  ])
  func everyPasswordSpellingIsRedacted(text: String, redacted: String) {
    #expect(Redaction.redactingPasswords(text) == redacted)
  }

  @Test func aSecretNeverSurvivesInAnyForm() {
    let secret = "Tr0ub4dor-and-3"
    for text in [
      "postgresql://u:\(secret)@h/d", "postgresql://u@h/d?password=\(secret)",
      "postgresql://u@h/d?sslmode=disable&password=\(secret)", "host=h password=\(secret)",
      "host=h password='\(secret)'", "host=h password = \(secret) user=u",
    ] {
      #expect(!Redaction.redactingPasswords(text).contains(secret), "\(text)")
    }
  }

  @Test func theDescriptionOfAnErrorLeavesOutTheServersDetail() {
    let error = PostgresError(
      kind: .checkViolation, sqlState: "23514",
      message: "new row for relation \"t\" violates check constraint \"t_v_check\"",
      detail: "Failing row contains (42, secret-value).", constraint: "t_v_check")
    #expect(error.description == error.message)
    #expect(!"\(error)".contains("secret-value"))
    #expect(error.debugDescription.hasSuffix("(Failing row contains (42, secret-value).)"))
  }
}

/// The same rule against the server: a constraint error's row values stay in `detail`.
@Suite("Error details from the server", .enabled(if: TestDatabase.isAvailable))
struct ServerErrorDetailTests {
  @Test func aCheckViolationKeepsTheFailingRowOutOfItsDescription() throws {
    let database = try TestDatabase.create()
    defer { database.drop() }
    let connection = try PostgresConnection(database.url, logger: Logger(label: "test"))
    try connection.execute(script: "CREATE TABLE t (v integer CHECK (v < 10), note text)")
    let error = try #require(throws: PostgresError.self) {
      try connection.query("INSERT INTO t VALUES (42, 'private-note')")
    }
    #expect(error.kind == .checkViolation)
    #expect(error.detail?.contains("private-note") == true)
    #expect(!error.description.contains("private-note"))
    #expect(error.debugDescription.contains("private-note"))
  }
}
