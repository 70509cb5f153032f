import ArgumentParser
import WorkoutStore

/// `buddy server`: set up a database that many people share.
struct ServerCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "server",
    abstract: "Set up a shared PostgreSQL server for many users (administrators only).",
    discussion: """
      On a shared server every user holds a database credential, so PostgreSQL itself keeps \
      them apart: objects belong to the NOLOGIN role buddy_owner, users connect as a client \
      role that may only call the account functions of schema buddy_api and see their own rows \
      of workouts and user_settings (row-level security keyed on their session token).

      Examples:
        buddy server init --database-url postgresql://postgres@db.example.org/buddy
        buddy server init --client-role gym_members --client-password-stdin \\
          < client-password.txt
      """,
    subcommands: [ServerInitCommand.self]
  )
}

/// `buddy server init`: roles, schema and grants for a shared server; safe to re-run.
struct ServerInitCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Create the roles, migrate the schema and print the URL to hand to users.",
    discussion: """
      Needs an administrator's URL: a superuser, or a role with CREATEROLE that owns the \
      database. Creates (or brings to shape) the owner role buddy_owner (NOLOGIN), the group \
      buddy_clients and the client login role (LOGIN, NOSUPERUSER, NOCREATEDB, NOCREATEROLE, \
      NOBYPASSRLS, owning nothing), runs the migrations and the grants. Roles belong to the \
      cluster, so several databases share them. Re-running changes nothing.

      The client role's password (optional: with peer or certificate authentication none is \
      needed) is read from the first line of standard input and sent only as a SCRAM verifier \
      made here. As a superuser it also sets log_parameter_max_length = 0 on the client role, \
      so that bound passwords and session tokens never reach the server log.

      Users put the role's password in ~/.pgpass (or a service file), never in the URL.

      Examples:
        buddy server init --database-url postgresql://postgres@db.example.org/buddy
        buddy server init --client-role buddy_client --client-password-stdin < pw.txt
        buddy server init --format json
      """
  )

  @Option(help: "The login role users connect as (a-z 0-9 _).") var clientRole = "buddy_client"
  @Flag(help: "Set the client role's password from the first line of standard input.")
  var clientPasswordStdin = false
  @OptionGroup var output: FormatOption<OutputFormat>
  @OptionGroup var database: DatabaseOptions

  func validate() throws {
    do {
      try ServerSetup.validateRoleName(clientRole)
    } catch {
      throw ValidationError("\(error)")
    }
  }

  func run() throws {
    let password =
      clientPasswordStdin
      ? try PasswordPrompt.readStandardInputLine(what: "client role password") : nil
    if let password, password.isEmpty {
      throw CLIError(.dataError, "the client role password on standard input is empty")
    }
    let connection = try database.connect()
    let setup = ServerSetup(connection: connection)
    try setup.requireAdministrator()
    let applied = try SchemaMigrator(connection: connection).migrate()
    let report = try setup.ensureClientRole(name: clientRole, password: password)
    let url = setup.clientURL(role: clientRole)
    switch output.format {
    case .text:
      print(MigrationReport.line(applied: applied))
      var role = "client role \(clientRole): \(Self.phrase(report.change))"
      role +=
        " (accounts only through buddy_api; row-level security on workouts, user_settings,"
        + " workout_landmarks)"
      print(role)
      if report.passwordSet { print("client role password: set (SCRAM-SHA-256)") }
      if let note = report.parameterLoggingNote {
        print("server log: bound parameters may be logged: \(note)")
      } else {
        print("server log: bound parameters are never logged for \(clientRole)")
      }
      print("hand this URL to your users: \(url)")
    case .json:
      print(
        JSON.text(
          .object([
            ("schema_version", .integer(Migration.latestVersion)),
            ("migrations_applied", .array(applied.map { .integer($0.version) })),
            ("owner_role", .string(RoleSetup.ownerRole)),
            ("client_group", .string(RoleSetup.clientGroup)),
            ("client_role", .string(clientRole)),
            ("client_role_change", .string(report.change.rawValue)),
            ("password_set", .bool(report.passwordSet)),
            ("parameters_logged", .bool(!report.parameterLoggingOff)),
            ("note", report.parameterLoggingNote.map(JSON.Value.string) ?? .null),
            ("client_url", .string(url)),
          ])))
    }
  }

  private static func phrase(_ change: ServerSetup.RoleChange) -> String {
    switch change {
    case .created: return "created"
    case .updated: return "ready (updated)"
    case .unchanged: return "ready"
    }
  }
}
