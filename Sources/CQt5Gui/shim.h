// Only here to give CSyntaxHighlighting Qt5's compile and link flags through pkg-config (Qt5Gui brings Qt5Core).
// No Swift code imports this module.
