// libvips for Quill: the library's C API, plus a few fixed-argument wrappers, because Swift cannot call its
// variadic functions (vips_thumbnail_buffer(buf, len, &out, width, "height", h, ..., NULL)). Only QuillImages
// imports this module.
#include <stdlib.h>
#include <vips/vips.h>

/// Starts libvips once for the process. Quill resizes one image per core itself, so libvips gets one worker thread
/// per call and no operation cache (every image is seen once); loaders outside libvips' fuzzed core (ImageMagick,
/// PDF, …) are blocked, so a file that claims to be a JPEG can only ever reach the JPEG decoder.
static inline int quill_vips_start(void) {
    setenv("VIPS_WARNING", "0", 0);
    if (VIPS_INIT("quill")) return -1;
    vips_cache_set_max(0);
    vips_concurrency_set(1);
    vips_block_untrusted_set(TRUE);
    return 0;
}

/// The image in `buf` decoded at `width` pixels wide (never larger than it is: VIPS_SIZE_DOWN), upright (EXIF
/// orientation applied), in sRGB when it carries a colour profile, in memory so that several variants can be cut
/// from it. JPEG and WebP decode at a reduced size directly ("shrink on load"). 0 on success.
static inline int quill_vips_base(const void *buf, size_t len, int width, VipsImage **out) {
    VipsImage *lazy = NULL;
    if (vips_thumbnail_buffer((void *)buf, len, &lazy, width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN,
                              "export_profile", "srgb", NULL))
        return -1;
    *out = vips_image_copy_memory(lazy);
    g_object_unref(lazy);
    return *out ? 0 : -1;
}

/// `in` reduced to `width` pixels wide.
static inline int quill_vips_resize(VipsImage *in, int width, VipsImage **out) {
    return vips_thumbnail_image(in, out, width, "height", VIPS_MAX_COORD, "size", VIPS_SIZE_DOWN, NULL);
}

/// Encoders: no metadata (`strip`), deterministic for the same pixels. The buffer is freed with g_free.
static inline int quill_vips_jpeg(VipsImage *in, int quality, void **buf, size_t *len) {
    return vips_jpegsave_buffer(in, buf, len, "Q", quality, "strip", TRUE, "optimize_coding", TRUE,
                                "interlace", TRUE, NULL);
}
/// libvips 8.14's WebP writer ignores `strip`: the profile and metadata are taken off a copy of the image's header
/// first (the pixels are shared, not copied); the EXIF block it still makes up (orientation and resolution only)
/// is removed by QuillImages' MetadataStripper.
static inline int quill_vips_webp(VipsImage *in, int quality, void **buf, size_t *len) {
    VipsImage *bare = NULL;
    if (vips_copy(in, &bare, NULL)) return -1;
    vips_image_remove(bare, VIPS_META_ICC_NAME);
    vips_image_remove(bare, VIPS_META_EXIF_NAME);
    vips_image_remove(bare, VIPS_META_XMP_NAME);
    vips_image_remove(bare, VIPS_META_IPTC_NAME);
    int status = vips_webpsave_buffer(bare, buf, len, "Q", quality, "strip", TRUE, NULL);
    g_object_unref(bare);
    return status;
}
static inline int quill_vips_png(VipsImage *in, void **buf, size_t *len) {
    return vips_pngsave_buffer(in, buf, len, "strip", TRUE, "compression", 6, NULL);
}

static inline int quill_vips_width(VipsImage *image) { return vips_image_get_width(image); }
static inline int quill_vips_height(VipsImage *image) { return vips_image_get_height(image); }
static inline void quill_vips_unref(VipsImage *image) { g_object_unref(image); }
static inline void quill_vips_free(void *buf) { g_free(buf); }
