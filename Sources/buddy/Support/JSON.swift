import Recording

/// Minimal JSON writing for machine-readable output (keys keep the order given): the writer the
/// stored workout details use.
typealias JSON = OrderedJSON
