import TestSupport
import Testing
import WorkoutStore

/// A page whose offset (`(page - 1) × limit`) overflows `Int` is an error, never a trap.
@Suite("History paging overflow", .enabled(if: TestDatabase.isAvailable))
struct HistoryPagingOverflowTests {
  @Test(arguments: [(Int.max, 20), (Int.max / 2, 3)])
  func anOverflowingPageIsAnInvalidValue(page: Int, limit: Int) throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("pager"))
    #expect(throws: WorkoutError.self) {
      try repository.history(HistoryFilter(limit: limit, page: page))
    }
  }

  @Test func aLargeButRepresentablePageIsEmpty() throws {
    let fixture = try WorkoutStoreFixture()
    defer { fixture.close() }
    let repository = fixture.workouts(of: try fixture.addUser("pager"))
    #expect(try repository.history(HistoryFilter(limit: 10_000, page: 1_000_000)).isEmpty)
  }
}
