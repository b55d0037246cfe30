/// Small programs in the languages bloggers write about, each with keywords, strings, comments and numbers, and
/// the characters that escaping and line handling get wrong: tabs, trailing spaces, blank lines, `<&>"`, Unicode.
enum Samples {
    static let byLanguage: [(language: String, code: String)] = [
        ("python", "def greet(name: str) -> str:\n\t\"\"\"Say hi.\"\"\"  \n\n    return f'héllo {name} <&>' + \"x\" # done\n"),
        ("py", "import os\nx = [1, 2.5, 0x1F]  # list\nprint(x)\n"),
        ("rust", "fn main() {\n    let s = \"a\\\"b\"; // c\n    println!(\"{}\", s.len() + 0x1F);\n}\n"),
        ("go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"héllo\", 42) // 🎉\n}\n"),
        ("bash", "#!/bin/bash\nfor f in *.md; do\n  echo \"$f\" > /dev/null  # loop\ndone\n"),
        ("console", "$ quill build --output public\n19 pages <built>\n"),
        ("yaml", "title: \"Hello\"\ntags: [a, b]\ncount: 3 # n\n"),
        ("json", "{\"a\": [1, 2.5, true, null], \"b\": \"<&>\"}\n"),
        ("javascript", "const f = (x) => `t ${x}`; // arrow\nif (a < b && c > d) { return /re+/g.test(s); }\n"),
        ("ts", "interface A { x: number }\nlet a: A = { x: 1 };\n"),
        ("toml", "[site]\ntitle = \"Quill\"\nposts = 10 # per page\n"),
        ("ruby", "class Foo < Bar\n  def hi(x) = \"hi #{x}\"\nend # ok\n"),
        ("sql", "SELECT id, name FROM users WHERE age > 21 AND name <> 'x'; -- adults\n"),
        ("html", "<!DOCTYPE html>\n<p class=\"x\">a &amp; b</p><!-- c -->\n"),
        ("xml", "<?xml version=\"1.0\"?>\n<a href=\"x\">t</a>\n"),
        ("diff", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n"),
        ("make", "all: quill\n\tswift build -c release # build\n"),
        ("puppet", "class nginx {\n  package { 'nginx': ensure => installed }\n}\n"),
        ("ada", "with Ada.Text_IO; use Ada.Text_IO;\nprocedure Hello is\nbegin\n   Put_Line (\"Hi\"); -- c\nend Hello;\n"),
        ("groovy", "def s = \"x ${y}\"\nprintln s // c\n"),
        ("c", "#include <stdio.h>\nint main(void) { printf(\"%d\\n\", 1 << 3); /* c */ }\n"),
        ("c++", "template <typename T> T f(T x) { return x; } // c\n"),
        ("swift", "let x = \"a \\(b) c\" // s\nfunc f(_ a: Int) -> String { #\"raw \\(n)\"# }\n"),
        ("java", "public class A { static int x = 1; } // c\n"),
        ("css", "a:hover { color: #fff; margin: 0 1em; } /* c */\n"),
        ("dockerfile", "FROM swift:6\nRUN apt-get update && apt-get install -y libcmark-gfm-dev\n"),
        ("kotlin", "fun main() { val x = \"a\"; println(x) }\n"),
        ("csharp", "class A { string s = \"x\"; } // c\n"),
    ]
}
