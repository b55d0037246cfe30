import Foundation
import Synchronization
import QuillMarkdown
import QuillGraph

// How the content model is written into the build graph: to fingerprint values and to keep the small ones
// between builds. Dates keep their calendar fields, so reading them back needs no calendar arithmetic.

private let zoneCache = ZoneCache()

private final class ZoneCache: Sendable {
    private let zones = Mutex<[String: TimeZone]>([:])

    func zone(_ identifier: String) -> TimeZone {
        zones.withLock { zones in
            if let zone = zones[identifier] { return zone }
            let zone = TimeZone(identifier: identifier) ?? TimeZone(secondsFromGMT: 0)!
            zones[identifier] = zone
            return zone
        }
    }
}

extension DateParts: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        w.write(date.timeIntervalSince1970)
        w.write(timeZone.identifier)
        for part in [year, month, day, hour, minute, second] { w.write(part) }
        w.write(monthNumber)
        w.write(weekday)
        w.write(offsetSeconds)
    }

    public init(from r: inout BinaryReader) throws {
        let date = Date(timeIntervalSince1970: try r.readDouble())
        let zone = zoneCache.zone(try r.readString())
        self.init(date: date, timeZone: zone, year: try r.readString(), month: try r.readString(),
                  day: try r.readString(), hour: try r.readString(), minute: try r.readString(),
                  second: try r.readString(), monthNumber: try r.readInt(), weekday: try r.readInt(),
                  offsetSeconds: try r.readInt())
    }
}

extension Tag: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        w.write(name)
        w.write(slug)
    }

    public init(from r: inout BinaryReader) throws { self.init(name: try r.readString(), slug: try r.readString()) }
}

extension Author: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        w.write(name)
        w.write(slug)
    }

    public init(from r: inout BinaryReader) throws { self.init(name: try r.readString(), slug: try r.readString()) }
}

extension URLPath: GraphValue {
    public func encode(to w: inout BinaryWriter) { w.write(value) }
    public init(from r: inout BinaryReader) throws { self.init(try r.readString()) }
}

extension OutputPath: GraphValue {
    public func encode(to w: inout BinaryWriter) { w.write(value) }
    public init(from r: inout BinaryReader) throws { self.init(try r.readString()) }
}

extension MetadataValue: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        switch self {
        case .string(let s): w.write(0); w.write(s)
        case .int(let i): w.write(1); w.write(i)
        case .double(let d): w.write(2); w.write(d)
        case .bool(let b): w.write(3); w.write(b)
        case .array(let items): w.write(4); items.encode(to: &w)
        case .table(let table):
            w.write(5)
            w.write(UInt64(table.count))
            for key in table.keys.sorted() {
                w.write(key)
                table[key]!.encode(to: &w)
            }
        }
    }

    public init(from r: inout BinaryReader) throws {
        switch try r.readInt() {
        case 0: self = .string(try r.readString())
        case 1: self = .int(try r.readInt())
        case 2: self = .double(try r.readDouble())
        case 3: self = .bool(try r.readBool())
        case 4: self = .array(try [MetadataValue](from: &r))
        case 5:
            var table = [String: MetadataValue]()
            for _ in 0..<(try r.readVarint()) { table[try r.readString()] = try MetadataValue(from: &r) }
            self = .table(table)
        default: throw BinaryReader.Malformed()
        }
    }
}

/// A string-keyed table of metadata, written in key order.
struct Params: GraphValue {
    var values: [String: MetadataValue]

    init(_ values: [String: MetadataValue]) { self.values = values }

    func encode(to w: inout BinaryWriter) { MetadataValue.table(values).encode(to: &w) }

    init(from r: inout BinaryReader) throws {
        guard case .table(let t) = try MetadataValue(from: &r) else { throw BinaryReader.Malformed() }
        values = t
    }
}

extension Heading: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        w.write(level)
        w.write(id)
        w.write(text)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(level: try r.readInt(), id: try r.readString(), text: try r.readString())
    }
}

extension RenderedMarkdown: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        w.write(html)
        w.write(absoluteHTML == html ? "" : absoluteHTML)
        w.write(summaryHTML)
        w.write(absoluteSummaryHTML == summaryHTML ? "" : absoluteSummaryHTML)
        w.write(summaryText)
        w.write(hasSummaryBreak)
        w.write(hasMore)
        headings.encode(to: &w)
        w.write(wordCount)
    }

    public init(from r: inout BinaryReader) throws {
        let html = try r.readString()
        let absolute = try r.readString()
        let summary = try r.readString()
        let absoluteSummary = try r.readString()
        self.init(html: html, absoluteHTML: absolute.isEmpty ? html : absolute, summaryHTML: summary,
                  absoluteSummaryHTML: absoluteSummary.isEmpty ? summary : absoluteSummary, summaryText: try r.readString(), hasSummaryBreak: try r.readBool(), hasMore: try r.readBool(),
                  headings: try [Heading](from: &r), wordCount: try r.readInt())
    }
}

extension SourceLocation: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        w.write(file)
        w.write(line ?? 0)
        w.write(column ?? 0)
    }

    public init(from r: inout BinaryReader) throws {
        let file = try r.readString(), line = try r.readInt(), column = try r.readInt()
        self.init(file: file, line: line == 0 ? nil : line, column: column == 0 ? nil : column)
    }
}

extension Diagnostic: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        location.encode(to: &w)
        w.write(severity == .error)
        w.write(message)
        Optional(hint).encode(to: &w)
    }

    public init(from r: inout BinaryReader) throws {
        let location = try SourceLocation(from: &r)
        let isError = try r.readBool()
        let message = try r.readString()
        self.init(location, message, hint: try String?(from: &r), severity: isError ? .error : .warning)
    }
}

extension Post: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        w.write(source)
        w.write(title)
        date.encode(to: &w)
        updated.encode(to: &w)
        author.encode(to: &w)
        tags.encode(to: &w)
        categories.encode(to: &w)
        w.write(isDraft)
        w.write(slug)
        url.encode(to: &w)
        aliases.encode(to: &w)
        w.write(description)
        Params(params).encode(to: &w)
        body.encode(to: &w)
        image.encode(to: &w)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(source: try r.readString(), title: try r.readString(), date: try DateParts(from: &r),
                  updated: try DateParts?(from: &r), author: try Author(from: &r), tags: try [Tag](from: &r),
                  categories: try [String](from: &r), isDraft: try r.readBool(), slug: try r.readString(),
                  url: try URLPath(from: &r), aliases: try [URLPath](from: &r), description: try r.readString(), params: try Params(from: &r).values,
                  body: try RenderedMarkdown(from: &r))
        image = try CoverImage?(from: &r)
    }
}

extension Page: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        w.write(source)
        w.write(title)
        url.encode(to: &w)
        aliases.encode(to: &w)
        w.write(weight)
        w.write(isDraft)
        date.encode(to: &w)
        updated.encode(to: &w)
        w.write(description)
        Params(params).encode(to: &w)
        body.encode(to: &w)
        image.encode(to: &w)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(source: try r.readString(), title: try r.readString(), url: try URLPath(from: &r),
                  aliases: try [URLPath](from: &r), weight: try r.readInt(), isDraft: try r.readBool(), date: try DateParts?(from: &r),
                  updated: try DateParts?(from: &r), description: try r.readString(),
                  params: try Params(from: &r).values, body: try RenderedMarkdown(from: &r))
        image = try CoverImage?(from: &r)
    }
}

extension CoverImage: GraphValue {
    public func encode(to w: inout BinaryWriter) {
        w.write(url)
        w.write(width)
        w.write(height)
        w.write(alt)
        variantWidths.encode(to: &w)
        w.write(fallbackExtension)
    }

    public init(from r: inout BinaryReader) throws {
        self.init(url: try r.readString(), width: try r.readInt(), height: try r.readInt(), alt: try r.readString(),
                  variantWidths: try [Int](from: &r), fallbackExtension: try r.readString())
    }
}

/// A parsed source file, or the problems that kept it from parsing.
enum Parsed<Value: GraphValue>: GraphValue {
    case ok(Value)
    case failed([Diagnostic])

    var value: Value? {
        if case .ok(let v) = self { return v }
        return nil
    }

    var diagnostics: [Diagnostic] {
        if case .failed(let d) = self { return d }
        return []
    }

    func encode(to w: inout BinaryWriter) {
        switch self {
        case .ok(let v):
            w.write(true)
            v.encode(to: &w)
        case .failed(let d):
            w.write(false)
            d.encode(to: &w)
        }
    }

    init(from r: inout BinaryReader) throws {
        self = try r.readBool() ? .ok(try Value(from: &r)) : .failed(try [Diagnostic](from: &r))
    }
}
