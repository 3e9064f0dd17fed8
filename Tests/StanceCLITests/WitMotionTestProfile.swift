import Foundation

/// A WitMotion profile at 100 Hz (the built-in ones say 10 Hz, the factory setting) in
/// `directory/profiles`, and a stanced configuration that reads it; returns the configuration.
/// - Parameter orientation: the profile's `device.orientation` (`ahrs` or `device`).
func witMotion100HzConfiguration(in directory: URL, orientation: String = "ahrs") throws -> URL {
    let profiles = directory.appendingPathComponent("profiles")
    try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
    try """
    [profile]
    name = "witmotion-100hz"
    summary = "WitMotion IMU set to 100 Hz"
    [match]
    subsystem = "tty"
    [device]
    protocol = "witmotion"
    baud = 115200
    rate_hz = 100
    role = "imu-trunk"
    acceleration_range_g = 16
    angular_rate_range_dps = 2000
    orientation = "\(orientation)"
    """.write(to: profiles.appendingPathComponent("witmotion-100hz.toml"), atomically: true, encoding: .utf8)
    let config = directory.appendingPathComponent("stanced.toml")
    try "profiles_dir = \"\(profiles.path)\"\n".write(to: config, atomically: true, encoding: .utf8)
    return config
}
