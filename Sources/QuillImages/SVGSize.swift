/// SVG: the size of the root `<svg>` element, from its width and height (px or unitless) or its viewBox. Only the
/// root element's start tag is parsed, after skipping what may precede it (a BOM, whitespace, the XML declaration and
/// other processing instructions, comments, a DOCTYPE with an internal subset), and only within the first 64 KB, so
/// a huge SVG costs no more than a small one.
enum SVGSize {
    static let scanLimit = 64 * 1024
    /// Sizes beyond this are not pixels anyone can use; they are refused rather than converted (Int(Double) traps on
    /// huge values).
    static let largestSize = 1_000_000_000.0

    /// The offset just past `<svg` of the root element, nil when the prolog is not followed by one (within 64 KB).
    static func rootElementStart(_ bytes: [UInt8]) -> Int? {
        let limit = min(bytes.count, scanLimit)
        var i = bytes.matches("\u{FEFF}", at: 0) ? 3 : 0
        while true {
            while i < limit, isSpace(bytes[i]) { i += 1 }
            if bytes.matches("<?", at: i) {
                guard let end = find("?>", in: bytes, from: i + 2, limit: limit) else { return nil }
                i = end
            } else if bytes.matches("<!--", at: i) {
                guard let end = find("-->", in: bytes, from: i + 4, limit: limit) else { return nil }
                i = end
            } else if bytes.matches("<!DOCTYPE", at: i) {
                guard let end = skipDoctype(bytes, from: i + 9, limit: limit) else { return nil }
                i = end
            } else if bytes.matches("<svg", at: i), i + 4 < limit,
                isSpace(bytes[i + 4]) || bytes[i + 4] == UInt8(ascii: ">") || bytes[i + 4] == UInt8(ascii: "/")
            {
                return i + 4
            } else {
                return nil
            }
        }
    }

    static func readHeader(_ bytes: [UInt8]) throws(ImageHeaderError) -> ImageHeader {
        guard let start = rootElementStart(bytes) else { throw .corrupt(.svg, "no <svg> root element") }
        let attributes = try rootAttributes(bytes, from: start)
        let width = attributes["width"].flatMap(length)
        let height = attributes["height"].flatMap(length)
        let viewBox = attributes["viewBox"].flatMap(viewBoxSize)
        let size: (Double, Double)
        switch (width, height, viewBox) {
        case (let width?, let height?, _): size = (width, height)
        case (let width?, nil, let box?): size = (width, width * box.1 / box.0)
        case (nil, let height?, let box?): size = (height * box.0 / box.1, height)
        case (nil, nil, let box?): size = box
        default: throw .unsized  // nothing, or one side without a viewBox to derive the other from
        }
        let pixelWidth = try pixels(size.0)
        let pixelHeight = try pixels(size.1)
        return ImageHeader(format: .svg, storedWidth: pixelWidth, storedHeight: pixelHeight)
    }

    /// Rounds a size to whole pixels (at least 1), refusing sizes too large to be meant.
    private static func pixels(_ value: Double) throws(ImageHeaderError) -> Int {
        guard value.isFinite, value > 0, value <= largestSize else {
            throw .corrupt(.svg, "size \(value) is out of range")
        }
        return max(1, Int(value.rounded()))
    }

    /// The attributes of the start tag whose name ends at `start`, as name → value (no entity decoding).
    private static func rootAttributes(_ bytes: [UInt8], from start: Int) throws(ImageHeaderError) -> [String: String] {
        let limit = min(bytes.count, scanLimit)
        let unclosed: ImageHeaderError = bytes.count <= scanLimit
            ? .truncated(.svg) : .corrupt(.svg, "the <svg> start tag does not end within the first 64 KB")
        var attributes: [String: String] = [:]
        var i = start
        while true {
            while i < limit, isSpace(bytes[i]) { i += 1 }
            guard i < limit else { throw unclosed }
            if bytes[i] == UInt8(ascii: ">") || bytes[i] == UInt8(ascii: "/") { return attributes }
            let nameStart = i
            while i < limit, !isSpace(bytes[i]), !"=>/".utf8.contains(bytes[i]) { i += 1 }
            let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
            while i < limit, isSpace(bytes[i]) { i += 1 }
            guard i < limit else { throw unclosed }
            guard bytes[i] == UInt8(ascii: "=") else { throw .corrupt(.svg, "attribute \(name) has no value") }
            i += 1
            while i < limit, isSpace(bytes[i]) { i += 1 }
            guard i < limit else { throw unclosed }
            let quote = bytes[i]
            guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
                throw .corrupt(.svg, "the value of attribute \(name) is not quoted")
            }
            let valueStart = i + 1
            i = valueStart
            while i < limit, bytes[i] != quote { i += 1 }
            guard i < limit else { throw unclosed }
            if attributes[name] == nil { attributes[name] = String(decoding: bytes[valueStart..<i], as: UTF8.self) }
            i += 1
        }
    }

    /// A width or height in px (or unitless, which SVG treats as px); nil for other units, percentages and nonsense,
    /// which leave the size to the viewBox.
    static func length(_ text: String) -> Double? {
        var number = text.trimmingSVGSpace()
        if number.hasSuffix("px") { number = number.dropLast(2) }
        guard let value = plainNumber(number), value > 0 else { return nil }
        return value
    }

    /// Width and height of a viewBox ("min-x min-y width height", separated by spaces and/or commas).
    static func viewBoxSize(_ text: String) -> (Double, Double)? {
        let parts = text.split(whereSeparator: { $0 == "," || $0.isSVGSpace })
        guard parts.count == 4, let width = plainNumber(parts[2]), let height = plainNumber(parts[3]),
            parts[0...1].allSatisfy({ plainNumber($0) != nil }), width > 0, height > 0
        else { return nil }
        return (width, height)
    }

    /// A decimal number as SVG writes one (sign, digits, fraction, exponent). Swift's `Double(String)` alone would
    /// also take "inf", "nan" and hexadecimal, which are not SVG numbers.
    static func plainNumber(_ text: Substring) -> Double? {
        let allowed = Set("0123456789+-.eE")
        guard !text.isEmpty, text.contains(where: \.isNumber), text.allSatisfy(allowed.contains),
            let value = Double(text), value.isFinite
        else { return nil }
        return value
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    /// The offset just past the first `needle` at or after `from`, nil when it does not occur before `limit`.
    private static func find(_ needle: String, in bytes: [UInt8], from: Int, limit: Int) -> Int? {
        let count = needle.utf8.count
        var i = from
        while i + count <= limit {
            if bytes.matches(needle, at: i) { return i + count }
            i += 1
        }
        return nil
    }

    /// The offset just past a DOCTYPE's closing `>`, stepping over quoted strings and the `[...]` internal subset
    /// (whose declarations contain `>` of their own).
    private static func skipDoctype(_ bytes: [UInt8], from: Int, limit: Int) -> Int? {
        var i = from
        var inSubset = false
        var quote: UInt8?
        while i < limit {
            let byte = bytes[i]
            i += 1
            if let open = quote {
                if byte == open { quote = nil }
            } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                quote = byte
            } else if byte == UInt8(ascii: "[") {
                inSubset = true
            } else if byte == UInt8(ascii: "]") {
                inSubset = false
            } else if byte == UInt8(ascii: ">"), !inSubset {
                return i
            }
        }
        return nil
    }
}

extension Character {
    fileprivate var isSVGSpace: Bool { self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\r\n" }
}

extension String {
    fileprivate func trimmingSVGSpace() -> Substring {
        guard let first = firstIndex(where: { !$0.isSVGSpace }), let last = lastIndex(where: { !$0.isSVGSpace }) else {
            return ""
        }
        return self[first...last]
    }
}
