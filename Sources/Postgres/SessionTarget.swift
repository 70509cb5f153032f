internal import CLibPQ
import Foundation

/// Which server of a multi-host database URL (libpq's `host=a,b` or `postgresql://a,b/…`) a
/// connection should settle on: buddy's reads prefer a standby, its writes need the primary.
public enum SessionTarget: String, Sendable {
  /// `target_session_attrs=prefer-standby`: a standby when one answers, else any server.
  case preferStandby = "prefer-standby"
  /// `target_session_attrs=read-write`: the server that accepts writes.
  case readWrite = "read-write"

  /// The `target_session_attrs` value to add to `conninfo` for this target, or nil to leave the
  /// string as it is: when it names one host (or none), or when the user chose an attribute
  /// themselves (in the string or `PGTARGETSESSIONATTRS`), which always wins.
  ///
  /// A string libpq cannot parse gets nil too: connecting then reports libpq's own error.
  public func attribute(
    for conninfo: String,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> String? {
    Self.isReplicated(conninfo, environment: environment) ? rawValue : nil
  }

  /// Whether buddy routes reads and writes for `conninfo`: it names several hosts (in the string,
  /// else in `PGHOST`) and no `target_session_attrs` of the user's own.
  public static func isReplicated(
    _ conninfo: String,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> Bool {
    if let own = environment["PGTARGETSESSIONATTRS"], !own.isEmpty { return false }
    var options: [String: String] = [:]
    if !conninfo.isEmpty {
      guard let parsed = PQconninfoParse(conninfo, nil) else { return false }
      defer { PQconninfoFree(parsed) }
      var option = parsed
      while let keyword = option.pointee.keyword {
        let name = String(cString: keyword)
        // Only the two options needed here are kept: never the password.
        if name == "host" || name == "hostaddr" || name == "target_session_attrs",
          let value = option.pointee.val
        {
          options[name] = String(cString: value)
        }
        option += 1
      }
    }
    if let own = options["target_session_attrs"], !own.isEmpty { return false }
    let hosts = options["host"] ?? options["hostaddr"] ?? environment["PGHOST"] ?? ""
    return hosts.split(separator: ",", omittingEmptySubsequences: false).count > 1
  }
}
