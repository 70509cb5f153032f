/// Why a flag's value was refused, said as what is accepted: `must be a number from 0.1 to 1000`.
///
/// argument-parser appends it to its usage error, which names the flag:
/// `The value '0' is invalid for '--fps <fps>': must be a number from 0.1 to 1000`.
struct ArgumentRefusal: Error, CustomStringConvertible {
  let description: String

  init(_ description: String) { self.description = description }
}
