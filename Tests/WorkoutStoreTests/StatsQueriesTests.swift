import Foundation
import Postgres
import RepCounting
import TestSupport
import Testing

@testable import WorkoutStore

@Suite("Statistics in the user's time zone", .enabled(if: TestDatabase.isAvailable))
struct StatsQueriesTests {
  /// Sunday 22 23:30, Monday 23 00:30, Wednesday 25 23:30, Thursday 26 00:30 (November 2026,
  /// local time); "now" is Thursday 26 12:00 local.
  private func seed(_ fixture: WorkoutStoreFixture, zone: String) throws -> UUID {
    let user = try fixture.addUser("ann")
    let entries: [(String, Exercise, Int)] = [
      ("2026-11-22 23:30", .pushUp, 10), ("2026-11-23 00:30", .pushUp, 20),
      ("2026-11-25 23:30", .jumpRope, 30), ("2026-11-26 00:30", .jumpRope, 40),
    ]
    for (time, exercise, reps) in entries {
      _ = try fixture.workouts(of: user).record(
        NewWorkout(
          exerciseType: exercise, reps: reps, durationSeconds: reps * 3,
          caloriesBurned: Double(reps) / 10,
          createdAt: WorkoutStoreFixture.instant(time, in: zone)))
    }
    // Someone else's workouts never count.
    let bob = try fixture.addUser("bob")
    _ = try fixture.workouts(of: bob).record(
      NewWorkout(
        exerciseType: .pushUp, reps: 99, durationSeconds: 1, caloriesBurned: 1,
        createdAt: WorkoutStoreFixture.instant("2026-11-26 00:30", in: zone)))
    return user
  }

  private func stats(
    _ fixture: WorkoutStoreFixture, _ user: UUID, zone: String,
    weekStart: UserSettings.WeekStart = .monday,
    exercise: Exercise? = nil
  ) -> StatsQueries {
    StatsQueries(
      connection: fixture.connection, userID: user, exerciseType: exercise, timeZone: zone,
      weekStart: weekStart, now: WorkoutStoreFixture.instant("2026-11-26 12:00", in: zone))
  }

  @Test(arguments: ["Pacific/Auckland", "America/Los_Angeles", "UTC"])
  func figuresFallOnTheRightLocalDaysWeeksAndMonths(zone: String) throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let user = try seed(fixture, zone: zone)
    let queries = stats(fixture, user, zone: zone)

    #expect(
      try queries.totals() == Totals(workouts: 4, reps: 100, durationSeconds: 300, calories: 10))
    let perExercise = try queries.perExercise()
    #expect(perExercise.map(\.exerciseType) == ["jump-rope", "push-up"])
    #expect(perExercise.map(\.totalReps) == [70, 30])
    #expect(perExercise.map(\.averageReps) == [35, 15])
    #expect(perExercise.map(\.personalRecord) == [40, 20])
    #expect(
      perExercise[1].personalRecordAt == WorkoutStoreFixture.instant("2026-11-23 00:30", in: zone))

    let days = try queries.lastDays()
    #expect(days.map(\.start.description) == (20...26).map { "2026-11-\($0)" })
    #expect(days.map(\.reps) == [0, 0, 10, 20, 0, 30, 40])
    #expect(days.map(\.workouts) == [0, 0, 1, 1, 0, 1, 1])

    let mondayWeeks = try queries.lastWeeks()
    #expect(mondayWeeks.count == 8)
    #expect(mondayWeeks.last?.start.description == "2026-11-23")
    #expect(mondayWeeks.first?.start.description == "2026-10-05")
    #expect(mondayWeeks.suffix(2).map(\.reps) == [10, 90])
    let sundayWeeks = try stats(fixture, user, zone: zone, weekStart: .sunday).lastWeeks()
    #expect(sundayWeeks.last?.start.description == "2026-11-22")
    #expect(sundayWeeks.suffix(2).map(\.reps) == [0, 100])

    let months = try queries.lastMonths()
    #expect(months.count == 12)
    #expect(months.first?.start.description == "2025-12-01")
    #expect(months.last?.start.description == "2026-11-01")
    #expect(months.last?.workouts == 4)
    #expect(months.dropLast().allSatisfy { $0.workouts == 0 })

    #expect(try queries.streaks() == Streaks(current: 2, longest: 2))
  }

  @Test func oneExerciseAndEmptyUsers() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let zone = "Europe/Paris"
    let user = try seed(fixture, zone: zone)
    let pushUps = stats(fixture, user, zone: zone, exercise: .pushUp)
    #expect(try pushUps.totals().reps == 30)
    #expect(try pushUps.streaks() == Streaks(current: 0, longest: 2))
    let nobody = stats(fixture, try fixture.addUser("carol"), zone: zone)
    #expect(try nobody.totals() == Totals(workouts: 0, reps: 0, durationSeconds: 0, calories: 0))
    #expect(try nobody.perExercise().isEmpty)
    #expect(try nobody.lastDays().allSatisfy { $0.workouts == 0 })
    #expect(try nobody.streaks() == Streaks(current: 0, longest: 0))
  }

  @Test func everyFigureUsesTheUserIndex() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let user = try seed(fixture, zone: "UTC")
    // A few thousand rows over 200 users, so that an index beats a sequential scan.
    try fixture.connection.query(
      """
      INSERT INTO users (email, username, hashed_password)
      SELECT 'u' || g || '@example.com', 'user' || g, 'x' FROM generate_series(1, 200) g
      """)
    try fixture.connection.query(
      """
      INSERT INTO workouts (user_id, exercise_type, reps_count, duration_seconds, created_at)
      SELECT u.id, CASE WHEN g % 2 = 0 THEN 'push-up' ELSE 'jump-rope' END, g % 50, 60,
        timestamptz '2026-11-01' + g * interval '37 minutes'
      FROM users u, generate_series(1, 25) g WHERE u.username LIKE 'user%'
      """)
    try fixture.connection.query("ANALYZE workouts")
    let queries = stats(fixture, user, zone: "UTC")
    for figure in StatsQueries.Figure.allCases {
      let plan = try queries.explain(figure)
      // The user's index (on a partition, its copy); only partitions of a few rows are read
      // whole.
      let partitioned = PartitionedPlan(text: plan)
      #expect(partitioned.usesUserIndex, "\(figure): \(plan)")
      #expect(
        try partitioned.largeSequentialScans(fixture.connection).isEmpty, "\(figure): \(plan)")
    }
  }
}
