#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parsing of ASCII numbers inside a byte buffer, without allocating.
enum DecimalNumber {
    /// Powers of ten exactly representable as Double.
    private static let exactPowersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    /// An unsigned decimal integer that fits in 32 bits (no sign, no spaces), or `nil`.
    @inline(__always)
    static func unsigned32(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
        guard !bytes.isEmpty, bytes.count <= 10 else { return nil }
        var value: UInt64 = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + UInt64(digit)
        }
        return value <= UInt64(UInt32.max) ? UInt32(value) : nil
    }

    /// A decimal number — optional sign, digits with an optional fraction, optional exponent —
    /// correctly rounded to the nearest Double; `nil` for anything else (including `inf`, `nan` and
    /// hexadecimal, which C's `strtod` would accept).
    static func double(_ bytes: UnsafeRawBufferPointer) -> Double? {
        var index = 0
        let count = bytes.count
        var negative = false
        if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var digits = 0
        var decimalExponent = 0
        while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
            accumulate(bytes[index], &mantissa, &significantDigits, &decimalExponent, fraction: false)
            digits += 1
            index += 1
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                accumulate(bytes[index], &mantissa, &significantDigits, &decimalExponent, fraction: true)
                digits += 1
                index += 1
            }
        }
        guard digits > 0 else { return nil }
        if index < count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var exponentNegative = false
            if index < count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var exponent = 0
            var exponentDigits = 0
            while index < count, bytes[index] &- UInt8(ascii: "0") < 10 {
                exponent = min(exponent * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 100_000)
                exponentDigits += 1
                index += 1
            }
            guard exponentDigits > 0 else { return nil }
            decimalExponent += exponentNegative ? -exponent : exponent
        }
        guard index == count else { return nil }

        // Clinger's fast path: an exact mantissa times an exact power of ten rounds once, correctly.
        if significantDigits <= 15, abs(decimalExponent) <= 22 {
            let magnitude = decimalExponent >= 0
                ? Double(mantissa) * exactPowersOfTen[decimalExponent]
                : Double(mantissa) / exactPowersOfTen[-decimalExponent]
            return negative ? -magnitude : magnitude
        }
        return slowPath(bytes)
    }

    @inline(__always)
    private static func accumulate(
        _ byte: UInt8, _ mantissa: inout UInt64, _ significantDigits: inout Int, _ decimalExponent: inout Int,
        fraction: Bool
    ) {
        let digit = UInt64(byte &- UInt8(ascii: "0"))
        if mantissa == 0 && digit == 0 {
            // Leading zeros are not significant.
            if fraction { decimalExponent -= 1 }
            return
        }
        if significantDigits < 19 {
            mantissa = mantissa * 10 + digit
            significantDigits += 1
            if fraction { decimalExponent -= 1 }
        } else {
            // Too many digits for the fast path; only the count matters from here.
            significantDigits += 1
            if !fraction { decimalExponent += 1 }
        }
    }

    /// `strtod` on a NUL-terminated copy on the stack (grammar already checked; C locale).
    private static func slowPath(_ bytes: UnsafeRawBufferPointer) -> Double? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: bytes.count + 1) { buffer in
            for (offset, byte) in bytes.enumerated() { buffer[offset] = CChar(bitPattern: byte) }
            buffer[bytes.count] = 0
            let value = strtod(buffer.baseAddress!, nil)
            return value.isFinite ? value : nil
        }
    }
}
