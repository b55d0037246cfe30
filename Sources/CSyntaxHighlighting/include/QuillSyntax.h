#ifndef QUILL_SYNTAX_H
#define QUILL_SYNTAX_H

// The C face of KSyntaxHighlighting (C++ and Qt5), the only code that touches it. Safe to call from any number of
// threads: a call uses a definitions repository no other call is using (kept in a pool).

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    QUILL_SYNTAX_OK = 0,
    QUILL_SYNTAX_UNKNOWN_LANGUAGE = 1,
    QUILL_SYNTAX_FAILED = 2,
} quill_syntax_status;

typedef struct {
    quill_syntax_status status;
    /// The code as HTML (malloc'd, NUL-terminated; NULL unless status is OK): text escaped as cmark-gfm escapes it
    /// (& < > "), tokens in <span class="…"> with Pygments' short class names. Every span closes before a newline, so
    /// line i of the code is line i of the HTML.
    char *html;
    size_t length;
    /// The definition's name (static storage for the life of the thread), or a message when status is FAILED.
    const char *detail;
} quill_syntax_result;

/// Highlights `length` bytes of UTF-8 `code` as `language` (a definition name, any case, or a file name such as
/// "x.py"). `search_path` (may be NULL) is a folder whose `syntax/` definitions override the built-in ones; it is
/// read when a repository is made, so every call should pass the same.
quill_syntax_result quill_syntax_highlight(const char *language, const char *code, size_t length,
                                           const char *search_path);

/// True when `language` names a definition (same lookup as quill_syntax_highlight).
int quill_syntax_knows(const char *language, const char *search_path);

void quill_syntax_free(char *html);

/// Which KSyntaxHighlighting this process runs (its built-in definitions are compiled into it): the version it was
/// built against, and the loaded library's real path, size and modification time. Cheap: no definitions are read.
const char *quill_syntax_library_identity(void);

/// How many definitions there are, and the name of the one at `index` (static storage for the life of the thread;
/// NULL when out of range), for listing them.
int quill_syntax_definition_count(const char *search_path);
const char *quill_syntax_definition_name(int index, const char *search_path);

#ifdef __cplusplus
}
#endif

#endif
