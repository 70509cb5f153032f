/// The lowest point of a foot's hop since its apex, for ``JumpRopeCounter``'s rebound with the
/// hips (``JumpRopeCounter/Tuning/reboundLift``): when the camera zooms or tilts while the
/// skipper hops, the feet's ground line moves in the image faster than the drifting ground
/// level follows, the foot never comes back below its landing level, and hop after hop is one
/// long hop in the air. The hips, whose ground level keeps up, still land and take off again;
/// a foot that was in the air all through that, fell from its apex and rose again landed at
/// its valley.
struct JumpRopeValley: Sendable, Equatable {
  /// The foot's lift there (leg lengths above its old ground level).
  var lift: Double
  /// When (seconds): the landing's time.
  var time: Double
  /// The foot's image height there (pixels): its ground level from then on.
  var y: Double

  /// The valley after recording a frame at `lift`: the lower of the two.
  func lowered(to lift: Double, time: Double, y: Double) -> JumpRopeValley {
    lift < self.lift ? JumpRopeValley(lift: lift, time: time, y: y) : self
  }
}
