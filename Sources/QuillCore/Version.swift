/// Quill's version, as `quill --version` prints it.
public enum QuillVersion {
    public static let current = "0.13.0"
}
