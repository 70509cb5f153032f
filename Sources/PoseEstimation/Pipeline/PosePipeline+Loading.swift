extension PosePipeline {
  /// Loads and plans the detector and the landmark model. With a `team` (2 or more threads
  /// asked for and allowed) the detector loads on a thread of its own while this one loads
  /// the landmark model, so start-up waits for the slower of the two instead of their sum;
  /// alone, one after the other. The plans and the errors are the same either way (a failing
  /// detector is reported first, as when loading in order).
  static func loadModels(_ models: PoseModelFiles, team: ComputeThreads?)
    throws(TFLiteModelError) -> (detector: PlannedModel, landmarks: PlannedModel)
  {
    guard team != nil else {
      let detector = try PlannedModel.load(
        .detector, from: models, plan: .allOutputs, threads: team)
      let landmarks = try PlannedModel.load(
        .landmarks, from: models, plan: .withoutSegmentation, threads: team)
      return (detector, landmarks)
    }
    let detector = BackgroundWork { () throws(TFLiteModelError) -> PlannedModel in
      try PlannedModel.load(.detector, from: models, plan: .allOutputs, threads: team)
    }
    let landmarks = Result { () throws(TFLiteModelError) -> PlannedModel in
      try PlannedModel.load(.landmarks, from: models, plan: .withoutSegmentation, threads: team)
    }
    return (try detector.wait(), try landmarks.get())
  }
}
