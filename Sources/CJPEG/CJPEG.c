#include "CJPEG.h"

#include <limits.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

typedef struct buddy_error_manager {
  struct jpeg_error_mgr pub;
  jmp_buf jump;
  int strict;
  int warnings;
  char message[BUDDY_JPEG_MESSAGE_CAPACITY];
} buddy_error_manager;

static void set_message(char *dest, const char *text) {
  snprintf(dest, BUDDY_JPEG_MESSAGE_CAPACITY, "%s", text);
}

static void buddy_error_exit(j_common_ptr cinfo) {
  buddy_error_manager *err = (buddy_error_manager *)cinfo->err;
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  set_message(err->message, text);
  longjmp(err->jump, 1);
}

static void buddy_emit_message(j_common_ptr cinfo, int msg_level) {
  buddy_error_manager *err = (buddy_error_manager *)cinfo->err;
  if (msg_level >= 0) {
    return;  // trace messages: ignored
  }
  char text[JMSG_LENGTH_MAX];
  (*cinfo->err->format_message)(cinfo, text);
  if (err->warnings == 0) {
    set_message(err->message, text);
  }
  err->warnings += 1;
  cinfo->err->num_warnings += 1;
  if (err->strict) {
    longjmp(err->jump, 1);
  }
}

static void buddy_output_message(j_common_ptr cinfo) {
  (void)cinfo;  // never print to stderr
}

static void install_error_manager(buddy_error_manager *err, int strict) {
  memset(err, 0, sizeof(*err));
  jpeg_std_error(&err->pub);
  err->pub.error_exit = buddy_error_exit;
  err->pub.emit_message = buddy_emit_message;
  err->pub.output_message = buddy_output_message;
  err->strict = strict;
}

static uint16_t read_u16(const unsigned char *p, int little_endian) {
  return little_endian ? (uint16_t)(p[0] | (p[1] << 8)) : (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t read_u32(const unsigned char *p, int little_endian) {
  return little_endian
             ? ((uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
                ((uint32_t)p[3] << 24))
             : (((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) |
                (uint32_t)p[3]);
}

// Orientation tag (0x0112) of IFD0 in an APP1 "Exif\0\0" segment; 0 when absent.
static int exif_orientation(const unsigned char *data, size_t size) {
  if (size < 14 || memcmp(data, "Exif\0\0", 6) != 0) {
    return 0;
  }
  const unsigned char *tiff = data + 6;
  size_t tiff_size = size - 6;
  int little_endian;
  if (tiff[0] == 'I' && tiff[1] == 'I') {
    little_endian = 1;
  } else if (tiff[0] == 'M' && tiff[1] == 'M') {
    little_endian = 0;
  } else {
    return 0;
  }
  uint32_t ifd = read_u32(tiff + 4, little_endian);
  if (ifd > tiff_size || tiff_size - ifd < 2) {
    return 0;
  }
  uint16_t count = read_u16(tiff + ifd, little_endian);
  for (uint32_t i = 0; i < count; i++) {
    size_t entry = (size_t)ifd + 2 + 12 * (size_t)i;
    if (entry > tiff_size || tiff_size - entry < 12) {
      return 0;
    }
    if (read_u16(tiff + entry, little_endian) == 0x0112) {
      uint16_t value = read_u16(tiff + entry + 8, little_endian);
      return (value >= 1 && value <= 8) ? (int)value : 0;
    }
  }
  return 0;
}

// Decodes from an already attached source into `destination` (exactly `capacity` bytes)
// when given, else into a malloc'ed buffer. Returns 0 or -1; `cinfo` is destroyed.
static int decode(struct jpeg_decompress_struct *cinfo, buddy_error_manager *err,
                  int scale_denom, unsigned char *destination, size_t capacity,
                  buddy_jpeg_image *out) {
  // Written after setjmp and read after longjmp: must be volatile.
  unsigned char *volatile pixels = NULL;

  if (setjmp(err->jump)) {
    if (destination == NULL) {
      free(pixels);
    }
    jpeg_destroy_decompress(cinfo);
    out->pixels = NULL;
    set_message(out->message, err->message[0] ? err->message : "JPEG decoding failed");
    return -1;
  }

  jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
  jpeg_read_header(cinfo, TRUE);
  // Refuse a hostile (or merely huge) image from its header, before jpeg_start_decompress
  // allocates its buffers: the size at full resolution counts, whatever the scale.
  uint64_t stored_pixels = (uint64_t)cinfo->image_width * (uint64_t)cinfo->image_height;
  if (stored_pixels > (uint64_t)BUDDY_JPEG_MAX_PIXELS) {
    snprintf(err->message, BUDDY_JPEG_MESSAGE_CAPACITY,
             "the image is %ux%u pixels (%.1f megapixels), more than the %d megapixels a "
             "frame may have",
             (unsigned)cinfo->image_width, (unsigned)cinfo->image_height,
             (double)stored_pixels / 1e6, BUDDY_JPEG_MAX_PIXELS / 1000000);
    longjmp(err->jump, 1);
  }
  for (jpeg_saved_marker_ptr m = cinfo->marker_list; m != NULL; m = m->next) {
    if (m->marker == JPEG_APP0 + 1) {
      int orientation = exif_orientation(m->data, m->data_length);
      if (orientation != 0) {
        out->exif_orientation = orientation;
        break;
      }
    }
  }
  cinfo->out_color_space = JCS_RGB;
  cinfo->scale_num = 1;
  cinfo->scale_denom = (unsigned int)scale_denom;
  jpeg_start_decompress(cinfo);
  if (cinfo->output_components != 3) {
    set_message(err->message, "libjpeg did not produce 3 components");
    longjmp(err->jump, 1);
  }
  // Output dimensions never exceed the stored ones, already checked: this cannot overflow.
  size_t row_bytes = (size_t)cinfo->output_width * 3;
  if (cinfo->output_height == 0 || row_bytes == 0) {
    set_message(err->message, "the image is empty");
    longjmp(err->jump, 1);
  }
  if (destination != NULL) {
    if (row_bytes * cinfo->output_height != capacity) {
      set_message(err->message, "the output buffer does not fit the image");
      longjmp(err->jump, 1);
    }
    pixels = destination;
  } else {
    pixels = malloc(row_bytes * cinfo->output_height);
  }
  if (pixels == NULL) {
    set_message(err->message, "out of memory");
    longjmp(err->jump, 1);
  }
  while (cinfo->output_scanline < cinfo->output_height) {
    JSAMPROW row = pixels + (size_t)cinfo->output_scanline * row_bytes;
    jpeg_read_scanlines(cinfo, &row, 1);
  }
  jpeg_finish_decompress(cinfo);
  out->pixels = pixels;
  out->width = (int)cinfo->output_width;
  out->height = (int)cinfo->output_height;
  out->warnings = err->warnings;
  set_message(out->message, err->message);
  jpeg_destroy_decompress(cinfo);
  return 0;
}

static int valid_scale(int scale_denom) {
  return scale_denom == 1 || scale_denom == 2 || scale_denom == 4 || scale_denom == 8;
}

int buddy_jpeg_decode_buffer(const unsigned char *data, size_t size, int scale_denom,
                             int strict, buddy_jpeg_image *out) {
  return buddy_jpeg_decode_buffer_into(data, size, scale_denom, strict, NULL, 0, out);
}

int buddy_jpeg_output_size(const unsigned char *data, size_t size, int scale_denom,
                           int *width, int *height) {
  *width = 0;
  *height = 0;
  if (!valid_scale(scale_denom) || data == NULL || size == 0 || size > (size_t)ULONG_MAX) {
    return -1;
  }
  struct jpeg_decompress_struct cinfo;
  buddy_error_manager err;
  install_error_manager(&err, 1);
  cinfo.err = &err.pub;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    return -1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, (unsigned long)size);
  jpeg_read_header(&cinfo, TRUE);
  uint64_t stored_pixels = (uint64_t)cinfo.image_width * (uint64_t)cinfo.image_height;
  int result = -1;
  if (stored_pixels <= (uint64_t)BUDDY_JPEG_MAX_PIXELS) {
    cinfo.out_color_space = JCS_RGB;
    cinfo.scale_num = 1;
    cinfo.scale_denom = (unsigned int)scale_denom;
    jpeg_calc_output_dimensions(&cinfo);
    *width = (int)cinfo.output_width;
    *height = (int)cinfo.output_height;
    result = 0;
  }
  jpeg_destroy_decompress(&cinfo);
  return result;
}

int buddy_jpeg_decode_buffer_into(const unsigned char *data, size_t size, int scale_denom,
                                  int strict, unsigned char *pixels, size_t capacity,
                                  buddy_jpeg_image *out) {
  memset(out, 0, sizeof(*out));
  if (!valid_scale(scale_denom)) {
    set_message(out->message, "scale must be 1, 2, 4 or 8");
    return -1;
  }
  if (data == NULL || size == 0) {
    set_message(out->message, "empty input");
    return -1;
  }
  if (size > (size_t)ULONG_MAX) {
    set_message(out->message, "input too large");
    return -1;
  }
  struct jpeg_decompress_struct cinfo;
  buddy_error_manager err;
  install_error_manager(&err, strict);
  cinfo.err = &err.pub;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    set_message(out->message, err.message);
    return -1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, data, (unsigned long)size);
  return decode(&cinfo, &err, scale_denom, pixels, capacity, out);
}

int buddy_jpeg_decode_file(const char *path, int scale_denom, int strict,
                           buddy_jpeg_image *out) {
  memset(out, 0, sizeof(*out));
  if (!valid_scale(scale_denom)) {
    set_message(out->message, "scale must be 1, 2, 4 or 8");
    return -1;
  }
  FILE *file = fopen(path, "rb");
  if (file == NULL) {
    set_message(out->message, "cannot open file");
    return -1;
  }
  struct jpeg_decompress_struct cinfo;
  buddy_error_manager err;
  install_error_manager(&err, strict);
  cinfo.err = &err.pub;
  if (setjmp(err.jump)) {
    jpeg_destroy_decompress(&cinfo);
    fclose(file);
    set_message(out->message, err.message);
    return -1;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_stdio_src(&cinfo, file);
  int result = decode(&cinfo, &err, scale_denom, NULL, 0, out);
  fclose(file);
  return result;
}

int buddy_jpeg_encode_rgb(const unsigned char *pixels, int width, int height, int quality,
                          unsigned char **jpeg, size_t *jpeg_size,
                          char message[BUDDY_JPEG_MESSAGE_CAPACITY]) {
  *jpeg = NULL;
  *jpeg_size = 0;
  message[0] = 0;
  if (pixels == NULL || width <= 0 || height <= 0 || width > 65500 || height > 65500) {
    set_message(message, "invalid image size");
    return -1;
  }
  struct jpeg_compress_struct cinfo;
  buddy_error_manager err;
  install_error_manager(&err, 1);
  cinfo.err = &err.pub;
  // Written after setjmp and read after longjmp: must be volatile.
  unsigned char *volatile buffer = NULL;
  unsigned long size = 0;
  if (setjmp(err.jump)) {
    jpeg_destroy_compress(&cinfo);
    free(buffer);
    set_message(message, err.message);
    return -1;
  }
  jpeg_create_compress(&cinfo);
  unsigned char *mem = NULL;
  jpeg_mem_dest(&cinfo, &mem, &size);
  cinfo.image_width = (JDIMENSION)width;
  cinfo.image_height = (JDIMENSION)height;
  cinfo.input_components = 3;
  cinfo.in_color_space = JCS_RGB;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, quality, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  size_t row_bytes = (size_t)width * 3;
  while (cinfo.next_scanline < cinfo.image_height) {
    JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * row_bytes);
    jpeg_write_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_compress(&cinfo);
  buffer = mem;
  jpeg_destroy_compress(&cinfo);
  *jpeg = buffer;
  *jpeg_size = (size_t)size;
  return 0;
}

void buddy_jpeg_free(void *pointer) { free(pointer); }
