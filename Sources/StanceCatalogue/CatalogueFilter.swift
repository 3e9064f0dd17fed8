import GRDB

/// What `stance sessions list` asks for; nil fields match every session.
public struct CatalogueFilter: Sendable, Equatable {
    /// Exact match.
    public var subject: String?
    /// Exact match.
    public var exercise: String?
    /// `YYYY-MM-DD`, UTC: sessions started on that day or later.
    public var sinceDay: String?

    public init(subject: String? = nil, exercise: String? = nil, sinceDay: String? = nil) {
        self.subject = subject
        self.exercise = exercise
        self.sinceDay = sinceDay
    }

    /// Whether `text` is a day of the Gregorian calendar written `YYYY-MM-DD`: month 01–12, day
    /// 01 to the month's length (February 29 in leap years only).
    public static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...monthDays[month - 1]).contains(day)
    }

    /// The sessions matching, oldest first. `started_utc` is ISO 8601 in UTC, so it sorts and
    /// compares as text.
    func request() -> QueryInterfaceRequest<CatalogueEntry> {
        var request = CatalogueEntry.all()
        if let subject { request = request.filter(CatalogueEntry.Column.subject == subject) }
        if let exercise { request = request.filter(CatalogueEntry.Column.exercise == exercise) }
        if let sinceDay { request = request.filter(CatalogueEntry.Column.startedUTC >= sinceDay) }
        return request.order(CatalogueEntry.Column.startedUTC, CatalogueEntry.Column.id)
    }
}
