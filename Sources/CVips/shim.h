// libvips for Quill, loaded on first use.
//
// libvips pulls in some seventy shared libraries (GLib, librsvg, poppler's siblings, codecs) that the dynamic loader
// would map at every start of quill, images or not: 35–40 ms of a no-op build's 80–200. So this module links
// nothing; quill_vips_start() opens libvips.so.42 (Debian's libvips42, installed with libvips-dev) the first time a
// picture is resized, and finds the dozen functions Quill calls. They are declared here, as libvips 8.x's C API has
// them (stable since 8.0), so that no GLib header is needed either. Swift cannot call libvips' variadic functions
// (vips_thumbnail_buffer(buf, len, &out, width, "height", h, ..., NULL)): the fixed-argument wrappers below do.
// Only QuillImages imports this module.
#include <dlfcn.h>
#include <stddef.h>
#include <stdlib.h>

typedef struct _VipsImage VipsImage;

typedef struct {
    int (*init)(const char *argv0);
    void (*cache_set_max)(int max);
    void (*concurrency_set)(int concurrency);
    void (*block_untrusted_set)(int state);
    int (*thumbnail_buffer)(void *buf, size_t len, VipsImage **out, int width, ...);
    int (*thumbnail_image)(VipsImage *in, VipsImage **out, int width, ...);
    VipsImage *(*image_copy_memory)(VipsImage *image);
    int (*copy)(VipsImage *in, VipsImage **out, ...);
    int (*image_remove)(VipsImage *image, const char *name);
    int (*jpegsave_buffer)(VipsImage *in, void **buf, size_t *len, ...);
    int (*webpsave_buffer)(VipsImage *in, void **buf, size_t *len, ...);
    int (*pngsave_buffer)(VipsImage *in, void **buf, size_t *len, ...);
    int (*image_get_width)(const VipsImage *image);
    int (*image_get_height)(const VipsImage *image);
    char *(*error_buffer_copy)(void);
    void (*object_unref)(void *object);
    void (*free)(void *memory);
} QuillVipsAPI;

enum { QUILL_VIPS_SIZE_DOWN = 2, QUILL_VIPS_MAX_COORD = 10000000 };

/// Loads and starts libvips, filling `api` (which every other call here takes; the caller keeps it: no state lives
/// in this header, whose static functions each Swift file gets a copy of); 0 on success, else -1 with the reason in
/// `why` (dlerror's text). Call it once (Quill calls it from a Swift `static let`). Quill resizes one image per core itself, so libvips gets one worker thread
/// per call and no operation cache (every image is seen once); loaders outside libvips' fuzzed core (ImageMagick,
/// PDF, …) are blocked, so a file that claims to be a JPEG can only ever reach the JPEG decoder.
static inline int quill_vips_start(QuillVipsAPI *api, const char **why) {
    setenv("VIPS_WARNING", "0", 0);
    void *lib = dlopen("libvips.so.42", RTLD_NOW | RTLD_GLOBAL);
    if (!lib) lib = dlopen("libvips.so", RTLD_NOW | RTLD_GLOBAL);
    if (!lib) {
        *why = dlerror();
        return -1;
    }
#define QUILL_FIND(field, name) \
    if (!(*(void **)&api->field = dlsym(lib, name))) { *why = "libvips lacks " name; return -1; }
    QUILL_FIND(init, "vips_init")
    QUILL_FIND(cache_set_max, "vips_cache_set_max")
    QUILL_FIND(concurrency_set, "vips_concurrency_set")
    QUILL_FIND(thumbnail_buffer, "vips_thumbnail_buffer")
    QUILL_FIND(thumbnail_image, "vips_thumbnail_image")
    QUILL_FIND(image_copy_memory, "vips_image_copy_memory")
    QUILL_FIND(copy, "vips_copy")
    QUILL_FIND(image_remove, "vips_image_remove")
    QUILL_FIND(jpegsave_buffer, "vips_jpegsave_buffer")
    QUILL_FIND(webpsave_buffer, "vips_webpsave_buffer")
    QUILL_FIND(pngsave_buffer, "vips_pngsave_buffer")
    QUILL_FIND(image_get_width, "vips_image_get_width")
    QUILL_FIND(image_get_height, "vips_image_get_height")
    QUILL_FIND(error_buffer_copy, "vips_error_buffer_copy")
    QUILL_FIND(object_unref, "g_object_unref")
    QUILL_FIND(free, "g_free")
#undef QUILL_FIND
    *(void **)&api->block_untrusted_set = dlsym(lib, "vips_block_untrusted_set");  // libvips 8.13 and later
    if (api->init("quill")) {
        *why = "vips_init failed";
        return -1;
    }
    api->cache_set_max(0);
    api->concurrency_set(1);
    if (api->block_untrusted_set) api->block_untrusted_set(1);
    return 0;
}

/// The image in `buf` decoded at `width` pixels wide (never larger than it is), upright (EXIF orientation applied),
/// in sRGB when it carries a colour profile, in memory so that several copies can be cut from it. JPEG and WebP
/// decode at a reduced size directly ("shrink on load"). 0 on success.
static inline int quill_vips_base(const QuillVipsAPI *api, const void *buf, size_t len, int width, VipsImage **out) {
    VipsImage *lazy = NULL;
    if (api->thumbnail_buffer((void *)buf, len, &lazy, width, "height", (int)QUILL_VIPS_MAX_COORD, "size",
                              (int)QUILL_VIPS_SIZE_DOWN, "export_profile", "srgb", NULL))
        return -1;
    *out = api->image_copy_memory(lazy);
    api->object_unref(lazy);
    return *out ? 0 : -1;
}

/// `in` reduced to `width` pixels wide.
static inline int quill_vips_resize(const QuillVipsAPI *api, VipsImage *in, int width, VipsImage **out) {
    return api->thumbnail_image(in, out, width, "height", (int)QUILL_VIPS_MAX_COORD, "size",
                                         (int)QUILL_VIPS_SIZE_DOWN, NULL);
}

/// Encoders: no metadata (`strip`), deterministic for the same pixels. The buffer is freed with quill_vips_free.
static inline int quill_vips_jpeg(const QuillVipsAPI *api, VipsImage *in, int quality, void **buf, size_t *len) {
    return api->jpegsave_buffer(in, buf, len, "Q", quality, "strip", 1, "optimize_coding", 1,
                                         "interlace", 1, NULL);
}

/// libvips 8.14's WebP writer ignores `strip`: the profile and metadata are taken off a copy of the image's header
/// first (the pixels are shared, not copied); the EXIF block it still makes up (orientation and resolution only)
/// is removed by QuillImages' MetadataStripper.
static inline int quill_vips_webp(const QuillVipsAPI *api, VipsImage *in, int quality, void **buf, size_t *len) {
    VipsImage *bare = NULL;
    if (api->copy(in, &bare, NULL)) return -1;
    api->image_remove(bare, "icc-profile-data");
    api->image_remove(bare, "exif-data");
    api->image_remove(bare, "xmp-data");
    api->image_remove(bare, "iptc-data");
    // Effort 2 of 0–6 (libvips' default is 4): 45% less time for files 4% larger, measured on photos at 1600 px;
    // WebP copies are most of a cold build with pictures.
    int status = api->webpsave_buffer(bare, buf, len, "Q", quality, "strip", 1, "effort", 2, NULL);
    api->object_unref(bare);
    return status;
}

static inline int quill_vips_png(const QuillVipsAPI *api, VipsImage *in, void **buf, size_t *len) {
    return api->pngsave_buffer(in, buf, len, "strip", 1, "compression", 6, NULL);
}

static inline int quill_vips_width(const QuillVipsAPI *api, VipsImage *image) { return api->image_get_width(image); }
static inline int quill_vips_height(const QuillVipsAPI *api, VipsImage *image) { return api->image_get_height(image); }
static inline void quill_vips_unref(const QuillVipsAPI *api, VipsImage *image) { api->object_unref(image); }
static inline void quill_vips_free(const QuillVipsAPI *api, void *buf) { api->free(buf); }
/// libvips' error text since the last call, cleared; free it with quill_vips_free.
static inline char *quill_vips_error(const QuillVipsAPI *api) { return api->error_buffer_copy(); }
