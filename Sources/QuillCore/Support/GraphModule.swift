// The build graph (QuillGraph) is part of QuillCore's interface: its rules, values and states appear in
// QuillCore's public API, so a client of QuillCore sees it without importing it.
@_exported import QuillGraph
