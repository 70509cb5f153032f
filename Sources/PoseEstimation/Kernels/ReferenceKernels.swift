internal import Foundation
internal import PoseKernelTypes

/// The activation fused into an operator (the kernels implement NONE and RELU6).
enum FusedActivation: Sendable, Equatable {
  case none
  case relu6

  @inline(__always)
  func apply(_ x: Float) -> Float {
    switch self {
    case .none: x
    case .relu6: min(max(x, 0), 6)
    }
  }
}

/// TFLite's reference float kernels for the operators of the BlazePose models
/// (../shared/blazepose/spec.md §c). Plain loops, batch 1, NHWC; the callers (the
/// interpreter's load-time checks) guarantee that every buffer has the size its shape
/// says, so the loops index within bounds.
enum ReferenceKernels {
  /// CONV_2D: filter `[Cout, KH, KW, Cin]`, bias `[Cout]`.
  static func conv2D(
    input: UnsafeBufferPointer<Float>, filter: UnsafeBufferPointer<Float>,
    bias: UnsafeBufferPointer<Float>,
    output: UnsafeMutableBufferPointer<Float>, geometry g: WindowGeometry,
    activation: FusedActivation
  ) {
    let cin = g.inputChannels
    for oy in 0..<g.outputHeight {
      for ox in 0..<g.outputWidth {
        for co in 0..<g.outputChannels {
          var sum: Float = 0
          for ky in 0..<g.kernelHeight {
            let iy = oy * g.strideHeight - g.padTop + ky
            if iy < 0 || iy >= g.inputHeight { continue }
            for kx in 0..<g.kernelWidth {
              let ix = ox * g.strideWidth - g.padLeft + kx
              if ix < 0 || ix >= g.inputWidth { continue }
              let inputBase = (iy * g.inputWidth + ix) * cin
              let filterBase = ((co * g.kernelHeight + ky) * g.kernelWidth + kx) * cin
              for ci in 0..<cin {
                sum += input[inputBase + ci] * filter[filterBase + ci]
              }
            }
          }
          output[(oy * g.outputWidth + ox) * g.outputChannels + co] = activation.apply(
            sum + bias[co])
        }
      }
    }
  }

  /// DEPTHWISE_CONV_2D with depth multiplier 1: filter `[1, KH, KW, C]`, bias `[C]`.
  static func depthwiseConv2D(
    input: UnsafeBufferPointer<Float>, filter: UnsafeBufferPointer<Float>,
    bias: UnsafeBufferPointer<Float>,
    output: UnsafeMutableBufferPointer<Float>, geometry g: WindowGeometry,
    activation: FusedActivation
  ) {
    let channels = g.inputChannels
    for oy in 0..<g.outputHeight {
      for ox in 0..<g.outputWidth {
        for c in 0..<channels {
          var sum: Float = 0
          for ky in 0..<g.kernelHeight {
            let iy = oy * g.strideHeight - g.padTop + ky
            if iy < 0 || iy >= g.inputHeight { continue }
            for kx in 0..<g.kernelWidth {
              let ix = ox * g.strideWidth - g.padLeft + kx
              if ix < 0 || ix >= g.inputWidth { continue }
              sum +=
                input[(iy * g.inputWidth + ix) * channels + c]
                * filter[(ky * g.kernelWidth + kx) * channels + c]
            }
          }
          output[(oy * g.outputWidth + ox) * channels + c] = activation.apply(sum + bias[c])
        }
      }
    }
  }

  /// MAX_POOL_2D (VALID): the maximum of each window, then the activation.
  static func maxPool2D(
    input: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>,
    geometry g: WindowGeometry,
    activation: FusedActivation
  ) {
    let channels = g.inputChannels
    for oy in 0..<g.outputHeight {
      for ox in 0..<g.outputWidth {
        for c in 0..<channels {
          var best = -Float.infinity
          for ky in 0..<g.kernelHeight {
            let iy = oy * g.strideHeight - g.padTop + ky
            if iy < 0 || iy >= g.inputHeight { continue }
            for kx in 0..<g.kernelWidth {
              let ix = ox * g.strideWidth - g.padLeft + kx
              if ix < 0 || ix >= g.inputWidth { continue }
              best = max(best, input[(iy * g.inputWidth + ix) * channels + c])
            }
          }
          output[(oy * g.outputWidth + ox) * channels + c] = activation.apply(best)
        }
      }
    }
  }

  /// ADD of two tensors of the same shape.
  static func add(
    _ a: UnsafeBufferPointer<Float>, _ b: UnsafeBufferPointer<Float>,
    output: UnsafeMutableBufferPointer<Float>,
    activation: FusedActivation
  ) {
    for i in 0..<output.count {
      output[i] = activation.apply(a[i] + b[i])
    }
  }

  /// PAD of a 4-D tensor with zeros: `before[d]`/`after[d]` elements per dimension.
  static func pad(
    input: UnsafeBufferPointer<Float>, inputShape: [Int], before: [Int],
    output: UnsafeMutableBufferPointer<Float>,
    outputShape: [Int]
  ) {
    for i in 0..<output.count { output[i] = 0 }
    for n in 0..<inputShape[0] {
      for y in 0..<inputShape[1] {
        for x in 0..<inputShape[2] {
          let source = ((n * inputShape[1] + y) * inputShape[2] + x) * inputShape[3]
          let target =
            (((n + before[0]) * outputShape[1] + y + before[1]) * outputShape[2] + x + before[2])
            * outputShape[3] + before[3]
          for c in 0..<inputShape[3] {
            output[target + c] = input[source + c]
          }
        }
      }
    }
  }

  /// RESIZE_BILINEAR with align_corners = false and half_pixel_centers = true (spec §c.6).
  static func resizeBilinearHalfPixel(
    input: UnsafeBufferPointer<Float>, inputHeight: Int, inputWidth: Int, channels: Int,
    output: UnsafeMutableBufferPointer<Float>, outputHeight: Int, outputWidth: Int
  ) {
    let scaleY = Float(inputHeight) / Float(outputHeight)
    let scaleX = Float(inputWidth) / Float(outputWidth)
    for y in 0..<outputHeight {
      let fy = (Float(y) + 0.5) * scaleY - 0.5
      let y0 = max(Int(fy.rounded(.down)), 0)
      let y1 = min(Int(fy.rounded(.up)), inputHeight - 1)
      let dy = fy - Float(y0)
      for x in 0..<outputWidth {
        let fx = (Float(x) + 0.5) * scaleX - 0.5
        let x0 = max(Int(fx.rounded(.down)), 0)
        let x1 = min(Int(fx.rounded(.up)), inputWidth - 1)
        let dx = fx - Float(x0)
        let topLeft = (y0 * inputWidth + x0) * channels
        let bottomLeft = (y1 * inputWidth + x0) * channels
        let topRight = (y0 * inputWidth + x1) * channels
        let bottomRight = (y1 * inputWidth + x1) * channels
        let target = (y * outputWidth + x) * channels
        for c in 0..<channels {
          output[target + c] =
            input[topLeft + c] * (1 - dy) * (1 - dx) + input[bottomLeft + c] * dy * (1 - dx)
            + input[topRight + c] * (1 - dy) * dx + input[bottomRight + c] * dy * dx
        }
      }
    }
  }

  /// DEPTH_TO_SPACE with block `b` (spec §c.7).
  static func depthToSpace(
    input: UnsafeBufferPointer<Float>, inputHeight: Int, inputWidth: Int, inputChannels: Int,
    block: Int,
    output: UnsafeMutableBufferPointer<Float>
  ) {
    let outputChannels = inputChannels / (block * block)
    let outputWidth = inputWidth * block
    for oy in 0..<(inputHeight * block) {
      for ox in 0..<outputWidth {
        let source =
          ((oy / block) * inputWidth + ox / block) * inputChannels
          + ((oy % block) * block + ox % block) * outputChannels
        let target = (oy * outputWidth + ox) * outputChannels
        for c in 0..<outputChannels {
          output[target + c] = input[source + c]
        }
      }
    }
  }

  /// CONCATENATION: each input is `outer × inner[i]` elements; the output interleaves them.
  static func concatenate(
    _ inputs: [[Float]], outer: Int, inner: [Int], output: UnsafeMutableBufferPointer<Float>
  ) {
    let total = inner.reduce(0, +)
    var offset = 0
    for (input, size) in zip(inputs, inner) {
      for o in 0..<outer {
        for i in 0..<size {
          output[o * total + offset + i] = input[o * size + i]
        }
      }
      offset += size
    }
  }

  /// LOGISTIC exactly as tflite:kernels/internal/reference/logistic.h.
  static func logistic(input: UnsafeBufferPointer<Float>, output: UnsafeMutableBufferPointer<Float>)
  {
    let upper: Float = 16.619047164916992188
    let lower: Float = -9
    for i in 0..<output.count {
      let x = input[i]
      if x > upper {
        output[i] = 1
      } else if x < lower {
        output[i] = Foundation.exp(x)
      } else {
        output[i] = 1 / (1 + Foundation.exp(-x))
      }
    }
  }
}
