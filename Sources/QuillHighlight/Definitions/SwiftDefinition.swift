// Edit the XML here. Quill's own syntax definitions, for languages whose built-in
// definition is wrong; CustomDefinitions writes them where KSyntaxHighlighting reads them.

extension CustomDefinitions {
    /// File name → definition XML.
    static let files: [(name: String, xml: String)] = [
        ("swift.xml", swift),
    ]

    static let swift = ###"""
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE language>
<!-- Quill's Swift definition, replacing KSyntaxHighlighting's (version 1), which reads Swift as Kotlin: it marks every
     string interpolation `\(…)` as an error, knows `$x` interpolation instead, and has no raw strings or regex
     literals. Written for Quill (MIT, as Quill). Tested in Tests/QuillHighlightTests/SwiftDefinitionTests.swift. -->
<language name="Swift" version="100" kateversion="5.62" section="Sources" extensions="*.swift" license="MIT"
          author="Quill" style="cstyle" indenter="cstyle">
  <highlighting>
    <list name="declarations">
      <item>associatedtype</item><item>actor</item><item>class</item><item>deinit</item><item>enum</item>
      <item>extension</item><item>func</item><item>import</item><item>init</item><item>let</item><item>macro</item>
      <item>operator</item><item>precedencegroup</item><item>protocol</item><item>struct</item><item>subscript</item>
      <item>typealias</item><item>var</item><item>case</item>
    </list>
    <list name="keywords">
      <item>public</item><item>private</item><item>fileprivate</item><item>internal</item><item>open</item>
      <item>package</item><item>static</item><item>final</item><item>override</item><item>mutating</item>
      <item>nonmutating</item><item>lazy</item><item>weak</item><item>unowned</item><item>required</item>
      <item>convenience</item><item>dynamic</item><item>optional</item><item>indirect</item><item>nonisolated</item>
      <item>isolated</item><item>consuming</item><item>borrowing</item><item>consume</item><item>copy</item>
      <item>inout</item><item>some</item><item>any</item><item>async</item><item>await</item><item>throws</item>
      <item>rethrows</item><item>try</item><item>is</item><item>as</item><item>get</item><item>set</item>
      <item>willSet</item><item>didSet</item><item>where</item><item>in</item><item>infix</item><item>prefix</item>
      <item>postfix</item><item>left</item><item>right</item><item>none</item><item>sending</item>
      <item>each</item><item>repeat</item><item>discard</item>
    </list>
    <list name="controlflow">
      <item>if</item><item>else</item><item>guard</item><item>switch</item><item>default</item><item>for</item>
      <item>while</item><item>do</item><item>return</item><item>break</item><item>continue</item>
      <item>fallthrough</item><item>throw</item><item>catch</item><item>defer</item><item>yield</item>
    </list>
    <list name="constants">
      <item>true</item><item>false</item><item>nil</item>
    </list>
    <list name="builtins">
      <item>self</item><item>Self</item><item>super</item>
    </list>
    <contexts>
      <context name="Normal" attribute="Normal Text" lineEndContext="#stay">
        <DetectSpaces/>
        <StringDetect attribute="Documentation" context="DocComment" String="///"/>
        <Detect2Chars attribute="Comment" context="LineComment" char="/" char1="/"/>
        <Detect2Chars attribute="Comment" context="BlockComment" char="/" char1="*" beginRegion="Comment"/>
        <StringDetect attribute="String" context="RawMultiLineString" String="#&quot;&quot;&quot;"/>
        <StringDetect attribute="String" context="RawString2" String="##&quot;"/>
        <StringDetect attribute="String" context="RawString" String="#&quot;"/>
        <StringDetect attribute="Regular Expression" context="ExtendedRegex" String="#/"/>
        <StringDetect attribute="String" context="MultiLineString" String="&quot;&quot;&quot;"/>
        <DetectChar attribute="String" context="String" char="&quot;"/>
        <!-- A bare /regex/ where an expression starts (after `(`, `=`, `,`, `:`, `[`, `{`, `!`, `&`, `|`, `return`),
             never `a / b / c`. -->
        <RegExpr attribute="Regular Expression" context="#stay"
                 String="(?&lt;=[(=,:\[{!&amp;|]|[(=,:\[{!&amp;|] |return )/(?![\s/*])(?:[^/\\]|\\.)*+/(?!\w)"/>
        <RegExpr attribute="Preprocessor" context="#stay" String="#[A-Za-z_]\w*"/>
        <RegExpr attribute="Attribute" context="#stay" String="@[A-Za-z_]\w*"/>
        <WordDetect attribute="Keyword" context="FunctionName" String="func"/>
        <keyword attribute="Keyword" context="#stay" String="declarations"/>
        <keyword attribute="Keyword" context="#stay" String="keywords"/>
        <keyword attribute="Control Flow" context="#stay" String="controlflow"/>
        <keyword attribute="Constant" context="#stay" String="constants"/>
        <keyword attribute="Builtin" context="#stay" String="builtins"/>
        <RegExpr attribute="Float" context="#stay"
                 String="\b(?:0x[0-9a-fA-F][0-9a-fA-F_]*(?:\.[0-9a-fA-F_]+)?[pP][-+]?[0-9][0-9_]*|[0-9][0-9_]*(?:\.[0-9][0-9_]*(?:[eE][-+]?[0-9][0-9_]*)?|[eE][-+]?[0-9][0-9_]*))\b"/>
        <RegExpr attribute="Base-N Integer" context="#stay" String="\b0(?:x[0-9a-fA-F][0-9a-fA-F_]*|b[01][01_]*|o[0-7][0-7_]*)\b"/>
        <RegExpr attribute="Decimal" context="#stay" String="\b[0-9][0-9_]*\b"/>
        <RegExpr attribute="Variable" context="#stay" String="\$[A-Za-z_0-9]\w*"/>
        <RegExpr attribute="Normal Text" context="#stay" String="`[^`]+`"/>
        <RegExpr attribute="Data Type" context="#stay" String="\b[A-Z][A-Za-z0-9_]*\b"/>
        <AnyChar attribute="Operator" context="#stay" String="+-*/%=&lt;&gt;!&amp;|^~?."/>
        <DetectIdentifier attribute="Normal Text"/>
      </context>
      <context name="FunctionName" attribute="Normal Text" lineEndContext="#pop" fallthroughContext="#pop">
        <DetectSpaces/>
        <RegExpr attribute="Function" context="#pop" String="[A-Za-z_]\w*|`[^`]+`|[-+*/%=&lt;&gt;!&amp;|^~?.]+"/>
      </context>

      <context name="String" attribute="String" lineEndContext="#pop">
        <DetectChar attribute="String" context="#pop" char="&quot;"/>
        <IncludeRules context="Escapes"/>
      </context>
      <context name="MultiLineString" attribute="String" lineEndContext="#stay">
        <StringDetect attribute="String" context="#pop" String="&quot;&quot;&quot;"/>
        <IncludeRules context="Escapes"/>
      </context>
      <context name="Escapes" attribute="String" lineEndContext="#stay">
        <Detect2Chars attribute="String Interpolation" context="Interpolation" char="\" char1="("/>
        <RegExpr attribute="String Escape" context="#stay" String="\\(?:[0\\tnr&quot;']|u\{[0-9a-fA-F]{1,8}\}|\s*$)"/>
        <RegExpr attribute="Error" context="#stay" String="\\."/>
      </context>
      <context name="RawString" attribute="String" lineEndContext="#pop">
        <Detect2Chars attribute="String" context="#pop" char="&quot;" char1="#"/>
        <StringDetect attribute="String Interpolation" context="Interpolation" String="\#("/>
        <RegExpr attribute="String Escape" context="#stay" String="\\#(?:[0\\tnr&quot;']|u\{[0-9a-fA-F]{1,8}\})"/>
      </context>
      <context name="RawString2" attribute="String" lineEndContext="#pop">
        <StringDetect attribute="String" context="#pop" String="&quot;##"/>
        <StringDetect attribute="String Interpolation" context="Interpolation" String="\##("/>
      </context>
      <context name="RawMultiLineString" attribute="String" lineEndContext="#stay">
        <StringDetect attribute="String" context="#pop" String="&quot;&quot;&quot;#"/>
        <StringDetect attribute="String Interpolation" context="Interpolation" String="\#("/>
      </context>
      <context name="Interpolation" attribute="Normal Text" lineEndContext="#stay">
        <DetectChar attribute="String Interpolation" context="#pop" char=")"/>
        <DetectChar attribute="Normal Text" context="Parentheses" char="("/>
        <IncludeRules context="Normal"/>
      </context>
      <context name="Parentheses" attribute="Normal Text" lineEndContext="#stay">
        <DetectChar attribute="Normal Text" context="#pop" char=")"/>
        <DetectChar attribute="Normal Text" context="Parentheses" char="("/>
        <IncludeRules context="Normal"/>
      </context>

      <context name="ExtendedRegex" attribute="Regular Expression" lineEndContext="#stay">
        <Detect2Chars attribute="Regular Expression" context="#pop" char="/" char1="#"/>
        <RegExpr attribute="Regular Expression" context="#stay" String="\\."/>
      </context>

      <context name="LineComment" attribute="Comment" lineEndContext="#pop">
        <DetectSpaces/>
        <IncludeRules context="##Comments"/>
      </context>
      <context name="DocComment" attribute="Documentation" lineEndContext="#pop">
        <DetectSpaces/>
        <IncludeRules context="##Comments"/>
      </context>
      <context name="BlockComment" attribute="Comment" lineEndContext="#stay">
        <Detect2Chars attribute="Comment" context="#pop" char="*" char1="/" endRegion="Comment"/>
        <Detect2Chars attribute="Comment" context="BlockComment" char="/" char1="*" beginRegion="Comment"/>
        <DetectSpaces/>
        <IncludeRules context="##Comments"/>
      </context>
    </contexts>
    <itemDatas>
      <itemData name="Normal Text" defStyleNum="dsNormal" spellChecking="false"/>
      <itemData name="Keyword" defStyleNum="dsKeyword" spellChecking="false"/>
      <itemData name="Control Flow" defStyleNum="dsControlFlow" spellChecking="false"/>
      <itemData name="Constant" defStyleNum="dsConstant" spellChecking="false"/>
      <itemData name="Builtin" defStyleNum="dsBuiltIn" spellChecking="false"/>
      <itemData name="Function" defStyleNum="dsFunction" spellChecking="false"/>
      <itemData name="Data Type" defStyleNum="dsDataType" spellChecking="false"/>
      <itemData name="Attribute" defStyleNum="dsAttribute" spellChecking="false"/>
      <itemData name="Preprocessor" defStyleNum="dsPreprocessor" spellChecking="false"/>
      <itemData name="Decimal" defStyleNum="dsDecVal" spellChecking="false"/>
      <itemData name="Float" defStyleNum="dsFloat" spellChecking="false"/>
      <itemData name="Base-N Integer" defStyleNum="dsBaseN" spellChecking="false"/>
      <itemData name="Variable" defStyleNum="dsVariable" spellChecking="false"/>
      <itemData name="String" defStyleNum="dsString"/>
      <itemData name="String Escape" defStyleNum="dsSpecialChar" spellChecking="false"/>
      <itemData name="String Interpolation" defStyleNum="dsSpecialChar" spellChecking="false"/>
      <itemData name="Regular Expression" defStyleNum="dsSpecialString" spellChecking="false"/>
      <itemData name="Comment" defStyleNum="dsComment"/>
      <itemData name="Documentation" defStyleNum="dsDocumentation"/>
      <itemData name="Operator" defStyleNum="dsOperator" spellChecking="false"/>
      <itemData name="Error" defStyleNum="dsError" spellChecking="false"/>
    </itemDatas>
  </highlighting>
  <general>
    <comments>
      <comment name="singleLine" start="//"/>
      <comment name="multiLine" start="/*" end="*/" region="Comment"/>
    </comments>
    <keywords casesensitive="1"/>
  </general>
</language>
"""###
}
