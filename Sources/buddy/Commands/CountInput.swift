import PoseInput

/// One thing to count (`PoseFrameSource.Input`): a path, or several JPEG files read as one
/// frame sequence.
typealias CountInput = PoseFrameSource.Input
