#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A dense row-major matrix of doubles: element (i, j) is `storage[i * columns + j]`.
public struct Matrix: Sendable, Hashable, Codable {
    public let rows: Int
    public let columns: Int
    public var storage: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "negative matrix shape")
        self.rows = rows
        self.columns = columns
        self.storage = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over `storage`, read row-major.
    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(storage.count == rows * columns,
                     "storage holds \(storage.count) values, shape needs \(rows)x\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// Row `i` as an array.
    public func row(_ i: Int) -> [Double] {
        Array(storage[i * columns ..< (i + 1) * columns])
    }

    /// Column `j` as an array.
    public func column(_ j: Int) -> [Double] {
        (0..<rows).map { storage[$0 * columns + j] }
    }

    /// Rows `range` as a new matrix.
    public func rows(_ range: Range<Int>) -> Matrix {
        Matrix(rows: range.count, columns: columns,
               storage: Array(storage[range.lowerBound * columns ..< range.upperBound * columns]))
    }
}

extension Matrix {
    /// Set this `userInfo` key to `true` on an encoder to write `storage` as the base64 of
    /// its little-endian IEEE-754 bytes instead of a list of decimal numbers: exact, about
    /// ten times faster to write and read, and what checkpoints use. Decoding accepts
    /// either form.
    public static let binaryStorage = CodingUserInfoKey(rawValue: "popcode.matrix.binaryStorage")!

    enum CodingKeys: String, CodingKey {
        case rows, columns, storage
        case bytes = "storage_le64"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        rows = try container.decode(Int.self, forKey: .rows)
        columns = try container.decode(Int.self, forKey: .columns)
        if let data = try container.decodeIfPresent(Data.self, forKey: .bytes) {
            let bytes = [UInt8](data)
            guard bytes.count % 8 == 0 else {
                throw DecodingError.dataCorruptedError(forKey: .bytes, in: container,
                                                       debugDescription: "byte count is not a multiple of 8")
            }
            storage = bytes.withUnsafeBytes { raw in
                (0..<(bytes.count / 8)).map {
                    Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * $0, as: UInt64.self)))
                }
            }
        } else {
            storage = try container.decode([Double].self, forKey: .storage)
        }
        guard rows >= 0, columns >= 0, storage.count == rows * columns else {
            throw DecodingError.dataCorruptedError(
                forKey: .storage, in: container,
                debugDescription: "\(storage.count) values for a \(rows)x\(columns) matrix")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(rows, forKey: .rows)
        try container.encode(columns, forKey: .columns)
        if encoder.userInfo[Self.binaryStorage] as? Bool == true {
            var bytes = [UInt8](repeating: 0, count: storage.count * 8)
            bytes.withUnsafeMutableBytes { raw in
                for (i, value) in storage.enumerated() {
                    raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: 8 * i, as: UInt64.self)
                }
            }
            try container.encode(Data(bytes), forKey: .bytes)
        } else {
            try container.encode(storage, forKey: .storage)
        }
    }
}
