import StanceDevices

/// Which device the daemon reads, from the configured specs: this version serves one dual force
/// plate on a serial line. Anything else configured is refused at start-up with the reason, rather
/// than silently ignored.
public enum DevicePlan {
    /// The plate to read, or `nil` when nothing is configured (discovery decides).
    public static func plate(from specs: [DeviceSpec], profiles: ProfileSet) throws(DeviceSpec.Problem) -> (path: String, profile: DeviceProfile)? {
        var plates: [(path: String, profile: DeviceProfile)] = []
        for spec in specs {
            let profile = try spec.resolve(in: profiles)
            guard PlateDiscovery.plateProtocols.contains(profile.deviceProtocol) else {
                throw DeviceSpec.Problem(spec: spec.description, message:
                    "protocol \(profile.deviceProtocol.rawValue) is not read by this version of stanced (dual force plates on stance-line or stance-binary serial lines are)")
            }
            switch profile.role {
            case .pair:
                plates.append((spec.path, profile))
            case .left, .right:
                throw DeviceSpec.Problem(spec: spec.description, message:
                    "pairing two single plates (role=left and role=right) is not built yet; use a dual-plate device (role=pair)")
            default:
                throw DeviceSpec.Problem(spec: spec.description, message:
                    "role \(profile.role.rawValue) is an IMU role; IMUs are not read by this version of stanced")
            }
        }
        guard plates.count <= 1 else {
            throw DeviceSpec.Problem(spec: specs.map(\.description).joined(separator: " "), message:
                "\(plates.count) dual plates configured; this version serves one per daemon (run one stanced per plate, each with its own --socket)")
        }
        return plates.first
    }
}
