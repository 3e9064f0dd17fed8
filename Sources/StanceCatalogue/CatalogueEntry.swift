import GRDB

/// One session as the catalogue holds it: the `sessions` row, and the object of
/// `stance sessions list --json`. Column and key names carry their units.
public struct CatalogueEntry: Codable, Sendable, Equatable, FetchableRecord, PersistableRecord {
    public static let databaseTableName = "sessions"

    /// The `<session><id>` of the file header, or the session directory's name when it has none.
    public var id: String
    public var subject: String?
    public var exercise: String?
    public var bodyMassKilograms: Double?
    public var notes: String?
    /// `YYYY-MM-DDTHH:MM:SSZ`, as stanced wrote it; stop = start + duration.
    public var startedUTC: String?
    public var stoppedUTC: String?
    /// First and last plate sample on the file's clock (`CLOCK_MONOTONIC`), seconds.
    public var firstSampleSeconds: Double
    public var lastSampleSeconds: Double
    /// Last minus first plate sample, seconds.
    public var durationSeconds: Double
    /// `PATH (PROFILE)` of each device of the header's `<devices>`, comma-separated.
    public var devices: String
    /// The session's `session.xdf`, and its size and modification time when it was indexed.
    public var path: String
    public var fileSizeBytes: Int64
    public var fileModifiedSeconds: Double
    /// Samples of both plates (the fewer of the two), and their nominal rate in hertz.
    public var samples: Int
    public var rateHz: Double
    /// The file ends inside a chunk (a recording cut short); the summary is of what it holds.
    public var truncated: Bool
    /// The summary `TrialAnalysis` gives for the cells; nil when the session is too short for it.
    public var meanLeftNewtons: Double?
    public var meanRightNewtons: Double?
    public var meanLeftPercent: Double?
    public var meanRightPercent: Double?
    public var forceAsymmetryPercent: Double?
    /// `left` or `right`.
    public var forceDominant: String?
    public var swayPathAsymmetryPercent: Double?
    public var swayPathDominant: String?
    public var swayAreaAsymmetryPercent: Double?
    public var swayAreaDominant: String?
    /// Of the combined (whole-body) centre of pressure.
    public var swayPathMillimetres: Double?
    public var swayEllipseAreaSquareMillimetres: Double?
    /// From the IMU streams (`ImuSessionSummary`): each shank's sagittal range of motion over the
    /// session, degrees, and their asymmetry; nil without those IMUs.
    public var shankROMLeftDegrees: Double?
    public var shankROMRightDegrees: Double?
    public var shankROMAsymmetryPercent: Double?
    public var shankROMDominant: String?
    /// Single-leg stance: `trunk` or `shank` (whose sway is compared), seconds of each leg's
    /// latest trial, and the asymmetry of the tilt path (the larger marks the less stable leg).
    public var singleLegSegment: String?
    public var singleLegLeftSeconds: Double?
    public var singleLegRightSeconds: Double?
    public var singleLegSwayPathAsymmetryPercent: Double?
    public var singleLegSwayPathDominant: String?

    enum CodingKeys: String, CodingKey, ColumnExpression, CaseIterable {
        case id, subject, exercise, notes, devices, path, samples, truncated
        case bodyMassKilograms = "body_mass_kg"
        case startedUTC = "started_utc"
        case stoppedUTC = "stopped_utc"
        case firstSampleSeconds = "first_sample_s"
        case lastSampleSeconds = "last_sample_s"
        case durationSeconds = "duration_s"
        case fileSizeBytes = "file_size_bytes"
        case fileModifiedSeconds = "file_mtime_s"
        case rateHz = "rate_hz"
        case meanLeftNewtons = "mean_left_n"
        case meanRightNewtons = "mean_right_n"
        case meanLeftPercent = "mean_left_pct"
        case meanRightPercent = "mean_right_pct"
        case forceAsymmetryPercent = "force_asymmetry_pct"
        case forceDominant = "force_dominant"
        case swayPathAsymmetryPercent = "sway_path_asymmetry_pct"
        case swayPathDominant = "sway_path_dominant"
        case swayAreaAsymmetryPercent = "sway_area_asymmetry_pct"
        case swayAreaDominant = "sway_area_dominant"
        case swayPathMillimetres = "sway_path_mm"
        case swayEllipseAreaSquareMillimetres = "sway_ellipse_area_mm2"
        case shankROMLeftDegrees = "shank_rom_left_deg"
        case shankROMRightDegrees = "shank_rom_right_deg"
        case shankROMAsymmetryPercent = "shank_rom_asymmetry_pct"
        case shankROMDominant = "shank_rom_dominant"
        case singleLegSegment = "single_leg_segment"
        case singleLegLeftSeconds = "single_leg_left_s"
        case singleLegRightSeconds = "single_leg_right_s"
        case singleLegSwayPathAsymmetryPercent = "single_leg_sway_path_asymmetry_pct"
        case singleLegSwayPathDominant = "single_leg_sway_path_dominant"
    }

    typealias Column = CodingKeys
}
