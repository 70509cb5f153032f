/// The version `buddy --version` prints.
enum BuddyVersion {
  static let number = "0.1.0"
}
