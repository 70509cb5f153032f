extension PoseTopology {
  /// The pairs of landmark indices joined by a bone when a pose is drawn: the face outline,
  /// arms, hands, torso, legs and feet for MediaPipe-33 (as MediaPipe draws it), the face, arms,
  /// torso and legs for COCO-17.
  public var connections: [(Int, Int)] {
    switch self {
    case .mediaPipe33:
      return [
        (0, 1), (1, 2), (2, 3), (3, 7), (0, 4), (4, 5), (5, 6), (6, 8), (9, 10),
        (11, 12), (11, 13), (13, 15), (15, 17), (15, 19), (15, 21), (17, 19),
        (12, 14), (14, 16), (16, 18), (16, 20), (16, 22), (18, 20),
        (11, 23), (12, 24), (23, 24),
        (23, 25), (25, 27), (27, 29), (29, 31), (27, 31),
        (24, 26), (26, 28), (28, 30), (30, 32), (28, 32),
      ]
    case .coco17:
      return [
        (0, 1), (0, 2), (1, 3), (2, 4),
        (5, 6), (5, 7), (7, 9), (6, 8), (8, 10),
        (5, 11), (6, 12), (11, 12),
        (11, 13), (13, 15), (12, 14), (14, 16),
      ]
    }
  }
}
