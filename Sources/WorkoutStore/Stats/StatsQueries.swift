import Foundation
import Postgres
import RepCounting

/// The statistics of one user, each figure one query over the `(user_id, created_at)` index, with
/// days, weeks and months bucketed in SQL in the user's time zone (`AT TIME ZONE`), never the
/// server's.
public struct StatsQueries {
  /// The figures, each one SQL statement.
  public enum Figure: String, CaseIterable, Sendable {
    case totals
    case perExercise
    case lastDays
    case lastWeeks
    case lastMonths
    case streaks
  }

  private let connection: PostgresConnection
  private let userID: UUID
  private let exerciseType: Exercise?
  private let timeZone: String
  private let weekStart: UserSettings.WeekStart
  private let now: Date

  /// Statistics for `userID` (optionally one exercise) as seen in `timeZone` at `now`.
  public init(
    connection: PostgresConnection, userID: UUID, exerciseType: Exercise? = nil, timeZone: String,
    weekStart: UserSettings.WeekStart, now: Date = Date()
  ) {
    self.connection = connection
    self.userID = userID
    self.exerciseType = exerciseType
    self.timeZone = timeZone
    self.weekStart = weekStart
    self.now = now
  }

  /// All-time totals.
  public func totals() throws -> Totals {
    let row = try run(.totals)[0]
    return Totals(
      workouts: try row.decode(0), reps: try row.decode(1), durationSeconds: try row.decode(2),
      calories: try row.decode(3))
  }

  /// Per exercise: workouts, total and average reps, personal record with its date.
  public func perExercise() throws -> [ExerciseStats] {
    try run(.perExercise).all.map { row in
      ExerciseStats(
        exerciseType: try row.decode(0), workouts: try row.decode(1), totalReps: try row.decode(2),
        averageReps: try row.decode(3), personalRecord: try row.decode(4),
        personalRecordAt: try row.decode(5))
    }
  }

  /// The last 7 local days, oldest first, including days without workouts.
  public func lastDays() throws -> [PeriodTotals] { try periods(.lastDays) }

  /// The last 8 weeks (starting on the user's week start), oldest first.
  public func lastWeeks() throws -> [PeriodTotals] { try periods(.lastWeeks) }

  /// The last 12 calendar months, oldest first.
  public func lastMonths() throws -> [PeriodTotals] { try periods(.lastMonths) }

  /// Current and longest streak of consecutive local days with a workout.
  public func streaks() throws -> Streaks {
    let row = try run(.streaks)[0]
    return Streaks(current: try row.decode(1), longest: try row.decode(0))
  }

  /// The server's plan for a figure (`EXPLAIN`, or `EXPLAIN (ANALYZE, BUFFERS)`), one line per row.
  public func explain(_ figure: Figure, analyze: Bool = false) throws -> String {
    let (sql, parameters) = statement(figure)
    let prefix = analyze ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN "
    return try connection.query(prefix + sql, parameters).all
      .map { try $0.decode(0, as: String.self) }.joined(separator: "\n")
  }

  // MARK: - Statements

  private func run(_ figure: Figure) throws -> PostgresRows {
    let (sql, parameters) = statement(figure)
    return try connection.query(sql, parameters)
  }

  /// `$1` user, `$2` exercise or NULL, `$3` time zone, `$4` now.
  private static let scope = "user_id = $1 AND ($2::text IS NULL OR exercise_type = $2)"

  private func statement(_ figure: Figure) -> (String, [(any PostgresEncodable)?]) {
    let parameters: [(any PostgresEncodable)?] = [userID, exerciseType?.name, timeZone, now]
    let scope = Self.scope
    switch figure {
    case .totals:
      return (
        """
        SELECT count(*), coalesce(sum(reps_count), 0), coalesce(sum(duration_seconds), 0),
          coalesce(sum(calories_burned), 0)::float8
        FROM workouts WHERE \(scope)
        """, Array(parameters.prefix(2))
      )
    case .perExercise:
      return (
        """
        SELECT exercise_type::text, count(*), sum(reps_count), avg(reps_count)::float8,
          max(reps_count), (array_agg(created_at ORDER BY reps_count DESC, created_at))[1]
        FROM workouts WHERE \(scope)
        GROUP BY exercise_type ORDER BY exercise_type
        """, Array(parameters.prefix(2))
      )
    case .streaks:
      return (
        """
        WITH days AS (
          SELECT DISTINCT (created_at AT TIME ZONE $3)::date AS day FROM workouts WHERE \(scope)
        ), runs AS (
          SELECT max(day) AS last_day, count(*) AS length
          FROM (SELECT day, day - (row_number() OVER (ORDER BY day))::int AS run FROM days) numbered
          GROUP BY run
        )
        SELECT coalesce(max(length), 0)::int8,
          coalesce(max(length) FILTER (
            WHERE last_day >= ($4::timestamptz AT TIME ZONE $3)::date - 1), 0)::int8
        FROM runs
        """, parameters
      )
    case .lastDays:
      return periodStatement(
        first: "(($4::timestamptz AT TIME ZONE $3)::date - 6)::timestamp", step: "1 day",
        count: 7, bucket: "date_trunc('day', local)", parameters: parameters)
    case .lastWeeks:
      let shift = weekStart.shiftDays
      func week(_ local: String) -> String {
        "(date_trunc('week', \(local) + interval '\(shift) day') - interval '\(shift) day')"
      }
      return periodStatement(
        first: week("($4::timestamptz AT TIME ZONE $3)") + " - interval '7 weeks'",
        step: "1 week", count: 8, bucket: week("local"), parameters: parameters)
    case .lastMonths:
      return periodStatement(
        first: "date_trunc('month', $4::timestamptz AT TIME ZONE $3) - interval '11 months'",
        step: "1 month", count: 12, bucket: "date_trunc('month', local)", parameters: parameters)
    }
  }

  /// Buckets workouts into `count` local periods that start at `first` and advance by `step`;
  /// `bucket` maps a workout's local time (`local`) to its period's start. The range condition on
  /// `created_at` keeps the scan on the `(user_id, created_at)` index.
  private func periodStatement(
    first: String, step: String, count: Int, bucket: String, parameters: [(any PostgresEncodable)?]
  ) -> (String, [(any PostgresEncodable)?]) {
    let last = "\(first) + interval '\(step)' * \(count - 1)"
    return (
      """
      WITH periods AS (
        SELECT generate_series(\(first), \(last), interval '\(step)') AS start
      ), local_workouts AS (
        SELECT created_at AT TIME ZONE $3 AS local, reps_count, duration_seconds
        FROM workouts
        WHERE \(Self.scope)
          AND created_at >= (\(first)) AT TIME ZONE $3
          AND created_at < (\(last) + interval '\(step)') AT TIME ZONE $3
      )
      SELECT p.start::date::text, count(l.local), coalesce(sum(l.reps_count), 0),
        coalesce(sum(l.duration_seconds), 0)
      FROM periods p LEFT JOIN local_workouts l ON \(bucket) = p.start
      GROUP BY p.start ORDER BY p.start
      """, parameters
    )
  }

  private func periods(_ figure: Figure) throws -> [PeriodTotals] {
    try run(figure).all.map { row in
      let text: String = try row.decode(0)
      guard let day = LocalDay(text) else {
        throw PostgresError(kind: .typeMismatch, message: "unexpected period start \(text)")
      }
      return PeriodTotals(
        start: day, workouts: try row.decode(1), reps: try row.decode(2),
        durationSeconds: try row.decode(3))
    }
  }
}
