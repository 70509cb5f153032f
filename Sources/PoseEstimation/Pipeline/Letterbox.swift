/// Letterbox padding as fractions of the model input: left, top, right, bottom.
struct Letterbox: Sendable, Equatable {
  var left: Double
  var top: Double
  var right: Double
  var bottom: Double
}
