import Foundation
#if canImport(Glibc)
import Glibc
import QuillGraph
#endif

/// A build into an output folder that is missing or empty has no last good site to keep intact, so each
/// output is written as soon as it is rendered: the disk works while the cores render. Should the build fail
/// after all, what it wrote is removed again.
final class Streaming: Sendable {
    let writer: OutputWriter
    let folderExisted: Bool
    let written = WrittenFiles()
    /// Makes folders (and the outputs are written) relative to the open output folder, or the publisher's
    /// spare folder when there is a publisher.
    let folders: FolderMaker
    let publisher: Publisher?

    /// Nil when the output folder cannot be made or opened (the build then writes at the end, as usual).
    init?(writer: OutputWriter, publisher: Publisher?) {
        self.writer = writer
        self.publisher = publisher
        folderExisted = FileManager.default.fileExists(atPath: writer.directory.path)
        if let publisher {
            guard let fd = publisher.freshSpare() else { return nil }
            folders = FolderMaker(relativeTo: fd)
            return
        }
        try? FileManager.default.createDirectory(at: writer.directory, withIntermediateDirectories: true)
        let fd = open(writer.directory.path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return nil }
        folders = FolderMaker(relativeTo: fd)
    }

    deinit { close(folders.base) }

    /// Removes what was written, leaving the folder as it was found.
    func undo() {
        let fm = FileManager.default
        if let publisher {
            publisher.removeSpare()
        } else if folderExisted {
            for name in (try? fm.contentsOfDirectory(atPath: writer.directory.path)) ?? [] {
                try? fm.removeItem(at: writer.directory.appendingPathComponent(name))
            }
        } else {
            try? fm.removeItem(at: writer.directory)
        }
    }
}

/// The files of a streamed build, written in order of completion by one thread of their own while the
/// others render. Creating files and folders serialises in the kernel (two threads writing a site's files take
/// as long as one, at twice the system time); from one thread that work costs its floor and overlaps the
/// rendering. At most `limit` rendered files wait for the writer, so memory stays bounded. The writer is woken
/// once `batch` files wait, not for each one: waking a thread per file costs more than writing a small file.
final class StreamedWrites: @unchecked Sendable {
    private let streaming: Streaming
    private let failsAfter: Int?
    private let queue = DispatchQueue(label: "quill.writes")
    private let room: DispatchSemaphore
    private let batch: Int
    private let lock = NSLock()
    private var failure: Error?
    private var started = 0
    private var pending: [(file: OutputFile, id: Int32, fingerprint: Fingerprint)] = []
    private var writing = false

    init(_ streaming: Streaming, failsAfter: Int?, limit: Int = 256, batch: Int = 32) {
        self.streaming = streaming
        self.failsAfter = failsAfter
        room = DispatchSemaphore(value: limit)
        self.batch = min(batch, limit)
    }

    /// Throws the first write error, so that rendering stops soon after one.
    func check() throws {
        lock.lock()
        defer { lock.unlock() }
        if let failure { throw failure }
    }

    func write(_ file: OutputFile, id: Int32, fingerprint: Fingerprint) {
        room.wait()
        lock.lock()
        pending.append((file, id, fingerprint))
        let wake = !writing && pending.count >= batch
        if wake { writing = true }
        lock.unlock()
        if wake { queue.async { self.drain() } }
    }

    /// Writes what waits until nothing does.
    private func drain() {
        while true {
            lock.lock()
            if pending.isEmpty {
                writing = false
                lock.unlock()
                return
            }
            let files = pending
            pending.removeAll(keepingCapacity: true)
            lock.unlock()
            for (file, id, fingerprint) in files {
                defer { room.signal() }
                lock.lock()
                let skip = failure != nil
                let injected = failsAfter.map { started >= $0 } ?? false
                started += 1
                if injected, failure == nil { failure = AtomicFile.WriteError(path: file.path, reason: "injected failure") }
                lock.unlock()
                if skip || injected { continue }
                do {
                    try streaming.writer.writeNew(file, id: id, fingerprint: fingerprint, folders: streaming.folders,
                                                  into: streaming.written)
                } catch {
                    lock.lock()
                    failure = failure ?? error
                    lock.unlock()
                }
            }
        }
    }

    /// Writes what still waits, and waits for every file handed over.
    private func flush() {
        lock.lock()
        let wake = !writing && !pending.isEmpty
        if wake { writing = true }
        lock.unlock()
        if wake { queue.async { self.drain() } }
        queue.sync {}
    }

    /// Waits for every file handed over; throws the first write error.
    func finish() throws {
        flush()
        try check()
    }

    func finishIgnoringErrors() { flush() }
}
