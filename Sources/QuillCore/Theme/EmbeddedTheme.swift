/// The default theme, compiled into the binary so that a new site works without a `themes/` folder.
/// `themes/default/` in Quill's repository is its source; `scripts/embed-theme.py` copies it here.
public enum EmbeddedTheme {
    /// The `theme` setting that selects it when `themes/default/` does not exist in the site.
    public static let name = "default"
}
