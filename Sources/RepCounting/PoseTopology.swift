/// The landmark layout of a pose: which index holds which joint.
public enum PoseTopology: String, Sendable, CaseIterable {
  /// MediaPipe BlazePose: 33 landmarks.
  case mediaPipe33 = "mediapipe-33"
  /// COCO keypoints (MoveNet, YOLO-pose): 17 landmarks.
  case coco17 = "coco-17"

  /// The number of landmarks a frame of this topology holds.
  public var landmarkCount: Int {
    switch self {
    case .mediaPipe33: return 33
    case .coco17: return 17
    }
  }

  /// The topology with `count` landmarks, if there is one.
  public init?(landmarkCount count: Int) {
    switch count {
    case 33: self = .mediaPipe33
    case 17: self = .coco17
    default: return nil
    }
  }

  /// The index of `joint` in a frame of this topology.
  public func index(of joint: Joint) -> Int {
    switch self {
    case .mediaPipe33:
      switch joint {
      case .nose: return 0
      case .leftShoulder: return 11
      case .rightShoulder: return 12
      case .leftElbow: return 13
      case .rightElbow: return 14
      case .leftWrist: return 15
      case .rightWrist: return 16
      case .leftHip: return 23
      case .rightHip: return 24
      case .leftKnee: return 25
      case .rightKnee: return 26
      case .leftAnkle: return 27
      case .rightAnkle: return 28
      }
    case .coco17:
      switch joint {
      case .nose: return 0
      case .leftShoulder: return 5
      case .rightShoulder: return 6
      case .leftElbow: return 7
      case .rightElbow: return 8
      case .leftWrist: return 9
      case .rightWrist: return 10
      case .leftHip: return 11
      case .rightHip: return 12
      case .leftKnee: return 13
      case .rightKnee: return 14
      case .leftAnkle: return 15
      case .rightAnkle: return 16
      }
    }
  }
}

/// The joints the counters use; both topologies have them.
public enum Joint: Sendable, CaseIterable {
  case nose
  case leftShoulder
  case rightShoulder
  case leftElbow
  case rightElbow
  case leftWrist
  case rightWrist
  case leftHip
  case rightHip
  case leftKnee
  case rightKnee
  case leftAnkle
  case rightAnkle
}
