import Foundation

// fixturegen: writes the synthetic push-up, jump-rope and squat fixtures and their manifest.
//
//   swift run fixturegen [OUTPUT_DIRECTORY]     (default: Fixtures)
//
// Every scenario has an exact expected count by construction; Tests/PoseInputTests reads
// Fixtures/manifest.json and checks that the counters (`PushUpCounter`, `SquatCounter`, and
// `CountSession` for the exercises it knows) reproduce each one.

func steadyReps(_ count: Int, down: Double, hold: Double, up: Double, depth: Double, rest: Double)
  -> [Scenario.Segment]
{
  var segments: [Scenario.Segment] = []
  for _ in 0..<count {
    segments.append(.rep(down: down, hold: hold, up: up, depth: depth))
    segments.append(.top(rest))
  }
  return segments
}

let steadyTimeline: [Scenario.Segment] =
  [.top(1.5)] + steadyReps(6, down: 0.9, hold: 0.1, up: 0.8, depth: 70, rest: 0.4) + [.top(1)]

var mixedTimeline: [Scenario.Segment] = [.top(1.2)]
for index in 0..<7 {
  let partial = index == 2 || index == 5
  mixedTimeline.append(.rep(down: 0.7, hold: 0.1, up: 0.7, depth: partial ? 122 : 75))
  mixedTimeline.append(.top(0.5))
}

var restTimeline: [Scenario.Segment] = [.top(2)]
for index in 0..<5 {
  restTimeline.append(.rep(down: 1.0, hold: index == 1 ? 2.0 : 0.2, up: 1.0, depth: 65))
  restTimeline.append(.top(index == 2 ? 3.5 : 0.6))
}

let scenarios: [Scenario] = [
  Scenario(
    name: "mp33-side-30fps-steady", topology: .mediaPipe33, fps: 30, seed: 11,
    segments: steadyTimeline, expectedReps: 6),
  Scenario(
    name: "mp33-side-15fps-steady", topology: .mediaPipe33, fps: 15, seed: 12,
    segments: steadyTimeline, expectedReps: 6),
  Scenario(
    name: "mp33-side-15fps-fast-no-lockout", topology: .mediaPipe33, fps: 15, topAngle: 150,
    jitter: 1.5, seed: 13,
    segments: [.top(1)] + steadyReps(12, down: 0.33, hold: 0, up: 0.33, depth: 80, rest: 0.1)
      + [.top(0.8)], expectedReps: 12),
  Scenario(
    name: "mp33-oblique45-30fps-partials", topology: .mediaPipe33, fps: 30, yaw: 45, jitter: 2.5,
    seed: 14, segments: mixedTimeline + [.top(0.5)], expectedReps: 5, expectedPartials: 2),
  Scenario(
    name: "mp33-front70-15fps-rests-holds", topology: .mediaPipe33, fps: 15, width: 480,
    height: 270, yaw: 70, seed: 15, segments: restTimeline, expectedReps: 5),
  Scenario(
    name: "mp33-side-60fps-walk-in-out", topology: .mediaPipe33, fps: 60, format: .jsonLines,
    timestamps: .milliseconds, seed: 16,
    segments: [.absent(0.3), .walkIn(walk: 1.2, getDown: 1.5), .top(0.6)]
      + steadyReps(4, down: 0.6, hold: 0.1, up: 0.6, depth: 72, rest: 0.3)
      + [.walkOut(standUp: 1.5, walk: 1.2), .absent(0.2)], expectedReps: 4),
  Scenario(
    name: "coco17-side-30fps-jitter-drops", topology: .coco17, fps: 30, jitter: 3.5, dropRate: 0.1,
    dropRun: (6.0, 0.5), format: .array, seed: 17,
    segments: [.top(1)] + steadyReps(10, down: 0.6, hold: 0.1, up: 0.6, depth: 75, rest: 0.3)
      + [.top(1)], expectedReps: 10),
  Scenario(
    name: "coco17-oblique30-15fps-starts-ends-mid-rep", topology: .coco17, fps: 15, yaw: 30,
    jitter: 2, format: .jsonLines, seed: 18,
    segments: [.fromBottom(up: 0.7, depth: 70), .top(0.3)]
      + steadyReps(6, down: 0.8, hold: 0.1, up: 0.8, depth: 70, rest: 0.3)
      + [.endDescending(0.5, depth: 70)], expectedReps: 6),
  Scenario(
    name: "mp33-side-10fps-slow", topology: .mediaPipe33, fps: 10, timestamps: .none, seed: 19,
    segments: [.top(1)] + steadyReps(4, down: 2.0, hold: 1.0, up: 2.0, depth: 60, rest: 1.0),
    expectedReps: 4),
  Scenario(
    name: "mp33-side-15fps-objects-shallow", topology: .mediaPipe33, fps: 15, objectLandmarks: true,
    seed: 20,
    segments: [.top(1)] + steadyReps(4, down: 0.8, hold: 0.1, up: 0.8, depth: 92, rest: 0.4),
    expectedReps: 4),
  Scenario(
    name: "coco17-side-15fps-objects-absent-gap", topology: .coco17, fps: 15, objectLandmarks: true,
    seed: 21,
    segments: [.top(1)] + steadyReps(3, down: 0.7, hold: 0.1, up: 0.7, depth: 70, rest: 0.3)
      + [.absent(2)] + steadyReps(3, down: 0.7, hold: 0.1, up: 0.7, depth: 70, rest: 0.3),
    expectedReps: 6),
]

// Jump rope, walking and a mixed session: 3 decimals and mostly COCO-17 keep them small.
let ropeScenarios: [Scenario] = [
  Scenario(
    name: "rope-mp33-front-30fps-two-foot-bounce", topology: .mediaPipe33, fps: 30, yaw: 80,
    precision: 3, exercise: "jump-rope", seed: 31,
    segments: [.stand(1, swinging: true), .skip(.bounce, count: 14, rate: 2.6, height: 0.06)],
    expectedReps: 14),
  Scenario(
    name: "rope-coco17-front-30fps-alternate-foot-fast", topology: .coco17, fps: 30, yaw: 85,
    jitter: 1.5, precision: 3, exercise: "jump-rope", seed: 32,
    segments: [
      .stand(0.6, swinging: false), .skip(.alternate, count: 28, rate: 5.5, height: 0.07),
    ],
    expectedReps: 28),
  Scenario(
    name: "rope-coco17-front-30fps-double-unders-fast", topology: .coco17, fps: 30, width: 480,
    height: 270, yaw: 80, precision: 3, exercise: "jump-rope", seed: 33,
    segments: [
      .stand(0.8, swinging: true), .skip(.bounce, count: 4, rate: 2.4, height: 0.05),
      .skip(.doubleUnder, count: 12, rate: 3.4, height: 0.2), .stand(0.8, swinging: false),
    ], expectedReps: 16),
  Scenario(
    name: "rope-coco17-front-30fps-swings-no-jumps", topology: .coco17, fps: 30, yaw: 80,
    jitter: 1.5, precision: 3, exercise: "none", seed: 34,
    segments: [.stand(5, swinging: true)], expectedReps: 0),
  Scenario(
    name: "walk-coco17-side-30fps", topology: .coco17, fps: 30, yaw: 10, precision: 3,
    exercise: "none", seed: 35, segments: [.walk(5)], expectedReps: 0),
  Scenario(
    name: "mixed-coco17-side-30fps-pushups-then-rope", topology: .coco17, fps: 30, yaw: 20,
    format: .jsonLines, precision: 3, exercise: "jump-rope", otherReps: ["push-up": 4], seed: 36,
    segments: [.top(1)] + steadyReps(4, down: 0.6, hold: 0.1, up: 0.6, depth: 72, rest: 0.3)
      + [.standUp(1.2), .stand(0.8, swinging: true)]
      + [.skip(.bounce, count: 12, rate: 2.5, height: 0.07)], expectedReps: 12),
]

/// `count` squats to `kneeAngle`, each followed by `rest` seconds standing.
func squats(_ count: Int, down: Double, hold: Double, up: Double, kneeAngle: Double, rest: Double)
  -> [Scenario.Segment]
{
  var segments: [Scenario.Segment] = []
  for _ in 0..<count {
    segments.append(.squat(down: down, hold: hold, up: up, kneeAngle: kneeAngle))
    segments.append(.standTall(rest, sway: 0))
  }
  return segments
}

/// Deep squats (knees 78–90°), half squats (125–130°), a 3 s pause shifting weight and a 2.5 s
/// still pause: 4 reps, 3 partials.
let halfSquatTimeline: [Scenario.Segment] =
  [.standTall(1.5, sway: 0.04)]
  + squats(2, down: 1.0, hold: 0.2, up: 1.0, kneeAngle: 85, rest: 0.5)
  + [.standTall(3, sway: 0.06)]
  + squats(1, down: 0.8, hold: 0.1, up: 0.8, kneeAngle: 128, rest: 0.5)
  + squats(1, down: 0.8, hold: 0.1, up: 0.8, kneeAngle: 130, rest: 0.5)
  + squats(1, down: 1.0, hold: 0.2, up: 1.0, kneeAngle: 78, rest: 0.3)
  + [.standTall(2.5, sway: 0)]
  + squats(1, down: 1.0, hold: 0.2, up: 1.0, kneeAngle: 90, rest: 0.5)
  + squats(1, down: 0.8, hold: 0.1, up: 0.8, kneeAngle: 125, rest: 1)

// Squats: a standing person filling 80 % of the picture height; 3 decimals for x/y.
let squatScenarios: [Scenario] = [
  Scenario(
    name: "squat-mp33-side-30fps-steady", topology: .mediaPipe33, fps: 30, framing: 0.8,
    precision: 3, exercise: "squat", seed: 41,
    segments: [.standTall(1.2, sway: 0)]
      + squats(5, down: 0.8, hold: 0.1, up: 0.8, kneeAngle: 80, rest: 0.4)
      + [.standTall(0.6, sway: 0)], expectedReps: 5),
  Scenario(
    name: "squat-mp33-front-15fps-half-squats-pauses", topology: .mediaPipe33, fps: 15,
    width: 480, height: 270, yaw: 90, framing: 0.8, precision: 3, exercise: "squat", seed: 42,
    segments: halfSquatTimeline, expectedReps: 4, expectedPartials: 3),
  Scenario(
    name: "squat-coco17-oblique45-30fps-steady", topology: .coco17, fps: 30, yaw: 45, jitter: 2,
    dropRate: 0.05, format: .jsonLines, framing: 0.8, precision: 3, exercise: "squat", seed: 43,
    segments: [.standTall(1.2, sway: 0.03)]
      + squats(6, down: 0.9, hold: 0.1, up: 0.8, kneeAngle: 82, rest: 0.4)
      + [.standTall(0.6, sway: 0)], expectedReps: 6),
  Scenario(
    name: "squat-coco17-side-30fps-walk-in-out", topology: .coco17, fps: 30, yaw: 15,
    framing: 0.8, precision: 3, exercise: "squat", seed: 44,
    segments: [.absent(0.3), .walkToSpot(2.5), .standTall(1, sway: 0)]
      + squats(4, down: 0.8, hold: 0.1, up: 0.8, kneeAngle: 85, rest: 0.5)
      + [.walkOff(2.5), .absent(0.3)], expectedReps: 4),
  Scenario(
    name: "squat-coco17-oblique30-10fps-slow-holds", topology: .coco17, fps: 10, yaw: 30,
    jitter: 1.5, framing: 0.8, precision: 3, exercise: "squat", seed: 45,
    segments: [.standTall(1.5, sway: 0)]
      + squats(4, down: 2.0, hold: 1.5, up: 2.0, kneeAngle: 75, rest: 1.0),
    expectedReps: 4),
]

let output = CommandLine.arguments.count > 1 ? CommandLine.arguments[1] : "Fixtures"
try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
var manifest: [String] = []
for scenario in scenarios + ropeScenarios + squatScenarios {
  var renderer = Renderer(scenario: scenario)
  let fileName = scenario.name + (scenario.format == .jsonLines ? ".jsonl" : ".json")
  let text = renderer.render()
  try text.write(toFile: output + "/" + fileName, atomically: true, encoding: .utf8)
  manifest.append(
    "  {\"file\": \"\(fileName)\", \"exercise\": \"\(scenario.exercise)\", "
      + "\"reps\": \(scenario.expectedReps), "
      + scenario.otherReps.map { "\"\($0.key)_reps\": \($0.value), " }.joined()
      + "\"partial_reps\": \(scenario.expectedPartials), \"fps\": \(scenario.fps), "
      + "\"width\": \(scenario.width), \"height\": \(scenario.height)}")
  print("\(fileName): \(text.utf8.count) bytes, \(scenario.expectedReps) reps")
}
try ("[\n" + manifest.joined(separator: ",\n") + "\n]\n").write(
  toFile: output + "/manifest.json", atomically: true, encoding: .utf8)
