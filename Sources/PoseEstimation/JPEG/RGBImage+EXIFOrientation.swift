extension RGBImage {
  /// The upright image for EXIF orientation `orientation` (1...8; TIFF 6.0 tag 0x0112).
  ///
  /// Orientation says where row 0 and column 0 of the stored image belong:
  /// 1 as stored, 2 mirrored left-right, 3 rotated 180°, 4 mirrored top-bottom,
  /// 5 transposed, 6 rotated 90° clockwise to display, 7 transversed,
  /// 8 rotated 90° counter-clockwise to display.
  func applyingEXIFOrientation(_ orientation: Int) -> RGBImage {
    guard (2...8).contains(orientation) else { return self }
    let swapsAxes = orientation >= 5
    let outWidth = swapsAxes ? height : width
    let outHeight = swapsAxes ? width : height
    var out = [UInt8](repeating: 0, count: pixels.count)
    for y in 0..<outHeight {
      for x in 0..<outWidth {
        // (sx, sy): the stored pixel shown at display position (x, y).
        let sx: Int
        let sy: Int
        switch orientation {
        case 2: (sx, sy) = (width - 1 - x, y)
        case 3: (sx, sy) = (width - 1 - x, height - 1 - y)
        case 4: (sx, sy) = (x, height - 1 - y)
        case 5: (sx, sy) = (y, x)
        case 6: (sx, sy) = (y, height - 1 - x)
        case 7: (sx, sy) = (width - 1 - y, height - 1 - x)
        default: (sx, sy) = (width - 1 - y, x)  // 8
        }
        let s = (sy * width + sx) * 3
        let d = (y * outWidth + x) * 3
        out[d] = pixels[s]
        out[d + 1] = pixels[s + 1]
        out[d + 2] = pixels[s + 2]
      }
    }
    return RGBImage(uncheckedWidth: outWidth, height: outHeight, pixels: out)
  }
}

extension RGBImage {
  /// For sizes already known to match `pixels.count`.
  init(uncheckedWidth width: Int, height: Int, pixels: [UInt8]) {
    self.width = width
    self.height = height
    self.pixels = pixels
  }
}
