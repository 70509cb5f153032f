/// A `BUDDY_POSE_ISA` value that names no instruction set, or one this CPU cannot run.
public struct PoseInstructionSetError: Error, CustomStringConvertible, Sendable {
  /// One line saying what is wrong.
  public var description: String

  init(_ description: String) {
    self.description = description
  }
}
