extension ImageHeader {
    /// Every field as given: a header kept in the build state and read back.
    public init(format: ImageFormat, width: Int, height: Int, storedWidth: Int, storedHeight: Int, orientation: Int,
                hasGPS: Bool, hasMetadata: Bool, isAnimated: Bool) {
        self.init(format: format, storedWidth: storedWidth, storedHeight: storedHeight, orientation: orientation,
                  hasGPS: hasGPS, hasMetadata: hasMetadata, isAnimated: isAnimated)
        (self.width, self.height) = (width, height)
    }
}
