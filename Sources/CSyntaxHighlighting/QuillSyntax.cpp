// KSyntaxHighlighting behind a C function: code in, HTML spans with Pygments' short class names out.
//
// Pitfalls this file exists to contain (measured): a Repository used by two threads at once crashes or gives wrong
// output, so each call leases one from a pool and no two calls share one; setting one up costs ~25 ms and each language
// ~2 ms more on first use, so the pool keeps them (as many as calls ever ran at once, not one per thread of a pool that
// may start many). The library's own HTML exporter writes inline styles, so an AbstractHighlighter subclass writes
// classes instead.

#include "QuillSyntax.h"

#include <ksyntaxhighlighting_version.h>

#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>
#include <QString>
#include <QStringView>

#include <climits>
#include <cstdlib>
#include <link.h>
#include <sys/stat.h>
#include <cstring>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

using namespace KSyntaxHighlighting;

namespace {

/// Lines longer than this are written as plain text: some definitions' regular expressions take time quadratic in a
/// line's length, and nobody reads a 20,000-character line's colours.
constexpr qsizetype longestHighlightedLine = 20000;

bool startsWith(QStringView text, const char *prefix) {
    qsizetype n = qsizetype(std::strlen(prefix));
    if (text.size() < n) return false;
    for (qsizetype i = 0; i < n; ++i)
        if (text[i].unicode() != char16_t(prefix[i])) return false;
    return true;
}

bool isDeclarationKeyword(QStringView word) {
    static const char *const words[] = {"class", "const", "def", "enum", "fn", "fun", "func", "function", "interface",
                                        "let", "protocol", "struct", "trait", "type", "typealias", "val", "var",
                                        "extension", "impl", "module", "package", "local", "my", "our", "lambda"};
    for (const char *w : words)
        if (word.size() == qsizetype(std::strlen(w)) && startsWith(word, w)) return true;
    return false;
}

/// How a format reads by its name, for the classes that the style alone does not tell.
enum class NameHint { none, interpolation, regex, heredoc, escape };

NameHint hintFromName(const QString &name) {
    QString lower = name.toLower();
    if (lower.contains(QLatin1String("interpol")) || lower.contains(QLatin1String("substitution")))
        return NameHint::interpolation;
    if (lower.contains(QLatin1String("regex")) || lower.contains(QLatin1String("regular expr")) ||
        lower.contains(QLatin1String("regexp")))
        return NameHint::regex;
    if (lower.contains(QLatin1String("heredoc")) || lower.contains(QLatin1String("here doc")) ||
        lower.contains(QLatin1String("here-doc")))
        return NameHint::heredoc;
    if (lower.contains(QLatin1String("escape"))) return NameHint::escape;
    return NameHint::none;
}

class SpanHighlighter final : public AbstractHighlighter {
public:
    std::string out;

    void run(const QString &text) {
        State state;
        QStringView all(text);
        qsizetype start = 0;
        commentOpen = false;
        lineNumber = 0;
        while (start <= all.size()) {
            qsizetype newline = all.indexOf(u'\n', start);
            qsizetype end = newline < 0 ? all.size() : newline;
            if (newline < 0 && start == all.size()) break;  // the text ended with its newline
            line = all.mid(start, end - start);
            cursor = 0;
            lastWasComment = false;
            if (line.size() > longestHighlightedLine) {
                appendEscaped(line);
            } else {
                state = highlightLine(line, state);
                if (cursor < line.size()) plain(line.mid(cursor));
                closeSpan();
            }
            commentOpen = lastWasComment && lastCommentWasMultiline;
            if (newline < 0) break;
            out.push_back('\n');
            start = newline + 1;
            ++lineNumber;
        }
    }

protected:
    void applyFormat(int offset, int length, const Format &format) override {
        if (length <= 0) return;
        if (offset > cursor) plain(line.mid(cursor, offset - cursor));
        QStringView token = line.mid(offset, length);
        cursor = offset + length;
        Theme::TextStyle style = format.textStyle();
        lastWasComment = false;
        if (style == Theme::Normal) {
            appendNormal(token);
            return;
        }
        const char *cls = classFor(style, format, token);
        if (!cls) {
            plain(token);
            return;
        }
        inSpan(cls, token);
    }

private:
    QStringView line;
    qsizetype cursor = 0;
    int lineNumber = 0;
    bool commentOpen = false;        // the previous line ended inside a multi-line comment
    bool lastWasComment = false;      // the last token of this line so far was a comment
    bool lastCommentWasMultiline = false;
    std::unordered_map<quint16, NameHint> hints;

    NameHint hintFor(const Format &format) {
        auto found = hints.find(format.id());
        if (found != hints.end()) return found->second;
        NameHint hint = hintFromName(format.name());
        hints.emplace(format.id(), hint);
        return hint;
    }

    const char *commentClass(QStringView token) {
        lastWasComment = true;
        if (lineNumber == 0 && cursor == token.size() && startsWith(token, "#!")) {
            lastCommentWasMultiline = false;
            return "ch";
        }
        if (startsWith(token, "\"\"\"") || startsWith(token, "'''")) {  // a Python docstring
            lastCommentWasMultiline = true;
            return "sd";
        }
        static const char *const multi[] = {"/*", "<!--", "(*", "{-", "--[[", "=begin", "%{"};
        for (const char *m : multi)
            if (startsWith(token, m)) {
                lastCommentWasMultiline = true;
                return "cm";
            }
        static const char *const single[] = {"//", "#", "--", ";", "%", "!", "'", "REM", "rem"};
        for (const char *s : single)
            if (startsWith(token, s)) {
                lastCommentWasMultiline = false;
                return "c1";
            }
        if (commentOpen) {
            lastCommentWasMultiline = true;
            return "cm";
        }
        return "c";
    }

    const char *classFor(Theme::TextStyle style, const Format &format, QStringView token) {
        switch (style) {
        case Theme::Normal: return nullptr;
        case Theme::Keyword: return isDeclarationKeyword(token) ? "kd" : "k";
        case Theme::ControlFlow: return "k";
        case Theme::Function: return "nf";
        case Theme::Variable: return "nv";
        case Theme::Operator: return "o";
        case Theme::BuiltIn: return "nb";
        case Theme::Extension: return "nx";
        case Theme::Preprocessor: return "cp";
        case Theme::Attribute: return "nd";
        case Theme::Char: return "sc";
        case Theme::SpecialChar: return hintFor(format) == NameHint::interpolation ? "si" : "se";
        case Theme::String:
            switch (hintFor(format)) {
            case NameHint::interpolation: return "si";
            case NameHint::regex: return "sr";
            case NameHint::heredoc: return "sh";
            case NameHint::escape: return "se";
            default: break;
            }
            if (startsWith(token, "\"")) return "s2";
            if (startsWith(token, "'")) return "s1";
            if (startsWith(token, "`")) return "sb";
            return "s";
        case Theme::VerbatimString: return hintFor(format) == NameHint::heredoc ? "sh" : "s";
        case Theme::SpecialString:
            switch (hintFor(format)) {
            case NameHint::interpolation: return "si";
            case NameHint::escape: return "se";
            case NameHint::heredoc: return "sh";
            case NameHint::regex: return "sr";
            default: break;
            }
            if (startsWith(token, "/")) return "sr";
            if (startsWith(token, "\"")) return "s2";
            if (startsWith(token, "'")) return "s1";
            return "sa";  // a string's prefix or other special text (f'…', r"…", b"…")
        case Theme::Import: return "kn";
        case Theme::DataType: return "kt";
        case Theme::DecVal: return "mi";
        case Theme::BaseN:
            if (startsWith(token, "0x") || startsWith(token, "0X") || startsWith(token, "#")) return "mh";
            if (startsWith(token, "0b") || startsWith(token, "0B")) return "mb";
            return "mo";
        case Theme::Float: return "mf";
        case Theme::Constant: return "kc";
        case Theme::Comment: return commentClass(token);
        case Theme::Documentation:
            if (startsWith(token, "\"") || startsWith(token, "'")) return "sd";
            lastWasComment = true;
            lastCommentWasMultiline = startsWith(token, "/*");
            return "cs";
        case Theme::Annotation:
        case Theme::CommentVar:
        case Theme::RegionMarker:
        case Theme::Information:
        case Theme::Warning:
        case Theme::Alert: return "cs";
        case Theme::Error: return "err";
        case Theme::Others: return "x";
        }
        return nullptr;
    }

    /// Normal text, with runs of brackets and separators marked as punctuation (`p`) as Pygments marks them.
    void appendNormal(QStringView token) {
        qsizetype i = 0;
        while (i < token.size()) {
            qsizetype j = i;
            bool punctuation = isPunctuation(token[i].unicode());
            while (j < token.size() && isPunctuation(token[j].unicode()) == punctuation) ++j;
            if (punctuation) {
                inSpan("p", token.mid(i, j - i));
            } else {
                plain(token.mid(i, j - i));
            }
            i = j;
        }
    }

    /// The class of the span left open, so that adjacent tokens of one class share a span (`<span class="p">));`
    /// rather than three); every span is closed before a line ends.
    const char *openClass = nullptr;

    void inSpan(const char *cls, QStringView text) {
        if (!openClass || std::strcmp(openClass, cls) != 0) {
            closeSpan();
            out.append("<span class=\"");
            out.append(cls);
            out.append("\">");
            openClass = cls;
        }
        appendEscaped(text);
    }

    void plain(QStringView text) {
        closeSpan();
        appendEscaped(text);
    }

    void closeSpan() {
        if (openClass) out.append("</span>");
        openClass = nullptr;
    }

    static bool isPunctuation(char16_t c) {
        switch (c) {
        case u'(': case u')': case u'[': case u']': case u'{': case u'}': case u',': case u';': return true;
        default: return false;
        }
    }

    /// UTF-16 → UTF-8, escaping exactly what cmark-gfm escapes in code: & < > ".
    void appendEscaped(QStringView text) {
        const QChar *p = text.data();
        qsizetype n = text.size();
        for (qsizetype i = 0; i < n; ++i) {
            char32_t c = p[i].unicode();
            if (c < 0x80) {
                switch (c) {
                case '&': out.append("&amp;"); break;
                case '<': out.append("&lt;"); break;
                case '>': out.append("&gt;"); break;
                case '"': out.append("&quot;"); break;
                default: out.push_back(char(c));
                }
                continue;
            }
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < n) {
                char32_t low = p[i + 1].unicode();
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                    ++i;
                }
            }
            if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;  // a lone surrogate (cannot come from valid UTF-8)
            if (c < 0x800) {
                out.push_back(char(0xC0 | (c >> 6)));
                out.push_back(char(0x80 | (c & 0x3F)));
            } else if (c < 0x10000) {
                out.push_back(char(0xE0 | (c >> 12)));
                out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
                out.push_back(char(0x80 | (c & 0x3F)));
            } else {
                out.push_back(char(0xF0 | (c >> 18)));
                out.push_back(char(0x80 | ((c >> 12) & 0x3F)));
                out.push_back(char(0x80 | ((c >> 6) & 0x3F)));
                out.push_back(char(0x80 | (c & 0x3F)));
            }
        }
    }
};

/// One per call running at once (see Lease): the definitions, a name index, and the highlighter.
struct PooledRepository {
    Repository repository;
    std::unordered_map<std::string, Definition> byName;  // lower-cased names, filled as names are asked for
    std::unordered_map<std::string, std::string> nameCopies;
    SpanHighlighter highlighter;
    Theme theme;

    explicit PooledRepository(const char *searchPath) {
        if (searchPath && *searchPath) {
            repository.addCustomSearchPath(QString::fromUtf8(searchPath));
        }
        theme = repository.defaultTheme(Repository::LightTheme);
        highlighter.setTheme(theme);
    }

    Definition find(const char *language) {
        std::string key(language);
        for (char &c : key) c = char(std::tolower(static_cast<unsigned char>(c)));
        auto found = byName.find(key);
        if (found != byName.end()) return found->second;
        Definition definition;
        QString name = QString::fromStdString(key);
        if (key.find('.') != std::string::npos) {
            definition = repository.definitionForFileName(name);
        } else {
            for (const Definition &candidate : repository.definitions()) {
                if (candidate.name().compare(name, Qt::CaseInsensitive) == 0) {
                    definition = candidate;
                    break;
                }
            }
        }
        byName.emplace(key, definition);
        return definition;
    }

    const char *nameOf(const Definition &definition) {
        std::string name = definition.name().toStdString();
        auto found = nameCopies.find(name);
        if (found == nameCopies.end()) found = nameCopies.emplace(name, name).first;
        return found->second.c_str();
    }
};

/// The repositories not in use. A call takes one (or makes one) and gives it back: no repository is ever used by two
/// threads at once, and the mutex orders one thread's use before the next's.
std::mutex poolLock;
std::vector<std::unique_ptr<PooledRepository>> idle;

struct Lease {
    std::unique_ptr<PooledRepository> repository;

    explicit Lease(const char *searchPath) {
        {
            std::lock_guard<std::mutex> hold(poolLock);
            if (!idle.empty()) {
                repository = std::move(idle.back());
                idle.pop_back();
            }
        }
        if (!repository) repository = std::make_unique<PooledRepository>(searchPath);
    }

    ~Lease() {
        std::lock_guard<std::mutex> hold(poolLock);
        idle.push_back(std::move(repository));
    }

    PooledRepository *operator->() { return repository.get(); }
    PooledRepository &operator*() { return *repository; }
};

}  // namespace

extern "C" quill_syntax_result quill_syntax_highlight(const char *language, const char *code, size_t length,
                                                      const char *searchPath) {
    quill_syntax_result result{QUILL_SYNTAX_FAILED, nullptr, 0, "no language"};
    if (!language || !code) return result;
    try {
        // The failure path end to end (C++ exception → plain text and a warning at file:line), for Quill's tests.
        if (std::strcmp(language, "quill-test-failure") == 0) throw std::runtime_error("a failure the test asked for");
        Lease lease(searchPath);
        PooledRepository &thread = *lease;
        Definition definition = thread.find(language);
        if (!definition.isValid()) {
            result.status = QUILL_SYNTAX_UNKNOWN_LANGUAGE;
            result.detail = nullptr;
            return result;
        }
        SpanHighlighter &highlighter = thread.highlighter;
        if (highlighter.definition() != definition) highlighter.setDefinition(definition);
        highlighter.out.clear();
        highlighter.out.reserve(length * 3 + 64);
        highlighter.run(QString::fromUtf8(code, qsizetype(length)));
        char *html = static_cast<char *>(std::malloc(highlighter.out.size() + 1));
        if (!html) {
            result.detail = "out of memory";
            return result;
        }
        std::memcpy(html, highlighter.out.data(), highlighter.out.size());
        html[highlighter.out.size()] = 0;
        result.status = QUILL_SYNTAX_OK;
        result.html = html;
        result.length = highlighter.out.size();
        result.detail = thread.nameOf(definition);
        if (highlighter.out.capacity() > (size_t(1) << 22)) std::string().swap(highlighter.out);
        return result;
    } catch (const std::exception &error) {
        thread_local std::string message;
        message = error.what();
        result.detail = message.c_str();
        return result;
    } catch (...) {
        result.detail = "the highlighter failed";
        return result;
    }
}

extern "C" int quill_syntax_knows(const char *language, const char *searchPath) {
    if (!language) return 0;
    try {
        Lease lease(searchPath);
        return lease->find(language).isValid() ? 1 : 0;
    } catch (...) {
        return 0;
    }
}

extern "C" void quill_syntax_free(char *html) { std::free(html); }

extern "C" const char *quill_syntax_library_identity(void) {
    static const std::string identity = [] {
        std::string found;
        dl_iterate_phdr(
            [](struct dl_phdr_info *info, size_t, void *data) -> int {
                if (info->dlpi_name && std::strstr(info->dlpi_name, "KF5SyntaxHighlighting")) {
                    *static_cast<std::string *>(data) = info->dlpi_name;
                    return 1;
                }
                return 0;
            },
            &found);
        std::string text = std::string("KF5SyntaxHighlighting ") + SyntaxHighlighting_VERSION_STRING;
        if (!found.empty()) {
            char resolved[PATH_MAX];
            if (realpath(found.c_str(), resolved)) found = resolved;
            struct stat info;
            text += " " + found;
            if (stat(found.c_str(), &info) == 0)
                text += " " + std::to_string(info.st_size) + " " + std::to_string(info.st_mtim.tv_sec);
        }
        return text;
    }();
    return identity.c_str();
}

extern "C" int quill_syntax_definition_count(const char *searchPath) {
    try {
        Lease lease(searchPath);
        return int(lease->repository.definitions().size());
    } catch (...) {
        return 0;
    }
}

extern "C" const char *quill_syntax_definition_name(int index, const char *searchPath) {
    try {
        Lease lease(searchPath);
        PooledRepository &thread = *lease;
        const auto definitions = thread.repository.definitions();
        if (index < 0 || index >= definitions.size()) return nullptr;
        return thread.nameOf(definitions[index]);
    } catch (...) {
        return nullptr;
    }
}
