import Foundation

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)` without Foundation's round trip through `NSString`, which showed in
    /// a cold build's profile: the same scalars (spaces, tabs and the other Unicode space separators) removed from both ends.
    func trimmingSpaces() -> String { trimming({ $0 == " " || $0 == "\t" }, others: CharacterSet.whitespaces) }

    /// `trimmingCharacters(in: set)` on Unicode scalars; `ascii` decides for ASCII scalars, `others` for the rest.
    func trimming(_ ascii: (Unicode.Scalar) -> Bool, others set: CharacterSet) -> String {
        func trims(_ scalar: Unicode.Scalar) -> Bool { scalar.isASCII ? ascii(scalar) : set.contains(scalar) }
        let scalars = Substring(self).unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, trims(scalars[start]) { start = scalars.index(after: start) }
        while start < end {
            let last = scalars.index(before: end)
            guard trims(scalars[last]) else { break }
            end = last
        }
        return String(Substring(scalars[start..<end]))
    }
}
