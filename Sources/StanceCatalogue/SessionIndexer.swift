import Foundation
import StanceDSP
import StanceRecording

/// One `session.xdf` read into its catalogue row: metadata from the file header, times and
/// counts from the plate streams, and the summary `TrialAnalysis` gives for the cells (with the
/// low-pass and COP threshold the session was recorded with, else `stance analyze`'s defaults).
enum SessionIndexer {
    static func entry(path: String) throws(CatalogueProblem) -> CatalogueEntry {
        // The stamp is taken before the read: a file that changes meanwhile is read again next time.
        guard let stamp = SessionFileStamp(path: path) else {
            throw CatalogueProblem(path: path, reason: "not a readable regular file")
        }
        let recording: XDFRecording
        do {
            recording = try XDFReader.read(contentsOf: path)
        } catch {
            throw CatalogueProblem(path: path, reason: "\(error)")
        }
        let header = SessionHeader(recording.fileHeader)
        let imus = recording.streams.filter { $0.info.type == "IMU" }
        if !recording.streams.contains(where: { $0.info.name == "left plate" }), !imus.isEmpty {
            return imuOnlyEntry(recording, imus: imus, header: header, path: path, stamp: stamp)
        }
        let plates: SessionPlates
        do {
            plates = try SessionPlates(recording: recording, path: path)
        } catch {
            // Its message already starts with the path.
            throw CatalogueProblem(path: path, reason: String(error.description.dropFirst(path.count + 2)))
        }
        let times = recording.streams.first { $0.info.name == "left plate" }?.timestamps.prefix(plates.frames.count) ?? []
        let first = times.first ?? 0, last = times.last ?? 0
        var entry = Self.row(header: header, path: path, stamp: stamp, first: first, last: last, devices: header.devices,
                             samples: plates.frames.count, rateHz: plates.rateHz, truncated: plates.truncated)
        let options = plates.trialAnalysisOptions
        // A session too short to analyse is still catalogued, without a summary.
        if let report = try? TrialAnalysis.analyse(cellsNewtons: plates.frames, rateHz: plates.rateHz, options: options) {
            entry.summarise(report)
        }
        if let imus = ImuSessionSummary(recording: recording) { entry.summarise(imus) }
        return entry
    }
}

extension SessionIndexer {
    /// A session of IMUs only: its times and counts from the first IMU stream, its devices from
    /// the streams' descriptions, and no force summary (an IMU measures none).
    static func imuOnlyEntry(_ recording: XDFRecording, imus: [XDFRecordedStream], header: SessionHeader, path: String,
                             stamp: SessionFileStamp) -> CatalogueEntry {
        let first = imus.compactMap(\.timestamps.first).min() ?? 0, last = imus.compactMap(\.timestamps.last).max() ?? 0
        let devices = imus.map { stream in
            let device = stream.info.desc.first { $0.name == "acquisition" }?.childText("device")
            return device.map { "\($0) (\(stream.info.name))" } ?? stream.info.name
        }
        var entry = row(header: header, path: path, stamp: stamp, first: first, last: last, devices: devices,
                        samples: imus[0].sampleCount, rateHz: imus[0].info.nominalRateHz, truncated: recording.truncatedAt != nil)
        if let summary = ImuSessionSummary(recording: recording) { entry.summarise(summary) }
        return entry
    }

    /// The row without a summary: the header's metadata, the file's stamp, and the times and
    /// counts of the streams that time the session (`first`, `last`: seconds on the file's clock).
    static func row(header: SessionHeader, path: String, stamp: SessionFileStamp, first: Double, last: Double, devices: [String],
                    samples: Int, rateHz: Double, truncated: Bool) -> CatalogueEntry {
        CatalogueEntry(
            id: header.id ?? ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent,
            subject: header.subject, exercise: header.exercise, bodyMassKilograms: header.bodyMassKilograms,
            notes: header.notes, startedUTC: header.startedUTC,
            stoppedUTC: header.startedUTC.flatMap { UTCTimestamp.adding(last - first, to: $0) },
            firstSampleSeconds: first, lastSampleSeconds: last, durationSeconds: last - first,
            devices: devices.joined(separator: ", "), path: path,
            fileSizeBytes: stamp.sizeBytes, fileModifiedSeconds: stamp.modifiedSeconds,
            samples: samples, rateHz: rateHz, truncated: truncated)
    }
}

extension CatalogueEntry {
    /// Takes the IMU columns from the session's IMU summary.
    mutating func summarise(_ imus: ImuSessionSummary) {
        shankROMLeftDegrees = imus.leftShankROMDegrees
        shankROMRightDegrees = imus.rightShankROMDegrees
        shankROMAsymmetryPercent = imus.shankROMAsymmetry?.asymmetryPercent
        shankROMDominant = imus.shankROMAsymmetry?.dominant.rawValue
        singleLegSegment = imus.singleLeg == nil ? nil : imus.singleLegSegment
        singleLegLeftSeconds = imus.singleLeg?.leftSeconds
        singleLegRightSeconds = imus.singleLeg?.rightSeconds
        singleLegSwayPathAsymmetryPercent = imus.singleLeg?.pathAsymmetry?.asymmetryPercent
        singleLegSwayPathDominant = imus.singleLeg?.pathAsymmetry?.dominant.rawValue
    }

    /// Takes the summary columns from a whole-trial report.
    mutating func summarise(_ report: TrialReport) {
        meanLeftNewtons = report.left.meanForceNewtons
        meanRightNewtons = report.right.meanForceNewtons
        meanLeftPercent = report.weightDistribution.leftPercent
        meanRightPercent = report.weightDistribution.rightPercent
        forceAsymmetryPercent = report.asymmetry.force.asymmetryPercent
        forceDominant = report.asymmetry.force.dominant.rawValue
        swayPathAsymmetryPercent = report.asymmetry.swayPath?.asymmetryPercent
        swayPathDominant = report.asymmetry.swayPath?.dominant.rawValue
        swayAreaAsymmetryPercent = report.asymmetry.swayArea?.asymmetryPercent
        swayAreaDominant = report.asymmetry.swayArea?.dominant.rawValue
        swayPathMillimetres = report.combined.sway?.pathLengthMillimetres
        swayEllipseAreaSquareMillimetres = report.combined.sway?.ellipse95AreaSquareMillimetres
    }
}
