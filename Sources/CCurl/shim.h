// libcurl for Quill's `quill check --external`, loaded on first use.
//
// Linked, libcurl (or Foundation's URLSession, which is built on it) brings some twenty shared libraries (TLS,
// HTTP/2, IDN, LDAP, Kerberos) that the dynamic loader maps at every start of quill: 15 ms of a no-op build's
// 80–110. So this module links nothing; quill_curl_start() opens libcurl.so.4 (Debian's libcurl4, which the Swift
// toolchain itself needs) the first time an external link is checked. The few functions and constants Quill uses
// are declared here as curl.h has them (stable since libcurl 7), so no curl header is needed. Swift cannot call
// libcurl's variadic curl_easy_setopt/getinfo: quill_curl_probe below does. Only QuillCore's HTTPProbe imports it.
#include <dlfcn.h>
#include <stddef.h>
#include <string.h>

typedef struct {
    int (*global_init)(long flags);
    void *(*easy_init)(void);
    int (*easy_setopt)(void *curl, int option, ...);
    int (*easy_perform)(void *curl);
    int (*easy_getinfo)(void *curl, int info, ...);
    void (*easy_cleanup)(void *curl);
    const char *(*easy_strerror)(int code);
} QuillCurlAPI;

enum {
    QUILL_CURLOPT_TIMEOUT = 13, QUILL_CURLOPT_NOBODY = 44, QUILL_CURLOPT_FOLLOWLOCATION = 52,
    QUILL_CURLOPT_CONNECTTIMEOUT = 78, QUILL_CURLOPT_HTTPGET = 80, QUILL_CURLOPT_NOSIGNAL = 99,
    QUILL_CURLOPT_URL = 10002, QUILL_CURLOPT_USERAGENT = 10018, QUILL_CURLOPT_WRITEFUNCTION = 20011,
    QUILL_CURLINFO_RESPONSE_CODE = 0x200000 + 2, QUILL_CURLINFO_REDIRECT_URL = 0x100000 + 31,
    QUILL_CURL_GLOBAL_ALL = 3,
};

/// libcurl's errors that a link check tells apart.
enum {
    QUILL_CURLE_OK = 0, QUILL_CURLE_COULDNT_RESOLVE_HOST = 6, QUILL_CURLE_COULDNT_CONNECT = 7,
    QUILL_CURLE_WRITE_ERROR = 23, QUILL_CURLE_OPERATION_TIMEDOUT = 28, QUILL_CURLE_SSL_CONNECT_ERROR = 35,
    QUILL_CURLE_GOT_NOTHING = 52, QUILL_CURLE_RECV_ERROR = 56, QUILL_CURLE_PEER_FAILED_VERIFICATION = 60,
};

/// Loads libcurl and initialises it, filling `api`; 0 on success, else -1 with the reason in `why`. Call it once,
/// before any other thread uses libcurl (Quill calls it from a Swift `static let`).
static inline int quill_curl_start(QuillCurlAPI *api, const char **why) {
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) lib = dlopen("libcurl-gnutls.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        *why = dlerror();
        return -1;
    }
#define QUILL_FIND(field, name) \
    if (!(*(void **)&api->field = dlsym(lib, name))) { *why = "libcurl lacks " name; return -1; }
    QUILL_FIND(global_init, "curl_global_init")
    QUILL_FIND(easy_init, "curl_easy_init")
    QUILL_FIND(easy_setopt, "curl_easy_setopt")
    QUILL_FIND(easy_perform, "curl_easy_perform")
    QUILL_FIND(easy_getinfo, "curl_easy_getinfo")
    QUILL_FIND(easy_cleanup, "curl_easy_cleanup")
    QUILL_FIND(easy_strerror, "curl_easy_strerror")
#undef QUILL_FIND
    if (api->global_init(QUILL_CURL_GLOBAL_ALL) != 0) {
        *why = "curl_global_init failed";
        return -1;
    }
    return 0;
}

/// A body is not read: the status line and headers are the answer (libcurl then ends with CURLE_WRITE_ERROR).
static size_t quill_curl_no_body(char *data, size_t size, size_t count, void *user) {
    (void)data; (void)user;
    return 0;
}

/// Asks `url` once (`head`: HEAD, else GET), without following a redirect, waiting `seconds` at most; the status
/// goes to `status` (0 without one) and a redirect's target, if any, to `location` (cut to `capacity`). Returns
/// libcurl's error code: 0, or CURLE_WRITE_ERROR once a GET's status is in, count as answers.
static inline int quill_curl_probe(const QuillCurlAPI *api, const char *url, int head, long seconds,
                                   const char *agent, long *status, char *location, size_t capacity) {
    *status = 0;
    if (capacity > 0) location[0] = 0;
    void *curl = api->easy_init();
    if (!curl) return -1;
    api->easy_setopt(curl, QUILL_CURLOPT_URL, url);
    api->easy_setopt(curl, QUILL_CURLOPT_NOSIGNAL, 1L);
    api->easy_setopt(curl, QUILL_CURLOPT_FOLLOWLOCATION, 0L);
    api->easy_setopt(curl, QUILL_CURLOPT_TIMEOUT, seconds);
    api->easy_setopt(curl, QUILL_CURLOPT_CONNECTTIMEOUT, seconds);
    api->easy_setopt(curl, QUILL_CURLOPT_USERAGENT, agent);
    if (head) {
        api->easy_setopt(curl, QUILL_CURLOPT_NOBODY, 1L);
    } else {
        api->easy_setopt(curl, QUILL_CURLOPT_HTTPGET, 1L);
        api->easy_setopt(curl, QUILL_CURLOPT_WRITEFUNCTION, quill_curl_no_body);
    }
    int code = api->easy_perform(curl);
    api->easy_getinfo(curl, QUILL_CURLINFO_RESPONSE_CODE, status);
    char *redirect = NULL;
    if (api->easy_getinfo(curl, QUILL_CURLINFO_REDIRECT_URL, &redirect) == 0 && redirect && capacity > 0) {
        strncpy(location, redirect, capacity - 1);
        location[capacity - 1] = 0;
    }
    api->easy_cleanup(curl);
    return code;
}
