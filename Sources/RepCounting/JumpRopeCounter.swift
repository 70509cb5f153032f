/// Counts jump-rope repetitions (landings) one frame at a time.
///
/// A value-type state machine like ``PushUpCounter``: feed frames in time order with
/// ``consume(_:)``, which returns the repetitions completed by that frame, and call ``finish()``
/// at the end. Memory does not grow with the session.
///
/// How it decides: each foot (ankle, heel and toe) is a *channel*. A channel tracks its ground
/// level (the lowest point it has been recently, drifting slowly so camera and position changes are
/// absorbed) and its lift above that ground in leg lengths, so the body's size in the frame does
/// not matter. A foot is airborne when its lift rises above ``Tuning/riseFraction`` of the typical
/// hop height of that foot (at least ``Tuning/minimumLift``) and lands when the lift falls below
/// ``Tuning/landFraction`` of it (or of this hop's apex, when higher); the thresholds therefore
/// follow the amplitude this person actually jumps with, down as well as up (a rise too low to
/// take off still pulls the typical height toward it, ``Tuning/lowHopFraction``, so singles
/// after much higher double-unders count again). One landing of either foot is one
/// repetition, except that landings of the two feet closer together than a fraction of the per-foot
/// period are one two-footed landing: a two-foot bounce counts once, alternate-foot stepping counts
/// each foot, and a double-under (one longer, higher jump) counts once. Two such landings are still
/// two steps when the later foot peaked and took off clearly later (``Tuning/stepApexSeparation``,
/// ``Tuning/stepTakeoffSeparation``) while the feet land in turn (``Tuning/steppingRatio``) or
/// the pair before looked like two steps too: in fast stepping one foot's slow descent overlaps
/// the other foot's hop, so their landings can fall a frame apart although the feet went up in
/// turn, while pose noise on a two-foot bounce pulls a pair apart only now and then. The hip
/// midpoint is a third channel that only counts when the feet are not visible; while the hips
/// are well up (the knees straightened), a foot takes off already at a lower lift
/// (``Tuning/lowHopMinimumLift``: low hops seen from a high camera).
///
/// What does not count: a foot that travels sideways a stride (walking), a body moving across the
/// picture, frames where the person is not upright (a plank, lying down), excursions longer than
/// ``Tuning/maximumAirTime``, a flick of one foot much shorter than the hops while the skipper
/// bounces on two feet and a two-footed landing follows (``Tuning/flickFraction``: pose noise),
/// and an isolated landing: a run's first landings are held until a third follows, each within
/// ``Tuning/runGap`` (then all are reported; a run of only two is reported when it ends, if its
/// landings came within ``Tuning/runStartGap``), so a
/// single twitch, a fade-in or an overlay at the start or end counts nothing. A run's first
/// landing that came much earlier than the rhythm of the next two (more than
/// ``Tuning/runStartRatio`` times their interval, and over ``Tuning/runStartGap``) is the bounce
/// of someone starting the rope, not a jump over it, and is dropped; so are a run's held first
/// landings whose foot and hips both rose much less than in the confirming hop
/// (``Tuning/runStartLiftFraction``: a foot twitching in the pose while the skipper stands). One
/// foot of a two-foot jump that the pose brings down late is the same landing while the hips
/// have not taken off again (``Tuning/sameHopGap``), also when it comes down after the hips
/// (``Tuning/sameHopAfterHips``); a low hop lands with the hips; and a foot
/// lands only once past its apex. When both feet, down before, rise with a hop of the hips but
/// under their take-off level (their typical height left high by knee lifts), the hips confirm
/// the hop (``Tuning/lowHopHipLift``); a landing late after the run's rhythm
/// (``Tuning/runStartGap``) or a knee lift the hips did not hop with
/// (``Tuning/hipRhythmRatio``) counts only when another landing follows. A foot kept above its
/// landing level by a zooming camera (its ground line moving faster than the ground level
/// follows) lands at its lowest point once the hips have landed and taken off again and it
/// rises with them (``Tuning/reboundLift``). Frames without a pose hold the state.
public struct JumpRopeCounter: Sendable {
  /// The engine version, reported in summaries.
  public static let engineVersion = "jump-rope/11"
  /// The lowest frame rate that resolves fast stepping (7 landings/s); slower input gets a note.
  public static let minimumFPS = 24.0

  /// The numbers that shape the counter.
  public struct Tuning: Sendable, Equatable {
    /// Smallest lift (leg lengths) that can make a foot airborne.
    public var minimumLift = 0.04
    /// Smallest lift (leg lengths) that makes a foot airborne while the hips are at least
    /// ``lowHopHipLift`` above their own ground: a low hop seen from a high camera, where the
    /// feet rise only 0.02–0.06 leg lengths but the knees straighten and the hips rise about
    /// 0.15 as the body pushes off. Bobbing on bent knees moves the hips as much but leaves the
    /// feet down; a bob of the whole body without the knees barely moves the hips, so
    /// ``minimumLift`` still applies to it.
    public var lowHopMinimumLift = 0.015
    /// Hip lift (leg lengths above the hips' ground level) that allows ``lowHopMinimumLift``.
    /// It also makes a hop of the hips a hop of the body: when the hips rise at least this
    /// high and land while no foot left the ground on its own, but both feet, down before,
    /// rose together with them at least the height of a lower hop (``lowHopFraction`` of their
    /// typical height, at most ``minimumLift``), that is a two-foot hop the feet's thresholds
    /// missed because their typical height comes from much higher lifts (high knees before,
    /// single-leg lifts): it counts, landing with the hips, and each foot's typical height
    /// drops to the lift it reached, so the next hops take off by themselves.
    public var lowHopHipLift = 0.08
    /// A hop that took off below ``minimumLift`` lands once its lift falls below this fraction
    /// of its apex: a few pixels up, the foot may come down a little off its old ground level
    /// (a skipper drifting away from a high camera), where the usual landing threshold
    /// (``landFraction``, at least half ``minimumLift``) would hold it in the air and merge
    /// two hops.
    public var lowHopLandFraction = 0.5
    /// A hop that took off low lands with the hips (or at ``lowHopLandFraction`` of its apex)
    /// only while its apex stays below this (leg lengths): a foot that went on up into a knee
    /// lift is a full hop and lands by the usual rule, not half-way down as the hips land.
    public var lowHopMaximumApex = 0.1
    /// Fraction of the typical hop height that makes a foot airborne.
    public var riseFraction = 0.45
    /// Fraction of the typical hop height below which the foot has landed.
    public var landFraction = 0.3
    /// A rise of a foot on the ground that stays below the take-off threshold but reaches this
    /// fraction of the typical hop height is a lower hop: it counts nothing but pulls the typical
    /// height toward it, so lower jumps after high ones (singles after double-unders) take off
    /// again after a hop or two instead of staying under the threshold (0.4 in jump-rope/4, which
    /// left a gap: hops at 0.36–0.4 of a high first one neither took off nor lowered it).
    public var lowHopFraction = 0.35
    /// Time constant (seconds) with which the ground level drifts up towards the foot.
    public var groundTimeConstant = 1.2
    /// Smoothing time constant, seconds (small: at 7 landings/s a hop lasts ~4 frames at 30 fps).
    public var smoothing = 0.02
    /// An excursion longer than this (seconds) is a step up or a raised leg, not a hop.
    public var maximumAirTime = 0.9
    /// Landings further apart than this (seconds) start a new run; a run needs two landings
    /// (two that came more than ``runStartGap`` apart, with nothing around them, are not a
    /// rope's rhythm: a slow demonstration of a leg lift).
    public var runGap = 1.3
    /// A run's first landing is dropped when its interval to the second is more than this many
    /// times the second-to-third interval…
    public var runStartRatio = 1.8
    /// …and longer than this (seconds): a preparatory bounce before the rope comes round.
    /// Likewise at a run's end: a landing that comes more than ``runStartRatio`` times the
    /// run's last interval, and over this, after the one before waits for the next landing
    /// and is dropped when none follows within ``runGap`` (the rope stopped: a step into it
    /// after the set).
    public var runStartGap = 0.6
    /// A run's first two landings (held until a third confirms the run) are dropped when their
    /// hop rose less than this fraction of the confirming hop's apex…
    public var runStartLiftFraction = 0.5
    /// …while the hips rose less than this fraction of the hips' rise during the confirming
    /// hop: a foot jiggling in the pose while the skipper stands swinging the rope at the
    /// side, in time with the turns to come, not a jump (the hips of a real first jump rise
    /// with it, and the feet of a first step rise as high as the next steps').
    public var runStartHipFraction = 0.25
    /// Hip travel (leg lengths per second) above which the person is walking, not skipping.
    public var maximumTravel = 0.6
    /// Horizontal foot displacement from take-off to landing (leg lengths) that is a stride.
    public var maximumStride = 0.45
    /// Landings of the two feet closer than this fraction of the per-foot period are one landing.
    public var mergeFraction = 0.3
    /// Landings of the two feet up to this far apart (seconds) are still one landing when the
    /// feet took off together (within ``sameHopTakeoff``) and the hips, which hop with the feet
    /// (their typical hop at least ``sameHopHipLift``), did not take off again in between, while
    /// the skipper is not stepping: one foot of a two-foot bounce that the pose brings down late
    /// (a mirrored video) is not a second jump.
    public var sameHopGap = 0.5
    /// Take-offs of the two feet closer than this (seconds) are one jump's (``sameHopGap``).
    public var sameHopTakeoff = 0.06
    /// Whether two landings of different feet are also one jump's (``sameHopGap``) when the
    /// feet were in the air together (the later foot took off before the earlier one landed)
    /// and the hips came down after the earlier foot and before the later one: the body had
    /// landed, so the later foot, a pixel above its landing level until then, is not a second
    /// jump (an alternate-foot step-hop, whose free foot lifts before the push-off, so the
    /// take-offs are too far apart for ``sameHopTakeoff``; `jumprope-alt04` mirrored).
    public var sameHopAfterHips = true
    /// The typical hop of the hips (leg lengths) from which they tell one jump from the next
    /// (``sameHopGap``); in alternate-foot stepping they barely move.
    public var sameHopHipLift = 0.1
    /// While the hips hop (their typical hop at least ``sameHopHipLift``) about once per
    /// landing (their period under this many landing intervals: high knees, where the standing
    /// foot hops as the rope passes), a one-foot landing during whose hop the hips did not take
    /// off is the skipper putting the foot down, not a pass: it waits for the next landing and
    /// is dropped when none follows within ``runGap``.
    public var hipRhythmRatio = 1.5
    /// A foot in the air all through a landing and the next take-off of the hips, while they
    /// hop with the feet (their typical hop at least ``sameHopHipLift``) and the other foot,
    /// tracked, was in the air as long, landed at its lowest point since its apex once it rose
    /// this far (leg lengths) above it again, having fallen at least ``landFraction`` of its
    /// apex: a camera zooming or tilting while the skipper hops moves the feet's ground line
    /// faster than the ground level follows, and each hop's landing stayed above the landing
    /// level (the first shot of `jumprope-gym-routine`); the hips, whose own ground keeps up,
    /// show each landing. It lands there, its ground level moves to that point, and it is in
    /// the air again (``JumpRopeValley``). `.infinity` turns the rule off.
    public var reboundLift = 0.04
    /// Bounds of the merge window, seconds.
    public var mergeWindow = 0.06...0.13
    /// Two landings of different feet inside the merge window are still two steps when the
    /// later hop peaked this long after the earlier one (seconds)…
    public var stepApexSeparation = 0.09...0.3
    /// …and took off this much later (seconds): the feet went up one after the other, a step
    /// apart (alternate-foot stepping, where the descent of one foot overlaps the rise of the
    /// other), not together, nor a short hop at the end of the other foot's long one (a slow
    /// step-hop with the free foot held up).
    public var stepTakeoffSeparation = 0.06...0.3
    /// The skipper is stepping (alternate feet) while the typical interval between counted
    /// landings is below this fraction of the per-foot period: each foot lands every other
    /// time (about 0.5), where in a two-foot bounce both land every time (about 1).
    public var steppingRatio = 0.7
    /// A foot still in the air when the session ends counts when its hop reached this fraction
    /// of the typical hop height and it is past the apex.
    public var finishApexFraction = 0.7
    /// Frames further apart than this (seconds) restart the channels.
    public var maximumGap = 0.5
    /// A one-foot hop that lasts less than this fraction of the foot's typical time in the
    /// air, while the skipper bounces on two feet, may be pose noise: in a side view the tracker
    /// now and then flicks the far foot up for a frame or two as the skipper lands. Such a hop
    /// waits: the next two-footed landing drops it, a one-foot landing once the feet land in
    /// turn (the skipper went over to stepping) counts it…
    public var flickFraction = 0.6
    /// …one-foot meaning that at the hop's peak the other foot, tracked, was lifted less than
    /// this fraction of the hop above its ground (a low two-foot bounce, where only one foot
    /// clears the take-off level, lifts both feet nearly alike).
    public var flickOtherFraction = 0.25
    /// A foot's first hop, before it has a typical time in the air of its own, is measured for
    /// ``flickFraction`` against the other foot's typical time (both feet of one skipper hop
    /// alike): a far foot that the pose flicks up for a frame or two before the first jump,
    /// while the near foot has already twitched once, is held like any other flick (the side
    /// view of `jumprope-side-bounce` stored sideways: a 0.27 leg-length spike for two frames
    /// had counted as the run's first landing). `false` turns this off.
    public var flickAgainstOtherFoot = true

    /// The default tuning.
    public init() {}
  }

  /// One signal (a foot, or the hips) and its hop state.
  private struct Channel: Sendable {
    var smoother: ExponentialSmoother
    /// The ground level, image y in pixels (larger is lower).
    var ground: Double?
    var airborne = false
    var takeoff = 0.0
    var takeoffX: Double?
    /// The lowest point of this hop since its apex (``Tuning/reboundLift``).
    var valley: JumpRopeValley?
    /// When this foot last rebounded (``Tuning/reboundLift``), and its take-off before that:
    /// the other foot, deciding in the same frame, sees how long it had been up.
    var reboundTime: Double?
    var takeoffBeforeRebound = 0.0
    var apex = 0.0
    var apexLift = 0.0
    /// The hips' highest lift (leg lengths) during this hop of a foot.
    var hipApexLift = 0.0
    /// How many times the hips had taken off when this hop of a foot took off.
    var hipTakeoffsAtTakeoff = 0
    /// Whether the other foot stayed on the ground at this hop's apex (see
    /// ``Tuning/flickOtherFraction``).
    var otherDownAtApex = false
    /// Whether the last hop that landed was a short one-foot hop (``Tuning/flickFraction``).
    var flicked = false
    var framesWithoutFeet = 0
    var frames = 0
    /// Typical apex lift of recent hops (0 before the first).
    var typical = 0.0
    /// Typical time from take-off to landing of recent hops, seconds (0 before the first).
    var typicalAir = 0.0
    /// The highest lift since the foot was last down, while it stays below the take-off level.
    var lowHop = 0.0
    /// Whether this hop took off below ``Tuning/minimumLift`` (``Tuning/lowHopMinimumLift``).
    var lowTakeoff = false
    var lastLanding: Double?
    /// Typical interval between two landings of this channel.
    var period: Double?
    /// The last frame's lift and thresholds (leg lengths), for ``JumpRopeCounter/trace``.
    var gauge: (lift: Double, rise: Double, land: Double)?

    init(smoothing: Double, maximumGap: Double) {
      smoother = ExponentialSmoother(timeConstant: smoothing, maximumGap: maximumGap)
    }

    mutating func reset() {
      smoother.reset()
      ground = nil
      airborne = false
      gauge = nil
    }
  }

  /// A landing with how high the hop went: the foot's apex lift and the hips' highest lift
  /// during it (leg lengths; both the hips' own apex for the hip channel).
  private struct Landing: Sendable {
    var repetition: Repetition
    var footLift: Double
    var hipLift: Double
    /// A one-foot landing without a hop of the hips while they hop with every landing
    /// (``Tuning/hipRhythmRatio``): counts only when another landing follows.
    var unconfirmed = false
    var end: Double { repetition.end }
  }

  /// The first landings of a run (at most two), waiting for a third to confirm it.
  private var held: [Landing] = []
  /// The last landing counted (or held), for merging and runs, and its foot.
  private var lastLanding: Repetition?
  private var lastLandingChannel: Int?
  /// How many times the hips took off, and how many when the last landing was counted (or
  /// held): the same number means the body did not leave the ground again in between.
  private var hipTakeoffs = 0
  private var lastLandingHipTakeoffs = 0
  /// Whether the last two landings that fell within one merge window looked like two steps.
  private var previousPairSeparate = false
  /// Short one-foot landings during a two-foot bounce, waiting for the next landing to tell
  /// pose noise (a two-footed landing follows) from the first steps of stepping.
  private var flicks: [Landing] = []
  /// Typical interval between consecutive counted landings of any foot (seconds).
  private var landingInterval: Double?
  private var lastCounted: Double?
  /// The interval between the last two counted landings of the run (seconds).
  private var runRhythm: Double?
  /// A landing that counts only if another follows within the run gap: late after the run's
  /// rhythm (``Tuning/runStartGap``) or unconfirmed by the hips (``Tuning/hipRhythmRatio``).
  private var waiting: Landing?
  /// The hips' current hop, while they are up (``Tuning/lowHopHipLift``).
  private var hipHop: JumpRopeHipHop?
  /// The feet's lowest lifts since the hips last landed.
  private var feetLowest: JumpRopeFeetLowest?
  /// When the hips last landed (``Tuning/reboundLift``).
  private var hipsLandedAt: Double?

  /// The tuning in use.
  public let tuning: Tuning
  private let geometry: ImageGeometry
  private var channels: [Channel]
  private var scale: ExponentialSmoother
  private var travel: ExponentialSmoother
  private var lastHipX: Double?
  private var lastTime: Double?
  /// Frame statistics for the summary.
  public private(set) var statistics = FrameStatistics()
  /// When the most recent hop of any foot landed (counted or not).
  public private(set) var lastActivity: Double?

  /// A counter for images of `geometry` (use `.normalised` when the size is unknown).
  public init(geometry: ImageGeometry = .normalised, tuning: Tuning = Tuning()) {
    self.geometry = geometry
    self.tuning = tuning
    let channel = Channel(smoothing: tuning.smoothing, maximumGap: tuning.maximumGap)
    channels = [channel, channel, channel]
    scale = ExponentialSmoother(timeConstant: 0.5, maximumGap: tuning.maximumGap)
    travel = ExponentialSmoother(timeConstant: 0.4, maximumGap: tuning.maximumGap)
  }

  /// Whether the last frame with a pose showed an upright person.
  public private(set) var upright = false

  /// Consumes the next frame and returns the repetitions it completed (usually none; two when
  /// a landing confirms the one before it).
  public mutating func consume(_ frame: PoseFrame) -> [RepEvent] {
    statistics.record(time: frame.time)
    guard let signals = JumpRopeSignals(frame: frame, geometry: geometry) else { return [] }
    statistics.recordPose(armVisibility: 1)
    let time = frame.time
    defer { lastTime = time }
    upright = signals.upright
    guard signals.upright else {
      resetAll()
      return []
    }
    if let lastTime, time - lastTime > tuning.maximumGap {
      resetAll()
    }
    // A leg length that jumps by a lot between frames is a tracking glitch, not a body.
    if let current = scale.value,
      signals.legLength > 1.6 * current || signals.legLength < 0.6 * current
    {
      resetAll()
    }
    let legLength = scale.update(signals.legLength, at: time)
    var speed = 0.0
    if let lastHipX, let lastTime, time > lastTime {
      speed = abs(signals.hipX - lastHipX) / (time - lastTime) / legLength
    }
    lastHipX = signals.hipX
    let travelling = travel.update(speed, at: time) > tuning.maximumTravel

    var landings: [(Landing, Int)] = []
    let feetSeen = signals.feet.contains { $0 != nil }
    // The hips first: how high they are now decides how low a foot may hop (lowHopMinimumLift).
    let hipsWereUp = channels[2].airborne
    let hipLanding = step(
      channel: 2, y: signals.hipY, x: nil, otherY: nil, time: time, legLength: legLength,
      travelling: travelling, feetSeen: feetSeen)
    let hipsUp = channels[2].airborne
    if hipsUp, !hipsWereUp {
      hipHop = JumpRopeHipHop(start: time, baseline: feetLowest?.lift ?? [0, 0])
    }
    for side in 0..<2 {
      guard let y = signals.feet[side] else { continue }
      let landing = step(
        channel: side, y: y, x: signals.feetX[side], otherY: signals.feet[1 - side], time: time,
        legLength: legLength, travelling: travelling, feetSeen: true,
        hipsLanded: hipLanding != nil)
      if let landing { landings.append((landing, side)) }
      let lift = channels[side].gauge?.lift
      if !hipsUp, let lift {
        feetLowest = feetLowest ?? JumpRopeFeetLowest()
        feetLowest?.record(side, lift: lift)
      }
      if hipsUp || hipsWereUp {
        hipHop?.foot(side, lift: lift, airborne: channels[side].airborne || landing != nil)
      }
    }
    if hipsWereUp, !hipsUp {
      feetLowest = JumpRopeFeetLowest()
      if let hop = hipHop.take(), let hipLanding, let landing = confirmedHop(hop, hips: hipLanding)
      {
        landings.append((landing, 3))
      }
    }
    if let landing = hipLanding, channels[2].framesWithoutFeet * 2 > channels[2].frames {
      landings.append((landing, 2))
    }
    var events: [RepEvent] = []
    for (landing, channel) in landings {
      events += land(landing, channel: channel)
    }
    return events
  }

  /// Ends the session: a foot still in the air past the apex of a full hop lands now (the rope
  /// has passed under it; the recording ended before the landing); then a run of two landings
  /// still held counts, and a lone landing is dropped.
  public mutating func finish() -> [RepEvent] {
    var events: [RepEvent] = []
    if let lastTime {
      for side in 0..<2 {
        let channel = channels[side]
        guard channel.airborne, channel.typical > 0, let gauge = channel.gauge,
          channel.apexLift >= tuning.finishApexFraction * channel.typical,
          channel.apex < lastTime, gauge.lift < channel.apexLift
        else { continue }
        channels[side].airborne = false
        let landing = Landing(
          repetition: Repetition(
            start: channel.takeoff, bottom: channel.apex, end: lastTime, depthAngle: 0),
          footLift: channel.apexLift, hipLift: channel.hipApexLift)
        events += land(landing, channel: side)
      }
    }
    let run = heldRunOfTwo.map { RepEvent.rep($0.repetition) }
    held = []
    flicks = []
    waiting = nil
    resetAll()
    return events + run
  }

  private mutating func resetAll() {
    for index in channels.indices { channels[index].reset() }
    scale.reset()
    travel.reset()
    lastHipX = nil
  }

  /// Advances one channel (`otherY`: the other foot's height in this frame, for a foot;
  /// `hipsLanded`: whether the hips landed in this frame); returns a landing when this frame
  /// ends a hop.
  private mutating func step(
    channel index: Int, y rawY: Double, x: Double?, otherY: Double?, time: Double,
    legLength: Double, travelling: Bool, feetSeen: Bool, hipsLanded: Bool = false
  ) -> Landing? {
    var channel = channels[index]
    defer { channels[index] = channel }
    let y = channel.smoother.update(rawY, at: time)
    var ground = channel.ground ?? y
    if y > ground {
      ground = y
    } else if let lastTime {
      let r = (time - lastTime) / tuning.groundTimeConstant
      ground -= (ground - y) * min(1, r)
    }
    channel.ground = ground
    let lift = (ground - y) / legLength
    let rise = max(minimumLift(channel: index), tuning.riseFraction * channel.typical)
    // Landing: below a fraction of the typical hop, or of this hop's apex when that is higher
    // (the first hop, before a typical height is known, and a foot that comes down from a high
    // step onto the ball of the foot without reaching its ground level).
    let reference = channel.airborne ? max(channel.typical, channel.apexLift) : channel.typical
    var land = max(tuning.minimumLift * 0.5, tuning.landFraction * reference)
    if channel.airborne, channel.lowTakeoff {
      land = max(land, tuning.lowHopLandFraction * channel.apexLift)
    }
    channel.gauge = (lift, rise, land)
    let hipLift = index < 2 ? channels[2].gauge?.lift ?? 0 : lift
    var otherDown = false
    if let otherY, index < 2, let otherGround = channels[1 - index].ground {
      otherDown = (otherGround - otherY) / legLength < tuning.flickOtherFraction * lift
    }
    if !channel.airborne {
      if lift > rise {
        if index == 2 { hipTakeoffs += 1 }
        channel.airborne = true
        channel.takeoff = time
        channel.takeoffX = x
        channel.apex = time
        channel.apexLift = lift
        channel.hipApexLift = hipLift
        channel.hipTakeoffsAtTakeoff = hipTakeoffs
        channel.otherDownAtApex = otherDown
        channel.frames = 0
        channel.framesWithoutFeet = 0
        channel.lowHop = 0
        channel.lowTakeoff = lift < tuning.minimumLift
        channel.valley = nil
      } else {
        channel.lowHop = max(channel.lowHop, lift)
        if lift < land {
          // Back down from a rise too low to take off: a lower hop than the typical one.
          if channel.typical > 0,
            channel.lowHop > max(tuning.minimumLift, tuning.lowHopFraction * channel.typical)
          {
            channel.typical = 0.75 * channel.typical + 0.25 * channel.lowHop
          }
          channel.lowHop = 0
        }
      }
      return nil
    }
    channel.frames += 1
    if !feetSeen { channel.framesWithoutFeet += 1 }
    channel.hipApexLift = max(channel.hipApexLift, hipLift)
    // Up through a whole landing and take-off of the hips: landed at its valley
    // (Tuning.reboundLift).
    var rebound: JumpRopeValley?
    if index < 2, channel.valley != nil || lift <= channel.apexLift {
      let valley =
        channel.valley?.lowered(to: lift, time: time, y: y)
        ?? JumpRopeValley(lift: lift, time: time, y: y)
      channel.valley = valley
      if reboundsWithHips(channel, foot: index, valley: valley, lift: lift, time: time) {
        rebound = valley
        channel.valley = nil
      }
    }
    if rebound == nil, lift > channel.apexLift { channel.valley = nil }
    // A foot lands only once past its apex: on a frame where it still rises it stays in the
    // air (the landing level, at least half minimumLift, lies above a low take-off).
    var rising = false
    if rebound == nil, lift > channel.apexLift {
      channel.apex = time
      channel.apexLift = lift
      channel.otherDownAtApex = otherDown
      rising = true
    }
    // A low hop (taken off on the hips' evidence, lowHopMinimumLift) lands with the hips: its
    // few pixels of lift may stay above the landing level through a compressed video's noise.
    let landsWithHips =
      index < 2 && channel.lowTakeoff && hipsLanded && channel.apexLift < tuning.lowHopMaximumApex
    guard rebound != nil || ((lift < land || landsWithHips) && !rising) else {
      if time - channel.takeoff > tuning.maximumAirTime {
        // Held up too long: a raised leg or a step onto something. Start over from here.
        channel.airborne = false
        channel.ground = y
      }
      return nil
    }
    channel.airborne = false
    if index == 2 { hipsLandedAt = time }
    let end = rebound?.time ?? time
    defer {
      if let rebound {
        // Up again from the valley, which is the ground level now.
        channel.reboundTime = time
        channel.takeoffBeforeRebound = channel.takeoff
        channel.airborne = true
        channel.ground = rebound.y
        channel.takeoff = time
        channel.takeoffX = x
        channel.apex = time
        channel.apexLift = (rebound.y - y) / legLength
        channel.otherDownAtApex = otherDown
        channel.frames = 0
        channel.framesWithoutFeet = 0
        channel.lowHop = 0
        channel.lowTakeoff = false
      }
    }
    guard channel.apexLift < 1.5, !travelling else { return nil }
    if let x, let takeoffX = channel.takeoffX, abs(x - takeoffX) / legLength > tuning.maximumStride
    {
      return nil
    }
    let air = end - channel.takeoff
    var typicalAir = channel.typicalAir
    if typicalAir == 0, index < 2, tuning.flickAgainstOtherFoot {
      typicalAir = channels[1 - index].typicalAir  // this foot's first hop
    }
    channel.flicked =
      channel.otherDownAtApex && air < tuning.flickFraction * typicalAir
      && !isStepping(period: meanFootPeriod)
    if !channel.flicked {
      channel.typical =
        channel.typical == 0 ? channel.apexLift : 0.75 * channel.typical + 0.25 * channel.apexLift
      channel.typicalAir = channel.typicalAir == 0 ? air : 0.75 * channel.typicalAir + 0.25 * air
    }
    if let previous = channel.lastLanding, end - previous < tuning.runGap {
      let interval = end - previous
      channel.period = channel.period.map { 0.7 * $0 + 0.3 * interval } ?? interval
    }
    channel.lastLanding = end
    lastActivity = time
    return Landing(
      repetition: Repetition(
        start: channel.takeoff, bottom: channel.apex, end: end, depthAngle: 0),
      footLift: channel.apexLift, hipLift: channel.hipApexLift,
      unconfirmed: index < 2 && channel.otherDownAtApex
        && hipTakeoffs == channel.hipTakeoffsAtTakeoff && hipsHopWithEveryLanding)
  }

  /// Turns one landing of a channel into counted repetitions.
  private mutating func land(_ heights: Landing, channel: Int) -> [RepEvent] {
    let landing = heights.repetition
    let period = meanFootPeriod
    let window = min(
      tuning.mergeWindow.upperBound,
      max(tuning.mergeWindow.lowerBound, (period ?? 0.33) * tuning.mergeFraction))
    if let lastLanding, landing.end - lastLanding.end < window {
      // Two feet landing within the window are one two-footed landing, unless they look like
      // two steps (different feet, peaks and take-offs apart) while the skipper is stepping
      // (the feet land in turn), or now and at the previous such pair too: stepping overlaps
      // that way step after step, while pose noise on a two-foot bounce (a compressed video)
      // pulls a pair apart only now and then.
      let separate = isSeparateStep(landing, channel: channel, after: lastLanding)
      defer { previousPairSeparate = separate }
      guard separate && (previousPairSeparate || isStepping(period: period)) else {
        return []  // the other foot of the same landing
      }
    }
    if let lastLanding, let other = lastLandingChannel, channel < 2, other < 2, other != channel,
      hipTakeoffs == lastLandingHipTakeoffs, channels[2].typical >= tuning.sameHopHipLift,
      !isStepping(period: period), landing.end - lastLanding.end < tuning.sameHopGap,
      abs(landing.start - lastLanding.start) < tuning.sameHopTakeoff
        || hipsLandedBetween(lastLanding, and: landing)
    {
      return []  // the other foot of the same jump, brought down late (Tuning.sameHopGap)
    }
    if let lastLanding, landing.end - lastLanding.end < tuning.runGap {
      let interval = landing.end - lastLanding.end
      landingInterval = landingInterval.map { 0.7 * $0 + 0.3 * interval } ?? interval
    }
    lastLanding = landing
    lastLandingChannel = channel
    lastLandingHipTakeoffs = hipTakeoffs
    // A short one-foot hop waits for the next landing (see Tuning.flickFraction).
    let foot = channel < 2 ? channels[channel] : nil
    if foot?.flicked == true {
      flicks.removeAll { landing.end - $0.end > tuning.runGap }  // memory stays bounded
      flicks.append(heights)
      return []
    }
    var events: [RepEvent] = []
    if foot?.otherDownAtApex == true, isStepping(period: period) {
      for flick in flicks where landing.end - flick.end <= tuning.runGap {
        events += count(flick)
      }
    }
    flicks = []
    return events + count(heights)
  }

  /// Whether the feet of two landings were in the air together (the later took off before the
  /// earlier landed) and the hips landed strictly between the two (``Tuning/sameHopAfterHips``).
  private func hipsLandedBetween(_ earlier: Repetition, and later: Repetition) -> Bool {
    guard tuning.sameHopAfterHips, let landed = hipsLandedAt else { return false }
    return later.start < earlier.end && earlier.end < landed && landed < later.end
  }

  /// Counts a landing that is a jump (or holds it as one of a run's first two).
  private mutating func count(_ landing: Landing) -> [RepEvent] {
    if let waiting = waiting.take(), landing.end - waiting.end <= tuning.runGap {
      runRhythm = landing.end - waiting.end
      lastCounted = landing.end
      return [.rep(waiting.repetition), .rep(landing.repetition)]
    }
    if let lastCounted, landing.end - lastCounted <= tuning.runGap {
      let interval = landing.end - lastCounted
      if let runRhythm, interval > tuning.runStartGap, interval > tuning.runStartRatio * runRhythm {
        waiting = landing  // late: the rope may have stopped (Tuning.runStartGap)
        return []
      }
      if landing.unconfirmed {
        waiting = landing  // a foot put down? (Tuning.hipRhythmRatio)
        return []
      }
      runRhythm = interval
      self.lastCounted = landing.end
      return [.rep(landing.repetition)]
    }
    if let last = held.last, landing.end - last.end <= tuning.runGap {
      guard held.count == 2 else {
        held.append(landing)
        return []
      }
      let first = held[0].end
      let second = held[1].end
      let opening = second - first
      let rhythm = landing.end - second
      var run = held
      if opening > tuning.runStartGap, opening > tuning.runStartRatio * rhythm {
        run.removeFirst()  // a bounce before the rope came round
      }
      // A foot twitching while the skipper stands (see Tuning.runStartLiftFraction).
      run.removeAll {
        $0.footLift < tuning.runStartLiftFraction * landing.footLift
          && $0.hipLift < tuning.runStartHipFraction * landing.hipLift
      }
      held = []
      lastCounted = landing.end
      runRhythm = rhythm
      return (run + [landing]).map { RepEvent.rep($0.repetition) }
    }
    // A new run begins; a previous run of exactly two landings counts now.
    let ended = heldRunOfTwo.map { RepEvent.rep($0.repetition) }
    held = [landing]
    return ended
  }

  /// The held landings when they are a run of two that counts on its own: two landings within
  /// ``Tuning/runStartGap`` (further apart, with nothing around them, they are not a rope's
  /// rhythm).
  private var heldRunOfTwo: [Landing] {
    guard held.count == 2, held[1].end - held[0].end <= tuning.runStartGap else { return [] }
    return held
  }

  /// The landing of a hop of the hips that both feet made with them while neither hopped on
  /// its own (see ``Tuning/lowHopHipLift``), lowering the feet's typical heights to it; nil
  /// when the hop was not one.
  private mutating func confirmedHop(_ hop: JumpRopeHipHop, hips: Landing) -> Landing? {
    let minimum = channels[0...1].map { foot in
      foot.typical > 0
        ? min(tuning.minimumLift, tuning.lowHopFraction * foot.typical) : tuning.minimumLift
    }
    guard hop.bothFeetRose(minimum: minimum), hips.footLift >= tuning.lowHopHipLift else {
      return nil
    }
    for side in 0..<2 where channels[side].typical > hop.lift[side] {
      channels[side].typical = hop.lift[side]
    }
    return Landing(
      repetition: Repetition(
        start: hop.start, bottom: hips.repetition.bottom, end: hips.end, depthAngle: 0),
      footLift: hop.lift.min() ?? 0, hipLift: hips.hipLift)
  }
}

extension JumpRopeCounter {
  /// The smallest lift that makes channel `index` airborne: ``Tuning/lowHopMinimumLift`` for a
  /// foot while the hips are up at least ``Tuning/lowHopHipLift``, else ``Tuning/minimumLift``.
  fileprivate func minimumLift(channel index: Int) -> Double {
    guard index < 2, let hips = channels[2].gauge, hips.lift >= tuning.lowHopHipLift else {
      return tuning.minimumLift
    }
    return tuning.lowHopMinimumLift
  }

  /// Whether the hips hop with every landing: their typical hop at least
  /// ``Tuning/sameHopHipLift`` and their period under ``Tuning/hipRhythmRatio`` landing
  /// intervals (high knees; in alternate-foot stepping they bob once per pair of steps, if at
  /// all).
  fileprivate var hipsHopWithEveryLanding: Bool {
    guard channels[2].typical >= tuning.sameHopHipLift, let hipPeriod = channels[2].period,
      let landingInterval
    else { return false }
    return hipPeriod < tuning.hipRhythmRatio * landingInterval
  }

  /// Whether foot `index` (`channel`, in the air past its apex, lowest at `valley` since,
  /// `lift` now) landed at the valley and is up again (``Tuning/reboundLift``): the hips,
  /// hopping with the feet, landed after its apex and took off again, it fell at least
  /// ``Tuning/landFraction`` of its apex and rose ``Tuning/reboundLift`` since, and the other
  /// foot, when tracked, has been in the air since before the hips landed.
  private func reboundsWithHips(
    _ channel: Channel, foot index: Int, valley: JumpRopeValley, lift: Double, time: Double
  ) -> Bool {
    let hips = channels[2]
    guard hips.airborne, let landed = hipsLandedAt, hips.takeoff > landed, landed > channel.apex,
      hips.typical >= tuning.sameHopHipLift,
      channel.apexLift - valley.lift >= tuning.landFraction * channel.apexLift,
      lift - valley.lift >= tuning.reboundLift
    else { return false }
    let other = channels[1 - index]
    guard other.ground != nil else { return true }
    let otherTakeoff = other.reboundTime == time ? other.takeoffBeforeRebound : other.takeoff
    return other.airborne && otherTakeoff < landed
  }

  /// The mean of the feet's typical landing intervals (nil before either foot has one).
  fileprivate var meanFootPeriod: Double? {
    let periods = channels[0...1].compactMap(\.period)
    return periods.isEmpty ? nil : periods.reduce(0, +) / Double(periods.count)
  }

  /// Whether the feet land in turn: counted landings come at under ``Tuning/steppingRatio`` of
  /// the per-foot `period` (alternate-foot stepping, about half of it), not once per period
  /// (a two-foot bounce, where both feet land together).
  fileprivate func isStepping(period: Double?) -> Bool {
    guard let period, let landingInterval else { return false }
    return landingInterval < tuning.steppingRatio * period
  }

  /// Whether `landing` of foot `channel`, inside the merge window of `previous`, is a step of
  /// its own: the other foot, whose hop peaked and took off clearly later.
  fileprivate func isSeparateStep(_ landing: Repetition, channel: Int, after previous: Repetition)
    -> Bool
  {
    guard channel < 2, let other = lastLandingChannel, other < 2, other != channel else {
      return false
    }
    return tuning.stepApexSeparation.contains(landing.bottom - previous.bottom)
      && tuning.stepTakeoffSeparation.contains(landing.start - previous.start)
  }
}

extension JumpRopeCounter: RepCounter {
  /// An upright body whose last counted landing was within the last second: a run of at least
  /// three, so one or two hops (a squat's rising hips, a bounce before the rope comes round)
  /// claim nothing.
  public func detectionEvidence(posture: Posture, time: Double) -> Double {
    guard posture == .upright, let last = lastCounted else { return 0 }
    return time - last <= 1.0 ? 1 : 0
  }

  /// The lift (leg lengths above the ground level) of the higher foot, or of the hips when no
  /// foot is tracked, on a gauge from ``traceRange``: on the ground (``RepPhase/ground``) the
  /// high line is the take-off threshold, in the air (``RepPhase/air``) the low line is the
  /// landing one. A body that is not upright is ``RepPhase/idle``.
  public var trace: RepTrace? {
    guard upright else { return RepTrace(phase: .idle) }
    var shown: Channel?
    for channel in channels[0...1] {
      guard let gauge = channel.gauge else { continue }
      if let current = shown?.gauge, current.lift >= gauge.lift { continue }
      shown = channel
    }
    if shown == nil, channels[2].gauge != nil { shown = channels[2] }
    guard let shown, let gauge = shown.gauge else { return RepTrace(phase: .ground) }
    return RepTrace(
      phase: shown.airborne ? .air : .ground,
      gauge: RepTrace.Gauge(
        value: gauge.lift, low: shown.airborne ? gauge.land : nil,
        high: shown.airborne ? nil : gauge.rise, range: Self.traceRange))
  }

  /// The lifts (leg lengths) the gauge of ``trace`` spans; hops lift the feet about 0.05–0.15.
  public static let traceRange = 0.0...0.25
}
