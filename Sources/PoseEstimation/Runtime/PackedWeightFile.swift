internal import Glibc
internal import PoseKernelTypes

/// One packed-weight cache file, mapped read-only: the constant blocks of one executor plan
/// (see `ExecutorConstants`), made from one model file with one packed layout.
///
/// Layout (little-endian): a 64-byte header, a table of `blockCount` entries (byte offset,
/// float count; 16 bytes each), then the blocks, each at a 64-byte aligned offset.
///
///     0  magic "EBPACKW1"          8  format version (UInt32)   12 layout version (UInt32)
///     16 layout probe (UInt64)     24 model byte count (UInt64) 32 model hash (UInt64)
///     40 block count (UInt32)      44 reserved (0)              48 body byte count (UInt64)
///     56 body checksum (UInt64): `FastHash` of every byte after the header
///
/// Everything read is range-checked: a short, damaged, foreign or stale file is refused
/// with a reason (the caller rebuilds it), never trusted.
final class PackedWeightFile {
  static let magic: [UInt8] = Array("EBPACKW1".utf8)
  static let formatVersion: UInt32 = 1
  static let headerSize = 64
  static let alignment = 64
  /// More blocks than any plan has (each convolution has two).
  static let maxBlocks = 1 << 14
  /// Largest accepted file (the BlazePose plans need about 20 MB).
  static let maxFileSize = 1 << 31

  /// What a file must match to be used.
  struct Identity: Equatable {
    var layoutVersion: UInt32
    var layoutProbe: UInt64
    var modelByteCount: UInt64
    var modelHash: UInt64

    /// The identity for `model` with the current packed layout.
    init(model: TFLiteModel) {
      layoutVersion = PackedGEMMWeights.layoutVersion
      layoutProbe = PackedGEMMWeights.layoutProbe
      modelByteCount = UInt64(model.bytes.count)
      var hasher = FastHash()
      model.bytes.withUnsafeBytes { hasher.update($0) }
      modelHash = hasher.finalize()
    }

    init(layoutVersion: UInt32, layoutProbe: UInt64, modelByteCount: UInt64, modelHash: UInt64) {
      self.layoutVersion = layoutVersion
      self.layoutProbe = layoutProbe
      self.modelByteCount = modelByteCount
      self.modelHash = modelHash
    }
  }

  /// Why a file was not used.
  struct Refusal: Error, CustomStringConvertible {
    var description: String
    /// True when there was no file at all (not worth a warning).
    var isMissing = false
  }

  private let base: UnsafeRawPointer
  private let size: Int
  private let table: [(offset: Int, count: Int)]

  /// The number of blocks.
  var blockCount: Int { table.count }
  /// The size of the mapping in bytes.
  var byteCount: Int { size }

  private init(base: UnsafeRawPointer, size: Int, table: [(offset: Int, count: Int)]) {
    self.base = base
    self.size = size
    self.table = table
  }

  deinit {
    munmap(UnsafeMutableRawPointer(mutating: base), size)
  }

  /// Block `index` (checked against the file's size when the file was opened).
  func block(_ index: Int) -> UnsafeBufferPointer<Float> {
    let entry = table[index]
    return UnsafeBufferPointer(
      start: (base + entry.offset).assumingMemoryBound(to: Float.self), count: entry.count)
  }

  /// Maps the file at `path` read-only and checks it against `identity` and its checksum.
  static func open(_ path: String, expecting identity: Identity) -> Result<
    PackedWeightFile, Refusal
  > {
    let descriptor = Glibc.open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
      let missing = errno == ENOENT
      return .failure(
        Refusal(description: missing ? "is missing" : "cannot be opened", isMissing: missing))
    }
    defer { close(descriptor) }
    var info = stat()
    guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      return .failure(Refusal(description: "is not a regular file"))
    }
    let size = Int(info.st_size)
    guard size >= headerSize, size <= maxFileSize else {
      return .failure(Refusal(description: "has \(size) bytes (too short or too long)"))
    }
    guard
      let mapping = mmap(nil, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, descriptor, 0),
      mapping != MAP_FAILED
    else {
      return .failure(Refusal(description: "cannot be mapped"))
    }
    let bytes = UnsafeRawBufferPointer(start: mapping, count: size)
    switch check(bytes, expecting: identity) {
    case .success(let table):
      return .success(PackedWeightFile(base: UnsafeRawPointer(mapping), size: size, table: table))
    case .failure(let refusal):
      munmap(mapping, size)
      return .failure(refusal)
    }
  }

  /// Checks the header, table and checksum of a whole file's `bytes`; returns its table.
  static func check(_ bytes: UnsafeRawBufferPointer, expecting identity: Identity) -> Result<
    [(offset: Int, count: Int)], Refusal
  > {
    func refuse(_ reason: String) -> Result<[(offset: Int, count: Int)], Refusal> {
      .failure(Refusal(description: reason))
    }
    func u32(_ at: Int) -> UInt32 {
      UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }
    func u64(_ at: Int) -> UInt64 {
      UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }
    guard bytes.count >= headerSize, bytes.prefix(8).elementsEqual(magic) else {
      return refuse("is not a packed-weight file")
    }
    guard u32(8) == formatVersion else { return refuse("has format version \(u32(8))") }
    let stored = Identity(
      layoutVersion: u32(12), layoutProbe: u64(16), modelByteCount: u64(24), modelHash: u64(32))
    guard stored.layoutVersion == identity.layoutVersion,
      stored.layoutProbe == identity.layoutProbe
    else {
      return refuse("has another packed layout (version \(stored.layoutVersion))")
    }
    guard stored.modelByteCount == identity.modelByteCount, stored.modelHash == identity.modelHash
    else {
      return refuse("was made from another model file")
    }
    let blockCount = Int(u32(40))
    guard blockCount <= maxBlocks, u32(44) == 0 else { return refuse("has a damaged header") }
    guard u64(48) == UInt64(bytes.count - headerSize) else {
      return refuse("has \(bytes.count - headerSize) body bytes, its header says \(u64(48))")
    }
    var hasher = FastHash()
    hasher.update(UnsafeRawBufferPointer(rebasing: bytes[headerSize...]))
    guard hasher.finalize() == u64(56) else { return refuse("fails its checksum") }
    let tableEnd = headerSize + blockCount * 16
    guard tableEnd <= bytes.count else { return refuse("is shorter than its block table") }
    var table: [(offset: Int, count: Int)] = []
    table.reserveCapacity(blockCount)
    for index in 0..<blockCount {
      let offset = u64(headerSize + index * 16)
      let count = u64(headerSize + index * 16 + 8)
      guard offset % UInt64(alignment) == 0, offset >= UInt64(tableEnd),
        offset <= UInt64(bytes.count), count <= UInt64(TFLiteInterpreter.maxElements),
        count * 4 <= UInt64(bytes.count) - offset
      else {
        return refuse("has block \(index) outside the file")
      }
      table.append((Int(offset), Int(count)))
    }
    return .success(table)
  }

  /// The bytes of a file holding `blocks` for a model of `identity`.
  static func encode(_ blocks: [UnsafeBufferPointer<Float>], identity: Identity) -> [UInt8] {
    func aligned(_ value: Int) -> Int { (value + alignment - 1) / alignment * alignment }
    let tableEnd = headerSize + blocks.count * 16
    var offsets: [Int] = []
    var end = aligned(tableEnd)
    for block in blocks {
      offsets.append(end)
      end = aligned(end + block.count * 4)
    }
    var bytes = [UInt8](repeating: 0, count: end)
    bytes.withUnsafeMutableBytes { out in
      func put32(_ value: UInt32, at: Int) {
        out.storeBytes(of: value.littleEndian, toByteOffset: at, as: UInt32.self)
      }
      func put64(_ value: UInt64, at: Int) {
        out.storeBytes(of: value.littleEndian, toByteOffset: at, as: UInt64.self)
      }
      for (index, byte) in magic.enumerated() { out[index] = byte }
      put32(formatVersion, at: 8)
      put32(identity.layoutVersion, at: 12)
      put64(identity.layoutProbe, at: 16)
      put64(identity.modelByteCount, at: 24)
      put64(identity.modelHash, at: 32)
      put32(UInt32(blocks.count), at: 40)
      put64(UInt64(end - headerSize), at: 48)
      for (index, block) in blocks.enumerated() {
        put64(UInt64(offsets[index]), at: headerSize + index * 16)
        put64(UInt64(block.count), at: headerSize + index * 16 + 8)
        if let source = block.baseAddress, let target = out.baseAddress {
          (target + offsets[index]).copyMemory(from: source, byteCount: block.count * 4)
        }
      }
      var hasher = FastHash()
      hasher.update(UnsafeRawBufferPointer(rebasing: out[headerSize...]))
      put64(hasher.finalize(), at: 56)
    }
    return bytes
  }
}
