import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads passwords from the terminal without echo, or from standard input for scripts.
/// Passwords never come from arguments or the environment.
enum PasswordPrompt {
  /// Reads one password: the next line of standard input with `fromStandardInput`, else from the
  /// terminal (asked twice when `confirm` is set).
  static func read(_ prompt: String, confirm: Bool = false, fromStandardInput: Bool) throws
    -> String
  {
    if fromStandardInput { return try readStandardInputLine(what: prompt) }
    let terminal = try Terminal.open()
    defer { terminal.close() }
    let prompts = confirm ? [prompt + ": ", "Repeat \(prompt.lowercased()): "] : [prompt + ": "]
    let answers = try terminal.readSecrets(prompts: prompts)
    if confirm && answers[0] != answers[1] {
      throw CLIError(.dataError, "the passwords do not match")
    }
    return answers[0]
  }

  /// The longest line, in bytes before its `\n`, read as a password from standard input
  /// (bcrypt uses at most 72 bytes of a password).
  static let maximumLineBytes = 4096

  /// The next line of standard input, without its line ending (`\n` or `\r\n`).
  ///
  /// Reads one byte at a time, up to and including the `\n`, so the next call (e.g. `passwd`'s
  /// new password) still finds its own line; a line longer than `maximumLineBytes` or holding a
  /// NUL byte is refused (exit 65) without reading on.
  static func readStandardInputLine(what: String) throws -> String {
    var bytes: [UInt8] = []
    var sawNewline = false
    var byte: UInt8 = 0
    while true {
      let count = Glibc.read(0, &byte, 1)
      if count < 0 && errno == EINTR { continue }
      guard count == 1 else { break }
      if byte == UInt8(ascii: "\n") {
        sawNewline = true
        break
      }
      guard byte != 0 else {
        throw CLIError(
          .dataError, "the \(what.lowercased()) line on standard input holds a NUL byte")
      }
      guard bytes.count < maximumLineBytes else {
        throw CLIError(
          .dataError,
          "the \(what.lowercased()) line on standard input is longer than \(maximumLineBytes) bytes"
        )
      }
      bytes.append(byte)
    }
    guard sawNewline || !bytes.isEmpty else {
      throw CLIError(.dataError, "standard input ended before the \(what.lowercased())")
    }
    if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
    return String(decoding: bytes, as: UTF8.self)
  }
}

extension Terminal {
  /// The controlling terminal, opened for a no-echo prompt.
  struct Handle {
    let descriptor: Int32

    func close() { _ = Glibc.close(descriptor) }

    /// Shows each prompt and reads one line for it, with echo off for the whole exchange (so a
    /// second answer typed early is not shown); restores the terminal even on Ctrl-C.
    func readSecrets(prompts: [String]) throws -> [String] {
      var original = termios()
      guard tcgetattr(descriptor, &original) == 0 else {
        throw CLIError(.usage, "cannot configure the terminal; use --password-stdin")
      }
      var silent = original
      silent.c_lflag &= ~tcflag_t(ECHO)
      silent.c_lflag |= tcflag_t(ECHONL)
      Terminal.savedSettings = (descriptor, original)
      signal(SIGINT, Terminal.restoreAndExit)
      signal(SIGTERM, Terminal.restoreAndExit)
      defer {
        tcsetattr(descriptor, TCSAFLUSH, &original)
        Terminal.savedSettings = nil
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
      }
      // TCSAFLUSH drops anything typed before the prompt: it was echoed, so it is not secret.
      tcsetattr(descriptor, TCSAFLUSH, &silent)
      var answers: [String] = []
      for prompt in prompts {
        write(prompt)
        var bytes: [UInt8] = []
        var byte: UInt8 = 0
        while Glibc.read(descriptor, &byte, 1) == 1 && byte != UInt8(ascii: "\n") {
          bytes.append(byte)
          if bytes.count > 4096 { break }
        }
        answers.append(String(decoding: bytes, as: UTF8.self))
      }
      return answers
    }

    private func write(_ text: String) {
      var text = text
      text.withUTF8 { _ = Glibc.write(descriptor, $0.baseAddress, $0.count) }
    }
  }

  /// The terminal settings to restore if a signal arrives mid-prompt.
  nonisolated(unsafe) static var savedSettings: (Int32, termios)?

  static let restoreAndExit: @convention(c) (Int32) -> Void = { signalNumber in
    if var (descriptor, settings) = Terminal.savedSettings {
      tcsetattr(descriptor, TCSAFLUSH, &settings)
    }
    _exit(128 + signalNumber)
  }

  /// Opens /dev/tty, or explains how to give the password without one.
  static func open() throws -> Handle {
    let descriptor = Glibc.open("/dev/tty", O_RDWR | O_CLOEXEC)
    guard descriptor >= 0 else {
      throw CLIError(
        .usage, "no terminal to ask for the password; pipe it in with --password-stdin")
    }
    return Handle(descriptor: descriptor)
  }
}
