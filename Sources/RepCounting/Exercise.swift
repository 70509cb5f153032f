/// The exercises `buddy count` knows.
public enum Exercise: String, Sendable, CaseIterable {
  /// Push-ups (``PushUpCounter``).
  case pushUp = "push-up"
  /// Jump rope (``JumpRopeCounter``).
  case jumpRope = "jump-rope"
}
