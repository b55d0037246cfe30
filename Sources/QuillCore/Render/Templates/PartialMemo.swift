import Foundation
import Mustache
import QuillGraph

/// Renders a page-level partial (the site header, the footer) once per distinct set of values it reads, and reuses
/// that HTML on every page where the partial would read the same values.
///
/// 10,000 post pages show the same header and footer; through the template engine each costs a few dozen lookups
/// per page, a fifth of a cold build. Which values a partial reads is found by rendering it once behind a
/// `Recorder`: every name the engine asks for, on the page or on anything reached from it, is answered from the
/// page and noted with its answer, in order. That list is the partial's `Trace`. The partial's HTML is a function
/// of those answers alone, so on another page it is reused when asking the same names of that page gives the same
/// answers (`Trace.holds`); the names asked depend only on earlier answers, so the same list is asked.
///
/// Only answers whose effect on the engine is known are kept: text, whole numbers, flags, nothing, objects that
/// answer names (views, dictionaries) and arrays of those. Anything else (a lambda, a float, an object printed
/// whole) leaves the partial to be rendered in place on that page. A partial is eligible only when it and every
/// partial it includes are self-contained (`PartialFragments.isSelfContained`: no blocks, no `.` names) and use
/// no transforms (`{{uppercased(x)}}` would apply to the recorder, not the value).
///
/// The template is changed at compile time as for list items: a standalone partial line becomes
///
/// ```
/// {{#.__quillMemo0}}
/// {{/.__quillMemo0}}
/// {{^.__quillMemo0}}
/// {{> partials/header}}
/// {{/.__quillMemo0}}
/// ```
///
/// and only the page itself (`Page`) answers `__quillMemo0`, and only when it is the innermost object, that is at
/// the top of the page's templates, outside every section. Anywhere else the inverted section renders the line.
struct PartialMemo: Sendable {
    static let prefix = "__quillMemo"
    /// Different traces kept per partial: a header that differs only on the home page needs two.
    static let entriesPerPartial = 8

    let partials: [String]
    let store = Store()

    /// What a template sees at the top of a page: its fields, and the memoized partials.
    /// A struct holding one reference, as `Views.PostView` (which says why).
    struct Page: MustacheParent {
        final class Storage {
            let fields: [String: Any]
            let memo: PartialMemo?
            let render: (@Sendable (String, Any) -> String)?
            /// The answer to each synthetic name: the engine asks it twice, for the section and the inverted one.
            var answered: [String: MustacheLambda?] = [:]

            init(_ fields: [String: Any], _ memo: PartialMemo?, _ render: (@Sendable (String, Any) -> String)?) {
                (self.fields, self.memo, self.render) = (fields, memo, render)
            }
        }

        let storage: Storage

        init(_ fields: [String: Any], memo: PartialMemo? = nil, render: (@Sendable (String, Any) -> String)? = nil) {
            storage = Storage(fields, memo, render)
        }

        func child(named name: String) -> Any? {
            if let value = storage.fields[name] { return value }
            // Most names the page lacks are asked on their way down the stack: they end here, at a prefix check.
            let isList = name.hasPrefix(PartialFragments.listPrefix)
            guard isList || name.hasPrefix(PartialMemo.prefix) else { return nil }
            if let known = storage.answered[name] { return known }
            let lambda: MustacheLambda?
            if isList {
                lambda = PartialFragments.list(name, posts: storage.fields["posts"])
            } else {
                guard let memo = storage.memo, let render = storage.render else { return nil }
                lambda = memo.lambda(name, page: self, render: render)
            }
            storage.answered[name] = .some(lambda)
            return lambda
        }
    }

    // MARK: Traces

    /// What one name gave when the partial was recorded.
    enum Answer: Equatable {
        case none, text(String), number(Int), flag(Bool), object, array(Int)
    }

    /// The names a partial asked, in order, with their answers. Each step asks `name` of the page (`parent` -1),
    /// or of an earlier step's object, or takes element `index` of an earlier step's array.
    struct Trace {
        struct Step {
            var parent: Int
            var name: String
            var index: Int
            var answer: Answer
        }

        var steps: [Step] = []

        /// Whether asking every step of `page` gives the recorded answers.
        func holds(on page: MustacheParent) -> Bool {
            var objects = [MustacheParent?](repeating: nil, count: steps.count)
            var arrays = [[Any]?](repeating: nil, count: steps.count)
            for (i, step) in steps.enumerated() {
                let value: Any?
                if step.index >= 0 {
                    guard let array = arrays[step.parent], step.index < array.count else { return false }
                    value = array[step.index]
                } else if step.parent < 0 {
                    value = page.child(named: step.name)
                } else {
                    guard let object = objects[step.parent] else { return false }
                    value = object.child(named: step.name)
                }
                guard let (answer, object, array) = PartialMemo.classify(value), answer == step.answer else { return false }
                objects[i] = object
                arrays[i] = array
            }
            return true
        }
    }

    /// The answer `value` stands for, with the value as an object or array when it is one; nil when the value is
    /// of a kind a trace does not keep.
    static func classify(_ value: Any?) -> (Answer, MustacheParent?, [Any]?)? {
        guard let value else { return (.none, nil, nil) }
        // The kinds a page is made of, by their exact type first: the general checks below ask the runtime
        // whether a type conforms to a protocol, which costs as much as the lookup the trace saves.
        let type = Swift.type(of: value)
        if type == String.self { return (.text(value as! String), nil, nil) }
        if type == Bool.self { return (.flag(value as! Bool), nil, nil) }
        if type == Int.self { return (.number(value as! Int), nil, nil) }
        if type == [String: Any].self { return (.object, value as! [String: Any], nil) }
        if type == SiteView.Handle.self { return (.object, value as! SiteView.Handle, nil) }
        if type == Views.PostView.self { return (.object, value as! Views.PostView, nil) }
        if type == Views.DateView.self { return (.object, value as! Views.DateView, nil) }
        if type == [[String: Any]].self {
            let array = value as! [[String: Any]]
            return (.array(array.count), nil, array.map { $0 as Any })
        }
        if type == [Any].self {
            let array = value as! [Any]
            return (.array(array.count), nil, array)
        }
        if value is MustacheLambda || value is MustacheCustomRenderable || value is MustacheCustomRepresentation {
            return nil
        }
        if let array = value as? [Any], value is any MustacheSequence, !(value is MustacheParent) {
            return (.array(array.count), nil, array)
        }
        if let object = value as? MustacheParent, !(value is any MustacheSequence) { return (.object, object, nil) }
        return nil
    }

    /// Stands in for the page, or for an object reached from it, while a partial is recorded: answers as the
    /// page does and notes each answer.
    final class Recorder: MustacheParent, CustomStringConvertible, CustomDebugStringConvertible {
        final class Log {
            var trace = Trace()
            var kept = true
            /// Each step's answer as given to the engine, so that a name asked twice gets the same recorder.
            var given: [Any?] = []
            var seen: [String: Int] = [:]

            func ask(_ name: String, of parent: Int, _ object: MustacheParent) -> Any? {
                let key = "\(parent)\u{0}\(name)"
                if let step = seen[key] { return given[step] }
                return note(parent: parent, name: name, index: -1, object.child(named: name), key: key)
            }

            func note(parent: Int, name: String, index: Int, _ value: Any?, key: String?) -> Any? {
                guard kept, let (answer, object, array) = PartialMemo.classify(value) else {
                    kept = false
                    return value
                }
                let step = trace.steps.count
                trace.steps.append(Trace.Step(parent: parent, name: name, index: index, answer: answer))
                given.append(nil)
                if let key { seen[key] = step }
                let answered: Any?
                if let object {
                    answered = Recorder(object, step: step, log: self)
                } else if let array {
                    answered = array.enumerated().map { i, element in
                        note(parent: step, name: "", index: i, element, key: nil) as Any
                    }
                } else {
                    answered = value
                }
                given[step] = answered
                return answered
            }
        }

        let object: MustacheParent
        let step: Int
        let log: Log

        init(_ object: MustacheParent, step: Int, log: Log) {
            self.object = object
            self.step = step
            self.log = log
        }

        func child(named name: String) -> Any? { log.ask(name, of: step, object) }

        /// Printed whole: the text would be the recorder's, so the partial is rendered in place instead.
        var description: String {
            log.kept = false
            return String(describing: object)
        }

        var debugDescription: String {
            log.kept = false
            return String(reflecting: object)
        }
    }

    // MARK: The cache

    struct Entry {
        let trace: Trace
        let lambda: MustacheLambda
    }

    /// The traces of each partial, and how often they were reused. A partial that misses on most pages is turned
    /// off once misses outnumber hits (after 32): one that differs on most pages (the pagination links) would
    /// have its traces checked on every page, one that reads a value no trace keeps would be recorded on every
    /// page, and either costs more than rendering it.
    final class Store: @unchecked Sendable {
        enum State { case open, full, off }

        private let lock = NSLock()
        private var entries: [Int: [Entry]] = [:]
        private var hits: [Int: Int] = [:]
        private var misses: [Int: Int] = [:]

        func candidates(_ index: Int) -> (entries: [Entry], state: State) {
            lock.lock()
            defer { lock.unlock() }
            let missed = misses[index, default: 0]
            if missed > 32 && missed > hits[index, default: 0] { return ([], .off) }
            let list = entries[index] ?? []
            return (list, list.count < PartialMemo.entriesPerPartial ? .open : .full)
        }

        func tally(_ index: Int, hit: Bool) {
            lock.lock()
            defer { lock.unlock() }
            if hit { hits[index, default: 0] += 1 } else { misses[index, default: 0] += 1 }
        }

        func add(_ entry: Entry, at index: Int) {
            lock.lock()
            defer { lock.unlock() }
            if entries[index, default: []].count < PartialMemo.entriesPerPartial { entries[index, default: []].append(entry) }
        }
    }

    /// The lambda that gives partial `name`'s HTML on `page`, or nil when it is to be rendered in place.
    func lambda(_ name: String, page: Page, render: @Sendable (String, Any) -> String) -> MustacheLambda? {
        guard let index = Int(name.dropFirst(Self.prefix.count)), partials.indices.contains(index) else { return nil }
        let (entries, state) = store.candidates(index)
        if state == .off { return nil }
        for entry in entries where entry.trace.holds(on: page) {
            store.tally(index, hit: true)
            return entry.lambda
        }
        if state == .full {
            store.tally(index, hit: false)
            return nil
        }
        let log = Recorder.Log()
        let html = render(partials[index], Recorder(page, step: -1, log: log))
        guard log.kept else {
            // Something this partial reads is not kept on this page; other pages may still do.
            store.tally(index, hit: false)
            return nil
        }
        let raw = PartialFragments.RawHTML(description: html)
        let entry = Entry(trace: log.trace, lambda: MustacheLambda { raw })
        store.add(entry, at: index)
        return entry.lambda
    }

    // MARK: Compile time

    /// `templates` with every eligible standalone partial line rewritten as above (after `PartialFragments`, whose
    /// own lines it leaves alone), and the partials that may be memoized.
    static func rewrite(_ templates: [String: String], original: [String: String])
        -> (templates: [String: String], partials: [String])
    {
        guard PartialFragments.mayRewrite(original) else { return (templates, []) }
        // Only the page answers, and only outside every section: a line inside one (a list item's among them),
        // or in a template included inside one, would ask on every page and never get an answer.
        let nested = PartialFragments.nestedTemplates(original)
        return PartialFragments.wrapPartialLines(templates, prefix: prefix) { template, lines, i, depth in
            guard !nested.contains(template), depth == 0, let partial = PartialFragments.tagName(lines[i], ">"),
                  PartialFragments.isSelfContained(partial, in: original), !usesTransforms(partial, in: original)
            else { return nil }
            return partial
        }
    }

    /// Whether `partial` or a partial it includes has a tag with a transform, `{{name(value)}}`.
    static func usesTransforms(_ partial: String, in templates: [String: String]) -> Bool {
        guard let texts = PartialFragments.closure(of: partial, in: templates) else { return true }
        return texts.contains { $0.range(of: #"\{\{[^}]*\("#, options: .regularExpression) != nil }
    }
}
