import Foundation
import TestSupport
import Testing

/// Bash completion of `buddy profile set`: the generated script, sourced into a real bash,
/// offers the keys where a key goes and a key's values after it.
@Suite struct ProfileCompletionTests {
  /// What bash offers for the command line `words` (the last one being completed).
  private func completions(_ words: [String], buddy: BuddyProcess) throws -> [String] {
    let quoted = ([BuddyProcess.binary] + words).map { "'\($0)'" }.joined(separator: " ")
    let script = """
      source <("$BUDDY" --generate-completion-script bash)
      COMP_WORDS=(\(quoted))
      COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
      COMP_LINE="${COMP_WORDS[*]}"
      COMP_POINT=${#COMP_LINE}
      _buddy "$BUDDY" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
      printf '%s\\n' "${COMPREPLY[@]}"
      """
    var environment = buddy.fullEnvironment
    environment["BUDDY"] = BuddyProcess.binary
    let result = try BuddyProcess.execute(
      "/bin/bash", ["-c", script], environment: environment, stdin: nil, timeout: 60)
    #expect(result.status == 0, "\(result.stderr)")
    return result.stdout.split(separator: "\n").map(String.init)
  }

  @Test func keysThenTheirValuesAreCompleted() throws {
    let buddy = try BuddyProcess()
    defer { buddy.cleanUp() }
    #expect(
      try completions(["profile", "set", ""], buddy: buddy)
        == ["weight-kg", "time-zone", "week-start", "keep-landmarks"])
    #expect(
      try completions(["profile", "set", "we"], buddy: buddy) == ["weight-kg", "week-start"])
    #expect(
      try completions(["profile", "set", "week-start", ""], buddy: buddy)
        == ["monday", "sunday", "saturday"])
    #expect(
      try completions(["profile", "set", "keep-landmarks", ""], buddy: buddy) == ["true", "false"])
    let zones = try completions(["profile", "set", "time-zone", "Europe/Pa"], buddy: buddy)
    #expect(zones == ["Europe/Paris"])
    // After a value, keys again.
    #expect(
      try completions(["profile", "set", "weight-kg", "82", "ti"], buddy: buddy) == ["time-zone"])
  }
}
