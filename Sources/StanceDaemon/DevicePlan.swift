import StanceDevices

/// Which devices the daemon reads, from the configured specs: one dual force plate, or two single
/// plates (`role=left` and `role=right`) to pair, on serial lines; and any number of WitMotion
/// IMUs (`imu-…` roles), whose samples are passed on. Anything else configured is refused at
/// start-up with the reason, rather than silently ignored.
public enum DevicePlan {
    /// A device to open, with the profile to read it by.
    public typealias Device = (path: String, profile: DeviceProfile)

    /// The plates to read — one dual plate, or left then right; none when only IMUs are
    /// configured; nil when nothing is configured (discovery decides) — and the IMUs.
    public static func devices(from specs: [DeviceSpec], profiles: ProfileSet) throws(DeviceSpec.Problem) -> (plates: [Device]?, imus: [Device]) {
        guard !specs.isEmpty else { return (nil, []) }
        var dual: [Device] = []
        var left: [Device] = []
        var right: [Device] = []
        var imus: [Device] = []
        for spec in specs {
            let profile = try spec.resolve(in: profiles)
            if profile.role.rawValue.hasPrefix("imu-") {
                guard profile.deviceProtocol == .witmotion else {
                    throw DeviceSpec.Problem(spec: spec.description, message:
                        "IMUs on protocol \(profile.deviceProtocol.rawValue) are not read by this version of stanced (WitMotion serial IMUs are)")
                }
                imus.append((spec.path, profile))
                continue
            }
            guard PlateDiscovery.plateProtocols.contains(profile.deviceProtocol) else {
                throw DeviceSpec.Problem(spec: spec.description, message:
                    "protocol \(profile.deviceProtocol.rawValue) is not read by this version of stanced for role \(profile.role.rawValue) (force plates on stance-line or stance-binary serial lines are)")
            }
            switch profile.role {
            case .pair: dual.append((spec.path, profile))
            case .left: left.append((spec.path, profile))
            default: right.append((spec.path, profile))
            }
        }
        let all = specs.map(\.description).joined(separator: " ")
        switch (dual.count, left.count, right.count) {
        case (0, 0, 0): return ([], imus)
        case (1, 0, 0): return (dual, imus)
        case (0, 1, 1): return (left + right, imus)
        case (0, _, _) where left.count + right.count > 0:
            throw DeviceSpec.Problem(spec: all, message:
                "single plates come in pairs: one role=left and one role=right (got \(left.count) left, \(right.count) right)")
        default:
            throw DeviceSpec.Problem(spec: all, message:
                "\(dual.count) dual plates and \(left.count + right.count) single plates configured; this version serves one dual plate or one left/right pair per daemon (run one stanced per set, each with its own --socket)")
        }
    }
}
