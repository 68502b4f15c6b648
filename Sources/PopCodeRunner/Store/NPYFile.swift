import Foundation
import PopCode

/// An array in numpy's `.npy` format (version 1.0): the magic `\x93NUMPY`, the version, a
/// little-endian `UInt16` header length, a Python-literal header
/// `{'descr': '<f8', 'fortran_order': False, 'shape': (500, 3), }` padded with spaces to a
/// multiple of 64 bytes and ending in a newline, then the values in C order, little-endian.
/// `np.load` reads it as is.
///
/// Written by hand because the format is a few lines and no Swift library for it is among
/// the project's dependencies. Reading accepts what popcode writes and what `np.save`
/// writes for the same dtypes (format 1.0 to 3.0, `<f8`, `<f4`, `<i8`, C order).
public struct NPYFile: Sendable, Hashable {
    /// The element types popcode stores.
    public enum ElementType: String, Sendable, Hashable {
        case float64 = "<f8"
        case float32 = "<f4"
        case int64 = "<i8"

        var size: Int { self == .float32 ? 4 : 8 }
    }

    public var shape: [Int]
    public var elementType: ElementType
    /// The values widened to doubles (exact for float32 and for integers below 2⁵³).
    public var values: [Double]

    public struct FormatError: Error, Sendable, Hashable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    public init(shape: [Int], elementType: ElementType = .float64, values: [Double]) {
        precondition(shape.reduce(1, *) == values.count,
                     "NPYFile: \(values.count) values for shape \(shape)")
        self.shape = shape
        self.elementType = elementType
        self.values = values
    }

    /// A matrix as a 2-d array.
    public init(_ matrix: Matrix, elementType: ElementType = .float64) {
        self.init(shape: [matrix.rows, matrix.columns], elementType: elementType, values: matrix.storage)
    }

    /// The array as a matrix: 2-d arrays keep their shape, a 1-d array is one row, and
    /// higher dimensions fold into the columns.
    public var matrix: Matrix {
        switch shape.count {
        case 0: return Matrix(rows: 1, columns: 1, storage: values)
        case 1: return Matrix(rows: 1, columns: shape[0], storage: values)
        default: return Matrix(rows: shape[0], columns: shape.dropFirst().reduce(1, *), storage: values)
        }
    }

    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    /// The file's bytes.
    public var data: Data {
        let dims = shape.map(String.init)
        let shapeText = dims.count == 1 ? "(\(dims[0]),)" : "(\(dims.joined(separator: ", ")))"
        var header = "{'descr': '\(elementType.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = Self.magic.count + 4 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes = Self.magic + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xff), UInt8(length >> 8)]
        bytes += Array(header.utf8)
        let start = bytes.count
        bytes += [UInt8](repeating: 0, count: values.count * elementType.size)
        bytes.withUnsafeMutableBytes { raw in
            switch elementType {
            case .float64:
                for (i, v) in values.enumerated() {
                    raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: start + 8 * i, as: UInt64.self)
                }
            case .float32:
                for (i, v) in values.enumerated() {
                    raw.storeBytes(of: Float(v).bitPattern.littleEndian, toByteOffset: start + 4 * i, as: UInt32.self)
                }
            case .int64:
                for (i, v) in values.enumerated() {
                    raw.storeBytes(of: Int64(v).littleEndian, toByteOffset: start + 8 * i, as: Int64.self)
                }
            }
        }
        return Data(bytes)
    }

    /// Parses the bytes of an `.npy` file.
    public init(data: Data) throws(FormatError) {
        let bytes = [UInt8](data)
        guard bytes.count >= 10, Array(bytes[0..<6]) == Self.magic else {
            throw FormatError(reason: "not an .npy file (no \\x93NUMPY magic)")
        }
        let major = bytes[6]
        let headerStart: Int, headerLength: Int
        switch major {
        case 1:
            headerStart = 10
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        case 2, 3:
            guard bytes.count >= 12 else { throw FormatError(reason: "truncated header") }
            headerStart = 12
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
        default:
            throw FormatError(reason: "unsupported .npy format version \(major)")
        }
        guard headerStart + headerLength <= bytes.count else { throw FormatError(reason: "truncated header") }
        let header = String(decoding: bytes[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard let descr = Self.field("descr", in: header)?.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")),
              let type = ElementType(rawValue: descr == "|i8" ? "<i8" : descr) else {
            throw FormatError(reason: "unsupported dtype in header \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        guard Self.field("fortran_order", in: header) == "False" else {
            throw FormatError(reason: "Fortran-ordered arrays are not supported")
        }
        guard let shapeText = Self.field("shape", in: header), shapeText.hasPrefix("("), shapeText.hasSuffix(")") else {
            throw FormatError(reason: "no shape in header")
        }
        var dims: [Int] = []
        for part in shapeText.dropFirst().dropLast().split(separator: ",") {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { continue }
            guard let dim = Int(text), dim >= 0 else { throw FormatError(reason: "bad shape \(shapeText)") }
            dims.append(dim)
        }
        let count = dims.reduce(1, *)
        let start = headerStart + headerLength
        guard bytes.count - start == count * type.size else {
            throw FormatError(reason: "\(bytes.count - start) data bytes for shape \(shapeText) of \(type.rawValue)")
        }
        let values: [Double] = bytes.withUnsafeBytes { raw in
            switch type {
            case .float64:
                return (0..<count).map {
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * $0, as: UInt64.self)))
                }
            case .float32:
                return (0..<count).map {
                    Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: start + 4 * $0, as: UInt32.self))))
                }
            case .int64:
                return (0..<count).map {
                    Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: start + 8 * $0, as: Int64.self)))
                }
            }
        }
        self.init(shape: dims, elementType: type, values: values)
    }

    /// The text after `'key':` in a header dict, up to the next top-level comma.
    private static func field(_ key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var value = ""
        for character in header[range.upperBound...] {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth == 0 && (character == "," || character == "}") { break }
            value.append(character)
        }
        return value.trimmingCharacters(in: .whitespaces)
    }
}
