extension XDFStreamInfo {
    /// The largest channel count read: liblsl keeps it in an `int32`.
    static let maximumChannelCount = Int(Int32.max)

    /// The stream described by a StreamHeader's `<info>`: `channel_count` (1…2³¹ − 1),
    /// `nominal_srate` (finite, ≥ 0) and `channel_format` must be there and valid; `name` and
    /// `type` read as empty and `created_at` as 0 when absent; `desc`'s children as they are.
    init(header info: XMLTag) throws(XDFChunkDamage) {
        guard let countText = info.childText("channel_count"), let channelCount = XDFNumberText.int(countText),
              (1...Self.maximumChannelCount).contains(channelCount) else {
            throw XDFChunkDamage(reason: "channel_count is not a whole number from 1 to \(Self.maximumChannelCount)")
        }
        guard let rateText = info.childText("nominal_srate"), let rate = XDFNumberText.double(rateText),
              rate.isFinite, rate >= 0 else {
            throw XDFChunkDamage(reason: "nominal_srate is not a finite number ≥ 0")
        }
        guard let formatText = info.childText("channel_format"), let format = XDFChannelFormat(rawValue: formatText) else {
            let formats = XDFChannelFormat.allCases.map(\.rawValue).joined(separator: ", ")
            throw XDFChunkDamage(reason: "channel_format is not one of \(formats)")
        }
        self.init(
            name: info.childText("name") ?? "", type: info.childText("type") ?? "", channelCount: channelCount,
            nominalRateHz: rate, format: format,
            createdAtSeconds: info.childText("created_at").flatMap(XDFNumberText.double) ?? 0,
            desc: info.child("desc")?.children ?? [])
    }
}
