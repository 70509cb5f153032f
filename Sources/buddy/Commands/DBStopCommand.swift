import ArgumentParser

/// `buddy db stop`: stop the private cluster.
struct DBStopCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stop",
    abstract:
      "Stop the private PostgreSQL cluster (fast shutdown; stopping a stopped one is fine).",
    discussion: """
      Examples:
        buddy db stop
      """
  )

  func run() throws {
    let cluster = PrivateCluster()
    if try cluster.stop() {
      print("private cluster: stopped")
    } else {
      print("private cluster: not running")
    }
  }
}
