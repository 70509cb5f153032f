import Foundation
internal import Spawn

/// Where Exercise Buddy keeps its configuration and data (XDG base directories).
enum Paths {
  /// The user's home directory: `$HOME`, else the password database.
  static var home: String {
    if let home = environment("HOME"), !home.isEmpty { return home }
    if let entry = getpwuid(geteuid()), let directory = entry.pointee.pw_dir {
      return String(cString: directory)
    }
    return "/"
  }

  /// `$XDG_CONFIG_HOME/exercise-buddy`, default `~/.config/exercise-buddy`.
  static var configDirectory: String {
    xdg("XDG_CONFIG_HOME", default: ".config") + "/exercise-buddy"
  }

  /// `$XDG_DATA_HOME/exercise-buddy`, default `~/.local/share/exercise-buddy`.
  static var dataDirectory: String {
    xdg("XDG_DATA_HOME", default: ".local/share") + "/exercise-buddy"
  }

  /// `$XDG_CACHE_HOME/exercise-buddy`, default `~/.cache/exercise-buddy`.
  static var cacheDirectory: String {
    xdg("XDG_CACHE_HOME", default: ".cache") + "/exercise-buddy"
  }

  /// `$XDG_STATE_HOME/exercise-buddy`, default `~/.local/state/exercise-buddy`.
  static var stateDirectory: String {
    xdg("XDG_STATE_HOME", default: ".local/state") + "/exercise-buddy"
  }

  /// The configuration file.
  static var configFile: String { configDirectory + "/config" }

  /// The private cluster's directory: `$BUDDY_CLUSTER_DIR`, else `/var/lib/exercise-buddy/postgres`
  /// for root (whose server runs as the `postgres` user), else `<data directory>/postgres`.
  static var clusterDirectory: String {
    if let directory = environment("BUDDY_CLUSTER_DIR"), !directory.isEmpty {
      return SpawnedProgram.absolutePath(directory)
    }
    return geteuid() == 0 ? "/var/lib/exercise-buddy/postgres" : dataDirectory + "/postgres"
  }

  /// A variable of the process environment, if set.
  static func environment(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name]
  }

  private static func xdg(_ variable: String, default relative: String) -> String {
    // The XDG spec says relative values are invalid and must be ignored.
    if let value = environment(variable), value.hasPrefix("/") { return value }
    return home + "/" + relative
  }
}
