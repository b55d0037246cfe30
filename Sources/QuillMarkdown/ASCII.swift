/// Byte tests for the parsers that read UTF-8 directly (front matter, URLs, slugs, TOML checks).
extension UInt8 {
    /// `A`–`Z` or `a`–`z`.
    package var isASCIILetter: Bool { (self | 0x20) >= UInt8(ascii: "a") && (self | 0x20) <= UInt8(ascii: "z") }

    /// `0`–`9`.
    package var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
