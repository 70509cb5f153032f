import Foundation
import Testing

@testable import PoseInput

@Suite struct JPEGFrameSourceTests {
  @Test(arguments: [
    ("frame2.jpg", "frame10.jpg"), ("00009.jpg", "00010.jpg"), ("a.jpg", "b.jpg"),
    ("img9b.jpg", "img10a.jpg"), ("frame2.jpg", "frame2a.jpg"), ("frame02.jpg", "frame2.jpg"),
    ("x1y2.jpg", "x1y10.jpg"), ("1.jpg", "a.jpg"),
  ])
  func naturalOrderComparesDigitRunsAsNumbers(first: String, second: String) {
    #expect(JPEGFrameSource.naturalOrder(first, second))
    #expect(!JPEGFrameSource.naturalOrder(second, first))
  }

  @Test func directoryListsJPEGsInNaturalOrderAndSkipsOtherFiles() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "jpeg-source-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    for name in ["f10.jpg", "f2.JPEG", "f1.jpg", "notes.txt", ".hidden.jpg"] {
      try Data(name.utf8).write(to: dir.appendingPathComponent(name))
    }
    var source = try JPEGFrameSource.open(dir.path)
    var names: [String] = []
    while let frame = source.next() {
      names.append(URL(fileURLWithPath: frame.name).lastPathComponent)
      #expect((try? frame.bytes.get()) == Array(names.last.map { Data($0.utf8) } ?? Data()))
    }
    #expect(names == ["f1.jpg", "f2.JPEG", "f10.jpg"])
  }

  @Test func missingPathAndEmptyDirectoryAreMissingInput() throws {
    #expect(throws: PoseInputError.self) { try JPEGFrameSource.open("/nonexistent/x") }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "jpeg-empty-\(UUID().uuidString.prefix(8))")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    do {
      _ = try JPEGFrameSource.open(dir.path)
      Issue.record("an empty directory opened")
    } catch {
      #expect(error.kind == .missingInput)
    }
  }
}
