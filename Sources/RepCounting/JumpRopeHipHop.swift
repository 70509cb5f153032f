/// What the feet did during one hop of the hips, for ``JumpRopeCounter``'s hip-confirmed hops
/// (``JumpRopeCounter/Tuning/lowHopHipLift``): a two-foot hop whose feet stayed under their
/// take-off level because their typical height still comes from much higher hops (high knees,
/// single-leg lifts) while the hips show the jump.
///
/// Fed every frame: ``hipsTookOff(at:)`` when the hips leave the ground, ``foot(_:lift:airborne:)``
/// for each tracked foot while they are up and on the frame they land, and ``hipsLanded()``
/// when they are down again. The lowest lift of each foot while the hips were down before the
/// take-off is the foot's ground for this hop (``baseline``); a foot already lifted there was
/// not on the ground when the hips went up (a foot held up as the skipper stops).
struct JumpRopeHipHop: Sendable, Equatable {
  /// When the hips took off (seconds).
  var start: Double
  /// Each foot's lowest lift (leg lengths) while the hips were down before this hop.
  var baseline: [Double]
  /// Each foot's highest lift (leg lengths) while the hips were up.
  var lift = [0.0, 0.0]
  /// Whether each foot was tracked while the hips were up.
  var seen = [false, false]
  /// Whether a foot was in the air (took off or landed a hop of its own) during the hop: then
  /// the feet were counted on their own.
  var footHopped = false

  /// Records foot `side` in a frame while the hips are up (or land).
  mutating func foot(_ side: Int, lift footLift: Double?, airborne: Bool) {
    if airborne {
      footHopped = true
    } else if let footLift {
      lift[side] = max(lift[side], footLift)
      seen[side] = true
    }
  }

  /// Whether both feet rose together with the hips from the ground: each was down before
  /// (its baseline under `minimum[side]`) and rose at least `minimum[side]`, and neither hopped
  /// on its own.
  func bothFeetRose(minimum: [Double]) -> Bool {
    guard !footHopped else { return false }
    return (0..<2).allSatisfy { seen[$0] && baseline[$0] < minimum[$0] && lift[$0] >= minimum[$0] }
  }
}

/// The lowest lift of each foot while the hips are down, the baseline of the next hip hop.
struct JumpRopeFeetLowest: Sendable, Equatable {
  /// Leg lengths; 9 (far above any lift) for a foot not seen since the hips last landed.
  var lift = [9.0, 9.0]

  mutating func record(_ side: Int, lift footLift: Double) {
    lift[side] = min(lift[side], footLift)
  }
}
