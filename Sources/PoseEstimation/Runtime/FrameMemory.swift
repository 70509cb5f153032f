internal import CThreads

/// Process-wide malloc settings for frame-by-frame work (issue 21).
///
/// Every video frame allocates and frees buffers of the same large size: libjpeg's RGB output
/// and the `RGBImage` copy of it (691 KB each for 640 × 360), the frame's JPEG bytes. Under
/// glibc's defaults, a freed block above the dynamic mmap threshold is unmapped, and a heap
/// top above the trim threshold is given back with `brk` after every frame, so each frame
/// faulted its buffers' pages in again: ~0.65 ms of system time per 640 × 360 frame, 5–7 % of
/// `buddy pose` on one core (`perf`: `exc_page_fault`, `__do_sys_brk`). Fixed thresholds keep
/// freed memory for the next frame; the resident size stays at the high-water mark.
public enum FrameMemory {
  /// Blocks up to this size come from the heap (a 4K RGB frame, 24.9 MB, is still mapped).
  static let mmapThreshold: Int32 = 16 << 20
  /// Free bytes at the heap top that stay mapped instead of going back with `brk`.
  static let trimThreshold: Int32 = 64 << 20

  /// Applies the settings to this process; call once, early (a process-wide setting). Returns
  /// false where the C library has no such settings (not glibc).
  @discardableResult
  public static func keepFreedBuffers() -> Bool {
    cthreads_fix_malloc_thresholds(mmapThreshold, trimThreshold) == 1
  }
}
