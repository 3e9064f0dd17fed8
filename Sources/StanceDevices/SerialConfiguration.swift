/// How to set up a serial line. Defaults: 115200 baud, 8N1, no flow control, DTR and RTS left as
/// the driver sets them.
public struct SerialConfiguration: Sendable, Equatable {
    public enum FlowControl: String, Sendable, CaseIterable {
        case none
        /// RTS/CTS hardware handshake.
        case hardware
        /// XON/XOFF software handshake.
        case software
    }

    /// Bits per second: standard rates through `cfsetspeed`, any other (921600, 1000000,
    /// 2000000…) through termios2 `BOTHER`.
    public var baud: Int
    public var flowControl: FlowControl
    /// Raise (`true`) or drop (`false`) DTR after opening; `nil` leaves it. Many Arduinos reset when
    /// DTR rises.
    public var dataTerminalReady: Bool?
    /// Raise or drop RTS after opening; `nil` leaves it.
    public var requestToSend: Bool?

    public init(baud: Int = 115_200, flowControl: FlowControl = .none, dataTerminalReady: Bool? = nil, requestToSend: Bool? = nil) {
        self.baud = baud
        self.flowControl = flowControl
        self.dataTerminalReady = dataTerminalReady
        self.requestToSend = requestToSend
    }
}
