import ArgumentParser

/// The `--format` option, declared once for every command that prints data
/// (`@OptionGroup var output: FormatOption<OutputFormat>`).
struct FormatOption<Format: FormatChoice>: ParsableArguments {
  @Option(help: ArgumentHelp(Format.help))
  var format: Format = .standard
}
