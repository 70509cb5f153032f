#ifndef BUDDY_CJPEG_H
#define BUDDY_CJPEG_H

// A small, safe edge over libjpeg (libjpeg62-turbo): libjpeg's error manager is
// replaced so that corrupt data returns an error message instead of calling exit();
// setjmp/longjmp stay inside this C target. No libjpeg type appears in this header.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { BUDDY_JPEG_MESSAGE_CAPACITY = 200 };

/// The most pixels (width x height, as stored, whatever the decode scale) an image may have:
/// 50 megapixels (an 8K UHD video frame has 33; a 48-megapixel photo fits). A larger image is
/// refused from its header, before libjpeg allocates anything for it. A progressive JPEG
/// buffers all its coefficients at full resolution (2 bytes per sample, up to 3 samples per
/// pixel) next to the RGB8 output, so one decode takes at most about 9 bytes per pixel: about
/// 450 MB at this limit.
enum { BUDDY_JPEG_MAX_PIXELS = 50000000 };

/// The result of a decode: `pixels` is malloc'ed RGB8, row-major, `width * height * 3`
/// bytes, owned by the caller (free it with `buddy_jpeg_free`). On failure `pixels` is
/// NULL and `message` says why.
typedef struct buddy_jpeg_image {
  unsigned char *pixels;
  int width;
  int height;
  /// EXIF orientation tag (1...8), or 0 when the file has no (readable) EXIF orientation.
  int exif_orientation;
  /// Number of libjpeg warnings (e.g. premature end of data) seen in lenient mode.
  int warnings;
  char message[BUDDY_JPEG_MESSAGE_CAPACITY];
} buddy_jpeg_image;

/// Decodes a JPEG held in memory to RGB8. `scale_denom` is 1, 2, 4 or 8 (the image is
/// scaled by 1/scale_denom while decoding). In `strict` mode libjpeg warnings (truncated
/// or corrupt data that libjpeg would otherwise patch over) are errors. An image of more
/// than `BUDDY_JPEG_MAX_PIXELS` pixels is an error.
/// Returns 0 on success, -1 on failure (see `out->message`).
int buddy_jpeg_decode_buffer(const unsigned char *data, size_t size, int scale_denom,
                             int strict, buddy_jpeg_image *out);

/// The size `buddy_jpeg_decode_buffer` would give, from the header alone: 0 and the output
/// width and height, or -1 (an unreadable header, a bad scale, or more than
/// `BUDDY_JPEG_MAX_PIXELS` pixels: decode to learn why).
int buddy_jpeg_output_size(const unsigned char *data, size_t size, int scale_denom,
                           int *width, int *height);

/// Same as `buddy_jpeg_decode_buffer`, writing the pixels straight into `pixels` (exactly
/// `capacity` bytes, the size `buddy_jpeg_output_size` gave; else an error) when `pixels` is
/// not NULL: then `out->pixels` is `pixels` on success (not to be freed here), NULL on failure.
int buddy_jpeg_decode_buffer_into(const unsigned char *data, size_t size, int scale_denom,
                                  int strict, unsigned char *pixels, size_t capacity,
                                  buddy_jpeg_image *out);

/// Same as `buddy_jpeg_decode_buffer`, reading the file at `path`.
int buddy_jpeg_decode_file(const char *path, int scale_denom, int strict,
                           buddy_jpeg_image *out);

/// Encodes RGB8 pixels as a baseline JPEG (used by tests to make known inputs).
/// On success `*jpeg` is malloc'ed (free it with `buddy_jpeg_free`). Returns 0 or -1.
int buddy_jpeg_encode_rgb(const unsigned char *pixels, int width, int height, int quality,
                          unsigned char **jpeg, size_t *jpeg_size,
                          char message[BUDDY_JPEG_MESSAGE_CAPACITY]);

/// Frees memory returned by this library.
void buddy_jpeg_free(void *pointer);

#ifdef __cplusplus
}
#endif

#endif
