import Foundation
import PopCode

/// Compact JSON text of the values a sweep holds by the hundred thousand: run specs and
/// planned runs, as `JSONCoding.compactEncoder` writes them (sorted keys, no whitespace) and
/// `JSONCoding.decoder` reads them back to equal values.
///
/// Written here rather than by `JSONEncoder` because of the cost: Foundation's encoder takes
/// about 18 µs per spec and 31 µs per planned run (measured on this project's machine), which
/// made encoding alone take seconds for `queue add` of a 100,000-run sweep (each run's spec
/// goes into its queue row and into experiment.json). These values are flat records of
/// integers, finite doubles and short names, so their text is simple to write directly;
/// everything else, and all reading, stays with Foundation's JSON. Tests check that the text
/// decodes to the value it was written from.
public enum CompactJSON {
    /// `spec` as a JSON object: the keys that apply to it (`RunSpec.applies`, as its
    /// `Encodable` conformance writes them), in byte order. Its doubles must be finite, as
    /// those of every validated spec are.
    public static func spec(_ spec: RunSpec) -> String {
        var text = ""
        text.reserveCapacity(280)
        for (key, prefix) in keyPrefixes where spec.applies(key) {
            text += text.isEmpty ? "{" : ","
            text += prefix
            append(spec.value(for: key), to: &text)
        }
        return text + "}"
    }

    /// `run` as a JSON object, with `specText` (`spec(run.spec)`) as its spec.
    public static func plannedRun(_ run: PlannedRun, specText: String? = nil) -> String {
        var text = "{\"id\":"
        text.reserveCapacity(320)
        appendString(run.id, to: &text)
        text += ",\"index\":\(run.index),\"label\":"
        appendString(run.label, to: &text)
        text += ",\"spec\":"
        text += specText ?? spec(run.spec)
        text += ",\"sweptValues\":["
        for (i, swept) in run.sweptValues.enumerated() {
            text += i == 0 ? "{\"key\":" : ",{\"key\":"
            appendString(swept.key.rawValue, to: &text)
            text += ",\"value\":"
            append(swept.value, to: &text)
            text += "}"
        }
        return text + "]}"
    }

    /// Each key in byte order with its text, `"key":`.
    private static let keyPrefixes: [(RunSpec.CodingKeys, String)] = RunSpec.CodingKeys.allCases
        .sorted { $0.rawValue < $1.rawValue }
        .map { key in
            var prefix = ""
            appendString(key.rawValue, to: &prefix)
            return (key, prefix + ":")
        }

    private static func append(_ value: SpecValue, to text: inout String) {
        switch value {
        case .int(let int): text += int.description
        case .double(let double):
            precondition(double.isFinite, "CompactJSON: \(double) has no JSON number")
            // Swift's shortest round-trip text (`0.1`, `1e-05`, `200.0`) is a JSON number.
            text += double.description
        case .string(let string): appendString(string, to: &text)
        }
    }

    /// `string` as a JSON string literal (RFC 8259: quote, backslash and control characters escaped).
    static func appendString(_ string: String, to text: inout String) {
        text += "\""
        if string.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            text += string
        } else {
            for scalar in string.unicodeScalars {
                switch scalar {
                case "\"": text += "\\\""
                case "\\": text += "\\\\"
                case "\n": text += "\\n"
                case "\r": text += "\\r"
                case "\t": text += "\\t"
                case _ where scalar.value < 0x20: text += String(format: "\\u%04x", scalar.value)
                default: text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}
